//! The runner of the lesson scenarios: a [`Plan`] is a list of steps; [`Scripted`] plays them
//! one at a time, a short gap apart, against a listener and the clients it connects.
//!
//! A step either does something (several acts at once, such as every client sending), waits
//! for something to happen (`Until`), or only lets time pass. Steps that connect wait until
//! both ends of every new connection exist, and every step waits until what the previous ones
//! set in motion has played out (the sockets are at rest, see `cast::rest`).
//!
//! Hold means hold: the gap between two steps counts only time the session runs freely (not
//! stepped, not in manual mode), and in a held session one poll round instead. So a stepped,
//! slowed or manual session shows the same calls, partial reads and boundaries as a free one,
//! and the script never closes a socket while a person is still looking at its bytes. Whatever the person at the keyboard does meanwhile
//! (closing a socket by hand, say), the script goes on: an act on a closed socket is skipped and
//! a wait for a closed socket is over. When the last step is done, the script closes what is
//! still open; once everything is closed the round is over, and `Repeat::Forever` begins the
//! next one on fresh connections.

mod clock;

use super::cast::{Cast, Side};
use super::{Repeat, Scenario, SetFraming, Tempo};
use crate::engine::EngineConfig;
use crate::event::{Command, ConnId, ErrorKind, Event, EventKind, How, SockOption};
use crate::framing::Spec;
use bytes::Bytes;
use clock::Clock;
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

/// `options` with Nagle's algorithm off, for an echo server that answers each small `recv` with
/// a small `send`: with Nagle on, the kernel holds the later pieces back until the first is
/// acknowledged, so how the echo arrives would depend on timing (and so on the pace). Off,
/// each piece leaves at once and every pace shows the same reads.
pub(super) fn without_nagle(options: &[SockOption]) -> Vec<SockOption> {
    let mut options = options.to_vec();
    options.push(SockOption::NoDelay(true));
    options
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
    pub(super) engine: fn(EngineConfig, Tempo) -> EngineConfig,
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
    tempo: Tempo,
    repeat: Repeat,
    /// The echo server is on: server sockets send back what they receive.
    echo: bool,
    cast: Cast,
    phase: Phase,
    next: usize,
    clock: Clock,
}

/// Time between two steps: long enough to watch and explain in the room, short in a log.
fn gap(tempo: Tempo) -> Duration {
    match tempo {
        Tempo::Room => Duration::from_millis(1500),
        Tempo::Log => Duration::from_millis(60),
    }
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

impl Scripted {
    pub(super) fn new(plan: Plan, tempo: Tempo, repeat: Repeat) -> Self {
        let echo = (plan.engine)(EngineConfig::default(), tempo).echo;
        let (cast, phase, clock) = (Cast::default(), Phase::Listening, Clock::default());
        Self { plan, tempo, repeat, echo, cast, phase, next: 0, clock }
    }

    fn gap_us(&self) -> u64 {
        micros(gap(self.tempo))
    }

    /// Runs whatever is due; a step that waits holds every later one back. Called between
    /// batches of events, when the engine's report of a round is complete.
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
            let ready = self.cast.connects_done() && self.cast.at_rest(self.echo);
            if !ready || !self.clock.gap_over(self.gap_us()) {
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
            self.clock.restart();
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
                if let Call::Send(data) = &call {
                    self.cast.submitted(conn, data.len());
                }
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
                self.clock.restart();
            }
        }
    }
}

impl Scenario for Scripted {
    fn name(&self) -> &'static str {
        self.plan.name
    }

    fn engine_config(&self, base: EngineConfig) -> EngineConfig {
        (self.plan.engine)(base, self.tempo)
    }

    fn framing(&self) -> Spec {
        self.plan.framing.clone()
    }

    fn tick(&self) -> Duration {
        gap(self.tempo) / 4
    }

    fn start(&mut self) -> Vec<Command> {
        let addr = "127.0.0.1:0".parse().map(|addr| Command::Listen { addr });
        addr.into_iter().collect()
    }

    /// Only takes note: the script acts between batches ([`Scenario::on_tick`]), once the
    /// engine has reported a whole round, never halfway through one.
    fn on_event(&mut self, event: &Event) -> Vec<Command> {
        self.clock.pass(event.t_us, self.cast.at_rest(self.echo));
        self.cast.observe(event);
        match &event.kind {
            EventKind::Listen { .. } if self.phase == Phase::Listening => {
                self.phase = Phase::Running;
                self.clock.skip_gap();
            }
            EventKind::Ready(_) => self.clock.round(),
            _ => {}
        }
        Vec::new()
    }

    fn on_tick(&mut self, now_us: u64) -> Vec<Command> {
        self.clock.pass(now_us, self.cast.at_rest(self.echo));
        let commands = self.advance();
        self.clock.batch_done();
        commands
    }

    fn on_user_command(&mut self, command: &Command) {
        match command {
            Command::SetPace(pace) => self.clock.pace = *pace,
            Command::SetManual(manual) => self.clock.manual = *manual,
            _ => {}
        }
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
