#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

enum class Target { Table, View, Schema };

class GrantOp final : public Operation {
 public:
  GrantOp(const ast::Grant& written, Target target, Grants::Privileges privileges, Grants before)
      : written_(written),
        target_(target),
        privileges_(std::move(privileges)),
        before_(std::move(before)) {}

  std::string describe() const override {
    return fmt::format("{} {} on {} {} {}", written_.revoke ? "revoke" : "grant",
                       privilege_list(privileges_), name(), written_.revoke ? "from" : "to",
                       fmt::join(roles(), ", "));
  }
  void apply(SchemaModel& model, int) const override {
    const auto change = [&](Grants& grants) {
      for (const auto& role : roles())
        written_.revoke ? grants.revoke(role, privileges_) : grants.grant(role, privileges_);
    };
    const auto& object = written_.object.name;
    switch (target_) {
      case Target::Table:
        model.edit_table(object, [&](Table& t) { change(t.grants); });
        break;
      case Target::View:
        model.edit_views([&](View& v) {
          if (v.name == object) change(v.grants);
        });
        break;
      case Target::Schema: {
        auto grants = model.schema_grants(object.name);
        change(grants);
        model.set_schema_grants(object.name, std::move(grants));
        break;
      }
    }
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), grant_sql(written_.revoke, sql_object(), roles(), privileges_))};
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
  std::string name() const {
    const auto& object = written_.object.name;
    return target_ == Target::Schema ? "schema " + object.name : object.display();
  }
  std::string sql_object() const {
    const auto& object = written_.object.name;
    return target_ == Target::Schema ? fmt::format("SCHEMA {}", Ident{object.name})
                                     : fmt::format("TABLE {}", object);
  }
  PlanStep change_step(bool revoke, const std::string& role,
                       const Grants::Privileges& privileges) const {
    return step(fmt::format("{} {} on {} {} {}", revoke ? "revoke" : "grant",
                            privilege_list(privileges), name(), revoke ? "from" : "to", role),
                grant_sql(revoke, sql_object(), {role}, privileges));
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
  Target target_;
  Grants::Privileges privileges_;
  Grants before_;
};

}  // namespace

OperationPtr resolve(const ast::Grant& written, const SchemaModel& before, CheckContext& ctx) {
  const auto& object = written.object.name;
  Target target = Target::Schema;
  const Grants* grants = nullptr;
  if (written.on_schema) {
    if (!before.schemas().contains(object.name)) {
      ctx.error(written.object.span, fmt::format("schema `{}` does not exist", object.name));
      return nullptr;
    }
    grants = &before.schema_grants(object.name);
  } else if (const auto* view = before.find_view(object)) {
    target = Target::View;
    grants = &view->grants;
  } else {
    const auto* table = require_table(before, written.object, ctx);
    if (!table) return nullptr;
    target = Target::Table;
    grants = &table->grants;
  }
  const auto& known =
      all_privileges(written.on_schema ? PrivilegeTarget::Schema : PrivilegeTarget::Table);
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
          p.span,
          fmt::format("`{}` is not a privilege on a {}", p.value,
                      written.on_schema ? "schema" : "table or view"),
          fmt::format("write one of: {}, or `all`", privilege_list({known.begin(), known.end()})));
    }
  }
  if (ctx.errors() != errors) return nullptr;
  if (written.revoke)
    for (const auto& role : written.roles) {
      const auto held = grants->held(role.value);
      if (std::none_of(privileges.begin(), privileges.end(),
                       [&](const auto& p) { return held.contains(p); })) {
        ctx.error(
            role.span,
            fmt::format("`{}` holds none of these privileges on `{}`: the earlier "
                        "migrations granted it {}",
                        role.value, written.on_schema ? "schema " + object.name : object.display(),
                        held.empty() ? std::string("nothing") : privilege_list(held)),
            "there is nothing to revoke; privileges granted outside `.mig` statements are "
            "not known to mig");
        return nullptr;
      }
    }
  return std::make_unique<GrantOp>(written, target, std::move(privileges), *grants);
}

}  // namespace mig
