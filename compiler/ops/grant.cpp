#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"

namespace mig {

namespace {

using On = ast::Grant::On;

// An object a grant names, as the model finds it and as messages and SQL write it, with
// its privileges before the grant.
struct GrantTarget {
  On on = On::Table;
  bool view = false;
  ObjectName name;                          // a schema's is {schema, schema}
  std::vector<std::string> argument_types;  // a function's
  std::string display;                      // `schema auth`, `public.f(int4)`
  std::string sql;                          // `SCHEMA "auth"`, `FUNCTION "public"."f"(int4)`
  Grants before;
};

GrantTarget table_target(const Table& table) {
  return {
      On::Table,   false, table.name, {}, table.name.display(), fmt::format("TABLE {}", table.name),
      table.grants};
}

GrantTarget view_target(const View& view) {
  return {On::Table,  true, view.name, {}, view.name.display(), fmt::format("TABLE {}", view.name),
          view.grants};
}

GrantTarget function_target(const Function& function) {
  const auto ref = function_ref(function);
  return {On::Function, false,   function.name,  function.argument_types,
          ref.display,  ref.sql, function.grants};
}

GrantTarget sequence_target(const ObjectName& name, const Grants& grants) {
  const auto ref = object_ref("sequence", name);
  return {On::Sequence, false, name, {}, ref.display, ref.sql, grants};
}

// What a grant's privileges may be on a kind of object (`all` stands for every one), and
// what messages call one object of the kind and all of them (`all tables in schema`).
struct Kind {
  PrivilegeTarget privileges;
  std::string_view one;
  std::string_view all;
};

Kind kind_of(On on) {
  switch (on) {
    case On::Schema:
      return {PrivilegeTarget::Schema, "schema", "schemas"};
    case On::Function:
      return {PrivilegeTarget::Function, "function", "functions"};
    case On::Sequence:
      return {PrivilegeTarget::Sequence, "sequence", "sequences"};
    case On::Table:
      break;
  }
  return {PrivilegeTarget::Table, "table or view", "tables"};
}

// Grants or revokes privileges on one object, or on every object of a kind in a schema
// (`all tables in schema s`), object by object.
class GrantOp final : public Operation {
 public:
  GrantOp(const ast::Grant& written, std::vector<GrantTarget> targets,
          Grants::Privileges privileges)
      : written_(written), targets_(std::move(targets)), privileges_(std::move(privileges)) {}

  std::string describe() const override {
    if (!written_.in_schema) return described(targets_.front());
    return fmt::format("{} {} on all {} in schema {} {} {}", written_.revoke ? "revoke" : "grant",
                       privilege_list(privileges_), kind_of(written_.on).all,
                       written_.object.name.name, written_.revoke ? "from" : "to",
                       fmt::join(roles(), ", "));
  }
  void apply(SchemaModel& model, int) const override {
    for (const auto& target : targets_) apply(model, target);
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    std::vector<PlanStep> steps;
    for (const auto& target : targets_)
      steps.push_back(
          step(described(target), grant_sql(written_.revoke, target.sql, roles(), privileges_)));
    return steps;
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    std::vector<PlanStep> steps;
    for (auto it = targets_.rbegin(); it != targets_.rend(); ++it)
      append(steps, written_.revoke ? regrant(*it) : revoke_added(*it));
    return steps;
  }

