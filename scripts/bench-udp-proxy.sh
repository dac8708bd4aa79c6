#!/usr/bin/env bash
# Datagrams per second through a UDP proxy on loopback: direct, through `socat UDP-LISTEN …
# UDP:…`, and through `sockscope proxy udp:… udp:…` (headless, every event printed to
# /dev/null), measured in the same run with iperf3 in UDP mode (1400-byte datagrams, no rate
# limit). iperf3 also needs its TCP control connection relayed: each path gets a TCP relay of
# the same kind on the same port number.
#
#   scripts/bench-udp-proxy.sh [SECONDS_PER_RUN] [RUNS]
#
# Needs iperf3 and socat (Debian: apt-get install iperf3 socat). Prints a Markdown table of the
# median datagrams per second the server received, and the median share lost on the way.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-3}
runs=${2:-3}
for tool in iperf3 socat python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install iperf3 socat)" >&2; exit 2; }
done
cargo build --release --quiet
bin=target/release/sockscope
pids=()
# socat's UDP-LISTEN forks a child per client address: end the children with their parent.
cleanup() {
    for p in "${pids[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

# A port free for both TCP and UDP.
free_port() {
    python3 -c '
import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port)); print(port); break
    except OSError:
        pass'
}

wait_listening() {
    for _ in $(seq 200); do
        python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2; exit 1
}

server=$(free_port)
iperf3 -s -p "$server" >/dev/null 2>&1 & pids+=($!)
wait_listening "$server"; sleep 0.5

via_socat=$(free_port)
socat "TCP-LISTEN:$via_socat,bind=127.0.0.1,fork,reuseaddr" "TCP:127.0.0.1:$server" & pids+=($!)
socat "UDP-LISTEN:$via_socat,bind=127.0.0.1,fork,reuseaddr" "UDP:127.0.0.1:$server" & pids+=($!)

via_sockscope=$(free_port)
"$bin" proxy "127.0.0.1:$via_sockscope" "127.0.0.1:$server" --headless >/dev/null 2>&1 & pids+=($!)
"$bin" proxy "udp:127.0.0.1:$via_sockscope" "udp:127.0.0.1:$server" --headless >/dev/null 2>&1 & pids+=($!)
wait_listening "$via_socat"; wait_listening "$via_sockscope"; sleep 0.5

# One run against port $1: datagrams per second the server received, and the share lost.
measure_once() {
    local out
    for _ in 1 2 3; do
        if out=$(iperf3 -c 127.0.0.1 -p "$1" -u -b 0 -l 1400 -t "$secs" -J 2>/dev/null) &&
            python3 -c '
import json, sys
e = json.load(sys.stdin)["end"]["sum"]
received = e["packets"] - e["lost_packets"]
print(int(received / e["seconds"]), format(100 * e["lost_packets"] / max(e["packets"], 1), ".1f"))' <<<"$out" 2>/dev/null; then
            return 0
        fi
        sleep 1
    done
    echo "iperf3 failed three times against port $1" >&2
    return 1
}

declare -A rates losses
names=(direct socat sockscope)
declare -A ports=([direct]=$server [socat]=$via_socat [sockscope]=$via_sockscope)
for round in $(seq "$runs"); do
    for name in "${names[@]}"; do
        read -r rate lost < <(measure_once "${ports[$name]}")
        rates[$name]+="$rate "; losses[$name]+="$lost "
        echo "round $round $name: $rate datagrams/s, $lost % lost" >&2
    done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
socat_rate=$(median <<<"${rates[socat]}")
echo "| path | median datagrams/s received | × socat | median lost |"
echo "|---|---|---|---|"
for name in "${names[@]}"; do
    rate=$(median <<<"${rates[$name]}")
    ratio=$(python3 -c "print(format($rate / $socat_rate, '.2f'))")
    [ "$name" = direct ] && ratio=""
    echo "| $name | $rate | $ratio | $(median <<<"${losses[$name]}") % |"
done
