//! Sending from the UI on a datagram socket. A connected one sends to its peer like a stream;
//! a flow row sends to the flow's peer from its socket; a bound socket that receives from
//! anyone has no peer, so the first send asks for the destination (a prompt in the status
//! line, the address parsed as `:connect` parses one) and the socket remembers it for the
//! next send; `:sendto ADDR` changes it (or sets it before the first send).

use super::{App, Overlay, Prompt, PromptKind};
use crate::event::{Address, Command, ConnId, SocketType};
use crate::session::Role;
use crate::tui::LineEditor;
use crate::tui::msg::{Effect, Purpose};
use bytes::Bytes;
use std::collections::BTreeMap;

/// Where each bound socket sends, once told, and the bytes waiting for a destination.
#[derive(Clone, Debug, Default)]
pub(super) struct DatagramSends {
    destinations: BTreeMap<ConnId, Address>,
    /// What the user sent on a socket before saying where to.
    pending: Option<(ConnId, Vec<u8>)>,
}

/// How bytes sent on a connection leave.
enum Route {
    /// `send` on the socket: a stream, or a connected datagram socket.
    Send,
    /// One `sendto` from `socket` to `peer`.
    SendTo { socket: ConnId, peer: Address },
    /// A bound socket with no destination yet.
    Ask,
}

impl App {
    /// Sends `bytes` on `conn` when it is a datagram socket that needs a destination (a flow
    /// or a bound socket); gives them back otherwise, for a plain `send`.
    pub(super) fn send_datagram(
        &mut self,
        conn: ConnId,
        bytes: Vec<u8>,
    ) -> Result<Vec<Effect>, Vec<u8>> {
        match self.route(conn) {
            Route::Send => Err(bytes),
            Route::SendTo { socket, peer } => Ok(self.send_to_peer(socket, peer, bytes)),
            Route::Ask => {
                self.datagrams.pending = Some((conn, bytes));
                let editor = LineEditor::default();
                let kind = PromptKind::Destination;
                self.overlay = Overlay::Prompt(Prompt { kind, conn, editor });
                Ok(Vec::new())
            }
        }
    }

    fn route(&self, conn: ConnId) -> Route {
        let Some(found) = self.session.connection(conn) else { return Route::Send };
        match (found.role, &found.peer) {
            (Role::Flow { socket }, Some(peer)) => Route::SendTo { socket, peer: peer.clone() },
            (Role::Bound, _) => match self.datagrams.destinations.get(&conn) {
                Some(peer) => Route::SendTo { socket: conn, peer: peer.clone() },
                None => Route::Ask,
            },
            (
                Role::Flow { .. }
                | Role::Listener { .. }
                | Role::Accepted { .. }
                | Role::Outgoing
                | Role::Upstream { .. },
                _,
            ) => Route::Send,
        }
    }

    fn send_to_peer(&mut self, socket: ConnId, peer: Address, bytes: Vec<u8>) -> Vec<Effect> {
        let len = bytes.len();
        self.session.note_submitted(socket, len);
        let text = format!("{socket}: a datagram of {len} bytes queued for {peer}");
        self.set_status(text, super::Level::Info, Some(super::About::Queued(socket)));
        vec![Effect::Engine(Command::SendTo { conn: socket, peer, data: Bytes::from(bytes) })]
    }

    /// `:sendto ADDR`: the bound socket `conn` sends to `text` from now on, once resolved
    /// (off the UI thread, as for the prompt). A flow or a connected socket has its peer
    /// already: changing it would need a new socket, so it is refused with the reason.
    pub(super) fn change_destination(&mut self, conn: ConnId, text: &str) -> Vec<Effect> {
        let role = self.session.connection(conn).map(|found| found.role);
        let why = match role {
            Some(Role::Bound) => return self.submit_destination(conn, text),
            Some(Role::Flow { socket }) => {
                format!("{conn} is a flow: its sends go to its peer; select {socket} for :sendto")
            }
            Some(
                Role::Listener { .. }
                | Role::Accepted { .. }
                | Role::Outgoing
                | Role::Upstream { .. },
            )
            | None => format!(
                "{conn}: :sendto is for a datagram socket that receives from anyone \
                 (listen udp:ADDR); this one sends to its peer or not at all"
            ),
        };
        self.set_error(why);
        Vec::new()
    }

    /// Enter in the destination prompt: the address is resolved off the UI thread.
    pub(super) fn submit_destination(&mut self, conn: ConnId, text: &str) -> Vec<Effect> {
        let text = text.trim().to_string();
        if text.is_empty() {
            self.datagrams.pending = None;
            self.set_error(format!("{conn}: no destination given, nothing sent"));
            return Vec::new();
        }
        vec![Effect::Resolve { purpose: Purpose::Destination { conn }, text }]
    }

    /// The destination is resolved: remember it for `conn` and send what was waiting, or say
    /// why not.
    pub(super) fn finish_destination(
        &mut self,
        conn: ConnId,
        result: Result<Vec<Address>, String>,
    ) -> Vec<Effect> {
        let pending = self.datagrams.pending.take().filter(|(at, _)| *at == conn);
        let peer = result.and_then(|addresses| self.as_datagram_peer(conn, &addresses));
        match (peer, pending) {
            (Ok(peer), Some((_, bytes))) => {
                self.datagrams.destinations.insert(conn, peer.clone());
                self.send_to_peer(conn, peer, bytes)
            }
            (Ok(peer), None) => {
                self.set_info(format!("{conn}: sends go to {peer}"));
                self.datagrams.destinations.insert(conn, peer);
                Vec::new()
            }
            (Err(message), _) => {
                self.set_error(format!("destination: {message}; nothing sent"));
                Vec::new()
            }
        }
    }

    /// The first address as one `conn` can send to: `HOST:PORT` on a UDP socket means UDP, a
    /// path on a Unix datagram socket means that socket; the other kind is refused.
    fn as_datagram_peer(&self, conn: ConnId, addresses: &[Address]) -> Result<Address, String> {
        let local = self.session.connection(conn).and_then(|c| c.local.clone());
        let first = addresses.first().ok_or("the address resolves to nothing")?;
        let peer = match (local.as_ref(), first) {
            (Some(Address::Udp(_)), Address::Ip(ip) | Address::Udp(ip)) => Address::Udp(*ip),
            (Some(Address::UnixDatagram(_)), Address::Unix(p) | Address::UnixDatagram(p)) => {
                Address::UnixDatagram(p.clone())
            }
            (Some(local), other) if local.socket_type() == SocketType::Datagram => {
                return Err(format!("{other} is not an address a {local} socket can send to"));
            }
            _ => return Err(format!("{conn} is not a datagram socket")),
        };
        Ok(peer)
    }
}
