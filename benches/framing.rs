//! Framing and model throughput: `cargo bench --bench framing`.
//!
//! Feeds 256 MiB of messages in 64 KiB chunks (as `recv` would deliver them) through the
//! incremental framer, and through the whole session fold, and prints MB/s. A plain harness:
//! each figure is the best of three runs, so a busy machine skews it less.

use bytes::Bytes;
use sockscope::event::{ConnId, Event, EventKind};
use sockscope::framing::{DEFAULT_MAX_MESSAGE, Framer, Spec};
use sockscope::session::{Session, SessionConfig};
use std::hint::black_box;
use std::time::Instant;

const TOTAL: usize = 256 << 20;
const CHUNK: usize = 64 << 10;

/// Lines of 1 to 200 bytes, from a fixed-seed generator so every run frames the same stream.
fn lines() -> Vec<u8> {
    let mut out = Vec::with_capacity(TOTAL + 256);
    let mut seed = 0x2545_f491_u32;
    while out.len() < TOTAL {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let len = 1 + (seed % 200) as usize;
        out.extend((0..len).map(|i| b'a' + (i % 26) as u8));
        out.push(b'\n');
    }
    out
}

/// Messages of 1 to 4096 bytes behind a big-endian u32 length.
fn length_prefixed() -> Vec<u8> {
    let mut out = Vec::with_capacity(TOTAL + 8192);
    let mut len = 1_u32;
    while out.len() < TOTAL {
        len = (len * 1_103_515_245 + 12_345) % 4096 + 1;
        out.extend(len.to_be_bytes());
        out.extend(std::iter::repeat_n(0x5a, len as usize));
    }
    out
}

/// Megabytes per second (the benchmark's inputs are far below 4 GiB).
fn rate(bytes: usize, secs: f64) -> f64 {
    f64::from(u32::try_from(bytes).unwrap_or(u32::MAX)) / secs / 1e6
}

fn best_of_three(mut run: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut count = 0;
    for _ in 0..3 {
        let start = Instant::now();
        count = run();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (best, count)
}

fn framer(spec: &Spec, data: &[u8]) -> usize {
    let mut framer = Framer::new(spec.clone(), DEFAULT_MAX_MESSAGE);
    data.chunks(CHUNK).map(|chunk| black_box(framer.push(chunk)).len()).sum()
}

fn session(spec: &Spec, data: &[u8]) -> usize {
    let config = SessionConfig { framing: spec.clone(), ..SessionConfig::default() };
    let mut session = Session::new(config);
    session.apply(&Event {
        kind: EventKind::Listen { conn: ConnId(1), local: "127.0.0.1:1".parse().unwrap() },
        t_us: 0,
    });
    let accept = EventKind::Accept {
        conn: ConnId(2),
        listener: ConnId(1),
        local: "127.0.0.1:1".parse().unwrap(),
        peer: "127.0.0.1:2".parse().unwrap(),
    };
    session.apply(&Event { kind: accept, t_us: 1 });
    for (i, chunk) in data.chunks(CHUNK).enumerate() {
        let data = Bytes::copy_from_slice(chunk);
        let kind = EventKind::Recv { conn: ConnId(2), max: CHUNK, len: data.len(), data };
        session.apply(&Event { kind, t_us: 2 + i as u64 });
    }
    session
        .connection(ConnId(2))
        .map_or(0, |c| c.stream(sockscope::event::Dir::In).messages().len())
}

fn main() {
    let cases = [
        ("line", Spec::Line, lines()),
        ("len:u32be", "len:u32be".parse().unwrap(), length_prefixed()),
    ];
    println!("| what | spec | MB/s | messages |");
    println!("|---|---|---|---|");
    for (name, spec, data) in &cases {
        let (secs, count) = best_of_three(|| framer(spec, data));
        println!("| framer | {name} | {:.0} | {count} |", rate(data.len(), secs));
    }
    for (name, spec, data) in &cases {
        let (secs, count) = best_of_three(|| session(spec, data));
        println!(
            "| session fold (256 MiB retained cap) | {name} | {:.0} | {count} kept |",
            rate(data.len(), secs)
        );
    }
}
