#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"
#include "compiler/ops/sequence_support.hpp"

namespace mig {

namespace {

using On = ast::Grant::On;

// What a grant names, as the model finds it and as messages and SQL write it.
struct GrantTarget {
  On on = On::Table;
  bool view = false;
  ObjectName name;                          // a schema's is {schema, schema}
  std::vector<std::string> argument_types;  // a function's
  std::string display;                      // `schema auth`, `public.f(int4)`
  std::string sql;                          // `SCHEMA "auth"`, `FUNCTION "public"."f"(int4)`
};

class GrantOp final : public Operation {
 public:
  GrantOp(const ast::Grant& written, GrantTarget target, Grants::Privileges privileges,
          Grants before)
      : written_(written),
        target_(std::move(target)),
        privileges_(std::move(privileges)),
        before_(std::move(before)) {}

  std::string describe() const override {
    return fmt::format("{} {} on {} {} {}", written_.revoke ? "revoke" : "grant",
                       privilege_list(privileges_), target_.display,
                       written_.revoke ? "from" : "to", fmt::join(roles(), ", "));
  }
  void apply(SchemaModel& model, int) const override {
    const auto change = [&](Grants& grants) {
      for (const auto& role : roles())
        written_.revoke ? grants.revoke(role, privileges_) : grants.grant(role, privileges_);
    };
    const auto& object = target_.name;
    switch (target_.on) {
      case On::Table:
        if (target_.view)
          model.edit_views([&](View& v) {
            if (v.name == object) change(v.grants);
          });
        else
          model.edit_table(object, [&](Table& t) { change(t.grants); });
        break;
      case On::Function: {
        Function function;
        function.name = object;
        function.argument_types = target_.argument_types;
        model.edit_function(function, [&](Function& f) { change(f.grants); });
        break;
      }
      case On::Sequence:
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
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), grant_sql(written_.revoke, target_.sql, roles(), privileges_))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return written_.revoke ? regrant() : revoke_added();
  }

 private:
  std::vector<std::string> roles() const {
    std::vector<std::string> out;
    for (const auto& r : written_.roles) out.push_back(r.value);
    return out;
  }
  PlanStep change_step(bool revoke, const std::string& role,
                       const Grants::Privileges& privileges) const {
    return step(
        fmt::format("{} {} on {} {} {}", revoke ? "revoke" : "grant", privilege_list(privileges),
                    target_.display, revoke ? "from" : "to", role),
        grant_sql(revoke, target_.sql, {role}, privileges));
  }

  // What the grant added, taken back grantee by grantee (last first).
  std::vector<PlanStep> revoke_added() const {
    std::vector<PlanStep> steps;
    Grants after = before_;
    const auto written = roles();
    std::vector<std::pair<std::string, Grants::Privileges>> added;
    for (const auto& role : written) {
      auto new_ones = after.grant(role, privileges_);
      if (!new_ones.empty()) added.emplace_back(role, std::move(new_ones));
    }
    for (auto it = added.rbegin(); it != added.rend(); ++it)
      steps.push_back(change_step(true, it->first, it->second));
    return steps;
  }

  // What the revoke took, given back. A grantee that lost every privilege left its place
  // in the object's ACL; to give it back that place, the grantees after it are revoked and
  // every grantee from there is granted again in the order it had.
  std::vector<PlanStep> regrant() const {
    Grants after = before_;
    for (const auto& role : roles()) after.revoke(role, privileges_);
    const auto& was = before_.by_role();
    std::size_t first_gone = was.size();
    for (std::size_t i = 0; i < was.size() && first_gone == was.size(); ++i)
      if (after.held(was[i].first).empty()) first_gone = i;
    std::vector<PlanStep> steps;
    for (std::size_t i = 0; i < first_gone; ++i) {
      Grants::Privileges taken;
      const auto now = after.held(was[i].first);
      for (const auto& p : was[i].second)
        if (!now.contains(p)) taken.insert(p);
      if (!taken.empty()) steps.push_back(change_step(false, was[i].first, taken));
    }
    for (std::size_t i = first_gone; i < was.size(); ++i)
      if (const auto now = after.held(was[i].first); !now.empty())
        steps.push_back(change_step(true, was[i].first, now));
    for (std::size_t i = first_gone; i < was.size(); ++i)
      steps.push_back(change_step(false, was[i].first, was[i].second));
    return steps;
  }

