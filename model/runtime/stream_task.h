#pragma once

// The invokable of a task (Flink's StreamTask with its mailbox): a single-threaded loop that
// takes one unit of work at a time — a chunk of source records, or one buffer or event from an
// input channel — runs it through the task's operator chain (Flink's OperatorChain: each
// operator hands its records and watermarks straight to the operators chained to it, with no
// channel between them), writes the results into the task's result partitions, and is then busy
// for the records' virtual CPU cost, summed over the operators they passed. It stops taking input while an
// output partition has no free buffer (backpressure) and resumes when buffers leave.
// Sources read the source log from an offset at their rate and emit periodic watermarks; sinks
// write to the sink store, exactly-once sinks inside a transaction.

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/checkpoint/checkpoint_messages.h"
#include "model/checkpoint/state_size_tracker.h"
#include "model/cluster_options.h"
#include "model/gateways.h"
#include "model/operators/stream_operator.h"
#include "model/runtime/input_gate.h"
#include "model/runtime/result_partition.h"
#include "model/runtime/source_log.h"
#include "model/runtime/watermark_valve.h"
#include "model/sink_store.h"

namespace flinksim::model::runtime {

// Totals over every task of a run (instrumentation: never read by the protocol).
struct DataPlaneStats {
  // Restored sources reading a log's backlog: the last instant one reached the head of its log,
  // and the largest backlog seen meanwhile, in simulated records.
  std::optional<sim::Instant> last_caught_up;
  int64_t max_lag_records = 0;
  // records-lag-max as Flink's Kafka source reader reports it, per second of virtual time: the
  // largest (records due at the head of the log - next offset read) any source subtask saw at
  // its reads in that second, in simulated records; -1: no source read in that second (none
  // ran, as during downtime, where Flink has no reader to report a lag either).
  std::vector<int64_t> lag_per_second;
  void note_lag(sim::Instant now, int64_t lag) {
    const size_t second = static_cast<size_t>(now.nanoseconds_since_start() / 1'000'000'000);
    if (lag_per_second.size() <= second) lag_per_second.resize(second + 1, -1);
    lag_per_second[second] = std::max(lag_per_second[second], std::max<int64_t>(lag, 0));
  }
  // Every restore's start (INITIALIZING) and how long its state read took, in start order.
  std::vector<std::pair<sim::Instant, sim::Duration>> restores;
  int64_t records_generated = 0;
  int64_t records_in = 0;
  int64_t data_buffers_sent = 0;      // by partitions, while their producer ran
  int64_t data_buffers_received = 0;  // by input gates
  int peak_output_buffers = 0;
  int64_t peak_input_buffers = 0;
  // The keyed state each operator subtask ended with, when it FINISHED (bounded jobs).
  std::map<graph::ExecutionVertexId, std::vector<operators::KeyedStateEntry>> final_keyed_state;
};

// What a task needs from the TaskExecutor that runs it.
class TaskHost : public ChannelTransport {
 public:
  virtual sim::Process& process() = 0;
  // Registers a partition this task writes, so consumers' requests find it.
  virtual std::shared_ptr<ResultPartition> create_partition(const ResultPartitionDescriptor& descriptor) = 0;
  virtual sim::EndpointId sink_store() const = 0;
  virtual sim::EndpointId checkpoint_storage() const = 0;
  // Checkpoint acknowledgements and declines go to the JobMaster the task was deployed by.
  virtual void send_to_job_master(sim::MessagePtr message) = 0;
  virtual void on_task_finished(const ExecutionAttemptId& attempt) = 0;
  virtual void on_task_failed(const ExecutionAttemptId& attempt, const FailureCause& cause) = 0;
  // A snapshot of the task is durable: with local recovery the TaskManager keeps a copy.
  virtual void keep_local_copy(const graph::ExecutionVertexId& vertex, checkpoint::CheckpointId checkpoint,
                               int64_t bytes) = 0;
  // Where the task adds its counters when it ends.
  virtual DataPlaneStats& stats() = 0;
};

struct TaskCounters {
  int64_t records_in = 0;
  int64_t records_out = 0;
  int64_t records_generated = 0;  // sources
  int peak_output_buffers = 0;    // most buffers ever in use in one output partition
  int64_t peak_input_buffers = 0;  // most data buffers ever queued in the input gate
};

class StreamTask final : public InputGateListener {
 public:
  StreamTask(TaskHost& host, const ClusterOptions& options, const TaskDeploymentDescriptor& deployment);
  ~StreamTask() override;
  StreamTask(const StreamTask&) = delete;
  StreamTask& operator=(const StreamTask&) = delete;

