#!/usr/bin/env bash
# Runs the scenario loader fuzz target on one core. Usage:
#   fuzz/run-fuzz.sh BUILD_DIR [SECONDS]
# The corpus starts from the scenario library and the kept regression inputs; new interesting
# inputs accumulate in BUILD_DIR/fuzz/corpus, crashes land in BUILD_DIR/fuzz/artifacts.
set -euo pipefail
build=$1
seconds=${2:-900}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$build/fuzz/corpus
artifacts=$build/fuzz/artifacts
mkdir -p "$corpus" "$artifacts"
cp "$root"/scenarios/library/*.yaml "$corpus"/
cp "$root"/scenarios/tests/hostile/* "$corpus"/ 2>/dev/null || true
exec "$build"/fuzz/scenario_loader_fuzz "$corpus" -dict="$root"/fuzz/scenario.dict \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$artifacts"/ -print_final_stats=1
