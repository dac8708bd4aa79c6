//! Datagram sockets in the terminal UI, on ratatui's `TestBackend`: each datagram is a message
//! of its own, and one that arrived cut short says what was lost, in the warning style and in
//! ASCII on an ASCII terminal.

#[path = "shared/panel_draw.rs"]
mod panel_draw;

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sockscope::engine::addr::resolve_peer;
use sockscope::event::{Address, Command, ConnId, Event, EventKind as K};
use sockscope::session::{Session, SessionConfig};
use sockscope::tui::glyphs::Glyphs;
use sockscope::tui::theme::Theme;
use sockscope::tui::{
    Action, App, Effect, Mode, Msg, Overlay, Panel, PromptKind, Purpose, Source, view,
};

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
    app.perform(Action::SelectFirstConnection);
    assert_eq!(app.selected(), Some(ConnId(1)));
    app
}

/// `panel` drawn alone, as text, and the style of the first cell of `needle`.
#[test]
fn each_datagram_is_a_message_and_a_truncated_one_says_what_was_lost() {
    let app = bound_app();
    let warning = Theme::default().warning().fg;
    let (messages, style) = panel_draw::draw(&app, Panel::Messages, Glyphs::Unicode, "truncated:");
    assert!(messages.contains("framing datagram"), "{messages}");
    assert!(messages.contains("3 complete messages"), "{messages}");
    assert!(messages.contains("1 complete message"), "{messages}");
    assert!(messages.contains("truncated: 40 → 16, 24 bytes lost"), "{messages}");
    assert_eq!(style.and_then(|s| s.fg), warning, "{messages}");
    // Only the datagram that was cut says so.
    assert_eq!(messages.matches("truncated:").count(), 1, "{messages}");
    let (data, style) = panel_draw::draw(&app, Panel::Data, Glyphs::Unicode, "truncated:");
    assert!(data.contains("recvfrom truncated: 40 → 16, 24 lost @"), "{data}");
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
    assert!(text.contains("recvfrom truncated: 40 -> 16, 24 lost"), "Data: {text}");
    assert!(text.contains("truncated: 40 -> 16, 24 bytes lost"), "Messages: {text}");
}

#[test]
fn the_inspector_reads_within_one_datagram() {
    let app = bound_app();
    let (inspector, _) = panel_draw::draw(&app, Panel::Inspector, Glyphs::Unicode, "in #1");
    // The first datagram is `one`: three bytes, so a u16 but no u32 read into the next one.
    assert!(inspector.contains("in #1 @ 0x0: 6f 6e 65 "), "{inspector}");
    assert!(!inspector.contains("6f 6e 65 78"), "{inspector}");
    assert!(inspector.contains("u16"), "{inspector}");
    assert!(!inspector.contains("u32"), "{inspector}");
}

fn connections(app: &App) -> String {
    panel_draw::draw(app, Panel::Connections, Glyphs::Unicode, "#").0
}

#[test]
fn a_bound_socket_lists_its_flows_under_it_each_with_its_counts() {
    let app = bound_app();
    let text = connections(&app);
    let rows: Vec<&str> = text.lines().filter(|l| l.contains('#')).collect();
    let at = |needle: &str| rows.iter().position(|row| row.contains(needle));
    let (socket, first, second) = (at("#1 "), at("#1.1"), at("#1.2"));
    assert!(socket < first && first < second, "{text}");
    assert!(rows[first.unwrap()].contains("flow"), "{text}");
    assert!(rows[first.unwrap()].contains("└ udp:127.0.0.1:40000 (2 in 0 out)"), "{text}");
    assert!(rows[second.unwrap()].contains("└ udp:127.0.0.1:40001 (1 in 1 out)"), "{text}");
    // Bytes both ways: 3 + 16 in from the first peer; 5 in, 5 out with the second.
    assert!(rows[first.unwrap()].contains("19B"), "{text}");
    assert!(rows[second.unwrap()].matches("5B").count() == 2, "{text}");
}

