//! Which socket call a stopped thread is making, read from its registers (`x86_64` only).
//!
//! Only the calls sockscope shows are decoded; every other system call is `None` and runs on.
//! The result of a call is the return register: a byte count, a descriptor, or `-errno`.

use nix::unistd::Pid;

/// Where the bytes of a data call are, in the traced process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Buffer {
    /// One buffer (`read`, `write`, `sendto`, `recvfrom`).
    Flat { addr: u64, len: u64 },
    /// An array of `count` iovecs (`readv`, `writev`).
    Vector { iov: u64, count: u64 },
    /// A `struct msghdr` whose iovecs hold the bytes (`sendmsg`, `recvmsg`).
    Message { msghdr: u64 },
}

/// A socket call, with the arguments sockscope needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    Socket,
    Bind {
        fd: i32,
        addr: u64,
        len: u64,
    },
    Listen {
        fd: i32,
    },
    Accept {
        fd: i32,
    },
    Connect {
        fd: i32,
        addr: u64,
        len: u64,
    },
    Send {
        fd: i32,
        buf: Buffer,
    },
    Recv {
        fd: i32,
        buf: Buffer,
    },
    Shutdown {
        fd: i32,
        how: i32,
    },
    Close {
        fd: i32,
    },
    SetSockOpt {
        fd: i32,
        level: i32,
        name: i32,
        value: u64,
        len: u64,
    },
    /// `select`/`pselect6`: the three `fd_set`s, read back after the call.
    Select {
        nfds: i32,
        sets: [u64; 3],
    },
    /// `poll`/`ppoll`: the `struct pollfd` array.
    Poll {
        fds: u64,
        nfds: u64,
    },
    /// `epoll_wait`/`epoll_pwait`/`epoll_pwait2`: the `struct epoll_event` array filled.
    EpollWait {
        epfd: i32,
        events: u64,
    },
    /// `dup2`, `dup3`, `close_range`: descriptors `first..=last` may now name another file
    /// (or none). No event; sockscope forgets what it knew of them.
    Renames {
        first: i32,
        last: i32,
    },
    /// `epoll_ctl`: what the program asks epoll to watch.
    EpollCtl {
        epfd: i32,
        op: i32,
        fd: i32,
        event: u64,
    },
}

impl Call {
    /// The descriptor the call is about (`socket` has none before it returns).
    #[must_use]
    pub fn fd(&self) -> Option<i32> {
        match *self {
            Self::Socket | Self::Select { .. } | Self::Poll { .. } | Self::Renames { .. } => None,
            Self::EpollWait { epfd: fd, .. }
            | Self::EpollCtl { fd, .. }
            | Self::Bind { fd, .. }
            | Self::Listen { fd }
            | Self::Accept { fd }
            | Self::Connect { fd, .. }
            | Self::Send { fd, .. }
            | Self::Recv { fd, .. }
            | Self::Shutdown { fd, .. }
            | Self::Close { fd }
            | Self::SetSockOpt { fd, .. } => Some(fd),
        }
    }
}

/// A decoded call at its entry: the real system call's name and its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub syscall: &'static str,
    pub call: Call,
}

/// The numbers of the system calls [`stop`] decodes: the only ones that must stop the
/// program (the seccomp filter lets every other call run).
#[cfg(target_arch = "x86_64")]
pub const TRACED: &[i64] = &[
    0, 1, 3, 7, 19, 20, 23, 33, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 54, 232, 233, 270, 271,
    281, 288, 292, 436, 441,
];

#[cfg(not(target_arch = "x86_64"))]
pub const TRACED: &[i64] = &[];

/// Whether this build can read a traced program's calls.
pub const SUPPORTED: bool = cfg!(target_arch = "x86_64");

/// What a thread in a syscall stop is doing: entering a call (which, if sockscope shows it)
/// or leaving one (its result: a byte count, a descriptor, or `-errno`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    Entering(Option<Entry>),
    Leaving(i64),
}

/// `pid`'s syscall stop, from its registers; `None` when they cannot be read (it died).
/// On `x86_64` the kernel sets the return register to `-ENOSYS` at every entry, which tells
/// an entry from an exit even for a thread attached in the middle of a call.
#[cfg(target_arch = "x86_64")]
pub fn stop(pid: Pid) -> Option<Stop> {
    let regs = nix::sys::ptrace::getregs(pid).ok()?;
    let result = regs.rax.cast_signed();
    if result == -i64::from(libc::ENOSYS) {
        let args = [regs.rdi, regs.rsi, regs.rdx, regs.r10, regs.r8, regs.r9];
        return Some(Stop::Entering(x86_64::decode(regs.orig_rax, args)));
    }
    Some(Stop::Leaving(result))
}

