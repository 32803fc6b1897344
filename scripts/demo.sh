#!/usr/bin/env bash
# The quick-start demonstration: a TaskManager of a keyed window job with a two-phase-commit sink
# dies. Run it once under region failover, then compare full, region and approximate failover
# over 10 seeds, sweep the restart delay on a TaskManager kill, and write one comparison report to
# open in a browser: build/demo/report.html (verdicts, job graphs, output over time, checkpoints).
set -euo pipefail
build=${1:-build}
flinksim="$build/cli/flinksim"
scenario=scenarios/library/demo-keyed-window-tm-kill-strategies.yaml
out="$build/demo"
mkdir -p "$out"
# A fresh database each time, so the report shows this binary's runs only.
rm -f "$out/results.db" "$out/results.db-wal" "$out/results.db-shm"

echo "=== flinksim run $scenario --strategy region"
"$flinksim" run "$scenario" --strategy region || true
echo

echo "=== flinksim compare $scenario --strategies full,region,approximate --seeds 1..10"
"$flinksim" compare "$scenario" --strategies full,region,approximate --seeds 1..10 --db "$out/results.db"
echo

sweep_scenario=scenarios/library/tm-kill-standby.yaml
echo "=== flinksim sweep $sweep_scenario --seeds 1..5 --strategies full,region --vary restart-strategy.fixed-delay.delay=..."
"$flinksim" sweep "$sweep_scenario" --seeds 1..5 --strategies full,region \
  --vary "restart-strategy.fixed-delay.delay=1 s,5 s,10 s,20 s" --db "$out/results.db"
echo

echo "=== flinksim report $out/results.db -o $out/report.html --markdown $out/report.md"
"$flinksim" report "$out/results.db" -o "$out/report.html" --markdown "$out/report.md"
echo
echo "Strategy comparison report: $(cd "$out" && pwd)/report.html"
