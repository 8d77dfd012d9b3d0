#pragma once

// Shared by the operations on partitioned tables and their partitions.

#include <vector>

#include "compiler/ops/operation.hpp"

namespace mig {

// The partitions of `parent` and theirs in turn, each partitioned table before its partitions.
std::vector<const Table*> partition_tree(const SchemaModel&, const ObjectName& parent);
// The partitioned table `ref` names; reports one that does not exist or is not partitioned.
const Table* require_partitioned(const SchemaModel&, const TableRef&, CheckContext&);
// Reports a bound that does not fit the partitioned table's strategy and key, or a second
// default partition (`partition` is the table that takes the bound).
bool require_fitting_bound(const SchemaModel&, const Table& parent, const PartitionBound&,
                           const ObjectName& partition, CheckContext&);
// Reports a partition key that names a column `table` does not have, a list key of more than
// one column, and a primary key or unique constraint without every key column.
bool require_valid_partition_key(const Table& table, const PartitionKeySpec&, CheckContext&);
Partitioning partitioning_from(const PartitionKeySpec&);
// The indexes, primary key and unique constraints of `parent` that `table` has no match
// for: PostgreSQL builds a copy of each on a table that becomes its partition, named as it
// names a new one (`<table>_<columns>_idx`, `<table>_pkey`, `<table>_<columns>_key`), and the
// table keeps them when it is detached.
struct PartitionCopies {
  std::vector<Index> indexes;
  std::vector<Constraint> constraints;
};
PartitionCopies missing_copies(const SchemaModel&, const Table& parent, const Table& table);

// ALTER TABLE "s"."t" ATTACH PARTITION "s"."p" FOR VALUES ...
PlanStep attach_partition_step(const ObjectName& parent, const ObjectName& partition,
                               const std::string& bound);
// ALTER TABLE "s"."t" DETACH PARTITION "s"."p" [CONCURRENTLY]
PlanStep detach_partition_step(const ObjectName& parent, const ObjectName& partition,
                               bool concurrently);

}  // namespace mig