#[cfg(not(target_arch = "x86_64"))]
pub fn stop(_pid: Pid) -> Option<Stop> {
    None
}

/// The `x86_64` system call table, for the calls sockscope handles.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
mod x86_64 {
    use super::{Buffer, Call, Entry};

    /// The call numbered `nr` with arguments `a` (rdi, rsi, rdx, r10, r8, r9).
    pub fn decode(nr: u64, a: [u64; 6]) -> Option<Entry> {
        // Descriptors and small ints travel in the low 32 bits of a register.
        let fd = a[0] as i32;
        let (syscall, call) = match nr {
            0 => ("read", Call::Recv { fd, buf: Buffer::Flat { addr: a[1], len: a[2] } }),
            1 => ("write", Call::Send { fd, buf: Buffer::Flat { addr: a[1], len: a[2] } }),
            3 => ("close", Call::Close { fd }),
            19 => ("readv", Call::Recv { fd, buf: Buffer::Vector { iov: a[1], count: a[2] } }),
            20 => ("writev", Call::Send { fd, buf: Buffer::Vector { iov: a[1], count: a[2] } }),
            41 => ("socket", Call::Socket),
            42 => ("connect", Call::Connect { fd, addr: a[1], len: a[2] }),
            43 => ("accept", Call::Accept { fd }),
            44 => ("sendto", Call::Send { fd, buf: Buffer::Flat { addr: a[1], len: a[2] } }),
            45 => ("recvfrom", Call::Recv { fd, buf: Buffer::Flat { addr: a[1], len: a[2] } }),
            46 => ("sendmsg", Call::Send { fd, buf: Buffer::Message { msghdr: a[1] } }),
            47 => ("recvmsg", Call::Recv { fd, buf: Buffer::Message { msghdr: a[1] } }),
            48 => ("shutdown", Call::Shutdown { fd, how: a[1] as i32 }),
            49 => ("bind", Call::Bind { fd, addr: a[1], len: a[2] }),
            50 => ("listen", Call::Listen { fd }),
            54 => (
                "setsockopt",
                Call::SetSockOpt {
                    fd,
                    level: a[1] as i32,
                    name: a[2] as i32,
                    value: a[3],
                    len: a[4],
                },
            ),
            288 => ("accept4", Call::Accept { fd }),
            33 => ("dup2", Call::Renames { first: a[1] as i32, last: a[1] as i32 }),
            292 => ("dup3", Call::Renames { first: a[1] as i32, last: a[1] as i32 }),
            // Descriptors are unsigned here: the last may be ~0, "every one above first".
            436 => {
                let last = i32::try_from(a[1] as u32).unwrap_or(i32::MAX);
                ("close_range", Call::Renames { first: a[0] as i32, last })
            }
            23 => ("select", Call::Select { nfds: fd, sets: [a[1], a[2], a[3]] }),
            270 => ("pselect6", Call::Select { nfds: fd, sets: [a[1], a[2], a[3]] }),
            7 => ("poll", Call::Poll { fds: a[0], nfds: a[1] }),
            271 => ("ppoll", Call::Poll { fds: a[0], nfds: a[1] }),
            232 => ("epoll_wait", Call::EpollWait { epfd: fd, events: a[1] }),
            281 => ("epoll_pwait", Call::EpollWait { epfd: fd, events: a[1] }),
            441 => ("epoll_pwait2", Call::EpollWait { epfd: fd, events: a[1] }),
            233 => (
                "epoll_ctl",
                Call::EpollCtl { epfd: fd, op: a[1] as i32, fd: a[2] as i32, event: a[3] },
            ),
            _ => return None,
        };
        Some(Entry { syscall, call })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_filter_s_calls_are_the_decoded_ones() {
            for nr in 0..500_u64 {
                let listed = crate::trace::decode::TRACED.contains(&nr.cast_signed());
                assert_eq!(decode(nr, [0; 6]).is_some(), listed, "call {nr}");
            }
        }

        #[test]
        fn python_s_send_and_recv_are_sendto_and_recvfrom() {
            let send = decode(44, [3, 0x1000, 5, 0, 0, 0]).unwrap();
            assert_eq!(send.syscall, "sendto");
            assert_eq!(send.call, Call::Send { fd: 3, buf: Buffer::Flat { addr: 0x1000, len: 5 } });
            assert_eq!(decode(45, [4, 0, 9, 0, 0, 0]).unwrap().call.fd(), Some(4));
            assert_eq!(decode(288, [7, 0, 0, 0, 0, 0]).unwrap().syscall, "accept4");
            assert_eq!(decode(39, [0; 6]), None, "getpid is not a socket call");
        }
    }
}
