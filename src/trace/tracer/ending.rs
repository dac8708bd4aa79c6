//! How tracing ends early: a started program is killed, an attached one let go.

use super::Tracer;
use nix::errno::Errno;
use nix::sys::ptrace;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

impl Tracer {
    /// Kills every traced process (once: the kill stands until each reports its death).
    pub(super) fn kill_all(&mut self) {
        if self.killed {
            return;
        }
        self.killed = true;
        for &tid in self.threads.keys() {
            let _ = nix::sys::signal::kill(tid, Signal::SIGKILL);
        }
    }

    /// Stops every traced thread and detaches it, so the program runs on untraced.
    pub(super) fn detach_all(&mut self) {
        for &tid in self.threads.keys() {
            let _ = ptrace::interrupt(tid);
        }
        while !self.threads.is_empty() {
            let status = match waitpid(None::<Pid>, Some(WaitPidFlag::__WALL)) {
                Ok(status) => status,
                Err(Errno::EINTR) => continue,
                Err(_) => break,
            };
            let (pid, pass_on) = match status {
                WaitStatus::Stopped(pid, signal) => {
                    (pid, (signal != crate::trace::WAKE).then_some(signal))
                }
                WaitStatus::PtraceEvent(pid, _, _) | WaitStatus::PtraceSyscall(pid) => (pid, None),
                WaitStatus::Exited(pid, _) | WaitStatus::Signaled(pid, _, _) => {
                    self.threads.remove(&pid);
                    continue;
                }
                WaitStatus::Continued(_) | WaitStatus::StillAlive => continue,
            };
            let _ = ptrace::detach(pid, pass_on);
            self.threads.remove(&pid);
        }
    }
}
