//! What the tracer must know about descriptors around a call: the socket a `close` releases,
//! whether a call's result can make an event at all, and which descriptors a finished call
//! changed (so that what they name is read again).

use super::Calls;
use crate::trace::decode::{Call, Entry};
use nix::unistd::Pid;

impl Calls {
    /// What a call must know before it runs: what a `select` or `poll` asks about (its sets
    /// hold the result once it returns), and the socket `close` is about to release.
    pub fn before_call(&mut self, pid: Pid, entry: &Entry) -> Option<u64> {
        self.asked.began(pid, &entry.call);
        match entry.call {
            Call::Close { fd } => self.sockets.inode(pid, fd),
            _ => None,
        }
    }

    /// Whether the result of `entry` can make an event: a `read` or `write` (any send or
    /// receive call) on a descriptor that is not a socket cannot, so the thread need not stop
    /// again when the call returns.
    pub fn wants_result(&mut self, pid: Pid, entry: &Entry) -> bool {
        match entry.call {
            Call::Send { fd, .. } | Call::Recv { fd, .. } => self.sockets.inode(pid, fd).is_some(),
            Call::Socket
            | Call::Bind { .. }
            | Call::Listen { .. }
            | Call::Accept { .. }
            | Call::Connect { .. }
            | Call::Shutdown { .. }
            | Call::Close { .. }
            | Call::SetSockOpt { .. }
            | Call::Select { .. }
            | Call::Poll { .. }
            | Call::EpollWait { .. }
            | Call::Renames { .. }
            | Call::EpollCtl { .. } => true,
        }
    }

    /// Thread `pid` has ended.
    pub fn thread_ended(&mut self, pid: Pid) {
        self.sockets.forget_thread(pid);
        self.asked.thread_ended(pid);
    }

    /// An `exec` closed the program's close-on-exec descriptors: what any names is read again.
    pub fn exec_happened(&mut self) {
        self.sockets.forget_all_fds();
    }

    /// Forgets what the descriptors a finished call changed name: a closed one, the range of
    /// `dup2`/`dup3`/`close_range`, the new one `socket` or `accept` returned.
    pub(super) fn forget_changed(&mut self, call: Call, result: i64) {
        let new = i32::try_from(result).ok().filter(|fd| *fd >= 0);
        match call {
            Call::Close { fd } => self.sockets.forget_fds(fd, fd),
            Call::Renames { first, last } => self.sockets.forget_fds(first, last),
            Call::Socket | Call::Accept { .. } => {
                if let Some(fd) = new {
                    self.sockets.forget_fds(fd, fd);
                }
            }
            Call::Bind { .. }
            | Call::Listen { .. }
            | Call::Connect { .. }
            | Call::Send { .. }
            | Call::Recv { .. }
            | Call::Shutdown { .. }
            | Call::SetSockOpt { .. }
            | Call::Select { .. }
            | Call::Poll { .. }
            | Call::EpollWait { .. }
            | Call::EpollCtl { .. } => {}
        }
    }
}
