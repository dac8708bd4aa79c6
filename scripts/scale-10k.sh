#!/usr/bin/env bash
# 10 000 concurrent connections to `sockscope listen` (release build): time to accept them all,
# RSS, and CPU used while they sit idle, for the terminal UI (in a detached tmux session of
# 200x60) and for --headless.
#
#   scripts/scale-10k.sh [N] [IDLE_SECONDS]        (defaults: 10000, 10)
#
# Raises this shell's open-file limit to its hard limit first (the clients hold N descriptors;
# sockscope raises its own). Frame time at 10 000 connections is measured by
# `cargo bench --bench render`. Needs tmux, ss (iproute2) and python3. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
idle=${2:-10}
for tool in tmux ss python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((n + 100)) ]; then
    echo "the open-file hard limit $(ulimit -Hn) is too low for $n connections" >&2
    exit 2
fi
cargo build --release --quiet
bin="$(realpath "${CARGO_TARGET_DIR:-target}/release/sockscope")"
echo "binary: $bin; $(nproc) CPUs; open-file limit $(ulimit -n)"
echo "| mode | connections | all accepted after | RSS before → after | CPU while idle |"
echo "|---|---|---|---|---|"
python3 scripts/scale-10k.py "$bin" "$n" tui "$idle"
python3 scripts/scale-10k.py "$bin" "$n" headless "$idle"
