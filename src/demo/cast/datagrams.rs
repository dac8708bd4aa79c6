//! A lesson whose server is a datagram socket (`address = "udp:..."`): there is no `accept`,
//! the one bound socket receives every client's datagrams and plays every `server N`, and a
//! send from it goes to that client's address.
//!
//! At rest, as for streams (see `rest`), means every datagram sent has been received by a
//! socket that reads, and nothing is still queued; only the totals can be compared, since one
//! socket serves every client. A datagram cut short counts with its real length (what was
//! sent), and the echo owes only the bytes that arrived.

use super::{Cast, Facts};
use crate::event::{Address, ConnId};

impl Cast {
    /// Whether the datagram server number `index`, bound as `bound`, and its clients are at
    /// rest.
    pub(super) fn datagrams_at_rest(&self, index: usize, bound: ConnId, echo: bool) -> bool {
        let bound = self.facts(bound);
        let theirs = |p: &&super::Pair| p.to_server && p.server_index == index;
        let clients: Vec<Facts> =
            self.pairs.iter().filter(theirs).map(|p| self.facts(p.client)).collect();
        let gone = |f: &Facts| f.closed || f.error.is_some();
        let queued = self
            .pairs
            .iter()
            .map(|p| self.facts(p.client))
            .any(|f| !gone(&f) && f.submitted > f.sent);
        let sent_up: u64 = clients.iter().map(|f| f.sent).sum();
        let up_done = gone(&bound) || bound.not_reading || sent_up <= bound.received;
        let owed = if echo { bound.received.saturating_sub(bound.lost) } else { 0 };
        let bound_queued = !gone(&bound) && bound.submitted.saturating_add(owed) > bound.sent;
        let got_down: u64 = clients.iter().map(|f| f.received).sum();
        let listening = clients.iter().all(|f| !gone(f) && !f.not_reading);
        let down_done = !listening || bound.sent <= got_down;
        !queued && up_done && !bound_queued && down_done
    }

    /// Where a send from the bound socket playing `server i` goes: client i's address.
    pub(in crate::demo) fn datagram_peer_of_server(&self, i: usize) -> Option<(ConnId, Address)> {
        let pair = self.pairs.get(i)?;
        Some((self.datagram_server(pair)?, pair.local.clone()?))
    }
}
