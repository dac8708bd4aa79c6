//! Intercepting a proxied pair (or an echo connection's replies): relayed bytes pass through
//! a [`Stage`] that holds the matching messages until a `Release` lets each go, and new bytes
//! can be injected toward either side.
//!
//! Everything is reported on the pair's accepted socket: `intercept` when a direction starts
//! or stops being held, `held` for each message held, `released` for what became of it (the
//! bytes forwarded in its place), `inject` for bytes that no peer sent.

use super::Core;
use crate::engine::endpoint::{Endpoint, Role};
use crate::engine::intercept::{PairIntercepts, Stage};
use crate::event::{
    ConnId, ErrorKind, EventKind, FaultDir, HoldId, InterceptRule, InterceptState, Op, Release,
    ReleaseAction,
};
use bytes::Bytes;

impl Core {
    fn stage(&self, to: ConnId) -> Option<&Stage> {
        let (client, dir) = self.fault_route(to)?;
        self.endpoints.get(&client)?.intercepts.as_ref()?.get(dir)
    }

    fn stage_mut(&mut self, to: ConnId) -> Option<&mut Stage> {
        let (client, dir) = self.fault_route(to)?;
        let intercepts = self.endpoints.get_mut(&client)?.intercepts.as_mut()?;
        intercepts.slot(dir).as_deref_mut()
    }

    /// Bytes on their way to `to` that an intercept holds back: they count against the relay
    /// limit with its send queue.
    pub(super) fn staged_len(&self, to: ConnId) -> usize {
        self.stage(to).map_or(0, Stage::staged_len)
    }

    /// Whether bytes relayed toward `to` pass through an intercept.
    pub(super) fn intercepting(&self, to: ConnId) -> bool {
        self.stage(to).is_some()
    }

    /// Relayed bytes toward an intercepted `to`: cut into messages, each held or queued.
    pub(super) fn stage_relayed(&mut self, to: ConnId, data: Bytes) {
        let pieces = self.stage_mut(to).map(|stage| stage.cut(data)).unwrap_or_default();
        self.hold_or_pass(to, pieces);
    }

    /// The sender toward `to` sent EOF: what the stage still holds unframed is cut.
    pub(super) fn finish_staged(&mut self, to: ConnId) {
        let pieces = self.stage_mut(to).map(Stage::finish).unwrap_or_default();
        self.hold_or_pass(to, pieces);
    }

    fn hold_or_pass(&mut self, to: ConnId, pieces: Vec<Bytes>) {
        let Some((client, dir)) = self.fault_route(to) else { return };
        for data in pieces {
            let matched = self.stage(to).is_some_and(|stage| stage.matches(&data));
            let hold = matched.then(|| self.allocate_hold());
            if let Some(id) = hold {
                let len = data.len();
                self.emit(EventKind::Held { conn: client, dir, id, len, data: data.clone() });
            }
            if let Some(stage) = self.stage_mut(to) {
                stage.wait(hold, data);
            }
        }
        self.queue_ready(to);
    }

    /// Moves the messages no held one blocks into `to`'s send queue.
    fn queue_ready(&mut self, to: ConnId) {
        let ready = self.stage_mut(to).map(Stage::ready).unwrap_or_default();
        for data in ready {
            self.enqueue(to, data);
        }
    }

    fn allocate_hold(&mut self) -> HoldId {
        self.next_hold += 1;
        HoldId(self.next_hold)
    }

    /// `Command::Intercept`: ends the direction's intercept (forwarding all it holds, in
    /// order), then starts the new one, if any.
    pub(super) fn set_intercept(
        &mut self,
        conn: ConnId,
        dir: FaultDir,
        rule: Option<InterceptRule>,
    ) {
        if self.endpoints.get(&conn).is_some_and(Endpoint::is_listener) {
            return self.set_listener_intercept(conn, dir, rule);
        }
        let Some((client, from, to)) = self.fault_ends(conn, dir) else {
            return self.not_a_pair(conn, dir, "intercept");
        };
        self.end_intercept(client, dir, to);
        if let Some(rule) = rule {
            match Stage::new(rule, self.config.relay_limit) {
                Ok(stage) => {
                    let (framing, pattern) = rule_text(stage.rule());
                    let Some(ep) = self.endpoints.get_mut(&client) else { return };
                    let intercepts =
                        ep.intercepts.get_or_insert_with(Box::<PairIntercepts>::default);
                    *intercepts.slot(dir) = Some(Box::new(stage));
                    let on = InterceptState::On;
                    self.emit(EventKind::Intercept {
                        conn: client,
                        dir,
                        state: on,
                        framing,
                        pattern,
                    });
                }
                Err(message) => {
                    let kind = ErrorKind::Other;
                    self.emit(EventKind::Error { conn: client, op: Op::Option, kind, message });
                }
            }
        }
        self.after_release(from, to);
    }

