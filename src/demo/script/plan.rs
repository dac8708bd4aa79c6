//! What a lesson plays: its engine settings, framing and steps, as a lesson file says them.

use super::super::Tempo;
use super::super::cast::Side;
use super::super::lesson_file::LocalText;
use crate::engine::{EngineConfig, EofPolicy};
use crate::event::{Address, Command, ConnId, ErrorKind, How, SockOption};
use crate::framing::Spec;
use bytes::Bytes;
use std::collections::BTreeMap;
use std::time::Duration;

/// Something the script does: connect one more client, or make a call on one socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::demo) enum Act {
    /// Connects one more client to the lesson's server of this index (framed so, if `Some`).
    Connect(Option<Spec>, usize),
    /// Connects one more client to another address (one where nobody listens, say).
    ConnectTo(Address),
    On(Side, Call),
}

/// A call on one socket of the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::demo) enum Call {
    Send(Bytes),
    Shutdown(How),
    /// Orderly close (FIN).
    Close,
    /// Abortive close (RST).
    Reset,
    /// Stops (`true`) or resumes automatic reading: a peer that does not read.
    PauseReading(bool),
    /// One `recv` of at most this many bytes, as a program that reads only when it asks
    /// (with its automatic reading paused) makes it.
    Recv(usize),
    SetOption(SockOption),
}

impl Call {
    pub(super) fn command(self, conn: ConnId) -> Command {
        match self {
            Self::Send(data) => Command::Send { conn, data },
            Self::Shutdown(how) => Command::Shutdown { conn, how },
            Self::Close => Command::Close { conn },
            Self::Reset => Command::Reset { conn },
            Self::PauseReading(paused) => Command::PauseReading { conn, paused },
            Self::Recv(max) => Command::Recv { conn, max },
            Self::SetOption(option) => Command::SetOption { conn, option },
        }
    }
}

/// What a waiting step waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::demo) enum Until {
    Eof(Side),
    Closed(Side),
    /// A `send` on this side returned `WouldBlock`.
    SendBlocked(Side),
    /// A failure of this kind was reported on this side.
    Failed(Side, ErrorKind),
    /// A poll round listed this side readable.
    Readable(Side),
    /// Bytes this side received match (an expectation, in `run --to`).
    Bytes(Side, Expected),
}

impl Until {
    pub(super) fn side(&self) -> Side {
        match self {
            Self::Eof(side)
            | Self::Closed(side)
            | Self::SendBlocked(side)
            | Self::Failed(side, _)
            | Self::Readable(side)
            | Self::Bytes(side, _) => *side,
        }
    }
}

/// Bytes a step expects: exactly these, somewhere in what arrived, or a match of a pattern.
#[derive(Clone, Debug)]
pub(in crate::demo) enum Expected {
    Exactly(Vec<u8>),
    Pattern(regex::bytes::Regex),
}

impl PartialEq for Expected {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Exactly(a), Self::Exactly(b)) => a == b,
            (Self::Pattern(a), Self::Pattern(b)) => a.as_str() == b.as_str(),
            (Self::Exactly(_) | Self::Pattern(_), _) => false,
        }
    }
}

impl Eq for Expected {}

impl Expected {
    /// Where the expected bytes end in `got`, if they are there.
    pub(super) fn end_in(&self, got: &[u8]) -> Option<usize> {
        match self {
            Self::Exactly(want) if want.is_empty() => Some(0),
            Self::Exactly(want) => {
                got.windows(want.len()).position(|w| w == want.as_slice()).map(|at| at + want.len())
            }
            Self::Pattern(regex) => regex.find(got).map(|m| m.end()),
        }
    }
}

/// A waiting step: what for, and for how long at most (time the session runs freely).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::demo) struct Wait {
    pub(in crate::demo) until: Until,
    pub(in crate::demo) timeout: Duration,
    /// Which step this is, for a report: `step 4 (line 31)`.
    pub(in crate::demo) label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::demo) enum Step {
    Do(Vec<Act>),
    Await(Wait),
    /// One more gap with nothing done: time to look.
    Pause,
}

/// The engine settings a lesson asks for, on top of the runner's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::demo) struct Settings {
    /// The server sockets send back what they receive.
    pub(in crate::demo) echo: bool,
    /// Where the lesson's server listens (its first, when it has several).
    pub(in crate::demo) listen: Address,
    /// Where its other servers listen, in order (`[[servers]]` after the first): the same
    /// kind of server, with the first one's settings, for a lesson that compares two.
    pub(in crate::demo) also_listen: Vec<Address>,
    pub(in crate::demo) backlog: Option<i32>,
    pub(in crate::demo) eof_policy: Option<EofPolicy>,
    pub(in crate::demo) recv_chunk: Option<usize>,
    /// Added to the runner's options, for every socket.
    pub(in crate::demo) options: Vec<SockOption>,
    /// In the terminal UI and in a headless log.
    pub(in crate::demo) idle_timeout: Option<(Duration, Duration)>,
    /// The server and the clients speak TLS to each other, with a certificate made when the
    /// lesson was read ([`crate::engine::tls_lesson_settings`]).
    pub(in crate::demo) tls: Option<LessonTls>,
}

/// A lesson's TLS settings. Two are equal when they are the same configurations: each
/// reading of a lesson makes its own certificate.
#[derive(Clone, Debug)]
pub(in crate::demo) struct LessonTls(pub(in crate::demo) crate::engine::TlsSettings);

impl PartialEq for LessonTls {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&self.0, &other.0);
        let servers = match (&a.server, &b.server) {
            (Some(x), Some(y)) => std::sync::Arc::ptr_eq(x, y),
            (None, None) => true,
            (Some(_), None) | (None, Some(_)) => false,
        };
        let clients = match (&a.client, &b.client) {
            (Some((x, _)), Some((y, _))) => std::sync::Arc::ptr_eq(x, y),
            (None, None) => true,
            (Some(_), None) | (None, Some(_)) => false,
        };
        servers && clients
    }
}

impl Eq for LessonTls {}

impl Settings {
    pub(in crate::demo) fn apply(&self, base: EngineConfig, tempo: Tempo) -> EngineConfig {
        let mut options = base.options.clone();
        options.extend(self.options.iter().copied());
        let idle = self.idle_timeout.map(|(ui, log)| match tempo {
            Tempo::Room => ui,
            Tempo::Log => log,
        });
        EngineConfig {
            recv_chunk: self.recv_chunk.unwrap_or(base.recv_chunk),
            backlog: self.backlog.unwrap_or(base.backlog),
            eof_policy: self.eof_policy.unwrap_or(base.eof_policy),
            idle_timeout: idle.or(base.idle_timeout),
            echo: self.echo,
            options,
            tls: self.tls.as_ref().map_or(base.tls.clone(), |tls| tls.0.clone()),
            ..base
        }
    }
}

/// A lesson scenario: its engine settings, framing and steps.
#[derive(Clone, Debug)]
pub(in crate::demo) struct Plan {
    pub(in crate::demo) name: String,
    /// The lesson panel's title and text.
    pub(in crate::demo) title: LocalText,
    pub(in crate::demo) text: LocalText,
    /// Applied to connections [`Act::Connect`] does not frame.
    pub(in crate::demo) framing: Spec,
    pub(in crate::demo) settings: Settings,
    pub(in crate::demo) steps: Vec<Step>,
    /// Notes shown when the step of that index runs.
    pub(in crate::demo) notes: BTreeMap<usize, LocalText>,
}
