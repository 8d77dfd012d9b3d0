#pragma once

// `mig lint` findings as text for people, as a markdown report for pull request comments,
// or as JSON, SARIF 2.1.0 and GitHub workflow annotations for machines.

#include <functional>
#include <iosfwd>
#include <string>

#include "compiler/lint/linter.hpp"

namespace mig::cli {

enum class LintFormat { Text, Json, Sarif, Github, Markdown };

struct OutputOptions {
  bool color = false;  // text only
  // The migrations and .sql files the markdown report shows; empty: all that were linted.
  std::function<bool(const SourceFile&)> reported;
};

void write_lint_result(const LintResult&, LintFormat, std::ostream&, const OutputOptions&);

}  // namespace mig::cli
