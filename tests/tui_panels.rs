//! The five panels on ratatui's `TestBackend`: snapshots of each panel and of the whole screen
//! in a listen, connect, proxy and demo-like session (hand-made events at fixed addresses and
//! times, so the frames are the same on every run), empty states, tiny areas, paging, and the
//! Data panel's virtualisation on a stream far larger than what is kept in memory.

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use sockscope::event::{
    Address, ClosedBy, ConnId, Dir, ErrorKind, Event, EventKind as K, How, Op, Readiness,
    SelectView, SockOption,
};
use sockscope::session::{Session, SessionConfig};
use sockscope::tui::render_context::RenderContext;
use sockscope::tui::{Action, App, DataView, Mode, Msg, Panel, Source, panels, view};

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

fn id(n: u64) -> ConnId {
    ConnId(n)
}

fn recv(conn: u64, data: &[u8]) -> K {
    K::Recv { conn: id(conn), max: 65536, len: data.len(), data: Bytes::copy_from_slice(data) }
}

fn send(conn: u64, requested: usize, data: &[u8]) -> K {
    K::Send { conn: id(conn), requested, len: data.len(), data: Bytes::copy_from_slice(data) }
}

/// A round whose edges are all `select()` lists: nothing was ready before it.
fn ready(round: u64, readable: &[u64], writable: &[u64]) -> K {
    let ids = |list: &[u64]| list.iter().copied().map(ConnId).collect::<Vec<_>>();
    K::Ready(Readiness {
        round,
        readable: ids(readable),
        writable: ids(writable),
        select: Some(Box::new(select_view(ids(readable), ids(writable)))),
        ..Readiness::default()
    })
}

fn select_view(readable: Vec<ConnId>, writable: Vec<ConnId>) -> SelectView {
    SelectView { readable, writable, exceptional: vec![] }
}

fn interest(conn: u64, read: bool, write: bool) -> K {
    K::Interest { conn: id(conn), read, write }
}

/// An app (terminal 100×30) fed `events`, stamped with the given times.
fn app_with(config: SessionConfig, events: Vec<(u64, K)>) -> App {
    let mut app = App::new(Session::new(config), Mode::Auto, Source::Live);
    let mut batch = vec![Event::session_start()];
    batch.extend(events.into_iter().map(|(t_us, kind)| Event { kind, t_us }));
    app.update(Msg::Engine(batch));
    app.update(Msg::Resize { width: 100, height: 30 });
    app
}

/// A server: listener #1, client #2 sends two chunks, gets an answer, sends EOF; closed.
fn listen_app() -> App {
    app_with(
        SessionConfig::default(),
        vec![
            (1_000, K::Listen { conn: id(1), local: ip("127.0.0.1:9000") }),
            (1_000, interest(1, true, false)),
            (250_000, ready(1, &[1], &[])),
            (
                250_100,
                K::Accept {
                    conn: id(2),
                    listener: id(1),
                    local: ip("127.0.0.1:9000"),
                    peer: ip("127.0.0.1:40000"),
                },
            ),
            (250_120, K::WouldBlock { conn: id(1), op: Op::Accept }),
            (250_130, interest(2, true, false)),
            (512_000, ready(2, &[2], &[])),
            (512_100, recv(2, b"hello, sockscope\n")),
            (512_200, recv(2, b"GET /\x00\x01\x7f\xff\r\n\tend")),
            (512_250, recv(2, "grüße ✓ 漢字 €uro\n".as_bytes())),
            (512_300, K::WouldBlock { conn: id(2), op: Op::Recv }),
            (700_000, ready(3, &[], &[2])),
            (700_100, send(2, 19, b"HTTP/1.0 200 OK\r\n\r\n")),
            (
                900_000,
                K::Ready(Readiness {
                    round: 4,
                    readable: vec![id(2)],
                    read_closed: vec![id(2)],
                    select: Some(Box::new(select_view(vec![id(2)], vec![]))),
                    ..Readiness::default()
                }),
            ),
            (900_100, K::Eof { conn: id(2) }),
            (900_200, K::Shutdown { conn: id(2), how: How::Write }),
            (900_300, K::Close { conn: id(2), by: ClosedBy::Peer }),
        ],
    )
}

