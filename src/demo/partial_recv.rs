//! `partial-recv`: `recv` returns what has arrived, up to the size asked for; never "a message".
//!
//! Every `recv` asks for at most [`RECV_CHUNK`] bytes, so a line arrives in many pieces; a line
//! sent in two halves waits, incomplete, between them; two lines sent at once come out of the
//! same calls. Line framing puts each message back together: a `message` event follows the
//! `recv` that completed it.

use super::Tempo;
use super::cast::Side::Client;
use super::script::{Plan, Step, connect, send, shutdown, without_nagle};
use crate::engine::EngineConfig;
use crate::event::How;
use crate::framing::Spec;

pub(super) const NAME: &str = "partial-recv";

/// Largest single `recv`: a handful of bytes, so that every line takes several calls.
pub(super) const RECV_CHUNK: usize = 5;

pub(super) fn plan() -> Plan {
    Plan {
        name: NAME,
        framing: Spec::Line,
        engine: |base: EngineConfig, _: Tempo| EngineConfig {
            recv_chunk: RECV_CHUNK,
            echo: true,
            options: without_nagle(&base.options),
            ..base
        },
        steps: vec![
            Step::Do(vec![connect()]),
            Step::Do(vec![send(Client(0), "one line, sent with a single send call\n")]),
            Step::Do(vec![send(Client(0), "this line is sent in two ha")]),
            Step::Pause,
            Step::Do(vec![send(Client(0), "lves; framing waits for the rest\n")]),
            Step::Do(vec![send(Client(0), "two lines\nin one send\n")]),
            Step::Do(vec![shutdown(Client(0), How::Write)]),
        ],
    }
}
