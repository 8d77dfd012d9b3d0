#pragma once

// Sequences made by `create sequence`: their options (unset ones are PostgreSQL's defaults)
// and the column that owns them, so a downgrade can re-create one as it was defined. Its
// current value is data, which the compiler never sees.

#include <cstdint>
#include <optional>
#include <string>

#include "compiler/model/routines.hpp"

namespace mig {

struct Sequence {
  ObjectName name;
  std::string type;  // smallint, integer or bigint; empty: bigint
  std::optional<std::int64_t> increment;
  std::optional<std::int64_t> minvalue;
  std::optional<std::int64_t> maxvalue;
  std::optional<std::int64_t> start;
  std::optional<std::int64_t> cache;
  bool cycle = false;
  // Dropped by PostgreSQL with this column (or its table).
  std::optional<ColumnOf> owned_by;
  int version = 0;  // the migration that created it
  Grants grants;
  std::optional<std::string> comment;
};

// CREATE SEQUENCE with its options, without OWNED BY (the column may not exist yet).
std::string create_sequence_sql(const Sequence&);
// ALTER SEQUENCE ... OWNED BY the owner, or NONE.
std::string sequence_owner_sql(const ObjectName& sequence, const std::optional<ColumnOf>& owner);

// The sequences `nextval('...')`, `currval('...')` or `setval('...', ...)` name in a column
// default; unqualified names are in `public`.
std::vector<ObjectName> sequences_in_default(std::string_view default_expr);

}  // namespace mig
