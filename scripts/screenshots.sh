#!/usr/bin/env bash
# Makes PNG screenshots of sockscope's terminal UI from the real binary, in screenshots/:
#
#   demo.png      `sockscope demo` after several steps (second round of the script), Data as text
#   demo-hex.png  the same demo with the Data panel focused (Tab) and switched to hex (x)
#   help.png      the key overlay (?)
#   proxy.png     `sockscope proxy --record` relaying a Python client to a Python echo server
#   replay.png    `sockscope replay` of that recording, paused 0.7 s before its end
#   picker.png    the scenario picker (D) over the echo lesson
#   demo-NAME.png one per lesson (echo, partial-recv, partial-send, framing, byte-order,
#                 eof-and-shutdown, select, dead-peer), each at the moment that shows its point
#   follow.png    the follow view of curl's request and the server's answer through the proxy
#   intercept.png a request held by `:intercept`, in the held list
#
#   scripts/screenshots.sh
#   SOCKSCOPE_SHOTS="workbench" scripts/screenshots.sh   # only some sections: demo, lessons,
#                                                        # proxy (and replay), workbench
#
# The UI runs in a private tmux server (140x42); the script waits for what it expects on the
# screen, captures it with its colours (`capture-pane -e`) and renders it with
# scripts/ansi2png.py. Needs tmux, python3 with Pillow and the DejaVu Sans Mono fonts; it installs
# nothing and says what is missing (exit 2). It builds the release binary with cargo (honouring
# CARGO_TARGET_DIR) unless SOCKSCOPE_BIN names one. SOCKSCOPE_FONT_DIR overrides the font folder.
set -euo pipefail
cd "$(dirname "$0")/.."

COLS=140
ROWS=42
FONT_DIR=${SOCKSCOPE_FONT_DIR:-/usr/share/fonts/truetype/dejavu}
OUT=screenshots

die() { echo "screenshots.sh: $*" >&2; exit 1; }

# --- What it needs ----------------------------------------------------------------------------
missing=()
command -v tmux >/dev/null || missing+=("tmux: apt-get install tmux")
if command -v python3 >/dev/null; then
    python3 -c 'import PIL' 2>/dev/null \
        || missing+=("Pillow for python3: pip install pillow (or apt-get install python3-pil)")
else
    missing+=("python3: apt-get install python3")
fi
for font in DejaVuSansMono.ttf DejaVuSansMono-Bold.ttf; do
    [[ -f $FONT_DIR/$font ]] \
        || missing+=("$FONT_DIR/$font: apt-get install fonts-dejavu-core (or set SOCKSCOPE_FONT_DIR)")
done
if [[ -z ${SOCKSCOPE_BIN:-} ]] && ! command -v cargo >/dev/null; then
    missing+=("cargo (or SOCKSCOPE_BIN=path/to/sockscope)")
