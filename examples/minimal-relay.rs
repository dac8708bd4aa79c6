//! The least a TCP relay can do, as a yardstick for `sockscope proxy` in
//! `scripts/bench-proxy.sh`: blocking sockets, a thread per direction, no events, no poll.
//!
//! ```text
//! cargo run --release --example minimal-relay -- MODE LISTEN UPSTREAM [SIZE]
//! ```
//!
//! MODE is `copy` (`read` into a SIZE-byte buffer, then `write`: two copies), `splice`
//! (socket to pipe to socket, no copy to user space) or `tee` (`splice`, then `tee` into a
//! second pipe that is `read`, as `--relay splice` does: one copy). SIZE (default 1048576)
//! is the buffer and the pipes' size. Each accepted client is relayed to UPSTREAM until both
//! sides end.

use rustix::pipe::{PipeFlags, SpliceFlags, fcntl_setpipe_size, pipe_with, splice, tee};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::OwnedFd;

#[derive(Clone, Copy)]
enum Mode {
    Copy,
    Splice,
    Tee,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: minimal-relay copy|splice|tee LISTEN UPSTREAM [SIZE]";
    let (Some(mode), Some(listen), Some(upstream)) = (args.first(), args.get(1), args.get(2))
    else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let mode = match mode.as_str() {
        "copy" => Mode::Copy,
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
        std::thread::spawn(move || relay(mode, &client, &server, size));
        std::thread::spawn(move || relay(mode, &server_back, &client_back, size));
    }
    Ok(())
}

/// Moves bytes from `from` to `to` until `from` ends, then ends `to`'s writing.
fn relay(mode: Mode, from: &TcpStream, to: &TcpStream, size: usize) {
    let moved = match mode {
        Mode::Copy => copy(from, to, size),
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
