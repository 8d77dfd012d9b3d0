#pragma once

// The SQL mig generates, parsed back as `one_statement` parses it, with statements of one
// shape sharing one tree. A history generates thousands of statements that differ only in
// names (`ALTER TABLE "public"."orders_7" ADD COLUMN "note_12" text`), and parsing each
// back was a third of linting a .mig directory (bench/README.md).
//
// A shape is the statement with each replaceable name (a quoted name that holds a digit,
// an upper-case letter or `$`) made a placeholder. The second statement of a shape parses
// the placeholder text once; its tree, with this statement's names and locations written
// in, must equal this statement's own tree, or the shape is never shared. From the third
// statement on, only names and locations are written in. That is exact because
// PostgreSQL's grammar treats a quoted name as an opaque token: it compares a name's text
// only with lower-case words (`public`, `none`, `superuser`, `modulus`, ...), which a
// replaceable name never equals, and names of 64 bytes or more (which it truncates) are
// not replaced.

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "compiler/sql/pg_parser.hpp"

namespace mig {

class StatementShapes {
 public:
  // The statement node of `sql` as `one_statement(sql)` gives it, or its error. The tree
  // stays valid and unchanged until the next call.
  std::variant<const nlohmann::json*, SqlError> parse(std::string_view sql);

 private:
  // A tree of the placeholder text, and where the names and locations go in it.
  struct Shape {
    nlohmann::json tree;
    std::vector<std::pair<std::size_t, nlohmann::json*>> names;  // placeholder, its string
    struct Location {
      nlohmann::json* value;
      std::size_t offset;        // in the placeholder text
      std::size_t names_before;  // placeholders that start before it
    };
    std::vector<Location> locations;
  };
  enum class Seen { Once, Shared, Unshareable };
  struct Entry {
    Seen seen = Seen::Once;
    std::unique_ptr<Shape> shape;
  };

  std::unordered_map<std::string, Entry> shapes_;  // by placeholder text
  nlohmann::json unshared_;                        // the tree of the last statement parsed whole
};

}  // namespace mig
