//! The status bar's warnings on ratatui's `TestBackend`: a warning set for the run stays for
//! the whole run (status messages expire, warnings do not), is cut with an ellipsis when the
//! line is too short, leaves a status message room, and is not repeated by the warning about
//! the open listener it already names.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sockscope::cli::warnings::all_interfaces_warning;
use sockscope::event::{Address, ConnId, Event, EventKind};
use sockscope::session::Session;
use sockscope::tui::glyphs::Glyphs;
use sockscope::tui::{App, Mode, Msg, Source, view};

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

/// A UI started as `sockscope listen ADDR`, its listener (#1) open on `addr`.
fn listening_on(addr: &str) -> App {
    let mut app = App::new(Session::default(), Mode::Auto, Source::Live);
    app.set_warnings(all_interfaces_warning(&ip(addr)).into_iter().collect());
    let listen = EventKind::Listen { conn: ConnId(1), local: ip(addr) };
    app.update(Msg::Engine(vec![Event::session_start(), Event { kind: listen, t_us: 5 }]));
    app
}

/// The status bar (first line) of `app` drawn `width` cells wide.
fn status_bar(app: &mut App, width: u16, glyphs: Glyphs) -> String {
    app.update(Msg::Resize { width, height: 24 });
    let mut terminal = Terminal::new(TestBackend::new(width, 24)).expect("test terminal");
    terminal.draw(|frame| view::draw_with(frame, app, glyphs)).expect("draw");
    let buffer = terminal.backend().buffer();
    (0..width).map(|x| buffer[(x, 0)].symbol().to_string()).collect()
}

fn run_command(app: &mut App, line: &str) {
    let press = |app: &mut App, code| app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    press(app, KeyCode::Char(':'));
    for c in line.chars() {
        press(app, KeyCode::Char(c));
    }
    press(app, KeyCode::Enter);
}

#[test]
fn the_run_warning_stays_for_the_whole_run() {
    let mut app = listening_on("0.0.0.0:9000");
    let warning =
        "warning: listening on all interfaces (0.0.0.0:9000): reachable from other machines";
    let bar = status_bar(&mut app, 160, Glyphs::Unicode);
    assert!(bar.contains(warning), "{bar}");
    assert!(!bar.contains("#1 on all interfaces"), "said once, not twice: {bar}");
    run_command(&mut app, "nonsense");
    assert!(app.status().is_some(), "an error message is shown");
    // An hour later the message has expired; the warning has not.
    app.update(Msg::Tick { now_us: 3_600_000_000 });
    assert!(app.status().is_none());
    let bar = status_bar(&mut app, 160, Glyphs::Unicode);
    assert!(bar.contains(warning), "{bar}");
}

#[test]
fn a_listener_the_run_warning_does_not_name_gets_its_own() {
    // Port 0 on the command line: the listener's real port is only known once it is open.
    let mut app = listening_on("0.0.0.0:0");
    let listen = EventKind::Listen { conn: ConnId(2), local: ip("[::]:9001") };
    app.update(Msg::Engine(vec![Event { kind: listen, t_us: 9 }]));
    let bar = status_bar(&mut app, 250, Glyphs::Unicode);
    assert!(bar.contains("warning: listening on all interfaces (0.0.0.0:0)"), "{bar}");
    assert!(bar.contains("warning: #2 on all interfaces ([::]:9001)"), "{bar}");
}

#[test]
fn a_long_warning_is_cut_with_an_ellipsis_and_leaves_room_for_messages() {
    let mut app = listening_on("0.0.0.0:9000");
    // Opening the listener left a status message: it keeps a quarter of the line.
    let bar = status_bar(&mut app, 80, Glyphs::Unicode);
    assert!(bar.starts_with(" AUTO  live  warning: listening on all interfaces"), "{bar}");
    let (_, message) = bar.split_once('…').unwrap_or_else(|| panic!("cut with an ellipsis: {bar}"));
    assert!(message.trim().starts_with("#1 listening on"), "{bar}");
    assert!(message.trim().len() >= 15, "{bar}");

    app.update(Msg::Tick { now_us: 3_600_000_000 });
    let bar = status_bar(&mut app, 80, Glyphs::Unicode);
    assert!(bar.contains("all interfaces (0.0.0.0:9000): reachable"), "{bar}");
    assert!(bar.trim_end().ends_with('…'), "the whole line for the warning, cut: {bar}");
    let bar = status_bar(&mut app, 80, Glyphs::Ascii);
    assert!(bar.trim_end().ends_with("..."), "cut with the ASCII ellipsis: {bar}");
    assert!(bar.is_ascii(), "{bar}");
}

#[test]
fn loopback_listeners_have_no_warning() {
    let mut app = listening_on("127.0.0.1:9000");
    assert!(app.warnings().is_empty());
    let bar = status_bar(&mut app, 160, Glyphs::Unicode);
    assert!(!bar.contains("warning"), "{bar}");
}
