//! Who is who in a scripted scenario: the listener, the clients the script opened (in order),
//! the server socket `accept` made for each, and what has happened to each socket so far.
//!
//! The engine only names sockets by id, so the script's "client 2" and "the server's socket
//! for client 2" are found here: clients in the order their `connect` events came back (the
//! engine handles commands in order), server sockets by matching the accepted socket's peer
//! address with the client's local address.

use super::SetFraming;
use crate::event::{Address, ConnId, ErrorKind, Event, EventKind, How, Op};
use crate::framing::Spec;
use std::collections::{HashMap, VecDeque};

/// One end of one of the script's connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    /// The `i`-th client the script connected (from 0).
    Client(usize),
    /// The socket the listener accepted for the `i`-th client.
    Server(usize),
    /// The listener itself.
    Listener,
}

/// What has happened to one socket, as far as a script waits for it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Facts {
    pub(super) eof: bool,
    pub(super) closed: bool,
    /// A `send` returned `WouldBlock` (at least once).
    pub(super) send_blocked: bool,
    /// A failure was reported: by a timeout, a reset, ...
    pub(super) error: Option<ErrorKind>,
    /// Bytes the script asked this socket to send.
    pub(super) submitted: u64,
    /// Bytes its `send` calls took.
    pub(super) sent: u64,
    /// Bytes its `recv` calls returned.
    pub(super) received: u64,
    /// Its read interest is off (reading paused, or at EOF): it takes no more bytes for now.
    pub(super) not_reading: bool,
    /// It shut down writing: its peer is owed an EOF.
    pub(super) write_shut: bool,
    /// A poll round listed it readable since a step last waited for that.
    pub(super) readable: bool,
    /// Its connect completed.
    pub(super) connected: bool,
    /// Bytes of datagrams it received cut short that the kernel dropped (counted in
    /// `received`, which holds the datagrams' real lengths, but never echoed).
    pub(super) lost: u64,
}

/// A client the script connected, and the far end of its connection once known.
#[derive(Clone, Debug)]
struct Pair {
    client: ConnId,
    local: Option<Address>,
    server: Option<ConnId>,
    framing: Option<Spec>,
    /// It connects to the lesson's server (not to an address `to` gave).
    to_server: bool,
    /// Which of the lesson's servers it connects to (0 for one that connects elsewhere).
    server_index: usize,
}

mod datagrams;
mod rest;
mod servers;

use servers::Server;

fn len_u64(len: usize) -> u64 {
    u64::try_from(len).unwrap_or(u64::MAX)
}

#[derive(Debug, Default)]
pub(super) struct Cast {
    /// How many servers the lesson has: a later `listen` is not the script's.
    pub(super) server_count: usize,
    /// The lesson's servers that listen so far.
    servers: Vec<Server>,
    /// Connects asked for whose `connect` event has not come back yet, with their framing,
    /// the address they go to when it is not a server's, and which server otherwise.
    expected: VecDeque<(Option<Spec>, Option<Address>, usize)>,
    pairs: Vec<Pair>,
    /// Accepted sockets not matched to a client yet, with their peer's address.
    unmatched: Vec<(ConnId, Address)>,
    facts: HashMap<ConnId, Facts>,
    framings: Vec<SetFraming>,
    /// The clients connect to a server outside the session (`run --to`): there is no
    /// listener and no server side, and every connect of the session is the script's.
    pub(super) remote: bool,
    /// Bytes each socket received that no step has matched yet (see [`INBOX_CAP`]).
    inbox: HashMap<ConnId, Vec<u8>>,
}

/// Most unmatched bytes kept per socket for a step that expects bytes; older ones go first.
pub(super) const INBOX_CAP: usize = 1 << 20;

impl Cast {
    /// The script is about to connect one more client (framed so, if `Some`), to `elsewhere`
    /// if that is not the lesson's server number `server`.
    pub(super) fn expect_client(
        &mut self,
        framing: Option<Spec>,
        elsewhere: Option<Address>,
        server: usize,
    ) {
        self.expected.push_back((framing, elsewhere, server));
    }

