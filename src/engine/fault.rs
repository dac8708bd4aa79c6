//! The faults of one direction of a proxied pair, and where they stand: how many bytes the
//! sender has sent since they were set, which one-time faults have tripped, and the pacing of
//! the piece being sent. Plain state and arithmetic; `core::faults` does the socket work.

use crate::event::{Fault, FaultDir, FaultKind};
use std::time::{Duration, Instant};

/// Both directions of one pair, kept on the pair's accepted (client) socket, so that they
/// survive the upstream's connect moving on to another address.
#[derive(Debug, Default)]
pub(super) struct PairFaults {
    up: Gate,
    down: Gate,
}

impl PairFaults {
    pub(super) fn get(&self, dir: FaultDir) -> &Gate {
        match dir {
            FaultDir::Up => &self.up,
            FaultDir::Down => &self.down,
        }
    }

    pub(super) fn get_mut(&mut self, dir: FaultDir) -> &mut Gate {
        match dir {
            FaultDir::Up => &mut self.up,
            FaultDir::Down => &mut self.down,
        }
    }
}

/// The faults of the bytes going one way.
#[derive(Debug, Default)]
pub(super) struct Gate {
    faults: Vec<Fault>,
    /// Bytes read from the sender since the faults were set.
    received: usize,
    /// One-time faults that have taken effect.
    tripped: Vec<FaultKind>,
    /// A one-time fault tripped: what the sender sends now is read and dropped.
    discarding: bool,
    /// `reset-after` tripped: reset both sides once what was admitted before it is sent.
    pub(super) reset_when_flushed: bool,
    /// Bytes of the piece under way that may still go without a new wait.
    piece_left: usize,
    /// The wait before the next piece (`delay`, `rate`) ends then.
    pub(super) hold_until: Option<Instant>,
    /// The wait is over: the next offer starts a piece.
    released: bool,
    /// `rate`: no byte goes before this instant.
    rate_free_at: Option<Instant>,
}

impl Gate {
    pub(super) fn new(faults: Vec<Fault>) -> Self {
        Self { faults, ..Self::default() }
    }

    pub(super) fn faults(&self) -> &[Fault] {
        &self.faults
    }

    /// No fault is set and none left anything to do: the bytes may pass untouched (and so
    /// through `--relay splice`'s pipe).
    pub(super) fn is_inert(&self) -> bool {
        self.faults.is_empty()
            && !self.discarding
            && !self.reset_when_flushed
            && self.hold_until.is_none()
    }

    pub(super) fn stalled(&self) -> bool {
        self.faults.contains(&Fault::Stall)
    }

    fn find<T>(&self, pick: impl Fn(Fault) -> Option<T>) -> Option<T> {
        self.faults.iter().find_map(|f| pick(*f))
    }

    /// `len` more bytes were read from the sender: how many of them to forward (the leading
    /// ones), and which one-time faults their count reached. `admit(0)` checks limits of 0.
    pub(super) fn admit(&mut self, len: usize) -> (usize, Vec<FaultKind>) {
        let before = self.received;
        self.received = before.saturating_add(len);
        let mut keep = if self.discarding { 0 } else { len };
        let mut trips = Vec::new();
        let mut limits: Vec<(usize, FaultKind)> = self
            .faults
            .iter()
            .filter_map(|f| match *f {
                Fault::ShutAfter(n) | Fault::ResetAfter(n) | Fault::DropAfter(n) => {
                    Some((n, f.kind()))
                }
                Fault::Slice(_) | Fault::Delay(_) | Fault::Rate(_) | Fault::Stall => None,
            })
            .collect();
        limits.sort_unstable();
        for (limit, kind) in limits {
            if self.received < limit || self.tripped.contains(&kind) {
                continue;
            }
            keep = keep.min(limit.saturating_sub(before));
            self.discarding = true;
            self.tripped.push(kind);
            trips.push(kind);
        }
        (keep, trips)
    }

