#!/usr/bin/env bash
# Proxy throughput on loopback: direct, through `socat -b 262144`, and through `sockscope proxy`
# (headless with every event printed for each --relay path, as JSON Lines, recorded, and in
# the terminal UI) and through the yardsticks examples/minimal-relay.rs and
# examples/minimal-poll-relay.rs, measured in the same run with
# iperf3; and, as the ceiling of a recorded proxy, how fast the recordings' disk writes.
#
#   scripts/bench-proxy.sh [SECONDS_PER_RUN] [RUNS]
#
# Needs iperf3, socat and tmux (Debian: apt-get install iperf3 socat tmux). Prints a Markdown table of
# median receiver throughput, and checks that sockscope's event log accounts for every byte
# that iperf3 moved through it.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-3}
runs=${2:-3}
for tool in iperf3 socat python3 tmux; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install iperf3 socat tmux)" >&2; exit 2; }
done
cargo build --release --quiet --bin sockscope --example minimal-relay --example minimal-poll-relay
bin=target/release/sockscope
work=$(mktemp -d)
pids=()
cleanup() {
    tmux -L sockscope-bench kill-server 2>/dev/null || true
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until something listens on 127.0.0.1:$1 (deadline 10 s).
wait_listening() {
    for _ in $(seq 200); do
        python3 - "$1" <<'PY' && return 0
import socket, sys
s = socket.socket()
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2; exit 1
}

server_port=$(free_port)
iperf3 -s -p "$server_port" >/dev/null 2>&1 & pids+=($!)
sleep 0.2; wait_listening "$server_port"
# The probe connection above made iperf3 log an error; give it a moment to be ready again.
sleep 0.5

# One run against port $1: receiver throughput (GB/s) and bytes moved. iperf3's server takes
# one test at a time and may still be closing the last one, so a refused run is tried again.
measure_once() {
    local out
    for _ in 1 2 3; do
        if out=$(iperf3 -c 127.0.0.1 -p "$1" -t "$secs" -J 2>/dev/null) &&
            python3 -c 'import json,sys; e=json.load(sys.stdin)["end"]["sum_received"]; print(format(e["bits_per_second"]/8e9, ".2f"), e["bytes"])' <<<"$out" 2>/dev/null; then
            return 0
        fi
        sleep 1
    done
    echo "iperf3 failed three times against port $1" >&2
    return 1
}

median() { sort -g | awk '{v[NR]=$1} END {printf "%.2f", v[int((NR+1)/2)]}'; }

# Every relay runs for the whole benchmark; the runs are interleaved (one of each path per
# round) so that a machine whose speed drifts over time skews every path alike.
names=("direct" "socat -b 262144")
ports=("$server_port")
logs=("" "")
socat_port=$(free_port)
socat -b 262144 "TCP-LISTEN:$socat_port,reuseaddr,fork" "TCP:127.0.0.1:$server_port" 2>/dev/null & pids+=($!)
wait_listening "$socat_port"
ports+=("$socat_port")

# One `sockscope proxy --headless` path: NAME, the log file (or /dev/null), then its options.
sockscope_path() {
    local name=$1 log=$2 port tag; shift 2
    port=$(free_port); tag=$(echo "$name" | tr -c 'a-zA-Z0-9' '_')
    "$bin" proxy "127.0.0.1:$port" "127.0.0.1:$server_port" --headless "$@" \
        >"$log" 2>"$work/stderr-$tag" & pids+=($!)
    for _ in $(seq 200); do grep -q "listening on" "$work/stderr-$tag" && break; sleep 0.05; done
    names+=("$name"); ports+=("$port"); logs+=("$log")
}
# At the defaults, each relay path, with the text log kept to account for every byte.
for relay in copy splice; do
    sockscope_path "sockscope proxy --relay $relay" "$work/events-$relay.log" --relay "$relay"
done
# Other read sizes than the default 1 MiB, to show what the chunk size costs.
for chunk in 64KiB 2MiB 4MiB; do
    sockscope_path "sockscope proxy --recv-chunk $chunk" "$work/events-$chunk.log" --recv-chunk "$chunk"
done
# The JSON Lines log, to /dev/null: every payload byte becomes two hex digits, so this path
# measures the printer (a file would fill the disk at these rates).
sockscope_path "sockscope proxy --json > /dev/null" /dev/null --json
# A recording of every byte, the text log to /dev/null: this path measures the recorder.
for relay in copy splice; do
    sockscope_path "sockscope proxy --relay $relay --record" /dev/null --relay "$relay" \
        --record "$work/bench-$relay.sscope"
done
# The terminal UI at its defaults (--retain), in a 140×45 tmux pane of its own.
ui_port=$(free_port)
tmux -L sockscope-bench -f /dev/null new-session -d -s ui -x 140 -y 45 \
    "$bin proxy 127.0.0.1:$ui_port 127.0.0.1:$server_port"
wait_listening "$ui_port"
names+=("sockscope proxy (terminal UI)"); ports+=("$ui_port"); logs+=("")
# The least a relay can do (examples/minimal-relay.rs: blocking, a thread per direction, no
# events), for each way of moving the bytes: where the machine's limit is; and by copy with a
# line per call written to a file, as the text log is: the least that reporting every call costs.
# (A background job of a script ignores SIGINT; these are ended with SIGTERM.)
minimal=()
for mode in copy log splice tee; do
    port=$(free_port)
    target/release/examples/minimal-relay "$mode" "127.0.0.1:$port" "127.0.0.1:$server_port" \
        >"$work/minimal-$mode.log" 2>/dev/null & pids+=($!); minimal+=($!)
    wait_listening "$port"
    names+=("minimal relay: $mode"); ports+=("$port"); logs+=("")
done
# The same least relay built as sockscope's engine is (examples/minimal-poll-relay.rs: one
# thread, one poll, non-blocking sockets): what the poll loop itself costs.
port=$(free_port)
target/release/examples/minimal-poll-relay "127.0.0.1:$port" "127.0.0.1:$server_port" \
    2>/dev/null & pids+=($!); minimal+=($!)
wait_listening "$port"
names+=("minimal relay: one poll thread"); ports+=("$port"); logs+=("")
sleep 0.5

declare -A rates moved
for _ in $(seq "$runs"); do
    for i in "${!ports[@]}"; do
        read -r gbps bytes < <(measure_once "${ports[$i]}")
        rates[$i]+="$gbps "; moved[$i]=$(( ${moved[$i]:-0} + bytes ))
    done
done
for pid in "${pids[@]:2}"; do kill -INT "$pid" 2>/dev/null || true; done
kill -TERM "${minimal[@]}" 2>/dev/null || true
wait "${pids[@]:2}" 2>/dev/null || true

row() { printf '| %-40s | %6s GB/s | %s |\n' "$1" "$2" "$3"; }
echo "| path | median of $runs × ${secs} s, interleaved | notes |"
echo "|---|---|---|"
direct_gbps=$(tr ' ' '\n' <<<"${rates[0]}" | grep . | median)
socat_gbps=$(tr ' ' '\n' <<<"${rates[1]}" | grep . | median)
for i in "${!ports[@]}"; do
    gbps=$(tr ' ' '\n' <<<"${rates[$i]}" | grep . | median)
    note="runs: ${rates[$i]% }"
    if [ "$i" -ge 2 ]; then
        note="$(python3 -c "print(f'{$gbps/$socat_gbps:.2f}× socat, {$gbps/$direct_gbps:.2f}× direct')"); $note"
    fi
    log=${logs[$i]:-}
    if [ -n "$log" ] && [ "$log" != /dev/null ]; then
        # Bytes the recv (or pipe read) events report on accepted (client) sockets: iperf3's
        # data plus its small control messages, so slightly more than the server counted.
        seen=$(awk '/ accept on / {acc[$2]=1}
            (/ recv\(/ || / read pipe\(/) && ($2 in acc) {split($0, a, "-> "); split(a[2], b, " "); n+=b[1]}
            END {printf "%.0f\n", n}' "$log")
        note="$note; events: $seen bytes received, iperf3 counted ${moved[$i]}"
    fi
    case "${names[$i]}" in
    *--record*)
        relay=$(sed 's/.*--relay \([a-z]*\).*/\1/' <<<"${names[$i]}")
        note="$note; recording: $(stat -c %s "$work/bench-$relay.sscope") bytes for ${moved[$i]} moved"
        ;;
    esac
    row "${names[$i]}" "$gbps" "$note"
done
# Where the recordings went, the disk itself: a recording holds every relayed byte once, so a
# recorded proxy moves at most what the disk writes. 2 GiB with O_DIRECT in 4 MiB blocks, as the
# recorder writes (buffered where the file system refuses O_DIRECT), the median of three.
disk=()
for _ in 1 2 3; do
    start=$(date +%s.%N)
    dd if=/dev/zero of="$work/disk.bin" bs=4M count=512 oflag=direct 2>/dev/null ||
        dd if=/dev/zero of="$work/disk.bin" bs=4M count=512 conv=fsync 2>/dev/null
    disk+=("$(python3 -c "print(f'{2**31/1e9/($(date +%s.%N)-$start):.2f}')")")
    rm -f "$work/disk.bin"
done
row "disk the recordings went to (dd, 4 MiB)" "$(printf '%s\n' "${disk[@]}" | median)" \
    "writes, not a relay: the ceiling of --record; runs: ${disk[*]}"