    /// Whether a client's `connect` to `peer` is the next one the script asked for.
    fn expects(&self, peer: &Address) -> bool {
        let want = match self.expected.front() {
            Some((_, Some(to), _)) => Some(to),
            Some((_, None, i)) => self.server_address(*i),
            None => self.server_address(0),
        };
        self.remote || want == Some(peer)
    }

    /// Forgets the clients of a finished round; the servers stay.
    pub(super) fn new_round(&mut self) {
        let (servers, remote, server_count) =
            (std::mem::take(&mut self.servers), self.remote, self.server_count);
        *self = Self { server_count, servers, remote, ..Self::default() };
    }

    pub(super) fn observe(&mut self, event: &Event) {
        match &event.kind {
            EventKind::Listen { conn, local } if !self.all_listening() => {
                let datagram = local.socket_type() == crate::event::SocketType::Datagram;
                self.servers.push(Server { conn: *conn, address: local.clone(), datagram });
            }
            EventKind::Connect { conn, peer, pair: None, .. } if self.expects(peer) => {
                if let Some((framing, to, server_index)) = self.expected.pop_front() {
                    self.frame(*conn, framing.as_ref());
                    let to_server = to.is_none();
                    let (client, local, server) = (*conn, None, None);
                    let pair = Pair { client, local, server, framing, to_server, server_index };
                    self.pairs.push(pair);
                }
            }
            EventKind::Connected { conn, local, .. } => {
                self.facts.entry(*conn).or_default().connected = true;
                if let Some(pair) = self.pairs.iter_mut().find(|p| p.client == *conn) {
                    pair.local = Some(local.clone());
                    self.match_accepted();
                }
            }
            EventKind::Accept { conn, listener, peer, .. } if self.is_server(*listener) => {
                self.unmatched.push((*conn, peer.clone()));
                self.match_accepted();
            }
            _ => self.note_fact(event),
        }
    }

    fn note_fact(&mut self, event: &Event) {
        if let EventKind::Ready(ready) = &event.kind {
            for conn in &ready.readable {
                self.facts.entry(*conn).or_default().readable = true;
            }
        }
        let Some(conn) = event.conn() else { return };
        let facts = self.facts.entry(conn).or_default();
        match &event.kind {
            EventKind::Eof { .. } => facts.eof = true,
            EventKind::Close { .. } => facts.closed = true,
            EventKind::WouldBlock { op: Op::Send, .. } => facts.send_blocked = true,
            EventKind::Error { kind, .. } => facts.error = Some(*kind),
            EventKind::Send { len, .. } | EventKind::SendTo { len, .. } => {
                facts.sent += len_u64(*len);
            }
            // A datagram cut short counts with its real length: all of it was sent.
            EventKind::Recv { len, data, .. } | EventKind::RecvFrom { len, data, .. } => {
                let real = match &event.kind {
                    EventKind::RecvFrom { truncated: Some(real), .. } => *real,
                    _ => *len,
                };
                facts.received += len_u64(real);
                facts.lost += len_u64(real.saturating_sub(*len));
                let inbox = self.inbox.entry(conn).or_default();
                inbox.extend_from_slice(data);
                let over = inbox.len().saturating_sub(INBOX_CAP);
                inbox.drain(..over);
            }
            EventKind::Interest { read, .. } => facts.not_reading = !read,
            EventKind::Shutdown { how: How::Write | How::Both, .. } => facts.write_shut = true,
            _ => {}
        }
    }

