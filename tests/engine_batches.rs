//! How the engine cuts its events into batches: at the end of a poll round, or once a batch
//! holds the sink's `batch_bytes()` of payload, whichever comes first.

#[path = "shared/flood.rs"]
mod flood;

use flood::{MIB, flood_through};
use sockscope::engine::{BATCH_BYTES, BULK_BATCH_BYTES, Engine, EngineConfig, EventSink};
use sockscope::event::{Address, Command, Event, EventKind};
use sockscope::record::RecordingSink;
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(20);

/// A sink that asks for batches of at most `bytes` of payload and passes them on.
struct Bounded {
    bytes: usize,
    batches: Sender<Vec<Event>>,
}

impl EventSink for Bounded {
    fn deliver(&mut self, batch: Vec<Event>) -> bool {
        self.batches.send(batch).is_ok()
    }

    fn batch_bytes(&self) -> usize {
        self.bytes
    }
}

fn payload(event: &Event) -> usize {
    event.kind.bytes_moved().map_or(0, |(_, _, data)| data.len())
}

/// What the watcher saw once the engine stopped: the largest payload in front of a batch's
/// last event (only the last may take a batch past its bound), and the largest batch payload.
struct Seen {
    before_last: usize,
    largest: usize,
}

/// Reads the batches as they come; returns where the proxy listens, and what it saw.
fn watch(batches: Receiver<Vec<Event>>) -> (Address, thread::JoinHandle<Seen>) {
    let (listening, address) = mpsc::channel();
    let watcher = thread::spawn(move || {
        let mut seen = Seen { before_last: 0, largest: 0 };
        for batch in batches {
            if let Some(local) = batch.iter().find_map(|event| match &event.kind {
                EventKind::Listen { local, .. } => Some(local.clone()),
                _ => None,
            }) {
                let _ = listening.send(local);
            }
            let before_last: usize = batch.iter().rev().skip(1).map(payload).sum();
            seen.before_last = seen.before_last.max(before_last);
            seen.largest = seen.largest.max(batch.iter().map(payload).sum());
        }
        seen
    });
    (address.recv_timeout(DEADLINE).expect("the proxy listens"), watcher)
}

/// Relays `total` bytes through a proxy whose events go to `sink`, and returns what the
/// watcher of `batches` saw.
fn flood(sink: impl EventSink, batches: Receiver<Vec<Event>>, total: usize) -> Seen {
    let config = EngineConfig { recv_chunk: MIB, ..EngineConfig::default() };
    let engine = Engine::start(config, sink).expect("engine starts");
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = vec![Address::Ip(server.local_addr().unwrap())];
    engine.send(Command::Proxy { listen: "127.0.0.1:0".parse().unwrap(), upstream }).unwrap();
    let (Address::Ip(proxy), watcher) = watch(batches) else { panic!("an IP proxy") };
    flood_through(proxy, &server, total, DEADLINE);
    engine.stop();
    watcher.join().unwrap()
}

#[test]
fn a_sink_that_asks_for_small_batches_gets_them_under_a_flood() {
    let (batches, inbox) = mpsc::channel();
    let bytes = 64 << 10;
    let seen = flood(Bounded { bytes, batches }, inbox, 32 * MIB);
    assert!(
        seen.before_last < bytes,
        "{} bytes in front of a batch's last event",
        seen.before_last
    );
    assert!(seen.largest > 0, "the relayed bytes are in the events");
}

#[test]
fn a_sink_that_asks_for_bulk_batches_gets_more_than_the_default_bound() {
    let (batches, inbox) = mpsc::channel();
    let seen = flood(Bounded { bytes: BULK_BATCH_BYTES, batches }, inbox, 256 * MIB);
    assert!(seen.before_last < BULK_BATCH_BYTES, "{} bytes before a last event", seen.before_last);
    assert!(
        seen.before_last > BATCH_BYTES,
        "no batch grew past {BATCH_BYTES} bytes before its last event ({} at most): the bulk \
         bound is not used",
        seen.before_last
    );
}

#[test]
fn the_headless_channel_takes_bulk_batches_and_a_recording_keeps_its_consumers_bound() {
    let (bulk, _bulk_inbox) = mpsc::sync_channel::<Vec<Event>>(2);
    assert_eq!(bulk.batch_bytes(), BULK_BATCH_BYTES);
    let (single, _single_inbox) = mpsc::channel::<Vec<Event>>();
    assert_eq!(single.batch_bytes(), BATCH_BYTES);
    let (batches, _inbox) = mpsc::channel();
    let recording = RecordingSink::new(Bounded { bytes: 12_345, batches }, None);
    assert_eq!(recording.batch_bytes(), 12_345);
}

/// A sink on the engine's thread that drops each event as soon as it has it, noting which
/// buffer each large read landed in.
struct TakesAtOnce {
    buffers: Arc<Mutex<Vec<usize>>>,
}

impl EventSink for TakesAtOnce {
    fn deliver(&mut self, batch: Vec<Event>) -> bool {
        for event in batch {
            if let EventKind::Recv { data, .. } = &event.kind
                && data.len() >= MIB / 4
            {
                self.buffers.lock().unwrap().push(data.as_ptr() as usize);
            }
        }
        true
    }

    fn batch_bytes(&self) -> usize {
        1
    }
}

/// A read lands in the buffer the previous one left, still in the processor's cache, when the
/// sink lets go of each payload at once (the headless text log): the engine hands a payload
/// over as soon as it is made, and the pool gives back the buffer returned last.
#[test]
fn a_sink_that_takes_payload_at_once_keeps_the_reads_in_the_same_few_buffers() {
    let buffers = Arc::default();
    let sink = TakesAtOnce { buffers: Arc::clone(&buffers) };
    let config = EngineConfig { recv_chunk: MIB, ..EngineConfig::default() };
    let engine = Engine::start(config, sink).expect("engine starts");
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let upstream = vec![Address::Ip(server.local_addr().unwrap())];
    engine.send(Command::Proxy { listen: Address::Ip(proxy), upstream }).unwrap();
    let end = Instant::now() + DEADLINE;
    while TcpStream::connect(proxy).is_err() {
        assert!(Instant::now() < end, "the proxy listens");
        thread::park_timeout(Duration::from_millis(5));
    }
    // That probe was relayed too: its upstream is not the flood's.
    drop(server.accept().unwrap());
    flood_through(proxy, &server, 64 * MIB, DEADLINE);
    engine.stop();
    let mut buffers = std::mem::take(&mut *buffers.lock().unwrap());
    let reads = buffers.len();
    buffers.sort_unstable();
    buffers.dedup();
    assert!(reads >= 16, "{reads} large reads: the flood is read in large pieces");
    assert!(
        buffers.len() <= 4,
        "{reads} large reads went into {} different buffers",
        buffers.len()
    );
}
