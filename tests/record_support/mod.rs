//! Helpers for the recording tests: a real server, clients that half-close or reset, and
//! reading a recording back.
#![allow(dead_code)]

#[path = "../shared/required.rs"]
mod required;

use sockscope::event::{Address, Event, EventKind};
use sockscope::record::{Ending, Reader};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

pub const DEADLINE: Duration = Duration::from_secs(20);
/// What the server sends after the client's EOF, before closing.
pub const TRAILER: &[u8] = b"<bye>";

/// What a server connection saw.
#[derive(Debug)]
pub struct Served {
    pub received: Vec<u8>,
    /// `None`: the client ended with EOF; `Some(kind)`: reading failed (a reset).
    pub failed: Option<std::io::ErrorKind>,
}

/// An echo server on `bind` that, after a client's EOF, still sends [`TRAILER`] (so the
/// client's half-close is visible) and closes. Each connection's account arrives on the
/// receiver.
pub fn echo_server(bind: &str) -> (SocketAddr, Receiver<Served>) {
    echo_server_ending(bind, TRAILER)
}

/// Like [`echo_server`], with `trailer` sent after the client's EOF (empty: a plain echo).
pub fn echo_server_ending(bind: &str, trailer: &'static [u8]) -> (SocketAddr, Receiver<Served>) {
    let listener = TcpListener::bind(bind).expect("server binds");
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let tx = tx.clone();
            thread::spawn(move || {
                let _ = tx.send(serve(stream, trailer));
            });
        }
    });
    (addr, rx)
}

fn serve(mut stream: TcpStream, trailer: &[u8]) -> Served {
    let mut received = Vec::new();
    let mut buf = vec![0; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                received.extend_from_slice(&buf[..n]);
                if stream.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Err(err) => return Served { received, failed: Some(err.kind()) },
        }
    }
    let _ = stream.write_all(trailer);
    let _ = stream.shutdown(Shutdown::Write);
    Served { received, failed: None }
}

/// A client that sends `data`, half-closes, and reads the whole answer (the echo and the
/// trailer the server sends after the EOF).
pub fn half_closing_client(to: SocketAddr, data: &[u8]) -> Vec<u8> {
    let mut client = TcpStream::connect(to).expect("client connects");
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client.write_all(data).unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut answer = Vec::new();
    client.read_to_end(&mut answer).unwrap();
    answer
}

/// A client that sends `data`, waits for its echo (so every byte went both ways), then
/// closes abortively: RST.
pub fn resetting_client(to: SocketAddr, data: &[u8]) {
    let mut client = TcpStream::connect(to).expect("client connects");
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client.write_all(data).unwrap();
    let mut echo = vec![0; data.len()];
    client.read_exact(&mut echo).unwrap();
    assert_eq!(echo, data);
    socket2::SockRef::from(&client).set_linger(Some(Duration::ZERO)).unwrap();
    drop(client);
}

/// Every event of a recording file and how reading ended.
pub fn read_recording(path: &Path) -> (Vec<Event>, Ending) {
    Reader::open(path).expect("a recording").read_all()
}

/// Through `to` (a proxy before [`echo_server`]): a large and a small half-closed exchange,
/// then a reset; returns the large payload once the server has seen each of the three ends.
pub fn three_exchanges(to: SocketAddr, accounts: &Receiver<Served>) -> Vec<u8> {
    let large: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    half_closing_client(to, &large);
    half_closing_client(to, b"\x00\x01 small, half-closed \xff");
    resetting_client(to, b"then a reset");
    for _ in 0..3 {
        accounts.recv_timeout(DEADLINE).expect("the server saw each end");
    }
    large
}

/// The bytes of every `recv` (`received`) or `send` event of connection `conn`.
pub fn stream(events: &[Event], conn: u64, received: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for event in events {
        match &event.kind {
            EventKind::Recv { conn: c, data, .. } if received && c.0 == conn => {
                out.extend_from_slice(data);
            }
            EventKind::Send { conn: c, data, .. } if !received && c.0 == conn => {
                out.extend_from_slice(data);
            }
            _ => {}
        }
    }
    out
}

/// One TCP connection of a live recording: who connected, and what each side sent.
#[derive(Debug, PartialEq, Eq)]
pub struct TcpStreams {
    /// The socket of the recording it was read from.
    pub conn: u64,
    pub client: Address,
    pub from_client: Vec<u8>,
    pub from_server: Vec<u8>,
}

/// The connections of a live recording, in the order their handshakes end: a socket
/// sockscope accepted received what its client sent; one it connected sent it.
pub fn tcp_streams(events: &[Event]) -> Vec<TcpStreams> {
    let mut out = Vec::new();
    for event in events {
        let (conn, client, accepted) = match &event.kind {
            EventKind::Accept { conn, peer, .. } => (conn.0, peer.clone(), true),
            EventKind::Connected { conn, local, .. } => (conn.0, local.clone(), false),
            _ => continue,
        };
        let received = stream(events, conn, true);
        let sent = stream(events, conn, false);
        let (from_client, from_server) = if accepted { (received, sent) } else { (sent, received) };
        out.push(TcpStreams { conn, client, from_client, from_server });
    }
    out
}

/// Whether tshark can be run. Without it the pcapng checks are skipped loudly, except under
/// Whether tshark can be run: the pcapng checks are skipped loudly without it, except under
/// CI, where they must run.
pub fn tshark_or_skip(test: &str) -> bool {
    let present = std::process::Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    required::present_or_skip(test, present, "tshark is not installed (apt-get install tshark)")
}

/// tshark's `follow,PROTOCOL,raw,N` (`tcp` or `udp`).
pub fn follow_protocol(
    capture: &Path,
    protocol: &str,
    stream: usize,
) -> (String, Vec<u8>, Vec<u8>) {
    let follow = format!("follow,{protocol},raw,{stream}");
    let out = Command::new("tshark")
        .args(["-r", capture.to_str().unwrap(), "-q", "-z", &follow])
        .output()
        .expect("tshark runs");
    assert!(out.status.success(), "tshark: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut node0 = String::new();
    let (mut first, mut second) = (Vec::new(), Vec::new());
    let mut in_data = false;
    for line in text.lines() {
        if let Some(addr) = line.strip_prefix("Node 0: ") {
            addr.clone_into(&mut node0);
        } else if line.starts_with("Node 1: ") {
            in_data = true;
        } else if line.starts_with("=====") {
            in_data = false;
        } else if in_data {
            match line.strip_prefix('\t') {
                Some(hex) => second.extend(hex::decode(hex).expect("hex from tshark")),
                None => first.extend(hex::decode(line).expect("hex from tshark")),
            }
        }
    }
    (node0, first, second)
}
