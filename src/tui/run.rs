//! Running the UI for real: engine, terminal, threads, and the loop that ties them together.

mod event_loop;
mod player;
mod recording;
mod session;
mod sink;
mod trace_feed;
pub mod tracing;
mod verdict;

use crate::demo::Scenario;
use crate::engine::{EngineConfig, EofPolicy};
use crate::event::{Command, Event};
use crate::record::{Reader, RecordTarget, Replay};
use crate::session::{Session, SessionConfig};
use crate::tui::app::Mode;
use crate::tui::app::RoomSettings;
use crate::tui::look::Look;
use crate::tui::model;
use recording::Recording;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;
use verdict::Verdict;

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
    /// The user quit a `connect` session whose connection was refused, reset or timed out:
    /// exit 1, as a headless run says.
    ConnectionFailed,
}

impl Outcome {
    #[must_use]
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(match self {
            Self::Quit => 0,
            Self::Failed | Self::ConnectionFailed => 1,
            Self::NoTerminal | Self::BadInput => 2,
        })
    }
}

/// What a live session in the terminal UI starts with; the command line builds it.
#[derive(Clone, Debug)]
pub struct LiveStart {
    /// The socket the session opens first.
    pub mode: crate::engine::Mode,
    pub engine: EngineConfig,
    /// How the session's streams are cut into messages, with the largest declared length, and
    /// the memory the views keep.
    pub session: SessionConfig,
    /// Things the person must know for as long as the session runs (the status bar shows them).
    pub warnings: Vec<String>,
    pub record: Option<RecordTarget>,
}

/// `sockscope listen|connect|proxy ...` in the terminal UI: opens the mode's socket first.
#[must_use]
pub fn run(config: &LiveStart, look: &Look) -> Outcome {
    let mode = if config.engine.manual { Mode::Manual } else { Mode::Auto };
    let session = Session::new(config.session.clone());
    let framing = (config.session.framing.to_string(), config.session.max_message);
    let Some(recording) = open_recording(config.record.as_ref(), framing) else {
        return Outcome::BadInput;
    };
    let feed = Feed::Live { engine: config.engine.clone(), first: vec![config.mode.command()] };
    let verdict = match config.mode {
        crate::engine::Mode::Connect { .. } => Verdict::ClientMustConnect,
        crate::engine::Mode::Listen { .. } | crate::engine::Mode::Proxy { .. } => {
            Verdict::QuitSucceeds
        }
    };
    session::run(
        Start {
            mode,
            session,
            feed,
            driver: None,
            pick: None,
            warnings: config.warnings.clone(),
            recording,
            verdict,
        },
        look,
    )
}

/// Bare `sockscope`: an empty session; `:listen`, `:connect` and `:proxy` open sockets.
#[must_use]
pub fn run_empty(look: &Look) -> Outcome {
    session::run(
        Start {
            mode: Mode::Auto,
            session: model::new_session(),
            feed: Feed::Live { engine: keep_open(), first: Vec::new() },
            driver: None,
            pick: None,
            warnings: Vec::new(),
            recording: (Recording::default(), None),
            verdict: Verdict::QuitSucceeds,
        },
        look,
    )
}

/// `sockscope demo [SCENARIO] [--record FILE] [--loop] [--present]`: a scripted session on
/// loopback, in the UI. `room`: whether scenarios (this one and those picked later) begin again
/// at their end, and whether the presentation layout is on.
#[must_use]
pub fn run_demo(
    scenario: Box<dyn Scenario>,
    pick: Option<crate::demo::Pick>,
    room: RoomSettings,
    record: Option<&RecordTarget>,
    look: &Look,
) -> Outcome {
    let framing = (scenario.framing().to_string(), crate::framing::DEFAULT_MAX_MESSAGE);
    let Some(recording) = open_recording(record, framing) else {
        return Outcome::BadInput;
    };
    session::run_in(Start { recording, ..demo_start(scenario, pick) }, room, look)
}

/// The start of a scenario's session: the scenario drives it; nothing is recorded.
fn demo_start(mut scenario: Box<dyn Scenario>, pick: Option<crate::demo::Pick>) -> Start {
    let engine = scenario.engine_config(keep_open());
    let session = model::framed_session(scenario.framing(), crate::framing::DEFAULT_MAX_MESSAGE);
    let first = scenario.start();
    Start {
        mode: Mode::Auto,
        session,
        feed: Feed::Live { engine, first },
        driver: Some(scenario),
        pick,
        warnings: Vec::new(),
        recording: (Recording::default(), None),
        verdict: Verdict::QuitSucceeds,
    }
}

/// `sockscope replay FILE`: the recording on a timeline, in the same panels as live.
#[must_use]
pub fn run_replay(plan: &Replay, look: &Look) -> Outcome {
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
    session::run(
        Start {
            mode: Mode::Auto,
            session: Session::new(SessionConfig {
                framing,
                max_message,
                retain: plan.retain,
                ..SessionConfig::default()
            }),
            feed: Feed::Replay { path: plan.path.clone(), reader: Box::new(reader), first },
            driver: None,
            pick: None,
            warnings: warning.into_iter().collect(),
            recording: (Recording::default(), None),
            verdict: Verdict::QuitSucceeds,
        },
        look,
    )
}

/// The recording `--record` asks for, created before anything runs: a name that cannot be
/// used is reported and nothing starts (`None`).
fn open_recording(
    target: Option<&RecordTarget>,
    framing: (String, usize),
) -> Option<(Recording, Option<PathBuf>)> {
    let Some(target) = target else { return Some((Recording::default(), None)) };
    match Recording::from_start(&target.path, target.force, framing) {
        Ok(recording) => Some((recording, Some(target.path.clone()))),
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
/// it, if any, the warnings the status bar shows for the whole run, the recording (with its
/// file) that `--record` started, and what makes the session count as failed.
struct Start {
    mode: Mode,
    session: Session,
    feed: Feed,
    driver: Option<Box<dyn Scenario>>,
    /// How the UI names the scenario, to run it again (`r`) or mark it in the picker.
    pick: Option<crate::demo::Pick>,
    warnings: Vec<String>,
    recording: (Recording, Option<PathBuf>),
    verdict: Verdict,
}

/// Where the events come from.
enum Feed {
    /// An engine on real sockets, and the commands it starts with.
    Live { engine: EngineConfig, first: Vec<Command> },
    /// A recording, opened, with its first event already read.
    Replay { path: PathBuf, reader: Box<Reader<BufReader<File>>>, first: Option<Event> },
    /// A program traced (`sockscope trace`), as the settings say.
    Trace { target: crate::trace::Target, settings: crate::trace::Settings },
}
