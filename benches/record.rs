//! Recordings: `cargo bench --bench record`.
//!
//! Writes a 1 GiB recording of a proxied flood (64 KiB `recv`s and their `send`s, with the
//! readiness and would-block events around them), then measures how long it takes to open
//! it and get the first events (what a replay needs before its first frame), to index it for
//! seeking, and to read it whole. The file is written to `SOCKSCOPE_BENCH_DIR` (default: the
//! system temporary directory) and deleted at the end. Times are the best of five with the
//! file in the page cache, as it is right after a session; run as root, the bench also drops
//! the page cache first and measures once cold, as after a reboot.

// Byte counts shown as GB/s: a rounding in the 16th digit does not matter.
#![allow(clippy::cast_precision_loss)]

use bytes::Bytes;
use sockscope::event::{Address, ConnId, Event, EventKind, Op, Readiness};
use sockscope::record::{Encoder, Index, Reader};
use std::hint::black_box;
use std::io::BufWriter;
use std::time::{Duration, Instant};

const SIZE: u64 = 1 << 30;
const CHUNK: usize = 64 << 10;

fn event(kind: EventKind, t_us: u64) -> Event {
    Event { kind, t_us }
}

fn write(path: &std::path::Path) -> (Duration, u64) {
    let started = Instant::now();
    let file = sockscope::record::create_private(path, true).expect("bench file");
    let mut encoder = Encoder::new(BufWriter::with_capacity(256 << 10, file)).unwrap();
    let addr: Address = "127.0.0.1:9000".parse().unwrap();
    let (client, upstream) = (ConnId(2), ConnId(3));
    encoder.write_clock(0, 0).unwrap();
    encoder.write_event(&Event::session_start()).unwrap();
    let accept =
        EventKind::Accept { conn: client, listener: ConnId(1), local: addr.clone(), peer: addr };
    encoder.write_event(&event(accept, 1)).unwrap();
    let payload = Bytes::from((0..CHUNK).map(|i| (i * 31 % 251) as u8).collect::<Vec<u8>>());
    let mut t_us = 2;
    let mut round = 0;
    while encoder.bytes() < SIZE {
        round += 1;
        t_us += 10;
        let ready = Readiness {
            round,
            readable: vec![client],
            writable: vec![upstream],
            ..Readiness::default()
        };
        encoder.write_event(&event(EventKind::Ready(ready), t_us)).unwrap();
        let data = payload.clone();
        let recv = EventKind::Recv { conn: client, max: CHUNK, len: CHUNK, data: data.clone() };
        encoder.write_event(&event(recv, t_us)).unwrap();
        let send = EventKind::Send { conn: upstream, requested: CHUNK, len: CHUNK, data };
        encoder.write_event(&event(send, t_us)).unwrap();
        let would_block = EventKind::WouldBlock { conn: client, op: Op::Recv };
        encoder.write_event(&event(would_block, t_us)).unwrap();
    }
    let events = encoder.events();
    encoder.finish().unwrap();
    (started.elapsed(), events)
}

/// Writes the page cache out and drops it (`/proc/sys/vm/drop_caches`); `false` where that is
/// not allowed.
fn drop_caches() -> bool {
    let synced = std::process::Command::new("sync").status().is_ok_and(|s| s.success());
    synced && std::fs::write("/proc/sys/vm/drop_caches", "3\n").is_ok()
}

fn best_of(runs: usize, mut work: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let dir = std::env::var_os("SOCKSCOPE_BENCH_DIR").map_or_else(std::env::temp_dir, Into::into);
    let path = dir.join(format!("sockscope-bench-{}.sscope", std::process::id()));
    let (wrote, events) = write(&path);
    let size = std::fs::metadata(&path).unwrap().len();
    let gib = size as f64 / f64::from(1u32 << 30);
    println!(
        "recording: {size} bytes ({gib:.2} GiB), {events} events, written in {wrote:.2?} ({:.2} GB/s)",
        size as f64 / wrote.as_secs_f64() / 1e9
    );

    // Cold: as after a reboot, when a bug report's recording is opened for the first time.
    let cold_first = drop_caches().then(|| {
        let started = Instant::now();
        let mut reader = Reader::open(&path).unwrap();
        for _ in 0..64 {
            black_box(reader.next());
        }
        started.elapsed()
    });
    let cold_index = drop_caches().then(|| {
        let started = Instant::now();
        black_box(Index::build(&path).unwrap());
        started.elapsed()
    });
    let first = best_of(5, || {
        let mut reader = Reader::open(&path).unwrap();
        for _ in 0..64 {
            black_box(reader.next());
        }
    });
    let mut index = Index::default();
    let indexed = best_of(5, || index = Index::build(&path).unwrap());
    let seek = best_of(5, || {
        let middle = index.at_or_before(index.last_t_us.unwrap_or_default() / 2).unwrap();
        let mut reader = Reader::open_at(&path, middle).unwrap();
        black_box(reader.next());
    });
    let whole = best_of(3, || {
        let mut reader = Reader::open(&path).unwrap();
        let mut count = 0u64;
        for (_, event) in reader.by_ref() {
            black_box(event);
            count += 1;
        }
        black_box((count, reader.ending().cloned()));
    });
    println!("| what | best time |");
    println!("|---|---|");
    println!("| open and read the first 64 events | {first:.2?} |");
    match (cold_first, cold_index) {
        (Some(first), Some(index)) => {
            println!("| cold cache: open and read the first 64 events | {first:.2?} |");
            println!("| cold cache: build the index | {index:.2?} |");
        }
        _ => println!("| cold cache | not measured: dropping the page cache needs root |"),
    }
    println!("| build the index ({} checkpoints) | {indexed:.2?} |", index.checkpoints.len());
    println!("| seek to the middle and read one event | {seek:.2?} |");
    println!(
        "| read every event, checksums checked | {whole:.2?} ({:.2} GB/s) |",
        size as f64 / whole.as_secs_f64() / 1e9
    );
    std::fs::remove_file(&path).unwrap();
}
