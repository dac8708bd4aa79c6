//! Running the UI for real: engine, terminal, threads, and the loop that ties them together.

mod event_loop;
mod sink;

use crate::cli::Config;
use crate::demo::{Repeat, Scenario};
use crate::engine::{Engine, EngineConfig, EofPolicy};
use crate::event::Command;
use crate::session::Session;
use crate::tui::app::{App, Mode, RoomSettings, Source};
use crate::tui::glyphs::Glyphs;
use crate::tui::msg::Msg;
use crate::tui::terminal::{self, EnterError, TerminalGuard};
use crate::tui::{input, model, signals};
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
    /// The engine, the terminal or a thread could not be started or failed: exit 1.
    Failed,
}

impl Outcome {
    #[must_use]
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(match self {
            Self::Quit => 0,
            Self::Failed => 1,
            Self::NoTerminal => 2,
        })
    }
}

/// `sockscope listen|connect|proxy ...` in the terminal UI: opens the mode's socket first.
#[must_use]
pub fn run(config: &Config) -> Outcome {
    let mode = if config.engine.manual { Mode::Manual } else { Mode::Auto };
    let session = Session::new(config.session_config());
    let warnings = config.warnings.clone();
    run_session(
        config.engine.clone(),
        Start { mode, session, first: vec![config.mode.command()], driver: None, warnings },
    )
}

/// Bare `sockscope`: an empty session; `:listen`, `:connect` and `:proxy` open sockets.
#[must_use]
pub fn run_empty() -> Outcome {
    let start = Start {
        mode: Mode::Auto,
        session: model::new_session(),
        first: Vec::new(),
        driver: None,
        warnings: Vec::new(),
    };
    run_session(keep_open(), start)
}

/// `sockscope demo [SCENARIO]`: a scripted session on loopback, in the UI.
#[must_use]
pub fn run_demo(scenario: Box<dyn Scenario>) -> Outcome {
    let (engine, start) = demo_start(scenario);
    run_session(engine, start)
}

/// The engine settings and start of a scenario's session: the scenario drives it.
fn demo_start(mut scenario: Box<dyn Scenario>) -> (EngineConfig, Start) {
    let engine = scenario.engine_config(keep_open());
    let session = model::framed_session(scenario.framing(), crate::framing::DEFAULT_MAX_MESSAGE);
    let first = scenario.start();
    let driver = Some(scenario);
    (engine, Start { mode: Mode::Auto, session, first, driver, warnings: Vec::new() })
}

/// The UI keeps half-open connections so the user can still send after the peer's EOF.
fn keep_open() -> EngineConfig {
    EngineConfig { eof_policy: EofPolicy::KeepOpen, ..EngineConfig::default() }
}

/// How a UI session begins: its mode, model, first commands, the script driving it, if any,
/// and the warnings the status bar shows for the whole run.
struct Start {
    mode: Mode,
    session: Session,
    first: Vec<Command>,
    driver: Option<Box<dyn Scenario>>,
    warnings: Vec<String>,
}

/// How one session on the terminal ended.
enum Ended {
    Done(Outcome),
    /// The user picked another scenario; the terminal is still in UI state and the presenter's
    /// settings carry over.
    Switch {
        scenario: &'static str,
        guard: TerminalGuard,
        room: RoomSettings,
    },
}

/// Runs sessions on one terminal until the user quits: the first as `start` says, then each
/// scenario picked in the UI (`D`, `:demo`). Between two sessions only the engine, its
/// sockets, the threads and the app are replaced; the terminal stays on the alternate screen.
fn run_session(engine_config: EngineConfig, start: Start) -> Outcome {
    // Read before the terminal changes anything: the locale says which characters it shows.
    let glyphs = Glyphs::from_env();
    let guard = match terminal::enter() {
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
    let mut next = (guard, engine_config, start, RoomSettings::default());
    loop {
        let (guard, engine_config, start, room) = next;
        match run_one_session(guard, glyphs, engine_config, start, room) {
            Ended::Done(outcome) => return outcome,
            Ended::Switch { scenario, guard, room } => {
                let Some(scenario) = crate::demo::scenario(Some(scenario), Repeat::Forever) else {
                    drop(guard);
                    eprintln!("error: no scenario '{scenario}'");
                    return Outcome::Failed;
                };
                let (engine_config, start) = demo_start(scenario);
                next = (guard, engine_config, start, room);
            }
        }
    }
}

/// One session: its engine, input and signal threads, app and loop, on a terminal already in
/// UI state. Everything but the terminal ends with it.
fn run_one_session(
    mut guard: TerminalGuard,
    glyphs: Glyphs,
    engine_config: EngineConfig,
    start: Start,
    room: RoomSettings,
) -> Ended {
    let (msgs_tx, msgs) = mpsc::channel::<Msg>();
    let (sink, credits) = sink::UiSink::new(msgs_tx.clone());
    // The session clock starts with the engine; ticks are measured from here.
    let clock_origin = Instant::now();
    let engine = match Engine::start(engine_config, sink) {
        Ok(engine) => engine,
        Err(err) => {
            drop(guard);
            eprintln!("error: cannot start the socket engine: {err}");
            return Ended::Done(Outcome::Failed);
        }
    };
    let threads = input::start(msgs_tx.clone())
        .and_then(|input| Ok((input, signals::watch(msgs_tx.clone())?)));
    let (input, signal_watch) = match threads {
        Ok(threads) => threads,
        Err(err) => {
            drop(guard);
            eprintln!("error: cannot start the UI threads: {err}");
            drop((msgs, credits));
            engine.stop();
            return Ended::Done(Outcome::Failed);
        }
    };
    let mut app = App::new(start.session, start.mode, Source::Live);
    app.set_warnings(start.warnings);
    // A demo is a lesson: its text beside the panels, and surprising results explained.
    app.set_why_notes(start.driver.is_some());
    if let Some(entry) = start.driver.as_ref().and_then(|driver| crate::demo::entry(driver.name()))
    {
        app.set_lesson(entry.lesson);
        app.set_running_scenario(entry.name);
    }
    app.apply_room_settings(room);
    for command in start.first {
        let _ = engine.send(command);
    }
    let driver = std::cell::RefCell::new(start.driver);
    let controller = engine.controller();
    let context = event_loop::Context { engine: controller, msgs_tx, clock_origin, driver, glyphs };
    let result = event_loop::run(&mut app, &mut guard.terminal, &msgs, &credits, &context);
    // Stop reading the terminal, give it back (kept when another scenario follows), then let
    // the engine go: with the receivers gone, an engine waiting for room in the channel stops
    // instead of waiting forever. `stop` returns once its thread has closed every socket.
    drop(input);
    let kept = if let Ok(event_loop::Ending::Switch(_)) = result {
        Some(guard)
    } else {
        drop(guard);
        None
    };
    drop(signal_watch);
    drop((msgs, credits, context));
    engine.stop();
    match (result, kept) {
        (Ok(event_loop::Ending::Switch(scenario)), Some(guard)) => {
            Ended::Switch { scenario, guard, room: app.room_settings() }
        }
        (Ok(_), _) => Ended::Done(Outcome::Quit),
        (Err(err), _) => {
            eprintln!("error: drawing the terminal UI failed: {err}");
            Ended::Done(Outcome::Failed)
        }
    }
}
