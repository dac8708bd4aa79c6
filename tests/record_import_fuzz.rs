//! The importer on hostile input: arbitrary bytes, and real captures (a built classic pcap,
//! sockscope's pcapng export of the golden demo recording) with bytes flipped, cut, inserted
//! or lengths made absurd. It may refuse them or import part of them; it never panics, and
//! every event it gives is about a connection it opened, in time order.

#[path = "record_import_support/mod.rs"]
mod capture;

use proptest::prelude::*;
use sockscope::event::{Event, EventKind};
use sockscope::record::import::convert;
use sockscope::record::{Reader, export};
use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;

/// The two real captures mutations start from.
fn seeds() -> &'static [Vec<u8>; 2] {
    static SEEDS: OnceLock<[Vec<u8>; 2]> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/demo-v1.0.sscope");
        let mut reader = Reader::open(&golden).expect("the golden recording");
        let mut pcapng = Vec::new();
        export::pcapng::write(&mut reader, &mut pcapng).expect("an export");
        [capture::built(), pcapng]
    })
}

/// Imports `bytes`; whatever it gives must be well formed.
fn import_checked(bytes: &[u8]) {
    let mut events: Vec<Event> = Vec::new();
    let result = convert(bytes, |event| {
        events.push(event);
        Ok(())
    });
    if result.is_err() {
        return;
    }
    assert!(matches!(events[0].kind, EventKind::Session { .. }));
    let mut opened = HashSet::new();
    let mut last = 0;
    for event in &events[1..] {
        assert!(event.t_us >= last, "time goes forward");
        last = event.t_us;
        let conn = event.conn().expect("every event is about a connection");
        if let EventKind::Connect { conn, .. } = event.kind {
            opened.insert(conn);
        }
        assert!(opened.contains(&conn), "{event:?} before its connect");
    }
}

/// One change to a capture.
#[derive(Clone, Debug)]
enum Mutation {
    Flip {
        at: usize,
        xor: u8,
    },
    Cut {
        at: usize,
    },
    Insert {
        at: usize,
        bytes: Vec<u8>,
    },
    /// A 32-bit length (or any field) overwritten with a large value.
    Huge {
        at: usize,
        value: u32,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(at, xor)| Mutation::Flip { at, xor }),
        any::<usize>().prop_map(|at| Mutation::Cut { at }),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..64))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (
            any::<usize>(),
            prop_oneof![Just(u32::MAX), Just(0x7fff_ffff), Just(0x0100_0000), any::<u32>()]
        )
            .prop_map(|(at, value)| Mutation::Huge { at, value }),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len().max(1);
    match mutation {
        Mutation::Flip { at, xor } => {
            if let Some(byte) = bytes.get_mut(at % len) {
                *byte ^= xor;
            }
        }
        Mutation::Cut { at } => bytes.truncate(at % len),
        Mutation::Insert { at, bytes: new } => {
            let at = (at % len).min(bytes.len());
            bytes.splice(at..at, new.iter().copied());
        }
        Mutation::Huge { at, value } => {
            let at = at % len;
            if at + 4 <= bytes.len() {
                bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        import_checked(&bytes);
    }

    #[test]
    fn arbitrary_bytes_after_a_capture_header_never_panic(
        pcapng in any::<bool>(),
        tail in proptest::collection::vec(any::<u8>(), 0..4096),
    ) {
        let seed = &seeds()[usize::from(pcapng)];
        // pcapng: the section header and interface blocks (their lengths at bytes 4..8).
        let block_len = |at: usize| u32::from_le_bytes(seed[at + 4..at + 8].try_into().unwrap()) as usize;
        let header = if pcapng { block_len(0) + block_len(block_len(0)) } else { 24 };
        let mut bytes = seed[..header.min(seed.len())].to_vec();
        bytes.extend(tail);
        import_checked(&bytes);
    }

    #[test]
    fn mutated_real_captures_never_panic(
        pcapng in any::<bool>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let mut bytes = seeds()[usize::from(pcapng)].clone();
        for mutation in &mutations {
            apply(&mut bytes, mutation);
        }
        import_checked(&bytes);
    }
}
