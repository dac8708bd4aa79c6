//! Creating listeners and starting non-blocking connects, through socket2 so that backlog,
//! buffer sizes and other options are set before the socket is used.

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
        Address::Unix(path) => unix_listener(path, backlog),
    }
}

fn unix_listener(path: &Path, backlog: i32) -> io::Result<Socket> {
    let bind = || -> io::Result<socket2::Socket> {
        let socket = socket2::Socket::new(Domain::UNIX, Type::STREAM, None)?;
        socket.bind(&SockAddr::unix(path)?)?;
        Ok(socket)
    };
    let socket = match bind() {
        Err(e) if e.kind() == io::ErrorKind::AddrInUse && is_stale_socket(path) => {
            std::fs::remove_file(path)?;
            bind()?
        }
        other => other?,
    };
    socket.listen(backlog)?;
    socket.set_nonblocking(true)?;
    let listener: unix::UnixListener = socket.into();
    Ok(Socket::UnixListener(mio::net::UnixListener::from_std(listener)))
}

/// A socket file that nobody listens on any more (left by a crashed server) may be replaced;
/// anything else at that path (a live socket, a regular file) is never touched.
fn is_stale_socket(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let is_socket = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket());
    is_socket
        && unix::UnixStream::connect(path)
            .is_err_and(|e| e.kind() == io::ErrorKind::ConnectionRefused)
}

/// Starts a connect without blocking. `configure` runs before `connect` so that buffer sizes
/// take part in the handshake. Returns the socket and whether it connected at once (Unix sockets
/// usually do; TCP reports completion later as writability).
pub(super) fn connect(
    addr: &Address,
    configure: impl FnOnce(&socket2::Socket),
) -> io::Result<(Socket, bool)> {
    let (domain, target) = match addr {
        Address::Ip(ip) => (Domain::for_address(*ip), SockAddr::from(*ip)),
        Address::Unix(path) => (Domain::UNIX, SockAddr::unix(path)?),
    };
    let socket = socket2::Socket::new(domain, Type::STREAM, None)?;
    socket.set_nonblocking(true)?;
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
    };
    Ok((socket, connected))
}

/// `EINPROGRESS` has no stable `io::ErrorKind` yet, so the raw errno is compared: 115 on Linux,
/// 36 on macOS and the BSDs.
const fn einprogress() -> i32 {
    if cfg!(target_os = "linux") { 115 } else { 36 }
}
