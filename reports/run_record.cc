#include "reports/run_record.h"

#include <fmt/format.h>

#include "reports/metric_columns.h"

namespace flinksim::reports {

const ColumnValue& RunRecord::metric(std::string_view name) const {
  static const ColumnValue null_value;
  const size_t index = metric_column_index(name);
  return index < metrics.size() ? metrics[index] : null_value;
}

std::optional<int64_t> RunRecord::metric_integer(std::string_view name) const {
  const ColumnValue& value = metric(name);
  if (const int64_t* integer = std::get_if<int64_t>(&value)) return *integer;
  if (const double* real = std::get_if<double>(&value)) return static_cast<int64_t>(*real);
  return std::nullopt;
}

std::optional<std::string> RunRecord::metric_text(std::string_view name) const {
  const ColumnValue& value = metric(name);
  if (const std::string* text = std::get_if<std::string>(&value)) return *text;
  return std::nullopt;
}

std::string to_display(const ColumnValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return "NULL";
  if (const int64_t* integer = std::get_if<int64_t>(&value)) return std::to_string(*integer);
  if (const double* real = std::get_if<double>(&value)) return fmt::format("{}", *real);
  return "'" + std::get<std::string>(value) + "'";
}

}  // namespace flinksim::reports
