//! Bad input never panics, never blows up: arbitrary bytes, arbitrary mutations of real
//! recordings (`tests/golden/*.sscope`) and well-formed records with arbitrary bodies go
//! through the reader and every exporter (JSON Lines as `export` writes it, with derived
//! messages; pcapng; hexdump). Each run ends with the file refused (exit 2) or an ending that
//! says how far it read; the output stays within a fixed multiple of the input, and no
//! buffer grows past what the input could back.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use sockscope::record::format::{self, PREAMBLE_LEN};
use sockscope::record::{ReadStatus, Reader, export};
use std::io;

const GOLDEN: [&[u8]; 3] = [
    include_bytes!("golden/all-kinds-v2.0.sscope"),
    include_bytes!("golden/all-kinds-v1.0.sscope"),
    include_bytes!("golden/demo-v1.0.sscope"),
];

/// A reader reserves at most this for a record before its bytes arrive.
const FIRST_RESERVE: usize = 64 * 1024;

type Export = fn(&mut Reader<&[u8]>, &mut Vec<u8>) -> io::Result<()>;

const EXPORTS: [(&str, Export); 4] = [
    ("jsonl", |r, out| sockscope::headless::replay::write_jsonl(r, out)),
    ("events", |r, out| export::jsonl::write(r, out)),
    ("pcapng", |r, out| export::pcapng::write(r, out)),
    ("hexdump", |r, out| export::hexdump::write(r, out)),
];

/// Runs every export over `input`; returns whether the reader called it complete.
fn export_all(input: &[u8]) -> Option<bool> {
    let mut complete = None;
    for (name, export) in EXPORTS {
        let Ok(mut reader) = Reader::new(input) else {
            // Refused from its preamble: `export` exits 2.
            return None;
        };
        let mut out = Vec::new();
        export(&mut reader, &mut out).expect("writing to memory does not fail");
        let bound = 256 * input.len() + 64 * 1024;
        assert!(out.len() <= bound, "{name}: {} bytes out of {}", out.len(), input.len());
        let largest = reader.largest_buffer();
        assert!(largest <= FIRST_RESERVE + 2 * input.len(), "{name}: a {largest}-byte buffer");
        let ending = reader.ending().expect("an export reads to the end");
        if let ReadStatus::Truncated { at, .. } | ReadStatus::Corrupt { at, .. } = ending.status {
            assert!(at <= input.len() as u64, "{name}: damage past the end: {}", ending.status);
            assert!(ending.status.to_string().contains(&format!("at byte {at}")));
        }
        let this = ending.status == ReadStatus::Complete;
        assert_eq!(*complete.get_or_insert(this), this, "{name} read it differently");
    }
    complete
}

