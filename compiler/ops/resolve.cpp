#include "compiler/ops/operations.hpp"

namespace mig {

OperationPtr resolve(const ast::Node& node, const SchemaModel& before, CheckContext& ctx) {
  return std::visit([&](const auto& kind) { return resolve(kind, before, ctx); }, node.kind);
}

}  // namespace mig
