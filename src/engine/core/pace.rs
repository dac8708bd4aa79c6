//! The pace of automatic rounds: free, one round per `Step`, or slow motion.
//!
//! Every poll's edges go into `pending` first. A round takes them all, reports them as one
//! `ready` event and makes the calls they call for; under [`Pace::Free`] that happens right after
//! each poll, as it always did. Under [`Pace::Stepped`] it happens only on `Step`, and under
//! [`Pace::Delay`] not before the delay has passed since the previous round. Holding edges rather
//! than not polling keeps the loop responsive: the waker still interrupts the poll, so commands
//! (`Stop` above all) are handled at once, and edge-triggered readiness that arrives meanwhile is
//! not lost but reported by the next round, exactly as manual mode's steps do.

use super::Core;
use super::edges::Edges;
use crate::event::Pace;
use std::time::{Duration, Instant};

/// Longest slow-motion delay honoured; a longer one is cut to this (`Step` is the tool for
/// rounds that wait on a person).
const MAX_DELAY: Duration = Duration::from_secs(3600);

impl Core {
    /// Automatic mode, after a poll: holds the fresh edges, then runs a round if the pace allows.
    pub(super) fn on_auto_poll(&mut self, fresh: Edges) {
        self.pending.merge(fresh);
        if self.round_allowed(Instant::now()) {
            self.auto_round(false);
        }
    }

    /// `Step` in automatic mode: one round now, with everything held plus what a poll that does
    /// not wait finds. Reported even if nothing was ready, so that every key press shows a round.
    pub(super) fn step_round(&mut self) {
        let fresh = self.poll_now();
        self.pending.merge(fresh);
        self.auto_round(true);
    }

    /// A new pace applies at once: a round that it no longer holds back runs now.
    pub(super) fn set_pace(&mut self, pace: Pace) {
        self.pace = pace;
        if !self.manual && self.holds_work() && self.round_allowed(Instant::now()) {
            self.auto_round(false);
        }
    }

    /// When the poll must return for the next round, if one is waiting for time alone (manual
    /// mode and [`Pace::Stepped`] wait for a command instead).
    pub(super) fn next_round_at(&self, now: Instant) -> Option<Instant> {
        if self.manual {
            return None;
        }
        match self.pace {
            Pace::Free => self.has_pending_reads().then_some(now),
            Pace::Stepped => None,
            Pace::Delay(_) => self.holds_work().then(|| self.delay_over_at().unwrap_or(now)),
        }
        .map(|at| at.max(now))
    }

    /// Whether the pace lets a round run at `now`.
    fn round_allowed(&self, now: Instant) -> bool {
        match self.pace {
            Pace::Free => true,
            Pace::Stepped => false,
            Pace::Delay(_) => self.delay_over_at().is_none_or(|at| at <= now),
        }
    }

    /// When slow motion lets the next round run: `None` if no round ran yet.
    fn delay_over_at(&self) -> Option<Instant> {
        let Pace::Delay(delay) = self.pace else { return None };
        let last = self.last_round_at?;
        last.checked_add(delay.min(MAX_DELAY)).or(Some(last))
    }

    /// Whether a round would have anything to report or do: held edges, or reads left over.
    fn holds_work(&self) -> bool {
        !self.pending.by_conn.is_empty() || self.has_pending_reads()
    }

    /// One automatic round over every held edge: report, complete connects, accept, send, recv.
    fn auto_round(&mut self, always: bool) {
        let edges = self.take_pending();
        self.note_level(&edges);
        let before = self.round;
        self.report_round(&edges, always);
        if self.round != before {
            self.last_round_at = Some(Instant::now());
        }
        self.complete_connects(&edges);
        self.act_on_edges(&edges);
        self.continue_draining(&edges);
    }
}
