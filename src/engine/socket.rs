//! One mio socket of any kind the engine handles, behind one type.

use super::sockaddr;
use crate::event::{Address, SocketType};
use mio::event::Source;
use mio::net::{TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixStream};
use mio::{Interest, Registry, Token};
use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::os::fd::{AsFd, BorrowedFd};

/// A listener or a stream, TCP or Unix domain, or a datagram socket, UDP or Unix domain.
#[derive(Debug)]
pub(super) enum Socket {
    TcpListener(TcpListener),
    UnixListener(UnixListener),
    Tcp(TcpStream),
    Unix(UnixStream),
    Udp(UdpSocket),
    UnixDatagram(UnixDatagram),
}

/// What `accept` returned: the new stream and the peer's address.
pub(super) type Accepted = (Socket, Address);

/// What one `recvfrom` returned.
#[derive(Debug)]
pub(super) struct Received {
    /// Bytes placed in the buffer.
    pub(super) len: usize,
    /// The datagram's real length (`MSG_TRUNC`): more than `len` when the buffer was too small
    /// and the rest was lost.
    pub(super) full_len: usize,
    pub(super) peer: Address,
}

impl Socket {
    pub(super) fn is_tcp(&self) -> bool {
        matches!(self, Self::TcpListener(_) | Self::Tcp(_))
    }

    pub(super) fn socket_type(&self) -> SocketType {
        match self {
            Self::TcpListener(_) | Self::UnixListener(_) | Self::Tcp(_) | Self::Unix(_) => {
                SocketType::Stream
            }
            Self::Udp(_) | Self::UnixDatagram(_) => SocketType::Datagram,
        }
    }

    /// One `recvfrom` with `MSG_TRUNC`, so that a datagram longer than `buf` is reported with
    /// its real length instead of silently cut.
    pub(super) fn recv_from(&self, buf: &mut [u8]) -> io::Result<Received> {
        let unix = match self {
            Self::Udp(_) => false,
            Self::UnixDatagram(_) => true,
            Self::TcpListener(_) | Self::UnixListener(_) | Self::Tcp(_) | Self::Unix(_) => {
                return Err(not_a("datagram"));
            }
        };
        let (len, full_len, from) =
            rustix::net::recvfrom(self.as_fd(), buf, rustix::net::RecvFlags::TRUNC)?;
        Ok(Received { len, full_len, peer: sockaddr::from_any(from, unix) })
    }

    /// One `sendto` of a whole datagram to `to`, or one `send` on a connected socket (`None`).
    pub(super) fn send_datagram(&self, data: &[u8], to: Option<&Address>) -> io::Result<usize> {
        if self.socket_type() != SocketType::Datagram {
            return Err(not_a("datagram"));
        }
        let socket = socket2::SockRef::from(self);
        match to {
            Some(to) => socket.send_to(data, &sockaddr::sock_addr(to)?),
            None => socket.send(data),
        }
    }

    pub(super) fn accept(&self) -> io::Result<Accepted> {
        match self {
            Self::TcpListener(l) => l.accept().map(|(s, peer)| (Self::Tcp(s), Address::Ip(peer))),
            Self::UnixListener(l) => {
                l.accept().map(|(s, peer)| (Self::Unix(s), Address::Unix(unix_name(&peer))))
            }
            Self::Tcp(_) | Self::Unix(_) | Self::Udp(_) | Self::UnixDatagram(_) => {
                Err(not_a("listener"))
            }
        }
    }

    pub(super) fn recv(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Tcp(s) => s.read(buf),
            Self::Unix(s) => s.read(buf),
            Self::TcpListener(_) | Self::UnixListener(_) | Self::Udp(_) | Self::UnixDatagram(_) => {
                Err(not_a("stream"))
            }
        }
    }

    pub(super) fn send(&mut self, data: &[u8]) -> io::Result<usize> {
        match self {
            Self::Tcp(s) => s.write(data),
            Self::Unix(s) => s.write(data),
            Self::TcpListener(_) | Self::UnixListener(_) | Self::Udp(_) | Self::UnixDatagram(_) => {
                Err(not_a("stream"))
            }
        }
    }

    pub(super) fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        match self {
            Self::Tcp(s) => s.shutdown(how),
            Self::Unix(s) => s.shutdown(how),
            Self::UnixDatagram(s) => s.shutdown(how),
            Self::Udp(s) => socket2::SockRef::from(s).shutdown(how),
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
            Self::Udp(s) => s.take_error(),
            Self::UnixDatagram(s) => s.take_error(),
        }
    }

    pub(super) fn local_address(&self) -> io::Result<Address> {
        match self {
            Self::TcpListener(s) => s.local_addr().map(Address::Ip),
            Self::Tcp(s) => s.local_addr().map(Address::Ip),
            Self::UnixListener(s) => s.local_addr().map(|a| Address::Unix(unix_name(&a))),
            Self::Unix(s) => s.local_addr().map(|a| Address::Unix(unix_name(&a))),
            Self::Udp(s) => s.local_addr().map(Address::Udp),
            Self::UnixDatagram(s) => s.local_addr().map(|a| Address::UnixDatagram(unix_name(&a))),
        }
    }

    /// The peer's address; `NotConnected` while a non-blocking connect is still in progress.
    pub(super) fn peer_address(&self) -> io::Result<Address> {
        match self {
            Self::Tcp(s) => s.peer_addr().map(Address::Ip),
            Self::Unix(s) => s.peer_addr().map(|a| Address::Unix(unix_name(&a))),
            Self::Udp(s) => s.peer_addr().map(Address::Udp),
            Self::UnixDatagram(s) => s.peer_addr().map(|a| Address::UnixDatagram(unix_name(&a))),
            Self::TcpListener(_) | Self::UnixListener(_) => Err(not_a("stream")),
        }
    }
}

fn unix_name(addr: &std::os::unix::net::SocketAddr) -> std::path::PathBuf {
    sockaddr::from_std_unix(addr)
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
            Self::Udp(s) => s.as_fd(),
            Self::UnixDatagram(s) => s.as_fd(),
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
            Self::Udp(s) => s.register(registry, token, interest),
            Self::UnixDatagram(s) => s.register(registry, token, interest),
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
            Self::Udp(s) => s.reregister(registry, token, interest),
            Self::UnixDatagram(s) => s.reregister(registry, token, interest),
        }
    }

    fn deregister(&mut self, registry: &Registry) -> io::Result<()> {
        match self {
            Self::TcpListener(s) => s.deregister(registry),
            Self::UnixListener(s) => s.deregister(registry),
            Self::Tcp(s) => s.deregister(registry),
            Self::Unix(s) => s.deregister(registry),
            Self::Udp(s) => s.deregister(registry),
            Self::UnixDatagram(s) => s.deregister(registry),
        }
    }
}
