//! Headless mode: run a session without the terminal UI and print its event log.
//!
//! The engine delivers events over a bounded channel, so a slow terminal or pipe slows the engine
//! (and through TCP flow control, the peers) instead of filling memory. Each event becomes one
//! line: [`format::human_line`] for people, the JSON Lines schema with `--json` for scripts.
//! Diagnostics (`listening on ...`, errors) go to stderr so that stdout stays the log alone.

pub mod format;
mod handout;
mod input;
mod log_sink;
mod messages;
mod output;
mod printer;
pub mod replay;
pub mod resend;
mod signals;
pub mod trace;
mod watch;

pub use format::human_line;
pub use output::Output;
pub use replay::report_ending;

use crate::demo::Scenario;
use crate::engine::Engine;
use crate::event::Command;
use crate::event::Event;
use crate::locale::Lang;
use crate::record::{RecordTarget, Recorder, RecordingSink, StartInfo};
use input::Input;
use log_sink::{LogSink, Report};
use messages::Messages;
use printer::Printer;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};
use watch::{Reaction, Watch};

/// Event batches the engine may get ahead of the printer before it waits. A batch holds at most
/// [`crate::engine::BULK_BATCH_BYTES`] of payload, so this also bounds the memory held for a slow
/// terminal (a flooding proxy must stay small). Two are enough for the printer never to wait
/// for the engine: it prints a batch faster than the engine fills one.
const BATCH_BACKLOG: usize = 2;
/// How long the engine stays quiet before the log is flushed (see `Run::next_batch`).
const FLUSH_WHEN_QUIET_FOR: Duration = Duration::from_millis(2);

/// How a headless run ended; maps onto the exit-code contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: refused, reset, timed out, never connected; also a broken local machinery.
    NetworkFailure,
    /// Exit 2: the input cannot work (e.g. the address to listen on is taken).
    BadInput,
    /// Exit 3: a lesson's expectation was not met (`run --to`: the server answered
    /// otherwise).
    Unmet,
}

impl Outcome {
    #[must_use]
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(match self {
            Self::Success => 0,
            Self::NetworkFailure => 1,
            Self::BadInput => 2,
            Self::Unmet => 3,
        })
    }
}

/// What a live headless run starts with; the command line builds it.
#[derive(Clone, Debug)]
pub struct LiveStart {
    /// The socket the session opens first.
    pub mode: crate::engine::Mode,
    pub engine: crate::engine::EngineConfig,
    /// How `message` events are derived: the framing and the largest declared length.
    pub framing: crate::framing::Spec,
    pub max_message: usize,
    pub record: Option<RecordTarget>,
    /// `connect --stdio`: standard output carries the peer's bytes alone.
    pub stdio: Option<Stdio>,
}

/// `connect --stdio [--log FILE]`: the event log goes to this file, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stdio {
    pub log: Option<std::path::PathBuf>,
}

/// Runs `config`'s mode until it is over (connect), or until SIGINT/SIGTERM (listen, proxy).
#[must_use]
pub fn run(config: &LiveStart, output: Output) -> Outcome {
    let printer = match &config.stdio {
        None => Printer::new(output),
        Some(stdio) => match stdio.log.as_deref().map(printer::open_log).transpose() {
            Ok(log) => Printer::stdio(output, log),
            Err(err) => {
                eprintln!("error: {err}");
                return Outcome::BadInput;
            }
        },
    };
    let start = Start {
        first: vec![config.mode.command()],
        watch: Watch::new(&config.mode),
        messages: Messages::new(&config.framing, config.max_message).map(|m| {
            let tls = &config.engine.tls;
            m.speaking_tls(tls.server.is_some(), tls.client.is_some())
        }),
        driver: None,
        lesson: None,
        lang: Lang::En,
    };
    if logged_by_engine(config, output) {
        return run_logged_by_engine(config.engine.clone(), start, printer);
    }
    let framing = (config.framing.to_string(), config.max_message);
    recorded(config.record.as_ref(), framing, |recorder| {
        run_with(config.engine.clone(), start, printer, recorder)
    })
}