fi
if ((${#missing[@]})); then
    echo "screenshots.sh: missing, please install:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 2
fi

if [[ -n ${SOCKSCOPE_BIN:-} ]]; then
    bin=$SOCKSCOPE_BIN
else
    cargo build --release --quiet
    bin=${CARGO_TARGET_DIR:-target}/release/sockscope
fi
[[ -x $bin ]] || die "no binary at $bin"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# --- Cleanup ----------------------------------------------------------------------------------
work=$(mktemp -d)
sock=sockscope-shots-$$
pids=()  # background helpers (python)
apps=()  # the sockscope processes, one per tmux session
sess=
cleanup() {
    [[ -z $sess ]] || quit_app "$sess" 2>/dev/null || true
    # A sockscope whose terminal went away may not end by itself: stop the rest by signal.
    for p in "${apps[@]}"; do stop_pid "$p"; done
    tmux -L "$sock" kill-server 2>/dev/null || true
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Whether process $1 still runs. A zombie does not: it has ended, and tmux reaps its panes'
# processes only a second or two later.
running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { kill -0 "$1" 2>/dev/null; return; }
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# Waits up to $2 seconds for process $1 to end.
wait_gone() {
    local deadline=$((SECONDS + $2))
    while running "$1"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.05
    done
}

# TERM (the program's orderly exit), a second TERM (its forced exit), then KILL.
stop_pid() {
    running "$1" || return 0
    kill -TERM "$1" 2>/dev/null || true
    wait_gone "$1" 3 && return 0
    kill -TERM "$1" 2>/dev/null || true
    wait_gone "$1" 3 && return 0
    kill -KILL "$1" 2>/dev/null || true
}

tm() { tmux -L "$sock" -f /dev/null "$@"; }

# Starts CMD (a string for the shell; it should `exec` sockscope) in a new session of
# COLS x ROWS, which the other functions then talk to; the previous one is quit first. The new
# session exists before the old one ends (the tmux server ends with its last session), but CMD
# waits for Enter until then: a lesson's moments are counted from its start.
nsess=0
start() {
    local old=$sess
    sess=shot$((++nsess))
    tm new-session -d -s "$sess" -x "$COLS" -y "$ROWS" "read -r _; $1"
    apps+=("$(tm display -p -t "$sess" '#{pane_pid}')")
    [[ -z $old ]] || quit_app "$old"
    tm send-keys -t "$sess" Enter
}

# Quits the sockscope in session $1 as a person would (Ctrl-C quits from any view).
quit_app() {
    local pid
    pid=$(tm display -p -t "$1" '#{pane_pid}' 2>/dev/null) || return 0
    tm send-keys -t "$1" C-c
    wait_gone "$pid" 5 || { echo "screenshots.sh: sockscope ignored Ctrl-C; stopping it" >&2; stop_pid "$pid"; }
    tm kill-session -t "$1" 2>/dev/null || true
}

# The screen as text, or with escape sequences (styled).
screen() { tm capture-pane -p -t "$sess" 2>/dev/null; }
screen_styled() { tm capture-pane -e -p -N -t "$sess" 2>/dev/null; }

# Waits (deadline SECONDS, default 20) until the screen matches every extended regex given.
wait_for() {
    local secs=20
    if [[ $1 == --secs ]]; then secs=$2; shift 2; fi
    local deadline=$((SECONDS + secs)) text pattern ok
    while :; do
        text=$(screen) || { sed 's/^/  stderr: /' "$work"/*.err >&2 2>/dev/null; die "sockscope exited"; }
        ok=1
        for pattern in "$@"; do
            grep -Eq -- "$pattern" <<<"$text" || { ok=0; break; }
        done
        ((ok)) && return 0
        if ((SECONDS >= deadline)); then
            printf '%s\n' "$text" >&2
            die "timed out after ${secs}s waiting for: $*"
        fi
        sleep 0.1
    done
}

# The name of the focused panel: its title is the only bold one on a border line.
focused_panel() { screen_styled | grep -ao $'┌\e\\[1m [A-Za-z]*' | head -n1 | sed 's/.*m //'; }

# Presses Tab until the panel named $1 has the focus.
focus() {
    local cur i deadline
    for i in 1 2 3 4 5 6 7; do
        cur=$(focused_panel)
        [[ $cur == "$1" ]] && return 0
        tm send-keys -t "$sess" Tab
        deadline=$((SECONDS + 5))
        while [[ $(focused_panel) == "$cur" ]]; do
            ((SECONDS < deadline)) || die "Tab did not move the focus from '$cur'"
            sleep 0.05
        done
    done
    die "could not focus the $1 panel"
}

# Captures the screen once it has been still for a moment (never half a frame) and renders
# screenshots/$1.png. Any further arguments are extended regexes the captured screen must still
# match: a lesson's moment can pass while the screen settles, and a picture of the wrong
# moment must not be written.
shot() {
    local a b i name=$1 pattern plain
    shift
    b=$(screen_styled)
    for i in $(seq 30); do
        sleep 0.15
        a=$b
        b=$(screen_styled)
        [[ $a == "$b" ]] && break
    done
    plain=$(sed 's/\x1b\[[0-9;]*m//g' <<<"$b")
    for pattern in "$@"; do
        grep -Eq -- "$pattern" <<<"$plain" \
            || { printf '%s\n' "$plain" >&2; die "$name: the moment passed before the capture ($pattern)"; }
    done
    printf '%s\n' "$b" >"$work/$name.ans"
    python3 scripts/ansi2png.py "$work/$name.ans" "$OUT/$name.png" \
        --cols "$COLS" --rows "$ROWS" --font-dir "$FONT_DIR"
    echo "wrote $OUT/$name.png"
}

mkdir -p "$OUT"

# Whether section $1 is wanted (all of them unless SOCKSCOPE_SHOTS names some).
want() { [[ -z ${SOCKSCOPE_SHOTS:-} || " $SOCKSCOPE_SHOTS " == *" $1 "* ]]; }

if want demo; then
# --- The demo ---------------------------------------------------------------------------------
# The demo's script repeats (--loop): connections #2/#3, then #4/#5, ... Wait for the second
# round to reach its binary message, so that closed connections, read_closed rounds and every
# kind of message are on screen.
start "exec '$bin' demo --loop 2>'$work/demo.err'"
wait_for ' AUTO ' 'Connections'
wait_for --secs 40 '#5 +open' '\\x90\\xc0'
shot demo

# Data panel focused and as hex; then wait for the binary message again.
focus Data
tm send-keys -t "$sess" x
wait_for 'Data \(hex\)'
wait_for --secs 40 'Data \(hex\)' '#[0-9]+ +open' '90 c0 a8'
shot demo-hex

# The key overlay, over the demo (back to the text view first).
tm send-keys -t "$sess" x
wait_for 'Data \(text\)'
tm send-keys -t "$sess" '?'
wait_for 'Keys \(Esc closes'
shot help

fi

if want lessons; then
# --- The lessons ------------------------------------------------------------------------------
# shellcheck source=scripts/screenshot-lessons.sh
. scripts/screenshot-lessons.sh
fi

if want proxy; then
# --- The proxy --------------------------------------------------------------------------------
# A loopback echo server that picks its own port and writes it to a file; it stops by itself
# after two idle minutes.
cat >"$work/echo.py" <<'PY'
import os, socket, sys, threading
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen()
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
srv.settimeout(120)

def serve(conn):
    with conn:
        while data := conn.recv(4096):
            conn.sendall(data)

while True:
    conn, _ = srv.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
PY

# A client that sends a few lines through the proxy, reads each echo back, then keeps the
# connection open (so the screenshot shows it open) until it is killed or a minute passes.
cat >"$work/client.py" <<'PY'
import socket, sys, time
port, done = int(sys.argv[1]), sys.argv[2]
deadline = time.time() + 10
while True:
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        break
    except OSError:
        if time.time() > deadline:
            raise
        time.sleep(0.1)
for line in [b"hello through the proxy\n", b"GET /status HTTP/1.0\r\n\r\n", b"bye\n"]:
    s.sendall(line)
    got = b""
    while len(got) < len(line):
        chunk = s.recv(4096)
        if not chunk:
            sys.exit("echo closed early")
        got += chunk
    time.sleep(0.6)
open(done, "w").close()
time.sleep(60)
PY

python3 "$work/echo.py" "$work/echo.port" & pids+=($!)
deadline=$((SECONDS + 10))
until [[ -s $work/echo.port ]]; do
    ((SECONDS < deadline)) || die "the echo server did not start"
    sleep 0.05
done
echo_port=$(<"$work/echo.port")
proxy_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

start "exec '$bin' proxy 127.0.0.1:$proxy_port 127.0.0.1:$echo_port --record '$work/proxy.sscope' 2>'$work/proxy.err'"
wait_for '#1 listening'
python3 "$work/client.py" "$proxy_port" "$work/client.done" & pids+=($!)
deadline=$((SECONDS + 20))
until [[ -e $work/client.done ]]; do
    ((SECONDS < deadline)) || die "the client did not get its echoes"
    sleep 0.05
done
wait_for '2 open' 'bye\\n' 'REC proxy.sscope'
shot proxy

# --- The replay -------------------------------------------------------------------------------
# The proxy session just recorded, on its timeline: played to the end, then sought 0.7 s back
# (`t`, `-0.7s`), where it stays paused.
start "exec '$bin' replay '$work/proxy.sscope' 2>'$work/replay.err'"
wait_for --secs 30 'REPLAY' ' end ' 'bye\\n'
tm send-keys -t "$sess" t
wait_for '^:seek'
tm send-keys -t "$sess" -l -- '-0.7s'
tm send-keys -t "$sess" Enter
wait_for 'REPLAY' 'paused'
shot replay 'REPLAY' 'paused'
fi

if want workbench; then
# --- The protocol workbench -------------------------------------------------------------------
# shellcheck source=scripts/screenshot-workbench.sh
. scripts/screenshot-workbench.sh
fi
