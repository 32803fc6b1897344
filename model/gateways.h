#pragma once

// The RPC messages between the cluster's components, grouped by the gateway that receives them,
// as in Flink's ResourceManagerGateway, TaskExecutorGateway and JobMasterGateway. Messages are
// small immutable structs; a request and its response are separate one-way messages, so a lost
// reply is as possible as a lost request.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/checkpoint/task_state_snapshot.h"
#include "model/execution_state.h"
#include "model/ids.h"
#include "model/runtime/partition_descriptor.h"
#include "sim/message.h"
#include "sim/network.h"

#define FLINKSIM_MESSAGE(Name)                  \
  std::string_view type_name() const override { \
    return #Name;                               \
  }

namespace flinksim::model {

// ---- Heartbeats (HeartbeatTarget: requestHeartbeat / receiveHeartbeat) --------------------------

// What a heartbeat carries besides "still alive" (Flink's HeartbeatListener#retrievePayload and
// #reportPayload): the reports through which the two sides reconcile their views.
struct HeartbeatPayload {
  virtual ~HeartbeatPayload() = default;
};
using HeartbeatPayloadPtr = std::shared_ptr<const HeartbeatPayload>;

struct HeartbeatRequest final : sim::Message {
  FLINKSIM_MESSAGE(HeartbeatRequest)
  std::string origin;  // the requester's resource id
  sim::EndpointId reply_to;
  HeartbeatPayloadPtr payload;
};

struct HeartbeatResponse final : sim::Message {
  FLINKSIM_MESSAGE(HeartbeatResponse)
  std::string origin;
  HeartbeatPayloadPtr payload;
};

// ---- ResourceManagerGateway --------------------------------------------------------------------

struct RegisterTaskExecutorRequest final : sim::Message {
  FLINKSIM_MESSAGE(RegisterTaskExecutorRequest)
  ResourceId resource_id;
  sim::EndpointId task_executor;
  int slots = 0;
};

struct SlotStatus {
  int slot_index = 0;
  AllocationId allocation;  // invalid = free
};

struct SendSlotReport final : sim::Message {
  FLINKSIM_MESSAGE(SendSlotReport)
  ResourceId resource_id;
  std::vector<SlotStatus> slots;
};

// The TaskExecutor's heartbeat payload to the ResourceManager: its slot report, which keeps the
// slot manager's view in step even when a SendSlotReport was lost (TaskExecutorHeartbeatPayload).
struct TaskExecutorHeartbeatPayload final : HeartbeatPayload {
  std::vector<SlotStatus> slots;
};

struct RegisterJobMasterRequest final : sim::Message {
  FLINKSIM_MESSAGE(RegisterJobMasterRequest)
  std::string job_master_id;  // the JobMaster's resource id
  sim::EndpointId job_master;
  LeaderSessionId leader_session;
};

// The JobMaster's declared resource requirements (declarative resource management, FLIP-138).
struct DeclareRequiredResources final : sim::Message {
  FLINKSIM_MESSAGE(DeclareRequiredResources)
  LeaderSessionId leader_session;
  int slots_required = 0;
};

struct DisconnectJobManagerAtResourceManager final : sim::Message {
  FLINKSIM_MESSAGE(DisconnectJobManagerAtResourceManager)
  LeaderSessionId leader_session;
};

// The TaskExecutor's answer to a RequestSlot for a slot another allocation holds
// (SlotOccupiedException); a slot report with the actual occupant follows.
struct SlotRequestFailed final : sim::Message {
  FLINKSIM_MESSAGE(SlotRequestFailed)
  ResourceId resource_id;
  AllocationId allocation;
};

// ---- TaskExecutorGateway -----------------------------------------------------------------------

struct RegistrationResponse final : sim::Message {
  FLINKSIM_MESSAGE(RegistrationResponse)
  enum class Registrar { resource_manager, job_master };
  Registrar registrar = Registrar::resource_manager;
  bool accepted = false;
  std::string responder;  // resource id of who accepted
};

// The ResourceManager asks the TaskExecutor to give one of its slots to a JobMaster.
struct RequestSlot final : sim::Message {
  FLINKSIM_MESSAGE(RequestSlot)
  int slot_index = 0;
  AllocationId allocation;
  sim::EndpointId job_master;
  LeaderSessionId leader_session;
};

struct OfferSlotsResponse final : sim::Message {
  FLINKSIM_MESSAGE(OfferSlotsResponse)
  LeaderSessionId leader_session;
  uint64_t offer_id = 0;  // the offer answered
  std::vector<AllocationId> accepted;
};

// The JobMaster's heartbeat payload: the slots its pool holds from this TaskExecutor. The
// TaskExecutor frees active slots the JobMaster no longer has and reports back those it does
// not hold (Flink's AllocatedSlotReport, TaskExecutor#syncSlotsWithSnapshotFromJobMaster).
struct AllocatedSlotReport final : HeartbeatPayload {
  std::vector<AllocationId> allocations;
};

struct TaskDeploymentDescriptor {
  ExecutionAttemptId attempt;
  // The leadership that deployed the task: its sink transactions and commits carry it, so the
  // sink store can fence out a stale leader's tasks.
  LeaderSessionId leader_session;
  AllocationId allocation;
  std::string task_name;  // "window:1"
  // The channels the task reads, one per subpartition of a producer it consumes, and where
  // each producer's partition lives.
  std::vector<runtime::InputChannelDescriptor> inputs;
  // The partitions the task writes, one per outgoing job edge.
  std::vector<runtime::ResultPartitionDescriptor> outputs;
  // The state to start from: the task's part of the latest completed checkpoint, if any.
  std::optional<checkpoint::TaskStateSnapshot> restore;
  checkpoint::CheckpointId restored_checkpoint = 0;
  // The newest checkpoint the coordinator had aborted when it deployed this attempt: a barrier
  // of it, or of an older one, still queued at a producer that kept running (approximate
  // recovery) belongs to a checkpoint this attempt can never complete.
  checkpoint::CheckpointId last_aborted_checkpoint = 0;
};

struct SubmitTask final : sim::Message {
  FLINKSIM_MESSAGE(SubmitTask)
  LeaderSessionId leader_session;
  TaskDeploymentDescriptor deployment;
};

// The reply to SubmitTask: acknowledged, or the TaskSubmissionException's message.
struct SubmitTaskResponse final : sim::Message {
  FLINKSIM_MESSAGE(SubmitTaskResponse)
  ExecutionAttemptId attempt;
  std::optional<std::string> failure;
};

struct CancelTask final : sim::Message {
  FLINKSIM_MESSAGE(CancelTask)
  LeaderSessionId leader_session;
  ExecutionAttemptId attempt;
};

struct FreeSlot final : sim::Message {
  FLINKSIM_MESSAGE(FreeSlot)
  LeaderSessionId leader_session;
  AllocationId allocation;
};

struct DisconnectJobManager final : sim::Message {
  FLINKSIM_MESSAGE(DisconnectJobManager)
  LeaderSessionId leader_session;
  std::string reason;
};

struct DisconnectResourceManager final : sim::Message {
  FLINKSIM_MESSAGE(DisconnectResourceManager)
  std::string reason;
};

// A producer's subpartition ended (end of partition event travelling to the consumer's task).
// ---- JobMasterGateway --------------------------------------------------------------------------

struct RegisterTaskManagerAtJobMaster final : sim::Message {
  FLINKSIM_MESSAGE(RegisterTaskManagerAtJobMaster)
  ResourceId resource_id;
  sim::EndpointId task_executor;
  // The finished blocking partitions it still holds for the job (FLIP-383: a new leader keeps
  // the finished work whose results survive).
  std::vector<graph::ResultPartitionId> partitions;
  LeaderSessionId leader_session;  // the leadership the TaskExecutor registers for (fencing)
};

struct OfferSlots final : sim::Message {
  FLINKSIM_MESSAGE(OfferSlots)
  ResourceId resource_id;
  LeaderSessionId leader_session;
  // Each offer has a new id; the TaskExecutor acts only on the answer to its latest offer.
  uint64_t offer_id = 0;
  std::vector<AllocationId> allocations;
};

// A slot the JobMaster's pool holds is not allocated on the TaskExecutor
// (JobMasterGateway#failSlot).
struct FailSlot final : sim::Message {
  FLINKSIM_MESSAGE(FailSlot)
  ResourceId resource_id;
  AllocationId allocation;
  std::string reason;
};

// The TaskExecutor's heartbeat payload to the JobMaster: the executions it has deployed (Flink's
// ExecutionDeploymentReport). The JobMaster fails the executions it expects there but that are
// missing, and cancels those it does not know (ExecutionDeploymentReconciler, FLINK-17075).
struct ExecutionDeploymentReport final : HeartbeatPayload {
  std::vector<ExecutionAttemptId> executions;
};

struct UpdateTaskExecutionState final : sim::Message {
  FLINKSIM_MESSAGE(UpdateTaskExecutionState)
  // The fencing token of the JobMaster that deployed the task (Flink's JobMasterId): a later
  // JobMaster at the same address ignores it, as a FencedRpcEndpoint rejects a stale token.
  LeaderSessionId leader_session;
  ExecutionAttemptId attempt;
  ExecutionState state = ExecutionState::created;
  std::optional<FailureCause> cause;
};

struct DisconnectTaskManager final : sim::Message {
  FLINKSIM_MESSAGE(DisconnectTaskManager)
  ResourceId resource_id;
  std::string reason;
};

// Standalone ResourceManager: the declared requirements cannot be met (triggers
// NoResourceAvailableException for streaming jobs, DeclarativeSlotPoolBridge).
struct NotifyNotEnoughResourcesAvailable final : sim::Message {
  FLINKSIM_MESSAGE(NotifyNotEnoughResourcesAvailable)
  int slots_available = 0;
};

}  // namespace flinksim::model