  // The task reached RUNNING: request inputs, start producing.
  void start();
  void on_buffer(TransferBuffer& message);
  void on_not_found(const ChannelId& channel);
  void on_sink_ack(uint64_t sequence, SinkRefusal refusal);
  // Checkpoints: a source injects the barrier; every task snapshots, uploads and acknowledges.
  // A source injects the barrier; a running task whose inputs all finished (FLIP-147) takes it
  // as if it arrived on every channel that has not ended (triggerUnfinishedChannelsCheckpoint).
  // A synchronous savepoint (stop-with-savepoint) first ends the source's data
  // (StreamTask#triggerStopWithSavepointAsync → stopOperatorForStopWithSavepoint → endData).
  void trigger_checkpoint(checkpoint::CheckpointId id, sim::Instant timestamp,
                          checkpoint::SnapshotType type = checkpoint::SnapshotType::checkpoint);
  void on_upload_complete(checkpoint::CheckpointId id);
  void on_upload_failed(checkpoint::CheckpointId id);
  void notify_checkpoint_complete(checkpoint::CheckpointId id);
  void notify_checkpoint_aborted(checkpoint::CheckpointId id);
  const TaskCounters& counters() const { return counters_; }

  // InputGateListener
  void on_input_available() override { schedule_step(); }
  void on_channel_failure(const graph::ResultPartitionId& partition, const std::string& why,
                          bool partition_error) override;
  // The data connection to `producer`'s TaskExecutor was reset. Like Flink's
  // CreditBasedPartitionRequestClientHandler#channelInactive, every channel still reading from
  // it fails the task (RemoteTransportException); channels past their end of partition were
  // released and are not told.
  void on_connection_reset(sim::EndpointId producer, const std::string& producer_name,
                           const std::string& why);

 private:
  // Flink's StopMode, carried by EndOfData (0: the input simply ended): DRAIN advances event
  // time to its end (windows fire, operators finish); NO_DRAIN only stops, the state stays as
  // it is for a later restore.
  enum class StopMode : int64_t { drain = 1, no_drain = 2 };
  bool stopping_without_drain() const { return stop_mode_ == StopMode::no_drain; }
  class Output;

