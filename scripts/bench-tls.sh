#!/usr/bin/env bash
# TLS proxy throughput on loopback: a TLS client sending MiB of data to a TLS sink, directly,
# through `socat OPENSSL-LISTEN … OPENSSL:…`, and through `sockscope proxy --tls
# --upstream-tls` (headless, every event printed; and with --json to /dev/null), measured in
# the same run, the paths interleaved.
#
#   scripts/bench-tls.sh [MIB_PER_RUN] [RUNS]
#
# Needs socat, openssl and python3 (Debian: apt-get install socat openssl python3). The
# certificates (a CA and a leaf for 127.0.0.1) are made with openssl in a temporary directory.
# Every relay decrypts and re-encrypts every byte; the client and the sink are socat, with
# `-b 262144` everywhere. Each run is bounded (120 s). Prints a Markdown table of median
# throughput, and checks that sockscope's `tls_read` events on the client side account for
# every plaintext byte the client sent and that the sink counted them all.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-1024}
runs=${2:-3}
for tool in socat openssl python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install socat openssl python3)" >&2; exit 2; }
done
cargo build --release --quiet
bin=target/release/sockscope
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# A CA and a leaf it signs for 127.0.0.1 (the address every TLS client here verifies or names).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=bench CA" -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$work/key.pem" -out "$work/leaf.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$work/ext"
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
    -CAcreateserial -days 2 -extfile "$work/ext" -out "$work/cert.pem" 2>/dev/null
tls="cert=$work/cert.pem,key=$work/key.pem,verify=0"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until something listens on 127.0.0.1:$1 (deadline 10 s), without connecting.
wait_listening() {
    local hex
    hex=$(printf '%04X' "$1")
    for _ in $(seq 200); do
        grep -q ":$hex 00000000:0000 0A" /proc/net/tcp && return 0
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2; exit 1
}

# The sink: each connection's plaintext is counted (bytes appended to sink-counts).
sink_port=$(free_port)
socat -u -b 262144 "OPENSSL-LISTEN:$sink_port,reuseaddr,fork,$tls" \
    SYSTEM:"wc -c >>$work/sink-counts" 2>/dev/null & pids+=($!)
wait_listening "$sink_port"

names=("direct (client to sink)" "socat OPENSSL-LISTEN … OPENSSL:…")
ports=("$sink_port")
socat_port=$(free_port)
socat -b 262144 "OPENSSL-LISTEN:$socat_port,reuseaddr,fork,$tls" \
    "OPENSSL:127.0.0.1:$sink_port,cafile=$work/ca.pem" 2>/dev/null & pids+=($!)
wait_listening "$socat_port"
ports+=("$socat_port")
proxy_args=(--headless --tls --cert "$work/cert.pem" --key "$work/key.pem"
    --upstream-tls --ca-cert "$work/ca.pem")
text_port=$(free_port)
"$bin" proxy "127.0.0.1:$text_port" "127.0.0.1:$sink_port" "${proxy_args[@]}" \
    >"$work/events.log" 2>"$work/stderr-text" & pids+=($!)
json_port=$(free_port)
# JSON Lines to /dev/null: every plaintext byte is printed twice as hex (tls_read and the
# relayed tls_write) besides the ciphertext's recv and send, so this measures the printer.
"$bin" proxy "127.0.0.1:$json_port" "127.0.0.1:$sink_port" "${proxy_args[@]}" --json \
    >/dev/null 2>"$work/stderr-json" & pids+=($!)
wait_listening "$text_port"; wait_listening "$json_port"
names+=("sockscope proxy --tls --upstream-tls" "sockscope proxy … --json > /dev/null")
ports+=("$text_port" "$json_port")

# One run against port $1: MiB/s of plaintext from the client's first byte to its close.
measure_once() {
    local start end
    start=$(date +%s.%N)
    head -c "$((mib << 20))" /dev/zero |
        timeout 120 socat -u -b 262144 - "OPENSSL:127.0.0.1:$1,cafile=$work/ca.pem" 2>/dev/null
    end=$(date +%s.%N)
    python3 -c "print(format($mib * 1048576 / ($end - $start) / 1e9, '.2f'))"
}

median() { sort -g | awk '{v[NR]=$1} END {printf "%.2f", v[int((NR+1)/2)]}'; }

declare -A rates
for _ in $(seq "$runs"); do
    for i in "${!ports[@]}"; do
        rates[$i]+="$(measure_once "${ports[$i]}") "
    done
done
# The sink counts each connection when it ends; give the last one a moment (deadline 10 s).
want=$(( runs * ${#ports[@]} ))
for _ in $(seq 200); do [ "$(wc -l <"$work/sink-counts")" -ge "$want" ] && break; sleep 0.05; done
for pid in "${pids[@]:2}"; do kill -INT "$pid" 2>/dev/null || true; done
wait "${pids[@]:2}" 2>/dev/null || true

sent=$(( runs * (mib << 20) ))
# Plaintext the proxy decrypted from its clients: tls_read on accepted sockets.
seen=$(awk '/ accept on / {acc[$2]=1} / tls_read -> / && ($2 in acc) {split($0, a, "-> "); split(a[2], b, " "); n+=b[1]} END {printf "%.0f\n", n}' "$work/events.log")
short=$(awk -v want="$((mib << 20))" '$1 != want {n++} END {print n+0}' "$work/sink-counts")
row() { printf '| %-38s | %6s GB/s | %s |\n' "$1" "$2" "$3"; }
echo "| path | median of $runs × $mib MiB, interleaved | notes |"
echo "|---|---|---|"
socat_gbps=$(tr ' ' '\n' <<<"${rates[1]}" | grep . | median)
for i in "${!ports[@]}"; do
    gbps=$(tr ' ' '\n' <<<"${rates[$i]}" | grep . | median)
    note="runs: ${rates[$i]% }"
    [ "$i" -ge 2 ] && note="$(python3 -c "print(f'{$gbps/$socat_gbps:.2f}')")× socat; $note"
    [ "$i" -eq 2 ] && note="$note; client-side tls_read events: $seen bytes of $sent sent"
    row "${names[$i]}" "$gbps" "$note"
done
echo
echo "sink: $(wc -l <"$work/sink-counts") connections counted, $short of them short of $mib MiB"
[ "$seen" -eq "$sent" ] && [ "$short" -eq 0 ] || { echo "bytes missing" >&2; exit 1; }
