//! The script's clock: how a lesson holds while the person holds the session.

use crate::event::Pace;

/// The script's own clock: it moves only while the session runs freely and the sockets are at
/// rest, and counts the rounds a held session (stepped, manual) runs instead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Clock {
    /// The pace the person set, and whether manual mode is on.
    pub(super) pace: Pace,
    pub(super) manual: bool,
    /// Session time last seen, in microseconds.
    now_us: u64,
    /// Unheld time at rest since the last step.
    quiet_us: u64,
    /// Unheld time since the last step, at rest or not: what a step's timeout counts.
    unheld_us: u64,
    /// Poll rounds reported since the last step.
    rounds: u64,
    /// A round was reported in the batch being handled: in a held session the script acts
    /// only then, right after the round a key asked for, never on a timer.
    fresh_round: bool,
}

impl Clock {
    /// Stepped and manual sessions move by the person's keys: rounds, not time.
    pub(super) fn held(self) -> bool {
        self.manual || self.pace == Pace::Stepped
    }

    /// Time passes up to `now_us`; it counts only at rest in a session that is not held.
    pub(super) fn pass(&mut self, now_us: u64, at_rest: bool) {
        let elapsed = now_us.saturating_sub(self.now_us);
        self.now_us = self.now_us.max(now_us);
        if !self.held() {
            self.unheld_us = self.unheld_us.saturating_add(elapsed);
            if at_rest {
                self.quiet_us = self.quiet_us.saturating_add(elapsed);
            }
        }
    }

    /// Whether a gap has passed since the last step: `gap_us` of quiet time, or (held) one
    /// round, just reported, so that every key press shows a round before the script acts
    /// again and nothing moves between key presses.
    pub(super) fn gap_over(self, gap_us: u64) -> bool {
        if self.held() { self.rounds > 0 && self.fresh_round } else { self.quiet_us >= gap_us }
    }

    pub(super) fn round(&mut self) {
        self.rounds += 1;
        self.fresh_round = true;
    }

    /// Unheld time since the last step.
    pub(super) fn unheld_us(self) -> u64 {
        self.unheld_us
    }

    pub(super) fn restart(&mut self) {
        self.quiet_us = 0;
        self.unheld_us = 0;
        self.rounds = 0;
    }

    /// Lets the next step run at once.
    pub(super) fn skip_gap(&mut self) {
        self.quiet_us = u64::MAX;
        self.rounds = 1;
        self.fresh_round = true;
    }

    /// The batch is handled: a round in it no longer lets a held script act.
    pub(super) fn batch_done(&mut self) {
        self.fresh_round = false;
    }
}
