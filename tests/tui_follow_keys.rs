//! The Data panel's keys in the follow view: the cursor walks the conversation across
//! directions (and a proxied pair's legs), `o` jumps to the other direction, search, go-to
//! and copy work on the cursor's direction; `Esc` leaves; bytes retention dropped are named.

mod proxied_pair;
mod screen_bytes;

use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proxied_pair::{CLIENT, UPSTREAM, ip, opening};
use screen_bytes::screen;
use sockscope::event::{ConnId, Dir, Event, EventKind as K};
use sockscope::session::{Session, SessionConfig};
use sockscope::tui::{App, Cursor, Mode, Msg, Overlay, PromptKind, Source};

const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
const REPLY: &[u8] = b"HTTP/1.0 200 OK\r\nServer: y\r\n\r\n<p>hello</p>\n";

fn data(bytes: &[u8]) -> Bytes {
    Bytes::copy_from_slice(bytes)
}

/// A proxied exchange: the client leg receives `request` in one call and the upstream leg
/// the reply in one, 1 ms later.
fn proxied(config: SessionConfig, request: &[u8]) -> App {
    let mut events = opening();
    events.extend([
        Event {
            t_us: 1000,
            kind: K::Recv { conn: CLIENT, max: 1 << 20, len: request.len(), data: data(request) },
        },
        Event {
            t_us: 2000,
            kind: K::Recv { conn: UPSTREAM, max: 65536, len: REPLY.len(), data: data(REPLY) },
        },
    ]);
    let mut app = App::new(Session::new(config), Mode::Auto, Source::Live);
    app.update(Msg::Engine(events));
    app.update(Msg::Resize { width: 120, height: 40 });
    app.execute(sockscope::tui::command::parse("select 2").expect("command"));
    press(&mut app, KeyCode::Char('F'));
    app
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
    press(app, KeyCode::Enter);
}

fn at(conn: ConnId, offset: u64) -> (ConnId, Dir, u64) {
    (conn, Dir::In, offset)
}

fn cursor(app: &App) -> (ConnId, Dir, u64) {
    let Cursor { conn, dir, offset, .. } = app.cursor().expect("a cursor");
    (conn, dir, offset)
}

#[test]
fn the_cursor_walks_from_the_request_into_the_reply() {
    let mut app = proxied(SessionConfig::default(), REQUEST);
    press(&mut app, KeyCode::Down);
    assert_eq!(cursor(&app), at(CLIENT, 0), "the first key shows the cursor where one looks");
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    // Three rows of the request, then the reply's first row, on the upstream leg.
    assert_eq!(cursor(&app), at(UPSTREAM, 0));
    press(&mut app, KeyCode::Up);
    assert_eq!(cursor(&app), at(CLIENT, 25), "back on the request's last row (`\\r\\n`)");
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(cursor(&app), at(UPSTREAM, 0), "o: the other direction's nearest turn");
    let lines = screen(&mut app, 120, 40);
    assert!(lines.iter().any(|line| line.contains("◀ server→client")), "{lines:#?}");
    press(&mut app, KeyCode::Esc);
    assert!(app.follow_view().is_none(), "Esc goes back to the panels");
}

#[test]
fn search_go_to_and_copy_work_on_the_cursor_direction() {
    let mut app = proxied(SessionConfig::default(), REQUEST);
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "hello");
    let found = REPLY.windows(5).position(|w| w == b"hello").expect("in the reply") as u64;
    assert_eq!(cursor(&app), at(UPSTREAM, found));
    assert_eq!(app.cursor().and_then(|c| c.anchor), Some(found + 4), "the match is selected");
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Char('h'));
    match app.overlay() {
        Overlay::Prompt(prompt) => {
            assert_eq!(prompt.kind, PromptKind::SendHex);
            assert_eq!(prompt.editor.text(), "68 65 6c 6c 6f");
        }
        other => panic!("the send-hex line, not {other:?}"),
    }
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('g'));
    type_text(&mut app, "0x11");
    assert_eq!(cursor(&app), at(UPSTREAM, 0x11));
    assert!(app.follow_view().is_some(), "still in the follow view");
}

#[test]
fn bytes_retention_dropped_are_named_not_hidden() {
    let config = SessionConfig { retain: 16 << 10, ..SessionConfig::default() };
    let request: Vec<u8> = b"x".repeat(64 << 10);
    let mut app = proxied(config, &request);
    let lines = screen(&mut app, 120, 40);
    assert!(lines[3].contains("of client→server no longer in memory"), "{lines:#?}");
    press(&mut app, KeyCode::Home);
    let lines = screen(&mut app, 120, 40);
    assert!(lines.iter().any(|line| line.contains("no longer in memory)")), "{lines:#?}");
}

#[test]
fn a_conversation_retention_dropped_whole_says_so() {
    let config = SessionConfig { retain: 16 << 10, ..SessionConfig::default() };
    let mut app = proxied(config, REQUEST);
    // Another connection's flood pushes this conversation's bytes out of memory.
    let flood = vec![
        Event {
            t_us: 3000,
            kind: K::Connect { conn: ConnId(4), peer: ip("127.0.0.1:9"), pair: None, client: None },
        },
        Event {
            t_us: 4000,
            kind: K::Recv {
                conn: ConnId(4),
                max: 1 << 20,
                len: 64 << 10,
                data: data(&[b'z'; 64 << 10]),
            },
        },
    ];
    app.update(Msg::Engine(flood));
    let lines = screen(&mut app, 120, 40);
    assert!(
        lines.iter().any(|line| line.contains("every byte of this conversation is gone")),
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|line| line.contains("no bytes moved")), "{lines:#?}");
}
