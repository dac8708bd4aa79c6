//! Whole screens for the terminals sockscope must work on, on ratatui's `TestBackend`:
//!
//! - a non-UTF-8 locale: every cell is printable ASCII, borders are `+ - |`, and non-ASCII
//!   peer text shows as escapes;
//! - a 16-colour terminal: every cell's colours are among the 16 ANSI colours (or the
//!   terminal's default);
//! - resizing through 1×1 and back while events keep arriving never panics, and the panels
//!   come back.

use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use ratatui::text::Span;
use sockscope::event::{Address, ConnId, Event, EventKind as K, Readiness};
use sockscope::session::Session;
use sockscope::tui::glyphs::Glyphs;
use sockscope::tui::{Action, App, Mode, Msg, Source, view};

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

/// Bytes that are not ASCII, for the text and hex views.
const GREETING: &str = "grüße ✓ 漢字 €uro\n";

/// One poll round in which #2 received `data`.
fn round(n: u64, data: &[u8]) -> Vec<Event> {
    let ready = Readiness { round: n, readable: vec![ConnId(2)], ..Readiness::default() };
    let recv = K::Recv {
        conn: ConnId(2),
        max: 65536,
        len: data.len(),
        data: Bytes::copy_from_slice(data),
    };
    [K::Ready(ready), recv].into_iter().map(|kind| Event { kind, t_us: n * 1000 }).collect()
}

/// A listener on all interfaces (#1), a client (#2) that sent non-ASCII text, a sent reply.
fn app() -> App {
    let mut app = App::new(Session::default(), Mode::Auto, Source::Live);
    let mut events = vec![
        Event::session_start(),
        Event { kind: K::Listen { conn: ConnId(1), local: ip("0.0.0.0:9000") }, t_us: 5 },
        Event {
            kind: K::Accept {
                conn: ConnId(2),
                listener: ConnId(1),
                local: ip("127.0.0.1:9000"),
                peer: ip("127.0.0.1:40000"),
            },
            t_us: 9,
        },
    ];
    events.extend(round(1, GREETING.as_bytes()));
    let reply = b"HTTP/1.0 200 OK\r\n\r\n";
    let send = K::Send { conn: ConnId(2), requested: 19, len: 19, data: Bytes::from_static(reply) };
    events.push(Event { kind: send, t_us: 2000 });
    app.update(Msg::Engine(events));
    app.set_warnings(vec!["listening on all interfaces (0.0.0.0:9000): reachable".into()]);
    app
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &mut App, glyphs: Glyphs) -> Buffer {
    let area = terminal.size().expect("size");
    app.update(Msg::Resize { width: area.width, height: area.height });
    terminal.draw(|frame| view::draw_with(frame, app, glyphs)).expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as lines of text; the cell after a double-width character is not text.
fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let line = |y| {
        let mut line = String::new();
        let mut x = 0;
        while x < area.width {
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            x += u16::try_from(Span::raw(symbol).width().max(1)).unwrap_or(1);
        }
        line
    };
    (0..area.height).map(line).collect::<Vec<_>>().join("\n")
}

/// What a test does to the app before a screen is drawn.
type Step = dyn Fn(&mut App);

/// Each screen worth checking: the main view in text and hex, the help, a prompt holding
/// typed non-ASCII text, the reset confirmation.
fn screens(glyphs: Glyphs) -> Vec<(&'static str, Buffer)> {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    let steps: [(&'static str, &Step); 5] = [
        ("text view", &|_| {}),
        ("hex view", &|app| {
            app.perform(Action::FocusNextPanel);
            app.perform(Action::FocusNextPanel);
            app.perform(Action::FocusNextPanel);
            app.perform(Action::ToggleDataView);
        }),
        ("help", &|app| press(app, KeyCode::Char('?'))),
        ("prompt", &|app| {
            press(app, KeyCode::Char('s'));
            for c in "héllo ✓ 漢字".chars() {
                press(app, KeyCode::Char(c));
            }
        }),
        ("confirmation", &|app| press(app, KeyCode::Char('X'))),
    ];
    steps
        .into_iter()
        .map(|(name, step)| {
            let mut app = app();
            step(&mut app);
            (name, draw(&mut terminal, &mut app, glyphs))
        })
        .collect()
}

