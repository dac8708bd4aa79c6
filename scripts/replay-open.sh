#!/usr/bin/env bash
# Time to the first replay frame of a ~1 GiB recording, in the terminal UI, from a cold page
# cache when run as root (otherwise warm, and it says so):
#
#   scripts/replay-open.sh [RECORD_DIR]
#
# Records 520 MB of iperf3 traffic (each byte twice: received and relayed) through `sockscope proxy --headless --record`, then
# starts `sockscope replay FILE` in a private tmux server and polls the screen every 10 ms
# until the status bar shows replayed events (`#N`) and then the timeline's length (`#N/M`).
# Needs iperf3, tmux and python3. The recording is deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in iperf3 tmux python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
cargo build --release --quiet
bin=$(pwd)/${CARGO_TARGET_DIR:-target}/release/sockscope
dir=$(mktemp -d "${1:-/tmp}/sockscope-replay.XXXXXX")
sock=sockscope-replay-$$
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    tmux -L "$sock" kill-server 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

server=$(free_port)
proxy=$(free_port)
iperf3 -s -1 -p "$server" >/dev/null 2>&1 & pids+=($!)
"$bin" proxy "127.0.0.1:$proxy" "127.0.0.1:$server" --headless --record "$dir/big.sscope" \
    >/dev/null 2>"$dir/proxy.err" & pid=$!
for _ in $(seq 200); do grep -q '^listening on' "$dir/proxy.err" 2>/dev/null && break; sleep 0.05; done
iperf3 -c 127.0.0.1 -p "$proxy" -n 520M >/dev/null
kill -INT "$pid"; wait "$pid" || true
echo "recording: $(stat -c %s "$dir/big.sscope") bytes"

cache=warm
if sync && echo 3 2>/dev/null >/proc/sys/vm/drop_caches; then cache=cold; fi
python3 - "$bin" "$dir/big.sscope" "$sock" "$cache" <<'PY'
import re, subprocess, sys, time
binary, path, sock, cache = sys.argv[1:]
tmux = ["tmux", "-L", sock]
start = time.monotonic()
subprocess.run(tmux + ["-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "140", "-y", "42",
                       f"'{binary}' replay '{path}'; read -r _"], check=True)
first = None
while time.monotonic() - start < 30:
    top = subprocess.run(tmux + ["capture-pane", "-p", "-t", "t"], capture_output=True,
                         text=True).stdout.split("\n")[0]
    if first is None and re.search(r"REPLAY .* #\d+", top):
        first = time.monotonic() - start
        print(f"{cache} cache: first frame with replayed events after {first:.3f} s")
    if re.search(r" #\d+/\d+", top):
        print(f"{cache} cache: the timeline's length shown after {time.monotonic() - start:.3f} s")
        break
    time.sleep(0.01)
else:
    sys.exit("the replay did not show its events within 30 s")
PY