/// Whether the engine's thread prints the log ([`LogSink`]): the text log of a run that neither
/// frames messages, writes the peer's bytes nor records. JSON Lines keep a thread of their own,
/// since spelling every byte in hex is work worth doing beside the engine rather than in it; so
/// does a recorded run, whose recorder holds every payload until it is written anyway.
fn logged_by_engine(config: &LiveStart, output: Output) -> bool {
    matches!(output, Output::Text(_))
        && config.stdio.is_none()
        && config.record.is_none()
        && config.framing == crate::framing::Spec::Raw
}

/// `sockscope demo [SCENARIO] --headless` (and `run FILE --headless`): runs the scenario's
/// script to completion. As text, the log is a handout in `lang`: the lesson first (the
/// scenario already speaks `lang`), each "why" note under its call, and each step's note where
/// the step ran. A script that stops early says why on stderr: an expectation not met (exit 3)
/// or a server not reached (exit 1).
#[must_use]
pub fn run_demo(
    mut scenario: Box<dyn Scenario>,
    output: Output,
    record: Option<&RecordTarget>,
    lang: Lang,
) -> Outcome {
    let engine = scenario.engine_config(crate::engine::EngineConfig::default());
    let mut messages =
        Messages::for_scenario(&scenario.framing(), crate::framing::DEFAULT_MAX_MESSAGE);
    let first = scenario.start();
    for chosen in scenario.take_framings() {
        messages.set_framing(chosen.conn, chosen.spec);
    }
    let max_message = crate::framing::DEFAULT_MAX_MESSAGE;
    let framing = scenario.framing();
    let start = Start {
        first,
        watch: Watch::scripted(),
        lesson: scenario.lesson_text(),
        lang,
        messages: Some(messages),
        driver: Some(Driver { scenario, started: Instant::now() }),
    };
    recorded(record, (framing.to_string(), max_message), |recorder| {
        run_with(engine, start, Printer::new(output), recorder)
    })
}

/// Runs `session` with a recorder when `--record` asks for one. The file is created before
/// any socket exists, so a name that cannot be used is bad input (exit 2) and nothing ran.
/// The framing goes into the file so that a replay cuts messages the same way. A recording
/// that fails while the session runs is said on stderr at once (the session goes on), again
/// at the end, and makes the exit code 1.
fn recorded(
    target: Option<&RecordTarget>,
    framing: (String, usize),
    session: impl FnOnce(Option<&Recorder>) -> Outcome,
) -> Outcome {
    let Some(target) = target else { return session(None) };
    let start = StartInfo::now(Some(framing));
    let recorder = match Recorder::create_with(&target.path, target.force, &start) {
        Ok(recorder) => recorder,
        Err(err) => {
            eprintln!("error: {err}");
            return Outcome::BadInput;
        }
    };
    let path = target.path.clone();
    recorder.on_failure(Box::new(move |why| {
        // From the writer's thread, as it happens: stderr may be gone, which is no reason to
        // panic.
        let _ = writeln!(
            io::stderr().lock(),
            "error: writing the recording {} failed: {why}; the session goes on without \
             recording",
            path.display()
        );
    }));
    let outcome = session(Some(&recorder));
    match recorder.finish() {
        Ok(_) => outcome,
        Err(err) => {
            eprintln!("error: {err}");
            if outcome == Outcome::Success { Outcome::NetworkFailure } else { outcome }
        }
    }
}

/// How a headless run begins and what watches it.
struct Start {
    first: Vec<Command>,
    watch: Watch,
    messages: Option<Messages>,
    driver: Option<Driver>,
    /// A demo's lesson text, for its handout.
    lesson: Option<String>,
    /// The language of the handout's notes (its lesson text is already in it).
    lang: Lang,
}

/// A scenario and the clock its script runs on.
struct Driver {
    scenario: Box<dyn Scenario>,
    started: Instant,
}

