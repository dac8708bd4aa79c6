//! Creating listeners and starting non-blocking connects, through socket2 so that backlog,
//! buffer sizes and other options are set before the socket is used. A datagram address
//! (`udp:`, `unixgram:`) gives a datagram socket: "listening" is binding it, "connecting" is
//! `connect`, which completes at once and only fixes the peer.

use super::sockaddr;
use super::socket::Socket;
use crate::event::Address;
use socket2::{Domain, SockAddr, Type};
use std::io;
use std::os::unix::net as unix;
use std::path::Path;

/// Binds and listens. Buffer sizes set here are inherited by accepted sockets, which matters for
/// `SO_RCVBUF`: TCP window scaling is negotiated during the handshake.
pub(super) fn listener(addr: &Address, backlog: i32) -> io::Result<Socket> {
    match addr {
        Address::Ip(ip) => {
            let socket = socket2::Socket::new(Domain::for_address(*ip), Type::STREAM, None)?;
            socket.set_reuse_address(true)?;
            socket.bind(&SockAddr::from(*ip))?;
            socket.listen(backlog)?;
            socket.set_nonblocking(true)?;
            Ok(Socket::TcpListener(mio::net::TcpListener::from_std(socket.into())))
        }
        Address::Unix(path) => {
            let socket = bind_unix(path, Type::STREAM)?;
            socket.listen(backlog)?;
            socket.set_nonblocking(true)?;
            let listener: unix::UnixListener = socket.into();
            Ok(Socket::UnixListener(mio::net::UnixListener::from_std(listener)))
        }
        Address::Udp(ip) => {
            let socket = socket2::Socket::new(Domain::for_address(*ip), Type::DGRAM, None)?;
            socket.bind(&SockAddr::from(*ip))?;
            socket.set_nonblocking(true)?;
            Ok(Socket::Udp(mio::net::UdpSocket::from_std(socket.into())))
        }
        Address::UnixDatagram(path) => {
            let socket = bind_unix(path, Type::DGRAM)?;
            socket.set_nonblocking(true)?;
            let socket: unix::UnixDatagram = socket.into();
            Ok(Socket::UnixDatagram(mio::net::UnixDatagram::from_std(socket)))
        }
    }
}

/// Binds a Unix socket of type `ty` to a path (replacing a stale socket file) or an abstract
/// name (`@name`), which has no file.
fn bind_unix(path: &Path, ty: Type) -> io::Result<socket2::Socket> {
    let bind = || -> io::Result<socket2::Socket> {
        let socket = socket2::Socket::new(Domain::UNIX, ty, None)?;
        socket.bind(&sockaddr::unix_sock_addr(path)?)?;
        Ok(socket)
    };
    match bind() {
        Err(e) if e.kind() == io::ErrorKind::AddrInUse && is_stale_socket(path, ty) => {
            std::fs::remove_file(path)?;
            bind()
        }
        other => other,
    }
}

/// A socket file that nobody listens on any more (left by a crashed server) may be replaced;
/// anything else at that path (a live socket, a regular file, an abstract name) is never
/// touched.
fn is_stale_socket(path: &Path, ty: Type) -> bool {
    use std::os::unix::fs::FileTypeExt;
    if sockaddr::abstract_name(path).is_some() {
        return false;
    }
    let is_socket = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket());
    let refused = |e: io::Error| e.kind() == io::ErrorKind::ConnectionRefused;
    is_socket
        && socket2::Socket::new(Domain::UNIX, ty, None)
            .and_then(|probe| probe.connect(&SockAddr::unix(path)?))
            .is_err_and(refused)
}

/// Starts a connect without blocking. `configure` runs before `connect` so that buffer sizes
/// take part in the handshake. Returns the socket and whether it connected at once (Unix sockets
/// usually do; TCP reports completion later as writability).
pub(super) fn connect(
    addr: &Address,
    configure: impl FnOnce(&socket2::Socket),
) -> io::Result<(Socket, bool)> {
    let (domain, ty) = match addr {
        Address::Ip(ip) => (Domain::for_address(*ip), Type::STREAM),
        Address::Unix(_) => (Domain::UNIX, Type::STREAM),
        Address::Udp(ip) => (Domain::for_address(*ip), Type::DGRAM),
        Address::UnixDatagram(_) => (Domain::UNIX, Type::DGRAM),
    };
    let target = sockaddr::sock_addr(addr)?;
    let socket = socket2::Socket::new(domain, ty, None)?;
    socket.set_nonblocking(true)?;
    if let Address::UnixDatagram(_) = addr {
        // An unnamed datagram socket cannot be answered: an empty name asks the kernel for
        // an abstract one of its own (autobind).
        socket.bind(&SockAddr::unix("")?)?;
    }
    configure(&socket);
    let connected = match socket.connect(&target) {
        Ok(()) => true,
        Err(e) if e.raw_os_error() == Some(einprogress()) => false,
        Err(e) if e.kind() == io::ErrorKind::WouldBlock && addr.ip().is_none() => {
            return Err(io::Error::new(e.kind(), "the listener's backlog is full"));
        }
        Err(e) => return Err(e),
    };
    let socket = match addr {
        Address::Ip(_) => Socket::Tcp(mio::net::TcpStream::from_std(socket.into())),
        Address::Unix(_) => Socket::Unix(mio::net::UnixStream::from_std(socket.into())),
        Address::Udp(_) => Socket::Udp(mio::net::UdpSocket::from_std(socket.into())),
        Address::UnixDatagram(_) => {
            Socket::UnixDatagram(mio::net::UnixDatagram::from_std(socket.into()))
        }
    };
    Ok((socket, connected))
}

/// `EINPROGRESS` has no stable `io::ErrorKind` yet, so the raw errno is compared: 115 on Linux,
/// 36 on macOS and the BSDs.
const fn einprogress() -> i32 {
    if cfg!(target_os = "linux") { 115 } else { 36 }
}
