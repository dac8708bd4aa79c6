//! Frame render time on a big session: `cargo bench --bench render`.
//!
//! Target: with 10 000 connections and 1 GiB captured, a frame renders in at most 8 ms.
//!
//! A listener accepts 10 000 connections (hand-made events, distinct peer ports); the last of
//! them receives 1 GiB in 64 KiB `recv` events, one poll round each, folded in engine-sized
//! batches (the session keeps only its retention cap, 256 MiB by default). Then, with keys as a
//! user would press them, it times `terminal.draw(|f| view::draw(f, &app))` on ratatui's
//! `TestBackend` at 200×60 and 120×40 for: the Data panel in text view at the end, at the
//! start (Home) and 100 pages on, hex view at the end and at the start (Home), and the
//! selection on a connection in the middle.
//!
//! Each case is drawn [`FRAMES`] times in two ways: `steady`, the same terminal frame after
//! frame (the diff against the previous frame finds nothing to write), and `full`, after
//! clearing the terminal so every cell is written to the backend again, as when everything on
//! screen changed. Prints the median and p99 in ms, the fold times and the peak RSS.
//!
//! Then the Connections panel sorted by bytes in and filtered to 1000 of the 10 001 sockets
//! ([`rows`]): frames that reuse the cached rows, frames that rebuild them, and the rebuild
//! alone for several orders and filters. Last, the follow view ([`follow`]) of a small
//! exchange and of a 1 GiB conversation in the same session.

#[path = "render/follow.rs"]
mod follow;
#[path = "render/rows.rs"]
mod rows;

use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sockscope::event::{Address, ConnId, Dir, Event, EventKind as K, Readiness};
use sockscope::session::Session;
use sockscope::tui::{App, DataView, Mode, Msg, Panel, Source, view};
use std::time::{Duration, Instant};

const CONNECTIONS: u64 = 10_000;
const CAPTURED: u64 = 1 << 30;
const CHUNK: usize = 64 << 10;
/// Connection ids: the listener is #1, the accepted ones #2 ..= #10001.
const LISTENER: u64 = 1;
const BIG: u64 = LISTENER + CONNECTIONS;
const MIDDLE: u64 = LISTENER + CONNECTIONS / 2;
const FRAMES: usize = 200;
const TARGET_MS: f64 = 8.0;
/// Most events per batch, as the engine sends them (`engine::BATCH_EVENTS`).
const BATCH_EVENTS: usize = 256;
/// Most payload per batch (`engine::BATCH_BYTES`).
const BATCH_BYTES: usize = 1 << 20;

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("bench address"))
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn press(app: &mut App, code: KeyCode) {
    app.update(key(code));
}

/// Types `:LINE` and Enter.
fn command(app: &mut App, line: &str) {
    press(app, KeyCode::Char(':'));
    for c in line.chars() {
        press(app, KeyCode::Char(c));
    }
    press(app, KeyCode::Enter);
}

/// Pseudo-random payload (xorshift, fixed seed): mostly bytes the text view must escape, so
/// the text view does the most work per byte shown.
fn blocks() -> Vec<Bytes> {
    let mut seed = 0x9e37_79b9_u32;
    (0..16)
        .map(|_| {
            let block: Vec<u8> = (0..CHUNK)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed.to_le_bytes()[0]
                })
                .collect();
            Bytes::from(block)
        })
        .collect()
}

/// Folds `events` in batches no larger than the engine's.
fn fold(app: &mut App, events: impl IntoIterator<Item = Event>) {
    let mut batch = Vec::new();
    let mut payload = 0;
    for event in events {
        if let K::Recv { len, .. } = &event.kind {
            payload += len;
        }
        batch.push(event);
        if batch.len() >= BATCH_EVENTS || payload >= BATCH_BYTES {
            app.update(Msg::Engine(std::mem::take(&mut batch)));
            payload = 0;
        }
    }
    if !batch.is_empty() {
        app.update(Msg::Engine(batch));
    }
}

fn accepts() -> impl Iterator<Item = Event> {
    let listen = [
        Event { kind: K::Listen { conn: ConnId(LISTENER), local: ip("127.0.0.1:9000") }, t_us: 10 },
        Event { kind: K::Interest { conn: ConnId(LISTENER), read: true, write: false }, t_us: 10 },
    ];
    let accepted = (LISTENER + 1..=BIG).flat_map(|n| {
        let conn = ConnId(n);
        let peer = ip(&format!("127.0.0.1:{}", 10_000 + n));
        [
            Event {
                kind: K::Accept {
                    conn,
                    listener: ConnId(LISTENER),
                    local: ip("127.0.0.1:9000"),
                    peer,
                },
                t_us: 100 + n,
            },
            Event { kind: K::Interest { conn, read: true, write: false }, t_us: 100 + n },
        ]
    });
    listen.into_iter().chain(accepted)
}

/// 1 GiB to #BIG: per 64 KiB, one poll round that reports it readable and one `recv`.
fn flood(blocks: &[Bytes]) -> impl Iterator<Item = Event> + '_ {
    let chunks = CAPTURED / CHUNK as u64;
    (0..chunks).flat_map(move |n| {
        let t_us = 1_000_000 + n * 50;
        let data = blocks[n as usize % blocks.len()].clone();
        let ready = Readiness { round: n + 1, readable: vec![ConnId(BIG)], ..Readiness::default() };
        [
            Event { kind: K::Ready(ready), t_us },
            Event { kind: K::Recv { conn: ConnId(BIG), max: CHUNK, len: CHUNK, data }, t_us },
        ]
    })
}

