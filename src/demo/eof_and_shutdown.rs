//! `eof-and-shutdown`: the ways a connection ends, and what each end sees.
//!
//! First an HTTP/1.0-like exchange: the client sends its request and shuts down writing; the
//! server's `recv` returns 0 (EOF), and yet the server still sends its reply, then closes.
//! Then a second client sends a line and the server resets the connection instead of closing
//! it: no FIN but RST, and the client's next `recv` fails with "connection reset".

use super::Tempo;
use super::cast::Side::{Client, Server};
use super::script::{Plan, Step, Until, close, connect, reset, send, shutdown};
use crate::engine::{EngineConfig, EofPolicy};
use crate::event::{ErrorKind, How};
use crate::framing::Spec;

pub(super) const NAME: &str = "eof-and-shutdown";

pub(super) const REQUEST: &str = "GET /time HTTP/1.0\r\n\r\n";
pub(super) const REPLY: &str =
    "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nit is noon on loopback\n";

pub(super) fn plan() -> Plan {
    Plan {
        name: NAME,
        framing: Spec::Eof,
        // The server must not close on EOF by itself: answering after it is the point.
        engine: |base: EngineConfig, _: Tempo| EngineConfig {
            eof_policy: EofPolicy::KeepOpen,
            ..base
        },
        steps: vec![
            Step::Do(vec![connect()]),
            Step::Do(vec![send(Client(0), REQUEST)]),
            Step::Do(vec![shutdown(Client(0), How::Write)]),
            Step::Await(Until::Eof(Server(0))),
            Step::Do(vec![send(Server(0), REPLY)]),
            Step::Do(vec![close(Server(0))]),
            Step::Await(Until::Eof(Client(0))),
            Step::Do(vec![close(Client(0))]),
            Step::Do(vec![connect()]),
            Step::Do(vec![send(Client(1), "are you still there?\n")]),
            Step::Do(vec![reset(Server(1))]),
            Step::Await(Until::Failed(Client(1), ErrorKind::Reset)),
        ],
    }
}
