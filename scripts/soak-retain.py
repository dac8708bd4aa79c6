"""Memory of the terminal UI while a peer streams gigabytes; see scripts/soak-retain.sh.

    python3 scripts/soak-retain.py BINARY RETAIN GIB [GIB ...]

Runs the real UI (`sockscope listen 127.0.0.1:P --retain RETAIN`) in a detached tmux session,
streams GIB gibibytes into it (cumulative milestones, e.g. 1 2 4 8), and at each milestone waits
until sockscope has read every byte, then prints the UI process's RSS (VmRSS) and peak RSS
(VmHWM) next to the cap. The process measured is the one that holds the session model.
"""

import fcntl
import os
import socket
import struct
import subprocess
import sys
import termios
import time

GIB = 1 << 30
PIECE = 1 << 20
TIMEOUT = 120.0


def tmux(server, *args):
    return subprocess.run(["tmux", "-L", server, *args], check=True, capture_output=True,
                          text=True).stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field}")


def unsent(sock):
    """Bytes in the socket's send queue not yet acknowledged by the peer (SIOCOUTQ)."""
    buf = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, struct.pack("i", 0))
    return struct.unpack("i", buf)[0]


def unread_at(port):
    """Recv-Q of sockscope's accepted socket: bytes it has not read yet."""
    out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
                         check=True, capture_output=True, text=True).stdout
    return sum(int(line.split()[0]) for line in out.splitlines() if line.strip())


def wait(what, cond):
    end = time.monotonic() + TIMEOUT
    while not cond():
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.02)


def main():
    binary, retain, milestones = sys.argv[1], sys.argv[2], [int(g) for g in sys.argv[3:]]
    server = f"soak-{os.getpid()}"
    port = free_port()
    cmd = f"exec {binary} listen 127.0.0.1:{port} --retain {retain}"
    tmux(server, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "140", "-y", "45", cmd)
    try:
        pid = int(tmux(server, "display", "-p", "-t", "t", "#{pane_pid}").strip())
        sock = socket.socket()
        wait("the listener", lambda: sock.connect_ex(("127.0.0.1", port)) == 0)
        piece = bytes((i * 31 + 7) & 0xFF for i in range(PIECE))
        sent, start = 0, time.monotonic()
        print(f"--retain {retain}: streamed GiB | RSS MiB | peak RSS MiB | MB/s so far")
        for gib in milestones:
            while sent < gib * GIB:
                sock.sendall(piece)
                sent += PIECE
            wait("sockscope to read everything", lambda: unsent(sock) == 0 and unread_at(port) == 0)
            time.sleep(0.5)  # the last batches reach the model
            rate = sent / (time.monotonic() - start) / 1e6
            rss, hwm = status_kib(pid, "VmRSS") / 1024, status_kib(pid, "VmHWM") / 1024
            print(f"| {gib} | {rss:.1f} | {hwm:.1f} | {rate:.0f} |", flush=True)
        screen = tmux(server, "capture-pane", "-p", "-t", "t")
        status = next((line for line in screen.splitlines() if " in " in line), "")
        print("status bar:", status.strip()[:140])
        sock.close()
    finally:
        subprocess.run(["tmux", "-L", server, "kill-server"], capture_output=True)


if __name__ == "__main__":
    main()
