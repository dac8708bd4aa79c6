//! The least a TCP relay can do, as a yardstick for `sockscope proxy` in
//! `scripts/bench-proxy.sh`: blocking sockets, a thread per direction, no events, no poll.
//!
//! ```text
//! cargo run --release --example minimal-relay -- MODE LISTEN UPSTREAM [SIZE]
//! ```
//!
//! MODE is `copy` (`read` into a SIZE-byte buffer, then `write`: two copies), `log` (`copy`,
//! and a line per call on standard output as `sockscope proxy --headless` prints it: the least
//! a relay that reports every call can do), `splice` (socket to pipe to socket, no copy to
//! user space) or `tee` (`splice`, then `tee` into a second pipe that is `read`, as `--relay
//! splice` does: one copy). SIZE (default 1048576) is the buffer and the pipes' size. Each
//! accepted client is relayed to UPSTREAM until both sides end.

use bytes::Bytes;
use rustix::pipe::{PipeFlags, SpliceFlags, fcntl_setpipe_size, pipe_with, splice, tee};
use sockscope::event::{ConnId, Event, EventKind, SocketType};
use sockscope::headless::format::{PREVIEW_BYTES, Preview, human_line_on};
use std::io::{self, BufWriter, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

#[derive(Clone, Copy)]
enum Mode {
    Copy,
    Log,
    Splice,
    Tee,
}

/// Numbers the sockets as sockscope does, for the `log` mode's lines.
static NEXT_CONN: AtomicU64 = AtomicU64::new(2);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: minimal-relay copy|log|splice|tee LISTEN UPSTREAM [SIZE]";
    let (Some(mode), Some(listen), Some(upstream)) = (args.first(), args.get(1), args.get(2))
    else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let mode = match mode.as_str() {
        "copy" => Mode::Copy,
        "log" => Mode::Log,
        "splice" => Mode::Splice,
        "tee" => Mode::Tee,
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let size = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1 << 20);
    if let Err(error) = serve(mode, listen, upstream, size) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn serve(mode: Mode, listen: &str, upstream: &str, size: usize) -> io::Result<()> {
    let listener = TcpListener::bind(listen)?;
    eprintln!("listening on {}", listener.local_addr()?);
    for client in listener.incoming() {
        let client = client?;
        let Ok(server) = TcpStream::connect(upstream) else { continue };
        let (client_back, server_back) = (client.try_clone()?, server.try_clone()?);
        // Numbered as sockscope numbers them (the listener is #1), for the `log` mode's lines.
        let up = Ends { from: client_back, to: server_back, ids: (next_id(), next_id()) };
        let down = Ends { from: server, to: client, ids: (up.ids.1, up.ids.0) };
        std::thread::spawn(move || relay(mode, &up, size));
        std::thread::spawn(move || relay(mode, &down, size));
    }
    Ok(())
}

/// One direction of a pair: the socket read, the socket written, and their numbers.
struct Ends {
    from: TcpStream,
    to: TcpStream,
    ids: (ConnId, ConnId),
}

/// Moves bytes from `from` to `to` until `from` ends, then ends `to`'s writing.
fn relay(mode: Mode, ends: &Ends, size: usize) {
    let (from, to) = (&ends.from, &ends.to);
    let moved = match mode {
        Mode::Copy => copy(from, to, size),
        Mode::Log => copy_logged(from, to, ends.ids, size),
        Mode::Splice | Mode::Tee => piped(from, to, size, matches!(mode, Mode::Tee)),
    };
    if let Err(error) = moved {
        eprintln!("relay: {error}");
    }
    let _ = to.shutdown(Shutdown::Write);
}

fn copy(mut from: &TcpStream, mut to: &TcpStream, size: usize) -> io::Result<()> {
    let mut buf = vec![0; size];
    loop {
        let n = from.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        to.write_all(&buf[..n])?;
    }
}

/// `copy`, with a line per `recv` and per `send` (the first bytes of each as a preview),
/// through a buffered standard output that the relaying thread writes itself.
fn copy_logged(
    mut from: &TcpStream,
    mut to: &TcpStream,
    (recv_conn, send_conn): (ConnId, ConnId),
    size: usize,
) -> io::Result<()> {
    let started = Instant::now();
    let mut log = BufWriter::with_capacity(64 << 10, io::stdout());
    let mut buf = vec![0; size];
    let line = |kind: EventKind| {
        let t_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        human_line_on(&Event { kind, t_us }, Preview::default(), SocketType::Stream)
    };
    loop {
        let n = from.read(&mut buf)?;
        let data = Bytes::copy_from_slice(&buf[..n.min(PREVIEW_BYTES + 1)]);
        writeln!(log, "{}", line(EventKind::Recv { conn: recv_conn, max: size, len: n, data }))?;
        if n == 0 {
            return log.flush();
        }
        let mut sent = 0;
        while sent < n {
            let len = to.write(&buf[sent..n])?;
            let data = Bytes::copy_from_slice(&buf[sent..sent + len.min(PREVIEW_BYTES + 1)]);
            let call = EventKind::Send { conn: send_conn, requested: n - sent, len, data };
            writeln!(log, "{}", line(call))?;
            sent += len;
        }
    }
}

fn next_id() -> ConnId {
    ConnId(NEXT_CONN.fetch_add(1, Ordering::Relaxed))
}

/// Socket to pipe to socket; with `seen`, each chunk is also teed into a second pipe and read.
fn piped(from: &TcpStream, to: &TcpStream, size: usize, seen: bool) -> io::Result<()> {
    let (relay_out, relay_in) = pipe(size)?;
    let (view_out, view_in) = pipe(size)?;
    let mut view_out = std::fs::File::from(view_out);
    let mut buf = vec![0; size];
    loop {
        let n = splice(from, None, &relay_in, None, size, SpliceFlags::MOVE)?;
        if n == 0 {
            return Ok(());
        }
        if seen {
            let teed = tee(&relay_out, &view_in, n, SpliceFlags::empty())?;
            view_out.read_exact(&mut buf[..teed])?;
        }
        let mut left = n;
        while left > 0 {
            left -= splice(&relay_out, None, to, None, left, SpliceFlags::MOVE)?;
        }
    }
}

fn pipe(size: usize) -> io::Result<(OwnedFd, OwnedFd)> {
    let (out, into) = pipe_with(PipeFlags::CLOEXEC)?;
    // A pipe keeps its default size where the system refuses a larger one.
    let _ = fcntl_setpipe_size(&into, size);
    Ok((out, into))
}
