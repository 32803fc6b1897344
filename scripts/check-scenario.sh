#!/usr/bin/env bash
# Runs one library scenario twice: its expectations must hold (exit 0) and both runs must give
# the same trace hash (determinism).
set -euo pipefail
flinksim=$1
scenario=$2
first=$("$flinksim" run "$scenario" --json)
second=$("$flinksim" run "$scenario" --json)
hash() { grep -o '"trace_hash": "[0-9a-f]*"' <<<"$1"; }
if [[ "$(hash "$first")" != "$(hash "$second")" ]]; then
  echo "nondeterministic: $(hash "$first") vs $(hash "$second")" >&2
  exit 1
fi
echo "$scenario: expectations hold, $(hash "$first")"
