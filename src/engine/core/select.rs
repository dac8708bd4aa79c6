//! What `select()` would return at the moment of a round.
//!
//! `select()` is level-triggered: it lists what is true now. The engine's level state says
//! which sockets may be ready (an edge came, and no call on them has returned `WouldBlock`
//! since), but not when a call happened to take everything: a manual `recv` of exactly the
//! bytes waiting, an `accept` of the last waiting client. So those candidates, and only those,
//! are asked once more with `poll(2)` and a zero timeout, which reads nothing and clears no
//! error. The kernel answers `select()` and `poll()` from the same per-socket state, and
//! `select()` maps it so: readable on `POLLIN`, `POLLHUP` or `POLLERR`; writable on `POLLOUT`
//! or `POLLERR`; exceptional on `POLLPRI` (urgent, out-of-band data). Asking only the
//! level-ready sockets keeps the cost with the sockets that are ready, not with every socket
//! open; one that became ready since the last poll is missed until its edge arrives.

use super::Core;
use crate::event::{ConnId, SelectView};
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use std::collections::BTreeSet;

impl Core {
    /// `select(R, W, R)` with no timeout, where R and W are the engine's interest sets: the
    /// read set doubles as the exceptional set, as in the usual call. An error is readable and
    /// writable (the call fails at once), never exceptional. If `poll` itself fails, the view
    /// is the engine's level state.
    pub(super) fn select_view(&self) -> SelectView {
        let read = self.level_ready(true);
        let write = self.level_ready(false);
        let candidates: Vec<ConnId> = read.union(&write).copied().collect();
        if candidates.is_empty() {
            return SelectView::default();
        }
        let mut fds: Vec<PollFd<'_>> = candidates
            .iter()
            .filter_map(|id| self.endpoints.get(id))
            .map(|ep| PollFd::new(&ep.socket, PollFlags::IN | PollFlags::OUT | PollFlags::PRI))
            .collect();
        let now = Timespec { tv_sec: 0, tv_nsec: 0 };
        if fds.len() != candidates.len() || poll(&mut fds, Some(&now)).is_err() {
            return SelectView {
                readable: read.into_iter().collect(),
                writable: write.into_iter().collect(),
                exceptional: Vec::new(),
            };
        }
        let mut view = SelectView::default();
        for (id, fd) in candidates.into_iter().zip(&fds) {
            let revents = fd.revents();
            let has = |flags: PollFlags| revents.intersects(flags);
            if read.contains(&id) && has(PollFlags::IN | PollFlags::HUP | PollFlags::ERR) {
                view.readable.push(id);
            }
            if write.contains(&id) && has(PollFlags::OUT | PollFlags::ERR) {
                view.writable.push(id);
            }
            if read.contains(&id) && has(PollFlags::PRI) {
                view.exceptional.push(id);
            }
        }
        view
    }

    /// The level-ready sockets of the read (or write) interest set.
    fn level_ready(&self, read: bool) -> BTreeSet<ConnId> {
        let level = if read { &self.level_readable } else { &self.level_writable };
        let interested = |id: &&ConnId| {
            let registered = self.endpoints.get(id).and_then(|ep| ep.registered);
            registered.is_some_and(|(r, w)| if read { r } else { w })
        };
        level.iter().filter(interested).copied().collect()
    }
}
