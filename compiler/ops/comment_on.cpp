#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"
#include "compiler/ops/sequence_support.hpp"

namespace mig {

namespace {

using Comment = std::optional<std::string>;
using Target = ast::CommentTarget;

// The commented object as the model has it: what COMMENT ON names it by, its comment now,
// and how to set its comment in a model.
struct Commented {
  ObjectRef target;
  Comment previous;
  std::function<void(SchemaModel&, const Comment&)> set;
};

class CommentOnOp final : public Operation {
 public:
  CommentOnOp(Commented commented, Comment text)
      : commented_(std::move(commented)), text_(std::move(text)) {}
  std::string describe() const override { return "comment on " + commented_.target.display; }
  void apply(SchemaModel& model, int) const override { commented_.set(model, text_); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {comment_step(commented_.target, text_)};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {comment_step(commented_.target, commented_.previous, "restore the ")};
  }

 private:
  Commented commented_;
  Comment text_;
};

std::optional<Commented> on_table_or_member(const ast::CommentOn& written,
                                            const SchemaModel& before, CheckContext& ctx) {
  const auto* table = require_table(before, written.object, ctx);
  if (!table) return std::nullopt;
  const auto name = table->name;
  const auto member = written.member ? written.member->value : "";
  const auto set = [name](auto edit) {
    return [name, edit](SchemaModel& model, const Comment& text) {
      model.edit_table(name, [&](Table& t) { edit(t) = text; });
    };
  };
  switch (written.target) {
    case Target::Column: {
      const auto* column = require_column(*table, *written.member, ctx);
      if (!column) return std::nullopt;
      return Commented{
          column_ref(name, member), column->comment,
          set([member](Table& t) -> Comment& { return t.find_column(member)->comment; })};
    }
    case Target::Constraint: {
      const auto* constraint = require_constraint(*table, *written.member, ctx);
      if (!constraint) return std::nullopt;
      return Commented{
          member_ref("constraint", member, name), constraint->comment,
          set([member](Table& t) -> Comment& { return t.find_constraint(member)->comment; })};
    }
    case Target::Trigger: {
      const auto* trigger = table->find_trigger(member);
      if (!trigger) {
        ctx.error(written.member->span,
                  fmt::format("table `{}` has no trigger `{}`", name.display(), member));
        return std::nullopt;
      }
      return Commented{
          member_ref("trigger", member, name), trigger->comment,
          set([member](Table& t) -> Comment& { return t.find_trigger(member)->comment; })};
    }
    default:
      break;
  }
  return Commented{object_ref("table", name), table->comment,
                   set([](Table& t) -> Comment& { return t.comment; })};
}

std::optional<Commented> on_view(const ast::CommentOn& written, const SchemaModel& before,
                                 CheckContext& ctx) {
  const bool materialized = written.target == Target::MaterializedView;
  const auto& name = written.object.name;
  const auto* view = before.find_view(name);
  if (!view || view->materialized != materialized) {
    ctx.error(written.object.span,
              fmt::format("{} `{}` does not exist", materialized ? "materialized view" : "view",
                          name.display()),
              view ? fmt::format("it is a {}view: write `comment on {}view`",
                                 view->materialized ? "materialized " : "",
                                 view->materialized ? "materialized " : "")
                   : "");
    return std::nullopt;
  }
  return Commented{object_ref(materialized ? "materialized view" : "view", name), view->comment,
                   [name](SchemaModel& model, const Comment& text) {
                     model.edit_views([&](View& v) {
                       if (v.name == name) v.comment = text;
                     });
                   }};
}

template <class Indexes>
auto& index_named(Indexes& indexes, const std::string& name) {
  return *std::find_if(indexes.begin(), indexes.end(),
                       [&](const Index& i) { return i.name == name; });
}

std::optional<Commented> on_index(const ast::CommentOn& written, const SchemaModel& before,
                                  CheckContext& ctx) {
  const auto& name = written.object.name;
  if (const auto* view = before.view_of_index(name))
    return Commented{object_ref("index", name), index_named(view->indexes, name.name).comment,
                     [name, view = view->name](SchemaModel& model, const Comment& text) {
                       model.edit_views([&](View& v) {
                         if (v.name == view) index_named(v.indexes, name.name).comment = text;
                       });
                     }};
  if (const auto* table = before.table_of_index(name))
    return Commented{object_ref("index", name), table->find_index(name.name)->comment,
                     [name, table = table->name](SchemaModel& model, const Comment& text) {
                       model.edit_table(table,
                                        [&](Table& t) { t.find_index(name.name)->comment = text; });
                     }};
  if (const auto* table = before.table_of_constraint_index(name)) {
    ctx.error(written.object.span,
              fmt::format("index `{}` belongs to constraint `{}` of table `{}`", name.display(),
                          name.name, table->name.display()),
              fmt::format("comment on the constraint instead: `comment on constraint {} on {}`",
                          name.name, table->name.display()));
    return std::nullopt;
  }
  ctx.error(written.object.span, fmt::format("index `{}` does not exist", name.display()));
  return std::nullopt;
}

std::optional<Commented> on_routine_or_sequence(const ast::CommentOn& written,
                                                const SchemaModel& before, CheckContext& ctx) {
  const auto& name = written.object.name;
  if (written.target == Target::Function) {
    const auto* function = named_function(before, written.object, written.argument_types, ctx);
    if (!function) return std::nullopt;
    return Commented{function_ref(*function), function->comment,
                     [function = *function](SchemaModel& model, const Comment& text) {
                       model.edit_function(function, [&](Function& f) { f.comment = text; });
                     }};
  }
  const auto* sequence = before.find_sequence(name);
  if (!sequence) {
    ctx.error(written.object.span, fmt::format("sequence `{}` does not exist", name.display()),
              column_sequence_help(before, name));
    return std::nullopt;
  }
  return Commented{object_ref("sequence", name), sequence->comment,
                   [name](SchemaModel& model, const Comment& text) {
                     model.edit_sequence(name, [&](Sequence& s) { s.comment = text; });
                   }};
}

std::optional<Commented> find_commented(const ast::CommentOn& written, const SchemaModel& before,
                                        CheckContext& ctx) {
  const auto& name = written.object.name;
  switch (written.target) {
    case Target::Table:
    case Target::Column:
    case Target::Constraint:
    case Target::Trigger:
      return on_table_or_member(written, before, ctx);
    case Target::View:
    case Target::MaterializedView:
      return on_view(written, before, ctx);
    case Target::Index:
      return on_index(written, before, ctx);
    case Target::Function:
    case Target::Sequence:
      return on_routine_or_sequence(written, before, ctx);
    case Target::Type: {
      const auto* type = require_enum(before, written.object, ctx);
      if (!type) return std::nullopt;
      return Commented{object_ref("type", name), type->comment,
                       [name](SchemaModel& model, const Comment& text) {
                         model.edit_enum(name, [&](EnumType& t) { t.comment = text; });
                       }};
    }
    case Target::Schema:
      if (!before.schemas().contains(name.name)) {
        ctx.error(written.object.span, fmt::format("schema `{}` does not exist", name.name));
        return std::nullopt;
      }
      return Commented{schema_ref(name.name), before.schema_comment(name.name),
                       [schema = name.name](SchemaModel& model, const Comment& text) {
                         model.set_schema_comment(schema, text);
                       }};
  }
  return std::nullopt;
}

}  // namespace

OperationPtr resolve(const ast::CommentOn& written, const SchemaModel& before, CheckContext& ctx) {
  auto commented = find_commented(written, before, ctx);
  if (!commented) return nullptr;
  return std::make_unique<CommentOnOp>(std::move(*commented), written.text);
}

}  // namespace mig
