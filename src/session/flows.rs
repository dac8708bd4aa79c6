//! The flows of a bound datagram socket: one per peer address, each a row of its own in the
//! model (role [`Role::Flow`], an id of the form `#1.2`, see [`ConnId::flow`]) holding only
//! that peer's datagrams, so Data, Messages, the Inspector, search, copy and the follow view
//! show one peer's conversation with nothing new to learn. The bound socket keeps every
//! datagram too: its row shows all of them.
//!
//! A flow is the model's, not the engine's: no socket, no event names it. It opens with the
//! first datagram to or from its peer and closes with its socket. At most
//! [`super::MAX_PEERS`] are told apart per socket (as the peer tally), so a flood from spoofed
//! addresses grows no more rows than that.

use super::call::CallKind;
use super::connection::{ConnState, Role};
use super::tls::Layer;
use super::{Connection, Session};
use crate::event::{Address, ClosedBy, ConnId, Dir};
use crate::framing::Spec;

impl Session {
    /// Puts a datagram a bound socket moved on its peer's flow as well, opening the flow at
    /// the peer's first datagram.
    pub(super) fn mirror_to_flow(
        &mut self,
        socket: ConnId,
        peer: &Address,
        dir: Dir,
        data: &[u8],
        t: u64,
        call: CallKind,
    ) {
        let Some(id) = self.flow_for(socket, peer, t) else { return };
        let (datagram, truncated) = (call.is_datagram(), call.truncated());
        let Self { connections, retention, .. } = self;
        let Some(flow) = connections.get_mut(&id) else { return };
        flow.peers.note(peer, dir, data.len());
        flow.record(t, call);
        retention.track(flow, |flow| {
            if datagram {
                flow.stream_mut(dir).push_datagram(data, truncated, t);
            } else {
                flow.stream_mut(dir).push(data, t);
            }
        });
        if !data.is_empty() || datagram {
            retention.note_chunk(id, dir, Layer::Wire);
        }
        self.retention.enforce(&mut self.connections);
    }

    /// The flow of `peer` on bound socket `socket`, opened if it is new and there is room.
    fn flow_for(&mut self, socket: ConnId, peer: &Address, t: u64) -> Option<ConnId> {
        let bound = self.connections.get(&socket).filter(|c| c.role == Role::Bound)?;
        if let Some(id) = bound.peers.flow_of(peer) {
            return Some(id);
        }
        let number = bound.peers.flow_count() as u64 + 1;
        let untold =
            bound.peers.len() > super::MAX_PEERS || bound.peers.flow_count() >= super::MAX_PEERS;
        let id = ConnId::flow(socket, number).filter(|_| !untold)?;
        let (local, framing) = (bound.local.clone(), bound.stream(Dir::In).spec().clone());
        let mut flow = Connection::new(id, Role::Flow { socket }, t, self.config.limits());
        flow.local = local;
        flow.peer = Some(peer.clone());
        flow.enter(ConnState::Open);
        if framing != Spec::Raw {
            flow.reframe(&framing, self.config.max_message);
        }
        self.connections.insert(id, flow);
        if let Some(bound) = self.connections.get_mut(&socket) {
            bound.peers.add_flow(peer, id);
        }
        self.roster_generation += 1;
        Some(id)
    }

    /// A bound socket closed: its flows end with it, the same way.
    pub(super) fn close_flows(&mut self, socket: ConnId, by: ClosedBy, t: u64) {
        let Some(bound) = self.connections.get(&socket) else { return };
        let flows: Vec<ConnId> = bound.peers.flows().collect();
        for id in flows {
            if let Some(flow) = self.connections.get_mut(&id) {
                flow.close(t, by);
            }
        }
    }
}
