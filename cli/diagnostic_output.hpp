#pragma once

#include <iosfwd>

#include "compiler/source/diagnostic.hpp"

namespace mig::cli {

// Renders diagnostics for a person: coloured on a terminal unless NO_COLOR is set.
void print_diagnostics(const Diagnostics&, std::ostream&);

}  // namespace mig::cli
