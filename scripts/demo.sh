#!/usr/bin/env bash
# The quick-start demonstration.
set -euo pipefail
build=${1:-build}
"$build/cli/flinksim" --help
