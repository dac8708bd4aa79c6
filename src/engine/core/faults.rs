//! Faults on a proxied pair (or an echo connection's replies): which faults govern the bytes
//! queued toward a socket, setting them, and what they do to reading, forwarding and sending.
//!
//! Every change is reported as a `fault` event on the pair's accepted socket: `on` and `off`
//! when a fault is set or removed, `tripped` when a one-time fault takes effect. Slices show
//! as the `send` calls themselves, and waits as the time between them.

use super::Core;
use crate::engine::endpoint::Role;
use crate::engine::fault::{Gate, PairFaults};
use crate::event::{ConnId, ErrorKind, EventKind, Fault, FaultDir, FaultKind, FaultState, Op};
use bytes::Bytes;
use std::time::Instant;

impl Core {
    /// The pair's accepted socket and the direction of the bytes queued toward `to`, if they
    /// are forwarded bytes that faults may govern.
    pub(super) fn fault_route(&self, to: ConnId) -> Option<(ConnId, FaultDir)> {
        let ep = self.endpoints.get(&to)?;
        match (&ep.role, ep.pair) {
            (Role::Accepted { .. }, Some(_)) => Some((to, FaultDir::Down)),
            (Role::Accepted { .. }, None) if self.config.echo => Some((to, FaultDir::Down)),
            (Role::Outgoing, Some(client)) => Some((client, FaultDir::Up)),
            // Datagrams are relayed whole; faults govern streams only.
            (
                Role::Accepted { .. }
                | Role::Outgoing
                | Role::Listener { .. }
                | Role::Bound { .. }
                | Role::Flow { .. },
                _,
            ) => None,
        }
    }

    pub(super) fn gate(&self, to: ConnId) -> Option<&Gate> {
        let (client, dir) = self.fault_route(to)?;
        Some(self.endpoints.get(&client)?.faults.as_ref()?.get(dir))
    }

    fn gate_mut(&mut self, to: ConnId) -> Option<&mut Gate> {
        let (client, dir) = self.fault_route(to)?;
        Some(self.endpoints.get_mut(&client)?.faults.as_mut()?.get_mut(dir))
    }

    /// A `stall` on the bytes `from` sends: it is not read.
    pub(super) fn stalled(&self, from: ConnId) -> bool {
        self.relay_target(from).and_then(|to| self.gate(to)).is_some_and(Gate::stalled)
    }

    /// The part of `data` (read on the way to `to`) that is forwarded; trips one-time faults
    /// whose byte count it reaches.
    pub(super) fn admit(&mut self, to: ConnId, data: Bytes) -> Bytes {
        let Some(gate) = self.gate_mut(to) else { return data };
        let (keep, trips) = gate.admit(data.len());
        for kind in trips {
            self.trip(to, kind);
        }
        data.slice(..keep)
    }

    fn trip(&mut self, to: ConnId, kind: FaultKind) {
        let Some((client, dir)) = self.fault_route(to) else { return };
        let detail = match kind {
            FaultKind::ShutAfter => {
                if let Some(ep) = self.endpoints.get_mut(&to) {
                    ep.shutdown_when_flushed = true;
                }
                format!("shutdown(write) on {to} once the bytes before it are sent")
            }
            FaultKind::ResetAfter => {
                if let Some(gate) = self.gate_mut(to) {
                    gate.reset_when_flushed = true;
                }
                "both sides reset once the bytes before it are sent".to_owned()
            }
            FaultKind::DropAfter => "later bytes are read and dropped".to_owned(),
            FaultKind::Slice | FaultKind::Delay | FaultKind::Rate | FaultKind::Stall => return,
        };
        let state = FaultState::Tripped;
        self.emit(EventKind::Fault { conn: client, dir, kind, state, detail });
    }

    /// How many of the front `front_len` bytes one `send` on `to` offers.
    pub(super) fn fault_offer(&mut self, to: ConnId, front_len: usize) -> usize {
        self.gate_mut(to).map_or(front_len, |gate| gate.offer(front_len))
    }

    pub(super) fn fault_sent(&mut self, to: ConnId, len: usize) {
        if let Some(gate) = self.gate_mut(to) {
            gate.sent(len, Instant::now());
        }
    }

    /// Whether the next automatic `send` on `to` must wait (`delay`, `rate`). Nothing to send
    /// means nothing to wait for: a wait left over (the queue was dropped) is forgotten, or its
    /// timer would wake the poll for nothing, again and again.
    pub(super) fn send_held(&mut self, to: ConnId) -> bool {
        let queued = self.endpoints.get(&to).is_some_and(|ep| !ep.queue.is_empty());
        let Some(gate) = self.gate_mut(to) else { return false };
        if !queued {
            gate.hold_until = None;
            return false;
        }
        gate.hold(Instant::now()).is_some()
    }

