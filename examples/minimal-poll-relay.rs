//! The least a TCP relay built as sockscope's engine is can do, as a yardstick for `sockscope
//! proxy` in `scripts/bench-proxy.sh`: one thread, one `mio::Poll`, non-blocking sockets,
//! `recv` until `WouldBlock` and `send` at once, no events. Beside `examples/minimal-relay.rs`
//! (blocking, a thread per direction) it shows what the poll loop itself costs.
//!
//! ```text
//! cargo run --release --example minimal-poll-relay -- LISTEN UPSTREAM [SIZE]
//! ```
//!
//! SIZE (default 1048576) is each direction's buffer. Each accepted client is relayed to
//! UPSTREAM until both sides end.

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use std::io::{self, Read, Write};
use std::net::Shutdown;

const LISTENER: Token = Token(usize::MAX);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(listen), Some(upstream)) = (args.first(), args.get(1)) else {
        eprintln!("usage: minimal-poll-relay LISTEN UPSTREAM [SIZE]");
        std::process::exit(2);
    };
    let size = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1 << 20);
    if let Err(error) = serve(listen, upstream, size) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

/// One direction of a pair: bytes read from one socket and not yet written to the other.
struct Direction {
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// The reading side reached EOF.
    done: bool,
}

/// A client and its upstream; side 0 is the client, side 1 the upstream. Direction `d` reads
/// side `d` and writes side `1 - d`.
struct Pair {
    sockets: [TcpStream; 2],
    directions: [Direction; 2],
}

fn serve(listen: &str, upstream: &str, size: usize) -> io::Result<()> {
    let mut poll = Poll::new()?;
    let mut listener = TcpListener::bind(listen.parse().map_err(io::Error::other)?)?;
    eprintln!("listening on {}", listener.local_addr()?);
    poll.registry().register(&mut listener, LISTENER, Interest::READABLE)?;
    let upstream: std::net::SocketAddr = upstream.parse().map_err(io::Error::other)?;
    let mut pairs: Vec<Option<Pair>> = Vec::new();
    let mut events = Events::with_capacity(256);
    loop {
        poll.poll(&mut events, None)?;
        for event in &events {
            if event.token() == LISTENER {
                accept_all(&poll, &listener, upstream, size, &mut pairs)?;
                continue;
            }
            let index = event.token().0 / 2;
            let Some(pair) = pairs.get_mut(index).and_then(Option::as_mut) else { continue };
            // Whatever the edge, both directions move what they can.
            let ended = [pump(pair, 0), pump(pair, 1)];
            if ended == [true, true] {
                pairs[index] = None;
            }
        }
    }
}

fn accept_all(
    poll: &Poll,
    listener: &TcpListener,
    upstream: std::net::SocketAddr,
    size: usize,
    pairs: &mut Vec<Option<Pair>>,
) -> io::Result<()> {
    loop {
        let (client, _) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) => return Err(e),
        };
        let Ok(server) = std::net::TcpStream::connect(upstream) else { continue };
        server.set_nonblocking(true)?;
        let direction = || Direction { buf: vec![0; size], start: 0, end: 0, done: false };
        let mut pair = Pair {
            sockets: [client, TcpStream::from_std(server)],
            directions: [direction(), direction()],
        };
        let index = pairs.len();
        for (side, socket) in pair.sockets.iter_mut().enumerate() {
            let token = Token(index * 2 + side);
            poll.registry().register(socket, token, Interest::READABLE | Interest::WRITABLE)?;
        }
        pairs.push(Some(pair));
    }
}

/// Moves direction `d`'s bytes: writes what is pending, then reads and writes until the
/// reading side would block, the writing side is full, or EOF. Returns whether the direction
/// has ended (EOF passed on, nothing pending) or failed.
fn pump(pair: &mut Pair, d: usize) -> bool {
    let [a, b] = &mut pair.sockets;
    let (from, to) = if d == 0 { (a, b) } else { (b, a) };
    let dir = &mut pair.directions[d];
    loop {
        while dir.start < dir.end {
            match to.write(&dir.buf[dir.start..dir.end]) {
                Ok(n) => dir.start += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return false,
                Err(_) => return true,
            }
        }
        if dir.done {
            return true;
        }
        match from.read(&mut dir.buf) {
            Ok(0) => {
                dir.done = true;
                let _ = to.shutdown(Shutdown::Write);
                return true;
            }
            Ok(n) => (dir.start, dir.end) = (0, n),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}
