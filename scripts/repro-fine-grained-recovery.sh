#!/usr/bin/env bash
# Reproduces the experiment of Flink's blog "Exploring fine-grained recovery of bounded data sets
# on Flink" (2021): a TPC-H Q3-like bounded job under random task failures, swept over the mean
# time between failures (MTBF), once with blocking exchanges + region failover and once with
# pipelined exchanges + restart-all. See docs/repro/fine-grained-recovery.md.
#
# Usage: scripts/repro-fine-grained-recovery.sh [BUILD_DIR] [SEEDS] [JOBS]
#   defaults: build-repro, 1..3, 2. Writes BUILD_DIR/repro/results.db (resumable: run it again
#   after an interruption and it completes the missing runs), the report in docs/repro/ and the
#   runtime table on stdout.
#
# The random fault rate is a scenario field, not a Flink key, so `sweep --vary` cannot vary it.
# Instead this script writes one copy of each scenario per MTBF (only the `fail-task` rate
# differs, the scenario name stays the same), sweeps each copy, and labels the new rows with
# vary_key = 'MTBF' and vary_value = '<MTBF> s', so that the report groups them as one scenario
# with a varied value.
set -euo pipefail
build=${1:-build-repro}
seeds=${2:-1..3}
jobs=${3:-2}
flinksim="$build/cli/flinksim"
out="$build/repro"
db="$out/results.db"
mtbfs=(900 600 300 180 120 60 30 20)
variants=(tpch-q3-like-blocking-region tpch-q3-like-pipelined-full)
mkdir -p "$out/scenarios" docs/repro

for variant in "${variants[@]}"; do
  for mtbf in "${mtbfs[@]}"; do
    file="$out/scenarios/$variant-mtbf-${mtbf}s.yaml"
    sed "s|random: {fail-task: 1/120s}|random: {fail-task: 1/${mtbf}s}|" \
      "scenarios/repro/$variant.yaml" > "$file"
    grep -q "fail-task: 1/${mtbf}s}" "$file" || { echo "no fail-task rate in $file" >&2; exit 2; }
    echo "=== $variant, MTBF $mtbf s, seeds $seeds"
    resume=()
    [[ -f "$db" ]] && resume=(--resume)
    "$flinksim" sweep "$file" --seeds "$seeds" --jobs "$jobs" --db "$db" --quiet "${resume[@]}"
    # The rows just added are the only ones of this scenario without a label.
    sqlite3 "$db" "UPDATE runs SET vary_key = 'MTBF', vary_value = '$mtbf s'
                   WHERE scenario = '$variant' AND vary_key IS NULL"
  done
done

"$flinksim" report "$db" -o docs/repro/report.html --markdown docs/repro/report.md

# Runtime relative to the failure-free run, per MTBF and variant (every run also simulates its
# failure-free reference, reference_finished_at_ms). A run that did not finish within the
# scenario's duration counts with the duration as its runtime, so its ratio is a lower bound
# (marked "+"), and the unfinished runs are counted.
python3 - "$db" <<'PY'
import sqlite3, statistics, sys
rows = sqlite3.connect(sys.argv[1]).execute("""
    SELECT scenario, CAST(vary_value AS INTEGER), final_status, finished_at_ms, virtual_time_ms,
           reference_finished_at_ms, failovers
    FROM runs WHERE vary_key = 'MTBF'""").fetchall()
groups = {}
for scenario, mtbf, status, finished, virtual, reference, failovers in rows:
    runtime = finished if status == 'FINISHED' else virtual
    groups.setdefault((mtbf, scenario), []).append((runtime, reference, status == 'FINISHED', failovers))
print("| MTBF | variant | runs | unfinished | failure-free | mean runtime | mean ratio | median ratio | mean failovers |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
for (mtbf, scenario), runs in sorted(groups.items(), key=lambda item: (-item[0][0], item[0][1])):
    unfinished = sum(1 for run in runs if not run[2])
    ratios = [run[0] / run[1] for run in runs]
    median = statistics.median(ratios)
    # The median is a lower bound only if it involves an unfinished run.
    finished_ratios = sorted(r for r, run in zip(ratios, runs) if run[2])
    median_bound = unfinished > 0 and (len(finished_ratios) <= len(runs) // 2)
    mark = "+" if unfinished else ""
    print(f"| {mtbf} s | {scenario} | {len(runs)} | {unfinished} | "
          f"{statistics.mean(run[1] for run in runs) / 1000:.0f} s | "
          f"{statistics.mean(run[0] for run in runs) / 1000:.0f} s{mark} | "
          f"{statistics.mean(ratios):.2f}{mark} | {median:.2f}{'+' if median_bound else ''} | "
          f"{statistics.mean(run[3] for run in runs):.1f} |")
PY
