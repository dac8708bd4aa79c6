//! Running UI sessions on the terminal: one after another on the same screen when the user
//! picks another scenario (`D`, `:demo`); between two, only the source of events (engine or
//! player), the threads and the app are replaced.

use super::event_loop::{self, Ending};
use super::player::Player;
use super::recording::Recording;
use super::trace_feed::TraceFeed;
use super::{Feed, Outcome, Start, demo_start, sink};
use crate::demo::{Repeat, Target, Tempo};
use crate::engine::{Controller, Engine};
use crate::tui::app::{App, RoomSettings, Source};
use crate::tui::glyphs::Glyphs;
use crate::tui::look::Look;
use crate::tui::msg::{Msg, RecordingNews};
use crate::tui::terminal::{self, EnterError, TerminalGuard};
use crate::tui::{input, signals};
use std::cell::RefCell;
use std::sync::mpsc;
use std::time::Instant;

/// How one session on the terminal ended.
enum Ended {
    Done(Outcome),
    /// The user picked another scenario; the terminal is still in UI state and the presenter's
    /// settings carry over.
    Switch {
        pick: crate::demo::Pick,
        lesson: Box<crate::demo::Lesson>,
        guard: TerminalGuard,
        room: RoomSettings,
    },
}

/// The running source of events, stopped when the session ends.
enum Running {
    Engine(Engine),
    Player,
    Trace(TraceFeed),
}

/// Runs sessions on one terminal until the user quits: the first as `start` says, then each
/// scenario picked in the UI, looking as `look` says (chosen once, like the glyphs).
pub(super) fn run(start: Start, look: &Look) -> Outcome {
    run_in(start, RoomSettings::default(), look)
}

/// [`run`], with the room set up so from the start (`--loop`, `--present`).
pub(super) fn run_in(start: Start, room: RoomSettings, look: &Look) -> Outcome {
    // Read before the terminal changes anything: the locale says which characters it shows.
    let glyphs = Glyphs::from_env();
    // crossterm drops colour codes by itself when NO_COLOR is set; the choice made at start
    // (`--color always` included) is the one that holds.
    crossterm::style::Colored::set_ansi_color_disabled(!look.colour);
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
    let mut next = (guard, start, room);
    loop {
        let (guard, start, room) = next;
        match run_one(guard, (glyphs, look), start, room) {
            Ended::Done(outcome) => return outcome,
            Ended::Switch { pick, lesson, guard, room } => {
                let repeat = if room.kiosk { Repeat::Forever } else { Repeat::Once };
                let lang = look.lang.tag();
                let scenario =
                    crate::demo::play_in(lang, &lesson, Tempo::Room, repeat, Target::Own);
                next = (guard, demo_start(scenario, Some(pick)), room);
            }
        }
    }
}

