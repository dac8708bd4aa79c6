//! What the UI says about a datagram socket's calls, on ratatui's `TestBackend`: an empty
//! datagram is a datagram (a message of its own, in Messages and in Data), and the calls are
//! named as made, `recvfrom` and `sendto`, in Calls and in Data's separators.

#[path = "shared/panel_draw.rs"]
mod panel_draw;

use bytes::Bytes;
use sockscope::event::{Address, ConnId, ErrorKind, Event, EventKind as K, Op};
use sockscope::session::{Session, SessionConfig};
use sockscope::tui::glyphs::Glyphs;
use sockscope::tui::theme::Theme;
use sockscope::tui::{Action, App, Mode, Msg, Panel, Source};

fn udp(text: &str) -> Address {
    Address::Udp(text.parse().expect("test address"))
}

fn recvfrom(conn: u64, data: &[u8]) -> K {
    let data = Bytes::copy_from_slice(data);
    let peer = udp("127.0.0.1:40000");
    K::RecvFrom { conn: ConnId(conn), peer, max: 65536, len: data.len(), data, truncated: None }
}

fn app_with(events: Vec<K>) -> App {
    let mut app = App::new(Session::new(SessionConfig::default()), Mode::Auto, Source::Live);
    let mut batch = vec![Event::session_start()];
    batch.extend(events.into_iter().zip(1_000..).map(|(kind, t_us)| Event { kind, t_us }));
    app.update(Msg::Engine(batch));
    app.update(Msg::Resize { width: 100, height: 30 });
    app.perform(Action::SelectFirstConnection);
    app
}

/// `listen udp:127.0.0.1:9000` receiving `one`, an empty datagram, `two`, then another empty
/// one, and a read that would block.
fn bound_app() -> App {
    app_with(vec![
        K::Listen { conn: ConnId(1), local: udp("127.0.0.1:9000") },
        recvfrom(1, b"one"),
        recvfrom(1, b""),
        recvfrom(1, b"two"),
        recvfrom(1, b""),
        K::WouldBlock { conn: ConnId(1), op: Op::Recv },
    ])
}

/// `panel` drawn alone, as text, and the style of the first cell of `needle`.

#[test]
fn an_empty_datagram_is_a_message_of_its_own() {
    let app = bound_app();
    let dim = Theme::default().dim().fg;
    let (messages, style) =
        panel_draw::draw(&app, Panel::Messages, Glyphs::Unicode, "(empty datagram)");
    assert!(messages.contains("4 complete messages"), "{messages}");
    assert_eq!(messages.matches("(empty datagram)").count(), 2, "{messages}");
    assert_eq!(style.and_then(|s| s.fg), dim, "{messages}");
    // In order: one, empty, two, empty.
    let order: Vec<usize> = ["one", "(empty datagram)", "two"]
        .iter()
        .map(|needle| messages.find(needle).expect(needle))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{messages}");
    assert!(messages.rfind("(empty datagram)") > messages.find("two"), "{messages}");
}

#[test]
fn data_names_the_empty_datagrams_and_the_call_made() {
    let app = bound_app();
    let (data, _) = panel_draw::draw(&app, Panel::Data, Glyphs::Unicode, "recvfrom");
    assert!(data.contains("2 empty datagrams"), "{data}");
    assert!(data.contains("(empty datagram) recvfrom 3 B"), "{data}");
    assert!(data.contains("recvfrom 3 B"), "{data}");
    assert!(!data.contains(" recv 3 B"), "{data}");
}

#[test]
fn a_socket_that_received_only_an_empty_datagram_shows_it() {
    let app = app_with(vec![
        K::Listen { conn: ConnId(1), local: udp("127.0.0.1:9000") },
        recvfrom(1, b""),
    ]);
    let (messages, _) = panel_draw::draw(&app, Panel::Messages, Glyphs::Unicode, "#");
    assert!(messages.contains("1 complete message"), "{messages}");
    assert!(messages.contains("(empty datagram)"), "{messages}");
    let (data, _) = panel_draw::draw(&app, Panel::Data, Glyphs::Unicode, "#");
    assert!(data.contains("1 empty datagram"), "{data}");
}

#[test]
fn calls_on_a_datagram_socket_are_named_as_made() {
    let app = app_with(vec![
        K::Connect { conn: ConnId(1), peer: udp("127.0.0.1:9"), pair: None, client: None },
        K::WouldBlock { conn: ConnId(1), op: Op::Recv },
        K::WouldBlock { conn: ConnId(1), op: Op::Send },
        K::Error {
            conn: ConnId(1),
            op: Op::Recv,
            kind: ErrorKind::Refused,
            message: "Connection refused".into(),
        },
    ]);
    let (calls, _) = panel_draw::draw(&app, Panel::Calls, Glyphs::Unicode, "#");
    assert!(calls.contains("recvfrom -> WouldBlock"), "{calls}");
    assert!(calls.contains("sendto -> WouldBlock"), "{calls}");
    assert!(calls.contains("recvfrom -> refused"), "{calls}");
    assert!(!calls.contains(" recv -> "), "{calls}");
}

#[test]
fn a_tcp_socket_still_says_recv() {
    let tcp = Address::Ip("127.0.0.1:9".parse().expect("address"));
    let app = app_with(vec![
        K::Connect { conn: ConnId(1), peer: tcp, pair: None, client: None },
        K::WouldBlock { conn: ConnId(1), op: Op::Recv },
    ]);
    let (calls, _) = panel_draw::draw(&app, Panel::Calls, Glyphs::Unicode, "#");
    assert!(calls.contains("recv -> WouldBlock"), "{calls}");
    assert!(!calls.contains("recvfrom"), "{calls}");
}