#[derive(Clone, Debug)]
enum Mutation {
    Flip {
        at: usize,
        bit: u8,
    },
    Set {
        at: usize,
        byte: u8,
    },
    Cut {
        at: usize,
    },
    Insert {
        at: usize,
        bytes: Vec<u8>,
    },
    Remove {
        at: usize,
        len: usize,
    },
    /// A stretch of the file copied over another place (records moved or repeated).
    Splice {
        from: usize,
        len: usize,
        to: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<prop::sample::Index>();
    prop_oneof![
        (at.clone(), 0..8_u8).prop_map(|(at, bit)| Mutation::Flip { at: at.index(1 << 16), bit }),
        (at.clone(), any::<u8>())
            .prop_map(|(at, byte)| Mutation::Set { at: at.index(1 << 16), byte }),
        at.clone().prop_map(|at| Mutation::Cut { at: at.index(1 << 16) }),
        (at.clone(), vec(any::<u8>(), 1..40))
            .prop_map(|(at, bytes)| Mutation::Insert { at: at.index(1 << 16), bytes }),
        (at.clone(), 1..200_usize)
            .prop_map(|(at, len)| Mutation::Remove { at: at.index(1 << 16), len }),
        (at.clone(), 1..400_usize, at).prop_map(|(from, len, to)| Mutation::Splice {
            from: from.index(1 << 16),
            len,
            to: to.index(1 << 16)
        }),
    ]
}

/// Applies `mutation` to `bytes` (positions wrap around its length); whether the result
/// must read as damaged (a byte changed or cut, which every checksum catches; moving whole
/// records may leave a file that is merely different).
fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) -> bool {
    // An earlier cut may have left nothing: only an insertion has anything to do then.
    if bytes.is_empty() && !matches!(mutation, Mutation::Insert { .. }) {
        return false;
    }
    let len = bytes.len().max(1);
    match mutation {
        Mutation::Flip { at, bit } => {
            bytes[at % len] ^= 1 << bit;
            true
        }
        Mutation::Set { at, byte } => {
            let at = at % len;
            let changed = bytes[at] != *byte;
            bytes[at] = *byte;
            changed
        }
        Mutation::Cut { at } => {
            bytes.truncate(at % len);
            true
        }
        Mutation::Insert { at, bytes: new } => {
            let at = at % (len + 1);
            bytes.splice(at..at, new.iter().copied());
            at >= PREAMBLE_LEN
        }
        Mutation::Remove { at, len: n } => {
            let at = at % len;
            let end = (at + n).min(bytes.len());
            bytes.drain(at..end);
            false
        }
        Mutation::Splice { from, len: n, to } => {
            let from = from % len;
            let piece: Vec<u8> = bytes[from..(from + n).min(bytes.len())].to_vec();
            let to = to % (bytes.len() + 1);
            bytes.splice(to..to, piece);
            false
        }
    }
}

/// A record with a correct checksum: the type of a known record (or any), any body.
fn record() -> impl Strategy<Value = Vec<u8>> {
    let known: Vec<u8> = (0x01..=0x04).chain(0x10..=0x21).collect();
    (prop_oneof![4 => select(known), 1 => any::<u8>()], vec(any::<u8>(), 0..48)).prop_map(
        |(code, body)| {
            let len = u32::try_from(body.len()).unwrap();
            let crc = format::record_crc(code, len, &[&body]);
            [&[code][..], &len.to_le_bytes(), &body, &crc.to_le_bytes()].concat()
        },
    )
}

#[test]
fn the_golden_recordings_export_complete() {
    for golden in GOLDEN {
        assert_eq!(export_all(golden), Some(true));
    }
}

/// A cut to nothing followed by a change of a byte: the change has nothing to change.
#[test]
fn a_mutation_after_a_cut_to_nothing_changes_nothing() {
    let mut bytes = GOLDEN[0].to_vec();
    assert!(apply(&mut bytes, &Mutation::Cut { at: 0 }));
    assert!(bytes.is_empty());
    assert!(!apply(&mut bytes, &Mutation::Flip { at: 5, bit: 3 }));
    assert!(!apply(&mut bytes, &Mutation::Splice { from: 1, len: 9, to: 2 }));
    assert!(bytes.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_bytes_are_refused_or_read_to_a_stated_end(bytes in vec(any::<u8>(), 0..2000)) {
        export_all(&bytes);
    }

    #[test]
    fn any_bytes_after_a_preamble_are_read_to_a_stated_end(bytes in vec(any::<u8>(), 1..2000)) {
        let input = [&format::preamble()[..], &bytes].concat();
        prop_assert_ne!(export_all(&input), Some(true));
    }

    #[test]
    fn well_formed_records_with_any_bodies_never_panic(
        records in vec(record(), 0..60),
        v1 in any::<bool>(),
    ) {
        let preamble = if v1 { format::preamble_for(1, 0) } else { format::preamble() };
        export_all(&[&preamble[..], &records.concat()].concat());
    }

    #[test]
    fn mutated_recordings_never_panic_and_damage_is_reported(
        which in 0..GOLDEN.len(),
        mutations in vec(mutation(), 1..4),
    ) {
        let mut bytes = GOLDEN[which].to_vec();
        let mut damaged = false;
        for mutation in &mutations {
            damaged |= apply(&mut bytes, mutation);
        }
        let complete = export_all(&bytes);
        if damaged && bytes != GOLDEN[which] {
            prop_assert_ne!(complete, Some(true), "a damaged file read as complete");
        }
    }
}
