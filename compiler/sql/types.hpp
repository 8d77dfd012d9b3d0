#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mig {

// Whether ALTER COLUMN ... TYPE from `from` to `to` rewrites the table. PostgreSQL skips the
// rewrite when the old type is binary coercible to the new one and the new one accepts
// every old value: varchar(n) -> varchar(m >= n) / varchar / text, text -> varchar,
// numeric(p, s) -> numeric(q >= p, s) / numeric, varbit(n) -> varbit(m >= n), cidr -> inet.
bool type_change_rewrites(std::string_view from, std::string_view to);

// A column type's name as PostgreSQL's catalog spells it: `integer` is int4, `varchar(20)`
// varchar, `timestamp with time zone` timestamptz, `serial` int4 (with `serial` set).
struct TypeName {
  std::string schema;  // empty unless written
  std::string name;
  bool array = false;
  bool serial = false;  // serial, bigserial, ...: valid only where a column is created
};
// nullopt if `type` is not a type PostgreSQL's parser accepts.
std::optional<TypeName> type_name(std::string_view type);

// The integer type, as the catalog names it (int4), that a serial type name (`bigserial`,
// lower case) stands for; nullopt for any other name.
std::optional<std::string_view> serial_integer(std::string_view name);

// The usual SQL spelling of a catalog type name: bigint for int8, integer for int4, ...;
// other names unchanged.
std::string sql_type_name(std::string_view catalog_name);

// Whether `name` (as type_name gives it, unqualified) is one of PostgreSQL's own types.
bool is_builtin_type(std::string_view name);

// The built-in type, spelled the usual way, that an unknown type name was probably meant
// to be (`strnig` and `string`: text; `intger`: integer), or empty.
std::string builtin_type_suggestion(std::string_view written);

// Whether PostgreSQL refuses a foreign key from a column of type `referencing` to one of
// type `referenced` (the referenced key's index has no equality operator for the pair).
// False when unsure: arrays, types that are not built in.
bool foreign_key_types_incompatible(std::string_view referencing, std::string_view referenced);

}  // namespace mig
