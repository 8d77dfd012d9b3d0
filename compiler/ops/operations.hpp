#pragma once

// Resolution: a statement as written, checked against the schema model before it. What is
// wrong is reported to the context and gives nullptr; otherwise the operation holds what
// the statement resolved to (a table, a constraint), so nothing is looked up twice. One
// overload per kind of ast::Node, each in its own file in this folder: a kind without one
// does not compile.

#include <memory>

#include "compiler/ops/operation.hpp"

namespace mig {

using OperationPtr = std::unique_ptr<const Operation>;

OperationPtr resolve(const ast::Node&, const SchemaModel& before, CheckContext&);

OperationPtr resolve(const ast::CreateTable&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropTable&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::RenameTable&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::AddColumn&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropColumn&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::RenameColumn&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::AlterColumnType&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::SetNotNull&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropNotNull&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::SetDefault&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropDefault&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::AddConstraint&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropConstraint&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::ValidateConstraint&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::CreateIndex&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropIndex&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::RenameIndex&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::RenameConstraint&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::RawSql&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::Backfill&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::CreateFunction&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropFunction&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::CreateTrigger&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropTrigger&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::CreateView&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropView&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::CreateSchema&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropSchema&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::CreateExtension&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropExtension&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::CreateEnum&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::AddEnumValue&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::RenameEnumValue&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropType&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::CommentOn&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::SetRowSecurity&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::CreatePolicy&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropPolicy&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::Grant&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::CreateSequence&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::AlterSequence&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DropSequence&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::RefreshMaterializedView&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::ChangeIdentity&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::SetLogged&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::SetSchema&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::Reindex&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::CreatePartition&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::AttachPartition&, const SchemaModel&, CheckContext&);
OperationPtr resolve(const ast::DetachPartition&, const SchemaModel&, CheckContext&);

}  // namespace mig
