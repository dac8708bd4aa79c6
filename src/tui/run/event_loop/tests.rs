use super::*;
use crate::engine::{Engine, EngineConfig};
use crate::event::{ConnId, Event, EventKind};
use crate::tui::app::{Mode, Source};
use crate::tui::model;
use crate::tui::run::sink::{ENGINE_BACKLOG, UiSink};
use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use std::sync::mpsc;

/// A real (idle) engine for the loop to send commands to, and the loop's context.
fn context() -> (Engine, Context, Receiver<Msg>, Credits) {
    let (msgs_tx, msgs) = mpsc::channel();
    let (sink, credits) = UiSink::new(msgs_tx.clone());
    let engine = Engine::start(EngineConfig::default(), sink).expect("engine starts");
    let context = Context {
        engine: Some(engine.controller()),
        player: None,
        recording: std::cell::RefCell::default(),
        msgs_tx,
        clock_origin: Instant::now(),
        driver: std::cell::RefCell::new(None),
        glyphs: crate::tui::glyphs::Glyphs::Unicode,
        look: crate::tui::Look::default(),
    };
    (engine, context, msgs, credits)
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// A full engine batch of received bytes on a connection nobody opened (the model ignores it).
fn flood_batch() -> Msg {
    let data = Bytes::from(vec![b'x'; 4096]);
    let recv = |t_us| Event {
        kind: EventKind::Recv { conn: ConnId(99), max: 4096, len: 4096, data: data.clone() },
        t_us,
    };
    Msg::Engine((0..256).map(recv).collect())
}

#[test]
fn a_key_behind_a_flood_is_handled_and_quits() {
    let (engine, context, msgs, credits) = context();
    for _ in 0..ENGINE_BACKLOG {
        context.msgs_tx.send(flood_batch()).expect("queued");
    }
    context.msgs_tx.send(key('?')).expect("queued");
    context.msgs_tx.send(key('q')).expect("queued");
    // Help is open, so this `q` closes it; the next one quits.
    context.msgs_tx.send(key('q')).expect("queued");
    let mut app = App::new(model::new_session(), Mode::Auto, Source::Live);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    assert!(matches!(run(&mut app, &mut terminal, &msgs, &credits, &context), Ok(Ending::Quit)));
    let screen = format!("{:?}", terminal.backend().buffer());
    assert!(screen.contains("Connections"), "a frame was drawn:\n{screen}");
    drop((msgs, credits, context));
    engine.stop();
}

#[test]
fn choosing_a_scenario_ends_the_loop_with_a_switch_to_it() {
    let (engine, context, msgs, credits) = context();
    let enter = Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    for msg in [key('D'), key('j'), enter, key('q')] {
        context.msgs_tx.send(msg).expect("queued");
    }
    let mut app = App::new(model::new_session(), Mode::Auto, Source::Live);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    let ending = run(&mut app, &mut terminal, &msgs, &credits, &context);
    let switched_to = match ending {
        Ok(Ending::Switch(pick, _)) => Some(pick),
        _ => None,
    };
    assert_eq!(switched_to, Some(crate::demo::Pick::BuiltIn(crate::demo::scenarios()[1].name)));
    assert!(msgs.try_recv().is_ok(), "the loop stopped at the switch; the q is left unread");
    drop((msgs, credits, context));
    engine.stop();
}

#[test]
fn the_loop_ends_when_every_sender_is_gone() {
    let (engine, context, msgs, credits) = context();
    // The loop's own sender goes; the engine's sink (the last sender) goes with the engine.
    let Context {
        engine: controller,
        player,
        recording,
        msgs_tx,
        clock_origin,
        driver,
        glyphs,
        look,
    } = context;
    drop(msgs_tx);
    engine.stop();
    let msgs_tx = mpsc::channel().0;
    let context = Context {
        engine: controller,
        player,
        recording,
        msgs_tx,
        clock_origin,
        driver,
        glyphs,
        look,
    };
    let mut app = App::new(model::new_session(), Mode::Auto, Source::Live);
    let mut terminal = Terminal::new(TestBackend::new(0, 0)).expect("test terminal");
    assert!(matches!(run(&mut app, &mut terminal, &msgs, &credits, &context), Ok(Ending::Quit)));
    assert!(app.status().is_some_and(|s| s.text.contains("engine has stopped")));
}

/// Frames every accepted connection by lines, as a scenario that asks per connection does.
#[derive(Debug, Default)]
struct FramesAccepted {
    asked: Vec<crate::demo::SetFraming>,
}

impl Scenario for FramesAccepted {
    fn name(&self) -> &'static str {
        "frames-accepted"
    }
    fn engine_config(&self, base: EngineConfig) -> EngineConfig {
        base
    }
    fn framing(&self) -> crate::framing::Spec {
        crate::framing::Spec::Raw
    }
    fn tick(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn start(&mut self) -> Vec<crate::event::Command> {
        Vec::new()
    }
    fn on_event(&mut self, event: &Event) -> Vec<crate::event::Command> {
        if let EventKind::Accept { conn, .. } = event.kind {
            self.asked.push(crate::demo::SetFraming { conn, spec: crate::framing::Spec::Line });
        }
        Vec::new()
    }
    fn on_tick(&mut self, _now_us: u64) -> Vec<crate::event::Command> {
        Vec::new()
    }
    fn is_finished(&self) -> bool {
        false
    }
    fn take_framings(&mut self) -> Vec<crate::demo::SetFraming> {
        std::mem::take(&mut self.asked)
    }
}

#[test]
fn a_scenario_frames_a_connection_that_its_own_batch_creates() {
    let (engine, mut context, msgs, credits) = context();
    context.driver = RefCell::new(Some(Box::new(FramesAccepted::default())));
    let addr = |text: &str| crate::event::Address::Ip(text.parse().expect("address"));
    let kinds = [
        EventKind::Listen { conn: ConnId(1), local: addr("127.0.0.1:7000") },
        EventKind::Accept {
            conn: ConnId(2),
            listener: ConnId(1),
            local: addr("127.0.0.1:7000"),
            peer: addr("127.0.0.1:40000"),
        },
        EventKind::Recv {
            conn: ConnId(2),
            max: 4096,
            len: 8,
            data: Bytes::from_static(b"one\ntwo\n"),
        },
    ];
    let mut batch = vec![Event::session_start()];
    batch.extend(kinds.into_iter().zip(1..).map(|(kind, t_us)| Event { kind, t_us }));
    let mut app = App::new(model::new_session(), Mode::Auto, Source::Live);
    assert!(matches!(handle(&mut app, Msg::Engine(batch), &credits, &context), Flow::Continue));
    assert_eq!(app.session().framing_of(ConnId(2)), Some(&crate::framing::Spec::Line));
    drop((msgs, credits, context));
    engine.stop();
}

#[test]
fn copied_files_are_private_new_files_that_never_follow_a_link() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("copy.txt");
    assert_eq!(write_new_file(&path, b"b'hi'").expect("written"), 5);
    assert_eq!(std::fs::read(&path).expect("read back"), b"b'hi'");
    let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let again = write_new_file(&path, b"other").expect_err("an existing file is kept");
    assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read(&path).expect("read back"), b"b'hi'", "nothing overwritten");
    let target = dir.path().join("target");
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    write_new_file(&link, b"x").expect_err("a dangling link is not followed");
    assert!(!target.exists(), "nothing was created through the link");
}

