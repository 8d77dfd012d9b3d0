#pragma once

// A live database's schema (runtime/live_schema.hpp) as the `.mig` source of one migration
// that builds it, in an order that compiles: schemas, extensions, enum types, functions,
// tables, foreign keys, indexes, views, triggers, comments.

#include <string>
#include <vector>

#include "runtime/live_schema.hpp"

namespace mig::cli {

struct BaselineSource {
  std::string text;
  // What the language cannot express, one line each: written as a `sql { } down { }` block
  // (opaque to the compiler's model), or not written at all; with the object and why.
  std::vector<std::string> notes;
};

BaselineSource baseline_source(const LiveDatabase&);

}  // namespace mig::cli