#[test]
fn selecting_a_flow_shows_only_its_datagrams_and_the_socket_shows_all() {
    let mut app = bound_app();
    app.perform(Action::SelectNextConnection);
    assert_eq!(app.selected().map(|id| id.to_string()), Some("#1.1".into()));
    let (messages, _) = panel_draw::draw(&app, Panel::Messages, Glyphs::Unicode, "#");
    assert!(messages.contains("2 complete messages"), "{messages}");
    assert!(messages.contains("truncated: 40 → 16, 24 bytes lost"), "{messages}");
    assert!(!messages.contains("three"), "{messages}");
    app.perform(Action::SelectNextConnection);
    let (data, _) = panel_draw::draw(&app, Panel::Data, Glyphs::Unicode, "#");
    assert!(data.contains("three") && data.contains("THREE"), "{data}");
    assert!(!data.contains("one"), "{data}");
    let (inspector, _) = panel_draw::draw(&app, Panel::Inspector, Glyphs::Unicode, "#");
    assert!(inspector.contains("in #1.2 @ 0x0: 74 68 72 65 65"), "{inspector}");
}

fn type_line(app: &mut App, text: &str) -> Vec<Effect> {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    for c in text.chars() {
        app.update(key(KeyCode::Char(c)));
    }
    app.update(key(KeyCode::Enter))
}

fn sent_to(effects: &[Effect]) -> Option<(ConnId, String, Vec<u8>)> {
    effects.iter().find_map(|effect| match effect {
        Effect::Engine(Command::SendTo { conn, peer, data }) => {
            Some((*conn, peer.to_string(), data.to_vec()))
        }
        _ => None,
    })
}

#[test]
fn a_send_on_a_bound_socket_asks_for_the_destination_once_then_remembers_it() {
    let mut app = bound_app();
    app.perform(Action::PromptSendText);
    let effects = type_line(&mut app, "ping");
    assert!(effects.is_empty(), "nothing is sent before the destination: {effects:?}");
    assert!(matches!(app.overlay(), Overlay::Prompt(p) if p.kind == PromptKind::Destination));
    let effects = type_line(&mut app, "127.0.0.1:40001");
    let purpose = Purpose::Destination { conn: ConnId(1) };
    let asked = Effect::Resolve { purpose: purpose.clone(), text: "127.0.0.1:40001".into() };
    assert_eq!(effects, vec![asked]);
    // The runner resolves with the address parser `:connect` uses.
    let result = resolve_peer("127.0.0.1:40001").map_err(|e| e.to_string());
    let effects = app.update(Msg::Resolved { purpose, result });
    let expected = (ConnId(1), "udp:127.0.0.1:40001".to_string(), b"ping".to_vec());
    assert_eq!(sent_to(&effects), Some(expected));
    // The next send goes to the same place without asking.
    app.perform(Action::PromptSendText);
    let effects = type_line(&mut app, "again");
    let expected = (ConnId(1), "udp:127.0.0.1:40001".to_string(), b"again".to_vec());
    assert_eq!(sent_to(&effects), Some(expected));
}

#[test]
fn a_bad_destination_is_a_clear_error_and_sends_nothing() {
    let mut app = bound_app();
    app.perform(Action::PromptSendText);
    type_line(&mut app, "ping");
    type_line(&mut app, "nowhere:port");
    let purpose = Purpose::Destination { conn: ConnId(1) };
    let result = resolve_peer("nowhere:port").map_err(|e| e.to_string());
    assert!(result.is_err());
    let effects = app.update(Msg::Resolved { purpose, result });
    assert_eq!(sent_to(&effects), None);
    let status = app.status().expect("a status").text.clone();
    assert!(status.starts_with("destination: "), "{status}");
    assert!(status.ends_with("nothing sent"), "{status}");
    // A stream address is not one a UDP socket sends to.
    app.perform(Action::PromptSendText);
    type_line(&mut app, "ping");
    type_line(&mut app, "unix:/tmp/x");
    let purpose = Purpose::Destination { conn: ConnId(1) };
    let result = resolve_peer("unix:/tmp/x").map_err(|e| e.to_string());
    let effects = app.update(Msg::Resolved { purpose, result });
    assert_eq!(sent_to(&effects), None);
    let status = app.status().expect("a status").text.clone();
    assert!(status.contains("not an address a udp:127.0.0.1:9000 socket can send to"), "{status}");
}

#[test]
fn a_send_on_a_flow_row_goes_to_its_peer_without_asking() {
    let mut app = bound_app();
    app.perform(Action::SelectNextConnection);
    app.perform(Action::SelectNextConnection);
    app.perform(Action::PromptSendText);
    let effects = type_line(&mut app, "hi");
    let expected = (ConnId(1), "udp:127.0.0.1:40001".to_string(), b"hi".to_vec());
    assert_eq!(sent_to(&effects), Some(expected));
}

