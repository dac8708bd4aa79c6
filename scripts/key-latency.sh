#!/usr/bin/env bash
# Key latency of the terminal UI while data floods through it.
#
#   scripts/key-latency.sh [PRESSES]          (default 20)
#
# Runs `sockscope proxy 127.0.0.1:P1 127.0.0.1:P2` (release build) in a detached tmux session
# of 140x42, twice: once idle (baseline), once while a client floods the proxy and a sink on P2
# reads and discards everything. Each run presses `?` PRESSES times (0-100 ms apart, as a person
# would, not back to back) and measures how long the help overlay's title takes to appear in
# `tmux capture-pane -p`, then Escape and how long it takes to disappear. Keys and captures go
# through one tmux control-mode client, so polling is a pipe round trip, not a process spawn. Prints min/median/max (ms), the polling granularity (how long one
# capture-pane takes: a measured latency is exact to within about one of those) and the flood
# rate the sink counted, against the requirement "a flood of data never delays a key press by
# more than 100 ms".
#
# Needs tmux and python3; uses socat for the flooding client when installed (python otherwise).
# Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
presses=${1:-20}
for tool in tmux python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/sockscope"
echo "binary: $bin; $(nproc) CPUs; $(tmux -V)"
python3 scripts/key-latency.py "$bin" "$presses" idle
python3 scripts/key-latency.py "$bin" "$presses" flood
