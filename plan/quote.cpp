#include "plan/quote.hpp"

namespace mig {

namespace {

std::string quote_with(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    if (c == quote) out += quote;
    out += c;
  }
  out += quote;
  return out;
}

}  // namespace

std::string quote_ident(std::string_view name) { return quote_with(name, '"'); }
std::string quote_literal(std::string_view value) { return quote_with(value, '\''); }

}  // namespace mig
