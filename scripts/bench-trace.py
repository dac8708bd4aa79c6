"""A client that moves SIZE bytes through a loopback echo server and back: the program
`scripts/bench-trace.sh` times untraced, under strace and under `sockscope trace`.

Usage: bench-trace.py server PORT_FILE | client PORT MIB
"""
import socket, sys, threading

CHUNK = 65536


def server(port_file):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    with open(port_file, "w") as f:
        f.write(str(srv.getsockname()[1]))
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=echo, args=(conn,), daemon=True).start()


def echo(conn):
    while True:
        data = conn.recv(CHUNK)
        if not data:
            break
        conn.sendall(data)
    conn.close()


def client(port, mib):
    total = mib * 1024 * 1024
    c = socket.create_connection(("127.0.0.1", port))
    block = b"x" * CHUNK

    def send_all():
        left = total
        while left:
            left -= c.send(block[: min(left, CHUNK)])
        c.shutdown(socket.SHUT_WR)

    writer = threading.Thread(target=send_all)
    writer.start()
    got = 0
    while True:
        data = c.recv(CHUNK)
        if not data:
            break
        got += len(data)
    writer.join()
    assert got == total, (got, total)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2])
    else:
        client(int(sys.argv[2]), int(sys.argv[3]))
