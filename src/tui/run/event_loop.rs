//! The UI loop: block for the next message, drain what is pending, draw once.
//!
//! Drawing is coalesced: at most one frame per [`FRAME_INTERVAL`] (~60 frames/s). Draining is
//! bounded by [`DRAIN_BUDGET`], so a flood of engine batches cannot postpone frames.
//!
//! Why a key press is never stuck behind a flood for more than about 100 ms: messages are
//! handled in arrival order, and the credit scheme in `sink` allows at most
//! `ENGINE_BACKLOG` (4) engine batches in the channel at any moment. A key that arrives
//! during a flood therefore waits for at most 4 batch applications (each at most
//! `engine::BATCH_EVENTS` events / `engine::BATCH_BYTES` of payload, a few milliseconds) and
//! at most one frame, and is drawn at most one [`FRAME_INTERVAL`] after it was handled.
//! A separate, higher-priority channel for input would give no better bound, and would lose
//! the single ordered stream that keeps "the key came after that event" true.

use super::player::Player;
use super::recording::Recording;
use super::sink::Credits;
use crate::demo::{Lesson, Pick, Scenario};
use crate::engine::{Controller, addr};
use crate::tui::glyphs::Glyphs;
use crate::tui::look::Look;
use crate::tui::msg::{Effect, Msg, Purpose};
use crate::tui::{App, view};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::cell::RefCell;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

/// Shortest time between two frames: about 60 frames per second.
pub const FRAME_INTERVAL: Duration = Duration::from_millis(16);
/// Longest time spent handling pending messages before the loop considers drawing.
pub const DRAIN_BUDGET: Duration = Duration::from_millis(10);
/// How often time passes into the app while nothing happens (status messages expire).
pub const TICK_INTERVAL: Duration = Duration::from_millis(500);

/// What the loop needs besides the app and the terminal.
#[derive(Debug)]
pub struct Context {
    /// The live session's engine; `None` in a replay.
    pub engine: Option<Controller>,
    /// The replay's player; `None` in a live session.
    pub player: Option<Player>,
    /// The live session's recording, if one is running.
    pub recording: RefCell<Recording>,
    /// For the name-resolving threads to post their answers.
    pub msgs_tx: Sender<Msg>,
    /// When the engine (and so the session clock) started.
    pub clock_origin: Instant,
    /// A scripted user (`sockscope demo`): sees every event and tick, sends its own commands.
    pub driver: RefCell<Option<Box<dyn Scenario>>>,
    /// The terminal's character set, chosen from the locale at start.
    pub glyphs: Glyphs,
    /// Colour or not (and, with the config file, keys and theme), chosen at start.
    pub look: Look,
}

/// Whether the loop goes on after a message.
#[derive(Clone, Debug)]
enum Flow {
    Continue,
    Quit,
    /// The user chose this scenario (read and ready) to replace the session.
    Switch(Pick, Box<Lesson>),
}

/// Why the loop ended.
#[derive(Clone, Debug)]
pub enum Ending {
    /// The user quit, a signal asked to, or every sender is gone.
    Quit,
    /// The scenario to run instead, read and ready: the caller stops this session and
    /// starts that one.
    Switch(Pick, Box<Lesson>),
}

