//! The follow view (`F`) shows a proxied pair as one conversation, every byte exactly once:
//! the client leg's receives (up) and the upstream leg's receives (down), interleaved in time
//! order, drawn on the whole screen at several widths and paged from `Home` to the end. The
//! rows are parsed back from the rendered buffer and must rebuild both directions byte for
//! byte; the turn headers must come in time order, one per call.

mod proxied_pair;
mod screen_bytes;

use bytes::Bytes;
use proxied_pair::{CLIENT, UPSTREAM, ip, opening};
use screen_bytes::{chunks, corpus, rebuild, screen};
use sockscope::event::{ConnId, Event, EventKind as K};
use sockscope::session::{Session, SessionConfig};
use sockscope::tui::{Action, App, FollowAction, FollowLayout, FollowTop, Mode, Msg, Source};
use std::collections::BTreeMap;

/// A proxy's pair: the client leg receives `up` and sends `down` on; the upstream leg sends
/// `up` on and receives `down`. The calls of the two directions alternate in time, unevenly.
fn proxied_events(up: &[u8], down: &[u8]) -> Vec<Event> {
    let mut events = opening();
    let recv = |conn, data: &[u8]| K::Recv {
        conn,
        max: 65536,
        len: data.len(),
        data: Bytes::copy_from_slice(data),
    };
    let send = |conn, data: &[u8]| K::Send {
        conn,
        requested: data.len(),
        len: data.len(),
        data: Bytes::copy_from_slice(data),
    };
    let (mut ups, mut downs) = (chunks(up).into_iter(), chunks(down).into_iter().peekable());
    let mut t_us = 10;
    let mut push = |events: &mut Vec<Event>, conn_in, conn_out, piece: &[u8]| {
        events.push(Event { t_us, kind: recv(conn_in, piece) });
        events.push(Event { t_us: t_us + 1, kind: send(conn_out, piece) });
        t_us += 1000;
    };
    // Two up turns for every down turn while both last, so turns of one side follow each
    // other as well as alternate.
    for n in 0.. {
        match (ups.next(), n % 2 == 1) {
            (Some(piece), false) => push(&mut events, CLIENT, UPSTREAM, piece),
            (Some(piece), true) => {
                push(&mut events, CLIENT, UPSTREAM, piece);
                if let Some(piece) = downs.next() {
                    push(&mut events, UPSTREAM, CLIENT, piece);
                }
            }
            (None, _) if downs.peek().is_some() => {
                let piece = downs.next().expect("a piece");
                push(&mut events, UPSTREAM, CLIENT, piece);
            }
            (None, _) => break,
        }
    }
    events
}

fn app_following(events: Vec<Event>) -> App {
    let mut app = App::new(Session::new(SessionConfig::default()), Mode::Auto, Source::Live);
    app.update(Msg::Engine(events));
    app.execute(sockscope::tui::command::parse(&format!("select {}", CLIENT.0)).expect("command"));
    app.perform(Action::Follow(FollowAction::Toggle));
    app
}

/// What one screen of the follow view shows: rows per direction (`>` up, `<` down) and turn
/// headers (`▶`/`◀`, with their time in milliseconds and offset) in screen order.
#[derive(Default)]
struct Shown {
    up: BTreeMap<u64, String>,
    down: BTreeMap<u64, String>,
    turns: Vec<(char, u64, u64)>,
}

fn parse_screen(lines: &[String], shown: &mut Shown) {
    for line in lines {
        let Some(inner) = line.strip_prefix('│') else { continue };
        let inner = inner.strip_suffix('│').unwrap_or(inner);
        let mut chars = inner.chars();
        match chars.next() {
            Some(marker @ ('>' | '<')) => {
                let (offset, text) = chars.as_str().split_once(' ').expect("offset and text");
                let offset = u64::from_str_radix(offset, 16).expect("hex offset");
                let text = text.trim_end_matches(' ').to_string();
                let rows = if marker == '>' { &mut shown.up } else { &mut shown.down };
                let earlier = rows.insert(offset, text.clone());
                assert!(earlier.is_none_or(|seen| seen == text), "row {offset:#x} changed");
            }
            Some(marker @ ('▶' | '◀')) => {
                // Pages overlap: a turn seen already is not a new one.
                let turn = turn(marker, inner);
                if !shown.turns.contains(&turn) {
                    shown.turns.push(turn);
                }
            }
            _ => {}
        }
    }
}

