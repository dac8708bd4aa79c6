"""Measures key-to-screen latency of the sockscope UI in tmux; see scripts/key-latency.sh.

    python3 scripts/key-latency.py BINARY PRESSES idle|flood
"""

import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

WIDTH, HEIGHT = 140, 42
HELP_TITLE = "Keys (Esc closes"
TIMEOUT = 10.0  # seconds: a key that takes longer counts as a failure
REQUIREMENT_MS = 100.0

# The upstream: accepts one connection, reads and discards as fast as it can, and every 0.1 s
# writes "BYTES MONOTONIC_SECONDS" to a status file (CLOCK_MONOTONIC is system-wide on Linux).
SINK = r"""
import os, socket, sys, time
port, status = int(sys.argv[1]), sys.argv[2]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(8)
def report(total):
    tmp = status + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{total} {time.monotonic()}")
    os.replace(tmp, status)
report(0)
conn, _ = srv.accept()
buf = bytearray(1 << 20)
total, last = 0, 0.0
while True:
    n = conn.recv_into(buf)
    if n == 0:
        break
    total += n
    now = time.monotonic()
    if now - last >= 0.1:
        report(total)
        last = now
report(total)
"""

# The flooding client without socat: 64 KiB blocks, forever.
FLOOD = r"""
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
block = bytes(range(256)) * 256
while True:
    s.sendall(block)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(what, condition, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.01)


class Tmux:
    """A private tmux server running `command` in a WIDTHxHEIGHT session, driven through one
    control-mode client (`tmux -C`): a key or a capture is a line on a pipe and one round trip,
    not a process spawn (which costs 10-15 ms here and would blur the measurement)."""

    def __init__(self, command):
        self.socket = f"sockscope-latency-{os.getpid()}"
        subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", "t",
             "-x", str(WIDTH), "-y", str(HEIGHT), command],
            check=True,
        )
        self.control = subprocess.Popen(
            ["tmux", "-L", self.socket, "-C", "attach-session", "-t", "t"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, errors="replace",
        )
        self._reply()  # the attach itself answers with an empty block
        # Pane output would otherwise stream into the pipe as %output notifications.
        self.command("refresh-client -f no-output")
        size = self.command("display-message -p '#{window_width}x#{window_height}'").strip()
        if size != f"{WIDTH}x{HEIGHT}":
            sys.exit(f"the tmux window is {size}, not {WIDTH}x{HEIGHT}")
        self.capture_times = []
        self.send_keys_times = []
        self.pane_pid = int(self.command("display-message -p '#{pane_pid}'").strip())

    def _reply(self):
        """The next command reply (%begin ... %end); notifications in between are skipped."""
        lines, inside = [], False
        while True:
            line = self.control.stdout.readline()
            if not line:
                sys.exit("the tmux control client ended")
            line = line.rstrip("\n")
            if line.startswith("%begin"):
                lines, inside = [], True
            elif inside and line.startswith(("%end", "%error")):
                if line.startswith("%error"):
                    sys.exit("tmux: " + "\n".join(lines))
                return "\n".join(lines)
            elif inside:
                lines.append(line)

    def command(self, line):
        self.control.stdin.write(line + "\n")
        self.control.stdin.flush()
        return self._reply()

    def capture(self):
        start = time.perf_counter()
        out = self.command("capture-pane -p -t t")
        self.capture_times.append(time.perf_counter() - start)
        return out

    def keys(self, key):
        self.command(f"send-keys -t t {key}")

    def alive(self):
        out = subprocess.run(
            ["tmux", "-L", self.socket, "display-message", "-p", "-t", "t", "#{pane_dead}"],
            capture_output=True, text=True,
        )
        return out.returncode == 0 and out.stdout.strip() == "0"

    def kill(self):
        # A UI still running when its terminal hangs up may not exit: end it by pid first.
        if self.alive():
            try:
                os.kill(self.pane_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.control.kill()
        self.control.wait()
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def until_screen(tmux, condition):
    """Seconds from now until capture-pane shows `condition`; polls as fast as tmux answers."""
    start = time.perf_counter()
    while True:
        screen = tmux.capture()
        now = time.perf_counter()
        if condition(screen):
            return now - start
        if now - start > TIMEOUT:
            return None


def press(tmux, key, condition):
    """Presses `key`, returns the seconds from the start of the send-keys call until the
    screen shows `condition` (None: timeout)."""
    start = time.perf_counter()
    tmux.keys(key)
    tmux.send_keys_times.append(time.perf_counter() - start)
    shown = until_screen(tmux, condition)
    return None if shown is None else time.perf_counter() - start


def summary(name, values):
    got = [v * 1000 for v in values if v is not None]
    failed = sum(1 for v in values if v is None)
    if not got:
        return f"{name:<22} all {len(values)} timed out"
    over = sum(1 for v in got if v > REQUIREMENT_MS)
    return (f"{name:<22} n={len(got)}  min {min(got):7.1f}  median {statistics.median(got):7.1f}"
            f"  max {max(got):7.1f} ms   over {REQUIREMENT_MS:.0f} ms: {over}"
            + (f"   timed out: {failed}" if failed else ""))


def main():
    binary, presses, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    flood = mode == "flood"
    work = tempfile.mkdtemp(prefix="sockscope-latency-")
    status = os.path.join(work, "sink")
    procs = []
    tmux = None
    try:
        p1, p2 = free_port(), free_port()
        procs.append(subprocess.Popen([sys.executable, "-c", SINK, str(p2), status]))
        wait("the sink", lambda: os.path.exists(status))
        # `exec`: the pane's process is sockscope itself, so it can be killed by pid at the end.
        tmux = Tmux(f"exec '{binary}' proxy 127.0.0.1:{p1} 127.0.0.1:{p2}")
        wait("the proxy's first frame", lambda: f"listening on 127.0.0.1:{p1}" in tmux.capture())

        def sink():
            with open(status) as f:
                total, at = f.read().split()
            return int(total), float(at)

        flooder = "none"
        if flood:
            if shutil.which("socat"):
                flooder = "socat -u -b 65536 /dev/zero TCP:..."
                cmd = ["socat", "-u", "-b", "65536", "/dev/zero", f"TCP:127.0.0.1:{p1}"]
            else:
                flooder = "python3 sendall(64 KiB) loop"
                cmd = [sys.executable, "-c", FLOOD, str(p1)]
            procs.append(subprocess.Popen(cmd, stderr=subprocess.DEVNULL))
            # The flood is on once the sink has counted more than 64 MiB.
            wait("the flood to reach the sink", lambda: sink()[0] > 64 << 20, timeout=30)
        start_bytes, start_at = sink()

        tmux.capture_times.clear()
        opened, closed = [], []
        # A person's key presses are not back to back: wait 0-100 ms (fixed seed) before each,
        # so presses land at any phase of the UI's 16 ms frame pacing, not always just after
        # the frame that showed the previous key (which would add most of a frame to each).
        rng = random.Random(1)
        for _ in range(presses):
            time.sleep(rng.uniform(0, 0.1))
            opened.append(press(tmux, "?", lambda s: HELP_TITLE in s))
            time.sleep(rng.uniform(0, 0.1))
            closed.append(press(tmux, "Escape", lambda s: HELP_TITLE not in s))
        end_bytes, end_at = sink()
        captures = sorted(tmux.capture_times)

        quit_start = time.perf_counter()
        tmux.control.stdin.write("send-keys -t t q\n")
        tmux.control.stdin.flush()
        wait("the UI to quit", lambda: not tmux.alive(), timeout=TIMEOUT)
        quit_ms = (time.perf_counter() - quit_start) * 1000

        print(f"\n== {mode}: sockscope proxy 127.0.0.1:{p1} 127.0.0.1:{p2} in tmux {WIDTH}x{HEIGHT};"
              f" flooding client: {flooder}")
        print(summary("'?' -> help shown", opened))
        print(summary("Esc -> help gone", closed))
        print(f"polling granularity: one capture-pane round trip takes median "
              f"{statistics.median(captures) * 1000:.1f} ms, max {captures[-1] * 1000:.1f} ms "
              f"({len(captures)} polls); one send-keys round trip (included above) median "
              f"{statistics.median(tmux.send_keys_times) * 1000:.1f} ms")
        seconds = max(end_at - start_at, 1e-9)
        moved = end_bytes - start_bytes
        if flood:
            print(f"flood through the proxy while measuring: {moved / 2**20:.0f} MiB in "
                  f"{seconds:.1f} s = {moved / seconds / 1e6:.0f} MB/s (counted by the sink)")
        else:
            print("no flood (baseline)")
        print(f"'q' -> UI gone: {quit_ms:.0f} ms (approximate: pane death polled by tmux processes)")
        worst = max((v for v in opened + closed if v is not None), default=None)
        ok = worst is not None and None not in opened + closed and worst * 1000 <= REQUIREMENT_MS
        print(f"requirement (no key delayed by more than {REQUIREMENT_MS:.0f} ms): "
              f"{'met' if ok else 'NOT met'}")
    finally:
        if tmux:
            tmux.kill()
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
