#!/usr/bin/env bash
# Installs the Debian packages flinksim builds with, if any are missing. As root it runs apt-get;
# otherwise it prints the exact command to run and stops.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-graph-dev libboost-program-options-dev
  libgtest-dev librapidcheck-dev
  libsqlite3-dev libsqlitecpp-dev
  libcli11-dev libyaml-cpp-dev libfmt-dev nlohmann-json3-dev
  libbenchmark-dev gnuplot-nox
  # The report's job graphs (dot), and the browser test that renders the report (label browser).
  graphviz chromium
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "flinksim needs these Debian packages. Run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
