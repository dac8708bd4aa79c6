//! `framing`: TCP carries a stream of bytes; where one message ends is the protocol's business.
//!
//! Five clients send the same three words to an echo server, each connection under another
//! framing: fixed-size records, a delimiter, a binary length prefix, a 5-digit ASCII length
//! prefix (as the Python HOWTO suggests), and "everything until EOF". Each first `send` ends in
//! the middle of the third message, so the Messages panel shows two complete messages and the
//! leftover of the next one until the rest arrives.

use super::Tempo;
use super::cast::Side::Client;
use super::script::{Act, Plan, Step, connect_framed, send, shutdown};
use crate::engine::EngineConfig;
use crate::event::How;
use crate::framing::{LenWidth, Spec};

pub(super) const NAME: &str = "framing";

/// The messages every connection carries.
pub(super) const WORDS: [&str; 3] = ["alpha", "bravo", "charlie"];
/// Bytes held back from each first `send`: the start of the last message stays a leftover.
const HELD_BACK: usize = 4;

pub(super) fn plan() -> Plan {
    let streams: Vec<(Spec, Vec<u8>)> =
        framings().into_iter().map(|s| (s.clone(), encode(&s))).collect();
    let all = |act: &dyn Fn(usize, &[u8]) -> Act| -> Step {
        Step::Do(streams.iter().enumerate().map(|(i, (_, bytes))| act(i, bytes)).collect())
    };
    let split = |bytes: &[u8]| bytes.len().saturating_sub(HELD_BACK);
    Plan {
        name: NAME,
        framing: Spec::Raw,
        engine: |base: EngineConfig, _: Tempo| EngineConfig { echo: true, ..base },
        steps: vec![
            Step::Do(streams.iter().map(|(spec, _)| connect_framed(spec.clone())).collect()),
            all(&|i, bytes| send(Client(i), bytes[..split(bytes)].to_vec())),
            Step::Pause,
            all(&|i, bytes| send(Client(i), bytes[split(bytes)..].to_vec())),
            all(&|i, _| shutdown(Client(i), How::Write)),
        ],
    }
}

/// The framings, in the order the clients connect.
pub(super) fn framings() -> [Spec; 5] {
    [
        Spec::Fixed(8),
        Spec::Delim(b"\r\n".to_vec()),
        Spec::Len { width: LenWidth::U16Be, inclusive: false },
        Spec::Ascii(5),
        Spec::Eof,
    ]
}

/// The three words as one stream under `spec`.
pub(super) fn encode(spec: &Spec) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, word) in WORDS.iter().enumerate() {
        let word = word.as_bytes();
        match spec {
            Spec::Fixed(size) => {
                out.extend_from_slice(word);
                out.resize(out.len() + size.saturating_sub(word.len()), b' ');
            }
            Spec::Delim(delimiter) => {
                out.extend_from_slice(word);
                out.extend_from_slice(delimiter);
            }
            Spec::Len { .. } => {
                let len = u16::try_from(word.len()).unwrap_or(u16::MAX);
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(word);
            }
            Spec::Ascii(digits) => {
                out.extend_from_slice(format!("{:0digits$}", word.len()).as_bytes());
                out.extend_from_slice(word);
            }
            Spec::Eof | Spec::Raw | Spec::Line | Spec::Datagram => {
                if i > 0 {
                    out.push(b' ');
                }
                out.extend_from_slice(word);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framing::{DEFAULT_MAX_MESSAGE, frame_all};

    #[test]
    fn every_stream_frames_into_the_words_with_a_leftover_after_the_first_send() {
        for spec in framings() {
            let bytes = encode(&spec);
            let (messages, partial) = frame_all(&spec, &bytes, DEFAULT_MAX_MESSAGE);
            let bodies: Vec<Vec<u8>> = messages.into_iter().map(|m| m.body).collect();
            match &spec {
                Spec::Eof => assert!(bodies.is_empty() && partial.is_some(), "ends at EOF"),
                Spec::Fixed(_) => assert_eq!(bodies, [&b"alpha   "[..], b"bravo   ", b"charlie "]),
                _ => assert_eq!(bodies, [&b"alpha"[..], b"bravo", b"charlie"], "{spec}"),
            }
            let first = &bytes[..bytes.len() - HELD_BACK];
            let (early, leftover) = frame_all(&spec, first, DEFAULT_MAX_MESSAGE);
            if spec != Spec::Eof {
                assert_eq!(early.len(), 2, "{spec}: two whole messages first");
                assert!(leftover.is_some(), "{spec}: and the start of the third");
            }
        }
    }
}