  void build_chain();
  void schedule_step();
  void step();
  // One unit of work; returns the records processed (for the CPU cost), or nullopt when idle.
  std::optional<int64_t> source_step();
  std::optional<int64_t> input_step();
  std::optional<int64_t> process_data(size_t channel);
  void on_watermark_event(size_t channel, int64_t watermark);
  void on_idle_channel_watermark(size_t channel, int64_t watermark);
  std::optional<int64_t> take_pending_watermark();
  static bool is_watermark(const NetworkBuffer& buffer) {
    return buffer.is_event && buffer.event.kind == BufferEvent::Kind::watermark;
  }
  void on_end_of_partition(size_t channel);
  void on_end_of_data(size_t channel, int64_t stop_mode);
  void advance_watermark(int64_t watermark);
  void emit_source_watermark();
  // End of data: the operators have finished (Flink's StreamTask#endData). Without a final
  // checkpoint to wait for, the task ends its partitions and finishes at once.
  void end_of_input();
  // FLIP-147 (execution.checkpointing.checkpoints-after-tasks-finish, with checkpointing on, in
  // a streaming job): a task that ended its data sends EndOfData, stays RUNNING and takes part
  // in checkpoints; once a checkpoint it took after the end of its data completed (the "final
  // checkpoint", Flink's finalCheckpointMinId), it ends its partitions and finishes.
  // Like Flink's StreamTask, a task with inputs also waits for every input's end of partition
  // (END_OF_INPUT) before it ends its own partitions: upstream ends after its final checkpoint.
  bool waits_for_final_checkpoint() const;
  void maybe_end_after_final_checkpoint();
  void maybe_finish();
  bool outputs_available() const;
  // Operator `index` of the chain emitted `record`: it goes to the operators chained to it, the
  // partitions it writes, and the sink store when it is the sink.
  void emit(uint32_t index, const Record& record);
  // Operator `index` processes `record` (ChainingOutput#pushToOperator).
  void push(uint32_t index, const Record& record);
  // The watermark reaches operator `index`: it fires what it must, then passes the watermark on
  // to its partitions and chained operators.
  void handle_watermark(uint32_t index, int64_t watermark);
  bool is_source() const { return gate_ == nullptr; }
  bool has_sink() const { return sink_operator_.has_value(); }
  void broadcast(BufferEvent event);
  void flush_sink_writes();
  void send_to_sink_store(std::shared_ptr<sim::Message> message, uint64_t sequence);
  void fail(const FailureCause& cause);
  void arm_flusher();
  void arm_source_timer(sim::Instant at);
  void sleep_until_next_record_due();
  bool reads_log() const;
  void start_pacing();
  // A source reading its backlog: how far behind the head it is, and whether it caught up.
  void track_catch_up(int64_t due);
  void restore(const checkpoint::TaskStateSnapshot& state);
  void on_barrier(size_t channel, checkpoint::CheckpointId id, int64_t timestamp);
  // An aligned barrier with a timeout arrived on `channel` (Flink's RemoteInputChannel announces
  // it, a CheckpointBarrierAnnouncement ahead of the channel's queued data): the alignment, and
  // its timer, start now, not when the barrier is read after that data.
  void on_barrier_announcement(checkpoint::CheckpointId id, int64_t timestamp);
  // SingleCheckpointBarrierHandler: a barrier of a newer checkpoint starts its alignment; an
  // unfinished older one is given up.
  void begin_alignment(checkpoint::CheckpointId id, int64_t timestamp);
  // BarrierAlignmentUtil.getTimerDelay: the aligned-checkpoint timeout counts from the
  // checkpoint's start (the barrier's timestamp), not from the barrier's arrival here.
  sim::Duration alignment_timer_delay(int64_t timestamp) const;
  // A checkpoint this task knows to be aborted (notified, or told by a cancellation marker, or
  // aborted before the task was deployed): its barriers are not aligned on, and downstream gets
  // a cancellation marker in place of the barrier, once (SubtaskCheckpointCoordinatorImpl).
  bool is_aborted(checkpoint::CheckpointId id) const { return id <= last_aborted_; }
  void forward_cancellation(checkpoint::CheckpointId id);
  // CheckpointBarrierHandler.processCancellationBarrier: the alignment of that checkpoint (or an
  // older one) is given up and its channels unblocked; the marker goes on downstream.
  void on_cancel_checkpoint_marker(checkpoint::CheckpointId id);
  void abort_alignment(checkpoint::CheckpointId up_to);
  // Takes the task's snapshot and forwards the barrier; unaligned barriers overtake the output.
  checkpoint::TaskStateSnapshot snapshot_and_forward(checkpoint::CheckpointId id, bool unaligned);
  void perform_checkpoint(checkpoint::CheckpointId id);
  void upload(checkpoint::CheckpointId id, checkpoint::TaskStateSnapshot state);
  // Closes the upload stream of checkpoint `id` (of every checkpoint, unset) at the storage.
  void abort_upload(std::optional<checkpoint::CheckpointId> id);
  // Unaligned checkpoints: the first barrier starts the snapshot at once; in-flight input is
  // recorded per channel until that channel's barrier arrives.
  void on_unaligned_barrier(size_t channel, checkpoint::CheckpointId id);
  void maybe_complete_unaligned();
  // An aligned checkpoint completes here once every input channel delivered its barrier or ended.
  void maybe_complete_alignment();
  // Alignment took longer than aligned-checkpoint-timeout: continue the checkpoint unaligned.
  void switch_to_unaligned(checkpoint::CheckpointId id);
  // Savepoints are always aligned (CheckpointOptions#forConfig: alignedNoTimeout), so only a
  // checkpoint's barrier may start unaligned or switch to unaligned.
  bool is_savepoint(checkpoint::CheckpointId id) const { return savepoints_.contains(id); }
  bool starts_unaligned_for(checkpoint::CheckpointId id) const { return starts_unaligned_ && !is_savepoint(id); }
  void replay_channel_state();
  void decline(checkpoint::CheckpointId id, const std::string& reason, bool counted);
  void commit(const TransactionId& transaction);