/// One session: its source of events, input and signal threads, app and loop, on a terminal
/// already in UI state. Everything but the terminal ends with it, the recording included.
fn run_one(
    mut guard: TerminalGuard,
    (glyphs, look): (Glyphs, &Look),
    start: Start,
    room: RoomSettings,
) -> Ended {
    let (msgs_tx, msgs) = mpsc::channel::<Msg>();
    let (outbox, credits) = sink::Outbox::new(msgs_tx.clone());
    // The session clock starts with the engine; ticks are measured from here.
    let clock_origin = Instant::now();
    let (source, trace_output) = match &start.feed {
        Feed::Live { .. } => (Source::Live, None),
        Feed::Replay { .. } => (Source::Replay, None),
        Feed::Trace { target, settings } => {
            (Source::Trace, Some(super::tracing::output_text(target, &settings.stdio)))
        }
    };
    let (running, player) = match start_feed(start.feed, outbox, clock_origin) {
        Ok(started) => started,
        Err(err) => {
            drop(guard);
            terminal::say(format_args!("error: {err}"));
            return Ended::Done(Outcome::Failed);
        }
    };
    let threads = input::start(msgs_tx.clone())
        .and_then(|input| Ok((input, signals::watch(msgs_tx.clone())?)));
    let (input, signal_watch) = match threads {
        Ok(threads) => threads,
        Err(err) => {
            drop(guard);
            terminal::say(format_args!("error: cannot start the UI threads: {err}"));
            drop((msgs, credits, player));
            running.stop();
            return Ended::Done(Outcome::Failed);
        }
    };
    let verdict = start.verdict;
    let mut app = App::new(start.session, start.mode, source);
    if let Some(output) = trace_output {
        app.set_trace_output(output);
    }
    let (lang, lang_warning) = look.lang_shown(glyphs);
    app.set_warnings(start.warnings.into_iter().chain(lang_warning).collect());
    let (mut recording, recording_path) = start.recording;
    recording.tell(msgs_tx.clone());
    app.set_recording(recording_path);
    // A demo is a lesson: its text beside the panels, and surprising results explained.
    app.set_why_notes(look.why_notes_at_start(start.driver.is_some()));
    app.set_lang(lang);
    app.set_keymap(look.keymap.clone());
    if let Some(lesson) = start.driver.as_ref().and_then(|driver| driver.lesson_text()) {
        app.set_lesson(lesson);
    }
    if let Some(pick) = start.pick {
        app.set_running_scenario(pick);
    }
    app.apply_room_settings(room);
    let context = event_loop::Context {
        engine: running.controller(),
        player,
        recording: RefCell::new(recording),
        msgs_tx,
        clock_origin,
        driver: RefCell::new(start.driver),
        glyphs,
        look: look.clone(),
    };
    let result = event_loop::run(&mut app, &mut guard.terminal, &msgs, &credits, &context);
    // Stop reading the terminal, give it back (kept when another scenario follows), then let
    // the engine go: with the receivers gone, an engine (or player) waiting for room in the
    // channel stops instead of waiting forever. `stop` returns once its thread has closed
    // every socket. The recording is closed last, with everything the UI applied.
    drop(input);
    let kept = if let Ok(Ending::Switch(..)) = result {
        Some(guard)
    } else {
        drop(guard);
        None
    };
    drop(signal_watch);
    drop((msgs, credits));
    let recording = context.recording.take();
    drop(context);
    running.stop();
    let closed = close_recording(recording);
    match (result, kept) {
        (Ok(Ending::Switch(pick, lesson)), Some(guard)) => {
            Ended::Switch { pick, lesson, guard, room: app.room_settings() }
        }
        (Ok(_), _) if closed == Outcome::Quit => Ended::Done(verdict.judge(app.session())),
        (Ok(_), _) => Ended::Done(closed),
        // The terminal went away (its window closed) before the hangup signal came: as normal
        // an end as the signal.
        (Err(err), _) if terminal::is_gone(&err) => Ended::Done(closed),
        (Err(err), _) => {
            terminal::say(format_args!("error: drawing the terminal UI failed: {err}"));
            Ended::Done(Outcome::Failed)
        }
    }
}

/// Starts the engine (sending it its first commands), the replay player or the tracer.
fn start_feed(
    feed: Feed,
    outbox: sink::Outbox,
    origin: Instant,
) -> Result<(Running, Option<Player>), String> {
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
        Feed::Trace { target, settings } => {
            let feed = TraceFeed::start(target, settings, outbox, origin)
                .map_err(|err| format!("cannot start the tracer: {err}"))?;
            Ok((Running::Trace(feed), None))
        }
    }
}

impl Running {
    fn controller(&self) -> Option<Controller> {
        match self {
            Self::Engine(engine) => Some(engine.controller()),
            Self::Player | Self::Trace(_) => None,
        }
    }

    fn stop(self) {
        match self {
            Self::Engine(engine) => engine.stop(),
            Self::Trace(feed) => feed.stop(),
            Self::Player => {}
        }
    }
}

/// Closes a recording still running at the end. A recording that failed, while the session
/// ran or in closing, is an error (exit 1), said on the terminal the UI has given back. (A
/// recording still running when the user picks another scenario is closed the same way; the
/// new session is not recorded.)
fn close_recording(mut recording: Recording) -> Outcome {
    let failed = match recording.stop() {
        Some(
            RecordingNews::Finished { path, result: Err(err) }
            | RecordingNews::Failed { path, error: err },
        ) => Some((path, err)),
        _ => None,
    };
    match failed.or_else(|| recording.failure()) {
        Some((path, err)) => {
            terminal::say(format_args!("error: recording {}: {err}", path.display()));
            Outcome::Failed
        }
        None => Outcome::Quit,
    }
}
