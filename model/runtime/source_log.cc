#include "model/runtime/source_log.h"

namespace flinksim::model::runtime {

SourceLog::SourceLog(const graph::JobVertex& vertex, uint32_t vertex_index,
                     const DataPlaneOptions& options, uint64_t seed)
    : vertex_(vertex),
      seed_(mix64(seed ^ mix64(0x50u + vertex_index))),
      keys_(vertex.operator_spec.keys.value_or(options.default_keys)),
      records_per_simulated_record_(options.records_per_simulated_record) {
  const graph::OperatorSpec& spec = vertex.operator_spec;
  if (spec.rate_per_second && *spec.rate_per_second > 0) {
    rate_ = *spec.rate_per_second;
  } else {
    // A bounded source without a rate runs as fast as its downstream takes the records (rate 0);
    // an unbounded one gets the default rate.
    rate_ = spec.records ? 0.0 : options.default_unbounded_rate;
  }
  // Simulated records: a partition holds 1/n as many, produced at 1/n of the rate.
  rate_ /= static_cast<double>(records_per_simulated_record_);
  if (rate_ > 0) pacing_.emplace(rate_);
  if (spec.key_distribution == graph::KeyDistribution::zipf) {
    zipf_.emplace(static_cast<uint64_t>(keys_), spec.zipf_exponent);
  }
}

std::optional<int64_t> SourceLog::records_in_partition(uint32_t partition) const {
  const auto& records = vertex_.operator_spec.records;
  if (!records) return std::nullopt;
  const int64_t p = vertex_.parallelism;
  // Split evenly; the first `records % p` partitions take one more; a partial last group counts
  // as a whole simulated record.
  const int64_t real = *records / p + (static_cast<int64_t>(partition) < *records % p ? 1 : 0);
  return (real + records_per_simulated_record_ - 1) / records_per_simulated_record_;
}

Record SourceLog::record_at(uint32_t partition, int64_t offset) const {
  const uint64_t id = source_record_id(partition, offset);
  sim::Rng rng(seed_ ^ mix64(id));
  Record record;
  record.key = zipf_ ? static_cast<int64_t>(zipf_->sample(rng)) - 1 : rng.uniform_int(0, keys_ - 1);
  record.value = rng.uniform_int(1, 100);
  const double nominal_rate = rate_ > 0 ? rate_ : 1000.0 / static_cast<double>(records_per_simulated_record_);
  int64_t ts = static_cast<int64_t>(static_cast<double>(offset + 1) * 1e9 / nominal_rate);
  const int64_t lateness = vertex_.operator_spec.out_of_orderness.count_nanoseconds();
  if (lateness > 0) ts -= rng.uniform_int(0, lateness);
  record.timestamp = std::max<int64_t>(ts, 0);
  record.lineage = Lineage::of_source_record(id);
  return record;
}

}  // namespace flinksim::model::runtime
