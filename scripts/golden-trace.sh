#!/usr/bin/env bash
# Compares a scenario's one-line-per-event trace with the checked-in golden trace, so that any
# change of protocol behaviour shows up in review. Regenerate with GOLDEN_UPDATE=1.
set -euo pipefail
flinksim=$1
scenario=$2
golden=$3
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$flinksim" run "$scenario" --trace-text "$actual" > /dev/null || true
if [[ "${GOLDEN_UPDATE:-0}" == 1 ]]; then
  cp "$actual" "$golden"
  exit 0
fi
diff -u "$golden" "$actual"