    /// Whether the next piece must wait, and until when (`delay` after the previous piece,
    /// `rate` after what was sent). Inside a piece, or once its wait is over, nothing waits.
    pub(super) fn hold(&mut self, now: Instant) -> Option<Instant> {
        if self.piece_left > 0 || self.released {
            return None;
        }
        let delay = self.find(|f| if let Fault::Delay(d) = f { Some(d) } else { None });
        let at = match self.hold_until {
            Some(at) => at,
            None if delay.is_none() && self.rate_free_at.is_none() => return None,
            None => {
                let after_delay = now + delay.unwrap_or(Duration::ZERO);
                self.rate_free_at.map_or(after_delay, |free| free.max(after_delay))
            }
        };
        if at > now {
            self.hold_until = Some(at);
            return Some(at);
        }
        self.hold_until = None;
        self.released = true;
        None
    }

    /// How many of the `front_len` bytes at the front of the queue one `send` may offer.
    pub(super) fn offer(&mut self, front_len: usize) -> usize {
        if self.piece_left == 0 {
            let slice = self.find(|f| if let Fault::Slice(n) = f { Some(n) } else { None });
            let rate =
                self.find(|f| if let Fault::Rate(n) = f { Some((n / 10).max(1)) } else { None });
            self.piece_left =
                [Some(front_len), slice, rate].into_iter().flatten().min().unwrap_or(front_len);
            self.released = false;
        }
        self.piece_left.min(front_len)
    }

    /// A `send` took `len` bytes at `now`.
    pub(super) fn sent(&mut self, len: usize, now: Instant) {
        self.piece_left = self.piece_left.saturating_sub(len);
        let rate = self.find(|f| if let Fault::Rate(n) = f { Some(n) } else { None });
        if let Some(rate) = rate {
            let ns = (len as u128 * 1_000_000_000) / (rate.max(1) as u128);
            let cost = Duration::from_nanos(u64::try_from(ns).unwrap_or(u64::MAX));
            let from = self.rate_free_at.map_or(now, |free| free.max(now));
            self.rate_free_at = Some(from + cost);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_cut_at_the_exact_byte_and_trip_once() {
        let mut gate = Gate::new(vec![Fault::DropAfter(5), Fault::ShutAfter(10)]);
        assert_eq!(gate.admit(3), (3, vec![]));
        assert_eq!(gate.admit(4), (2, vec![FaultKind::DropAfter]));
        assert_eq!(gate.admit(2), (0, vec![]));
        assert_eq!(gate.admit(9), (0, vec![FaultKind::ShutAfter]));
        assert_eq!(gate.admit(9), (0, vec![]));
        let mut zero = Gate::new(vec![Fault::ResetAfter(0)]);
        assert_eq!(zero.admit(0), (0, vec![FaultKind::ResetAfter]));
    }

    #[test]
    fn slices_and_rate_bound_each_offer() {
        let mut gate = Gate::new(vec![Fault::Slice(4)]);
        assert_eq!(gate.offer(10), 4);
        gate.sent(3, Instant::now());
        assert_eq!(gate.offer(7), 1, "the rest of the piece");
        gate.sent(1, Instant::now());
        assert_eq!(gate.offer(2), 2, "a piece never spans chunks");
        let mut rate = Gate::new(vec![Fault::Rate(1000)]);
        assert_eq!(rate.offer(65_536), 100, "a tenth of a second's worth");
    }

    #[test]
    fn delay_holds_each_piece_once() {
        let now = Instant::now();
        let delay = Duration::from_millis(50);
        let mut gate = Gate::new(vec![Fault::Delay(delay)]);
        assert_eq!(gate.hold(now), Some(now + delay));
        assert_eq!(gate.hold(now + delay), None, "the wait is over");
        assert_eq!(gate.hold(now + delay), None, "and stays over until the piece starts");
        assert_eq!(gate.offer(8), 8);
        gate.sent(8, now + delay);
        assert_eq!(gate.hold(now + delay), Some(now + delay * 2), "the next piece waits again");
    }

    #[test]
    fn rate_spaces_pieces_by_their_cost() {
        let now = Instant::now();
        let mut gate = Gate::new(vec![Fault::Rate(1000)]);
        assert_eq!(gate.hold(now), None);
        assert_eq!(gate.offer(500), 100);
        gate.sent(100, now);
        assert_eq!(gate.hold(now), Some(now + Duration::from_millis(100)));
        let mut fast = Gate::new(vec![Fault::Rate(3 << 30)]);
        fast.sent(3 << 20, now);
        assert_eq!(fast.hold(now), Some(now + Duration::from_nanos(1_000_000_000 / 1024)));
    }
}