  const ast::Grant& written_;
  GrantTarget target_;
  Grants::Privileges privileges_;
  Grants before_;
};

// The object the grant names and its privileges now; nullopt (reported) when it does not
// exist.
std::optional<std::pair<GrantTarget, Grants>> find_target(const ast::Grant& written,
                                                          const SchemaModel& before,
                                                          CheckContext& ctx) {
  const auto& object = written.object.name;
  GrantTarget target{written.on, false, object, {}, object.display(), {}};
  switch (written.on) {
    case On::Schema:
      if (!before.schemas().contains(object.name)) {
        ctx.error(written.object.span, fmt::format("schema `{}` does not exist", object.name));
        return std::nullopt;
      }
      target.display = "schema " + object.name;
      target.sql = fmt::format("SCHEMA {}", Ident{object.name});
      return std::pair{target, before.schema_grants(object.name)};
    case On::Function: {
      const auto* function = named_function(before, written.object, written.argument_types, ctx);
      if (!function) return std::nullopt;
      target.argument_types = function->argument_types;
      target.display = "function " + function->signature();
      target.sql = "FUNCTION " + function->identity_sql();
      return std::pair{target, function->grants};
    }
    case On::Sequence: {
      const auto* sequence = before.find_sequence(object);
      if (!sequence) {
        ctx.error(written.object.span,
                  fmt::format("sequence `{}` does not exist", object.display()),
                  column_sequence_help(before, object));
        return std::nullopt;
      }
      target.display = "sequence " + object.display();
      target.sql = fmt::format("SEQUENCE {}", object);
      return std::pair{target, sequence->grants};
    }
    case On::Table:
      break;
  }
  target.sql = fmt::format("TABLE {}", object);
  if (const auto* view = before.find_view(object)) {
    target.view = true;
    return std::pair{target, view->grants};
  }
  const auto* table = require_table(before, written.object, ctx);
  if (!table) return std::nullopt;
  return std::pair{target, table->grants};
}

// What `all` stands for on the object, and what the object is called in messages.
std::pair<PrivilegeTarget, std::string_view> kind_of(On on) {
  switch (on) {
    case On::Schema:
      return {PrivilegeTarget::Schema, "schema"};
    case On::Function:
      return {PrivilegeTarget::Function, "function"};
    case On::Sequence:
      return {PrivilegeTarget::Sequence, "sequence"};
    case On::Table:
      break;
  }
  return {PrivilegeTarget::Table, "table or view"};
}

}  // namespace

OperationPtr resolve(const ast::Grant& written, const SchemaModel& before, CheckContext& ctx) {
  auto found = find_target(written, before, ctx);
  if (!found) return nullptr;
  auto& [target, grants] = *found;
  const auto [privilege_target, kind] = kind_of(written.on);
  const auto& known = all_privileges(privilege_target);
  const int errors = ctx.errors();
  Grants::Privileges privileges;
  for (const auto& p : written.privileges) {
    const auto upper = [](std::string text) {
      for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return text;
    }(p.value);
    if (p.value == "all") {
      privileges.insert(known.begin(), known.end());
    } else if (std::find(known.begin(), known.end(), upper) != known.end()) {
      privileges.insert(upper);
    } else {
      ctx.error(
          p.span, fmt::format("`{}` is not a privilege on a {}", p.value, kind),
          fmt::format("write one of: {}, or `all`", privilege_list({known.begin(), known.end()})));
    }
  }
  if (ctx.errors() != errors) return nullptr;
  if (written.revoke)
    for (const auto& role : written.roles) {
      const auto held = grants.held(role.value);
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
  return std::make_unique<GrantOp>(written, std::move(target), std::move(privileges),
                                   std::move(grants));
}

}  // namespace mig