/// `▶ client→server · 0.010s · recv 17 B @0x0 ───` as (marker, milliseconds, offset).
fn turn(marker: char, header: &str) -> (char, u64, u64) {
    let fields: Vec<&str> = header.split(" · ").collect();
    let ms = fields[1].trim_end_matches('s').replace('.', "").parse().expect("time");
    let at =
        fields[2].split('@').nth(1).expect("offset").split_whitespace().next().expect("offset");
    (marker, ms, u64::from_str_radix(at.trim_start_matches("0x"), 16).expect("hex"))
}

#[test]
fn a_proxied_pair_is_one_conversation_with_every_byte_once() {
    let stream = corpus();
    let (up, down) = (&stream[..stream.len() / 3], &stream[..]);
    for width in [70, 120, 200] {
        let mut app = app_following(proxied_events(up, down));
        app.perform(Action::ScrollToTop);
        let mut shown = Shown::default();
        for page in 0.. {
            assert!(page < 10_000, "paging never reached the end at width {width}");
            parse_screen(&screen(&mut app, width, 40), &mut shown);
            if app.follow_top() == FollowTop::Follow {
                break;
            }
            app.perform(Action::ScrollPageDown);
        }
        assert!(rebuild(&shown.up, up) == up, "the up rows rebuild what the client sent ({width})");
        assert!(rebuild(&shown.down, down) == down, "the down rows rebuild the reply ({width})");
        let turns = &shown.turns;
        assert_eq!(turns.iter().filter(|t| t.0 == '▶').count(), chunks(up).len());
        assert_eq!(turns.iter().filter(|t| t.0 == '◀').count(), chunks(down).len());
        assert!(turns.windows(2).all(|pair| pair[0].1 <= pair[1].1), "turns in time order");
        assert!(turns.windows(2).any(|pair| pair[0].0 == pair[1].0), "a side may turn twice");
    }
}

/// `:connect` to our own `:listen`: #2 (outgoing) sends 40 bytes in one call, #3 (accepted)
/// reads them in 5-byte calls. Only the ends' addresses say they are one connection.
fn own_ends_events() -> Vec<Event> {
    let message: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCD";
    let mut events = vec![
        Event::session_start(),
        Event { t_us: 1, kind: K::Listen { conn: ConnId(1), local: ip("127.0.0.1:7000") } },
        Event {
            t_us: 2,
            kind: K::Connect {
                conn: ConnId(2),
                peer: ip("127.0.0.1:7000"),
                pair: None,
                client: None,
            },
        },
        Event {
            t_us: 3,
            kind: K::Connected {
                conn: ConnId(2),
                local: ip("127.0.0.1:50000"),
                peer: ip("127.0.0.1:7000"),
            },
        },
        Event {
            t_us: 4,
            kind: K::Accept {
                conn: ConnId(3),
                listener: ConnId(1),
                local: ip("127.0.0.1:7000"),
                peer: ip("127.0.0.1:50000"),
            },
        },
        Event {
            t_us: 10,
            kind: K::Send {
                conn: ConnId(2),
                requested: 40,
                len: 40,
                data: Bytes::copy_from_slice(message),
            },
        },
    ];
    for (n, piece) in message.chunks(5).enumerate() {
        let data = Bytes::copy_from_slice(piece);
        let kind = K::Recv { conn: ConnId(3), max: 5, len: 5, data };
        events.push(Event { t_us: 20 + n as u64, kind });
    }
    events
}

/// The two columns of side by side: each line split at the divider, trimmed.
fn columns(lines: &[String]) -> Vec<(String, String)> {
    lines
        .iter()
        .filter_map(|line| {
            let inner = line.strip_prefix('│')?.strip_suffix('│')?;
            let (left, right) = inner.split_once('│')?;
            Some((left.trim_end().to_string(), right.trim_end().to_string()))
        })
        .collect()
}

