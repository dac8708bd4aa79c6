//! Socket options through socket2, reported with the value the kernel really applied.

use super::socket::Socket;
use crate::event::{ErrorKind, SockOption};
use socket2::SockRef;
use std::io;
use std::time::Duration;

/// Sets `option` and reads it back: Linux doubles buffer sizes and enforces minimums, and the
/// point of showing an option is to show the truth.
pub(super) fn apply(socket: &Socket, option: SockOption) -> io::Result<SockOption> {
    apply_raw(&SockRef::from(socket), socket.is_tcp(), option)
}

/// [`apply`] for a socket that is not yet wrapped (set before `connect`).
pub(super) fn apply_raw(
    sock: &SockRef<'_>,
    is_tcp: bool,
    option: SockOption,
) -> io::Result<SockOption> {
    match option {
        SockOption::NoDelay(on) => {
            require_tcp(is_tcp, "nodelay")?;
            sock.set_tcp_nodelay(on)?;
            Ok(SockOption::NoDelay(sock.tcp_nodelay()?))
        }
        SockOption::SndBuf(size) => {
            sock.set_send_buffer_size(size)?;
            Ok(SockOption::SndBuf(sock.send_buffer_size()?))
        }
        SockOption::RcvBuf(size) => {
            sock.set_recv_buffer_size(size)?;
            Ok(SockOption::RcvBuf(sock.recv_buffer_size()?))
        }
        SockOption::KeepAlive(on) => {
            require_tcp(is_tcp, "keepalive")?;
            sock.set_keepalive(on)?;
            Ok(SockOption::KeepAlive(sock.keepalive()?))
        }
        SockOption::Linger(secs) => {
            sock.set_linger(secs.map(|s| Duration::from_secs(u64::from(s))))?;
            let applied = sock.linger()?.map(|d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX));
            Ok(SockOption::Linger(applied))
        }
    }
}

/// Whether `option` means anything on this kind of socket. TCP-only options given on the
/// command line are skipped for Unix sockets rather than failing every connection.
pub(super) fn applies_to(socket: &Socket, option: SockOption) -> bool {
    socket.is_tcp() || !matches!(option, SockOption::NoDelay(_) | SockOption::KeepAlive(_))
}

fn require_tcp(is_tcp: bool, name: &str) -> io::Result<()> {
    if is_tcp {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!("{name} applies to TCP sockets only"),
        ))
    }
}

/// How scripts see an OS error: the kinds of the JSON Lines `error` event.
pub(super) fn classify(error: &io::Error) -> ErrorKind {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => ErrorKind::Refused,
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => ErrorKind::Reset,
        io::ErrorKind::TimedOut => ErrorKind::TimedOut,
        io::ErrorKind::BrokenPipe => ErrorKind::BrokenPipe,
        _ if is_msg_size(error) => ErrorKind::MsgSize,
        _ => ErrorKind::Other,
    }
}

/// `EMSGSIZE`: a datagram larger than the socket can send (no `io::ErrorKind` names it).
pub(super) fn is_msg_size(error: &io::Error) -> bool {
    error.raw_os_error() == Some(rustix::io::Errno::MSGSIZE.raw_os_error())
}