fn press(app: &mut App, code: crossterm::event::KeyCode) -> Vec<Effect> {
    use crossterm::event::{KeyEvent, KeyModifiers};
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn focus(app: &mut App, panel: Panel) {
    while app.focus() != panel {
        app.perform(Action::FocusNextPanel);
    }
}

#[test]
fn search_copy_and_follow_work_on_a_flow() {
    use crossterm::event::KeyCode;
    let mut app = bound_app();
    app.perform(Action::SelectNextConnection);
    app.perform(Action::SelectNextConnection);
    assert_eq!(app.selected().map(|id| id.to_string()), Some("#1.2".into()));
    focus(&mut app, Panel::Data);
    // Search finds the flow's datagram (offset 0 of its own stream, not 19 of the socket's).
    press(&mut app, KeyCode::Char('/'));
    type_line(&mut app, "three");
    let cursor = app.cursor().expect("a cursor");
    assert_eq!(cursor.conn.to_string(), "#1.2");
    assert_eq!(cursor.selection(), 0..5);
    // Copying it fills the send line of the flow; sending goes to the flow's peer.
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Char('h'));
    let effects = press(&mut app, KeyCode::Enter);
    let expected = (ConnId(1), "udp:127.0.0.1:40001".to_string(), b"three".to_vec());
    assert_eq!(sent_to(&effects), Some(expected));
    // The follow view shows the flow's conversation: its peer's datagram and the answer.
    app.execute(sockscope::tui::command::parse("follow").expect("command"));
    assert!(app.follow_view().is_some(), "{:?}", app.status());
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    terminal.draw(|frame| view::draw(frame, &app)).expect("draw");
    let buffer = terminal.backend().buffer();
    let text: String = buffer.content().iter().map(ratatui::buffer::Cell::symbol).collect();
    assert!(text.contains("three") && text.contains("THREE"), "{text}");
    assert!(!text.contains("xxxx"), "another peer's datagram: {text}");
}

#[test]
fn a_search_on_the_socket_never_matches_across_two_datagrams() {
    use crossterm::event::KeyCode;
    let mut app = bound_app();
    focus(&mut app, Panel::Data);
    // `one` then `xxxx...`: "onex" runs across the boundary, nobody sent it.
    press(&mut app, KeyCode::Char('/'));
    type_line(&mut app, "onex");
    let status = app.status().expect("a status").text.clone();
    assert!(status.contains("not found"), "{status}");
    // `xt` (18..20) runs across too and is passed over for `th`, within `three` (19..24).
    press(&mut app, KeyCode::Char('/'));
    type_line(&mut app, "re:xt|th");
    assert_eq!(app.cursor().map(|c| c.selection()), Some(19..21));
}

#[test]
fn sendto_changes_where_a_bound_socket_sends() {
    let mut app = bound_app();
    let resolved = |app: &mut App, text: &str| {
        let purpose = Purpose::Destination { conn: ConnId(1) };
        let result = resolve_peer(text).map_err(|e| e.to_string());
        app.update(Msg::Resolved { purpose, result })
    };
    // Before any send: the destination is set, nothing is sent, nothing is asked later.
    let effects = type_line(&mut app, ":sendto 127.0.0.1:40001");
    let purpose = Purpose::Destination { conn: ConnId(1) };
    assert_eq!(effects, vec![Effect::Resolve { purpose, text: "127.0.0.1:40001".into() }]);
    assert_eq!(sent_to(&resolved(&mut app, "127.0.0.1:40001")), None);
    app.perform(Action::PromptSendText);
    let expected = (ConnId(1), "udp:127.0.0.1:40001".to_string(), b"one".to_vec());
    assert_eq!(sent_to(&type_line(&mut app, "one")), Some(expected));
    // Changed: the next send goes to the new place.
    type_line(&mut app, ":sendto 127.0.0.1:40000");
    resolved(&mut app, "127.0.0.1:40000");
    app.perform(Action::PromptSendText);
    let expected = (ConnId(1), "udp:127.0.0.1:40000".to_string(), b"two".to_vec());
    assert_eq!(sent_to(&type_line(&mut app, "two")), Some(expected));
}

#[test]
fn sendto_on_a_flow_says_why_not_and_does_nothing() {
    let mut app = bound_app();
    app.perform(Action::SelectNextConnection);
    let effects = type_line(&mut app, ":sendto 127.0.0.1:40001");
    assert!(effects.is_empty(), "{effects:?}");
    let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.contains("is a flow") && status.contains("select #1"), "{status}");
}
