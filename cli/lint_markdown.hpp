#pragma once

// `mig lint --format markdown`: a report for a pull request comment. A summary line, then
// per migration (or plain SQL file) a table of the steps that run, with their transaction,
// the lock each takes on which table, whether that blocks reads or writes, whether it
// rewrites or scans the table and which findings are about it; the SQL; the findings with
// what to do. GitHub-flavoured markdown.

#include <functional>
#include <iosfwd>

#include "compiler/lint/linter.hpp"

namespace mig::cli {

// Shows the migrations and .sql files `reported` accepts (all when it is empty), and every
// compile diagnostic and finding of the result.
void write_markdown(const LintResult&, const std::function<bool(const SourceFile&)>& reported,
                    std::ostream&);

}  // namespace mig::cli
