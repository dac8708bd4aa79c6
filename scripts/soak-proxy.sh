#!/usr/bin/env bash
# A soak of `sockscope proxy --headless` (release build): RATE short-lived clients a second
# (default 1000) for SECONDS seconds (default 60) against a loopback echo upstream, with random
# resets and half-closes on both sides. Checks that the proxy's descriptors (/proc/PID/fd)
# return to their count before the first client and that its RSS stays flat; exits 1 if not.
#
#   scripts/soak-proxy.sh [RATE] [SECONDS]
#
# Loopback only; every loop is bounded (the load stops after SECONDS, a client is reset after
# 10 s, the wait for descriptors gives up after 30 s). Needs python3. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "missing python3" >&2; exit 2; }
rate=${1:-1000}
seconds=${2:-60}
ulimit -n "$(ulimit -Hn)"
cargo build --release --quiet
bin="$(realpath "${CARGO_TARGET_DIR:-target}/release/sockscope")"
echo "binary: $bin; $(nproc) CPUs; open-file limit $(ulimit -n)"
python3 scripts/soak-proxy.py "$bin" "$rate" "$seconds"
