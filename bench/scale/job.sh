#!/usr/bin/env bash
# Writes the scale benchmark's scenario to stdout (issue 17): source -> keyBy -> 1 min tumbling
# window -> two-phase-commit sink, one TaskManager killed half-way, checkpoints every minute.
#   job.sh PARALLELISM RATE_PER_SUBTASK DURATION [SLOTS_PER_TM] [KEYS] [EXTRA_YAML_CONFIG_LINES]
# e.g. job.sh 128 50000 "60 min" 4 10000   (the production-shaped job)
#      job.sh 1024 1000 "10 min" 4 10000   (the wide job)
set -euo pipefail
parallelism=$1 rate=$2 duration=$3 slots=${4:-4} keys=${5:-10000}
taskmanagers=$(( (parallelism + slots - 1) / slots ))
# The kill lands half-way through the run; durations are whole minutes or seconds.
case "$duration" in
  *min) kill_at="$(( ${duration% min} * 30 )) s" ;;
  *s) kill_at="$(( ${duration% s} / 2 )) s" ;;
esac
cat <<YAML
name: scale-p${parallelism}-r${rate}
description: source -> keyBy -> 1 min tumbling window -> two-phase-commit sink at scale (bench/scale).
seed: 1
duration: ${duration}
cluster: {taskmanagers: ${taskmanagers}, standby-taskmanagers: 1}
config:
  taskmanager.numberOfTaskSlots: ${slots}
  execution.checkpointing.interval: 1 min
  restart-strategy.type: fixed-delay
  restart-strategy.fixed-delay.attempts: 3
  restart-strategy.fixed-delay.delay: 10 s
${6:-}
job:
  vertices:
    - {name: source, operator: source, parallelism: ${parallelism}, rate: ${rate}/s, keys: ${keys}}
    - {name: window, operator: window, size: 1 min, function: sum, parallelism: ${parallelism}}
    - {name: sink, operator: sink, delivery: exactly-once, parallelism: ${parallelism}}
  edges:
    - {from: source, to: window, partitioning: hash}
    - {from: window, to: sink, partitioning: forward}
faults:
  - {at: ${kill_at}, kill: taskmanager-0}
YAML