#[test]
fn side_by_side_shows_one_send_arriving_as_eight_recvs() {
    let mut app = App::new(Session::new(SessionConfig::default()), Mode::Auto, Source::Live);
    app.update(Msg::Engine(own_ends_events()));
    app.execute(sockscope::tui::command::parse("select 2").expect("command"));
    app.execute(sockscope::tui::command::parse("follow").expect("command"));
    app.perform(Action::Follow(FollowAction::SideBySide));
    let lines = screen(&mut app, 120, 30);
    let columns = columns(&lines);
    let marks = |pick: fn(&(String, String)) -> &String, call: &str| {
        columns.iter().filter(|row| pick(row).starts_with(&format!("┌ {call}"))).count()
    };
    assert_eq!(marks(|row| &row.0, "send 40 B"), 1, "{lines:#?}");
    assert_eq!(marks(|row| &row.1, "recv 5 B"), 8, "{lines:#?}");
    let text = |pick: fn(&(String, String)) -> &String, marker: char| -> String {
        columns
            .iter()
            .filter_map(|row| {
                pick(row).strip_prefix(marker)?.split_once(' ').map(|(_, t)| t.to_string())
            })
            .collect()
    };
    assert_eq!(text(|row| &row.0, '>'), "0123456789abcdefghijklmnopqrstuvwxyzABCD");
    assert_eq!(text(|row| &row.1, '<'), "0123456789abcdefghijklmnopqrstuvwxyzABCD");
    // `o`: the other direction, whose sender is the accepted socket.
    app.perform(Action::SwitchCursorDirection);
    let lines = screen(&mut app, 120, 30);
    let title = "◀ server→client: left, #3's send calls; right, #2's recv calls";
    assert!(lines.iter().any(|line| line.contains(title)), "{lines:#?}");
    assert!(lines.iter().any(|line| line.contains("no bytes in this direction yet")), "{lines:#?}");
}

#[test]
fn side_by_side_says_why_when_the_other_end_is_not_here() {
    let mut events = own_ends_events();
    // Without the accepted socket, #2's peer is a stranger.
    events.retain(|event| !matches!(event.kind, K::Accept { .. } | K::Recv { .. }));
    let mut app = App::new(Session::new(SessionConfig::default()), Mode::Auto, Source::Live);
    app.update(Msg::Engine(events));
    app.execute(sockscope::tui::command::parse("select 2").expect("command"));
    app.execute(sockscope::tui::command::parse("follow").expect("command"));
    app.perform(Action::Follow(FollowAction::SideBySide));
    let status = app.status().map(|status| status.text.clone()).unwrap_or_default();
    assert!(status.contains("needs both ends"), "{status}");
    assert_eq!(app.follow_view().map(|view| view.layout), Some(FollowLayout::Interleaved));
    let lines = screen(&mut app, 120, 30);
    assert!(lines.iter().any(|line| line.contains("│>0000 0123456789abcdef")), "{lines:#?}");
    assert!(lines[1].contains("the peer is not in this session"), "the title says why: {lines:#?}");
}

/// On an ASCII terminal the markers and arrows are ASCII, and so is every cell.
#[test]
fn an_ascii_terminal_gets_ascii_markers() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use sockscope::tui::glyphs::Glyphs;
    let mut app = app_following(proxied_events(b"GET / HTTP/1.1\r\n\r\n", "héllo\r\n".as_bytes()));
    app.update(Msg::Resize { width: 100, height: 30 });
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    terminal
        .draw(|frame| sockscope::tui::view::draw_with(frame, &app, Glyphs::Ascii))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let text: String = buffer.content().iter().map(ratatui::buffer::Cell::symbol).collect();
    assert!(text.is_ascii(), "{text}");
    assert!(text.contains("> client->server - "), "{text}");
    assert!(text.contains("< server->client - "), "{text}");
    assert!(text.contains("<0000 h\\u{e9}llo\\r\\n"), "{text}");
}