    /// Pairs accepted sockets with the clients whose local address is their peer.
    fn match_accepted(&mut self) {
        let mut framed = Vec::new();
        self.unmatched.retain(|(conn, peer)| {
            let pair = self.pairs.iter_mut().find(|p| p.local.as_ref() == Some(peer));
            let Some(pair) = pair.filter(|p| p.server.is_none()) else { return true };
            pair.server = Some(*conn);
            framed.push((*conn, pair.framing.clone()));
            false
        });
        for (conn, framing) in framed {
            self.frame(conn, framing.as_ref());
        }
    }

    fn frame(&mut self, conn: ConnId, framing: Option<&Spec>) {
        if let Some(spec) = framing {
            self.framings.push(SetFraming { conn, spec: spec.clone() });
        }
    }

    /// The script asked `conn` to send `len` more bytes.
    pub(super) fn submitted(&mut self, conn: ConnId, len: usize) {
        self.facts.entry(conn).or_default().submitted += len_u64(len);
    }

    pub(super) fn take_framings(&mut self) -> Vec<SetFraming> {
        std::mem::take(&mut self.framings)
    }

    /// The socket playing `side`, once it exists.
    pub(super) fn conn(&self, side: Side) -> Option<ConnId> {
        match side {
            Side::Client(i) => self.pairs.get(i).map(|p| p.client),
            Side::Server(i) => {
                let pair = self.pairs.get(i)?;
                self.datagram_server(pair).or(pair.server)
            }
            Side::Listener => self.listener(),
        }
    }

    pub(super) fn facts(&self, conn: ConnId) -> Facts {
        self.facts.get(&conn).copied().unwrap_or_default()
    }

    /// What has happened to `side`; a side that never came to exist counts as closed.
    pub(super) fn facts_of(&self, side: Side) -> Facts {
        let facts = self.conn(side).map(|conn| self.facts(conn));
        facts.unwrap_or(Facts { closed: self.client_closed(side), ..Facts::default() })
    }

    fn client_closed(&self, side: Side) -> bool {
        let (Side::Client(i) | Side::Server(i)) = side else { return false };
        self.pairs.get(i).is_some_and(|p| self.facts(p.client).closed)
    }

    pub(super) fn is_open(&self, conn: ConnId) -> bool {
        !self.facts(conn).closed
    }

    /// Every connect asked for has either connected (both ends known; the client's end only
    /// when the server is remote) or failed.
    pub(super) fn connects_done(&self) -> bool {
        let done = |p: &Pair| {
            let client = self.facts(p.client);
            let connected = self.remote || self.datagram_server(p).is_some();
            client.closed || if connected { client.connected } else { p.server.is_some() }
        };
        // A listener that does not accept leaves clients waiting in the kernel's queue (or
        // still connecting): nothing more happens to them until it accepts again.
        let accepting = self.listener().is_none_or(|l| !self.facts(l).not_reading);
        self.expected.is_empty() && (!accepting || self.pairs.iter().all(done))
    }

    /// The script's clients, by index, that exist.
    pub(super) fn clients(&self) -> impl Iterator<Item = (usize, ConnId)> + '_ {
        self.pairs.iter().map(|p| p.client).enumerate()
    }

    /// The bytes `conn` received that no step has matched yet.
    pub(super) fn inbox(&self, conn: ConnId) -> &[u8] {
        self.inbox.get(&conn).map_or(&[], Vec::as_slice)
    }

    /// A step matched `conn`'s bytes up to `end`, or its readiness: a later step waits for
    /// more.
    pub(super) fn consume(&mut self, conn: ConnId, end: usize) {
        if let Some(inbox) = self.inbox.get_mut(&conn) {
            inbox.drain(..end.min(inbox.len()));
        }
        self.facts.entry(conn).or_default().readable = false;
    }

    /// The script's sockets still open (listener excepted), clients first.
    pub(super) fn open_streams(&self) -> Vec<ConnId> {
        let clients = self.pairs.iter().map(|p| Some(p.client));
        let servers = self.pairs.iter().map(|p| p.server);
        clients.chain(servers).flatten().filter(|c| self.is_open(*c)).collect()
    }
}