fn run_with(
    engine_config: crate::engine::EngineConfig,
    start: Start,
    printer: Printer,
    recorder: Option<&Recorder>,
) -> Outcome {
    let (sink, batches) = mpsc::sync_channel(BATCH_BACKLOG);
    let sink = RecordingSink::new(sink, recorder.map(Recorder::tap));
    let Some((engine, _signals)) = start_engine(engine_config, sink) else {
        return Outcome::NetworkFailure;
    };
    // If the engine is already gone, the channel is disconnected and the loop ends at once.
    for command in &start.first {
        let _ = engine.send(command.clone());
    }
    let outcome = Run::new(start, printer, &engine).until_over(&batches);
    // Disconnect first: an engine blocked on the full channel then stops instead of waiting.
    drop(batches);
    engine.stop();
    outcome
}

/// Starts the engine with `sink`, and the watch that turns Ctrl-C and SIGTERM into a stop;
/// `None` (said on stderr) when the engine cannot start.
fn start_engine(
    config: crate::engine::EngineConfig,
    sink: impl crate::engine::EventSink,
) -> Option<(Engine, Option<signals::SignalWatch>)> {
    let engine = Engine::start(config, sink)
        .inspect_err(|err| eprintln!("error: cannot start the socket engine: {err}"))
        .ok()?;
    let signals = signals::watch(engine.controller())
        .inspect_err(|err| eprintln!("warning: Ctrl-C will not stop cleanly: {err}"))
        .ok();
    Some((engine, signals))
}

/// Runs a session whose log the engine's thread prints ([`LogSink`]); this thread acts on what
/// the watch reports until the engine has stopped.
fn run_logged_by_engine(
    engine_config: crate::engine::EngineConfig,
    start: Start,
    printer: Printer,
) -> Outcome {
    let (reports, inbox) = mpsc::channel();
    let sink = LogSink::new(printer, start.watch, reports);
    let Some((engine, _signals)) = start_engine(engine_config, sink) else {
        return Outcome::NetworkFailure;
    };
    let _ = engine.send_all(start.first);
    let mut reactor = Reactor::default();
    let mut over: Option<Outcome> = None;
    let mut failed: Option<io::Error> = None;
    // The sink's last report is `Ended`; a closed channel without it means the engine died.
    let mut at_end = Outcome::NetworkFailure;
    while let Ok(report) = inbox.recv() {
        match report {
            Report::React(reactions) => {
                for reaction in reactions {
                    if over.is_none()
                        && let Some(outcome) = reactor.act(reaction, &engine)
                    {
                        over = Some(outcome);
                        let _ = engine.send(Command::Stop);
                    }
                }
            }
            Report::Failed(err) => failed = Some(err),
            Report::Ended(outcome) => at_end = outcome,
        }
    }
    engine.stop();
    match (over, failed) {
        // A failure of the session itself outranks trouble writing its log.
        (Some(outcome), _) if outcome != Outcome::Success => outcome,
        (_, Some(err)) => output_failed(&err),
        (over, None) => over.unwrap_or(at_end),
    }
}

/// Acts on what the watch reports: says where a listener is, feeds standard input to a client
/// and keeps it within what the socket took, and tells when the run is over.
#[derive(Default)]
struct Reactor {
    input: Option<Input>,
}

impl Reactor {
    /// `Some` when the run is over. An abort is said on stderr here: whoever prints the log
    /// flushes it first, so that the log's lines come before it.
    fn act(&mut self, reaction: Reaction, engine: &Engine) -> Option<Outcome> {
        match reaction {
            Reaction::Continue => {}
            Reaction::Listening(addr) => eprintln!("listening on {addr}"),
            Reaction::InputReady(conn, piece) => {
                match Input::start(engine.controller(), conn, piece) {
                    Ok(input) => self.input = Some(input),
                    Err(err) => eprintln!("warning: cannot read standard input: {err}"),
                }
            }
            Reaction::Acknowledged(len) => {
                if let Some(input) = &self.input {
                    input.acknowledge(len);
                }
            }
            Reaction::Finish(outcome) => return Some(outcome),
            Reaction::Abort(outcome, message) => {
                eprintln!("error: {message}");
                return Some(outcome);
            }
        }
        None
    }
}