#[test]
fn ascii_terminals_get_ascii_screens() {
    let unicode = screens(Glyphs::Unicode);
    for ((name, buffer), (_, unicode)) in screens(Glyphs::Ascii).into_iter().zip(unicode) {
        let screen = text(&buffer);
        let bad = screen.chars().find(|&c| c != '\n' && !(c.is_ascii_graphic() || c == ' '));
        assert_eq!(bad, None, "{name}:\n{screen}");
        let unknown = |screen: &str| screen.matches('?').count();
        if name != "prompt" {
            let expected = unknown(&text(&unicode));
            assert_eq!(unknown(&screen), expected, "no glyph without a substitute:\n{screen}");
        }
        if name == "text view" {
            assert!(screen.contains("+ Connections ---"), "ASCII borders:\n{screen}");
            // Escaped to ASCII and wrapped, never cut: the row after starts at offset 0xc.
            assert!(screen.contains(r"<0000 gr\u{fc}\u{df}e \u{2713}"), "escaped:\n{screen}");
            assert!(screen.contains(r"<000c \u{6f22}\u{5b57} \u{20ac}uro"), "wrapped:\n{screen}");
            assert!(screen.contains("| 1 open"), "the status bar's separator:\n{screen}");
        }
        if name == "help" {
            assert!(screen.contains("j, Down"), "arrow keys by name:\n{screen}");
        }
        if name == "prompt" {
            assert!(screen.contains("> h?llo ? ??"), "typed text, one cell a character:\n{screen}");
        }
    }
}

#[test]
fn utf8_terminals_keep_their_glyphs() {
    let screens = screens(Glyphs::Unicode);
    let screen = text(&screens[0].1);
    assert!(screen.contains("┌ Connections ─"), "{screen}");
    assert!(screen.contains("<0000 grüße ✓ 漢字 €uro\\n"), "{screen}");
}

#[test]
fn every_colour_is_one_of_the_sixteen() {
    let ansi = [
        Color::Reset,
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    let mut seen = Vec::new();
    for glyphs in [Glyphs::Unicode, Glyphs::Ascii] {
        for (name, buffer) in screens(glyphs) {
            for (index, cell) in buffer.content.iter().enumerate() {
                for colour in [cell.fg, cell.bg, cell.underline_color] {
                    let (x, y) = buffer.pos_of(index);
                    assert!(ansi.contains(&colour), "{name}: {colour:?} at {x},{y}");
                    if !seen.contains(&colour) {
                        seen.push(colour);
                    }
                }
            }
        }
    }
    // The screens do use colour: the check saw more than the default.
    assert!(seen.len() > 5, "colours seen: {seen:?}");
}

/// Every size from 1×1 up and back down, with a poll round of data before each frame, on
/// one terminal (so ratatui's own resizing runs too); then the panels are back.
#[test]
fn resizing_through_one_by_one_while_data_flows_never_panics() {
    let mut app = app();
    let mut terminal = Terminal::new(TestBackend::new(1, 1)).expect("test terminal");
    let mut sizes: Vec<(u16, u16)> = Vec::new();
    for height in 1..=18 {
        sizes.extend((1..=64).map(|width| (width, height)));
    }
    sizes.extend((1..=50).map(|step| (step * 3, step)));
    sizes.extend(sizes.clone().into_iter().rev());
    sizes.extend([(1, 1), (120, 40), (1, 1), (0, 0), (2, 1), (1, 2), (120, 40)]);
    let mut round_number = 2;
    for (width, height) in sizes {
        app.update(Msg::Engine(round(round_number, b"more bytes \xe2\x9c\x93\x1b[6n\n")));
        round_number += 1;
        terminal.backend_mut().resize(width, height);
        let glyphs = if round_number % 2 == 0 { Glyphs::Unicode } else { Glyphs::Ascii };
        draw(&mut terminal, &mut app, glyphs);
    }
    let screen = text(&draw(&mut terminal, &mut app, Glyphs::Unicode));
    assert!(screen.contains("Connections") && screen.contains("Data (text)"), "{screen}");
    assert!(screen.contains(r"more bytes ✓\x1b[6n\n"), "the latest data is drawn:\n{screen}");
    assert_eq!(app.size(), (120, 40));
}
