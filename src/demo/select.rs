//! `select`: one thread, many sockets, and a poll that says which of them are ready.
//!
//! Four clients talk to an echo server at the same moments, so a single poll round reports
//! several sockets readable at once (the server's sockets when the clients have written, the
//! clients when the echoes come back). Then one client sends a line longer than one round's
//! reads take ([`RECV_CHUNK`] bytes per `recv`, at most 16 calls per socket per round): the
//! next round lists its server socket as still readable although no new edge came, which is
//! the difference between epoll's edges and `select()`'s levels. Then one client vanishes
//! with a reset: epoll reports an error edge on its server socket, and `select()` would list
//! that socket readable (the `recv` fails at once), not in its third list, which is for
//! out-of-band data. In step mode every key press is one round.

use super::Tempo;
use super::cast::Side::Client;
use super::script::{Act, Plan, Step, connect, reset, send, shutdown, without_nagle};
use crate::engine::EngineConfig;
use crate::event::How;
use crate::framing::Spec;

pub(super) const NAME: &str = "select";

/// Clients talking at once.
pub(super) const CLIENTS: usize = 4;

/// Largest single `recv`: small, so that a long line takes more than one round to read.
pub(super) const RECV_CHUNK: usize = 16;

/// A line longer than one round's reads (16 calls of [`RECV_CHUNK`] bytes).
fn long_line() -> String {
    let words = "a long line, longer than one round of reads; ".repeat(8);
    format!("client 0: {words}end\n")
}

pub(super) fn plan() -> Plan {
    let every =
        |clients: usize, act: &dyn Fn(usize) -> Act| Step::Do((0..clients).map(act).collect());
    let talk =
        |round: usize| every(CLIENTS, &|i| send(Client(i), format!("client {i}, round {round}\n")));
    let remaining = CLIENTS - 1;
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
            every(CLIENTS, &|_| connect()),
            talk(1),
            talk(2),
            Step::Do(vec![send(Client(0), long_line())]),
            Step::Do(vec![reset(Client(remaining))]),
            every(remaining, &|i| send(Client(i), format!("client {i}, after the reset\n"))),
            every(remaining, &|i| shutdown(Client(i), How::Write)),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_line_takes_more_than_one_round_of_reads() {
        // 16: the engine's most `recv` calls per socket per round.
        assert!(long_line().len() > 16 * RECV_CHUNK, "{}", long_line().len());
    }

    /// An error is epoll's edge and makes a socket readable to `select()`; the lesson must not
    /// call `select()`'s third list an error list.
    #[test]
    fn the_lesson_keeps_errors_out_of_the_exceptional_list() {
        let lesson = include_str!("../../assets/lessons/select.md");
        assert!(!lesson.contains("error list"), "{lesson}");
        assert!(lesson.contains("out-of-band"), "{lesson}");
        assert!(lesson.contains("X stays empty"), "{lesson}");
    }
}