/// Sends 55 KiB on every accepted connection, as the partial-send scenario does.
#[derive(Debug, Default)]
struct SendsOnAccept;

/// What [`SendsOnAccept`] sends.
const BULK: usize = 55 << 10;

impl Scenario for SendsOnAccept {
    fn name(&self) -> &'static str {
        "sends-on-accept"
    }
    fn engine_config(&self, base: EngineConfig) -> EngineConfig {
        base
    }
    fn framing(&self) -> crate::framing::Spec {
        crate::framing::Spec::Raw
    }
    fn tick(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn start(&mut self) -> Vec<crate::event::Command> {
        Vec::new()
    }
    fn on_event(&mut self, event: &Event) -> Vec<crate::event::Command> {
        match event.kind {
            EventKind::Accept { conn, .. } => {
                vec![crate::event::Command::Send { conn, data: Bytes::from(vec![b'x'; BULK]) }]
            }
            _ => Vec::new(),
        }
    }
    fn on_tick(&mut self, _now_us: u64) -> Vec<crate::event::Command> {
        Vec::new()
    }
    fn is_finished(&self) -> bool {
        false
    }
    fn take_framings(&mut self) -> Vec<crate::demo::SetFraming> {
        Vec::new()
    }
}

fn listen_and_accept() -> Msg {
    let addr = |text: &str| crate::event::Address::Ip(text.parse().expect("address"));
    let kinds = [
        EventKind::Listen { conn: ConnId(1), local: addr("127.0.0.1:7000") },
        EventKind::Accept {
            conn: ConnId(2),
            listener: ConnId(1),
            local: addr("127.0.0.1:7000"),
            peer: addr("127.0.0.1:40000"),
        },
    ];
    let mut batch = vec![Event::session_start()];
    batch.extend(kinds.into_iter().zip(1..).map(|(kind, t_us)| Event { kind, t_us }));
    Msg::Engine(batch)
}

