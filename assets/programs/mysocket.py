"""The Python socket HOWTO's MySocket client, run for real under sockscope.

Messages have a fixed length, MSGLEN bytes: mysend loops until send has taken all of them,
myreceive loops until recv has returned all of them. Against an echo server that answers in
pieces, the receive loop is seen collecting each message piece by piece:

    sockscope listen 9040 --echo --fault down:slice=8,rate=80      # one terminal
    sockscope trace -- python3 mysocket.py 9040                     # another

Usage: python3 mysocket.py [PORT] [COUNT]   (defaults: 9040, 3 messages)
"""
import socket
import sys
import time

MSGLEN = 40


class MySocket:
    """demonstration class only
      - coded for clarity, not efficiency
    """

    def __init__(self, sock=None):
        if sock is None:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        else:
            self.sock = sock

    def connect(self, host, port):
        self.sock.connect((host, port))

    def mysend(self, msg):
        totalsent = 0
        while totalsent < MSGLEN:
            sent = self.sock.send(msg[totalsent:])
            if sent == 0:
                raise RuntimeError("socket connection broken")
            totalsent = totalsent + sent

    def myreceive(self):
        chunks = []
        bytes_recd = 0
        while bytes_recd < MSGLEN:
            chunk = self.sock.recv(min(MSGLEN - bytes_recd, 2048))
            if chunk == b'':
                raise RuntimeError("socket connection broken")
            chunks.append(chunk)
            bytes_recd = bytes_recd + len(chunk)
        return b''.join(chunks)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9040
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    s = MySocket()
    s.connect("127.0.0.1", port)
    for number in range(count):
        msg = ("message %d of MySocket, MSGLEN bytes" % number).encode().ljust(MSGLEN, b".")
        s.mysend(msg)
        print(s.myreceive().decode(), flush=True)
        time.sleep(0.5)
    s.sock.close()


if __name__ == "__main__":
    main()