    /// `reset-after` tripped and its bytes are sent: resets both sides. Returns whether it did.
    pub(super) fn reset_if_due(&mut self, to: ConnId) -> bool {
        let flushed = self.endpoints.get(&to).is_some_and(|ep| ep.queue.is_empty());
        if !flushed || !self.gate(to).is_some_and(|gate| gate.reset_when_flushed) {
            return false;
        }
        let pair = self.endpoints.get(&to).and_then(|ep| ep.pair);
        if let Some(pair) = pair {
            self.unlink(to);
            self.unlink(pair);
            self.reset(pair);
        }
        self.reset(to);
        true
    }

    /// The sockets whose held `send` may go at `now`, and the nearest wait of all. In manual
    /// mode nothing is sent by itself: leaving it flushes every socket, waits included.
    pub(super) fn fault_holds(&self, now: Instant) -> (Vec<ConnId>, Option<Instant>) {
        let mut due = Vec::new();
        let mut next: Option<Instant> = None;
        if self.manual {
            return (due, next);
        }
        for (id, ep) in &self.endpoints {
            let Some(faults) = &ep.faults else { continue };
            for dir in [FaultDir::Up, FaultDir::Down] {
                let Some(at) = faults.get(dir).hold_until else { continue };
                let to = match dir {
                    FaultDir::Up => ep.pair,
                    FaultDir::Down => Some(*id),
                };
                match to {
                    Some(to) if at <= now => due.push(to),
                    Some(_) => next = Some(next.map_or(at, |n| n.min(at))),
                    None => {}
                }
            }
        }
        due.sort_unstable();
        (due, next)
    }

    /// Sets the command line's faults on a newly accepted connection.
    pub(super) fn install_configured_faults(&mut self, client: ConnId) {
        let sets = self.config.faults.clone();
        for set in sets {
            if self.fault_ends(client, set.dir).is_some() {
                self.set_faults(client, set.dir, set.faults);
            }
        }
    }

    /// The pair's accepted socket, the sender and the receiver of direction `dir` for the
    /// pair `conn` belongs to.
    pub(super) fn fault_ends(
        &self,
        conn: ConnId,
        dir: FaultDir,
    ) -> Option<(ConnId, ConnId, ConnId)> {
        let ep = self.endpoints.get(&conn)?;
        let client = match (&ep.role, ep.pair) {
            (Role::Outgoing, Some(client)) => client,
            (Role::Accepted { .. }, _) => conn,
            (
                Role::Outgoing | Role::Listener { .. } | Role::Bound { .. } | Role::Flow { .. },
                _,
            ) => return None,
        };
        let pair = self.endpoints.get(&client)?.pair;
        match (pair, dir) {
            (Some(upstream), FaultDir::Up) => Some((client, client, upstream)),
            (Some(upstream), FaultDir::Down) => Some((client, upstream, client)),
            (None, FaultDir::Down) if self.config.echo => Some((client, client, client)),
            (None, FaultDir::Up | FaultDir::Down) => None,
        }
    }

    /// `Command::SetFaults`: replaces the faults of one direction, reporting each change.
    pub(super) fn set_faults(&mut self, conn: ConnId, dir: FaultDir, faults: Vec<Fault>) {
        let Some((client, from, to)) = self.fault_ends(conn, dir) else {
            let message = format!(
                "{conn} is not one side of a proxied pair (nor, for down, an echo connection): \
                 no {} faults",
                dir.name()
            );
            let kind = ErrorKind::Other;
            return self.emit(EventKind::Error { conn, op: Op::Option, kind, message });
        };
        let Some(ep) = self.endpoints.get_mut(&client) else { return };
        let pair_faults = ep.faults.get_or_insert_with(Box::<PairFaults>::default);
        let removed: Vec<Fault> = (pair_faults.get(dir).faults().iter())
            .filter(|f| !faults.iter().any(|n| n.kind() == f.kind()))
            .copied()
            .collect();
        let set = faults.iter().map(|f| (f.kind(), FaultState::On, f.to_string()));
        let changes: Vec<_> = (removed.iter().map(|f| (f.kind(), FaultState::Off, f.to_string())))
            .chain(set)
            .collect();
        *pair_faults.get_mut(dir) = Gate::new(faults);
        for (kind, state, detail) in changes {
            self.emit(EventKind::Fault { conn: client, dir, kind, state, detail });
        }
        let nothing = self.admit(to, Bytes::new());
        debug_assert!(nothing.is_empty());
        self.refresh_interest(from);
        if !self.manual {
            self.flush(to);
            self.drain_reads(from);
        }
    }
}