 private:
  std::string described(const GrantTarget& target) const {
    return fmt::format("{} {} on {} {} {}", written_.revoke ? "revoke" : "grant",
                       privilege_list(privileges_), target.display, written_.revoke ? "from" : "to",
                       fmt::join(roles(), ", "));
  }
  void apply(SchemaModel& model, const GrantTarget& target) const {
    const auto change = [&](Grants& grants) {
      for (const auto& role : roles())
        written_.revoke ? grants.revoke(role, privileges_) : grants.grant(role, privileges_);
    };
    const auto& object = target.name;
    switch (target.on) {
      case On::Table:
        if (target.view)
          model.edit_views([&](View& v) {
            if (v.name == object) change(v.grants);
          });
        else
          model.edit_table(object, [&](Table& t) { change(t.grants); });
        break;
      case On::Function: {
        Function function;
        function.name = object;
        function.argument_types = target.argument_types;
        model.edit_function(function, [&](Function& f) { change(f.grants); });
        break;
      }
      case On::Sequence:
        if (const auto* owner = model.table_of_column_sequence(object))
          model.edit_table(owner->name, [&](Table& t) {
            for (auto& c : t.columns)
              if (c.sequence == object.name) change(c.sequence_grants);
          });
        else
          model.edit_sequence(object, [&](Sequence& q) { change(q.grants); });
        break;
      case On::Schema: {
        auto grants = model.schema_grants(object.name);
        change(grants);
        model.set_schema_grants(object.name, std::move(grants));
        break;
      }
    }
  }
  std::vector<std::string> roles() const {
    std::vector<std::string> out;
    for (const auto& r : written_.roles) out.push_back(r.value);
    return out;
  }
  static PlanStep change_step(const GrantTarget& target, bool revoke, const std::string& role,
                              const Grants::Privileges& privileges) {
    return grant_step(revoke, target.sql, target.display, role, privileges);
  }

  // What the grant added, taken back grantee by grantee (last first).
  std::vector<PlanStep> revoke_added(const GrantTarget& target) const {
    std::vector<PlanStep> steps;
    Grants after = target.before;
    const auto written = roles();
    std::vector<std::pair<std::string, Grants::Privileges>> added;
    for (const auto& role : written) {
      auto new_ones = after.grant(role, privileges_);
      if (!new_ones.empty()) added.emplace_back(role, std::move(new_ones));
    }
    for (auto it = added.rbegin(); it != added.rend(); ++it)
      steps.push_back(change_step(target, true, it->first, it->second));
    return steps;
  }

  // What the revoke took, given back. A grantee that lost every privilege left its place
  // in the object's ACL; to give it back that place, the grantees after it are revoked and
  // every grantee from there is granted again in the order it had.
  std::vector<PlanStep> regrant(const GrantTarget& target) const {
    Grants after = target.before;
    for (const auto& role : roles()) after.revoke(role, privileges_);
    const auto& was = target.before.by_role();
    std::size_t first_gone = was.size();
    for (std::size_t i = 0; i < was.size() && first_gone == was.size(); ++i)
      if (after.held(was[i].first).empty()) first_gone = i;
    std::vector<PlanStep> steps;
    for (std::size_t i = 0; i < first_gone; ++i) {
      Grants::Privileges taken;
      const auto now = after.held(was[i].first);
      for (const auto& p : was[i].second)
        if (!now.contains(p)) taken.insert(p);
      if (!taken.empty()) steps.push_back(change_step(target, false, was[i].first, taken));
    }
    for (std::size_t i = first_gone; i < was.size(); ++i)
      if (const auto now = after.held(was[i].first); !now.empty())
        steps.push_back(change_step(target, true, was[i].first, now));
    for (std::size_t i = first_gone; i < was.size(); ++i)
      steps.push_back(change_step(target, false, was[i].first, was[i].second));
    return steps;
  }

