//! A datagram proxy's flows (`proxy udp:LISTEN udp:UPSTREAM`): each client address gets a
//! connected socket of its own toward the upstream, so that the upstream's replies on it go
//! back to that client and no other. A flow ends after `--idle-timeout`; when `--max-conns`
//! flows are open, a new client evicts the flow idle longest, and says so.

use super::Core;
use crate::engine::datagrams::Outgoing;
use crate::engine::endpoint::{Endpoint, Phase, Role};
use crate::engine::open;
use crate::event::{Address, ClosedBy, ConnId, ErrorKind, EventKind, Op};
use bytes::Bytes;
use std::time::Instant;

impl Core {
    /// Queues a datagram received on `from` (from `peer`) where it goes: an echo socket back to
    /// its sender, a proxy's bound socket to the sender's flow, a flow to its client.
    pub(super) fn relay_datagram(&mut self, from: ConnId, peer: Address, data: Bytes) {
        let Some(ep) = self.endpoints.get(&from) else { return };
        let (to, datagram) = match &ep.role {
            Role::Bound { upstream: Some(upstream) } => {
                let upstream = upstream.clone();
                let Some(flow) = self.flow_for(from, &peer, &upstream) else { return };
                let Some(to) = self.endpoints.get(&flow).and_then(|f| f.socket.peer_address().ok())
                else {
                    return;
                };
                (flow, Outgoing { to, connected: true, data })
            }
            Role::Flow { bound, client } => {
                (*bound, Outgoing { to: client.clone(), connected: false, data })
            }
            Role::Bound { upstream: None } | Role::Accepted { .. } if self.echoes(&ep.role) => {
                (from, Outgoing { to: peer, connected: false, data })
            }
            Role::Bound { .. } | Role::Accepted { .. } | Role::Listener { .. } | Role::Outgoing => {
                return;
            }
        };
        self.queue_datagram(to, datagram);
    }

    /// Queues one datagram on `to` and sends at once; past `--relay-limit` bytes queued the
    /// datagram is dropped and reported, as a full socket buffer would drop it.
    fn queue_datagram(&mut self, to: ConnId, datagram: Outgoing) {
        let limit = self.config.relay_limit;
        let Some(target) = self.endpoints.get_mut(&to) else { return };
        if target.queued_bytes() >= limit {
            let message = format!(
                "{} bytes for {} dropped: {} bytes already wait to be sent",
                datagram.data.len(),
                datagram.to,
                target.queued_bytes()
            );
            self.emit(EventKind::Error { conn: to, op: Op::Send, kind: ErrorKind::Other, message });
            return;
        }
        target.datagrams.push(datagram);
        if !self.manual {
            self.flush(to);
        }
    }

    /// The flow of `client` on the bound socket `bound`, opened (toward the first upstream
    /// address that opens) if new.
    fn flow_for(
        &mut self,
        bound: ConnId,
        client: &Address,
        upstream: &[Address],
    ) -> Option<ConnId> {
        if let Some(flow) = self.flows.get(&(bound, client.clone())) {
            return Some(*flow);
        }
        self.make_room_for_flow(bound);
        let id = self.allocate_id();
        let peer = upstream.first()?.clone();
        let (pair, client_field) = (Some(bound), Some(client.clone()));
        self.emit(EventKind::Connect { conn: id, peer: peer.clone(), pair, client: client_field });
        let socket = match open::connect(&peer, |_| {}) {
            Ok((socket, _)) => socket,
            Err(e) => {
                self.report_error(id, Op::Connect, &e);
                self.emit(EventKind::Close { conn: id, by: ClosedBy::Error });
                return None;
            }
        };
        let role = Role::Flow { bound, client: client.clone() };
        let mut ep = Endpoint::new(socket, role, Phase::Open, Instant::now());
        ep.pair = Some(bound);
        if let Ok(local) = ep.socket.local_address() {
            self.emit(EventKind::Connected { conn: id, local, peer });
        }
        self.endpoints.insert(id, ep);
        self.flows.insert((bound, client.clone()), id);
        self.apply_configured_options(id);
        self.refresh_interest(id);
        Some(id)
    }

    /// At `--max-conns` flows on `bound`, closes the one idle longest, with an `error` that
    /// says why.
    fn make_room_for_flow(&mut self, bound: ConnId) {
        let Some(max) = self.config.max_conns else { return };
        let flows: Vec<(Instant, ConnId)> = (self.endpoints.iter())
            .filter(|(_, ep)| matches!(ep.role, Role::Flow { bound: b, .. } if b == bound))
            .map(|(id, ep)| (ep.last_activity, *id))
            .collect();
        if flows.len() < max {
            return;
        }
        let Some(&(_, oldest)) = flows.iter().min() else { return };
        let message =
            format!("evicted: {max} flows open (--max-conns), and this one was idle longest");
        self.emit(EventKind::Error { conn: oldest, op: Op::Idle, kind: ErrorKind::Other, message });
        self.close(oldest, ClosedBy::Local);
    }

    /// The flows of a bound socket end with it.
    pub(super) fn close_flows_of(&mut self, bound: ConnId) {
        let mut flows: Vec<ConnId> =
            (self.flows.iter()).filter(|((b, _), _)| *b == bound).map(|(_, flow)| *flow).collect();
        flows.sort_unstable();
        for flow in flows {
            self.close(flow, ClosedBy::Local);
        }
    }
}
