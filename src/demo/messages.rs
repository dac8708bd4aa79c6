//! The default demo: a client sends length-prefixed messages to an echo server on loopback.
//!
//! The script is chosen so that every panel has something to show: a message that arrives in
//! two pieces (a partial message, "7 of 12 bytes"), two messages in one `send` (one `recv` holds
//! a message and the next), and a binary message of integers to read in either byte order.

use super::{Repeat, Scenario};
use crate::engine::EngineConfig;
use crate::event::{Address, Command, ConnId, Event, EventKind, How};
use crate::framing::{LenWidth, Spec};
use bytes::Bytes;
use std::time::Duration;

/// Time between two steps of the script.
const STEP: Duration = Duration::from_millis(700);

/// One step of the client's script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// One whole message in one `send`.
    Whole(&'static str),
    /// The length prefix and the first half of the body now, the rest at the next step.
    FirstHalf(&'static str),
    SecondHalf(&'static str),
    /// Two messages in one `send`.
    Two(&'static str, &'static str),
    /// A body of integers in network byte order: u16 8080, u32 0xC0A80001, i32 -2.
    Integers,
    /// `shutdown(write)`: the server sees EOF, echoes what is left, and closes.
    Finish,
}

const SCRIPT: &[Step] = &[
    Step::Whole("hello, server"),
    Step::FirstHalf("this message arrives in two pieces"),
    Step::SecondHalf("this message arrives in two pieces"),
    Step::Two("two messages", "in one send"),
    Step::Integers,
    Step::Whole("goodbye"),
    Step::Finish,
];

#[derive(Debug)]
pub struct Messages {
    repeat: Repeat,
    server: Option<Address>,
    client: Option<ConnId>,
    next_step: usize,
    next_at_us: u64,
    /// Rounds of the script completed (each on a fresh client connection).
    rounds: u32,
}

impl Messages {
    #[must_use]
    pub fn new(repeat: Repeat) -> Self {
        Self { repeat, server: None, client: None, next_step: 0, next_at_us: 0, rounds: 0 }
    }

    fn connect(&self) -> Vec<Command> {
        self.server.iter().map(|addr| Command::Connect { candidates: vec![addr.clone()] }).collect()
    }

    fn commands_for(conn: ConnId, step: Step) -> Vec<Command> {
        let send = |data: Vec<u8>| Command::Send { conn, data: Bytes::from(data) };
        match step {
            Step::Whole(text) => vec![send(frame(text.as_bytes()))],
            Step::FirstHalf(text) => {
                let whole = frame(text.as_bytes());
                vec![send(whole[..2 + text.len() / 2].to_vec())]
            }
            Step::SecondHalf(text) => {
                let whole = frame(text.as_bytes());
                vec![send(whole[2 + text.len() / 2..].to_vec())]
            }
            Step::Two(a, b) => vec![send([frame(a.as_bytes()), frame(b.as_bytes())].concat())],
            Step::Integers => vec![send(frame(&integers()))],
            Step::Finish => vec![Command::Shutdown { conn, how: How::Write }],
        }
    }
}

/// `len:u16be` framing: a two-byte big-endian length, then the body.
fn frame(body: &[u8]) -> Vec<u8> {
    let len = u16::try_from(body.len()).unwrap_or(u16::MAX);
    [&len.to_be_bytes()[..], &body[..usize::from(len)]].concat()
}

fn integers() -> Vec<u8> {
    [&8080_u16.to_be_bytes()[..], &0xC0A8_0001_u32.to_be_bytes(), &(-2_i32).to_be_bytes()].concat()
}

impl Scenario for Messages {
    fn name(&self) -> &'static str {
        "messages"
    }

    fn engine_config(&self, base: EngineConfig) -> EngineConfig {
        EngineConfig { echo: true, ..base }
    }

    fn framing(&self) -> Spec {
        Spec::Len { width: LenWidth::U16Be, inclusive: false }
    }

    fn tick(&self) -> Duration {
        STEP
    }

    fn start(&mut self) -> Vec<Command> {
        let addr = "127.0.0.1:0".parse().map(|addr| Command::Listen { addr });
        addr.into_iter().collect()
    }

    fn on_event(&mut self, event: &Event) -> Vec<Command> {
        match &event.kind {
            EventKind::Listen { local, .. } if self.server.is_none() => {
                self.server = Some(local.clone());
                self.connect()
            }
            EventKind::Connected { conn, .. } if self.client.is_none() => {
                self.client = Some(*conn);
                self.next_step = 0;
                self.next_at_us = event.t_us;
                Vec::new()
            }
            EventKind::Close { conn, .. } if self.client == Some(*conn) => {
                self.client = None;
                self.rounds += 1;
                if self.repeat == Repeat::Forever { self.connect() } else { Vec::new() }
            }
            _ => Vec::new(),
        }
    }

    fn on_tick(&mut self, now_us: u64) -> Vec<Command> {
        let Some(conn) = self.client else { return Vec::new() };
        if now_us < self.next_at_us {
            return Vec::new();
        }
        let Some(step) = SCRIPT.get(self.next_step) else { return Vec::new() };
        self.next_step += 1;
        self.next_at_us = now_us + u64::try_from(STEP.as_micros()).unwrap_or(u64::MAX);
        Self::commands_for(conn, *step)
    }

    fn is_finished(&self) -> bool {
        self.repeat == Repeat::Once && self.rounds > 0
    }
}

#[cfg(test)]
mod tests;