/// Bytes a scenario asks to send wait in the queue like the user's (the Queue column showed
/// `-` while the partial-send scenario's 55 KiB waited).
#[test]
fn a_scenarios_sends_count_as_queued() {
    let (engine, mut context, msgs, credits) = context();
    context.driver = RefCell::new(Some(Box::new(SendsOnAccept)));
    let mut app = App::new(model::new_session(), Mode::Auto, Source::Live);
    assert!(matches!(handle(&mut app, listen_and_accept(), &credits, &context), Flow::Continue));
    let queued = app.session().connection(ConnId(2)).map(|conn| conn.queued);
    assert_eq!(queued, Some(BULK as u64));
    drop((msgs, credits, context));
    engine.stop();
}

/// Types `:LINE` and Enter through the loop's own handling.
fn typed_command(app: &mut App, line: &str, credits: &Credits, context: &Context) {
    for c in std::iter::once(':').chain(line.chars()) {
        handle(app, key(c), credits, context);
    }
    let enter = Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    handle(app, enter, credits, context);
}

fn status(app: &App) -> String {
    app.status().map(|status| status.text.clone()).unwrap_or_default()
}

/// The UI never overwrites (it has no `--force`): a name that exists is refused with what to
/// do, for `:record` (Ctrl-R) and for `:copy` alike.
#[test]
fn writing_onto_an_existing_file_says_to_choose_another_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let taken = dir.path().join("taken");
    std::fs::write(&taken, b"keep").expect("written");
    let (engine, context, msgs, credits) = context();
    let mut app = App::new(model::new_session(), Mode::Auto, Source::Live);
    app.update(Msg::Resize { width: 120, height: 40 });
    handle(&mut app, listen_and_accept(), &credits, &context);
    let name = taken.to_str().expect("utf-8 path");
    typed_command(&mut app, &format!("record {name}"), &credits, &context);
    let expected = format!("{name} exists: choose another name (the UI never overwrites)");
    assert_eq!(status(&app), expected);
    let data = Bytes::from_static(b"hello");
    let recv = EventKind::Recv { conn: ConnId(2), max: 4096, len: 5, data };
    handle(&mut app, Msg::Engine(vec![Event { kind: recv, t_us: 5 }]), &credits, &context);
    while app.focus() != crate::tui::Panel::Data {
        app.perform(crate::tui::Action::FocusNextPanel);
    }
    for c in ['h', 'v', 'h'] {
        handle(&mut app, key(c), &credits, &context);
    }
    typed_command(&mut app, &format!("copy hex {name}"), &credits, &context);
    assert_eq!(status(&app), expected);
    assert_eq!(std::fs::read(&taken).expect("read back"), b"keep");
    drop((msgs, credits, context));
    engine.stop();
}
