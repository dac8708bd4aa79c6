//! `select`: one thread, many sockets, and a poll that says which of them are ready.
//!
//! Four clients talk to an echo server at the same moments, so a single poll round reports
//! several sockets readable at once (the server's sockets when the clients have written, the
//! clients when the echoes come back). Then one client vanishes with a reset, and its server
//! socket shows up in the error list. In step mode every key press is one round.

use super::Repeat;
use super::cast::Side::Client;
use super::script::{Act, Plan, Step, connect, reset, send, shutdown};
use crate::engine::EngineConfig;
use crate::event::How;
use crate::framing::Spec;

pub(super) const NAME: &str = "select";

/// Clients talking at once.
pub(super) const CLIENTS: usize = 4;

pub(super) fn plan() -> Plan {
    let every =
        |clients: usize, act: &dyn Fn(usize) -> Act| Step::Do((0..clients).map(act).collect());
    let talk =
        |round: usize| every(CLIENTS, &|i| send(Client(i), format!("client {i}, round {round}\n")));
    let remaining = CLIENTS - 1;
    Plan {
        name: NAME,
        framing: Spec::Line,
        engine: |base: EngineConfig, _: Repeat| EngineConfig { echo: true, ..base },
        steps: vec![
            every(CLIENTS, &|_| connect()),
            talk(1),
            talk(2),
            Step::Do(vec![reset(Client(remaining))]),
            every(remaining, &|i| send(Client(i), format!("client {i}, after the reset\n"))),
            every(remaining, &|i| shutdown(Client(i), How::Write)),
        ],
    }
}
