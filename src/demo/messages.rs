//! The default demo: a client sends length-prefixed messages to an echo server on loopback.
//!
//! The script is chosen so that every panel has something to show: a message that arrives in
//! two pieces (a partial message, "7 of 12 bytes"), two messages in one `send` (one `recv` holds
//! a message and the next), and a binary message of integers to read in either byte order. It
//! is a [`Plan`] like the lessons, so it holds when the session holds.

use super::Tempo;
use super::cast::Side::Client;
use super::script::{Plan, Step, connect, send, shutdown};
use crate::engine::EngineConfig;
use crate::event::How;
use crate::framing::{LenWidth, Spec};

pub(super) const NAME: &str = "messages";

/// The message sent in two pieces.
const IN_TWO: &str = "this message arrives in two pieces";

pub(super) fn plan() -> Plan {
    let in_two = frame(IN_TWO.as_bytes());
    let half = 2 + IN_TWO.len() / 2;
    let two = [frame(b"two messages"), frame(b"in one send")].concat();
    Plan {
        name: NAME,
        framing: Spec::Len { width: LenWidth::U16Be, inclusive: false },
        engine: |base: EngineConfig, _: Tempo| EngineConfig { echo: true, ..base },
        steps: vec![
            Step::Do(vec![connect()]),
            Step::Do(vec![send(Client(0), frame(b"hello, server"))]),
            Step::Do(vec![send(Client(0), in_two[..half].to_vec())]),
            Step::Do(vec![send(Client(0), in_two[half..].to_vec())]),
            Step::Do(vec![send(Client(0), two)]),
            Step::Do(vec![send(Client(0), frame(&integers()))]),
            Step::Do(vec![send(Client(0), frame(b"goodbye"))]),
            // The server sees EOF, echoes what is left, and the script closes both ends.
            Step::Do(vec![shutdown(Client(0), How::Write)]),
        ],
    }
}

/// `len:u16be` framing: a two-byte big-endian length, then the body.
fn frame(body: &[u8]) -> Vec<u8> {
    let len = u16::try_from(body.len()).unwrap_or(u16::MAX);
    [&len.to_be_bytes()[..], &body[..usize::from(len)]].concat()
}

/// A body of integers in network byte order: u16 8080, u32 0xC0A80001, i32 -2.
fn integers() -> Vec<u8> {
    [&8080_u16.to_be_bytes()[..], &0xC0A8_0001_u32.to_be_bytes(), &(-2_i32).to_be_bytes()].concat()
}

#[cfg(test)]
mod tests;
