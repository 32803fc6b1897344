#include "model/runtime/stream_task.h"

#include <algorithm>

#include "sim/assert.h"

namespace flinksim::model::runtime {

namespace {

// The chain's declared state as one: a task has one state backend for all its chained operators
// (Flink's StreamTaskStateInitializerImpl gives each operator a backend of the same task, and
// their snapshots go out together), so sizes and rates add up.
graph::OperatorSpec declared_state_of(const graph::JobVertex& vertex) {
  graph::OperatorSpec total;
  for (const graph::ChainedOperator& op : vertex.operators) {
    total.state_size_bytes += op.spec.state_size_bytes;
    total.state_growth_bytes_per_second += op.spec.state_growth_bytes_per_second;
    total.state_change_bytes_per_second += op.spec.state_change_bytes_per_second;
  }
  return total;
}

}  // namespace

// An operator's collector: what it emits goes to the operators chained to it and the
// partitions it writes (Flink's ChainingOutput and RecordWriterOutput).
class StreamTask::Output final : public operators::Collector {
 public:
  Output(StreamTask& task, uint32_t index) : task_(task), index_(index) {}
  void collect(const Record& record) override { task_.emit(index_, record); }

 private:
  StreamTask& task_;
  uint32_t index_;
};

StreamTask::StreamTask(TaskHost& host, const ClusterOptions& options,
                       const TaskDeploymentDescriptor& deployment)
    : host_(host),
      process_(host.process()),
      options_(options),
      attempt_(deployment.attempt),
      leader_session_(deployment.leader_session),
      name_(deployment.task_name),
      vertex_(options.job.vertex(deployment.attempt.vertex.vertex)),
      declared_state_(declared_state_of(vertex_)),
      state_size_(declared_state_, options.checkpointing) {
  if (deployment.inputs.empty()) {
    log_partition_ = attempt_.vertex.subtask;
    log_ = std::make_unique<SourceLog>(vertex_, vertex_.stream_index, options.data_plane, options.seed);
    end_offset_ = log_->records_in_partition(log_partition_);
    // Planted bug source-skips-last-record (cmake/planted_bugs.cmake): every source subtask ends
    // one record early, in failure-free runs too.
#ifdef FLINKSIM_PLANTED_BUG_SOURCE_SKIPS_LAST_RECORD
    if (end_offset_ && *end_offset_ > 0) *end_offset_ -= 1;
#endif
  } else {
    gate_ = std::make_unique<InputGate>(process_, attempt_, deployment.inputs, options.data_plane, host, *this);
    valve_.emplace(deployment.inputs.size());
    channel_ended_.assign(deployment.inputs.size(), false);
    channel_data_ended_.assign(deployment.inputs.size(), false);
  }
  build_chain();
  for (const ResultPartitionDescriptor& descriptor : deployment.outputs) {
    outputs_.push_back(host.create_partition(descriptor));
    outputs_.back()->set_listener([this] { schedule_step(); });
    operator_outputs_[options.job.edge(descriptor.id.edge).producer_operator].push_back(outputs_.size() - 1);
  }
  if (has_sink() && vertex_.operators[*sink_operator_].spec.delivery == graph::SinkDelivery::exactly_once) {
    transaction_ = TransactionId{attempt_.vertex, leader_session_.value, attempt_.attempt,
                                 next_transaction_++};
  }
  barrier_received_.assign(deployment.inputs.size(), false);
  recording_.assign(deployment.inputs.size(), false);
  // Unaligned checkpoints need exactly-once mode (Flink ignores them otherwise).
  // Unaligned checkpoints need exactly-once mode (Flink ignores them otherwise), and a task with a
  // pointwise or broadcast input aligns all its inputs.
  unaligned_ = options.checkpointing.unaligned && options.checkpointing.mode == CheckpointingMode::exactly_once &&
               std::all_of(deployment.inputs.begin(), deployment.inputs.end(),
                           [](const InputChannelDescriptor& input) { return input.may_be_unaligned; });
  starts_unaligned_ = unaligned_ && options.checkpointing.aligned_checkpoint_timeout <= sim::Duration::zero();
  if (deployment.restore) restore(*deployment.restore);
  restored_ = deployment.restore.has_value();
  last_aborted_ = deployment.last_aborted_checkpoint;
}

void StreamTask::build_chain() {
  const std::vector<graph::ChainedOperator>& chain = vertex_.operators;
  chained_.resize(chain.size());
  operator_outputs_.resize(chain.size());
  for (uint32_t i = 0; i < chain.size(); ++i) {
    const bool source = i == 0 && is_source();
    operators_.push_back(source ? nullptr : operators::create_operator(chain[i].spec));
    collectors_.push_back(std::make_unique<Output>(*this, i));
    // A simulated record costs what the real records it stands for cost.
    costs_.push_back(chain[i].spec.cost_per_record * options_.data_plane.records_per_simulated_record);
    if (costs_.back() != sim::Duration::zero()) costs_nothing_ = false;
    if (i > 0) chained_[chain[i].input].push_back(i);
    if (chain[i].spec.kind == graph::OperatorKind::sink) sink_operator_ = i;
  }
}

void StreamTask::restore(const checkpoint::TaskStateSnapshot& state) {
  state_size_.restore(state);
  // Planted bug source-offsets-not-restored (cmake/planted_bugs.cmake): sources restart at 0.
#ifndef FLINKSIM_PLANTED_BUG_SOURCE_OFFSETS_NOT_RESTORED
  if (state.source_offset) next_offset_ = *state.source_offset;
#endif
  if (reads_log()) restored_log_epoch_ = state.source_log_epoch;
  // The task's one snapshot holds every chained operator's state (Flink's TaskStateSnapshot maps
  // each OperatorID to its state).
  for (size_t i = 0; i < operators_.size() && i < state.operator_keyed_state.size(); ++i) {
    if (operators_[i]) operators_[i]->restore_keyed_state(state.operator_keyed_state[i]);
  }
  restored_finished_ = state.finished;
  // TwoPhaseCommitSinkFunction.initializeState: commit what the checkpoint pre-committed (the
  // store ignores transactions it already committed); the failed attempt's open transaction
  // was never committed and stays invisible.
  // Planted bug restored-sink-skips-pending-commits (cmake/planted_bugs.cmake): a restored sink
  // forgets the transactions its checkpoint pre-committed; their records are lost when the
  // failure came after the checkpoint completed but before the sink heard of it.
#ifndef FLINKSIM_PLANTED_BUG_RESTORED_SINK_SKIPS_PENDING_COMMITS
  pre_committed_ = state.pending_transactions;
#endif
  restored_input_ = state.input_channel_state;
  restored_output_ = state.output_channel_state;
}

void StreamTask::replay_channel_state() {
  // Output channel state goes out first, then the input channel state is processed, before any
  // new input (Flink's channel state recovery).
  for (size_t p = 0; p < restored_output_.size() && p < outputs_.size(); ++p) {
    for (size_t sp = 0; sp < restored_output_[p].size(); ++sp) {
      for (const Record& record : restored_output_[p][sp]) outputs_[p]->emit_to(static_cast<uint32_t>(sp), record);
    }
  }
  restored_output_.clear();
  if (!is_source()) {
    for (const Record& record : restored_input_) push(0, record);
    counters_.records_in += static_cast<int64_t>(restored_input_.size());
  }
  restored_input_.clear();
  step_busy_ = sim::Duration::zero();  // restored records cost no CPU time here
}

StreamTask::~StreamTask() {
  DataPlaneStats& stats = host_.stats();
  stats.records_generated += counters_.records_generated;
  stats.records_in += counters_.records_in;
  stats.peak_output_buffers = std::max(stats.peak_output_buffers, counters_.peak_output_buffers);
  stats.peak_input_buffers = std::max(stats.peak_input_buffers, counters_.peak_input_buffers);
  for (const auto& output : outputs_) stats.data_buffers_sent += output->counters().data_buffers_sent;
  if (gate_) stats.data_buffers_received += gate_->counters().data_buffers_received;
  // The last attempt to finish holds the subtask's final state: it replaces what an earlier
  // finished attempt left (a batch job run again from scratch finishes its subtasks twice).
  if (finished_) {
    std::vector<operators::KeyedStateEntry> state;
    for (const auto& op : operators_) {
      if (!op) continue;  // a chain's source head keeps no keyed state
      const std::vector<operators::KeyedStateEntry> entries = op->snapshot_keyed_state();
      state.insert(state.end(), entries.begin(), entries.end());
    }
    if (operators_.size() > 1 || operators_.front()) stats.final_keyed_state[attempt_.vertex] = std::move(state);
  }
  for (auto& output : outputs_) output->set_listener(nullptr);
  if (!uploading_.empty() && process_.alive()) abort_upload(std::nullopt);
  process_.cancel_timer(step_timer_);
  process_.cancel_timer(source_timer_);
  process_.cancel_timer(flusher_timer_);
  process_.cancel_timer(watermark_timer_);
  process_.cancel_timer(alignment_timer_);
}

void StreamTask::start() {
  running_ = true;
  state_size_.start(process_.now());
  for (const auto& [transaction, checkpoint] : pre_committed_) commit(transaction);
  pre_committed_.clear();
  if (transaction_ && (attempt_.attempt > 0 || restored_)) {
    // After the commits above (the store applies requests in order): whatever earlier attempts
    // left open can never be committed any more.
    auto abort = std::make_shared<SinkAbortLingering>();
    abort->sink = attempt_.vertex;
    abort->before_attempt = attempt_.attempt;
    abort->before_leader_session = leader_session_.value;
    abort->sequence = next_sink_sequence_++;
    const uint64_t sequence = abort->sequence;
    send_to_sink_store(std::move(abort), sequence);
  }
  replay_channel_state();
  if (gate_) gate_->request_partitions();
  if (is_source()) {
    start_pacing();
    if (!outputs_.empty()) {
      watermark_timer_ = process_.set_timer(options_.data_plane.auto_watermark_interval,
                                            [this] { emit_source_watermark(); });
    }
  }
  arm_flusher();
  schedule_step();
}

bool StreamTask::reads_log() const {
  const graph::OperatorSpec& spec = vertex_.operator_spec;
  const bool bounded = spec.records.has_value();
  return spec.backlog.value_or(bounded ? graph::SourceBacklog::none : graph::SourceBacklog::log) ==
         graph::SourceBacklog::log;
}

void StreamTask::start_pacing() {
  // A log grew at the rate from the source's first start on: a restored source's head is where
  // the log is now, and the backlog up to it is due at once. A generator resumes at its rate
  // from where it was restored.
  if (restored_log_epoch_) {
    pacing_start_ = *restored_log_epoch_;
    pacing_origin_ = 0;
    catching_up_ = true;
    return;
  }
  pacing_start_ = process_.now();
  pacing_origin_ = next_offset_;
}

void StreamTask::track_catch_up(int64_t due) {
  if (!catching_up_) return;
  DataPlaneStats& stats = host_.stats();
  if (next_offset_ < due) return;
  catching_up_ = false;
  stats.last_caught_up = std::max(stats.last_caught_up.value_or(process_.now()), process_.now());
  process_.context().trace_event(name_, "caught-up", "offset=" + std::to_string(next_offset_));
}

void StreamTask::arm_flusher() {
  if (outputs_.empty()) return;
  // Flink's OutputFlusher: partially filled buffers leave at least every buffer timeout.
  flusher_timer_ = process_.set_timer(options_.data_plane.buffer_timeout, [this] {
    if (finished_ || failed_) return;
    for (auto& output : outputs_) output->flush();
    arm_flusher();
  });
}

void StreamTask::schedule_step() {
  if (in_step_) {
    wake_requested_ = true;  // the running step decides what comes next
    return;
  }
  if (!running_ || step_scheduled_ || finished_ || failed_) return;
  step_scheduled_ = true;
  step_timer_ = process_.set_timer(sim::Duration::zero(), [this] {
    step_scheduled_ = false;
    step();
  });
}

void StreamTask::step() {
  if (finished_ || failed_) return;
  in_step_ = true;
  wake_requested_ = false;
  std::optional<int64_t> processed;
  if (is_source()) {
    processed = source_step();
  } else {
    processed = input_step();
  }
  in_step_ = false;
  for (const auto& output : outputs_) {
    counters_.peak_output_buffers = std::max(counters_.peak_output_buffers, output->buffers_in_use());
  }
  if (gate_) counters_.peak_input_buffers = std::max(counters_.peak_input_buffers, gate_->queued_data_buffers());
  if (has_sink()) flush_sink_writes();
  maybe_finish();
  if (!processed) {
    // Idle: an input, a credit or the source timer wakes the task, unless one already did.
    if (wake_requested_) schedule_step();
    return;
  }
  // Busy for the records' CPU cost, then take the next unit of work; a source that emitted
  // everything due at no cost sleeps until its next record is due.
  // What the records cost in every operator they passed; costs of work done between steps (a
  // source's watermark firing a chained window) are charged here too.
  const sim::Duration busy = step_busy_;
  step_busy_ = sim::Duration::zero();
  if (sleeping_ && busy == sim::Duration::zero() && !wake_requested_) return;
  step_scheduled_ = true;
  step_timer_ = process_.set_timer(busy, [this] {
    step_scheduled_ = false;
    step();
  });
}

bool StreamTask::outputs_available() const {
  return std::all_of(outputs_.begin(), outputs_.end(),
                     [](const auto& output) { return output->is_available(); });
}

void StreamTask::emit(uint32_t index, const Record& record) {
  if (sink_operator_ == index) {
    ++counters_.records_out;
    pending_writes_.push_back(record);
    return;
  }
  for (uint32_t next : chained_[index]) push(next, record);
  for (size_t output : operator_outputs_[index]) outputs_[output]->emit(record);
  if (!operator_outputs_[index].empty()) ++counters_.records_out;
}

void StreamTask::push(uint32_t index, const Record& record) {
  step_busy_ += costs_[index];
  operators_[index]->process(record, *collectors_[index]);
}

void StreamTask::handle_watermark(uint32_t index, int64_t watermark) {
  if (operators_[index] && !restored_finished_) operators_[index]->on_watermark(watermark, *collectors_[index]);
  const BufferEvent event{BufferEvent::Kind::watermark, watermark};
  for (size_t output : operator_outputs_[index]) outputs_[output]->broadcast_event(event);
  for (uint32_t next : chained_[index]) handle_watermark(next, watermark);
}

void StreamTask::broadcast(BufferEvent event) {
  for (auto& output : outputs_) output->broadcast_event(event);
}

// ---- Sources -----------------------------------------------------------------------------------

std::optional<int64_t> StreamTask::source_step() {
  if (input_ended_) return std::nullopt;
  if (end_offset_ && next_offset_ >= *end_offset_) {
    end_of_input();
    return std::nullopt;
  }
  if (!outputs_available()) return std::nullopt;
  const int64_t chunk = options_.data_plane.records_per_buffer();
  int64_t limit = next_offset_ + chunk;
  if (end_offset_) limit = std::min(limit, *end_offset_);
  if (const auto& pacing = log_->pacing()) {
    int64_t due = pacing_origin_ + pacing->records_due(process_.now() - pacing_start_);
    if (end_offset_) due = std::min(due, *end_offset_);
    if (catching_up_) host_.stats().max_lag_records = std::max(host_.stats().max_lag_records, due - next_offset_);
    host_.stats().note_lag(process_.now(), due - next_offset_);
    limit = std::min(limit, due);
    if (limit <= next_offset_) {
      arm_source_timer(pacing_start_ + pacing->due_after(next_offset_ - pacing_origin_ + 1));
      return std::nullopt;
    }
  }
  int64_t generated = 0;
  while (next_offset_ < limit && outputs_available()) {
    const Record record = log_->record_at(log_partition_, next_offset_++);
    max_timestamp_ = std::max(max_timestamp_, record.timestamp);
    step_busy_ += costs_[0];
    emit(0, record);
    ++generated;
  }
  counters_.records_generated += generated;
  if (const auto& pacing = log_->pacing(); pacing && catching_up_) {
    track_catch_up(pacing_origin_ + pacing->records_due(process_.now() - pacing_start_));
  }
  if (costs_nothing_) sleep_until_next_record_due();
  return generated;
}

void StreamTask::sleep_until_next_record_due() {
  // Everything due is out: instead of a step that would only find nothing due and then arm the
  // timer, arm it now (one kernel event per wake-up rather than three).
  const auto& pacing = log_->pacing();
  if (!pacing || (end_offset_ && next_offset_ >= *end_offset_) || !outputs_available()) return;
  const sim::Duration elapsed = process_.now() - pacing_start_;
  if (pacing_origin_ + pacing->records_due(elapsed) > next_offset_) return;
  arm_source_timer(pacing_start_ + pacing->due_after(next_offset_ - pacing_origin_ + 1));
}

void StreamTask::arm_source_timer(sim::Instant at) {
  process_.cancel_timer(source_timer_);
  sleeping_ = true;
  source_timer_ = process_.set_timer(std::max(at - process_.now(), sim::Duration::zero()), [this] {
    sleeping_ = false;
    // The wake-up is the step itself, unless one is already on its way.
    if (!running_ || step_scheduled_ || in_step_ || finished_ || failed_) return schedule_step();
    step();
  });
}

void StreamTask::emit_source_watermark() {
  if (finished_ || failed_ || input_ended_) return;
  // BoundedOutOfOrdernessWatermarks: the largest timestamp seen minus the bound, minus 1.
  if (max_timestamp_ != INT64_MIN) {
    const int64_t watermark = max_timestamp_ - vertex_.operator_spec.out_of_orderness.count_nanoseconds() - 1;
    if (watermark > emitted_watermark_) {
      emitted_watermark_ = watermark;
      handle_watermark(0, watermark);
    }
  }
  watermark_timer_ = process_.set_timer(options_.data_plane.auto_watermark_interval,
                                        [this] { emit_source_watermark(); });
}

// ---- Inputs ------------------------------------------------------------------------------------

std::optional<int64_t> StreamTask::input_step() {
  // Waiting for the final checkpoint, the task still reads its channels' barriers and ends.
  if (input_ended_ && !awaiting_final_checkpoint_) return std::nullopt;
  if (pending_watermark_ && !current_channel_) return take_pending_watermark();
  const std::optional<size_t> channel = current_channel_ ? current_channel_ : gate_->next_readable();
  if (!channel) return std::nullopt;
  NetworkBuffer& head = gate_->head(*channel);
  if (!head.is_event) return process_data(*channel);
  // Events are handled only once earlier buffers are out: an operator's output must not be
  // overtaken by the watermark or end of partition that follows it.
  if (!outputs_available()) return std::nullopt;
  const BufferEvent event = head.event;
  gate_->pop(*channel);
  switch (event.kind) {
    case BufferEvent::Kind::watermark: on_watermark_event(*channel, event.value); break;
    case BufferEvent::Kind::end_of_partition: on_end_of_partition(*channel); break;
    case BufferEvent::Kind::end_of_data: on_end_of_data(*channel, event.value); break;
    case BufferEvent::Kind::checkpoint_barrier:
      if (event.savepoint) savepoints_.insert(event.value);
      on_barrier(*channel, event.value, event.timestamp);
      break;
    case BufferEvent::Kind::cancel_checkpoint_marker: on_cancel_checkpoint_marker(event.value); break;
  }
  return 0;
}

std::optional<int64_t> StreamTask::process_data(size_t channel) {
  NetworkBuffer& head = gate_->head(channel);
  const size_t size = head.records.size();
  int64_t processed = 0;
  while (position_in_buffer_ < size && outputs_available()) {
    push(0, head.records[position_in_buffer_++]);
    ++processed;
  }
  counters_.records_in += processed;
  if (position_in_buffer_ >= size) {
    position_in_buffer_ = 0;
    current_channel_.reset();
    gate_->pop(channel);
  } else {
    current_channel_ = channel;  // finish this buffer before any other input
  }
  // Blocked on the output with nothing done: idle until a buffer frees up.
  if (processed == 0 && position_in_buffer_ < size) return std::nullopt;
  return processed;
}

std::optional<int64_t> StreamTask::take_pending_watermark() {
  if (!outputs_available()) return std::nullopt;
  const int64_t watermark = *pending_watermark_;
  pending_watermark_.reset();
  advance_watermark(watermark);
  return 0;
}

void StreamTask::on_watermark_event(size_t channel, int64_t watermark) {
  if (const std::optional<int64_t> combined = valve_->on_watermark(channel, watermark)) advance_watermark(*combined);
}

void StreamTask::advance_watermark(int64_t watermark) {
  if (watermark <= watermark_) return;
  watermark_ = watermark;
  handle_watermark(0, watermark);
}

void StreamTask::on_end_of_data(size_t channel, int64_t stop_mode) {
  if (stop_mode != 0) stop_mode_ = static_cast<StopMode>(stop_mode);
  // EndOfData: the producer's data ended, its barriers and its end of partition are still to
  // come. When every channel's data ended, event time is over and the operator finishes.
  if (channel_data_ended_[channel]) return;
  channel_data_ended_[channel] = true;
  if (++channels_data_ended_ < channel_data_ended_.size()) return;
  // StreamTask#endData(NO_DRAIN): event time does not advance, nothing fires.
  if (!stopping_without_drain()) advance_watermark(kMaxWatermark);
  end_of_input();
}

void StreamTask::on_end_of_partition(size_t channel) {
  if (channel_ended_[channel]) return;
  channel_ended_[channel] = true;
  if (!barrier_received_[channel]) ++channels_aligned_;
  if (!channel_data_ended_[channel]) {
    channel_data_ended_[channel] = true;
    ++channels_data_ended_;
  }
  if (recording_[channel]) {
    recording_[channel] = false;
    maybe_complete_unaligned();
  }
  // An ended channel owes no barrier (Flink's barrier handler counts EndOfPartition as one): if
  // the other channels' barriers are in, the alignment is complete. Otherwise the channels
  // blocked for it would stay blocked, their own end of partition behind them, for good.
  maybe_complete_alignment();
  ++channels_ended_;
  if (channels_ended_ < channel_ended_.size()) {
    if (const std::optional<int64_t> combined = valve_->on_channel_ended(channel)) advance_watermark(*combined);
    return;
  }
  // Every input ended: event time is over (bounded sources end with MAX_WATERMARK), unless the
  // job stopped without draining.
  if (!stopping_without_drain()) advance_watermark(kMaxWatermark);
  end_of_input();
  maybe_end_after_final_checkpoint();
}

void StreamTask::end_of_input() {
  if (input_ended_) return;
  input_ended_ = true;
  // A bounded source ends event time through its whole chain (not when stopping without drain).
  if (is_source() && !stopping_without_drain()) handle_watermark(0, kMaxWatermark);
  if (has_sink()) {
    flush_sink_writes();
    if (transaction_ && !waits_for_final_checkpoint()) {
      // The input ended and no final checkpoint will come (checkpointing off, a batch job, or
      // checkpoints-after-tasks-finish false): everything pre-committed and the open
      // transaction commit now, the end-of-input flush.
      for (const auto& [transaction, checkpoint] : pre_committed_) commit(transaction);
      pre_committed_.clear();
      commit(*transaction_);
    }
  }
  if (waits_for_final_checkpoint()) {
    // The open transaction holds the last writes: the final checkpoint pre-commits it and its
    // completion commits it.
    awaiting_final_checkpoint_ = true;
    broadcast(BufferEvent{BufferEvent::Kind::end_of_data,
                          stop_mode_ ? static_cast<int64_t>(*stop_mode_) : 0});
    process_.context().trace_event(name_, "end-of-data", "");
    return;
  }
  for (auto& output : outputs_) output->finish();
  maybe_finish();
}

bool StreamTask::waits_for_final_checkpoint() const {
  // Flink's StreamTask#areCheckpointsWithFinishedTasksEnabled; a batch job does not checkpoint.
  // A stopping job waits for its synchronous savepoint whatever the option says.
  if (stop_mode_) return true;
  return options_.checkpointing.enabled() && options_.checkpointing.checkpoints_after_tasks_finish &&
         options_.job.mode() == graph::JobMode::streaming;
}

void StreamTask::maybe_end_after_final_checkpoint() {
  if (!awaiting_final_checkpoint_ || !final_checkpoint_completed_) return;
  if (gate_ && channels_ended_ < channel_ended_.size()) return;
  awaiting_final_checkpoint_ = false;
  for (auto& output : outputs_) output->finish();
  maybe_finish();
}

void StreamTask::maybe_finish() {
  if (!input_ended_ || awaiting_final_checkpoint_ || finished_ || failed_) return;
  // After the final checkpoint, snapshots still uploading are acknowledged first (Flink's
  // waitForPendingCheckpoints).
  if (waits_for_final_checkpoint() && !uploading_.empty()) return;
  // A sink ends only when the store acknowledged everything (the producer's flush on close).
  if (unacknowledged_sink_requests_ > 0) return;
  for (const auto& output : outputs_) {
    if (!output->is_drained()) return;
  }
  finished_ = true;
  host_.on_task_finished(attempt_);
}

// ---- Checkpoints -------------------------------------------------------------------------------

void StreamTask::trigger_checkpoint(checkpoint::CheckpointId id, sim::Instant timestamp,
                                    checkpoint::SnapshotType type) {
  if (!running_ || (input_ended_ && !awaiting_final_checkpoint_) || finished_ || failed_) {
    decline(id, "TASK_NOT_READY", false);
    return;
  }
  if (is_source() && checkpoint::is_synchronous(type) && !input_ended_) {
    // The data ends before the barrier: EndOfData(StopMode) goes out first, then the savepoint's
    // barrier, so every downstream task has ended its data when it snapshots.
    stop_mode_ = type == checkpoint::SnapshotType::savepoint_terminate ? StopMode::drain
                                                                       : StopMode::no_drain;
    process_.context().trace_event(name_, "stop-with-savepoint",
                                   stopping_without_drain() ? "no-drain" : "drain");
    end_of_input();
  }
  if (id > barrier_id_) {
    barrier_id_ = id;
    barrier_timestamp_ = timestamp.nanoseconds_since_start();
  }
  if (type != checkpoint::SnapshotType::checkpoint) savepoints_.insert(id);
  if (is_source()) {
    perform_checkpoint(id);
    return;
  }
  // Every producer finished (FLIP-147): the barrier is taken on the channels that have not
  // delivered their end of partition yet, as if it had arrived there.
  bool unfinished = false;
  for (size_t c = 0; c < channel_ended_.size(); ++c) {
    if (channel_ended_[c]) continue;
    unfinished = true;
    if (starts_unaligned_for(id)) {
      on_unaligned_barrier(c, id);
    } else {
      on_barrier(c, id, timestamp.nanoseconds_since_start());
    }
  }
  if (!unfinished) perform_checkpoint(id);
}

void StreamTask::on_barrier(size_t channel, checkpoint::CheckpointId id, int64_t timestamp) {
  if (is_aborted(id)) {
    forward_cancellation(id);
    return;
  }
  if (unaligned_id_ && id == *unaligned_id_) {
    // The checkpoint switched to unaligned: this channel's in-flight records are all recorded.
    recording_[channel] = false;
    maybe_complete_unaligned();
    return;
  }
  // A barrier of a checkpoint already taken here (it switched to unaligned, and its in-band
  // barriers are read only now), or of an older one already given up.
  if (id <= last_snapshot_ || (aligning_ && id < *aligning_)) return;
  if (!aligning_ || id > *aligning_) begin_alignment(id, timestamp);
  if (!barrier_received_[channel] && !channel_ended_[channel]) ++channels_aligned_;
  barrier_received_[channel] = true;
  // EXACTLY_ONCE aligns: the channel holds back its data until every barrier arrived.
  // AT_LEAST_ONCE only counts barriers (CheckpointBarrierTracker).
  // Planted bug aligned-barriers-do-not-block (cmake/planted_bugs.cmake): records behind a
  // barrier reach the snapshot of the checkpoint they come after.
#ifndef FLINKSIM_PLANTED_BUG_ALIGNED_BARRIERS_DO_NOT_BLOCK
  if (options_.checkpointing.mode == CheckpointingMode::exactly_once) gate_->set_blocked(channel, true);
#endif
  maybe_complete_alignment();
}

void StreamTask::begin_alignment(checkpoint::CheckpointId id, int64_t timestamp) {
  // A newer barrier overtakes an unfinished alignment: that checkpoint cannot complete here.
  // The channels blocked for it resume (Flink's barrier handler aborts the old alignment):
  // a channel left blocked would hold back its own newer barrier for good. Only a restored
  // task fed by producers that kept running (approximate recovery) sees this: the barrier of
  // an aborted checkpoint still queued in one channel, the next one in another.
  if (aligning_) {
    decline(*aligning_, "CHECKPOINT_DECLINED_SUBSUMED", false);
    for (size_t c = 0; c < barrier_received_.size(); ++c) gate_->set_blocked(c, false);
  }
  aligning_ = id;
  if (id > barrier_id_) {
    barrier_id_ = id;
    barrier_timestamp_ = timestamp;
  }
  std::fill(barrier_received_.begin(), barrier_received_.end(), false);
  channels_aligned_ = channels_ended_;
  if (unaligned_ && !is_savepoint(id)) {
    process_.cancel_timer(alignment_timer_);
    alignment_timer_ = process_.set_timer(alignment_timer_delay(timestamp),
                                          [this, id] { switch_to_unaligned(id); });
  }
}

sim::Duration StreamTask::alignment_timer_delay(int64_t timestamp) const {
  const sim::Duration since_start =
      process_.now() -
      sim::Instant::from_nanoseconds(std::min(timestamp, process_.now().nanoseconds_since_start()));
  return std::max(options_.checkpointing.aligned_checkpoint_timeout - since_start,
                  sim::Duration::zero());
}

void StreamTask::on_barrier_announcement(checkpoint::CheckpointId id, int64_t timestamp) {
  if (is_aborted(id) || id <= last_snapshot_ || (unaligned_id_ && id <= *unaligned_id_)) return;
  if (aligning_ && id <= *aligning_) return;
  begin_alignment(id, timestamp);
}

void StreamTask::maybe_complete_alignment() {
  if (!aligning_ || channels_aligned_ < barrier_received_.size()) return;
  const checkpoint::CheckpointId id = *aligning_;
  aligning_.reset();
  process_.cancel_timer(alignment_timer_);
  for (size_t c = 0; c < barrier_received_.size(); ++c) gate_->set_blocked(c, false);
  upload(id, snapshot_and_forward(id, false));
}

checkpoint::TaskStateSnapshot StreamTask::snapshot_and_forward(checkpoint::CheckpointId id, bool unaligned) {
  // SubtaskCheckpointCoordinatorImpl: prepare (sinks pre-commit), emit the barrier downstream,
  // take the synchronous snapshot; the upload is the asynchronous part.
  checkpoint::TaskStateSnapshot state;
  last_snapshot_ = std::max(last_snapshot_, id);
  // Taken after the end of data: the operators have finished (Flink's finished operator state).
  state.finished = input_ended_ && !stopping_without_drain();
  if (awaiting_final_checkpoint_ && !final_checkpoint_min_) final_checkpoint_min_ = id;
  if (is_source()) state.source_offset = next_offset_;
  if (is_source() && reads_log() && pacing_origin_ == 0) state.source_log_epoch = pacing_start_;
  // All chained operators snapshot into the task's one snapshot, each under its position.
  for (const auto& op : operators_) {
    state.operator_keyed_state.push_back(op ? op->snapshot_keyed_state()
                                            : std::vector<operators::KeyedStateEntry>{});
  }
  if (transaction_) {
    flush_sink_writes();
    pre_committed_.emplace_back(*transaction_, id);
    // Planted bug commit-on-snapshot (cmake/planted_bugs.cmake): what the flag does, always.
#ifdef FLINKSIM_PLANTED_BUG_COMMIT_ON_SNAPSHOT
    notify_checkpoint_complete(id);
#else
    if (options_.checkpointing.planted_commit_on_snapshot) notify_checkpoint_complete(id);
#endif
    transaction_ = TransactionId{attempt_.vertex, leader_session_.value, attempt_.attempt,
                                 next_transaction_++};
    state.pending_transactions = pre_committed_;
  }
  const BufferEvent barrier{
      BufferEvent::Kind::checkpoint_barrier, id,
      barrier_id_ == id ? barrier_timestamp_ : process_.now().nanoseconds_since_start(), is_savepoint(id)};
  // Unaligned barriers overtake the output on exchanges that allow it; elsewhere they queue.
  for (auto& output : outputs_) {
    if (unaligned && output->descriptor().may_be_unaligned) {
      state.output_channel_state.push_back(output->broadcast_priority_event(barrier));
    } else {
      state.output_channel_state.emplace_back();
      output->broadcast_event(barrier);
    }
  }
  process_.context().trace_event(name_, "barrier", "id=" + std::to_string(id));
  return state;
}

void StreamTask::perform_checkpoint(checkpoint::CheckpointId id) {
  if (is_aborted(id)) {
    // Aborted before it was triggered here: no snapshot, and downstream need not align on it.
    forward_cancellation(id);
    return;
  }
  upload(id, snapshot_and_forward(id, starts_unaligned_for(id)));
}

void StreamTask::upload(checkpoint::CheckpointId id, checkpoint::TaskStateSnapshot state) {
  int64_t channel_records = static_cast<int64_t>(state.input_channel_state.size());
  for (const auto& partition : state.output_channel_state) {
    for (const auto& subpartition : partition) channel_records += static_cast<int64_t>(subpartition.size());
  }
  // The header, the keys the model keeps and the channel state are written whole every time;
  // the declared state (`state-size`) in full or incrementally (StateSizeTracker).
  int64_t always_whole = 1024 + channel_records * options_.data_plane.simulated_record_size_bytes();
  // Every chained operator's keys, each at its own bytes per key.
  for (size_t i = 0; i < vertex_.operators.size() && i < state.operator_keyed_state.size(); ++i) {
    always_whole += static_cast<int64_t>(state.operator_keyed_state[i].size()) *
                    std::max<int64_t>(vertex_.operators[i].spec.state_per_key_bytes, 16);
  }
  const int64_t declared_uploaded = state_size_.snapshot(id, process_.now(), state, savepoints_.erase(id) > 0);
  state.state_bytes = always_whole + state.declared_state_bytes;
  state.uploaded_bytes = always_whole + declared_uploaded;
  auto message = std::make_shared<checkpoint::UploadState>();
  message->attempt = attempt_;
  message->checkpoint = id;
  message->bytes = state.uploaded_bytes;
  uploading_[id] = std::move(state);
  host_.send_data(host_.checkpoint_storage(), std::move(message),
                  [self = std::weak_ptr(self_), id](sim::DeliveryFailure) {
                    if (auto task = self.lock()) (*task)->on_upload_failed(id);
                  });
  schedule_step();
}

void StreamTask::on_unaligned_barrier(size_t channel, checkpoint::CheckpointId id) {
  if (is_aborted(id)) {
    forward_cancellation(id);
    return;
  }
  if (unaligned_id_ && id < *unaligned_id_) return;
  if (unaligned_id_ && id == *unaligned_id_) {
    recording_[channel] = false;
    maybe_complete_unaligned();
    return;
  }
  if (unaligned_id_) decline(*unaligned_id_, "CHECKPOINT_DECLINED_SUBSUMED", false);
  unaligned_id_ = id;
  unaligned_state_ = snapshot_and_forward(id, true);
  // Everything received before the barrier and not processed yet is channel state: the queue of
  // the channel the barrier overtook, and on the others whatever arrives until their barrier.
  for (size_t c = 0; c < gate_->channel_count(); ++c) {
    const size_t position = current_channel_ == c ? position_in_buffer_ : 0;
    std::vector<Record> records = gate_->unprocessed_records(c, position).records;
    unaligned_state_.input_channel_state.insert(unaligned_state_.input_channel_state.end(), records.begin(),
                                                records.end());
    recording_[c] = c != channel && !channel_ended_[c];
  }
  maybe_complete_unaligned();
}

void StreamTask::switch_to_unaligned(checkpoint::CheckpointId id) {
  if (!aligning_ || *aligning_ != id || finished_ || failed_) return;
  aligning_.reset();
  process_.context().trace_event(name_, "aligned-checkpoint-timeout", "id=" + std::to_string(id));
  unaligned_id_ = id;
  unaligned_state_ = snapshot_and_forward(id, true);
  // Channels whose barrier arrived hold only later records (they were blocked); the others'
  // queued and still arriving records up to their barrier are channel state.
  for (size_t c = 0; c < gate_->channel_count(); ++c) {
    gate_->set_blocked(c, false);
    recording_[c] = !barrier_received_[c] && !channel_ended_[c];
    if (!recording_[c]) continue;
    // CheckpointedInputGate.convertToPriorityEvent: a barrier already queued in the channel
    // overtakes what is ahead of it, which is channel state; what follows it is not.
    const size_t position = current_channel_ == c ? position_in_buffer_ : 0;
    const UnprocessedRecords unprocessed = gate_->unprocessed_records(c, position, id);
    if (unprocessed.reached_barrier) recording_[c] = false;
    unaligned_state_.input_channel_state.insert(unaligned_state_.input_channel_state.end(),
                                                unprocessed.records.begin(),
                                                unprocessed.records.end());
  }
  maybe_complete_unaligned();
  schedule_step();
}

void StreamTask::maybe_complete_unaligned() {
  if (!unaligned_id_) return;
  if (std::any_of(recording_.begin(), recording_.end(), [](bool r) { return r; })) return;
  const checkpoint::CheckpointId id = *unaligned_id_;
  unaligned_id_.reset();
  upload(id, std::move(unaligned_state_));
  unaligned_state_ = {};
}

void StreamTask::on_upload_complete(checkpoint::CheckpointId id) {
  const auto it = uploading_.find(id);
  if (it == uploading_.end() || failed_) return;
  host_.keep_local_copy(attempt_.vertex, id, it->second.state_bytes);
  auto ack = std::make_shared<checkpoint::AcknowledgeCheckpoint>();
  ack->attempt = attempt_;
  ack->checkpoint = id;
  ack->state = std::move(it->second);
  uploading_.erase(it);
  host_.send_to_job_master(std::move(ack));
  maybe_finish();
}

void StreamTask::on_upload_failed(checkpoint::CheckpointId id) {
  if (uploading_.erase(id) == 0 || failed_) return;
  decline(id, "CHECKPOINT_ASYNC_EXCEPTION", true);
  maybe_finish();
}

void StreamTask::decline(checkpoint::CheckpointId id, const std::string& reason, bool counted) {
  auto message = std::make_shared<checkpoint::DeclineCheckpoint>();
  message->attempt = attempt_;
  message->checkpoint = id;
  message->reason = reason;
  message->counted = counted;
  host_.send_to_job_master(std::move(message));
}

void StreamTask::notify_checkpoint_complete(checkpoint::CheckpointId id) {
  state_size_.on_checkpoint_complete(id);
  // Commits every transaction pre-committed up to this checkpoint: notifications of earlier
  // checkpoints may have been skipped.
  auto it = pre_committed_.begin();
  while (it != pre_committed_.end() && it->second <= id) {
    commit(it->first);
    it = pre_committed_.erase(it);
  }
  if (awaiting_final_checkpoint_ && !final_checkpoint_completed_ && final_checkpoint_min_ &&
      id >= *final_checkpoint_min_) {
    final_checkpoint_completed_ = true;
    process_.context().trace_event(name_, "final-checkpoint-completed", "id=" + std::to_string(id));
    maybe_end_after_final_checkpoint();
  }
}

void StreamTask::abort_upload(std::optional<checkpoint::CheckpointId> id) {
  auto abort = std::make_shared<checkpoint::AbortUploads>();
  abort->attempt = attempt_;
  abort->checkpoint = id;
  host_.send_data(host_.checkpoint_storage(), std::move(abort), nullptr);
}

void StreamTask::notify_checkpoint_aborted(checkpoint::CheckpointId id) {
  // Pre-committed transactions stay pending: the next completed checkpoint commits them.
  if (uploading_.erase(id) > 0) abort_upload(id);
  last_aborted_ = std::max(last_aborted_, id);
  if (aligning_ && *aligning_ == id) abort_alignment(id);
  if (unaligned_id_ && *unaligned_id_ == id) {
    unaligned_id_.reset();
    unaligned_state_ = {};
    std::fill(recording_.begin(), recording_.end(), false);
  }
  maybe_finish();
}

void StreamTask::abort_alignment(checkpoint::CheckpointId up_to) {
  if (aligning_ && *aligning_ <= up_to) {
    aligning_.reset();
    process_.cancel_timer(alignment_timer_);
    for (size_t c = 0; c < barrier_received_.size(); ++c) gate_->set_blocked(c, false);
    schedule_step();
  }
  if (unaligned_id_ && *unaligned_id_ <= up_to) {
    unaligned_id_.reset();
    unaligned_state_ = {};
    std::fill(recording_.begin(), recording_.end(), false);
  }
}

void StreamTask::on_cancel_checkpoint_marker(checkpoint::CheckpointId id) {
  // A marker exists only for a checkpoint the coordinator already aborted, so nothing is
  // declined: the alignment is dropped, and the marker passes on once.
  last_aborted_ = std::max(last_aborted_, id);
  // An older checkpoint still aligning here is subsumed, as by a newer barrier.
  if (aligning_ && *aligning_ < id) decline(*aligning_, "CHECKPOINT_DECLINED_SUBSUMED", false);
  if (unaligned_id_ && *unaligned_id_ < id) decline(*unaligned_id_, "CHECKPOINT_DECLINED_SUBSUMED", false);
  abort_alignment(id);
  forward_cancellation(id);
}

void StreamTask::forward_cancellation(checkpoint::CheckpointId id) {
  if (id <= cancellation_forwarded_) return;
  cancellation_forwarded_ = id;
  broadcast(BufferEvent{BufferEvent::Kind::cancel_checkpoint_marker, id});
  process_.context().trace_event(name_, "cancel-checkpoint-marker", "id=" + std::to_string(id));
}

void StreamTask::commit(const TransactionId& transaction) {
  auto message = std::make_shared<SinkCommit>();
  message->transaction = transaction;
  message->leader_session = leader_session_;
  message->sequence = next_sink_sequence_++;
  const uint64_t sequence = message->sequence;
  send_to_sink_store(std::move(message), sequence);
}

// ---- Sinks -------------------------------------------------------------------------------------

void StreamTask::flush_sink_writes() {
  if (pending_writes_.empty()) return;
  auto write = std::make_shared<SinkWrite>();
  write->sink = attempt_.vertex;
  write->transaction = transaction_;
  write->transaction_timeout = vertex_.operators[*sink_operator_].spec.transaction_timeout;
  write->bytes = static_cast<int64_t>(pending_writes_.size()) * options_.data_plane.simulated_record_size_bytes();
  write->records = std::move(pending_writes_);
  pending_writes_.clear();
  write->sequence = next_sink_sequence_++;
  const uint64_t sequence = write->sequence;
  send_to_sink_store(std::move(write), sequence);
}

void StreamTask::send_to_sink_store(std::shared_ptr<sim::Message> message, uint64_t sequence) {
  (void)sequence;
  ++unacknowledged_sink_requests_;
  host_.send_data(host_.sink_store(), std::move(message), [self = std::weak_ptr(self_)](sim::DeliveryFailure) {
    if (auto task = self.lock()) {
      (*task)->fail(FailureCause{FailureCause::Kind::task_exception,
                                 "IOException: the sink store is not reachable", {}});
    }
  });
}

void StreamTask::on_sink_ack(uint64_t sequence, SinkRefusal refusal) {
  (void)sequence;
  if (unacknowledged_sink_requests_ > 0) --unacknowledged_sink_requests_;
  if (refusal == SinkRefusal::producer_fenced) {
    // KafkaWriter: the store aborted the open transaction for its timeout and fenced the
    // producer; the write fails and so does the task.
    return fail(FailureCause{FailureCause::Kind::task_exception,
                             "ProducerFencedException: the transaction timed out and was aborted",
                             {}});
  }
  if (refusal == SinkRefusal::transaction_aborted) {
    // KafkaCommitter: a pre-committed transaction the store aborted cannot be committed; the
    // committable is given up ("data has been potentially lost") and the job goes on.
    process_.context().trace_event(name_, "commit-failed", "transaction timed out, data lost");
  }
  maybe_finish();
}

// ---- Channels and failures ---------------------------------------------------------------------

void StreamTask::on_buffer(TransferBuffer& message) {
  if (!gate_ || finished_ || failed_) return;
  const std::optional<size_t> channel = gate_->channel_of(message);
  if (!channel) return;  // not this gate's (an earlier attempt's channel)
  if (unaligned_) {
    const NetworkBuffer& buffer = message.buffer;
    const bool barrier = buffer.is_event && buffer.event.kind == BufferEvent::Kind::checkpoint_barrier;
    if (barrier && buffer.event.savepoint) savepoints_.insert(buffer.event.value);
    if (barrier && starts_unaligned_for(buffer.event.value)) {
      // A priority event: it is handled on arrival, ahead of the channel's queued data.
      on_unaligned_barrier(*channel, buffer.event.value);
      return;
    }
    if (buffer.is_event && buffer.event.kind == BufferEvent::Kind::checkpoint_barrier && unaligned_id_ &&
        buffer.event.value == *unaligned_id_ && recording_[*channel]) {
      // After a switch to unaligned, the in-band barrier ends the channel's in-flight records.
      recording_[*channel] = false;
      maybe_complete_unaligned();
    } else if (barrier && !buffer.event.savepoint) {
      on_barrier_announcement(buffer.event.value, buffer.event.timestamp);
    }
    if (!buffer.is_event && recording_[*channel]) {
      unaligned_state_.input_channel_state.insert(unaligned_state_.input_channel_state.end(),
                                                  buffer.records.begin(), buffer.records.end());
    }
  }
  if (is_watermark(message.buffer) && gate_->take_event_at_once(*channel, message)) {
    return on_idle_channel_watermark(*channel, message.buffer.event.value);
  }
  gate_->on_buffer(*channel, message);
}

void StreamTask::on_idle_channel_watermark(size_t channel, int64_t watermark) {
  // Nothing is queued before it on its channel, so taking it now is taking it in order; only
  // the operator's reaction waits for the mailbox (and for room in the outputs). A keyBy at
  // parallelism P brings P watermarks per task every auto-watermark interval: this keeps them
  // out of the channel queues and the task's steps.
  const std::optional<int64_t> combined = valve_->on_watermark(channel, watermark);
  if (!combined || *combined <= watermark_) return;
  pending_watermark_ = *combined;
  schedule_step();
}

void StreamTask::on_not_found(const ChannelId& channel) {
  if (gate_ && !finished_ && !failed_) gate_->on_not_found(channel);
}

void StreamTask::on_channel_failure(const graph::ResultPartitionId& partition, const std::string& why,
                                    bool partition_error) {
  FailureCause cause{partition_error ? FailureCause::Kind::partition_error : FailureCause::Kind::task_exception,
                     why, {}};
  if (partition_error) cause.partition = partition;
  fail(cause);
}

void StreamTask::on_connection_reset(sim::EndpointId producer, const std::string& producer_name,
                                     const std::string& why) {
  if (!gate_) return;
  for (size_t c = 0; c < gate_->channel_count(); ++c) {
    if (gate_->descriptor(c).location != producer || channel_ended_[c]) continue;
    fail(FailureCause{FailureCause::Kind::remote_transport, why, {}, producer_name});
    return;
  }
}

void StreamTask::fail(const FailureCause& cause) {
  if (finished_ || failed_) return;
  failed_ = true;
  host_.on_task_failed(attempt_, cause);
}

}  // namespace flinksim::model::runtime
