#pragma once

// What a source file's bytes must be before anything reads them as text: UTF-8 without
// NUL bytes. PostgreSQL reads C strings (a NUL would cut what it checks short of what
// runs) and a UTF-8 database refuses other bytes at apply time.

#include <optional>
#include <string>

#include "compiler/source/diagnostic.hpp"

namespace mig {

// The text without a leading UTF-8 byte-order mark, which editors on Windows may write.
std::string without_byte_order_mark(std::string text);

// An error at the first byte that is not valid UTF-8, or at the first NUL byte.
std::optional<Diagnostic> encoding_error(const SourceFile&);

}  // namespace mig
