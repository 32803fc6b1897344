#!/usr/bin/env bash
# The quick-start demonstration: one task fails in an embarrassingly parallel job; compare what
# restarts under region and full failover. (The seed sweep and HTML report replace this once
# `flinksim compare` lands.)
set -euo pipefail
build=${1:-build}
flinksim="$build/cli/flinksim"
scenario=scenarios/library/region-failover-forward-job.yaml
for strategy in region full; do
  echo "=== flinksim run $scenario --strategy $strategy"
  "$flinksim" run "$scenario" --strategy "$strategy" || true
  echo
done
