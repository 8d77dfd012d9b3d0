#pragma once

// `mig lint` findings as text for people, or JSON, SARIF 2.1.0 and GitHub workflow
// annotations for machines.

#include <iosfwd>
#include <string>

#include "compiler/lint/linter.hpp"

namespace mig::cli {

enum class LintFormat { Text, Json, Sarif, Github };

void write_lint_result(const LintResult&, LintFormat, std::ostream&, bool color);

}  // namespace mig::cli
