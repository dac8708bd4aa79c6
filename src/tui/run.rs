//! Running the UI for real: engine, terminal, threads, and the loop that ties them together.

mod event_loop;
mod player;
mod recording;
mod sink;

use crate::cli::{Config, RecordTarget, ReplayPlan};
use crate::demo::Scenario;
use crate::engine::{Engine, EngineConfig, EofPolicy};
use crate::event::Command;
use crate::event::Event;
use crate::record::{Reader, Recorder, StartInfo};
use crate::session::Session;
use crate::tui::app::{App, Mode, Source};
use crate::tui::glyphs::Glyphs;
use crate::tui::msg::{Msg, RecordingNews};
use crate::tui::terminal::{self, EnterError};
use crate::tui::{input, model, signals};
use player::Player;
use recording::Recording;
use std::cell::RefCell;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Instant;

/// How a UI run ended; maps onto the exit-code contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The user quit (or a signal asked to): exit 0.
    Quit,
    /// Standard output is not a terminal: exit 2, as for any unusable input.
    NoTerminal,
    /// A file named on the command line cannot be used (a recording to write or to play):
    /// exit 2, before the terminal is touched.
    BadInput,
    /// The engine, the terminal or a thread could not be started or failed: exit 1.
    Failed,
}

impl Outcome {
    #[must_use]
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(match self {
            Self::Quit => 0,
            Self::Failed => 1,
            Self::NoTerminal | Self::BadInput => 2,
        })
    }
}

/// `sockscope listen|connect|proxy ...` in the terminal UI: opens the mode's socket first.
#[must_use]
pub fn run(config: &Config) -> Outcome {
    let mode = if config.engine.manual { Mode::Manual } else { Mode::Auto };
    let session = Session::new(config.session_config());
    let framing = (config.framing.to_string(), config.max_message);
    let Some(recording) = open_recording(config.record.as_ref(), framing) else {
        return Outcome::BadInput;
    };
    let feed = Feed::Live { engine: config.engine.clone(), first: vec![config.mode.command()] };
    run_session(Start {
        mode,
        session,
        feed,
        driver: None,
        warnings: config.warnings.clone(),
        recording,
    })
}

/// Bare `sockscope`: an empty session; `:listen`, `:connect` and `:proxy` open sockets.
#[must_use]
pub fn run_empty() -> Outcome {
    run_session(Start {
        mode: Mode::Auto,
        session: model::new_session(),
        feed: Feed::Live { engine: keep_open(), first: Vec::new() },
        driver: None,
        warnings: Vec::new(),
        recording: (Recording::default(), None),
    })
}

/// `sockscope demo [SCENARIO] [--record FILE]`: a scripted session on loopback, in the UI.
#[must_use]
pub fn run_demo(mut scenario: Box<dyn Scenario>, record: Option<&RecordTarget>) -> Outcome {
    let engine = scenario.engine_config(keep_open());
    let max_message = crate::framing::DEFAULT_MAX_MESSAGE;
    let session = model::framed_session(scenario.framing(), max_message);
    let Some(recording) = open_recording(record, (scenario.framing().to_string(), max_message))
    else {
        return Outcome::BadInput;
    };
    let first = scenario.start();
    run_session(Start {
        mode: Mode::Auto,
        session,
        feed: Feed::Live { engine, first },
        driver: Some(scenario),
        warnings: Vec::new(),
        recording,
    })
}

/// `sockscope replay FILE`: the recording on a timeline, in the same panels as live.
#[must_use]
pub fn run_replay(plan: &ReplayPlan) -> Outcome {
    let mut reader = match Reader::open(&plan.path) {
        Ok(reader) => reader,
        Err(err) => {
            eprintln!("error: {}: {err}", plan.path.display());
            return Outcome::BadInput;
        }
    };
    // The Start record, with the recorded framing, comes before the first event.
    let first = reader.next().map(|(_, event)| event);
    let (framing, max_message, warning) = plan.framing_for(reader.start());
    run_session(Start {
        mode: Mode::Auto,
        session: model::framed_session(framing, max_message),
        feed: Feed::Replay { path: plan.path.clone(), reader: Box::new(reader), first },
        driver: None,
        warnings: warning.into_iter().collect(),
        recording: (Recording::default(), None),
    })
}

/// The recording `--record` asks for, created before anything runs: a name that cannot be
/// used is reported and nothing starts (`None`).
fn open_recording(
    target: Option<&RecordTarget>,
    framing: (String, usize),
) -> Option<(Recording, Option<PathBuf>)> {
    let Some(target) = target else { return Some((Recording::default(), None)) };
    match Recorder::create_with(&target.path, target.force, &StartInfo::now(Some(framing))) {
        Ok(recorder) => Some((Recording::from_start(recorder), Some(target.path.clone()))),
        Err(err) => {
            eprintln!("error: {err}");
            None
        }
    }
}

/// The UI keeps half-open connections so the user can still send after the peer's EOF.
fn keep_open() -> EngineConfig {
    EngineConfig { eof_policy: EofPolicy::KeepOpen, ..EngineConfig::default() }
}

