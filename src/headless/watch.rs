//! Decides, from the events alone, when a headless run is over and how it ended.
//!
//! Kept free of I/O so that the exit-code rules can be tested with hand-made event sequences.

use super::{Outcome, input};
use crate::engine::Mode;
use crate::event::{Address, ConnId, Event, EventKind, Op, SocketType};

/// What the run loop should do after an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reaction {
    Continue,
    /// The listener is bound: tell the person where (port 0 resolved).
    Listening(Address),
    /// The client connection is up: start feeding it standard input.
    /// Standard input may be sent on this socket now, in pieces of at most this many bytes
    /// (a datagram socket sends each piece as one datagram).
    InputReady(ConnId, usize),
    /// The peer's socket accepted this many bytes of standard input.
    Acknowledged(usize),
    /// The run is over.
    Finish(Outcome),
    /// The run cannot go on; say why on stderr, then end.
    Abort(Outcome, String),
}

/// The run's progress, as far as its exit code is concerned.
#[derive(Debug)]
pub struct Watch {
    /// `None` for a scripted run (`demo`).
    mode: Option<Mode>,
    announced: bool,
    client: Client,
}

/// The `connect` mode's view: the socket that connected, and whether it then failed for a
/// network reason.
///
/// Errors before the connection is made do not count: the engine retries the next candidate on
/// the same socket id, and an earlier candidate refusing says nothing about a later one. The
/// engine reports `close` only once, when the socket is gone for good (every candidate failed,
/// or the connection ended), so the first `close` ends the run.
#[derive(Debug, Default)]
struct Client {
    connected: Option<ConnId>,
    /// The connected socket is a datagram socket.
    datagram: bool,
    failed_after_connecting: bool,
}

impl Watch {
    #[must_use]
    pub fn new(mode: &Mode) -> Self {
        Self { mode: Some(mode.clone()), announced: false, client: Client::default() }
    }

    /// A run driven by a scenario: it decides when the run is over; the watch only reports.
    #[must_use]
    pub fn scripted() -> Self {
        Self { mode: None, announced: true, client: Client::default() }
    }

    pub fn observe(&mut self, event: &Event) -> Reaction {
        match &event.kind {
            EventKind::Listen { local, .. } if !self.announced => {
                self.announced = true;
                Reaction::Listening(local.clone())
            }
            EventKind::Error { op: Op::Listen, message, .. } => self.listen_failed(message),
            _ => match &self.mode {
                Some(Mode::Connect { .. }) => self.client.observe(event),
                Some(Mode::Listen { .. } | Mode::Proxy { .. }) | None => Reaction::Continue,
            },
        }
    }

    /// The engine has stopped without the run having finished (a signal, or it gave up).
    #[must_use]
    pub fn outcome_at_end(&self) -> Outcome {
        match self.mode {
            Some(Mode::Connect { .. }) => self.client.outcome(),
            Some(Mode::Listen { .. } | Mode::Proxy { .. }) | None => Outcome::Success,
        }
    }

    /// A listener that cannot bind (port in use, no permission) is bad input: exit 2.
    fn listen_failed(&self, message: &str) -> Reaction {
        let wanted = (self.mode.as_ref().and_then(Mode::listen_address))
            .map(ToString::to_string)
            .unwrap_or_default();
        let complaint = if wanted.is_empty() || message.contains(&wanted) {
            message.to_owned()
        } else {
            format!("cannot listen on {wanted}: {message}")
        };
        Reaction::Abort(Outcome::BadInput, complaint)
    }
}

impl Client {
    fn observe(&mut self, event: &Event) -> Reaction {
        match &event.kind {
            EventKind::Connected { conn, peer, .. } if self.connected.is_none() => {
                self.connected = Some(*conn);
                self.datagram = peer.socket_type() == SocketType::Datagram;
                let piece = match peer.socket_type() {
                    SocketType::Stream => input::READ_CHUNK,
                    SocketType::Datagram => input::DATAGRAM_READ,
                };
                return Reaction::InputReady(*conn, piece);
            }
            EventKind::Send { conn, len, .. } | EventKind::SendTo { conn, len, .. }
                if self.connected == Some(*conn) =>
            {
                return Reaction::Acknowledged(*len);
            }
            // A datagram socket has no end but silence: `--idle-timeout` ending it is success.
            EventKind::Error { op: Op::Idle, .. } if self.datagram => {}
            EventKind::Error { conn, kind, .. }
                if kind.is_network_failure() && self.connected == Some(*conn) =>
            {
                self.failed_after_connecting = true;
            }
            EventKind::Close { .. } => return Reaction::Finish(self.outcome()),
            _ => {}
        }
        Reaction::Continue
    }

    /// Success only if a connection was made and it did not fail for a network reason.
    fn outcome(&self) -> Outcome {
        if self.connected.is_some() && !self.failed_after_connecting {
            Outcome::Success
        } else {
            Outcome::NetworkFailure
        }
    }
}

#[cfg(test)]
mod tests;
