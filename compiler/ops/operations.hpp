#pragma once

// Every operation of the language; each is implemented in its own file in this folder.

#include "compiler/ops/operation.hpp"

namespace mig {

#define MIG_OPERATION_METHODS                                         \
  std::string describe() const override;                              \
  bool check(const SchemaModel& before, CheckContext&) override;      \
  void apply(SchemaModel&, int version) const override;               \
  std::vector<PlanStep> up(const SchemaModel& before) const override; \
  std::vector<PlanStep> down(const SchemaModel& before) const override;

class CreateTable final : public Operation {
 public:
  TableRef table;
  std::vector<ColumnSpec> columns;
  std::vector<ConstraintSpec> constraints;
  MIG_OPERATION_METHODS

 private:
  Table created_;  // the table as it will exist, resolved by check
};

class DropTable final : public Operation {
 public:
  TableRef table;
  MIG_OPERATION_METHODS
  Reversal reversal(const SchemaModel&) const override;
};

class RenameTable final : public Operation {
 public:
  TableRef table;
  TableRef new_name;
  MIG_OPERATION_METHODS
};

class AddColumn final : public Operation {
 public:
  TableRef table;
  ColumnSpec column;
  MIG_OPERATION_METHODS

 private:
  Table altered_;  // the table with the column, resolved by check
};

class DropColumn final : public Operation {
 public:
  TableRef table;
  NameRef column;
  MIG_OPERATION_METHODS
  Reversal reversal(const SchemaModel& before) const override;
};

class RenameColumn final : public Operation {
 public:
  TableRef table;
  NameRef column;
  NameRef new_name;
  MIG_OPERATION_METHODS
};

class AlterColumnType final : public Operation {
 public:
  TableRef table;
  NameRef column;
  SqlFragment type;
  std::optional<SqlFragment> using_expr;
  MIG_OPERATION_METHODS
  Reversal reversal(const SchemaModel&) const override;
};

class SetNotNull final : public Operation {
 public:
  TableRef table;
  NameRef column;
  MIG_OPERATION_METHODS
};

class DropNotNull final : public Operation {
 public:
  TableRef table;
  NameRef column;
  MIG_OPERATION_METHODS
  Reversal reversal(const SchemaModel&) const override;
};

class SetDefault final : public Operation {
 public:
  TableRef table;
  NameRef column;
  SqlFragment default_expr;
  MIG_OPERATION_METHODS
};

class DropDefault final : public Operation {
 public:
  TableRef table;
  NameRef column;
  MIG_OPERATION_METHODS
};

class AddConstraint final : public Operation {
 public:
  TableRef table;
  ConstraintSpec constraint;
  MIG_OPERATION_METHODS
  // The constraint as check resolved it.
  const Constraint& resolved() const { return added_; }

 private:
  Constraint added_;
};

class DropConstraint final : public Operation {
 public:
  TableRef table;
  NameRef name;
  MIG_OPERATION_METHODS
};

class ValidateConstraint final : public Operation {
 public:
  TableRef table;
  NameRef name;
  MIG_OPERATION_METHODS
};

class CreateIndex final : public Operation {
 public:
  TableRef index;  // the index's name; its schema is the table's
  TableRef table;
  bool unique = false;
  bool concurrently = false;
  bool if_not_exists = false;
  std::string method;
  std::vector<IndexKey> keys;
  std::vector<SqlFragment> key_fragments;
  std::optional<SqlFragment> where;
  MIG_OPERATION_METHODS
  Index index_def() const;
};

class DropIndex final : public Operation {
 public:
  TableRef index;
  bool concurrently = false;
  bool if_exists = false;
  MIG_OPERATION_METHODS
};

struct RawStatement {
  std::string sql;
  Span span;
  nlohmann::json tree;
};

class RawSql final : public Operation {
 public:
  std::vector<RawStatement> up_statements;
  std::optional<std::vector<RawStatement>> down_statements;
  MIG_OPERATION_METHODS
  Reversal reversal(const SchemaModel&) const override;
  std::vector<Span> step_spans() const override;
};

struct SetItem {
  NameRef column;
  SqlFragment value;
};

class Backfill final : public Operation {
 public:
  TableRef table;
  std::vector<SetItem> assignments;
  std::optional<SqlFragment> where;
  int batch_size = 10000;
  MIG_OPERATION_METHODS
  Reversal reversal(const SchemaModel&) const override;
};

#undef MIG_OPERATION_METHODS

}  // namespace mig
