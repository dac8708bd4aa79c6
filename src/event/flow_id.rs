//! Ids of datagram flows: the model tells apart the peers of a bound datagram socket as rows
//! of their own, so each has an id, though the engine made no socket for it. Those ids live
//! in a space of their own (a high bit the engine's counter never reaches), name their socket,
//! and are written `#1.2` (the second peer of socket #1). They stay in the model and the UI:
//! no event, recording or command carries one.

use super::ConnId;

/// Marks a flow id.
const FLOW_BIT: u64 = 1 << 62;
/// Bits of the flow's number within its socket.
const NUMBER_BITS: u32 = 20;

impl ConnId {
    /// Flow `number` (from 1) of datagram socket `socket`; `None` past what an id can hold.
    #[must_use]
    pub fn flow(socket: ConnId, number: u64) -> Option<ConnId> {
        let fits = socket.0 < (FLOW_BIT >> NUMBER_BITS) && number < (1 << NUMBER_BITS);
        fits.then_some(ConnId(FLOW_BIT | (socket.0 << NUMBER_BITS) | number))
    }

    /// The socket and number of a flow id; `None` for a socket's own id.
    #[must_use]
    pub fn flow_parts(self) -> Option<(ConnId, u64)> {
        (self.0 & FLOW_BIT != 0).then(|| {
            let rest = self.0 & !FLOW_BIT;
            (ConnId(rest >> NUMBER_BITS), rest & ((1 << NUMBER_BITS) - 1))
        })
    }

    /// The socket behind this id: itself, or a flow's datagram socket.
    #[must_use]
    pub fn socket(self) -> ConnId {
        self.flow_parts().map_or(self, |(socket, _)| socket)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_id_names_its_socket_and_reads_as_socket_dot_number() {
        let flow = ConnId::flow(ConnId(7), 3).unwrap();
        assert_eq!(flow.flow_parts(), Some((ConnId(7), 3)));
        assert_eq!(flow.socket(), ConnId(7));
        assert_eq!(flow.to_string(), "#7.3");
        assert_eq!(ConnId(7).flow_parts(), None);
        assert_eq!(ConnId(7).socket(), ConnId(7));
        // Flows sort after every socket the engine numbers.
        assert!(flow > ConnId(1 << 40));
        assert_eq!(ConnId::flow(ConnId(7), 1 << 20), None);
    }
}
