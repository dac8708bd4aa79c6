//! The peers of a datagram socket that receives from anyone: per peer address, how many
//! datagrams and bytes went each way. A flood from spoofed addresses must not grow the model
//! without bound, so at most [`MAX_PEERS`] are told apart; the rest are counted together.

use crate::event::{Address, ConnId, Dir};
use std::collections::BTreeMap;

/// Most peers told apart on one socket.
pub const MAX_PEERS: usize = 4096;

/// Datagrams and bytes each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub datagrams_in: u64,
    pub bytes_in: u64,
    pub datagrams_out: u64,
    pub bytes_out: u64,
}

impl Tally {
    fn add(&mut self, dir: Dir, len: usize) {
        let (datagrams, bytes) = match dir {
            Dir::In => (&mut self.datagrams_in, &mut self.bytes_in),
            Dir::Out => (&mut self.datagrams_out, &mut self.bytes_out),
        };
        *datagrams += 1;
        *bytes = bytes.saturating_add(len as u64);
    }
}

/// The peers of one datagram socket, in address order.
#[derive(Clone, Debug, Default)]
pub struct Peers {
    known: BTreeMap<Address, Tally>,
    /// Datagrams of peers past [`MAX_PEERS`], all together.
    others: Tally,
    /// Each peer's flow in the model (see `session::flows`).
    flows: BTreeMap<Address, ConnId>,
}

impl Peers {
    pub(super) fn note(&mut self, peer: &Address, dir: Dir, len: usize) {
        if let Some(tally) = self.known.get_mut(peer) {
            tally.add(dir, len);
        } else if self.known.len() < MAX_PEERS {
            self.known.entry(peer.clone()).or_default().add(dir, len);
        } else {
            self.others.add(dir, len);
        }
    }

    pub(super) fn add_flow(&mut self, peer: &Address, flow: ConnId) {
        self.flows.insert(peer.clone(), flow);
    }

    /// The flow row of `peer`, once it has one.
    #[must_use]
    pub fn flow_of(&self, peer: &Address) -> Option<ConnId> {
        self.flows.get(peer).copied()
    }

    /// The flow rows, in peer address order.
    pub fn flows(&self) -> impl Iterator<Item = ConnId> + '_ {
        self.flows.values().copied()
    }

    /// How many flow rows there are.
    #[must_use]
    pub fn flow_count(&self) -> usize {
        self.flows.len()
    }

    /// The tally of one peer told apart.
    #[must_use]
    pub fn tally(&self, peer: &Address) -> Option<Tally> {
        self.known.get(peer).copied()
    }

    /// Each peer told apart, with its tally.
    pub fn iter(&self) -> impl Iterator<Item = (&Address, &Tally)> {
        self.known.iter()
    }

    /// How many peers are told apart.
    #[must_use]
    pub fn len(&self) -> usize {
        self.known.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// What peers past [`MAX_PEERS`] sent and received, together.
    #[must_use]
    pub fn others(&self) -> Tally {
        self.others
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers_are_counted_apart_up_to_the_cap_then_together() {
        let mut peers = Peers::default();
        let udp = |port: u16| Address::Udp(([127, 0, 0, 1], port).into());
        peers.note(&udp(1), Dir::In, 5);
        peers.note(&udp(1), Dir::Out, 5);
        peers.note(&udp(1), Dir::In, 0);
        let first = peers.iter().next().map(|(_, t)| *t);
        let expected = Tally { datagrams_in: 2, bytes_in: 5, datagrams_out: 1, bytes_out: 5 };
        assert_eq!(first, Some(expected));
        for port in 2..=u16::try_from(MAX_PEERS + 10).unwrap() {
            peers.note(&udp(port), Dir::In, 1);
        }
        assert_eq!(peers.len(), MAX_PEERS);
        assert_eq!(peers.others().datagrams_in, 10);
    }
}
