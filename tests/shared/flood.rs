//! A flood through a proxy, for the tests of how the engine batches what it relays.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

pub const MIB: usize = 1 << 20;

/// Writes `total` bytes (a multiple of 1 MiB) into the proxy at `proxy` and reads them all
/// from the first connection `server` accepts; each read waits at most `deadline`.
pub fn flood_through(proxy: SocketAddr, server: &TcpListener, total: usize, deadline: Duration) {
    let mut client = TcpStream::connect(proxy).unwrap();
    let (mut upstream, _) = server.accept().unwrap();
    upstream.set_read_timeout(Some(deadline)).unwrap();
    let writer = thread::spawn(move || {
        let piece = vec![0x5a; MIB];
        for _ in 0..total / MIB {
            client.write_all(&piece).unwrap();
        }
        client
    });
    let (mut got, mut buf) = (0, vec![0; MIB]);
    while got < total {
        let read = upstream.read(&mut buf).expect("the relayed bytes keep coming");
        assert!(read > 0, "the upstream got {got} bytes of {total}, then EOF");
        got += read;
    }
    drop(writer.join().unwrap());
}
