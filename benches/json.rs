//! JSON Lines printer throughput: `cargo bench --bench json`.
//!
//! Writes 1 GiB of payload as `recv` events of 64 KiB (what `proxy --headless --json` prints
//! for a fast transfer) to `/dev/null` through a `BufWriter`, the way the printer does, in two
//! ways in the same run: the line built as a `String` first (`Event::to_json_line`, the printer
//! before), and written straight into the writer (`Event::write_json_line`, the printer now).
//! Prints GB/s of payload; each figure is the best of three rounds, the two ways interleaved,
//! so a machine whose speed drifts skews both alike.

use bytes::Bytes;
use sockscope::event::{ConnId, Event, EventKind};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

const TOTAL: usize = 1 << 30;
const CHUNK: usize = 64 << 10;

fn events() -> Vec<Event> {
    let payload: Vec<u8> = (0..CHUNK).map(|i| (i * 31 % 251) as u8).collect();
    let data = Bytes::from(payload);
    (0..TOTAL / CHUNK)
        .map(|i| Event {
            kind: EventKind::Recv { conn: ConnId(3), max: CHUNK, len: CHUNK, data: data.clone() },
            t_us: i as u64 * 17,
        })
        .collect()
}

/// GB/s of payload for one pass of `write` over `events` into `/dev/null`.
fn rate(events: &[Event], write: impl Fn(&Event, &mut BufWriter<File>)) -> f64 {
    let mut out = BufWriter::with_capacity(1 << 16, File::create("/dev/null").expect("/dev/null"));
    let start = Instant::now();
    for event in events {
        write(event, &mut out);
    }
    out.flush().expect("flush");
    f64::from(u32::try_from(TOTAL).unwrap_or(u32::MAX)) / start.elapsed().as_secs_f64() / 1e9
}

fn main() {
    let events = events();
    let (mut built, mut streamed) = (0.0_f64, 0.0_f64);
    for _ in 0..3 {
        built = built.max(rate(&events, |event, out| {
            writeln!(out, "{}", event.to_json_line()).expect("write");
        }));
        streamed = streamed.max(rate(&events, |event, out| {
            event.write_json_line(out).expect("write");
        }));
    }
    println!("| way | GB/s of payload |");
    println!("|---|---|");
    println!("| line built as a String (before) | {built:.2} |");
    println!("| written into the writer, SIMD hex (now) | {streamed:.2} |");
}
