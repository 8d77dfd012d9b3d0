#pragma once

#include <string>
#include <vector>

#include "compiler/source/source_file.hpp"

namespace mig {

enum class Severity { Error, Warning, Note };

// A finding tied to a place in a .mig file: what was observed, and how to fix it.
struct Diagnostic {
  Severity severity = Severity::Error;
  const SourceFile* file = nullptr;  // null for findings about no particular file
  Span span;
  std::string message;  // lower-case start, no trailing period, names in backticks
  std::string help;     // the fix; may be empty
  std::string rule;     // lint rule id; empty for compile errors
};

using Diagnostics = std::vector<Diagnostic>;

bool has_errors(const Diagnostics&);

// GCC style: `path:line:col: severity: message [rule]`, the source line, a caret
// underline and a `help:` line.
std::string render(const Diagnostic&, bool color = false);

}  // namespace mig
