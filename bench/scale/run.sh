#!/usr/bin/env bash
# The scale benchmark of issue 17 (docs/performance.md, "Scale"): `flinksim run --json` on the
# job of bench/scale/job.sh (source -> keyBy -> 1 min window -> two-phase-commit sink, one
# TaskManager killed half-way) over a list of shapes, the faulty run and its reference each time.
# Prints one Markdown row per shape: wall and CPU seconds, peak RSS, events and simulated records
# per run, and virtual seconds simulated per wall second (both runs counted).
#   bench/scale/run.sh FLINKSIM "P RATE DURATION [BUDGET]" ...
# e.g. bench/scale/run.sh build/cli/flinksim "16 1000 60_s" "128 50000 60_min 20000"
# DURATION uses _ for the space ("60_s", "10_min"); BUDGET is simulated-records-per-second
# (default 100000, flinksim's own default).
set -euo pipefail
flinksim=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "| parallelism | rate per subtask | virtual | n | wall s | CPU s | max RSS MB | events per run | virtual s per wall s |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for shape in "$@"; do
  read -r parallelism rate duration budget <<<"$shape"
  duration=${duration/_/ }
  "$here/job.sh" "$parallelism" "$rate" "$duration" 4 10000 > "$work/job.yaml"
  # An older flinksim (before simulated records) has no `simulation:` section: BUDGET "-" omits it.
  if [[ "${budget:-100000}" != "-" ]]; then
    sed -i "s/^seed: 1$/seed: 1\nsimulation: {simulated-records-per-second: ${budget:-100000}}/" "$work/job.yaml"
  fi
  /usr/bin/time -f "%e %U %M" -o "$work/time" "$flinksim" run "$work/job.yaml" --json > "$work/out.json" || true
  read -r wall cpu rss < "$work/time"
  python3 - "$work/out.json" "$parallelism" "$rate" "$duration" "$wall" "$cpu" "$rss" <<'PY'
import json, sys
out, p, rate, duration, wall, cpu, rss = sys.argv[1:]
run = json.load(open(out))
sim = run["simulation"]
virtual = sim["virtual_time_ms"] / 1000
print(f"| {p} | {int(rate):,}/s | {duration} | {sim.get('records_per_simulated_record', 1)} | {float(wall):.1f} | "
      f"{float(cpu):.1f} | {int(rss) / 1024:.0f} | {sim['events']:,} | {2 * virtual / float(wall):.1f} |")
PY
done
