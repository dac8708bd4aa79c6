//! Property tests: framing recovers what was encoded, whatever the chunking, and any chunking of
//! any bytes (garbage included) gives the same messages, partial, leftover and error.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};

use super::*;

/// Few symbols, so delimiters, `\r\n` pairs, digits and near-misses collide often.
const ALPHABET: &[u8] = b"ab09\r\n\x00";

fn body() -> impl Strategy<Value = Vec<u8>> {
    vec(select(ALPHABET), 0..12)
}

fn any_spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        Just(Spec::Raw),
        Just(Spec::Line),
        Just(Spec::Eof),
        vec(select(ALPHABET), 1..4).prop_map(Spec::Delim),
        (1usize..6).prop_map(Spec::Fixed),
        (select(LenWidth::ALL.to_vec()), any::<bool>())
            .prop_map(|(width, inclusive)| Spec::Len { width, inclusive }),
        (1usize..4).prop_map(Spec::Ascii),
    ]
}

/// One message as the test encodes it, independently of the framer.
struct Encoded {
    wire: Vec<u8>,
    header_len: usize,
    body: Vec<u8>,
    trailer_len: usize,
}

/// Encodes `body` under `spec`, first bending it into something the spec can carry (no
/// delimiter inside, the fixed size, a length the digits can express). `crlf` picks `\r\n`
/// over `\n` for `line`.
fn encode(spec: &Spec, mut body: Vec<u8>, crlf: bool) -> Encoded {
    let (header, trailer): (Vec<u8>, Vec<u8>) = match spec {
        // `datagram` is not generated above: its messages are its chunks by design, so it is
        // the one framing whose result depends on the chunking.
        Spec::Raw | Spec::Eof | Spec::Datagram => (vec![], vec![]),
        Spec::Line => {
            body.iter_mut().filter(|byte| **byte == b'\n').for_each(|byte| *byte = b'z');
            // A bare `\n` after a body ending in `\r` would read as `\r\n`.
            let crlf = crlf || body.last() == Some(&b'\r');
            (vec![], if crlf { b"\r\n".to_vec() } else { b"\n".to_vec() })
        }
        Spec::Delim(delimiter) => {
            let mut wire = body.clone();
            wire.extend_from_slice(delimiter);
            let first_match = wire.windows(delimiter.len()).position(|w| w == delimiter.as_slice());
            if first_match != Some(body.len()) {
                body.iter_mut().filter(|byte| **byte == delimiter[0]).for_each(|byte| *byte = b'z');
            }
            (vec![], delimiter.clone())
        }
        Spec::Fixed(size) => {
            body.resize(*size, b'f');
            (vec![], vec![])
        }
        Spec::Len { width, inclusive } => {
            let declared = (body.len() + if *inclusive { width.size() } else { 0 }) as u64;
            (length_prefix(*width, declared), vec![])
        }
        Spec::Ascii(digits) => {
            body.truncate(10usize.pow(*digits as u32) - 1);
            (format!("{:0digits$}", body.len()).into_bytes(), vec![])
        }
    };
    let wire = [header.as_slice(), &body, &trailer].concat();
    Encoded { wire, header_len: header.len(), body, trailer_len: trailer.len() }
}

fn length_prefix(width: LenWidth, declared: u64) -> Vec<u8> {
    match width {
        LenWidth::U8 => (declared as u8).to_be_bytes().to_vec(),
        LenWidth::U16Be => (declared as u16).to_be_bytes().to_vec(),
        LenWidth::U16Le => (declared as u16).to_le_bytes().to_vec(),
        LenWidth::U32Be => (declared as u32).to_be_bytes().to_vec(),
        LenWidth::U32Le => (declared as u32).to_le_bytes().to_vec(),
        LenWidth::U64Be => declared.to_be_bytes().to_vec(),
        LenWidth::U64Le => declared.to_le_bytes().to_vec(),
    }
}

/// Everything a view reads from a framer, before and at EOF.
#[derive(Debug, PartialEq)]
struct Outcome {
    messages: Vec<Message>,
    partial: Option<Partial>,
    consumed: u64,
    leftover: u64,
    buffered: usize,
    error: Option<FramingError>,
    at_eof: Vec<Message>,
}

fn run(spec: &Spec, cap: usize, chunks: &[&[u8]]) -> Outcome {
    let mut framer = Framer::new(spec.clone(), cap);
    let delimiter_len = if let Spec::Delim(delimiter) = spec { delimiter.len() } else { 1 };
    let bound = cap + spec.header_len() + delimiter_len;
    let mut messages = Vec::new();
    for chunk in chunks {
        messages.extend(framer.push(chunk));
        assert!(framer.buffered_len() <= bound, "{} > {bound} buffered", framer.buffered_len());
        assert_eq!(framer.consumed() + framer.leftover_len(), framer.stream_len());
    }
    let outcome = Outcome {
        messages,
        partial: framer.partial(),
        consumed: framer.consumed(),
        leftover: framer.leftover_len(),
        buffered: framer.buffered_len(),
        error: framer.error().cloned(),
        at_eof: vec![],
    };
    Outcome { at_eof: framer.finish(), ..outcome }
}