/// Runs until the app asks to quit or to switch scenarios, or every sender is gone. Generic
/// over the backend so tests drive it on `TestBackend`.
pub fn run<B: Backend>(
    app: &mut App,
    terminal: &mut Terminal<B>,
    msgs: &Receiver<Msg>,
    credits: &Credits,
    context: &Context,
) -> Result<Ending, B::Error> {
    let size = terminal.size()?;
    app.update(Msg::Resize { width: size.width, height: size.height });
    let mut last_frame: Option<Instant> = None;
    let mut dirty = true;
    let mut next_tick = Instant::now() + TICK_INTERVAL;
    loop {
        let now = Instant::now();
        let frame_due = last_frame.map_or(now, |at| at + FRAME_INTERVAL);
        if dirty && now >= frame_due {
            terminal.draw(|frame| view::draw_looking(frame, app, context.glyphs, &context.look))?;
            last_frame = Some(now);
            dirty = false;
        }
        let wake_at = if dirty { frame_due.min(next_tick) } else { next_tick };
        let mut next = match msgs.recv_timeout(wake_at.saturating_duration_since(now)) {
            Ok(msg) => Some(msg),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return Ok(Ending::Quit),
        };
        if Instant::now() >= next_tick {
            next_tick = Instant::now() + TICK_INTERVAL;
            let now_us =
                u64::try_from(context.clock_origin.elapsed().as_micros()).unwrap_or(u64::MAX);
            handle(app, Msg::Tick { now_us }, credits, context);
            dirty = true;
        }
        let drain_until = Instant::now() + DRAIN_BUDGET;
        while let Some(msg) = next {
            dirty = true;
            match handle(app, msg, credits, context) {
                Flow::Continue => {}
                Flow::Quit => return Ok(Ending::Quit),
                Flow::Switch(pick, lesson) => return Ok(Ending::Switch(pick, lesson)),
            }
            if Instant::now() >= drain_until {
                break;
            }
            next = msgs.try_recv().ok();
        }
    }
}

/// Folds one message into the app and performs the effects it asks for.
fn handle(app: &mut App, msg: Msg, credits: &Credits, context: &Context) -> Flow {
    let Driven { framings, queued, notes, finished, failure } = drive_script(&msg, context);
    let counted = matches!(msg, Msg::Engine(_) | Msg::Replay { .. } | Msg::Traced(_));
    let news = if let Msg::Engine(batch) = &msg {
        context.recording.borrow_mut().record(batch)
    } else if let Msg::Traced(batch) = &msg {
        context.recording.borrow_mut().record_traced(batch)
    } else {
        None
    };
    if let Some(news) = news {
        app.update(Msg::Recording(news));
    }
    let effects = app.update(msg);
    if counted {
        credits.release();
    }
    // After the batch: a framing names a connection its own batch creates, and the session
    // frames only connections it knows (re-framing bytes that came in the same batch).
    for framing in framings {
        app.update(Msg::Framing { conn: framing.conn, spec: framing.spec });
    }
    // Likewise for what the scenario queued in answer to this batch.
    for (conn, len) in queued {
        app.update(Msg::ScenarioQueued { conn, len });
    }
    for note in notes {
        app.update(Msg::LessonNote(note));
    }
    if finished && !app.lesson_over() {
        app.update(Msg::LessonOver);
        if let Some(report) = failure {
            app.update(Msg::LessonStopped(report));
        }
    }
    let mut flow = Flow::Continue;
    for effect in effects {
        match effect {
            Effect::Engine(command) => {
                // The scenario holds while the person steps or works by hand.
                if let Some(scenario) = context.driver.borrow_mut().as_mut() {
                    scenario.on_user_command(&command);
                }
                let sent = context.engine.as_ref().is_some_and(|e| e.send(command).is_ok());
                if !sent {
                    app.update(Msg::EngineStopped);
                }
            }
            Effect::Player(command) => {
                if !context.player.as_ref().is_some_and(|player| player.send(command)) {
                    app.update(Msg::EngineStopped);
                }
            }
            Effect::StartRecording { path, opening, framing } => {
                let news = context.recording.borrow_mut().start(&path, &opening, framing);
                app.update(Msg::Recording(news));
            }
            Effect::StopRecording => {
                if let Some(news) = context.recording.borrow_mut().stop() {
                    app.update(Msg::Recording(news));
                }
            }
            Effect::Resolve { purpose, text } => resolve_in_background(purpose, text, context),
            Effect::Quit => flow = Flow::Quit,
            // Quitting wins over switching, should one key ask for both. A lesson file is
            // read here, before this session ends: one that cannot be used is said in the
            // status line and this session goes on.
            Effect::StartScenario(pick) if matches!(flow, Flow::Continue) => match pick.load() {
                Ok(lesson) => flow = Flow::Switch(pick, Box::new(lesson)),
                Err(err) => drop(app.update(Msg::LessonUnreadable(err.to_string()))),
            },
            Effect::StartScenario(_) => {}
            Effect::WriteFile { path, contents } => match write_new_file(&path, &contents) {
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    app.update(Msg::FileExists { path });
                }
                result => {
                    app.update(Msg::Wrote { path, result: result.map_err(|e| e.to_string()) });
                }
            },
        }
    }
    flow
}

