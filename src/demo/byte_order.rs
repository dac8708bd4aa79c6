//! `byte-order`: the same four bytes are a different number depending on which end comes first.
//!
//! The server sends 32-bit integers in network byte order (big-endian, most significant byte
//! first), one per message under `fixed:4` framing. Read big-endian they are the numbers sent;
//! read little-endian, as an x86 or ARM machine stores its own integers, they are not.

use super::Tempo;
use super::cast::Side::{Client, Server};
use super::script::{Plan, Step, Until, close, connect, send, shutdown};
use crate::engine::EngineConfig;
use crate::event::How;
use crate::framing::Spec;

pub(super) const NAME: &str = "byte-order";

/// What the server sends, in order: 1 (which little-endian reads as 16 777 216), a port, an
/// IPv4 address (192.168.0.1), and -2 (a signed value: `fffffffe`).
pub(super) const INTEGERS: [u32; 4] = [1, 8080, 0xC0A8_0001, (-2_i32).cast_unsigned()];

pub(super) fn plan() -> Plan {
    let mut steps = vec![Step::Do(vec![connect()])];
    for value in INTEGERS {
        steps.push(Step::Do(vec![send(Server(0), value.to_be_bytes().to_vec())]));
    }
    steps.extend([
        Step::Do(vec![shutdown(Server(0), How::Write)]),
        Step::Await(Until::Eof(Client(0))),
        Step::Do(vec![close(Client(0))]),
    ]);
    Plan { name: NAME, framing: Spec::Fixed(4), engine: |base: EngineConfig, _: Tempo| base, steps }
}