/// How a UI session begins: its mode, model, where its events come from, the script driving
/// it, if any, the warnings the status bar shows for the whole run, and the recording (with
/// its file) that `--record` started.
struct Start {
    mode: Mode,
    session: Session,
    feed: Feed,
    driver: Option<Box<dyn Scenario>>,
    warnings: Vec<String>,
    recording: (Recording, Option<PathBuf>),
}

/// Where the events come from.
enum Feed {
    /// An engine on real sockets, and the commands it starts with.
    Live { engine: EngineConfig, first: Vec<Command> },
    /// A recording, opened, with its first event already read.
    Replay { path: PathBuf, reader: Box<Reader<BufReader<File>>>, first: Option<Event> },
}

/// The running source of events, stopped when the session ends.
enum Running {
    Engine(Engine),
    Player,
}

fn run_session(start: Start) -> Outcome {
    // Read before the terminal changes anything: the locale says which characters it shows.
    let glyphs = Glyphs::from_env();
    let (msgs_tx, msgs) = mpsc::channel::<Msg>();
    let (outbox, credits) = sink::Outbox::new(msgs_tx.clone());
    let mut guard = match terminal::enter() {
        Ok(guard) => guard,
        Err(EnterError::NotATerminal) => {
            eprintln!("error: the terminal UI needs a terminal; use --headless for a log instead");
            return Outcome::NoTerminal;
        }
        Err(EnterError::Io(err)) => {
            eprintln!("error: cannot set up the terminal: {err}");
            return Outcome::Failed;
        }
    };
    // The session clock starts with the engine; ticks are measured from here.
    let clock_origin = Instant::now();
    let source = match &start.feed {
        Feed::Live { .. } => Source::Live,
        Feed::Replay { .. } => Source::Replay,
    };
    let (running, player) = match start_feed(start.feed, outbox) {
        Ok(started) => started,
        Err(err) => {
            drop(guard);
            eprintln!("error: {err}");
            return Outcome::Failed;
        }
    };
    let threads = input::start(msgs_tx.clone())
        .and_then(|input| Ok((input, signals::watch(msgs_tx.clone())?)));
    let (input, signal_watch) = match threads {
        Ok(threads) => threads,
        Err(err) => {
            drop(guard);
            eprintln!("error: cannot start the UI threads: {err}");
            drop((msgs, credits, player));
            running.stop();
            return Outcome::Failed;
        }
    };
    let mut app = App::new(start.session, start.mode, source);
    app.set_warnings(start.warnings);
    let (recording, recording_path) = start.recording;
    app.set_recording(recording_path);
    // A demo is a lesson: its text beside the panels, and surprising results explained.
    app.set_why_notes(start.driver.is_some());
    if let Some(entry) = start.driver.as_ref().and_then(|driver| crate::demo::entry(driver.name()))
    {
        app.set_lesson(entry.lesson);
    }
    let context = event_loop::Context {
        engine: running.controller(),
        player,
        recording: RefCell::new(recording),
        msgs_tx,
        clock_origin,
        driver: RefCell::new(start.driver),
        glyphs,
    };
    let result = event_loop::run(&mut app, &mut guard.terminal, &msgs, &credits, &context);
    // Stop reading the terminal, give it back, then let the engine go: with the receivers
    // gone, an engine (or player) waiting for room in the channel stops instead of waiting
    // forever. The recording is closed last, with everything the UI applied.
    drop(input);
    drop(guard);
    drop(signal_watch);
    drop((msgs, credits));
    let recording = context.recording.take();
    drop(context);
    running.stop();
    let closed = close_recording(recording);
    match result {
        Ok(()) => closed,
        Err(err) => {
            eprintln!("error: drawing the terminal UI failed: {err}");
            Outcome::Failed
        }
    }
}

/// Starts the engine (sending it its first commands) or the replay player.
fn start_feed(feed: Feed, outbox: sink::Outbox) -> Result<(Running, Option<Player>), String> {
    match feed {
        Feed::Live { engine, first } => {
            let engine = Engine::start(engine, sink::UiSink::from_outbox(outbox))
                .map_err(|err| format!("cannot start the socket engine: {err}"))?;
            for command in first {
                let _ = engine.send(command);
            }
            Ok((Running::Engine(engine), None))
        }
        Feed::Replay { path, reader, first } => {
            let player = Player::start(&path, *reader, first, outbox)
                .map_err(|err| format!("cannot start the replay: {err}"))?;
            Ok((Running::Player, Some(player)))
        }
    }
}

impl Running {
    fn controller(&self) -> Option<crate::engine::Controller> {
        match self {
            Self::Engine(engine) => Some(engine.controller()),
            Self::Player => None,
        }
    }

    fn stop(self) {
        if let Self::Engine(engine) = self {
            engine.stop();
        }
    }
}

/// Closes a recording still running at the end; a failure to finish it is an error (exit 1),
/// said on the terminal the UI has given back.
fn close_recording(mut recording: Recording) -> Outcome {
    match recording.stop() {
        Some(
            RecordingNews::Finished { path, result: Err(err) }
            | RecordingNews::Failed { path, error: err },
        ) => {
            eprintln!("error: recording {}: {err}", path.display());
            Outcome::Failed
        }
        _ => Outcome::Quit,
    }
}
