//! `dead-peer`: a peer that stops answering but never closes, and what notices.
//!
//! A client pings, the server pongs, twice. Then the server hangs: it takes the third ping a
//! moment late and never answers, yet keeps its socket open, so no FIN and no RST ever come.
//! A `recv` would wait forever; the engine's idle timeout ends the wait with an `error` of kind
//! `timed_out` on the client, and closes it.

use super::Tempo;
use super::cast::Side::{Client, Server};
use super::script::{Plan, Step, Until, connect, pause_reading, send, set_option};
use crate::engine::EngineConfig;
use crate::event::SockOption;
use crate::framing::Spec;
use std::time::Duration;

pub(super) const NAME: &str = "dead-peer";

/// How long the client waits without a byte moving: long enough to watch the silence in the
/// UI, short enough headless to keep the run quick. Always longer than the script's steps.
pub(super) fn idle_timeout(tempo: Tempo) -> Duration {
    match tempo {
        Tempo::Room => Duration::from_secs(8),
        Tempo::Log => Duration::from_secs(1),
    }
}

pub(super) fn plan() -> Plan {
    Plan {
        name: NAME,
        framing: Spec::Line,
        engine: |base: EngineConfig, tempo: Tempo| EngineConfig {
            idle_timeout: Some(idle_timeout(tempo)),
            ..base
        },
        steps: vec![
            Step::Do(vec![connect()]),
            // Keepalive probes are answered by the peer's kernel, even for a hung program: they
            // find a vanished host or a broken path (after hours, by default), not this.
            Step::Do(vec![set_option(Client(0), SockOption::KeepAlive(true))]),
            Step::Do(vec![send(Client(0), "ping 1\n")]),
            Step::Do(vec![send(Server(0), "pong 1\n")]),
            Step::Do(vec![send(Client(0), "ping 2\n")]),
            Step::Do(vec![send(Server(0), "pong 2\n")]),
            // The hang: the request is read late (so the server's own idle clock starts after
            // the client's, and the client's timeout is the one that fires) and never answered.
            Step::Do(vec![pause_reading(Server(0), true)]),
            Step::Do(vec![send(Client(0), "ping 3\n")]),
            Step::Pause,
            Step::Do(vec![pause_reading(Server(0), false)]),
            Step::Await(Until::Closed(Client(0))),
        ],
    }
}
