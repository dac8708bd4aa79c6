//! What the model knows of intercepts: which directions of a pair hold messages, under which
//! rule, and the messages held now. Kept on the pair's accepted (client) socket, where the
//! engine names them; a held message leaves the model when its `released` event arrives or
//! its socket closes (the engine's hold ends with it).

use super::Session;
use super::call::CallKind;
use crate::event::{ConnId, FaultDir, HoldId, InterceptState, ReleaseAction};
use bytes::Bytes;

/// One direction being intercepted, as its `intercept` event told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterceptOn {
    pub dir: FaultDir,
    /// The framing that cuts messages (`line`, `raw`, ...).
    pub framing: String,
    /// What picks the held ones; empty for every message.
    pub pattern: String,
}

/// A message the engine holds, waiting for a person's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldMessage {
    pub id: HoldId,
    pub dir: FaultDir,
    /// The bytes as they arrived, delimiter or length prefix included.
    pub data: Bytes,
}

/// A pair's intercepts and held messages, in the order they were held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Intercepts {
    pub on: Vec<InterceptOn>,
    pub held: Vec<HeldMessage>,
}

impl Intercepts {
    pub(super) fn note(&mut self, dir: FaultDir, state: InterceptState, rule: (&str, &str)) {
        self.on.retain(|on| on.dir != dir);
        match state {
            InterceptState::On => {
                let (framing, pattern) = (rule.0.to_owned(), rule.1.to_owned());
                self.on.push(InterceptOn { dir, framing, pattern });
            }
            InterceptState::Off => {}
        }
    }

    /// Whether direction `dir` is being intercepted.
    #[must_use]
    pub fn is_on(&self, dir: FaultDir) -> bool {
        self.on.iter().any(|on| on.dir == dir)
    }
}

impl Session {
    /// Folds an `intercept` event.
    pub(super) fn on_intercept(
        &mut self,
        conn: ConnId,
        (dir, state): (FaultDir, InterceptState),
        (framing, pattern): (&str, &str),
        t: u64,
    ) {
        let Some(c) = self.connections.get_mut(&conn) else { return };
        c.intercepts.note(dir, state, (framing, pattern));
        let pattern = if pattern.is_empty() { "every message" } else { pattern };
        let step = format!("intercept {} {}: {framing}, {pattern}", dir.name(), state.name());
        c.record(t, CallKind::Intercept(step));
    }

    /// Folds a `held` event.
    pub(super) fn on_held(
        &mut self,
        conn: ConnId,
        (dir, id): (FaultDir, HoldId),
        data: &Bytes,
        t: u64,
    ) {
        let Some(c) = self.connections.get_mut(&conn).filter(|c| !c.is_closed()) else { return };
        c.intercepts.held.push(HeldMessage { id, dir, data: data.clone() });
        let step = format!("held {} {id}: {} B", dir.name(), data.len());
        c.record(t, CallKind::Intercept(step));
    }

    /// Folds a `released` event: the message leaves the list, and the socket it was bound for
    /// now waits for the forwarded bytes instead of the held ones.
    pub(super) fn on_released(
        &mut self,
        conn: ConnId,
        (dir, id, action): (FaultDir, HoldId, ReleaseAction),
        forwarded: usize,
        t: u64,
    ) {
        let Some(c) = self.connections.get_mut(&conn) else { return };
        let step =
            format!("released {} {id}: {}, {forwarded} B forwarded", dir.name(), action.name());
        c.record(t, CallKind::Intercept(step));
        let Some(at) = c.intercepts.held.iter().position(|h| h.id == id) else { return };
        let held = c.intercepts.held.remove(at);
        let target = match held.dir {
            FaultDir::Up => c.pair,
            FaultDir::Down => Some(conn),
        };
        if let Some(to) = target.and_then(|to| self.connections.get_mut(&to)) {
            to.queued = to.queued.saturating_sub(held.data.len() as u64);
            to.add_queued(forwarded as u64);
        }
    }

    /// Folds an `inject` event: its bytes wait in the queue toward that side until sent.
    pub(super) fn on_inject(&mut self, conn: ConnId, dir: FaultDir, len: usize, t: u64) {
        let Some(c) = self.connections.get_mut(&conn) else { return };
        c.record(t, CallKind::Intercept(format!("inject {}: {len} B", dir.name())));
        let target = match dir {
            FaultDir::Up => c.pair,
            FaultDir::Down => Some(conn),
        };
        if let Some(to) = target.and_then(|to| self.connections.get_mut(&to)) {
            to.add_queued(len as u64);
        }
    }

    /// Every message held now that can still be forwarded (its client open, and for `up`
    /// its upstream too), in the order they were held.
    #[must_use]
    pub fn held_messages(&self) -> Vec<(ConnId, &HeldMessage)> {
        let open = |id: Option<ConnId>| {
            id.and_then(|id| self.connections.get(&id)).is_some_and(|c| !c.is_closed())
        };
        let mut held: Vec<(ConnId, &HeldMessage)> = (self.connections.values())
            .filter(|c| !c.is_closed())
            .flat_map(|c| {
                let upstream_open = open(c.pair);
                let deliverable = move |h: &&HeldMessage| h.dir == FaultDir::Down || upstream_open;
                c.intercepts.held.iter().filter(deliverable).map(move |h| (c.id, h))
            })
            .collect();
        held.sort_by_key(|(_, h)| h.id);
        held
    }
}