fn screen(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    (0..area.height)
        .map(|y| (0..area.width).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Bytes as KiB in an `f64` (exact below 4 TiB).
fn kib(bytes: u64) -> f64 {
    f64::from(u32::try_from(bytes / 1024).unwrap_or(u32::MAX))
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Median and p99 of `FRAMES` draws, in ms, and how many took longer than the target.
fn time_frames(
    terminal: &mut Terminal<TestBackend>,
    app: &App,
    full_redraw: bool,
) -> (f64, f64, usize) {
    let mut times = Vec::with_capacity(FRAMES);
    for _ in 0..FRAMES {
        if full_redraw {
            terminal.clear().expect("clear");
        }
        let start = Instant::now();
        terminal.draw(|frame| view::draw(frame, app)).expect("draw");
        times.push(start.elapsed());
    }
    times.sort_unstable();
    let p99 = times[(times.len() * 99).div_ceil(100) - 1];
    let over = times.iter().filter(|time| ms(**time) > TARGET_MS).count();
    (ms(times[times.len() / 2]), ms(p99), over)
}

/// Draws one case at one size: checks the screen shows `expect`, then times both ways.
fn case(app: &mut App, name: &str, (width, height): (u16, u16), expect: &[&str]) -> f64 {
    app.update(Msg::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| view::draw(frame, app)).expect("draw");
    let text = screen(&terminal);
    for wanted in expect {
        assert!(text.contains(wanted), "{name} at {width}x{height}: no {wanted:?} on\n{text}");
    }
    let (steady_median, steady_p99, steady_over) = time_frames(&mut terminal, app, false);
    let (full_median, full_p99, full_over) = time_frames(&mut terminal, app, true);
    println!(
        "{name:<24} {width:>3}x{height:<3} steady: median {steady_median:6.3} p99 \
         {steady_p99:6.3} ms ({steady_over:>3} > {TARGET_MS} ms) | full redraw: median \
         {full_median:6.3} p99 {full_p99:6.3} ms ({full_over:>3} > {TARGET_MS} ms)"
    );
    steady_p99.max(full_p99)
}

fn peak_rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map_or_else(|| "?".to_string(), |value| value.trim().to_string())
    };
    format!("peak RSS (VmHWM) {}, RSS now (VmRSS) {}", field("VmHWM:"), field("VmRSS:"))
}

fn main() {
    let mut app = App::new(Session::default(), Mode::Auto, Source::Live);
    app.update(Msg::Engine(vec![Event::session_start()]));

    let start = Instant::now();
    fold(&mut app, accepts());
    let accept_time = start.elapsed();
    let blocks = blocks();
    let start = Instant::now();
    fold(&mut app, flood(&blocks));
    let flood_time = start.elapsed();
    drop(blocks);

    let session = app.session();
    let stream = session.connection(ConnId(BIG)).expect("the big connection").stream(Dir::In);
    assert_eq!(stream.total(), CAPTURED);
    assert_eq!(session.connections().count() as u64, CONNECTIONS + 1);
    println!(
        "fold: {CONNECTIONS} accepts in {:.1} ms; 1 GiB in {} recv events (+ as many rounds) in \
         {:.2} s = {:.0} MB/s; retained {:.1} MiB of memory, {:.1} MiB of the stream evicted",
        ms(accept_time),
        CAPTURED / CHUNK as u64,
        flood_time.as_secs_f64(),
        kib(CAPTURED) * 1024.0 / flood_time.as_secs_f64() / 1e6,
        kib(session.retained_memory() as u64) / 1024.0,
        kib(stream.dropped()) / 1024.0,
    );

    // Select the big connection and focus the Data panel, as a user would.
    command(&mut app, &format!("select {BIG}"));
    assert_eq!(app.selected(), Some(ConnId(BIG)));
    while app.focus() != Panel::Data {
        press(&mut app, KeyCode::Tab);
    }
    let mut worst: f64 = 0.0;
    let big = format!("#{BIG}");
    for size in [(200, 60), (120, 40)] {
        press(&mut app, KeyCode::End);
        assert_eq!(app.data_view(), DataView::Text);
        worst = worst.max(case(&mut app, "text view, End", size, &["Data (text)", &big]));
        // Text rows are laid out from anchors: the start and pages in the middle cost the
        // same as the end.
        press(&mut app, KeyCode::Home);
        worst = worst.max(case(&mut app, "text view, Home", size, &["no longer in memory"]));
        for _ in 0..100 {
            press(&mut app, KeyCode::PageDown);
        }
        worst = worst.max(case(&mut app, "text view, 100 pages on", size, &["Data (text)"]));
        press(&mut app, KeyCode::End);
        press(&mut app, KeyCode::Char('x'));
        assert_eq!(app.data_view(), DataView::Hex);
        // The last row's offset depends on the row width; its leading digits do not.
        worst = worst.max(case(&mut app, "hex view, End", size, &["Data (hex)", "<3ffff"]));
        press(&mut app, KeyCode::Home);
        worst = worst.max(case(&mut app, "hex view, Home", size, &["no longer in memory"]));
        press(&mut app, KeyCode::End);
        press(&mut app, KeyCode::Char('x'));
    }
    command(&mut app, &format!("select {MIDDLE}"));
    assert_eq!(app.selected(), Some(ConnId(MIDDLE)));
    let middle = format!("#{MIDDLE} ");
    for size in [(200, 60), (120, 40)] {
        worst = worst.max(case(&mut app, "selection in the middle", size, &[&middle]));
    }
    worst = worst.max(rows::measure(&mut app));
    worst = worst.max(follow::measure(&mut app));
    println!("{} frames per case and way; {}", FRAMES, peak_rss());
    let verdict = if worst <= TARGET_MS { "met" } else { "NOT met" };
    println!("target {TARGET_MS} ms per frame: {verdict} (worst p99 {worst:.3} ms)");
}