/// Creates `path` with `contents`: mode 0600 (what was copied may be private), and never over
/// an existing file or through a symbolic link (`create_new` is `O_CREAT | O_EXCL`, which
/// refuses both).
fn write_new_file(path: &std::path::Path, contents: &[u8]) -> std::io::Result<u64> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(contents)?;
    file.sync_all()?;
    Ok(contents.len() as u64)
}

/// What the scenario asked for in answer to one message.
#[derive(Debug, Default)]
struct Driven {
    /// The framings it asks for.
    framings: Vec<crate::demo::SetFraming>,
    /// The bytes it queued for sending (connection, length), which the App counts as queued.
    queued: Vec<(crate::event::ConnId, usize)>,
    /// The notes of the steps it ran.
    notes: Vec<String>,
    /// Its script has run to its end.
    finished: bool,
    /// Why it stopped early, if it did.
    failure: Option<String>,
}

/// Lets the scenario, if any, react to engine events and to time, as a user at the keyboard
/// would, by sending commands of its own. It sees a whole batch before it may act (its turn
/// comes at the batch's end), so it never acts in the middle of a round's report.
fn drive_script(msg: &Msg, context: &Context) -> Driven {
    let mut driver = context.driver.borrow_mut();
    let Some(scenario) = driver.as_mut() else { return Driven::default() };
    let now_us = || u64::try_from(context.clock_origin.elapsed().as_micros()).unwrap_or(u64::MAX);
    let commands = match msg {
        Msg::Engine(batch) => {
            let mut commands: Vec<_> =
                batch.iter().flat_map(|event| scenario.on_event(event)).collect();
            commands.extend(scenario.on_tick(now_us()));
            commands
        }
        Msg::Tick { now_us } => scenario.on_tick(*now_us),
        _ => Vec::new(),
    };
    let mut queued = Vec::new();
    if let Some(engine) = &context.engine {
        let sends: Vec<_> = (commands.iter())
            .filter_map(|command| match command {
                crate::event::Command::Send { conn, data } => Some((*conn, data.len())),
                _ => None,
            })
            .collect();
        // Together: a turn that closes every socket must not let one hear another's FIN.
        if engine.send_all(commands).is_ok() {
            queued = sends;
        }
    }
    let (framings, notes) = (scenario.take_framings(), scenario.take_notes());
    let failure = scenario.failure().map(ToString::to_string);
    Driven { framings, queued, notes, finished: scenario.is_finished(), failure }
}

/// Resolves a typed address on its own thread (a DNS lookup can take seconds) and posts the
/// answer back as [`Msg::Resolved`].
fn resolve_in_background(purpose: Purpose, text: String, context: &Context) {
    let msgs = context.msgs_tx.clone();
    let spawned = thread::Builder::new().name("sockscope-resolve".into()).spawn({
        let msgs = msgs.clone();
        let purpose = purpose.clone();
        move || {
            let resolve = match purpose {
                Purpose::Listen | Purpose::ProxyListen { .. } => addr::resolve,
                Purpose::Connect | Purpose::ProxyUpstream { .. } | Purpose::Destination { .. } => {
                    addr::resolve_peer
                }
            };
            let result = resolve(&text).map_err(|err| err.to_string());
            let _ = msgs.send(Msg::Resolved { purpose, result });
        }
    });
    if let Err(err) = spawned {
        let result = Err(format!("cannot resolve the address: {err}"));
        let _ = msgs.send(Msg::Resolved { purpose, result });
    }
}

#[cfg(test)]
mod tests;
