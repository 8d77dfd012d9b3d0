#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "plan/table_size.hpp"

namespace mig::cli {

// Reads the sizes of tables from the database at a URL, for `mig lint --db`.
using TableSizeReader =
    std::function<TableSizes(const std::string& url, const std::vector<TableName>& tables)>;

// `mig lint` and `mig explain`. Exit codes: 0 clean, 1 errors (or warnings with
// --deny-warnings), 2 usage or I/O errors.
void add_lint_commands(CLI::App& app, int& exit_code, TableSizeReader read_table_sizes);

}  // namespace mig::cli
