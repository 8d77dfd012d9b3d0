#pragma once

// Where a plan's default schema goes. The compiler writes every object of the model's
// default schema qualified with it (`"public"."users"`), and the manifest names that schema
// (`default_schema`). A schema-per-tenant fleet applies the same plan into each tenant's
// schema: these functions move every such qualification there.

#include <string>
#include <string_view>

#include "plan/plan.hpp"

namespace mig {

// `sql` with each quoted identifier `"<from>"` that qualifies a name (is followed by `.`)
// written as `to` instead. String literals, dollar-quoted bodies, comments and other
// identifiers are left as they are.
std::string requalify(std::string_view sql, std::string_view from, std::string_view to);

// `text` for people (a step's description: `create table public.users`) with each name
// qualified with `from` (`from.` after a character that is no part of a name) qualified
// with `to` instead.
std::string redisplay(std::string_view text, std::string_view from, std::string_view to);

// The plan with its default schema moved to `schema`: every statement, backfill, lock and
// step description.
Plan place_default_schema(const Plan&, std::string_view schema);

}  // namespace mig