/// A client: #1 connects, a 64 KiB send is accepted in two parts; #2's connect is refused.
fn connect_app() -> App {
    let big: Vec<u8> = (0..65_536_u32).map(|i| b"abcdefghijklmnop"[i as usize % 16]).collect();
    let mut app = app_with(
        SessionConfig::default(),
        vec![
            (100, K::Connect { conn: id(1), peer: ip("127.0.0.1:9000"), pair: None, client: None }),
            (100, interest(1, false, true)),
            (2_000, ready(1, &[], &[1])),
            (
                2_100,
                K::Connected {
                    conn: id(1),
                    local: ip("127.0.0.1:50000"),
                    peer: ip("127.0.0.1:9000"),
                },
            ),
            (2_150, K::Option { conn: id(1), option: SockOption::NoDelay(true) }),
            (2_200, interest(1, true, true)),
            (2_300, send(1, 65_536, &big[..43_690])),
            (2_400, K::WouldBlock { conn: id(1), op: Op::Send }),
            (40_000, ready(2, &[], &[1])),
            (40_100, send(1, 21_846, &big[43_690..])),
            (40_200, interest(1, true, false)),
            (80_000, ready(3, &[1], &[])),
            (80_100, recv(1, b"OK\n")),
            (80_200, K::WouldBlock { conn: id(1), op: Op::Recv }),
            (90_000, K::Connect { conn: id(2), peer: ip("127.0.0.1:9"), pair: None, client: None }),
            (
                90_500,
                K::Error {
                    conn: id(2),
                    op: Op::Connect,
                    kind: ErrorKind::Refused,
                    message: "Connection refused (os error 111)".into(),
                },
            ),
            (90_600, K::Close { conn: id(2), by: ClosedBy::Error }),
        ],
    );
    app.perform(Action::SelectPrevConnection);
    app
}

/// A proxy on every interface: client #2 relayed to upstream #3.
fn proxy_app() -> App {
    let request = b"GET / HTTP/1.1\r\nHost: example\r\n\r\n";
    let response = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    app_with(
        SessionConfig::default(),
        vec![
            (500, K::Listen { conn: id(1), local: ip("0.0.0.0:8080") }),
            (
                10_000,
                K::Accept {
                    conn: id(2),
                    listener: id(1),
                    local: ip("127.0.0.1:8080"),
                    peer: ip("127.0.0.1:41000"),
                },
            ),
            (
                10_100,
                K::Connect {
                    conn: id(3),
                    peer: ip("127.0.0.1:9000"),
                    pair: Some(id(2)),
                    client: None,
                },
            ),
            (
                11_000,
                K::Connected {
                    conn: id(3),
                    local: ip("127.0.0.1:52000"),
                    peer: ip("127.0.0.1:9000"),
                },
            ),
            (11_100, interest(2, true, false)),
            (11_100, interest(3, true, true)),
            (12_000, ready(1, &[2], &[3])),
            (12_100, recv(2, request)),
            (12_200, send(3, request.len(), request)),
            (
                20_000,
                K::Ready(Readiness {
                    round: 2,
                    readable: vec![id(3)],
                    still_readable: vec![id(2)],
                    select: Some(Box::new(select_view(vec![id(2), id(3)], vec![]))),
                    ..Readiness::default()
                }),
            ),
            (20_100, recv(3, response)),
            (20_200, send(2, response.len(), response)),
            (20_300, K::WouldBlock { conn: id(2), op: Op::Recv }),
        ],
    )
}

/// The demo's shape: length-prefixed (u16be) messages; the server's first recv gets half a
/// message, and one message is still in progress at the end.
fn demo_app() -> App {
    let config =
        SessionConfig { framing: "len:u16be".parse().expect("spec"), ..SessionConfig::default() };
    let mut wire = Vec::new();
    for body in [&b"hello"[..], b"goodbye", &[0, 0, 1, 0]] {
        wire.extend_from_slice(&u16::try_from(body.len()).expect("short").to_be_bytes());
        wire.extend_from_slice(body);
    }
    wire.extend_from_slice(&[0, 12, b'p', b'a', b'r']);
    app_with(
        config,
        vec![
            (1_000, K::Listen { conn: id(1), local: ip("127.0.0.1:7000") }),
            (
                2_000,
                K::Connect { conn: id(2), peer: ip("127.0.0.1:7000"), pair: None, client: None },
            ),
            (
                2_500,
                K::Accept {
                    conn: id(3),
                    listener: id(1),
                    local: ip("127.0.0.1:7000"),
                    peer: ip("127.0.0.1:43000"),
                },
            ),
            (
                2_600,
                K::Connected {
                    conn: id(2),
                    local: ip("127.0.0.1:43000"),
                    peer: ip("127.0.0.1:7000"),
                },
            ),
            (3_000, send(2, wire.len(), &wire)),
            (
                4_000,
                K::Recv { conn: id(3), max: 4, len: 4, data: Bytes::copy_from_slice(&wire[..4]) },
            ),
            (4_100, recv(3, &wire[4..])),
            (4_200, K::WouldBlock { conn: id(3), op: Op::Recv }),
            (5_000, send(3, 22, &wire[..22])),
        ],
    )
}

