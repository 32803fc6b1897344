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

#include "model/execution_state.h"
#include "model/ids.h"
#include "sim/message.h"
#include "sim/network.h"

#define FLINKSIM_MESSAGE(Name) \
  std::string_view type_name() const override { return #Name; }

namespace flinksim::model {

// ---- Heartbeats (HeartbeatTarget: requestHeartbeat / receiveHeartbeat) --------------------------

struct HeartbeatRequest final : sim::Message {
  FLINKSIM_MESSAGE(HeartbeatRequest)
  std::string origin;  // the requester's resource id
  sim::EndpointId reply_to;
};

struct HeartbeatResponse final : sim::Message {
  FLINKSIM_MESSAGE(HeartbeatResponse)
  std::string origin;
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

struct SlotRequestFailed final : sim::Message {
  FLINKSIM_MESSAGE(SlotRequestFailed)
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
  std::vector<AllocationId> accepted;
};

struct TaskDeploymentDescriptor {
  ExecutionAttemptId attempt;
  AllocationId allocation;
  std::string task_name;  // "window:1#2"
  // Bounded tasks end after this much RUNNING time without input (the stand-in for records
  // until the data plane runs the operators); unset = runs until inputs end or cancelled.
  std::optional<sim::Duration> run_time;
  // Producers whose end of input this task waits for, as attempt-independent vertices.
  std::vector<graph::ExecutionVertexId> upstream;
  // Where the consumers of this task run, to announce the end of its partitions.
  std::vector<std::pair<graph::ExecutionVertexId, sim::EndpointId>> downstream;
  // Finished blocking partitions this task reads, with the TaskExecutor that holds each.
  struct BlockingInput {
    graph::ResultPartitionId partition;
    graph::ExecutionVertexId producer;
    sim::EndpointId location;
  };
  std::vector<BlockingInput> blocking_inputs;
  // Whether this task writes blocking partitions that outlive it on this TaskExecutor.
  bool produces_blocking_partitions = false;
};

struct SubmitTask final : sim::Message {
  FLINKSIM_MESSAGE(SubmitTask)
  LeaderSessionId leader_session;
  TaskDeploymentDescriptor deployment;
};

struct CancelTask final : sim::Message {
  FLINKSIM_MESSAGE(CancelTask)
  LeaderSessionId leader_session;
  ExecutionAttemptId attempt;
};

struct FreeSlot final : sim::Message {
  FLINKSIM_MESSAGE(FreeSlot)
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
struct EndOfPartition final : sim::Message {
  FLINKSIM_MESSAGE(EndOfPartition)
  graph::ExecutionVertexId producer;
  graph::ExecutionVertexId consumer;
};

// A consumer asks the TaskExecutor holding a finished blocking partition for it.
struct PartitionRequest final : sim::Message {
  FLINKSIM_MESSAGE(PartitionRequest)
  graph::ExecutionVertexId producer;
  ExecutionAttemptId consumer;
};

struct PartitionResponse final : sim::Message {
  FLINKSIM_MESSAGE(PartitionResponse)
  graph::ExecutionVertexId producer;
  ExecutionAttemptId consumer;
  bool found = false;
};

// ---- JobMasterGateway --------------------------------------------------------------------------

struct RegisterTaskManagerAtJobMaster final : sim::Message {
  FLINKSIM_MESSAGE(RegisterTaskManagerAtJobMaster)
  ResourceId resource_id;
  sim::EndpointId task_executor;
};

struct OfferSlots final : sim::Message {
  FLINKSIM_MESSAGE(OfferSlots)
  ResourceId resource_id;
  LeaderSessionId leader_session;
  std::vector<AllocationId> allocations;
};

struct UpdateTaskExecutionState final : sim::Message {
  FLINKSIM_MESSAGE(UpdateTaskExecutionState)
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
