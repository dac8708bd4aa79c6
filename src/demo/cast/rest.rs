//! Whether everything the script set in motion has played out: the condition for its next step.
//!
//! A script that acted on its own clock would run ahead of a session that is stepped, slowed
//! or in manual mode: a line sent in two halves would arrive as one read, a close would come
//! with echoed bytes still unread. So a step waits until the sockets are *at rest*: every byte
//! sent has been read by a peer that is reading, nothing the script (or the echo server) queued
//! is still waiting to be sent, and every end that finished sending has been seen to finish by
//! its peer. Whatever the pace, the calls between two steps are then the same.
//!
//! Only what the events say counts, so a peer that does not read (its reading paused, or at
//! EOF), a closed socket, or one that failed is owed nothing: waiting for it would never end.

use super::{Cast, Facts};

impl Cast {
    /// Whether every connection of the script is at rest. `echo`: the server sockets send
    /// back what they receive (the engine's echo server).
    pub(in crate::demo) fn at_rest(&self, echo: bool) -> bool {
        let datagrams = self.servers.iter().enumerate().filter(|(_, s)| s.datagram);
        let datagrams_at_rest = datagrams
            .map(|(i, s)| (i, s.conn))
            .all(|(i, bound)| self.datagrams_at_rest(i, bound, echo));
        // A datagram server's clients have no server socket of their own: they count above.
        datagrams_at_rest
            && self.pairs.iter().all(|pair| {
                let Some(server) = pair.server else { return true };
                let (client, server) = (self.facts(pair.client), self.facts(server));
                let server_owes = |f: &Facts| if echo { f.received } else { 0 };
                direction_at_rest(&client, 0, &server)
                    && direction_at_rest(&server, server_owes(&server), &client)
            })
    }
}

/// Whether the bytes from `from` to `to` have all arrived. `echoed`: bytes `from` owes on top
/// of what the script asked it to send.
fn direction_at_rest(from: &Facts, echoed: u64, to: &Facts) -> bool {
    let done_with = to.closed || to.not_reading || to.eof || to.error.is_some();
    if done_with {
        return true;
    }
    let in_flight = from.sent > to.received;
    let queued = !from.closed && from.submitted.saturating_add(echoed) > from.sent;
    let end_unseen = from.closed || from.write_shut;
    !(in_flight || queued || end_unseen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading() -> Facts {
        Facts::default()
    }

    #[test]
    fn bytes_in_flight_or_queued_keep_a_direction_busy_until_read() {
        let sender = Facts { submitted: 10, sent: 10, ..Facts::default() };
        assert!(!direction_at_rest(&sender, 0, &reading()), "sent, not read");
        let read = Facts { received: 10, ..Facts::default() };
        assert!(direction_at_rest(&sender, 0, &read));
        let queued = Facts { submitted: 10, sent: 4, ..Facts::default() };
        let read_four = Facts { received: 4, ..Facts::default() };
        assert!(!direction_at_rest(&queued, 0, &read_four), "6 bytes still queued");
        let echo = Facts { received: 5, sent: 3, ..Facts::default() };
        let got_three = Facts { received: 3, ..Facts::default() };
        assert!(!direction_at_rest(&echo, 5, &got_three), "2 echoed bytes still queued");
    }

    #[test]
    fn a_peer_that_does_not_read_is_owed_nothing_and_an_end_must_be_seen() {
        let sender = Facts { submitted: 10, sent: 4, ..Facts::default() };
        let paused = Facts { not_reading: true, ..Facts::default() };
        assert!(direction_at_rest(&sender, 0, &paused));
        let shut = Facts { write_shut: true, ..Facts::default() };
        assert!(!direction_at_rest(&shut, 0, &reading()), "FIN not seen yet");
        let at_eof = Facts { eof: true, ..Facts::default() };
        assert!(direction_at_rest(&shut, 0, &at_eof));
        let closed = Facts { closed: true, ..Facts::default() };
        assert!(!direction_at_rest(&closed, 0, &reading()), "its close not seen yet");
        assert!(direction_at_rest(
            &closed,
            0,
            &Facts { error: Some(crate::event::ErrorKind::Reset), ..reading() }
        ));
    }
}