/// Draws `panel` alone (with its block) in a `width` × `height` terminal.
fn panel_text(app: &App, panel: Panel, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| {
            let area = Rect::new(0, 0, width, height);
            panels::render(frame, area, panel, app, &RenderContext::default());
        })
        .expect("draw");
    text(terminal.backend())
}

/// Draws the whole UI at the app's size.
fn screen_text(app: &mut App, width: u16, height: u16) -> String {
    app.update(Msg::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| view::draw(frame, app)).expect("draw");
    text(terminal.backend())
}

fn text(backend: &TestBackend) -> String {
    let buffer = backend.buffer();
    let area = buffer.area;
    (0..area.height)
        .map(|y| (0..area.width).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Types `:LINE` and Enter.
fn command(app: &mut App, line: &str) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    app.update(key(KeyCode::Char(':')));
    for c in line.chars() {
        app.update(key(KeyCode::Char(c)));
    }
    app.update(key(KeyCode::Enter));
}

fn toggle_view(app: &mut App) {
    app.perform(Action::ToggleDataView);
}

fn focus(app: &mut App, panel: Panel) {
    while app.focus() != panel {
        app.perform(Action::FocusNextPanel);
    }
}

#[test]
fn listen_session() {
    let mut app = listen_app();
    let connections = panel_text(&app, Panel::Connections, 90, 6);
    assert!(connections.contains("127.0.0.1:9000 <-> 127.0.0.1:40000"), "{connections}");
    insta::assert_snapshot!("listen_connections", connections);
    let readiness = panel_text(&app, Panel::Readiness, 50, 14);
    assert!(readiness.contains("select() read 2"), "{readiness}");
    insta::assert_snapshot!("listen_readiness", readiness);
    let calls = panel_text(&app, Panel::Calls, 60, 14);
    assert!(calls.contains("0.512s recv(65536) -> 17"), "{calls}");
    assert!(calls.contains("recv -> 0 (EOF)"), "{calls}");
    insta::assert_snapshot!("listen_calls", calls);
    let data = panel_text(&app, Panel::Data, 100, 12);
    assert!(data.contains("── recv 17 B @ 0.512s"), "{data}");
    // A row ends after `\n`; the second chunk starts a row of its own, after its separator.
    assert!(data.contains(r"<0000 hello, sockscope\n"), "{data}");
    assert!(data.contains(r"<0011 GET /\x00"), "{data}");
    assert!(!data.contains('…'), "nothing is cut: {data}");
    insta::assert_snapshot!("listen_data_text", data);
    toggle_view(&mut app);
    insta::assert_snapshot!("listen_data_hex", panel_text(&app, Panel::Data, 100, 8));
    insta::assert_snapshot!("listen_screen", screen_text(&mut app, 100, 30));
}

#[test]
fn connect_session() {
    let mut app = connect_app();
    assert_eq!(app.selected(), Some(id(1)));
    let calls = panel_text(&app, Panel::Calls, 60, 14);
    assert!(calls.contains("send 65536 -> 43690 (partial)"), "{calls}");
    assert!(calls.contains("send -> WouldBlock"), "{calls}");
    insta::assert_snapshot!("connect_calls", calls);
    insta::assert_snapshot!("connect_screen", screen_text(&mut app, 100, 30));
    app.perform(Action::SelectNextConnection);
    let calls = panel_text(&app, Panel::Calls, 80, 8);
    assert!(calls.contains("connect -> refused: Connection refused (os error 111)"), "{calls}");
    insta::assert_snapshot!("connect_refused_calls", calls);
    let data = panel_text(&app, Panel::Data, 60, 5);
    assert!(data.contains("no bytes moved on #2 yet"), "{data}");
}

#[test]
fn proxy_session() {
    let mut app = proxy_app();
    assert_eq!(app.selected(), Some(id(2)));
    let connections = panel_text(&app, Panel::Connections, 110, 6);
    assert!(connections.contains("0.0.0.0:8080 (ALL interfaces)"), "{connections}");
    assert!(connections.contains("<->#3"), "{connections}");
    assert!(connections.contains("<->#2"), "{connections}");
    insta::assert_snapshot!("proxy_connections", connections);
    let readiness = panel_text(&app, Panel::Readiness, 50, 12);
    assert!(readiness.contains("select() read 3 ~2"), "{readiness}");
    assert!(readiness.contains("#2 0.020s R[3 ~2] W[] X[]"), "{readiness}");
    insta::assert_snapshot!("proxy_readiness", readiness);
    insta::assert_snapshot!("proxy_data_text", panel_text(&app, Panel::Data, 100, 8));
    insta::assert_snapshot!("proxy_screen", screen_text(&mut app, 100, 30));
    insta::assert_snapshot!("proxy_screen_80x24", screen_text(&mut app, 80, 24));
}

#[test]
fn demo_session() {
    let mut app = demo_app();
    assert_eq!(app.selected(), Some(id(3)));
    let data = panel_text(&app, Panel::Data, 100, 8);
    assert!(data.contains("next message 5/14 B"), "{data}");
    assert!(data.contains("── recv 4 B @ 0.004s"), "{data}");
    insta::assert_snapshot!("demo_data_text", data);
    toggle_view(&mut app);
    insta::assert_snapshot!("demo_data_hex", panel_text(&app, Panel::Data, 100, 8));
    focus(&mut app, Panel::Data);
    app.perform(Action::ScrollToTop);
    let inspector = panel_text(&app, Panel::Inspector, 60, 16);
    assert!(inspector.contains("in #3 @ 0x0: 00 05 68 65 6c 6c 6f 00"), "{inspector}");
    // 00 05 is 5 in network order and 1280 read little-endian.
    let u16_line = inspector.lines().find(|l| l.starts_with("│u16 ")).expect("u16 line");
    assert!(u16_line.contains(" 5 ") && u16_line.contains("1280"), "{inspector}");
    assert!(inspector.contains("len:u16be framing: message 0 (5 B body), header"), "{inspector}");
    insta::assert_snapshot!("demo_inspector", inspector);
    insta::assert_snapshot!("demo_screen", screen_text(&mut app, 100, 30));
}

#[test]
fn empty_session_hints() {
    let mut app = app_with(SessionConfig::default(), Vec::new());
    for panel in Panel::ALL {
        let text = panel_text(&app, panel, 70, 4);
        assert!(text.contains("no sockets yet — `:listen 9000`"), "{panel:?}:\n{text}");
    }
    insta::assert_snapshot!("empty_screen", screen_text(&mut app, 100, 30));
}

#[test]
fn tiny_areas_never_panic() {
    let apps: [fn() -> App; 5] = [listen_app, connect_app, proxy_app, demo_app, || {
        app_with(SessionConfig::default(), Vec::new())
    }];
    let sizes = [(0, 0), (1, 1), (3, 2), (2, 3), (1, 40), (40, 1), (5, 5)];
    for make in apps {
        let mut app = make();
        for _view in [DataView::Text, DataView::Hex] {
            for panel in Panel::ALL {
                for (width, height) in sizes {
                    panel_text(&app, panel, width, height);
                    // The panel's content area itself, without the block around it.
                    let mut terminal =
                        Terminal::new(TestBackend::new(width, height)).expect("terminal");
                    terminal
                        .draw(|frame| draw_content(frame, panel, &app, width, height))
                        .expect("draw");
                    let _ = panels::line_count(panel, &app);
                }
            }
            for (width, height) in sizes.into_iter().chain([(60, 16), (61, 17)]) {
                screen_text(&mut app, width, height);
            }
            toggle_view(&mut app);
        }
    }
}

fn draw_content(frame: &mut ratatui::Frame, panel: Panel, app: &App, width: u16, height: u16) {
    let cx = &RenderContext::default();
    let area = Rect::new(0, 0, width, height);
    match panel {
        Panel::Connections => panels::connections::render(frame, area, app, cx),
        Panel::Readiness => panels::readiness::render(frame, area, app, cx),
        Panel::Calls => panels::calls::render(frame, area, app, cx),
        Panel::Data => panels::data::render(frame, area, app, cx),
        Panel::Messages => panels::messages::render(frame, area, app, cx),
        Panel::Inspector => panels::inspector::render(frame, area, app, cx),
    }
}

#[test]
fn calls_note_what_the_bounded_log_dropped() {
    let config = SessionConfig { calls_per_conn: 5, ..SessionConfig::default() };
    let mut events =
        vec![(0, K::Connect { conn: id(1), peer: ip("127.0.0.1:9000"), pair: None, client: None })];
    for n in 1..=20 {
        events.push((n * 1000, recv(1, b"x")));
    }
    let mut app = app_with(config, events);
    let end = panel_text(&app, Panel::Calls, 50, 6);
    assert!(end.contains("0.020s recv(65536) -> 1"), "follows the end:\n{end}");
    focus(&mut app, Panel::Calls);
    app.perform(Action::ScrollToTop);
    let top = panel_text(&app, Panel::Calls, 50, 6);
    assert!(top.contains("16 earlier calls not kept"), "{top}");
    assert!(top.contains("#1 outgoing · 21 calls"), "{top}");
}

#[test]
fn ten_thousand_connections_show_the_selected_rows() {
    let mut events = vec![(0, K::Listen { conn: id(1), local: ip("127.0.0.1:9000") })];
    for n in 2..=10_001 {
        events.push((
            n,
            K::Accept {
                conn: id(n),
                listener: id(1),
                local: ip("127.0.0.1:9000"),
                peer: ip("127.0.0.1:40000"),
            },
        ));
    }
    let mut app = app_with(SessionConfig::default(), events);
    let text = panel_text(&app, Panel::Connections, 60, 8);
    assert!(text.contains("#10001"), "newest selected and shown:\n{text}");
    command(&mut app, "select 1");
    let text = panel_text(&app, Panel::Connections, 60, 8);
    assert!(text.lines().nth(2).is_some_and(|row| row.contains("#1 ")), "{text}");
    assert_eq!(panels::line_count(Panel::Connections, &app), Some(10_002));
}

/// The offsets of the received hex rows on screen (the digits after a `<` that starts a
/// panel's line).
fn row_offsets(text: &str) -> Vec<u64> {
    text.lines()
        .flat_map(|line| line.split('│'))
        .filter_map(|part| {
            let digits = part.strip_prefix('<')?.split([' ', '|']).next()?;
            u64::from_str_radix(digits, 16).ok()
        })
        .collect()
}

#[test]
fn data_pages_are_contiguous() {
    let mut events =
        vec![(0, K::Connect { conn: id(1), peer: ip("127.0.0.1:9000"), pair: None, client: None })];
    let block: Vec<u8> = (0..=255).collect();
    for n in 1..=40 {
        events.push((n * 1000, recv(1, &block[..usize::try_from(n * 5).expect("small")])));
    }
    let mut app = app_with(SessionConfig::default(), events);
    toggle_view(&mut app);
    focus(&mut app, Panel::Data);
    app.perform(Action::ScrollToTop);
    let (height, rows_per_row) = (app.size().1, 8);
    let mut seen = Vec::new();
    for _ in 0..200 {
        let offsets = row_offsets(&screen_text(&mut app, 100, height));
        if let (Some(&last_seen), Some(&first)) = (seen.last(), offsets.first()) {
            assert!(
                first <= last_seen + rows_per_row,
                "a page skipped rows: {last_seen} -> {first}"
            );
        }
        seen.extend(offsets);
        if app.data_top(Dir::In) == sockscope::tui::PaneTop::Follow {
            break;
        }
        app.perform(Action::ScrollPageDown);
    }
    seen.sort_unstable();
    seen.dedup();
    let total: u64 = (1..=40).map(|n| n * 5).sum();
    assert_eq!(seen.first(), Some(&0));
    assert_eq!(seen.last(), Some(&((total - 1) / rows_per_row * rows_per_row)));
    assert!(seen.windows(2).all(|w| w[1] == w[0] + rows_per_row), "every row shown once: {seen:?}");
}

#[test]
fn data_is_virtualised_over_a_stream_larger_than_memory() {
    const TOTAL: u64 = 64 << 20;
    const CHUNK: u64 = 64 << 10;
    let config = SessionConfig { retain: 8 << 20, ..SessionConfig::default() };
    let mut app = app_with(
        config,
        vec![(0, K::Connect { conn: id(1), peer: ip("127.0.0.1:9000"), pair: None, client: None })],
    );
    let pattern = |offset: u64| (offset % 251) as u8;
    for n in 0..TOTAL / CHUNK {
        let data: Vec<u8> = (n * CHUNK..(n + 1) * CHUNK).map(pattern).collect();
        app.update(Msg::Engine(vec![Event { kind: recv(1, &data), t_us: 1000 + n }]));
    }
    let stream = app.session().connection(id(1)).expect("conn").stream(Dir::In);
    assert_eq!(stream.total(), TOTAL);
    let dropped = stream.dropped();
    let retained_start = stream.retained().start;
    assert!(dropped >= 56 << 20, "most bytes left memory: {dropped}");
    toggle_view(&mut app);
    // Inner width 58: 8 bytes per row with a 7-digit offset.
    let text = panel_text(&app, Panel::Data, 60, 10);
    // As the status bar's sizes: tenths of a MiB, rounded down.
    let tenths = dropped / 1024 * 10 / 1024;
    let note = format!("{}.{} MiB no longer in memory", tenths / 10, tenths % 10);
    assert!(text.lines().nth(1).is_some_and(|l| l.contains(&note)), "{note}:\n{text}");
    let last = text.lines().nth(8).expect("last row");
    let expected: Vec<String> = (TOTAL - 8..TOTAL).map(|o| format!("{:02x}", pattern(o))).collect();
    assert!(last.contains(&format!("<3fffff8 {}", expected.join(" "))), "{last}\n{text}");
    focus(&mut app, Panel::Data);
    app.perform(Action::ScrollToTop);
    let text = panel_text(&app, Panel::Data, 60, 10);
    let first_row = retained_start / 8 * 8;
    assert_eq!(row_offsets(&text).first(), Some(&first_row), "{text}");
    app.perform(Action::ScrollToEnd);
    assert!(panel_text(&app, Panel::Data, 60, 10).contains("<3fffff8"), "End is the end again");
}

#[test]
fn messages_demo_session() {
    let mut app = demo_app();
    let text = panel_text(&app, Panel::Messages, 80, 14);
    assert!(text.contains("framing len:u16be"), "{text}");
    assert!(text.contains("< #0 0.004s    5B  [00 05]hello"), "{text}");
    assert!(text.contains(r"[00 04]\x00\x00\x01\x00"), "{text}");
    assert!(text.contains("partial: 5 of 14 bytes"), "{text}");
    assert!(text.contains("> out · 3 complete messages"), "{text}");
    insta::assert_snapshot!("demo_messages", text);
    // 1 framing line, then per direction a header, 3 messages (and a line for the partial).
    assert_eq!(panels::line_count(Panel::Messages, &app), Some(1 + 6 + 3));
    focus(&mut app, Panel::Messages);
    app.perform(Action::ScrollToTop);
    let top = panel_text(&app, Panel::Messages, 80, 5);
    assert!(top.lines().nth(2).is_some_and(|l| l.contains("< in · 3 complete messages")), "{top}");
    insta::assert_snapshot!("demo_screen_120x40", screen_text(&mut app, 120, 40));
}

/// Both directions share one right-aligned time column, so sizes and bodies line up even when
/// one direction's times have more digits.
/// The bytes past the last complete message are the partial one: said once, and under `eof`
/// framing (one message per direction) never as belonging to a "next" message.
#[test]
fn a_partial_message_is_counted_once() {
    let app = demo_app();
    let text = panel_text(&app, Panel::Messages, 80, 14);
    assert!(text.contains("partial: 5 of 14 bytes"), "{text}");
    assert!(!text.contains("leftover"), "the partial's bytes again:\n{text}");
    let app = app_with(
        SessionConfig { framing: "eof".parse().expect("spec"), ..SessionConfig::default() },
        vec![
            (
                1_000,
                K::Connect { conn: id(1), peer: ip("127.0.0.1:9000"), pair: None, client: None },
            ),
            (2_000, recv(1, b"half a message")),
        ],
    );
    let text = panel_text(&app, Panel::Messages, 80, 8);
    assert!(text.contains("partial: 14 bytes"), "{text}");
    assert!(!text.contains("next message"), "eof framing has no next message:\n{text}");
    assert!(!text.contains("leftover"), "{text}");
}

#[test]
fn messages_of_both_directions_line_up() {
    let app = app_with(
        SessionConfig { framing: "line".parse().expect("spec"), ..SessionConfig::default() },
        vec![
            (1_000, K::Listen { conn: id(1), local: ip("127.0.0.1:7000") }),
            (
                2_000,
                K::Accept {
                    conn: id(2),
                    listener: id(1),
                    local: ip("127.0.0.1:7000"),
                    peer: ip("127.0.0.1:40000"),
                },
            ),
            (4_505_000, recv(2, b"pong 1\n")),
            (10_513_000, send(2, 7, b"ping 3\n")),
        ],
    );
    let text = panel_text(&app, Panel::Messages, 80, 10);
    let size_column = |start: &str| {
        let line = text.lines().find(|line| line.contains(start));
        line.and_then(|line| line.find(" 6B ")).unwrap_or_else(|| panic!("{start}:\n{text}"))
    };
    assert_eq!(size_column("< #0"), size_column("> #0"), "{text}");
    assert!(text.contains("< #0  4.505s"), "{text}");
}

#[test]
fn messages_raw_and_broken_framing() {
    let app = listen_app();
    let text = panel_text(&app, Panel::Messages, 70, 6);
    assert!(text.contains("raw: no messages — :framing SPEC"), "{text}");
    insta::assert_snapshot!("listen_messages_raw", text);
    assert_eq!(panels::line_count(Panel::Messages, &app), Some(1));
    let config = SessionConfig {
        framing: "len:u16be".parse().expect("spec"),
        max_message: 100,
        ..SessionConfig::default()
    };
    let events = vec![
        (0, K::Connect { conn: id(1), peer: ip("127.0.0.1:9000"), pair: None, client: None }),
        (1_000, recv(1, b"\x00\x02ok\xff\xffnever\x1b[2J")),
    ];
    let app = app_with(config, events);
    let text = panel_text(&app, Panel::Messages, 100, 8);
    assert!(text.contains("[00 02]ok"), "{text}");
    assert!(text.contains("framing error: declared length 65535 exceeds"), "{text}");
    assert!(text.contains("after the framing error cannot be framed"), "{text}");
    assert!(!text.contains('\x1b'), "{text}");
    insta::assert_snapshot!("broken_messages", text);
}

#[test]
fn messages_are_virtualised_over_a_million() {
    let config =
        SessionConfig { framing: "fixed:1".parse().expect("spec"), ..SessionConfig::default() };
    let data: Vec<u8> = (0..1_000_000_u32).map(|i| b'a' + (i % 26) as u8).collect();
    let mut app = app_with(
        config,
        vec![
            (0, K::Connect { conn: id(1), peer: ip("127.0.0.1:9000"), pair: None, client: None }),
            (5, recv(1, &data)),
        ],
    );
    assert_eq!(panels::line_count(Panel::Messages, &app), Some(1 + 1 + 1_000_000));
    let end = panel_text(&app, Panel::Messages, 60, 8);
    assert!(end.lines().nth(6).is_some_and(|l| l.contains("#999999 0.000s    1B  n")), "{end}");
    focus(&mut app, Panel::Messages);
    app.perform(Action::ScrollToTop);
    let top = panel_text(&app, Panel::Messages, 60, 8);
    assert!(top.lines().nth(3).is_some_and(|l| l.contains("#0      0.000s    1B  a")), "{top}");
    app.perform(Action::ScrollPageDown);
    let next = panel_text(&app, Panel::Messages, 60, 8);
    assert!(next.contains("#4 "), "{next}");
}

#[test]
fn messages_tiny_areas_never_panic() {
    let mut app = demo_app();
    for (width, height) in [(0, 0), (1, 1), (2, 3), (3, 2), (1, 40), (40, 1), (7, 4)] {
        panel_text(&app, Panel::Messages, width, height);
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal
            .draw(|frame| draw_content(frame, Panel::Messages, &app, width, height))
            .expect("draw");
    }
    let minimum = screen_text(&mut app, 60, 16);
    assert!(minimum.contains("Messages") && minimum.contains("Inspector"), "{minimum}");
}

/// The Calls panel's text with the borders taken off and the rows joined by spaces, so a
/// note wrapped over several rows reads as one sentence.
fn calls_prose(app: &App, width: u16, height: u16) -> String {
    let text = panel_text(app, Panel::Calls, width, height);
    let inner: Vec<&str> =
        text.lines().map(|line| line.trim_matches(|c| c == '│' || c == ' ')).collect();
    inner.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A session on one outgoing connection whose calls all deserve a note.
fn noted_calls_app() -> App {
    let long_error = "the operation could not complete because the remote end of this \
                      connection stopped answering after a very long wait somewhere far away";
    let mut app = app_with(
        SessionConfig::default(),
        vec![
            (0, K::Connect { conn: id(1), peer: ip("127.0.0.1:9000"), pair: None, client: None }),
            (
                1_000,
                K::Connected {
                    conn: id(1),
                    local: ip("127.0.0.1:40000"),
                    peer: ip("127.0.0.1:9000"),
                },
            ),
            (2_000, K::Recv { conn: id(1), max: 5, len: 5, data: Bytes::from_static(b"hello") }),
            (3_000, K::Shutdown { conn: id(1), how: How::Write }),
            (4_000, K::Eof { conn: id(1) }),
            (
                5_000,
                K::Error {
                    conn: id(1),
                    op: Op::Recv,
                    kind: ErrorKind::TimedOut,
                    message: long_error.to_string(),
                },
            ),
        ],
    );
    app.set_why_notes(true);
    app
}

#[test]
fn why_notes_say_what_happened_here() {
    let app = noted_calls_app();
    let prose = calls_prose(&app, 122, 12);
    assert!(prose.contains("recv(5) -> 5"), "{prose}");
    assert!(prose.contains("the 5-byte buffer"), "the call's buffer, not the kernel's: {prose}");
    assert!(prose.contains("recv -> 0 (EOF)"), "{prose}");
    assert!(!prose.contains("you may still send"), "we shut writing already: {prose}");
}

/// At 100 columns the Calls panel is narrow: a note or a call that does not fit wraps onto
/// the next rows, every word kept, never cut.
#[test]
fn calls_and_notes_that_do_not_fit_wrap() {
    let app = noted_calls_app();
    let text = panel_text(&app, Panel::Calls, 50, 30);
    assert!(!text.contains('…'), "nothing is cut:\n{text}");
    let prose = calls_prose(&app, 50, 30);
    for whole in [
        "the operation could not complete because the remote end of this connection stopped \
         answering after a very long wait somewhere far away",
        "no answer in time: a dead peer looks just like a slow one",
        "the peer will send nothing more",
    ] {
        assert!(prose.contains(whole), "{whole}:\n{text}");
    }
}

/// Wrapped calls take several rows: following the end shows the last row of the last call,
/// and paging from the top reaches every call without skipping one.
#[test]
fn wrapped_calls_scroll_and_follow_the_end() {
    let mut events =
        vec![(0, K::Connect { conn: id(1), peer: ip("127.0.0.1:9000"), pair: None, client: None })];
    for n in 1..=40 {
        let data = Bytes::from_static(b"hello");
        events.push((n * 1000, K::Recv { conn: id(1), max: 5, len: 5, data }));
    }
    let mut app = app_with(SessionConfig::default(), events);
    app.set_why_notes(true);
    // The Calls panel of a 100×30 terminal (the whole screen is drawn: only it has calls).
    let end = screen_text(&mut app, 100, 30);
    assert!(end.contains("0.040s recv(5) -> 5"), "follows the end:\n{end}");
    let rows = panels::line_count(Panel::Calls, &app).expect("the Calls panel counts lines");
    assert!(rows > 2 * 40, "a header, then each call and its note in two rows: {rows}");
    focus(&mut app, Panel::Calls);
    app.perform(Action::ScrollToTop);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..rows {
        let page = screen_text(&mut app, 100, 30);
        for n in 1..=40 {
            if page.contains(&format!("0.{n:03}s recv(5)")) {
                seen.insert(n);
            }
        }
        if seen.len() == 40 {
            break;
        }
        app.perform(Action::ScrollPageDown);
    }
    assert_eq!(seen.len(), 40, "every call shows on some page: {seen:?}");
}
