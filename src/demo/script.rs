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
mod closed_port;
mod plan;
mod waiting;

use super::cast::{Cast, Side};
use super::lesson_file::DEFAULT_LANG;
use super::{Failure, Repeat, Scenario, SetFraming, Tempo};
use crate::engine::EngineConfig;
use crate::event::{Address, Command, Event, EventKind};
use crate::framing::Spec;
use clock::Clock;
use std::time::Duration;

pub(super) use plan::{Act, Call, Expected, LessonTls, Plan, Settings, Step, Until, Wait};

/// Where the clients connect: the lesson's own server, or a real one (`run --to`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The lesson's listener, on the address its file gives.
    Own,
    /// A server outside the session: the addresses to try in turn.
    Remote(Vec<Address>),
}

/// Where the runner is in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Waiting for every server of the lesson to listen.
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
    target: Target,
    /// The language of the lesson's text and notes.
    lang: String,
    cast: Cast,
    phase: Phase,
    next: usize,
    clock: Clock,
    /// Notes of the steps run since [`Scenario::take_notes`] last took them.
    notes: Vec<String>,
    /// Why the script stopped early, if it did.
    failure: Option<Failure>,
}

/// Where the lesson's server listens: its address, or for `unix:` alone a fresh path in the
/// temporary directory, so that two sessions (or two rounds of tests) never meet on one path.
fn listen_address(address: &Address) -> Address {
    static SESSIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    match address {
        Address::Unix(path) if path.as_os_str().is_empty() => {
            let n = SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let name = format!("sockscope-lesson-{}-{n}.sock", std::process::id());
            Address::Unix(std::env::temp_dir().join(name))
        }
        other => other.clone(),
    }
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
    pub(super) fn new(plan: Plan, tempo: Tempo, repeat: Repeat, target: Target) -> Self {
        let mut cast = Cast::default();
        cast.remote = matches!(target, Target::Remote(_));
        cast.server_count = 1 + plan.settings.also_listen.len();
        let (phase, clock) = (Phase::Listening, Clock::default());
        let lang = DEFAULT_LANG.to_owned();
        let (notes, failure) = (Vec::new(), None);
        Self { plan, tempo, repeat, target, lang, cast, phase, next: 0, clock, notes, failure }
    }

    /// Shows the lesson's text and notes in `lang` (English where the lesson lacks it).
    #[must_use]
    pub fn in_language(mut self, lang: &str) -> Self {
        lang.clone_into(&mut self.lang);
        self
    }

    fn gap_us(&self) -> u64 {
        micros(gap(self.tempo))
    }

    /// The echo server answers only in the lesson's own session.
    fn echo(&self) -> bool {
        self.plan.settings.echo && self.target == Target::Own
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
            if let Some(failure) = self.failed() {
                return self.stop(failure);
            }
            let ready = self.cast.connects_done() && self.cast.at_rest(self.echo());
            if !ready || !self.clock.gap_over(self.gap_us()) {
                return Vec::new();
            }
            let Some(step) = self.plan.steps.get(self.next).cloned() else {
                return self.end_steps();
            };
            if let Step::Await(wait) = &step
                && !self.skips(&wait.until)
                && !self.waited(&wait.until)
            {
                return Vec::new();
            }
            if let Some(note) = self.plan.notes.get(&self.next) {
                self.notes.push(note.text(&self.lang).to_owned());
            }
            self.next += 1;
            self.clock.restart();
            if let Step::Do(acts) = step {
                return acts.into_iter().filter_map(|act| self.command(act)).collect();
            }
        }
    }

    /// The steps are done: what is still open is closed.
    fn end_steps(&mut self) -> Vec<Command> {
        self.phase = Phase::Ending;
        let leftovers = self.cast.open_streams();
        leftovers.into_iter().map(|conn| Command::Close { conn }).collect()
    }

    /// Stops the script for `failure`: nothing more is played, not even another round.
    fn stop(&mut self, failure: Failure) -> Vec<Command> {
        self.failure = Some(failure);
        self.repeat = Repeat::Once;
        self.end_steps()
    }

    /// A wait on a server socket when the server is remote: its steps are the server's own.
    fn skips(&self, until: &Until) -> bool {
        self.cast.remote && matches!(until.side(), Side::Server(_) | Side::Listener)
    }

    /// The command for one act; `None` when its socket is gone (or never came to be).
    fn command(&mut self, act: Act) -> Option<Command> {
        match act {
            Act::Connect(framing, server) => {
                let candidates = match &self.target {
                    Target::Own => vec![self.cast.server_address(server)?.clone()],
                    Target::Remote(candidates) => candidates.clone(),
                };
                self.cast.expect_client(framing, None, server);
                Some(Command::Connect { candidates })
            }
            Act::ConnectTo(address) => {
                // Port 0: a port closed just now, rather than one guessed to be closed.
                let address = closed_port::resolve(address);
                self.cast.expect_client(None, Some(address.clone()), 0);
                Some(Command::Connect { candidates: vec![address] })
            }
            Act::On(side, call) => {
                let conn = self.cast.conn(side).filter(|c| self.cast.is_open(*c))?;
                if let Call::Send(data) = &call {
                    self.cast.submitted(conn, data.len());
                }
                // A datagram server has no socket per client: it sends to the client's address.
                if let (Side::Server(i), Call::Send(data)) = (side, &call)
                    && let Some((bound, peer)) = self.cast.datagram_peer_of_server(i)
                {
                    return Some(Command::SendTo { conn: bound, peer, data: data.clone() });
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
    fn name(&self) -> &str {
        &self.plan.name
    }

    fn lesson_text(&self) -> Option<String> {
        let (title, text) = (self.plan.title.text(&self.lang), self.plan.text.text(&self.lang));
        Some(format!("# {title}\n\n{}\n", text.trim()))
    }

    fn engine_config(&self, base: EngineConfig) -> EngineConfig {
        EngineConfig { echo: self.echo(), ..self.plan.settings.apply(base, self.tempo) }
    }

    fn framing(&self) -> Spec {
        self.plan.framing.clone()
    }

    fn tick(&self) -> Duration {
        gap(self.tempo) / 4
    }

    fn start(&mut self) -> Vec<Command> {
        match &self.target {
            Target::Own => {
                let settings = &self.plan.settings;
                let every = std::iter::once(&settings.listen).chain(&settings.also_listen);
                every.map(|addr| Command::Listen { addr: listen_address(addr) }).collect()
            }
            Target::Remote(_) => {
                self.phase = Phase::Running;
                self.clock.skip_gap();
                Vec::new()
            }
        }
    }

    /// Only takes note: the script acts between batches ([`Scenario::on_tick`]), once the
    /// engine has reported a whole round, never halfway through one.
    fn on_event(&mut self, event: &Event) -> Vec<Command> {
        self.clock.pass(event.t_us, self.cast.at_rest(self.echo()));
        self.cast.observe(event);
        match &event.kind {
            EventKind::Listen { .. }
                if self.phase == Phase::Listening && self.cast.all_listening() =>
            {
                self.phase = Phase::Running;
                self.clock.skip_gap();
            }
            EventKind::Ready(_) => self.clock.round(),
            _ => {}
        }
        Vec::new()
    }

    fn on_tick(&mut self, now_us: u64) -> Vec<Command> {
        self.clock.pass(now_us, self.cast.at_rest(self.echo()));
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

    fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }
}

#[cfg(test)]
mod tests;
