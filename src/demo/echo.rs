//! `echo`: the server socket only accepts; every client gets a new socket of its own.
//!
//! Two clients connect to an echo server one after the other and take turns talking. The log
//! shows one listener that never carries a byte, and two `accept`s, each with a new id: the
//! sockets the data really goes through.

use super::Tempo;
use super::cast::Side::Client;
use super::script::{Plan, Step, connect, send, shutdown};
use crate::engine::EngineConfig;
use crate::event::How;
use crate::framing::Spec;

pub(super) const NAME: &str = "echo";

pub(super) fn plan() -> Plan {
    Plan {
        name: NAME,
        framing: Spec::Line,
        engine: |base: EngineConfig, _: Tempo| EngineConfig { echo: true, ..base },
        steps: vec![
            Step::Do(vec![connect()]),
            Step::Do(vec![send(Client(0), "hello from the first client\n")]),
            Step::Do(vec![connect()]),
            Step::Do(vec![send(Client(1), "hello from the second client\n")]),
            Step::Do(vec![send(Client(0), "each of us talks to a server socket of its own\n")]),
            Step::Pause,
            Step::Do(vec![shutdown(Client(0), How::Write), shutdown(Client(1), How::Write)]),
        ],
    }
}
