#!/usr/bin/env bash
# Proxy throughput with and without --record, measured with iperf3 on loopback, the paths
# interleaved run by run (the machine's speed drifts). Each run starts a fresh proxy and
# deletes its recording afterwards, so the disk never holds more than one run.
#
#   scripts/bench-record.sh [SECONDS_PER_RUN] [RUNS] [RECORD_DIR]
#
# RECORD_DIR defaults to a temporary directory under /tmp (a disk); pass /dev/shm to take the
# disk out of the measurement. The event log goes to a file in both paths, as in
# scripts/bench-proxy.sh. Needs iperf3 (apt-get install iperf3).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-3}
runs=${2:-3}
for tool in iperf3 python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/sockscope
work=$(mktemp -d)
record_dir=$(mktemp -d "${3:-/tmp}/sockscope-bench.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work" "$record_dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

server_port=$(free_port)
iperf3 -s -p "$server_port" >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 200); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$server_port)).close()" 2>/dev/null && break
    sleep 0.05
done
sleep 0.5

# One run through a fresh proxy; $1 = "plain" or "record". Prints GB/s and the recording size.
run_once() {
    local mode=$1 port="" out="" size=0 rec="$record_dir/run.sscope" args=()
    [ "$mode" = record ] && args=(--record "$rec")
    rm -f "$work/stderr"
    "$bin" proxy 127.0.0.1:0 "127.0.0.1:$server_port" --headless "${args[@]}" \
        >"$work/events.log" 2>"$work/stderr" & local pid=$!
    for _ in $(seq 200); do
        port=$(sed -n 's/^listening on 127.0.0.1://p' "$work/stderr" 2>/dev/null || true)
        [ -n "$port" ] && break
        sleep 0.05
    done
    [ -n "$port" ] || { echo "the proxy did not start" >&2; exit 1; }
    # iperf3's server takes one test at a time and may still be closing the last one.
    for _ in 1 2 3; do
        if out=$(iperf3 -c 127.0.0.1 -p "$port" -t "$secs" -J 2>/dev/null); then break; fi
        sleep 1
    done
    kill -INT "$pid"; wait "$pid" || true
    [ -f "$rec" ] && size=$(stat -c %s "$rec")
    rm -f "$rec"
    python3 -c 'import json,sys; e=json.load(sys.stdin)["end"]["sum_received"]; print(format(e["bits_per_second"]/8e9, ".2f"))' <<<"$out" | tr '\n' ' '
    echo "$size"
}

median() { sort -g | awk '{v[NR]=$1} END {printf "%.2f", v[int((NR+1)/2)]}'; }
plain=() record=() sizes=()
for _ in $(seq "$runs"); do
    read -r gbps _ < <(run_once plain); plain+=("$gbps")
    read -r gbps size < <(run_once record); record+=("$gbps"); sizes+=("$size")
done
p=$(printf '%s\n' "${plain[@]}" | median)
r=$(printf '%s\n' "${record[@]}" | median)
echo "| path | median of $runs × ${secs} s, interleaved | runs |"
echo "|---|---|---|"
echo "| sockscope proxy --headless | $p GB/s | ${plain[*]} |"
echo "| sockscope proxy --headless --record (in ${3:-/tmp}) | $r GB/s | ${record[*]}; recordings: ${sizes[*]} bytes |"
python3 -c "print(f'with --record: {$r/$p:.2f}× without')"
