//! The lesson's servers (one, or several with `[[servers]]`): which socket listens for
//! which, and which of them a client's `server N` end lives on.

use super::{Cast, Pair};
use crate::event::{Address, ConnId};

/// One of the lesson's servers once it listens, in the order the lesson lists them.
#[derive(Clone, Debug)]
pub(super) struct Server {
    pub(super) conn: ConnId,
    /// Its real address (port 0 resolved).
    pub(super) address: Address,
    /// A datagram socket (see `datagrams`): no `accept`, it plays every `server N` of the
    /// clients that send to it.
    pub(super) datagram: bool,
}

impl Cast {
    /// Where the lesson's server number `i` listens, once it does.
    pub(in crate::demo) fn server_address(&self, i: usize) -> Option<&Address> {
        self.servers.get(i).map(|s| &s.address)
    }

    /// Every server of the lesson listens.
    pub(in crate::demo) fn all_listening(&self) -> bool {
        self.servers.len() >= self.server_count
    }

    pub(super) fn is_server(&self, conn: ConnId) -> bool {
        self.servers.iter().any(|s| s.conn == conn)
    }

    /// The first server's listening socket: what `listener` names.
    pub(super) fn listener(&self) -> Option<ConnId> {
        self.servers.first().map(|s| s.conn)
    }

    /// The bound socket of the datagram server `pair` sends to, if its server is one.
    pub(super) fn datagram_server(&self, pair: &Pair) -> Option<ConnId> {
        self.servers.get(pair.server_index).filter(|s| s.datagram).map(|s| s.conn)
    }
}
