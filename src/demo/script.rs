//! The runner of the lesson scenarios: a [`Plan`] is a list of steps; [`Scripted`] plays them
//! one at a time, a short gap apart, against a listener and the clients it connects.
//!
//! A step either does something (several acts at once, such as every client sending), waits
//! for something to happen (`Until`), or only lets time pass. Steps that connect wait until
//! both ends of every new connection exist. Whatever the person at the keyboard does meanwhile
//! (closing a socket by hand, say), the script goes on: an act on a closed socket is skipped and
//! a wait for a closed socket is over. When the last step is done, the script closes what is
//! still open; once everything is closed the round is over, and `Repeat::Forever` begins the
//! next one on fresh connections.

use super::cast::{Cast, Side};
use super::{Repeat, Scenario, SetFraming};
use crate::engine::EngineConfig;
use crate::event::{Command, ConnId, ErrorKind, Event, EventKind, How, SockOption};
use crate::framing::Spec;
use bytes::Bytes;
use std::time::Duration;

/// Something the script does: connect one more client, or make a call on one socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Act {
    /// Connects one more client to the listener (framed so, if `Some`).
    Connect(Option<Spec>),
    On(Side, Call),
}

/// A call on one socket of the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Call {
    Send(Bytes),
    Shutdown(How),
    /// Orderly close (FIN).
    Close,
    /// Abortive close (RST).
    Reset,
    /// Stops (`true`) or resumes automatic reading: a peer that does not read.
    PauseReading(bool),
    SetOption(SockOption),
}

impl Call {
    fn command(self, conn: ConnId) -> Command {
        match self {
            Self::Send(data) => Command::Send { conn, data },
            Self::Shutdown(how) => Command::Shutdown { conn, how },
            Self::Close => Command::Close { conn },
            Self::Reset => Command::Reset { conn },
            Self::PauseReading(paused) => Command::PauseReading { conn, paused },
            Self::SetOption(option) => Command::SetOption { conn, option },
        }
    }
}

/// One more client.
pub(super) fn connect() -> Act {
    Act::Connect(None)
}

/// One more client, whose connection (both ends) is framed by `spec`.
pub(super) fn connect_framed(spec: Spec) -> Act {
    Act::Connect(Some(spec))
}

/// `side` sends `data`.
pub(super) fn send(side: Side, data: impl Into<Bytes>) -> Act {
    Act::On(side, Call::Send(data.into()))
}

pub(super) fn shutdown(side: Side, how: How) -> Act {
    Act::On(side, Call::Shutdown(how))
}

pub(super) fn close(side: Side) -> Act {
    Act::On(side, Call::Close)
}

pub(super) fn reset(side: Side) -> Act {
    Act::On(side, Call::Reset)
}

pub(super) fn set_option(side: Side, option: SockOption) -> Act {
    Act::On(side, Call::SetOption(option))
}

pub(super) fn pause_reading(side: Side, paused: bool) -> Act {
    Act::On(side, Call::PauseReading(paused))
}

/// What a waiting step waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Until {
    Eof(Side),
    Closed(Side),
    /// A `send` on this side returned `WouldBlock`.
    SendBlocked(Side),
    /// A failure of this kind was reported on this side.
    Failed(Side, ErrorKind),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Step {
    Do(Vec<Act>),
    Await(Until),
    /// One more gap with nothing done: time to look.
    Pause,
}

/// A lesson scenario: its engine settings, framing and steps.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    pub(super) name: &'static str,
    /// Applied to connections [`Act::Connect`] does not frame.
    pub(super) framing: Spec,
    /// The engine settings on top of the runner's (e.g. echo, buffer sizes, timeouts).
    pub(super) engine: fn(EngineConfig, Repeat) -> EngineConfig,
    pub(super) steps: Vec<Step>,
}

/// Where the runner is in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Waiting for the listener.
    Listening,
    Running,
    /// The steps are done; waiting for every socket of the round to close.
    Ending,
    Done,
}

/// Plays a [`Plan`].
#[derive(Debug)]
pub struct Scripted {
    plan: Plan,
    repeat: Repeat,
    cast: Cast,
    phase: Phase,
    next: usize,
    /// When the next step may run, in microseconds of the session clock.
    due_us: u64,
    now_us: u64,
}

