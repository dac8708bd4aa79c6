//! The follow view over the bench's 10 000 connections: a proxied pair whose conversation is
//! 1 GiB (64 KiB received from the client and sent on in two 32 KiB sends, a 200-byte reply
//! every eighth), drawn at its end, its start, 100 pages on, and side by side, against two
//! baselines measured in the same run: a short HTTP exchange, and a 256 KiB conversation of
//! the same bytes (full pages of the same escapes, so only the size differs).

use super::{BIG, CAPTURED, CHUNK, LISTENER, blocks, case, command, fold, ip, press};
use bytes::Bytes;
use crossterm::event::KeyCode;
use sockscope::event::{ConnId, Event, EventKind as K};
use sockscope::tui::App;

const SMALL_CLIENT: u64 = BIG + 1;
const HUGE_CLIENT: u64 = BIG + 3;
const BASELINE_CLIENT: u64 = BIG + 5;
const REPLY: &[u8] = &[b'r'; 200];

/// A proxy's client leg accepted on the bench's listener, and its upstream leg.
fn pair(client: u64, t_us: u64) -> [Event; 2] {
    let accept = K::Accept {
        conn: ConnId(client),
        listener: ConnId(LISTENER),
        local: ip("127.0.0.1:9000"),
        peer: ip(&format!("127.0.0.1:{}", 30_000 + client)),
    };
    let connect = K::Connect {
        conn: ConnId(client + 1),
        peer: ip("127.0.0.1:9999"),
        pair: Some(ConnId(client)),
        client: None,
    };
    [Event { kind: accept, t_us }, Event { kind: connect, t_us }]
}

fn recv(conn: u64, data: Bytes, t_us: u64) -> Event {
    Event { kind: K::Recv { conn: ConnId(conn), max: CHUNK, len: data.len(), data }, t_us }
}

fn send(conn: u64, data: Bytes, t_us: u64) -> Event {
    let len = data.len();
    Event { kind: K::Send { conn: ConnId(conn), requested: len, len, data }, t_us }
}

/// One turn each way, as a proxy reports them: received on one leg, sent on by the other.
fn exchange(client: u64, up: &Bytes, down: Option<Bytes>, t_us: u64) -> Vec<Event> {
    let half = up.len() / 2;
    let mut events = vec![
        recv(client, up.clone(), t_us),
        send(client + 1, up.slice(..half), t_us + 1),
        send(client + 1, up.slice(half..), t_us + 2),
    ];
    if let Some(down) = down {
        events.push(recv(client + 1, down.clone(), t_us + 10));
        events.push(send(client, down, t_us + 11));
    }
    events
}

fn small_conversation() -> Vec<Event> {
    let mut events = pair(SMALL_CLIENT, 900_000).to_vec();
    let request = Bytes::from_static(b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n");
    let reply = Bytes::from_static(b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    events.extend(exchange(SMALL_CLIENT, &request, Some(reply), 900_100));
    events
}

/// `bytes` from the client in 64 KiB turns, with a reply every eighth, from `t_us` on.
fn conversation(
    client: u64,
    bytes: u64,
    blocks: &[Bytes],
    t_us: u64,
) -> impl Iterator<Item = Event> + '_ {
    let turns = bytes / CHUNK as u64;
    let reply = Bytes::from_static(REPLY);
    pair(client, t_us).into_iter().chain((0..turns).flat_map(move |n| {
        let up = blocks[n as usize % blocks.len()].clone();
        let down = (n % 8 == 7).then(|| reply.clone());
        exchange(client, &up, down, t_us + 100 + n * 50)
    }))
}

/// Runs every case; returns the worst p99 of the frames, in ms.
pub fn measure(app: &mut App) -> f64 {
    let blocks = blocks();
    fold(app, conversation(HUGE_CLIENT, CAPTURED, &blocks, 5_000_000));
    // After the flood, or retention would have evicted them.
    fold(app, small_conversation());
    fold(app, conversation(BASELINE_CLIENT, 256 << 10, &blocks, 10_000_000));
    drop(blocks);
    let mut worst: f64 = 0.0;
    command(app, &format!("select {SMALL_CLIENT}"));
    press(app, KeyCode::Char('F'));
    assert!(app.follow_view().is_some(), "F opens the follow view");
    for size in [(200, 60), (120, 40)] {
        worst = worst.max(case(app, "follow, HTTP exchange", size, &["GET / HTTP/1.1", "200 OK"]));
    }
    for (client, name) in [(BASELINE_CLIENT, "256 KiB"), (HUGE_CLIENT, "1 GiB")] {
        command(app, &format!("select {client}"));
        for size in [(200, 60), (120, 40)] {
            worst = worst.max(follow_cases(app, name, size));
        }
    }
    press(app, KeyCode::Esc);
    worst
}

/// The follow view of the selected conversation at its end, its start, 100 pages on and side
/// by side; returns the worst p99.
fn follow_cases(app: &mut App, name: &str, size: (u16, u16)) -> f64 {
    press(app, KeyCode::End);
    let mut worst = case(app, &format!("follow {name}, End"), size, &["◀ server→client"]);
    press(app, KeyCode::Home);
    worst = worst.max(case(app, &format!("follow {name}, Home"), size, &["▶ client→server"]));
    for _ in 0..100 {
        press(app, KeyCode::PageDown);
    }
    worst = worst.max(case(app, &format!("follow {name}, 100 pages"), size, &["client→server"]));
    press(app, KeyCode::Char('s'));
    let sides = ["'s send calls; right,", "'s recv calls of the same bytes"];
    worst = worst.max(case(app, &format!("follow {name}, side by side"), size, &sides));
    press(app, KeyCode::Char('s'));
    worst
}