  TaskHost& host_;
  sim::Process& process_;
  const ClusterOptions& options_;
  ExecutionAttemptId attempt_;
  LeaderSessionId leader_session_;
  bool restored_ = false;
  std::string name_;
  const graph::JobVertex& vertex_;
  // The chain: per operator its StreamOperator (none for a source), its collector, its CPU cost
  // per simulated record, the operators chained to it and the outputs it writes.
  std::vector<std::unique_ptr<operators::StreamOperator>> operators_;
  std::vector<std::unique_ptr<Output>> collectors_;
  std::vector<sim::Duration> costs_;
  std::vector<std::vector<uint32_t>> chained_;
  std::vector<std::vector<size_t>> operator_outputs_;
  std::optional<uint32_t> sink_operator_;
  bool costs_nothing_ = true;
  // CPU time the current step's records cost so far.
  sim::Duration step_busy_ = sim::Duration::zero();
  // The declared state (`state-size`, its growth and change rate) of all chained operators
  // together: the task's one keyed state backend holds every operator's state.
  graph::OperatorSpec declared_state_;
  checkpoint::StateSizeTracker state_size_;
  std::vector<std::shared_ptr<ResultPartition>> outputs_;
  std::unique_ptr<InputGate> gate_;
  // Inputs: per-channel watermark and end of partition.
  std::optional<WatermarkValve> valve_;
  std::vector<bool> channel_ended_;
  size_t channels_ended_ = 0;
  std::vector<bool> channel_data_ended_;  // EndOfData or EndOfPartition received
  size_t channels_data_ended_ = 0;
  int64_t watermark_ = INT64_MIN;
  // The combined watermark rose through a watermark taken at once; the next step advances it.
  std::optional<int64_t> pending_watermark_;
  // The channel whose head buffer is partly processed, and how far.
  std::optional<size_t> current_channel_;
  size_t position_in_buffer_ = 0;
  // Sources.
  std::unique_ptr<SourceLog> log_;
  uint32_t log_partition_ = 0;
  int64_t next_offset_ = 0;
  std::optional<int64_t> end_offset_;
  sim::Instant pacing_start_;
  int64_t pacing_origin_ = 0;
  // The restored log's epoch (SourceBacklog::log), and whether the source still reads its backlog.
  std::optional<sim::Instant> restored_log_epoch_;
  bool catching_up_ = false;
  int64_t max_timestamp_ = INT64_MIN;
  int64_t emitted_watermark_ = INT64_MIN;
  // Sinks.
  std::vector<Record> pending_writes_;
  std::optional<TransactionId> transaction_;
  uint64_t next_sink_sequence_ = 1;
  uint64_t unacknowledged_sink_requests_ = 0;
  std::vector<std::pair<TransactionId, checkpoint::CheckpointId>> pre_committed_;
  uint64_t next_transaction_ = 1;
  // Checkpoints: the barrier being aligned and the channels it arrived on; snapshots uploading.
  std::optional<checkpoint::CheckpointId> aligning_;
  // The newest checkpoint this task snapshotted: its barriers still queued are stale.
  checkpoint::CheckpointId last_snapshot_ = 0;
  // The newest checkpoint seen (trigger, barrier or announcement) and its start, which the
  // barriers this task forwards carry on.
  checkpoint::CheckpointId barrier_id_ = 0;
  int64_t barrier_timestamp_ = 0;
  // Every checkpoint up to this id is aborted; markers were forwarded up to the second.
  checkpoint::CheckpointId last_aborted_ = 0;
  checkpoint::CheckpointId cancellation_forwarded_ = 0;
  std::vector<bool> barrier_received_;
  // Channels whose barrier arrived or that ended, while aligning: complete at every channel.
  size_t channels_aligned_ = 0;
  std::map<checkpoint::CheckpointId, checkpoint::TaskStateSnapshot> uploading_;
  bool unaligned_ = false;
  // Unaligned from the first barrier, rather than after an aligned-checkpoint timeout.
  bool starts_unaligned_ = false;
  // The savepoints among the snapshots triggered here or whose barrier arrived, until uploaded.
  std::set<checkpoint::CheckpointId> savepoints_;
  sim::TimerId alignment_timer_;
  std::optional<checkpoint::CheckpointId> unaligned_id_;
  std::vector<bool> recording_;
  checkpoint::TaskStateSnapshot unaligned_state_;
  std::vector<Record> restored_input_;
  std::vector<std::vector<std::vector<Record>>> restored_output_;
  // The loop.
  bool running_ = false;
  bool step_scheduled_ = false;
  bool in_step_ = false;
  bool wake_requested_ = false;
  // A paced source waits for its timer: the next record is not due yet.
  bool sleeping_ = false;
  bool input_ended_ = false;
  // FLIP-147: EndOfData sent, waiting for a checkpoint with an id at least the second to complete.
  bool awaiting_final_checkpoint_ = false;
  std::optional<checkpoint::CheckpointId> final_checkpoint_min_;
  bool final_checkpoint_completed_ = false;
  // Restored from a checkpoint taken after the task's data ended (Flink: deployed as finished):
  // the operator is not run again, the task only ends its data and waits for a checkpoint.
  bool restored_finished_ = false;
  // Set by stop-with-savepoint (at a source) or by an EndOfData that says how the job stops.
  std::optional<StopMode> stop_mode_;
  bool finished_ = false;
  bool failed_ = false;
  sim::TimerId step_timer_;
  sim::TimerId source_timer_;
  sim::TimerId flusher_timer_;
  sim::TimerId watermark_timer_;
  TaskCounters counters_;
  // Network failure callbacks may fire after the task is gone: they hold this weakly.
  std::shared_ptr<StreamTask*> self_ = std::make_shared<StreamTask*>(this);
};

}  // namespace flinksim::model::runtime
