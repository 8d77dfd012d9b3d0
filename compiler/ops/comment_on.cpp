#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

using Comment = std::optional<std::string>;

class CommentOnOp final : public Operation {
 public:
  CommentOnOp(const ast::CommentOn& written, Comment previous)
      : written_(written), previous_(std::move(previous)) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {comment_step(describe(), target(), written_.text)};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {comment_step("restore the " + describe(), target(), previous_)};
  }

 private:
  std::string target() const;

  const ast::CommentOn& written_;
  Comment previous_;
};

std::string CommentOnOp::describe() const {
  const auto& object = written_.object.name;
  switch (written_.target) {
    case ast::CommentTarget::Table:
      return fmt::format("comment on table {}", object.display());
    case ast::CommentTarget::Column:
      return fmt::format("comment on column {}.{}", object.display(), written_.column->value);
    case ast::CommentTarget::Type:
      return fmt::format("comment on type {}", object.display());
    case ast::CommentTarget::Schema:
      return fmt::format("comment on schema {}", object.name);
  }
  return {};
}

std::string CommentOnOp::target() const {
  const auto& object = written_.object.name;
  switch (written_.target) {
    case ast::CommentTarget::Table:
      return fmt::format("TABLE {}", object);
    case ast::CommentTarget::Column:
      return column_comment_target(object, written_.column->value);
    case ast::CommentTarget::Type:
      return fmt::format("TYPE {}", object);
    case ast::CommentTarget::Schema:
      return fmt::format("SCHEMA {}", Ident{object.name});
  }
  return {};
}

void CommentOnOp::apply(SchemaModel& model, int) const {
  const auto& object = written_.object.name;
  switch (written_.target) {
    case ast::CommentTarget::Table:
      model.edit_table(object, [&](Table& t) { t.comment = written_.text; });
      break;
    case ast::CommentTarget::Column:
      model.edit_table(object, [&](Table& t) {
        t.find_column(written_.column->value)->comment = written_.text;
      });
      break;
    case ast::CommentTarget::Type:
      model.edit_enum(object, [&](EnumType& t) { t.comment = written_.text; });
      break;
    case ast::CommentTarget::Schema:
      model.set_schema_comment(object.name, written_.text);
      break;
  }
}

}  // namespace

OperationPtr resolve(const ast::CommentOn& written, const SchemaModel& before, CheckContext& ctx) {
  Comment previous;
  switch (written.target) {
    case ast::CommentTarget::Table: {
      const auto* table = require_table(before, written.object, ctx);
      if (!table) return nullptr;
      previous = table->comment;
      break;
    }
    case ast::CommentTarget::Column: {
      const auto* table = require_table(before, written.object, ctx);
      const auto* column = table ? require_column(*table, *written.column, ctx) : nullptr;
      if (!column) return nullptr;
      previous = column->comment;
      break;
    }
    case ast::CommentTarget::Type: {
      const auto* type = require_enum(before, written.object, ctx);
      if (!type) return nullptr;
      previous = type->comment;
      break;
    }
    case ast::CommentTarget::Schema:
      if (!before.schemas().contains(written.object.name.name)) {
        ctx.error(written.object.span,
                  fmt::format("schema `{}` does not exist", written.object.name.name));
        return nullptr;
      }
      previous = before.schema_comment(written.object.name.name);
      break;
  }
  return std::make_unique<CommentOnOp>(written, std::move(previous));
}

}  // namespace mig
