"""Holds N connections open to a sockscope listener and measures it; see scripts/scale-10k.sh.

    python3 scripts/scale-10k.py BINARY N tui|headless [IDLE_SECONDS]

Starts `sockscope listen 127.0.0.1:P --max-conns N --backlog 4096` (the UI in a detached tmux
session, or `--headless` with its log to /dev/null), opens N client connections, waits until
sockscope holds N accepted sockets, then reports: how long accepting took, RSS, and the CPU
time sockscope used over IDLE_SECONDS (default 10) while nothing happened.
"""

import os
import socket
import subprocess
import sys
import time

TIMEOUT = 120.0
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sockets_held(pid):
    fd_dir = f"/proc/{pid}/fd"
    count = 0
    for fd in os.listdir(fd_dir):
        try:
            count += os.readlink(f"{fd_dir}/{fd}").startswith("socket:")
        except OSError:
            pass
    return count


def listening(port):
    out = subprocess.run(["ss", "-Hltn", f"( sport = :{port} )"], capture_output=True,
                         text=True).stdout
    return bool(out.strip())


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def start(binary, port, n, mode):
    args = [binary, "listen", f"127.0.0.1:{port}", "--max-conns", str(n), "--backlog", "4096"]
    if mode == "headless":
        proc = subprocess.Popen(args + ["--headless"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        line = proc.stderr.readline()
        if not line.startswith("listening on"):
            raise SystemExit(f"sockscope said: {line}")
        return proc.pid, lambda: proc.terminate()
    server = f"scale-{os.getpid()}"
    tmux = ["tmux", "-L", server]
    subprocess.run(tmux + ["-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "200", "-y",
                           "60", "exec " + " ".join(args)], check=True)
    pid = int(subprocess.run(tmux + ["display", "-p", "-t", "t", "#{pane_pid}"], check=True,
                             capture_output=True, text=True).stdout)
    return pid, lambda: subprocess.run(tmux + ["kill-server"], capture_output=True)


def main():
    binary, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    idle = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
    port = free_port()
    pid, stop = start(binary, port, n, mode)
    try:
        end = time.monotonic() + TIMEOUT
        while not listening(port):
            if time.monotonic() > end:
                raise SystemExit("sockscope never listened")
            time.sleep(0.05)
        time.sleep(0.5)  # the UI has drawn its first frames
        baseline = sockets_held(pid)
        rss_before = status_kib(pid, "VmRSS") / 1024
        began = time.monotonic()
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
        while sockets_held(pid) < baseline + n:
            if time.monotonic() > began + TIMEOUT:
                raise SystemExit(f"only {sockets_held(pid) - baseline} of {n} accepted")
            time.sleep(0.05)
        took = time.monotonic() - began
        time.sleep(1.0)  # the last accepts reach the model and the screen
        rss = status_kib(pid, "VmRSS") / 1024
        cpu0 = cpu_seconds(pid)
        time.sleep(idle)
        cpu = cpu_seconds(pid) - cpu0
        print(f"| {mode} | {n} | {took:.2f} s | {rss_before:.1f} → {rss:.1f} MiB | "
              f"{cpu:.2f} s in {idle:.0f} s ({100 * cpu / idle:.2f} % of a core) |", flush=True)
        for c in clients:
            c.close()
    finally:
        stop()


if __name__ == "__main__":
    main()
