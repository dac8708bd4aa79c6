//! The Connections panel sorted and filtered over the bench's 10 000 connections.
//!
//! Three measures: frames that reuse the cached rows (the usual frame: nothing changed the
//! order), frames that must rebuild them first (one `recv` before each frame moves a list
//! sorted by bytes in), and the rebuild alone (`conn_view::ordered_ids`) for several orders and
//! filters.

use super::{FRAMES, MIDDLE, TARGET_MS, case, command, ms, press, screen};
use bytes::Bytes;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sockscope::event::{ConnId, Event, EventKind as K};
use sockscope::tui::conn_view::{Filter, Order, SortColumn, SortDirection, ordered_ids};
use sockscope::tui::{App, Msg, Panel, view};
use std::time::{Duration, Instant};

/// Peers are 127.0.0.1:10002 ..= :20001, so `:15` lists ports 15000-15999.
const FILTER: &str = ":15";
const LISTED: usize = 1000;

/// Runs every measure; returns the worst p99 of the frames, in ms.
pub fn measure(app: &mut App) -> f64 {
    while app.focus() != Panel::Connections {
        press(app, KeyCode::Tab);
    }
    command(app, "sort in");
    command(app, &format!("filter {FILTER}"));
    assert_eq!(app.connection_rows().len(), LISTED);
    let mut worst: f64 = 0.0;
    let title = format!("{LISTED} of 10001");
    for size in [(200, 60), (120, 40)] {
        worst = worst.max(case(app, "sorted + filtered rows", size, &[&title, "in▼"]));
        worst = worst.max(rebuilding_frames(app, size));
    }
    rebuilds(app);
    command(app, "filter");
    command(app, "sort id");
    worst
}

/// Frames each preceded by a 1-byte `recv` on a listed connection: the bytes-sorted list must
/// be rebuilt (filter and sort) inside the draw.
fn rebuilding_frames(app: &mut App, (width, height): (u16, u16)) -> f64 {
    app.update(Msg::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let mut times = Vec::with_capacity(FRAMES);
    for n in 0..FRAMES as u64 {
        let data = Bytes::from_static(b"x");
        let kind = K::Recv { conn: ConnId(MIDDLE), max: 1, len: 1, data };
        app.update(Msg::Engine(vec![Event { kind, t_us: 10_000_000 + n }]));
        let start = Instant::now();
        terminal.draw(|frame| view::draw(frame, app)).expect("draw");
        times.push(start.elapsed());
    }
    let text = screen(&terminal);
    assert!(text.contains(&format!("{LISTED} of 10001")), "{text}");
    let (median, p99) = median_p99(&mut times);
    let over = times.iter().filter(|time| ms(**time) > TARGET_MS).count();
    println!(
        "{:<24} {width:>3}x{height:<3} rebuilt each frame: median {median:6.3} p99 {p99:6.3} ms \
         ({over:>3} > {TARGET_MS} ms)",
        "sorted + filtered rows"
    );
    p99
}

/// The rebuild alone, for orders and filters over all 10 001 sockets.
fn rebuilds(app: &App) {
    let session = app.session();
    let desc = |column| Order { column, direction: SortDirection::Descending };
    let cases = [
        ("id, no filter", Order::default(), ""),
        ("bytes in, no filter", desc(SortColumn::BytesIn), ""),
        ("peer, no filter", Order::by(SortColumn::Peer), ""),
        ("activity, no filter", desc(SortColumn::Activity), ""),
        ("id, state:open", Order::default(), "state:open"),
        ("id, words", Order::default(), "accepted :15"),
        ("bytes in, words", desc(SortColumn::BytesIn), "accepted :15"),
    ];
    let mut ids = Vec::new();
    for (name, order, filter) in cases {
        let filter = Filter::parse(filter).expect("bench filter");
        let mut times = Vec::with_capacity(FRAMES);
        for _ in 0..FRAMES {
            let start = Instant::now();
            ordered_ids(session, order, filter.as_ref(), &mut ids);
            times.push(start.elapsed());
        }
        let (median, p99) = median_p99(&mut times);
        println!("rebuild: {name:<22} {:>5} rows: median {median:6.3} p99 {p99:6.3} ms", ids.len());
    }
}

fn median_p99(times: &mut [Duration]) -> (f64, f64) {
    times.sort_unstable();
    let p99 = times[(times.len() * 99).div_ceil(100) - 1];
    (ms(times[times.len() / 2]), ms(p99))
}
