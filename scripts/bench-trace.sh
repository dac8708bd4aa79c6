#!/usr/bin/env bash
# Cost of tracing: a Python client moves MIB MiB (default 100) through a loopback echo server
# and back, untraced, under `strace -f -e trace=network,read,write`, and under
# `sockscope trace --headless` (text and --json), RUNS rounds (default 3) interleaved.
# The server runs untraced; each path's log goes to /dev/null. Prints seconds per run (the
# client checks that every byte came back; a failed run stops the script).
# With BEFORE=PATH (another sockscope binary, e.g. an earlier build), its text path runs in the
# same rounds, for a before/after comparison on the same machine state.
# Usage: [BEFORE=PATH] scripts/bench-trace.sh [RUNS] [MIB]   (needs a release build and strace)
set -euo pipefail
runs=${1:-3}
mib=${2:-100}
here=$(cd "$(dirname "$0")" && pwd)
bin="$here/../target/release/sockscope"
py="$here/bench-trace.py"
tmp=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
python3 "$py" server "$tmp/port" &
server=$!
until [ -s "$tmp/port" ]; do sleep 0.05; done
port=$(cat "$tmp/port")
python=$(python3 -c 'import sys; print(sys.executable)')
client=("$python" "$py" client "$port" "$mib")

time_of() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>"$tmp/stderr" || { echo "failed: $*" >&2; cat "$tmp/stderr" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

printf '%-40s' "path"; for r in $(seq "$runs"); do printf ' run%-6s' "$r"; done; echo
declare -A results
paths=(untraced strace sockscope-text sockscope-json)
if [ -n "${BEFORE:-}" ]; then paths+=(before-text); fi
for r in $(seq "$runs"); do
    results[untraced,$r]=$(time_of "${client[@]}")
    results[strace,$r]=$(time_of strace -f -e trace=network,read,write -o /dev/null "${client[@]}")
    results[sockscope-text,$r]=$(time_of "$bin" trace --headless -- "${client[@]}")
    results[sockscope-json,$r]=$(time_of "$bin" trace --headless --json -- "${client[@]}")
    if [ -n "${BEFORE:-}" ]; then
        results[before-text,$r]=$(time_of "$BEFORE" trace --headless -- "${client[@]}")
    fi
done
for p in "${paths[@]}"; do
    printf '%-40s' "$p"
    for r in $(seq "$runs"); do printf ' %-9.2f' "${results[$p,$r]}"; done
    echo
done