  const ast::Grant& written_;
  std::vector<GrantTarget> targets_;
  Grants::Privileges privileges_;
};

// The object the grant names; nullopt (reported) when it does not exist.
std::optional<GrantTarget> find_target(const ast::Grant& written, const SchemaModel& before,
                                       CheckContext& ctx) {
  const auto& object = written.object.name;
  switch (written.on) {
    case On::Schema:
      if (!before.schemas().contains(object.name)) {
        ctx.error(written.object.span, fmt::format("schema `{}` does not exist", object.name));
        return std::nullopt;
      }
      return GrantTarget{On::Schema,
                         false,
                         object,
                         {},
                         "schema " + object.name,
                         fmt::format("SCHEMA {}", Ident{object.name}),
                         before.schema_grants(object.name)};
    case On::Function: {
      const auto* function = named_function(before, written.object, written.argument_types, ctx);
      if (!function) return std::nullopt;
      return function_target(*function);
    }
    case On::Sequence: {
      if (const auto* sequence = before.find_sequence(object))
        return sequence_target(object, sequence->grants);
      if (const auto* owner = before.table_of_column_sequence(object))
        for (const auto& c : owner->columns)
          if (c.sequence == object.name) return sequence_target(object, c.sequence_grants);
      ctx.error(written.object.span, fmt::format("sequence `{}` does not exist", object.display()));
      return std::nullopt;
    }
    case On::Table:
      break;
  }
  if (const auto* view = before.find_view(object)) return view_target(*view);
  const auto* table = require_table(before, written.object, ctx);
  if (!table) return std::nullopt;
  return table_target(*table);
}

// Every object of the kind in the schema, as PostgreSQL's `all ... in schema` finds them:
// tables with views and materialized views; sequences with those of identity and serial
// columns; functions.
std::vector<GrantTarget> targets_in_schema(const ast::Grant& written, const SchemaModel& before) {
  const auto& schema = written.object.name.name;
  std::vector<GrantTarget> out;
  for (const auto& table : before.tables()) {
    if (table.name.schema != schema) continue;
    if (written.on == On::Table) out.push_back(table_target(table));
    if (written.on == On::Sequence)
      for (const auto& c : table.columns)
        if (c.sequence) out.push_back(sequence_target({schema, *c.sequence}, c.sequence_grants));
  }
  if (written.on == On::Table)
    for (const auto& [name, view] : before.views())
      if (name.schema == schema) out.push_back(view_target(view));
  if (written.on == On::Sequence)
    for (const auto& [name, sequence] : before.sequences())
      if (name.schema == schema) out.push_back(sequence_target(name, sequence.grants));
  if (written.on == On::Function)
    for (const auto& [name, overloads] : before.functions())
      if (name.schema == schema)
        for (const auto& f : overloads) out.push_back(function_target(f));
  return out;
}

}  // namespace

OperationPtr resolve(const ast::Grant& written, const SchemaModel& before, CheckContext& ctx) {
  const auto kind = kind_of(written.on);
  std::vector<GrantTarget> targets;
  if (written.in_schema) {
    const auto& schema = written.object.name.name;
    if (!before.schemas().contains(schema)) {
      ctx.error(written.object.span, fmt::format("schema `{}` does not exist", schema));
      return nullptr;
    }
    targets = targets_in_schema(written, before);
    if (targets.empty()) {
      ctx.error(written.object.span,
                fmt::format("schema `{}` has no {}: there is nothing to {}", schema,
                            written.on == On::Table ? "tables or views" : kind.all,
                            written.revoke ? "revoke" : "grant"),
                "like PostgreSQL, `all ... in schema` names the objects that exist when it "
                "runs; objects created later need their own grant");
      return nullptr;
    }
  } else if (auto target = find_target(written, before, ctx)) {
    targets.push_back(std::move(*target));
  } else {
    return nullptr;
  }
  const auto& known = all_privileges(kind.privileges);
  const int errors = ctx.errors();
  Grants::Privileges privileges;
  for (const auto& p : written.privileges) {
    const auto name = upper(p.value);
    if (p.value == "all") {
      privileges.insert(known.begin(), known.end());
    } else if (std::find(known.begin(), known.end(), name) != known.end()) {
      privileges.insert(name);
    } else {
      ctx.error(
          p.span, fmt::format("`{}` is not a privilege on a {}", p.value, kind.one),
          fmt::format("write one of: {}, or `all`", privilege_list({known.begin(), known.end()})));
    }
  }
  if (ctx.errors() != errors) return nullptr;
  // A revoke from every object of a schema passes over those a role holds nothing on, as
  // PostgreSQL's does; one of a single object that takes nothing is a mistake.
  if (written.revoke && !written.in_schema)
    for (const auto& role : written.roles) {
      const auto& target = targets.front();
      const auto held = target.before.held(role.value);
      if (std::none_of(privileges.begin(), privileges.end(),
                       [&](const auto& p) { return held.contains(p); })) {
        ctx.error(role.span,
                  fmt::format("`{}` holds none of these privileges on `{}`: the earlier "
                              "migrations granted it {}",
                              role.value, target.display,
                              held.empty() ? std::string("nothing") : privilege_list(held)),
                  "there is nothing to revoke; privileges granted outside `.mig` statements are "
                  "not known to mig");
        return nullptr;
      }
    }
  return std::make_unique<GrantOp>(written, std::move(targets), std::move(privileges));
}

}  // namespace mig
