//! One mio socket of any kind the engine handles, behind one type.

use crate::event::Address;
use mio::event::Source;
use mio::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use mio::{Interest, Registry, Token};
use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::os::fd::{AsFd, BorrowedFd};

/// A listener or a stream, TCP or Unix domain.
#[derive(Debug)]
pub(super) enum Socket {
    TcpListener(TcpListener),
    UnixListener(UnixListener),
    Tcp(TcpStream),
    Unix(UnixStream),
}

/// What `accept` returned: the new stream and the peer's address.
pub(super) type Accepted = (Socket, Address);

impl Socket {
    pub(super) fn is_tcp(&self) -> bool {
        matches!(self, Self::TcpListener(_) | Self::Tcp(_))
    }

    pub(super) fn accept(&self) -> io::Result<Accepted> {
        match self {
            Self::TcpListener(l) => l.accept().map(|(s, peer)| (Self::Tcp(s), Address::Ip(peer))),
            Self::UnixListener(l) => {
                l.accept().map(|(s, peer)| (Self::Unix(s), unix_address(peer.as_pathname())))
            }
            Self::Tcp(_) | Self::Unix(_) => Err(not_a("listener")),
        }
    }

    pub(super) fn recv(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Tcp(s) => s.read(buf),
            Self::Unix(s) => s.read(buf),
            Self::TcpListener(_) | Self::UnixListener(_) => Err(not_a("stream")),
        }
    }

    pub(super) fn send(&mut self, data: &[u8]) -> io::Result<usize> {
        match self {
            Self::Tcp(s) => s.write(data),
            Self::Unix(s) => s.write(data),
            Self::TcpListener(_) | Self::UnixListener(_) => Err(not_a("stream")),
        }
    }

    pub(super) fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        match self {
            Self::Tcp(s) => s.shutdown(how),
            Self::Unix(s) => s.shutdown(how),
            Self::TcpListener(_) | Self::UnixListener(_) => Err(not_a("stream")),
        }
    }

    /// The pending socket error (`SO_ERROR`), which also clears it.
    pub(super) fn take_error(&self) -> io::Result<Option<io::Error>> {
        match self {
            Self::TcpListener(s) => s.take_error(),
            Self::UnixListener(s) => s.take_error(),
            Self::Tcp(s) => s.take_error(),
            Self::Unix(s) => s.take_error(),
        }
    }

    pub(super) fn local_address(&self) -> io::Result<Address> {
        match self {
            Self::TcpListener(s) => s.local_addr().map(Address::Ip),
            Self::Tcp(s) => s.local_addr().map(Address::Ip),
            Self::UnixListener(s) => s.local_addr().map(|a| unix_address(a.as_pathname())),
            Self::Unix(s) => s.local_addr().map(|a| unix_address(a.as_pathname())),
        }
    }

    /// The peer's address; `NotConnected` while a non-blocking connect is still in progress.
    pub(super) fn peer_address(&self) -> io::Result<Address> {
        match self {
            Self::Tcp(s) => s.peer_addr().map(Address::Ip),
            Self::Unix(s) => s.peer_addr().map(|a| unix_address(a.as_pathname())),
            Self::TcpListener(_) | Self::UnixListener(_) => Err(not_a("stream")),
        }
    }
}

fn unix_address(path: Option<&std::path::Path>) -> Address {
    Address::Unix(path.map(std::path::Path::to_path_buf).unwrap_or_default())
}

fn not_a(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, format!("not a {what} socket"))
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            Self::TcpListener(s) => s.as_fd(),
            Self::UnixListener(s) => s.as_fd(),
            Self::Tcp(s) => s.as_fd(),
            Self::Unix(s) => s.as_fd(),
        }
    }
}

impl Source for Socket {
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        match self {
            Self::TcpListener(s) => s.register(registry, token, interest),
            Self::UnixListener(s) => s.register(registry, token, interest),
            Self::Tcp(s) => s.register(registry, token, interest),
            Self::Unix(s) => s.register(registry, token, interest),
        }
    }

    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        match self {
            Self::TcpListener(s) => s.reregister(registry, token, interest),
            Self::UnixListener(s) => s.reregister(registry, token, interest),
            Self::Tcp(s) => s.reregister(registry, token, interest),
            Self::Unix(s) => s.reregister(registry, token, interest),
        }
    }

    fn deregister(&mut self, registry: &Registry) -> io::Result<()> {
        match self {
            Self::TcpListener(s) => s.deregister(registry),
            Self::UnixListener(s) => s.deregister(registry),
            Self::Tcp(s) => s.deregister(registry),
            Self::Unix(s) => s.deregister(registry),
        }
    }
}
