"""Short-lived clients through `sockscope proxy --headless`; see scripts/soak-proxy.sh.

    python3 scripts/soak-proxy.py BINARY [RATE] [SECONDS]

Starts a loopback echo upstream (its own process), the proxy in front of it, and RATE clients a
second for SECONDS seconds, each doing one of:

  echo       send a few KiB, read them back, close
  half       send, shutdown(write), read the echo to EOF, close
  hit-run    send and close at once (the echo then meets a client that is gone: a reset)
  reset      send, then close with SO_LINGER 0 (RST) before reading
  reset-late send, read part of the echo, then RST

The first byte of each client's bytes tells the upstream what to do: echo at once (E), answer
only after the client's EOF (L: a client already gone then meets the answer, and the proxy's
side is reset while it passes the upstream's EOF on), or reset the connection (R). Every 5 s it prints the proxy's descriptors
(/proc/PID/fd) and RSS. When the clients stop it waits (at most 30 s) for the descriptors to
return to their count before the first client, and exits 1 if they do not, or if RSS grew by
more than 16 MiB between the end of the first 10 s and the end of the load.
"""

import errno
import multiprocessing
import os
import random
import selectors
import socket
import subprocess
import sys
import time

PIECE = 4096
CLIENT_DEADLINE = 10.0
SETTLE = 30.0
RSS_SLACK_KIB = 16 * 1024
KINDS = ["echo", "half", "hit-run", "reset", "reset-late"]
# What the upstream may be asked to do for each kind of client (see the module's text).
UPSTREAM_MODES = {"echo": b"EEEEEEEER", "half": b"EL", "hit-run": b"EL", "reset": b"E",
                  "reset-late": b"E"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def abort(sock):
    """Close with RST instead of FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    except OSError:
        pass
    sock.close()


def upstream(port, stop_after):
    """An echo server: what arrives goes back (at once, or only after EOF), EOF is answered
    with EOF, or the connection is reset, as each client's first byte asks. Ends by itself
    after `stop_after` seconds."""
    sel = selectors.DefaultSelector()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(4096)
    listener.setblocking(False)
    sel.register(listener, selectors.EVENT_READ, None)
    pending = {}  # socket -> bytes not yet echoed
    mode = {}  # socket -> the first byte it received
    end = time.monotonic() + stop_after

    def drop(sock, reset=False):
        sel.unregister(sock)
        pending.pop(sock, None)
        mode.pop(sock, None)
        abort(sock) if reset else sock.close()

    while time.monotonic() < end:
        for key, mask in sel.select(0.2):
            sock = key.fileobj
            if sock is listener:
                for _ in range(256):
                    try:
                        conn, _ = listener.accept()
                    except (BlockingIOError, ConnectionAbortedError):
                        break
                    conn.setblocking(False)
                    pending[conn] = b""
                    sel.register(conn, selectors.EVENT_READ, "open")
                continue
            try:
                if mask & selectors.EVENT_READ and key.data == "open":
                    data = sock.recv(65536)
                    if data and mode.setdefault(sock, data[:1]) == b"R":
                        drop(sock, reset=True)
                        continue
                    if not data:
                        sel.modify(sock, selectors.EVENT_WRITE, "eof")
                    else:
                        pending[sock] += data
                        late = mode[sock] == b"L"
                        events = selectors.EVENT_READ | (0 if late else selectors.EVENT_WRITE)
                        sel.modify(sock, events, "open")
                if mask & selectors.EVENT_WRITE or key.data == "eof":
                    out = pending.get(sock, b"")
                    if out:
                        sent = sock.send(out)
                        pending[sock] = out[sent:]
                    if not pending[sock]:
                        if key.data == "eof" or sel.get_key(sock).data == "eof":
                            sock.shutdown(socket.SHUT_WR)
                            drop(sock)
                        else:
                            sel.modify(sock, selectors.EVENT_READ, "open")
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                if sock in pending:
                    drop(sock)


class Client:
    __slots__ = ("sock", "kind", "out", "got", "want", "deadline", "shut")

    def __init__(self, sock, kind, size, now, rng):
        self.sock, self.kind, self.shut = sock, kind, False
        marker = bytes([rng.choice(UPSTREAM_MODES[kind])])
        self.out = marker + bytes(rng.getrandbits(8) for _ in range(15)) * (size // 16)
        self.want, self.got, self.deadline = len(self.out), 0, now + CLIENT_DEADLINE


def drive(port, rate, seconds, tally):
    """Starts `rate` clients a second for `seconds` seconds and runs each to its end."""
    sel = selectors.DefaultSelector()
    rng = random.Random(11)
    clients = {}
    start = time.monotonic()
    started = 0

    def finish(client, outcome, reset=False):
        sel.unregister(client.sock)
        clients.pop(client.sock, None)
        abort(client.sock) if reset else client.sock.close()
        tally[outcome] = tally.get(outcome, 0) + 1

    while True:
        now = time.monotonic()
        elapsed = now - start
        if elapsed < seconds:
            due = min(int(elapsed * rate), int(seconds * rate))
            for _ in range(min(due - started, 200)):
                started += 1
                sock = socket.socket()
                sock.setblocking(False)
                err = sock.connect_ex(("127.0.0.1", port))
                if err not in (0, errno.EINPROGRESS):
                    sock.close()
                    tally["connect failed"] = tally.get("connect failed", 0) + 1
                    continue
                kind = rng.choice(KINDS)
                size = rng.choice([64, 1024, PIECE, 4 * PIECE])
                client = Client(sock, kind, size, now, rng)
                clients[sock] = client
                sel.register(sock, selectors.EVENT_WRITE, client)
        elif not clients:
            return started
        for key, mask in sel.select(0.001):
            step(key.data, mask, sel, finish)
        for client in [c for c in clients.values() if c.deadline < now]:
            finish(client, "stuck (reset by the client)", reset=True)


def step(client, mask, sel, finish):
    sock = client.sock
    try:
        if mask & selectors.EVENT_WRITE:
            if client.out:
                sent = sock.send(client.out)
                client.out = client.out[sent:]
            if client.out:
                return
            if client.kind == "hit-run":
                return finish(client, "hit-run")
            if client.kind == "reset":
                return finish(client, "reset", reset=True)
            if client.kind == "half" and not client.shut:
                sock.shutdown(socket.SHUT_WR)
                client.shut = True
            sel.modify(sock, selectors.EVENT_READ, client)
            return
        data = sock.recv(65536)
        client.got += len(data)
        if not data:
            return finish(client, f"{client.kind}: eof after {'all' if client.got >= client.want else 'part'}")
        if client.kind == "reset-late":
            return finish(client, "reset-late", reset=True)
        if client.got >= client.want and client.kind == "echo":
            return finish(client, "echo")
    except (BlockingIOError, InterruptedError):
        pass
    except ConnectionResetError:
        finish(client, f"{client.kind}: reset by the proxy")
    except OSError as e:
        finish(client, f"{client.kind}: {e.strerror}")


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid):
    """User plus system CPU time of a process (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sampler(pid, period, stop, samples):
    """Samples (seconds, descriptors, RSS KiB) every `period` seconds until `stop` is set."""
    t0 = time.monotonic()
    while not stop.wait(period):
        sample = (time.monotonic() - t0, fds(pid), rss_kib(pid))
        samples.append(sample)
        print(f"| {sample[0]:4.0f} s | {sample[1]} | {sample[2] / 1024:.1f} |", flush=True)


def main():
    import threading

    binary = sys.argv[1]
    rate = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
    up_port, proxy_port = free_port(), free_port()
    up = multiprocessing.Process(target=upstream, args=(up_port, seconds + SETTLE + 30), daemon=True)
    up.start()
    proxy = subprocess.Popen(
        [binary, "proxy", f"127.0.0.1:{proxy_port}", f"127.0.0.1:{up_port}", "--headless"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = proxy.stderr.readline()
        if not line.startswith("listening on"):
            raise SystemExit(f"the proxy did not start: {line}")
        time.sleep(0.5)
        base_fds, base_rss = fds(proxy.pid), rss_kib(proxy.pid)
        print(f"proxy pid {proxy.pid}: {base_fds} descriptors, RSS {base_rss / 1024:.1f} MiB before "
              f"the first client; {rate} clients/s for {seconds:.0f} s")
        print("| time | descriptors | RSS MiB |\n|---|---|---|")
        samples, stop = [], threading.Event()
        watch = threading.Thread(target=sampler, args=(proxy.pid, 5.0, stop, samples), daemon=True)
        watch.start()
        tally = {}
        load_start, cpu_start = time.monotonic(), cpu_seconds(proxy.pid)
        started = drive(proxy_port, rate, seconds, tally)
        load_time = time.monotonic() - load_start
        cpu = cpu_seconds(proxy.pid) - cpu_start
        stop.set()
        watch.join()
        end_rss = rss_kib(proxy.pid)
        settle_end = time.monotonic() + SETTLE
        while fds(proxy.pid) > base_fds and time.monotonic() < settle_end:
            time.sleep(0.1)
        settled = SETTLE - max(0.0, settle_end - time.monotonic())
        final_fds, final_rss = fds(proxy.pid), rss_kib(proxy.pid)
        print(f"{started} clients in {load_time:.1f} s ({started / load_time:.0f}/s); the proxy "
              f"used {cpu:.1f} s of CPU ({100 * cpu / load_time:.0f} % of a core); outcomes:")
        for outcome, count in sorted(tally.items()):
            print(f"  {outcome}: {count}")
        early = [rss for t, _, rss in samples if t <= 10.0] or [base_rss]
        growth = end_rss - early[-1]
        peak_fds = max([n for _, n, _ in samples] or [base_fds])
        print(f"descriptors: {base_fds} before, peak {peak_fds} (sampled), {final_fds} "
              f"{settled:.1f} s after the last client")
        print(f"RSS MiB: {base_rss / 1024:.1f} before, {early[-1] / 1024:.1f} at 10 s, "
              f"{end_rss / 1024:.1f} at the end of the load ({growth / 1024:+.1f}), "
              f"{final_rss / 1024:.1f} after settling")
        ok = final_fds <= base_fds and growth <= RSS_SLACK_KIB and proxy.poll() is None
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        proxy.send_signal(2)
        try:
            proxy.wait(10)
        except subprocess.TimeoutExpired:
            proxy.kill()
        up.terminate()


if __name__ == "__main__":
    sys.exit(main())
