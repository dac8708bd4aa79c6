//! `partial-send`: `send` accepts what fits in the buffers, not what it was asked to send.
//!
//! Every socket gets small buffers, and the server stops reading. The client then asks to
//! send [`BULK`] bytes at once: the first `send` takes part of them, the next returns
//! `WouldBlock`, and the client leaves the writable list. When the server reads again, the
//! client becomes writable and the rest goes out in more partial sends.

use super::Tempo;
use super::cast::Side::{Client, Server};
use super::script::{Plan, Step, Until, connect, pause_reading, send, shutdown};
use crate::engine::EngineConfig;
use crate::event::{How, SockOption};
use crate::framing::Spec;
use std::fmt::Write as _;

pub(super) const NAME: &str = "partial-send";

/// Asked-for send and receive buffer size (Linux doubles it and has a minimum).
pub(super) const BUFFER: usize = 4096;
/// Bytes the client asks to send in one go: far more than the buffers between it and a
/// reader that has stopped can hold.
pub(super) const BULK: usize = 64 * 1024;

pub(super) fn plan() -> Plan {
    Plan {
        name: NAME,
        framing: Spec::Raw,
        engine: |base: EngineConfig, _: Tempo| {
            let mut options = base.options.clone();
            options.extend([SockOption::SndBuf(BUFFER), SockOption::RcvBuf(BUFFER)]);
            EngineConfig { options, ..base }
        },
        steps: vec![
            Step::Do(vec![connect()]),
            Step::Do(vec![pause_reading(Server(0), true)]),
            Step::Do(vec![send(Client(0), bulk())]),
            Step::Await(Until::SendBlocked(Client(0))),
            Step::Pause,
            Step::Do(vec![pause_reading(Server(0), false)]),
            // The engine shuts down writing only once everything queued is sent.
            Step::Do(vec![shutdown(Client(0), How::Write)]),
        ],
    }
}

/// Numbered lines, so that where each partial send stopped can be read in the data.
fn bulk() -> String {
    let mut text = String::with_capacity(BULK);
    let mut line = 0_u32;
    while text.len() < BULK {
        line += 1;
        let _ = writeln!(text, "line {line:05}: the reader is not reading yet");
    }
    text.truncate(BULK);
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bulk_is_exactly_the_announced_size_of_numbered_lines() {
        let bulk = super::bulk();
        assert_eq!(bulk.len(), super::BULK);
        assert!(bulk.starts_with("line 00001: "));
    }
}
