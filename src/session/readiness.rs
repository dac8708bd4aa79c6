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

    pub(super) fn last(&self) -> Option<&Round> {
        self.rounds.back()
    }

    pub(super) fn total(&self) -> u64 {
        self.total
    }
}
