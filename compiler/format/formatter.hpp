#pragma once

// `mig fmt`: the one layout of a .mig file. Keywords lower case, one space between the
// words of a statement, one statement or block element per line, the elements of a `{ }`
// block indented two spaces with the column names of `create table` aligned, at most one
// blank line in a row, comments where they were. SQL (fragments and `sql { }` blocks) is
// kept byte for byte, so a formatted file compiles to the same plan.

#include <optional>
#include <string>

#include "compiler/source/diagnostic.hpp"

namespace mig {

// The formatted text, or nothing after reporting to `out` why the file cannot be read
// (bad encoding, a syntax error).
std::optional<std::string> format_source(const SourceFile&, Diagnostics& out);

}  // namespace mig