/// The state of the event loop.
struct Run<'a> {
    engine: &'a Engine,
    printer: Printer,
    watch: Watch,
    reactor: Reactor,
    /// `--framing`: derives `message` events; `None` for raw.
    messages: Option<Messages>,
    /// `demo`: the scripted user, fed every event and a tick.
    driver: Option<Driver>,
    /// `demo` as text: the handout's notes under their calls.
    handout: Option<handout::Handout>,
    /// The lesson text the handout begins with, until it is printed.
    lesson: Option<String>,
}

impl<'a> Run<'a> {
    fn new(start: Start, printer: Printer, engine: &'a Engine) -> Self {
        let lesson = start.lesson.filter(|_| printer.for_people());
        Self {
            engine,
            printer,
            watch: start.watch,
            reactor: Reactor::default(),
            messages: start.messages,
            driver: start.driver,
            handout: lesson.as_ref().map(|_| handout::Handout::new(start.lang)),
            lesson,
        }
    }

    /// Prints `event`, and in a handout the note that explains it.
    fn print(&mut self, event: &Event) -> io::Result<()> {
        if let Some(lesson) = self.lesson.take() {
            self.printer.text(&handout::lesson_text(&lesson))?;
        }
        self.printer.print(event)?;
        match self.handout.as_mut().and_then(|handout| handout.note(event)) {
            Some(note) => self.printer.text(&note),
            None => Ok(()),
        }
    }

    fn until_over(mut self, batches: &Receiver<Vec<Event>>) -> Outcome {
        match self.print_until_over(batches) {
            Ok(outcome) => outcome,
            Err(err) => output_failed(&err),
        }
    }

    fn print_until_over(&mut self, batches: &Receiver<Vec<Event>>) -> io::Result<Outcome> {
        while let Some(batch) = self.next_batch(batches)? {
            for (i, event) in batch.iter().enumerate() {
                self.print(event)?;
                self.print_messages(event)?;
                self.drive(|scenario, _| scenario.on_event(event));
                if let Some(outcome) = self.react(event) {
                    // The rest of this batch is part of the log too (and of any recording).
                    for later in batch.iter().skip(i + 1) {
                        self.print(later)?;
                    }
                    return self.finish(outcome, batches);
                }
            }
            self.drive(|scenario, now_us| scenario.on_tick(now_us));
            self.print_notes()?;
            if let Some(driver) = self.driver.as_ref().filter(|d| d.scenario.is_finished()) {
                let outcome = match driver.scenario.failure() {
                    None => Outcome::Success,
                    Some(failure) => {
                        let _ = self.printer.flush();
                        eprintln!("error: {failure}");
                        match failure {
                            crate::demo::Failure::Unmet(_) => Outcome::Unmet,
                            crate::demo::Failure::Network(_) => Outcome::NetworkFailure,
                        }
                    }
                };
                return self.finish(outcome, batches);
            }
        }
        self.printer.flush()?;
        Ok(self.watch.outcome_at_end())
    }

    /// A handout prints the notes of the steps that just ran, where they ran; JSON Lines stay
    /// the event log alone.
    fn print_notes(&mut self) -> io::Result<()> {
        let Some(driver) = &mut self.driver else { return Ok(()) };
        let notes = driver.scenario.take_notes();
        if self.handout.is_none() {
            return Ok(());
        }
        for note in notes {
            self.printer.text(&handout::note_text(&note))?;
        }
        Ok(())
    }

    /// Prints the messages `event` completed under `--framing`; a stream that cannot be framed
    /// any more is said once on stderr.
    fn print_messages(&mut self, event: &Event) -> io::Result<()> {
        let Some(messages) = &mut self.messages else { return Ok(()) };
        let derived = messages.derive(event);
        for error in derived.errors {
            eprintln!("warning: {error}");
        }
        derived.messages.iter().try_for_each(|m| self.printer.print(m))
    }

    /// Ends the run: stops the engine and prints what it reports while closing (the last
    /// `close` events), so the log is complete. A failure of the session itself outranks
    /// trouble writing its log.
    fn finish(&mut self, outcome: Outcome, batches: &Receiver<Vec<Event>>) -> io::Result<Outcome> {
        let _ = self.engine.send(Command::Stop);
        let mut printed = Ok(());
        while let (Ok(batch), Ok(())) = (batches.recv(), &printed) {
            printed = batch.iter().try_for_each(|event| self.print(event));
        }
        let flushed = printed.and_then(|()| self.printer.flush());
        if outcome == Outcome::Success { flushed.map(|()| outcome) } else { Ok(outcome) }
    }

