//! The poll rounds, for the Readiness panel: epoll's edges and `select()`'s view each time.

use std::collections::VecDeque;

use crate::event::Readiness;

/// One poll round as the engine reported it.
///
/// `readiness.readable`/`writable`/`error`/... are this round's epoll edges;
/// `still_readable`/`still_writable` are sockets ready since an earlier round and not yet
/// drained; `readiness.select` is what a level-triggered `select()` would have returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    pub t_us: u64,
    pub readiness: Readiness,
    /// A traced program's round: the readiness call (`pselect6`, `poll`, `epoll_wait`) whose
    /// result it is.
    pub site: Option<crate::event::CallSite>,
}

/// The latest rounds, oldest first; older ones are dropped.
#[derive(Debug)]
pub(super) struct History {
    rounds: VecDeque<Round>,
    total: u64,
    cap: usize,
}

impl History {
    /// Keeps at least the latest round, so the panel always has one to show.
    pub(super) fn new(cap: usize) -> Self {
        Self { rounds: VecDeque::new(), total: 0, cap: cap.max(1) }
    }

    pub(super) fn push(&mut self, round: Round) {
        self.total += 1;
        if self.rounds.len() == self.cap {
            self.rounds.pop_front();
        }
        self.rounds.push_back(round);
    }

    pub(super) fn iter(&self) -> std::collections::vec_deque::Iter<'_, Round> {
        self.rounds.iter()
    }

    /// Marks the newest round as the result of a traced program's readiness call.
    pub(super) fn mark_last(&mut self, site: crate::event::CallSite) {
        if let Some(round) = self.rounds.back_mut() {
            round.site = Some(site);
        }
    }

    pub(super) fn last(&self) -> Option<&Round> {
        self.rounds.back()
    }

    pub(super) fn total(&self) -> u64 {
        self.total
    }
}
