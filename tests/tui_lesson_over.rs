//! Once, then still: a lesson that has run to its end says so and `r` runs it again (also in
//! manual mode); the selection stays where the person put it when a new socket appears.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sockscope::demo::Pick;
use sockscope::event::{Address, ConnId, Event, EventKind as K};
use sockscope::tui::{App, Effect, Mode, Msg, Source, view};

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn accept(conn: u64, port: u16) -> K {
    K::Accept {
        conn: ConnId(conn),
        listener: ConnId(1),
        local: ip("127.0.0.1:9000"),
        peer: ip(&format!("127.0.0.1:{port}")),
    }
}

fn batch(app: &mut App, kinds: Vec<K>) {
    let events = kinds.into_iter().map(|kind| Event { kind, t_us: 1000 }).collect();
    app.update(Msg::Engine(events));
}

/// The `byte-order` demo with its connection (#2) and four bytes received on it.
fn demo(mode: Mode) -> App {
    let session = sockscope::session::Session::default();
    let mut app = App::new(session, mode, Source::Live);
    app.update(Msg::Resize { width: 120, height: 40 });
    app.set_running_scenario(Pick::BuiltIn("byte-order"));
    app.update(Msg::Engine(vec![Event::session_start()]));
    let data = bytes::Bytes::from_static(&[0xc0, 0xa8, 0x00, 0x01]);
    batch(
        &mut app,
        vec![
            K::Listen { conn: ConnId(1), local: ip("127.0.0.1:9000") },
            accept(2, 50_000),
            K::Recv { conn: ConnId(2), max: 4096, len: 4, data },
        ],
    );
    app
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    terminal.draw(|frame| view::draw(frame, app)).expect("draw");
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    let cells: Vec<&str> = buffer.content.iter().map(ratatui::buffer::Cell::symbol).collect();
    cells.chunks(width).map(<[&str]>::concat).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_finished_lesson_says_so_and_r_runs_it_again() {
    for mode in [Mode::Auto, Mode::Manual] {
        let mut app = demo(mode);
        assert!(!screen(&app).contains("lesson over"));
        app.update(Msg::LessonOver);
        assert!(screen(&app).contains("lesson over: r runs it again"), "{mode:?}");
        let effects = key(&mut app, KeyCode::Char('r'));
        assert_eq!(effects, [Effect::StartScenario(Pick::BuiltIn("byte-order"))], "{mode:?}");
    }
}

#[test]
fn r_before_the_end_does_not_restart_the_lesson() {
    let mut app = demo(Mode::Auto);
    assert!(key(&mut app, KeyCode::Char('r')).is_empty());
}

#[test]
fn a_new_socket_does_not_take_the_selection_the_person_is_looking_at() {
    let mut app = demo(Mode::Auto);
    assert_eq!(app.selected(), Some(ConnId(2)));
    // The person moves to the Data panel and puts the cursor on the bytes.
    while app.focus() != sockscope::tui::Panel::Data {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Right);
    batch(&mut app, vec![accept(3, 50_001)]);
    assert_eq!(app.selected(), Some(ConnId(2)), "the new socket must not take the selection");
}

#[test]
fn without_a_closer_look_the_selection_follows_new_sockets() {
    let mut app = demo(Mode::Auto);
    batch(&mut app, vec![accept(3, 50_001)]);
    assert_eq!(app.selected(), Some(ConnId(3)));
}

/// A lesson that stopped early (a step waited for what never came) says why in the status
/// line, on one line, and `r` still runs it again.
#[test]
fn a_lesson_that_stopped_early_says_why() {
    let mut app = demo(Mode::Auto);
    app.update(Msg::LessonOver);
    let report = "step 4 (line 31): waiting on client 0 for EOF\n  came: nothing\n  then: ...";
    app.update(Msg::LessonStopped(report.into()));
    let status = app.status().expect("a status message");
    assert_eq!(status.level, sockscope::tui::Level::Error);
    assert!(status.text.starts_with("lesson stopped: step 4 (line 31)"), "{}", status.text);
    assert!(!status.text.contains('\n'), "{}", status.text);
    let effects = key(&mut app, KeyCode::Char('r'));
    assert_eq!(effects, [Effect::StartScenario(Pick::BuiltIn("byte-order"))]);
}