    /// The next batch of events; flushes the output first whenever none is waiting, so that
    /// interactive use sees each line promptly. `None` once the engine has stopped. With a
    /// scenario, an empty batch comes back at each tick so that its script advances.
    fn next_batch(&mut self, batches: &Receiver<Vec<Event>>) -> io::Result<Option<Vec<Event>>> {
        match batches.try_recv() {
            Ok(batch) => return Ok(Some(batch)),
            Err(TryRecvError::Disconnected) => return Ok(None),
            Err(TryRecvError::Empty) => {}
        }
        // Caught up. Under a flood the next batch is a moment away: flushing only once the
        // engine has been quiet for a moment saves a write per batch, and a person still sees
        // each line within that moment.
        match batches.recv_timeout(FLUSH_WHEN_QUIET_FOR) {
            Ok(batch) => return Ok(Some(batch)),
            Err(RecvTimeoutError::Disconnected) => return Ok(None),
            Err(RecvTimeoutError::Timeout) => {}
        }
        self.printer.flush()?;
        let Some(driver) = &self.driver else { return Ok(batches.recv().ok()) };
        match batches.recv_timeout(driver.scenario.tick()) {
            Ok(batch) => Ok(Some(batch)),
            Err(RecvTimeoutError::Timeout) => Ok(Some(Vec::new())),
            Err(RecvTimeoutError::Disconnected) => Ok(None),
        }
    }

    /// Gives the scenario, if any, its turn, sends the commands it answers with, and frames
    /// the connections it names from their next bytes on.
    fn drive(&mut self, turn: impl FnOnce(&mut dyn Scenario, u64) -> Vec<Command>) {
        let Some(driver) = &mut self.driver else { return };
        let now_us = u64::try_from(driver.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        let _ = self.engine.send_all(turn(driver.scenario.as_mut(), now_us));
        let chosen = driver.scenario.take_framings();
        if let Some(messages) = &mut self.messages {
            for framing in chosen {
                messages.set_framing(framing.conn, framing.spec);
            }
        }
    }

    /// Acts on one event; `Some` when the run is over.
    fn react(&mut self, event: &Event) -> Option<Outcome> {
        let reaction = self.watch.observe(event);
        if let Reaction::Abort(..) = reaction {
            let _ = self.printer.flush();
        }
        self.reactor.act(reaction, self.engine)
    }
}

/// A reader that went away (`| head`) is a normal way to stop; anything else is worth a line.
fn output_failed(err: &io::Error) -> Outcome {
    if err.kind() == io::ErrorKind::BrokenPipe {
        return Outcome::Success;
    }
    eprintln!("error: writing the event log failed: {err}");
    Outcome::NetworkFailure
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain() -> LiveStart {
        LiveStart {
            mode: crate::engine::Mode::Listen { addr: "127.0.0.1:0".parse().unwrap() },
            engine: crate::engine::EngineConfig::default(),
            framing: crate::framing::Spec::Raw,
            max_message: crate::framing::DEFAULT_MAX_MESSAGE,
            record: None,
            stdio: None,
        }
    }

    #[test]
    fn only_the_plain_text_log_is_printed_by_the_engine() {
        let text = Output::Text(format::Preview::default());
        assert!(logged_by_engine(&plain(), text));
        assert!(!logged_by_engine(&plain(), Output::Json), "JSON Lines keep their thread");
        let framed = LiveStart { framing: "line".parse().unwrap(), ..plain() };
        assert!(!logged_by_engine(&framed, text), "message events come from the run loop");
        let stdio = LiveStart { stdio: Some(Stdio { log: None }), ..plain() };
        assert!(!logged_by_engine(&stdio, text), "--stdio writes the peer's bytes");
        let target = RecordTarget { path: "r.sscope".into(), force: false };
        let recorded = LiveStart { record: Some(target), ..plain() };
        assert!(!logged_by_engine(&recorded, text), "the recorder holds the payloads anyway");
    }
}