    /// `Command::Intercept` on a proxy's listener (or, `down`, an echo server's): the rule is
    /// set on every pair it accepts from now on; pairs already open keep what they have.
    fn set_listener_intercept(
        &mut self,
        listener: ConnId,
        dir: FaultDir,
        rule: Option<InterceptRule>,
    ) {
        let relays = match self.endpoints.get(&listener).map(|ep| &ep.role) {
            Some(Role::Listener { upstream: Some(_) }) => true,
            Some(Role::Listener { upstream: None }) => self.config.echo && dir == FaultDir::Down,
            // A datagram proxy's flows are not held: an intercept cuts a stream.
            Some(
                Role::Accepted { .. } | Role::Outgoing | Role::Bound { .. } | Role::Flow { .. },
            )
            | None => false,
        };
        if !relays {
            return self.not_a_pair(listener, dir, "intercept");
        }
        if let Some(Err(message)) = rule.clone().map(|rule| Stage::new(rule, 1)) {
            let kind = ErrorKind::Other;
            return self.emit(EventKind::Error { conn: listener, op: Op::Option, kind, message });
        }
        let Some(ep) = self.endpoints.get_mut(&listener) else { return };
        let old = ep.intercept_new.iter().position(|(d, _)| *d == dir);
        let old = old.map(|at| ep.intercept_new.remove(at).1);
        ep.intercept_new.extend(rule.clone().map(|rule| (dir, rule)));
        let changes = (old.map(|rule| (InterceptState::Off, rule)).into_iter())
            .chain(rule.map(|rule| (InterceptState::On, rule)));
        for (state, rule) in changes {
            let (framing, pattern) = rule_text(&rule);
            self.emit(EventKind::Intercept { conn: listener, dir, state, framing, pattern });
        }
    }

    /// A listener's intercepts set on a pair it has just accepted.
    pub(super) fn install_listener_intercepts(&mut self, listener: ConnId, client: ConnId) {
        let rules = self.endpoints.get(&listener).map(|ep| ep.intercept_new.clone());
        for (dir, rule) in rules.unwrap_or_default() {
            if self.fault_ends(client, dir).is_some() {
                self.set_intercept(client, dir, Some(rule));
            }
        }
    }

    fn end_intercept(&mut self, client: ConnId, dir: FaultDir, to: ConnId) {
        let stage = (self.endpoints.get_mut(&client))
            .and_then(|ep| ep.intercepts.as_mut())
            .and_then(|intercepts| intercepts.slot(dir).take());
        let Some(stage) = stage else { return };
        let (framing, pattern) = rule_text(stage.rule());
        for (hold, data) in stage.take_all() {
            if let Some(id) = hold {
                let (action, len) = (ReleaseAction::Forward, data.len());
                let data = data.clone();
                self.emit(EventKind::Released { conn: client, dir, id, action, len, data });
            }
            self.enqueue(to, data);
        }
        let off = InterceptState::Off;
        self.emit(EventKind::Intercept { conn: client, dir, state: off, framing, pattern });
    }

    /// `Command::Release`: forwards, edits or drops held message `id` of `conn`'s pair.
    pub(super) fn release_held(&mut self, conn: ConnId, id: HoldId, release: Release) {
        let found = [FaultDir::Up, FaultDir::Down].into_iter().find_map(|dir| {
            let ends = self.fault_ends(conn, dir)?;
            self.stage(ends.2).is_some_and(|stage| stage.holds(id)).then_some((dir, ends))
        });
        let Some((dir, (client, from, to))) = found else {
            let message = format!("{id} is not held on {conn}'s pair");
            let kind = ErrorKind::Other;
            return self.emit(EventKind::Error { conn, op: Op::Send, kind, message });
        };
        let action = release.action();
        let Some(data) = self.stage_mut(to).and_then(|stage| stage.release(id, release)) else {
            return;
        };
        let len = data.len();
        self.emit(EventKind::Released { conn: client, dir, id, action, len, data });
        self.queue_ready(to);
        self.after_release(from, to);
    }

    /// `Command::Inject`: queues `data` toward one side of `conn`'s pair.
    pub(super) fn inject(&mut self, conn: ConnId, dir: FaultDir, data: Bytes) {
        let Some((client, from, to)) = self.fault_ends(conn, dir) else {
            return self.not_a_pair(conn, dir, "inject");
        };
        let writable = self.endpoints.get(&to).is_some_and(|ep| !ep.write_shut);
        if !writable {
            let message = format!("{to} is shut down for writing: nothing can be injected");
            let kind = ErrorKind::Other;
            return self.emit(EventKind::Error { conn: client, op: Op::Send, kind, message });
        }
        let len = data.len();
        self.emit(EventKind::Inject { conn: client, dir, len, data: data.clone() });
        self.enqueue(to, data);
        self.after_release(from, to);
    }

    /// Bytes may have been queued toward `to`, and room made for reading `from`.
    fn after_release(&mut self, from: ConnId, to: ConnId) {
        self.refresh_interest(from);
        if self.manual {
            self.refresh_interest(to);
        } else {
            self.flush(to);
            self.drain_reads(from);
        }
    }

    fn not_a_pair(&mut self, conn: ConnId, dir: FaultDir, what: &str) {
        let message = format!(
            "{conn} is not one side of a proxied pair, nor a proxy's listener (nor, for down, \
             an echo connection or server): cannot {what} {}",
            dir.name()
        );
        let kind = ErrorKind::Other;
        self.emit(EventKind::Error { conn, op: Op::Option, kind, message });
    }
}

/// The rule as the `intercept` event writes it.
fn rule_text(rule: &InterceptRule) -> (String, String) {
    (rule.framing.to_string(), rule.pattern.to_string())
}