/// Time between two steps: long enough to watch and explain in the UI, short headless.
fn gap(repeat: Repeat) -> Duration {
    match repeat {
        Repeat::Forever => Duration::from_millis(1500),
        Repeat::Once => Duration::from_millis(60),
    }
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

impl Scripted {
    pub(super) fn new(plan: Plan, repeat: Repeat) -> Self {
        let cast = Cast::default();
        Self { plan, repeat, cast, phase: Phase::Listening, next: 0, due_us: 0, now_us: 0 }
    }

    fn gap_us(&self) -> u64 {
        micros(gap(self.repeat))
    }

    /// Runs whatever is due; a step that waits holds every later one back.
    fn advance(&mut self) -> Vec<Command> {
        loop {
            match self.phase {
                Phase::Listening | Phase::Done => return Vec::new(),
                Phase::Ending => {
                    self.end_round_if_closed();
                    return Vec::new();
                }
                Phase::Running => {}
            }
            if !self.cast.connects_done() || self.now_us < self.due_us {
                return Vec::new();
            }
            let Some(step) = self.plan.steps.get(self.next).cloned() else {
                self.phase = Phase::Ending;
                let leftovers = self.cast.open_streams();
                return leftovers.into_iter().map(|conn| Command::Close { conn }).collect();
            };
            if let Step::Await(until) = step
                && !self.holds(until)
            {
                return Vec::new();
            }
            self.next += 1;
            self.due_us = self.now_us.saturating_add(self.gap_us());
            if let Step::Do(acts) = step {
                return acts.into_iter().filter_map(|act| self.command(act)).collect();
            }
        }
    }

    fn holds(&self, until: Until) -> bool {
        let (Until::Eof(side)
        | Until::Closed(side)
        | Until::SendBlocked(side)
        | Until::Failed(side, _)) = until;
        let facts = self.cast.facts_of(side);
        facts.closed
            || match until {
                Until::Eof(_) => facts.eof,
                Until::Closed(_) => false,
                Until::SendBlocked(_) => facts.send_blocked,
                Until::Failed(_, kind) => facts.error == Some(kind),
            }
    }

    /// The command for one act; `None` when its socket is gone (or never came to be).
    fn command(&mut self, act: Act) -> Option<Command> {
        match act {
            Act::Connect(framing) => {
                let server = self.cast.server.clone()?;
                self.cast.expect_client(framing);
                Some(Command::Connect { candidates: vec![server] })
            }
            Act::On(side, call) => {
                let conn = self.cast.conn(side).filter(|c| self.cast.is_open(*c))?;
                Some(call.command(conn))
            }
        }
    }

    fn end_round_if_closed(&mut self) {
        if !self.cast.open_streams().is_empty() {
            return;
        }
        match self.repeat {
            Repeat::Once => self.phase = Phase::Done,
            Repeat::Forever => {
                self.cast.new_round();
                self.phase = Phase::Running;
                self.next = 0;
                self.due_us = self.now_us.saturating_add(2 * self.gap_us());
            }
        }
    }
}

impl Scenario for Scripted {
    fn name(&self) -> &'static str {
        self.plan.name
    }

    fn engine_config(&self, base: EngineConfig) -> EngineConfig {
        (self.plan.engine)(base, self.repeat)
    }

    fn framing(&self) -> Spec {
        self.plan.framing.clone()
    }

    fn tick(&self) -> Duration {
        gap(self.repeat) / 4
    }

    fn start(&mut self) -> Vec<Command> {
        let addr = "127.0.0.1:0".parse().map(|addr| Command::Listen { addr });
        addr.into_iter().collect()
    }

    fn on_event(&mut self, event: &Event) -> Vec<Command> {
        self.now_us = self.now_us.max(event.t_us);
        self.cast.observe(event);
        if self.phase == Phase::Listening && matches!(event.kind, EventKind::Listen { .. }) {
            self.phase = Phase::Running;
            self.due_us = self.now_us;
        }
        self.advance()
    }

    fn on_tick(&mut self, now_us: u64) -> Vec<Command> {
        self.now_us = self.now_us.max(now_us);
        self.advance()
    }

    fn is_finished(&self) -> bool {
        self.phase == Phase::Done
    }

    fn take_framings(&mut self) -> Vec<SetFraming> {
        self.cast.take_framings()
    }
}

#[cfg(test)]
mod tests;