/// Cuts `bytes` at the given points (empty chunks included).
fn split<'a>(bytes: &'a [u8], cuts: &[Index]) -> Vec<&'a [u8]> {
    let mut points: Vec<usize> = cuts.iter().map(|cut| cut.index(bytes.len() + 1)).collect();
    points.sort_unstable();
    points.push(bytes.len());
    let mut from = 0;
    points.into_iter().map(|to| (&bytes[from..to], from = to).0).collect()
}

fn bytewise(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.chunks(1).collect()
}

/// What the framer should report for `messages` followed by the incomplete `tail`.
fn expected(spec: &Spec, messages: &[Encoded], tail: &Encoded, tail_len: usize) -> Outcome {
    let mut start = 0u64;
    let mut complete = Vec::new();
    for encoded in messages {
        let Encoded { header_len, trailer_len, .. } = *encoded;
        complete.push(Message { start, header_len, body: encoded.body.clone(), trailer_len });
        start += encoded.wire.len() as u64;
    }
    let header_len = spec.header_len();
    let need = match spec {
        Spec::Fixed(_) | Spec::Len { .. } | Spec::Ascii(_) if tail_len >= header_len => {
            Some(tail.wire.len())
        }
        _ => None,
    };
    let header_known = tail_len >= header_len;
    let mut partial = Partial { start, have: tail_len, need, header_len, header_known };
    let total = start + tail_len as u64;
    match spec {
        Spec::Raw => {
            return Outcome {
                messages: vec![],
                partial: None,
                consumed: total,
                leftover: 0,
                buffered: 0,
                error: None,
                at_eof: vec![],
            };
        }
        Spec::Eof => {
            partial.start = 0;
            partial.have = total as usize;
            let body: Vec<u8> = messages
                .iter()
                .flat_map(|m| m.wire.clone())
                .chain(tail.wire[..tail_len].to_vec())
                .collect();
            let at_eof = vec![Message { start: 0, header_len: 0, body, trailer_len: 0 }];
            return Outcome {
                messages: vec![],
                partial: (total > 0).then_some(partial),
                consumed: 0,
                leftover: total,
                buffered: total as usize,
                error: None,
                at_eof,
            };
        }
        _ => {}
    }
    Outcome {
        messages: complete,
        partial: (tail_len > 0).then_some(partial),
        consumed: start,
        leftover: tail_len as u64,
        buffered: tail_len,
        error: None,
        at_eof: vec![],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn every_chunking_recovers_the_encoded_messages(
        spec in any_spec(),
        bodies in vec((body(), any::<bool>()), 0..8),
        (tail_body, tail_crlf, tail_cut) in (body(), any::<bool>(), any::<Index>()),
        cuts in vec(any::<Index>(), 0..10),
    ) {
        let messages: Vec<Encoded> =
            bodies.into_iter().map(|(body, crlf)| encode(&spec, body, crlf)).collect();
        let tail = encode(&spec, tail_body, tail_crlf);
        // A strict prefix of one more message: never complete.
        let tail_len = tail_cut.index(tail.wire.len().max(1));
        let mut stream: Vec<u8> = messages.iter().flat_map(|m| m.wire.clone()).collect();
        stream.extend_from_slice(&tail.wire[..tail_len]);

        let want = expected(&spec, &messages, &tail, tail_len);
        let whole = run(&spec, DEFAULT_MAX_MESSAGE, &[&stream]);
        prop_assert_eq!(&whole, &want);
        prop_assert_eq!(&run(&spec, DEFAULT_MAX_MESSAGE, &split(&stream, &cuts)), &want);
        prop_assert_eq!(&run(&spec, DEFAULT_MAX_MESSAGE, &bytewise(&stream)), &want);
    }

    #[test]
    fn chunking_never_changes_the_outcome_even_for_garbage(
        spec in any_spec(),
        bytes in vec(prop_oneof![select(ALPHABET), any::<u8>()], 0..64),
        cap in 0usize..24,
        cuts in vec(any::<Index>(), 0..10),
    ) {
        let whole = run(&spec, cap, &[&bytes]);
        prop_assert_eq!(&run(&spec, cap, &split(&bytes, &cuts)), &whole);
        prop_assert_eq!(&run(&spec, cap, &bytewise(&bytes)), &whole);
        // Messages tile the stream from offset 0 up to `consumed` (for `raw`: every byte).
        let mut offset = if spec == Spec::Raw { whole.consumed } else { 0 };
        for message in &whole.messages {
            prop_assert_eq!(message.start, offset);
            prop_assert!(message.body.len() <= cap);
            offset = message.end();
        }
        prop_assert_eq!(offset, whole.consumed);
    }

    #[test]
    fn every_spec_round_trips_through_its_text(spec in any_spec()) {
        prop_assert_eq!(spec.to_string().parse::<Spec>(), Ok(spec));
    }
}
