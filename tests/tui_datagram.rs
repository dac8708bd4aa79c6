//! Datagram sockets in the terminal UI, on ratatui's `TestBackend`: each datagram is a message
//! of its own, and one that arrived cut short says what was lost, in the warning style and in
//! ASCII on an ASCII terminal.

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use sockscope::event::{Address, ConnId, Event, EventKind as K};
use sockscope::session::{Session, SessionConfig};
use sockscope::tui::glyphs::Glyphs;
use sockscope::tui::render_context::RenderContext;
use sockscope::tui::theme::Theme;
use sockscope::tui::{Action, App, Mode, Msg, Panel, Source, panels, view};

fn udp(text: &str) -> Address {
    Address::Udp(text.parse().expect("test address"))
}

fn recvfrom(peer: &str, max: usize, data: &[u8], truncated: Option<usize>) -> K {
    let data = Bytes::copy_from_slice(data);
    K::RecvFrom { conn: ConnId(1), peer: udp(peer), max, len: data.len(), data, truncated }
}

fn sendto(peer: &str, data: &[u8]) -> K {
    let data = Bytes::copy_from_slice(data);
    K::SendTo { conn: ConnId(1), peer: udp(peer), requested: data.len(), len: data.len(), data }
}

/// `listen udp:127.0.0.1:9000` with a 16-byte buffer: three datagrams from one peer (the
/// second 40 bytes long, so cut to 16), one from another, and an answer; #1 selected.
fn bound_app() -> App {
    let mut app = App::new(Session::new(SessionConfig::default()), Mode::Auto, Source::Live);
    let long = [b'x'; 40];
    let events = vec![
        (1_000, K::Listen { conn: ConnId(1), local: udp("127.0.0.1:9000") }),
        (2_000, recvfrom("127.0.0.1:40000", 16, b"one", None)),
        (3_000, recvfrom("127.0.0.1:40000", 16, &long[..16], Some(40))),
        (4_000, recvfrom("127.0.0.1:40001", 16, b"three", None)),
        (5_000, sendto("127.0.0.1:40001", b"THREE")),
    ];
    let mut batch = vec![Event::session_start()];
    batch.extend(events.into_iter().map(|(t_us, kind)| Event { kind, t_us }));
    app.update(Msg::Engine(batch));
    app.update(Msg::Resize { width: 100, height: 30 });
    app.perform(Action::SelectNextConnection);
    assert_eq!(app.selected(), Some(ConnId(1)));
    app
}

/// `panel` drawn alone, as text, and the style of the first cell of `needle`.
fn draw(app: &App, panel: Panel, glyphs: Glyphs, needle: &str) -> (String, Option<Style>) {
    let (width, height) = (100, 14);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let cx = RenderContext { glyphs, theme: Theme::default() };
    terminal
        .draw(|frame| panels::render(frame, Rect::new(0, 0, width, height), panel, app, &cx))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let rows: Vec<String> = (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol().to_string()).collect())
        .collect();
    let style = rows.iter().enumerate().find_map(|(y, row)| {
        let at = row.find(needle)?;
        let x = row[..at].chars().count();
        Some(buffer[(u16::try_from(x).ok()?, u16::try_from(y).ok()?)].style())
    });
    (rows.join("\n"), style)
}

use ratatui::style::Style;

#[test]
fn each_datagram_is_a_message_and_a_truncated_one_says_what_was_lost() {
    let app = bound_app();
    let warning = Theme::default().warning().fg;
    let (messages, style) = draw(&app, Panel::Messages, Glyphs::Unicode, "truncated:");
    assert!(messages.contains("framing datagram"), "{messages}");
    assert!(messages.contains("3 complete messages"), "{messages}");
    assert!(messages.contains("1 complete message"), "{messages}");
    assert!(messages.contains("truncated: 40 → 16, 24 bytes lost"), "{messages}");
    assert_eq!(style.and_then(|s| s.fg), warning, "{messages}");
    // Only the datagram that was cut says so.
    assert_eq!(messages.matches("truncated:").count(), 1, "{messages}");
    let (data, style) = draw(&app, Panel::Data, Glyphs::Unicode, "truncated:");
    assert!(data.contains("recv 16 B truncated: 40 → 16, 24 lost @"), "{data}");
    assert_eq!(style.and_then(|s| s.fg), warning, "{data}");
}

#[test]
fn the_truncation_mark_is_ascii_on_an_ascii_terminal() {
    let mut app = bound_app();
    app.update(Msg::Resize { width: 140, height: 45 });
    let mut terminal = Terminal::new(TestBackend::new(140, 45)).expect("terminal");
    terminal.draw(|frame| view::draw_with(frame, &app, Glyphs::Ascii)).expect("draw");
    let buffer = terminal.backend().buffer();
    let text: String = buffer.content().iter().map(ratatui::buffer::Cell::symbol).collect();
    assert!(text.is_ascii(), "{text}");
    assert!(text.contains("recv 16 B truncated: 40 -> 16, 24 lost"), "Data: {text}");
    assert!(text.contains("truncated: 40 -> 16, 24 bytes lost"), "Messages: {text}");
}

#[test]
fn the_inspector_reads_within_one_datagram() {
    let app = bound_app();
    let (inspector, _) = draw(&app, Panel::Inspector, Glyphs::Unicode, "in #1");
    // The first datagram is `one`: three bytes, so a u16 but no u32 read into the next one.
    assert!(inspector.contains("in #1 @ 0x0: 6f 6e 65 "), "{inspector}");
    assert!(!inspector.contains("6f 6e 65 78"), "{inspector}");
    assert!(inspector.contains("u16"), "{inspector}");
    assert!(!inspector.contains("u32"), "{inspector}");
}
