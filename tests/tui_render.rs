//! Whole-frame rendering on ratatui's `TestBackend`: every size (0×0 included) draws without
//! panicking, a small terminal gets the "too small" notice, and the frame holds what the shell
//! promises (panel slots, status bar, footer hints, overlays).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sockscope::event::{Address, ConnId, Event, EventKind};
use sockscope::session::Session;
use sockscope::tui::{App, Mode, Msg, Source, view};

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

/// A session with a listener on every interface (#1) and one accepted client (#2), at fixed
/// addresses and times so the frame is the same on every run.
fn app() -> App {
    let mut app = App::new(Session::default(), Mode::Auto, Source::Live);
    let events = vec![
        Event::session_start(),
        Event { kind: EventKind::Listen { conn: ConnId(1), local: ip("0.0.0.0:9000") }, t_us: 5 },
        Event {
            kind: EventKind::Accept {
                conn: ConnId(2),
                listener: ConnId(1),
                local: ip("127.0.0.1:9000"),
                peer: ip("127.0.0.1:40000"),
            },
            t_us: 9,
        },
    ];
    app.update(Msg::Engine(events));
    app
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Draws `app` at `width` × `height` and returns the screen as lines of text.
fn render(app: &mut App, width: u16, height: u16) -> Vec<String> {
    app.update(Msg::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|frame| view::draw(frame, app)).expect("draw");
    let buffer = terminal.backend().buffer();
    (0..height).map(|y| (0..width).map(|x| buffer[(x, y)].symbol().to_string()).collect()).collect()
}

fn screen(lines: &[String]) -> String {
    lines.join("\n")
}

#[test]
fn full_frame_at_80_by_24() {
    let mut app = app();
    let lines = render(&mut app, 80, 24);
    let text = screen(&lines);
    for expected in ["Connections", "Readiness", "Calls", "Data (text)", "Inspector", "AUTO"] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    assert!(lines[0].contains("warning: #1 on all interfaces (0.0.0.0:9000)"), "{text}");
    assert!(lines[23].contains("? help"), "footer hints:\n{text}");
    insta::assert_snapshot!("frame_80x24", text);
}

#[test]
fn small_terminals_get_a_notice() {
    let mut app = app();
    let text = screen(&render(&mut app, 20, 5));
    assert!(text.contains("terminal too"), "{text}");
    assert!(text.contains("60×16"), "{text}");
    assert!(!text.contains("Connections"), "{text}");
    let text = screen(&render(&mut app, 59, 40));
    assert!(text.contains("terminal too small"), "{text}");
    let text = screen(&render(&mut app, 60, 16));
    assert!(text.contains("Connections"), "{text}");
}

#[test]
fn zero_by_zero_draws_nothing_and_survives() {
    let mut app = app();
    assert!(render(&mut app, 0, 0).is_empty());
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("Connections"), "back to normal:\n{text}");
}

#[test]
fn no_size_and_no_overlay_panics() {
    let widths = [0, 1, 2, 5, 10, 20, 39, 59, 60, 61, 80, 120, 250];
    let heights = [0, 1, 2, 3, 4, 5, 10, 15, 16, 17, 24, 40, 100];
    let overlays: [&dyn Fn(&mut App); 8] = [
        &|_| {},
        &|app| press(app, KeyCode::Char('?')),
        &|app| {
            press(app, KeyCode::Char(':'));
            type_text(app, &"send a long line that does not fit ".repeat(10));
        },
        &|app| {
            press(app, KeyCode::Char('s'));
            type_text(app, "héllo wörld ✓ 漢字");
        },
        &|app| press(app, KeyCode::Char('S')),
        &|app| press(app, KeyCode::Char('X')),
        &|app| press(app, KeyCode::Char('D')),
        &|app| {
            press(app, KeyCode::Char(':'));
            type_text(app, "demo echo");
            press(app, KeyCode::Enter);
        },
    ];
    for open in overlays {
        let mut app = app();
        open(&mut app);
        for width in widths {
            for height in heights {
                render(&mut app, width, height);
            }
        }
    }
}

#[test]
fn help_lists_the_keymap() {
    let mut app = app();
    press(&mut app, KeyCode::Char('?'));
    let text = screen(&render(&mut app, 120, 200));
    for expected in ["select the next connection", "j, ↓", "Keys (Esc closes", ":listen ADDR"] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
}

#[test]
fn prompts_and_confirmations_show_over_the_panels() {
    let mut app = app();
    press(&mut app, KeyCode::Char('s'));
    type_text(&mut app, r"GET /\r\n");
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("Send text to #2"), "{text}");
    assert!(text.contains(r"> GET /\r\n"), "{text}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('X'));
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("Reset #2?"), "{text}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "listen 9001");
    let lines = render(&mut app, 80, 24);
    assert!(lines[23].starts_with(":listen 9001"), "{}", screen(&lines));
}
