#!/usr/bin/env bash
# Memory of the terminal UI while a peer streams 1, 2, 4 and 8 GiB into it, for each retention
# cap given (default: 64MiB and the default 256MiB).
#
#   scripts/soak-retain.sh [RETAIN ...]
#
# The UI runs for real (`sockscope listen`, release build) in a detached tmux session; a Python
# client streams into it and, at each milestone, waits until sockscope has read every byte
# (the client's send queue and sockscope's receive queue are empty), then reads VmRSS and VmHWM
# of the UI process, which is the one holding the session model. The requirement: RSS stays
# within the cap + 32 MiB however much is streamed.
#
# Needs tmux, ss (iproute2) and python3. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in tmux ss python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
caps=("$@")
[ ${#caps[@]} -gt 0 ] || caps=(64MiB 256MiB)
cargo build --release --quiet
bin="$(realpath "${CARGO_TARGET_DIR:-target}/release/sockscope")"
echo "binary: $bin; $(nproc) CPUs"
for cap in "${caps[@]}"; do
    python3 scripts/soak-retain.py "$bin" "$cap" 1 2 4 8
done
