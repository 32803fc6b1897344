# Planted bugs (issue 9): FLINKSIM_PLANTED_BUG=<name> compiles exactly one known protocol bug into
# the model, so that the property tests can prove they catch it (docs/property-testing.md,
# "Planted bugs"). Each bug is one `#ifdef FLINKSIM_PLANTED_BUG_<NAME>` seam in the model; the
# default, empty, compiles none and leaves the model's behaviour untouched.
#
# | name                          | seam                                                 |
# |-------------------------------|------------------------------------------------------|
# | commit-on-snapshot            | model/runtime/stream_task.cc, snapshot_and_forward   |
# | region-forgets-consumers      | strategies/restart_pipelined_region_failover_strategy.cc |
# | restore-oldest-checkpoint     | model/checkpoint/completed_checkpoint_store.h        |
# | source-offsets-not-restored   | model/runtime/stream_task.cc, restore                |
# | aligned-barriers-do-not-block | model/runtime/stream_task.cc, on_barrier             |
# | checkpoint-completes-on-first-ack | model/checkpoint/checkpoint_coordinator.cc       |
# | fenced-leader-commits         | model/jobmaster/job_master_high_availability.cc, persist_completed and acquire_checkpoint_id; model/sink_store.cc, SinkCommit |
# | restart-budget-off-by-one     | strategies/fixed_delay_restart_backoff_time_strategy.cc, can_restart |
# | region-ignores-lost-partitions | strategies/restart_pipelined_region_failover_strategy.cc, is_available |
# | restored-sink-skips-pending-commits | model/runtime/stream_task.cc, restore            |
# | source-skips-last-record      | model/runtime/stream_task.cc, constructor            |
# | stale-attempt-state-accepted  | model/jobmaster/job_master.cc, on_task_state                   |

set(FLINKSIM_PLANTED_BUGS
    commit-on-snapshot
    region-forgets-consumers
    restore-oldest-checkpoint
    source-offsets-not-restored
    aligned-barriers-do-not-block
    checkpoint-completes-on-first-ack
    fenced-leader-commits
    restart-budget-off-by-one
    region-ignores-lost-partitions
    restored-sink-skips-pending-commits
    source-skips-last-record
    stale-attempt-state-accepted)

set(FLINKSIM_PLANTED_BUG "" CACHE STRING
    "Compile one known protocol bug into the model (${FLINKSIM_PLANTED_BUGS}); empty: none")
set_property(CACHE FLINKSIM_PLANTED_BUG PROPERTY STRINGS "" ${FLINKSIM_PLANTED_BUGS})

# commit-on-snapshot -> FLINKSIM_PLANTED_BUG_COMMIT_ON_SNAPSHOT
function(flinksim_planted_bug_definition bug out)
  string(TOUPPER "${bug}" upper)
  string(REPLACE "-" "_" upper "${upper}")
  set(${out} "FLINKSIM_PLANTED_BUG_${upper}" PARENT_SCOPE)
endfunction()

if(FLINKSIM_PLANTED_BUG)
  if(NOT FLINKSIM_PLANTED_BUG IN_LIST FLINKSIM_PLANTED_BUGS)
    message(FATAL_ERROR "FLINKSIM_PLANTED_BUG=${FLINKSIM_PLANTED_BUG} is none of: ${FLINKSIM_PLANTED_BUGS}")
  endif()
  flinksim_planted_bug_definition(${FLINKSIM_PLANTED_BUG} definition)
  message(STATUS "flinksim: planted bug ${FLINKSIM_PLANTED_BUG} (${definition}); do not ship this build")
  add_compile_definitions(${definition})
endif()
