//! When `accept` fails for want of resources (EMFILE, ENFILE, ENOBUFS, ENOMEM) the pending
//! connection stays in the kernel's queue, so the listener stays readable: polling it again at
//! once would spin, and edge-triggered polling would never say when descriptors free up.
//!
//! The listener therefore stops being watched (an `interest` event with read off says so, after
//! one `error` on op `accept` that explains why), and `accept` is tried again on a timer. The
//! first retry that drains the queue to `WouldBlock` resumes watching (an `interest` event with
//! read on). The listener itself is never closed.

use super::Core;
use super::io::Outcome;
use crate::event::{ConnId, ErrorKind, EventKind, Op};
use rustix::io::Errno;
use std::io;
use std::time::{Duration, Instant};

/// How often a paused listener tries `accept` again: rare enough to cost nothing, soon enough
/// that a waiting client hardly notices.
pub(super) const ACCEPT_RETRY: Duration = Duration::from_millis(200);

impl Core {
    /// An `accept` that failed with something other than `WouldBlock` or an interruption.
    pub(super) fn accept_failed(&mut self, listener: ConnId, error: &io::Error) -> Outcome {
        // The connection at the head of the queue was reset before we took it; the next one may
        // be fine.
        if Errno::from_io_error(error) == Some(Errno::CONNABORTED) {
            self.report_error(listener, Op::Accept, error);
            return Outcome::Progress;
        }
        // The splice relay's pipes hold descriptors a new client needs more: they are closed
        // (their bytes go on by copy), and the accept is tried again at once.
        if out_of_descriptors(error) && self.release_pipes() {
            return Outcome::Progress;
        }
        // Manual mode makes exactly the calls the user asks for: report, and let them retry.
        if self.manual {
            self.report_error(listener, Op::Accept, error);
            return Outcome::Stop;
        }
        let Some(ep) = self.endpoints.get_mut(&listener) else { return Outcome::Stop };
        let already_paused = ep.accept_paused_until.is_some();
        ep.accept_paused_until = Some(Instant::now() + ACCEPT_RETRY);
        if !already_paused {
            let ms = ACCEPT_RETRY.as_millis();
            self.emit(EventKind::Error {
                conn: listener,
                op: Op::Accept,
                kind: ErrorKind::Other,
                message: format!("{error}: accepting paused, retrying every {ms} ms"),
            });
        }
        self.refresh_interest(listener);
        Outcome::Stop
    }

    /// The retry timer of a paused listener: accept what is waiting; if nothing fails, watch
    /// the listener again.
    pub(super) fn retry_accept(&mut self, listener: ConnId) {
        let Some(ep) = self.endpoints.get_mut(&listener) else { return };
        if self.manual {
            ep.accept_paused_until = None;
        } else {
            let due = ep.accept_paused_until;
            self.accept_all(listener);
            let Some(ep) = self.endpoints.get_mut(&listener) else { return };
            if ep.accept_paused_until != due {
                return; // failed again: still paused, with a new deadline
            }
            ep.accept_paused_until = None;
        }
        self.refresh_interest(listener);
    }
}

/// `EMFILE` or `ENFILE`: no descriptor for a new socket, in the process or the system.
pub(super) fn out_of_descriptors(error: &io::Error) -> bool {
    matches!(Errno::from_io_error(error), Some(Errno::MFILE | Errno::NFILE))
}
