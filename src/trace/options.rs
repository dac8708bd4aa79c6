//! `setsockopt` as an `option` event: the options sockscope's own vocabulary has, with the
//! value the program asked for (read from its memory).

use super::memory;
use crate::event::SockOption;
use nix::unistd::Pid;

/// The options sockscope's own vocabulary has; others are not shown.
pub fn read(pid: Pid, level: i32, name: i32, value: u64, len: u64) -> Option<SockOption> {
    let raw = memory::read(pid, value, (len as usize).min(8));
    let int = |at: usize| -> Option<i32> {
        Some(i32::from_ne_bytes(raw.get(at..at + 4)?.try_into().ok()?))
    };
    match (level, name) {
        (libc::SOL_SOCKET, libc::SO_SNDBUF) => {
            Some(SockOption::SndBuf(usize::try_from(int(0)?).ok()?))
        }
        (libc::SOL_SOCKET, libc::SO_RCVBUF) => {
            Some(SockOption::RcvBuf(usize::try_from(int(0)?).ok()?))
        }
        (libc::SOL_SOCKET, libc::SO_KEEPALIVE) => Some(SockOption::KeepAlive(int(0)? != 0)),
        (libc::SOL_SOCKET, libc::SO_LINGER) => {
            let seconds = u32::try_from(int(4)?).unwrap_or(0);
            Some(SockOption::Linger((int(0)? != 0).then_some(seconds)))
        }
        (libc::IPPROTO_TCP, libc::TCP_NODELAY) => Some(SockOption::NoDelay(int(0)? != 0)),
        _ => None,
    }
}
