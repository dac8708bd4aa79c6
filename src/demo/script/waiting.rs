//! Waiting steps: whether what a step waits for has come, and when waiting has failed.
//!
//! A step that expects bytes (or readiness) fails when its socket closes first or when its
//! timeout passes; so does any wait, at its timeout. Against a remote server (`run --to`), a
//! client that never connects is a network failure. Either way the script stops and says why:
//! which step, what it expected, what came, in text and in hex.

use super::super::Failure;
use super::super::cast::Side;
use super::{Expected, Scripted, Step, Until, Wait, micros};
use crate::inspect::escape::escape_bytes;
use std::fmt::Write as _;

impl Scripted {
    /// Why the script cannot go on, if it cannot.
    pub(super) fn failed(&self) -> Option<Failure> {
        if let Some(failure) = self.unreachable() {
            return Some(failure);
        }
        let Some(Step::Await(wait)) = self.plan.steps.get(self.next) else { return None };
        if self.skips(&wait.until) {
            return None;
        }
        let expects_data = matches!(wait.until, Until::Bytes(..) | Until::Readable(_));
        let facts = self.cast.facts_of(wait.until.side());
        let gone = facts.closed || facts.error.is_some();
        if expects_data && gone && !self.met(&wait.until) {
            return Some(Failure::Unmet(self.report(wait, "the connection ended first")));
        }
        if self.clock.unheld_us() > micros(wait.timeout) && !self.met(&wait.until) {
            let why = format!("nothing more came within {:?}", wait.timeout);
            return Some(Failure::Unmet(self.report(wait, &why)));
        }
        None
    }

    /// A client of a remote server that closed without ever connecting.
    fn unreachable(&self) -> Option<Failure> {
        if !self.cast.remote {
            return None;
        }
        let (i, facts) = self
            .cast
            .clients()
            .map(|(i, conn)| (i, self.cast.facts(conn)))
            .find(|(_, facts)| facts.closed && !facts.connected)?;
        let why = facts.error.map_or_else(|| "closed".to_owned(), |kind| format!("{kind:?}"));
        let target = match &self.target {
            super::Target::Remote(candidates) => candidates.first().map(ToString::to_string),
            super::Target::Own => None,
        };
        let target = target.unwrap_or_default();
        Some(Failure::Network(format!("client {i} could not connect to {target}: {why}")))
    }

    /// Whether the wait for `until` is over; a match is taken, so the next wait needs more.
    pub(super) fn waited(&mut self, until: &Until) -> bool {
        let over = self.met(until) || self.cast.facts_of(until.side()).closed;
        let Some(conn) = self.cast.conn(until.side()) else { return over };
        match until {
            Until::Bytes(_, expected) => {
                let Some(end) = expected.end_in(self.cast.inbox(conn)) else { return false };
                self.cast.consume(conn, end);
                true
            }
            Until::Readable(_) if over => {
                self.cast.consume(conn, 0);
                true
            }
            _ => over,
        }
    }

    /// Whether what `until` waits for has happened (a closed socket aside).
    fn met(&self, until: &Until) -> bool {
        let facts = self.cast.facts_of(until.side());
        match until {
            Until::Eof(_) => facts.eof,
            Until::Closed(_) => facts.closed,
            Until::SendBlocked(_) => facts.send_blocked,
            Until::Failed(_, kind) => facts.error == Some(*kind),
            Until::Readable(_) => facts.readable,
            Until::Bytes(side, expected) => {
                let inbox = self.cast.conn(*side).map(|conn| self.cast.inbox(conn));
                inbox.and_then(|got| expected.end_in(got)).is_some()
            }
        }
    }

    /// What a failed wait expected and what came.
    fn report(&self, wait: &Wait, why: &str) -> String {
        let side = match wait.until.side() {
            Side::Client(i) => format!("client {i}"),
            Side::Server(i) => format!("server {i}"),
            Side::Listener => "the listener".to_owned(),
        };
        let mut out = format!("{}: waiting on {side} for ", wait.label);
        let _ = match &wait.until {
            Until::Bytes(_, Expected::Exactly(bytes)) => write!(out, "{}", shown(bytes)),
            Until::Bytes(_, Expected::Pattern(regex)) => {
                write!(out, "bytes matching /{}/", escape_bytes(regex.as_str().as_bytes()))
            }
            Until::Eof(_) => write!(out, "EOF"),
            Until::Closed(_) => write!(out, "its close"),
            Until::SendBlocked(_) => write!(out, "a send that would block"),
            Until::Failed(_, kind) => write!(out, "an error ({kind:?})"),
            Until::Readable(_) => write!(out, "it to be readable"),
        };
        let came = self.cast.conn(wait.until.side()).map(|conn| self.cast.inbox(conn));
        let came = came.filter(|got| !got.is_empty()).map_or_else(|| "nothing".into(), shown);
        let _ = write!(out, "\n  came: {came}\n  then: {why}");
        out
    }
}

/// Bytes for a report: as text (escaped) and as hex.
fn shown(bytes: &[u8]) -> String {
    format!("\"{}\" (hex {})", escape_bytes(bytes), hex::encode(bytes))
}
