#pragma once

#include <string>
#include <vector>

#include "compiler/parse/ast.hpp"

namespace mig {

// `@allow(rule, "reason")` written before a statement.
struct Allow {
  std::string rule;
  std::string reason;
  Span span;
  int statement = 0;
};

struct ParsedFile {
  std::vector<ast::Node> nodes;
  std::vector<Allow> allows;
  int statements = 0;
};

// Parses a .mig file. Syntax errors (of the language and of the SQL inside it) are
// reported to `out`; after the first the result is empty. What the statements mean is
// checked when they are resolved (compiler/ops/operations.hpp).
ParsedFile parse_file(const SourceFile&, Diagnostics& out);

}  // namespace mig
