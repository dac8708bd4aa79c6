//! Waiting for the traced threads with a deadline. `waitpid` has no timeout, and a call that
//! blocks must be reported while it blocks, so the tracer polls a signalfd for `SIGCHLD`
//! (which the kernel sends the tracer at every stop and exit) until the next deadline, then
//! reaps with `WNOHANG`.
//!
//! `SIGCHLD` must be blocked in every thread of sockscope, or a thread that does not block it
//! would take (and discard) it: [`block_child_signals`] runs before any thread is started.
//! The traced program does not inherit the mask: a spawned process starts with none blocked.

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use std::os::fd::AsFd;
use std::time::Duration;

/// The longest wait without looking again, should a `SIGCHLD` be missed.
const AT_MOST: Duration = Duration::from_millis(100);

/// Blocks `SIGCHLD` in the calling thread and the threads it starts from now on.
pub fn block_child_signals() {
    let _ = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&child_signal()), None);
}

fn child_signal() -> SigSet {
    let mut set = SigSet::empty();
    set.add(Signal::SIGCHLD);
    set
}

/// A signalfd that becomes readable when a traced thread stops or ends.
#[derive(Debug)]
pub struct ChildSignals {
    fd: Option<SignalFd>,
}

impl ChildSignals {
    #[must_use]
    pub fn new() -> Self {
        block_child_signals();
        let flags = SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC;
        Self { fd: SignalFd::with_flags(&child_signal(), flags).ok() }
    }

    /// Sleeps until a child signal arrives or `timeout` (at most [`AT_MOST`]) has passed.
    pub fn wait(&mut self, timeout: Option<Duration>) {
        let timeout = timeout.map_or(AT_MOST, |t| t.min(AT_MOST));
        let ms = PollTimeout::try_from(timeout).unwrap_or(PollTimeout::ZERO);
        let Some(fd) = &self.fd else {
            std::thread::sleep(timeout);
            return;
        };
        let mut fds = [PollFd::new(fd.as_fd(), PollFlags::POLLIN)];
        let _ = poll(&mut fds, ms);
        // Child signals do not queue: one read takes the one pending, if any.
        let _ = fd.read_signal();
    }
}
