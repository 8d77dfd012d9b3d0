#pragma once

// What several rules need to read off operations and raw SQL.

#include <string>
#include <vector>

#include "compiler/lint/rule.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

// A column type written in a migration: in a create table, an add column, a type change,
// or raw CREATE TABLE / ALTER TABLE.
struct WrittenType {
  ObjectName table;
  std::string column;
  std::string base;           // PostgreSQL's name: int4, varchar, timestamp, ...
  std::size_t modifiers = 0;  // how many type modifiers, e.g. varchar(20): 1
  bool key = false;           // primary key or foreign key column (as far as written)
  Span span;
};

std::vector<WrittenType> written_types(const Operation&);

// The base type name and modifier count of a type's parse (a tree holding a typeName).
std::pair<std::string, std::size_t> type_shape(const nlohmann::json& tree);

// Where to insert a word after the keyword `word` in `span` of `text`: the offset just
// after the first case-insensitive whole-word match, or nullopt.
std::optional<std::size_t> after_keyword(std::string_view text, Span span, std::string_view word);

ObjectName object_name(const std::string& display);  // "public.users" -> {public, users}

}  // namespace mig
