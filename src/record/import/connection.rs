//! One captured TCP connection told as the socket calls of its client.
//!
//! The client is the side that sent the SYN (or, when the capture holds no SYN, the side that
//! answered one with a SYN-ACK is the server; with neither, the side with the lower port is
//! taken to be the server). Its socket `connect`s at the SYN, is `connected` at the SYN-ACK,
//! `send`s what it sent and `recv`s what the server sent, once reassembled; its FIN is a
//! `shutdown(write)`, the server's an `eof`; both FINs `close` it (`by` local when the client
//! ended first, peer when the server did). A RST from the client is its `reset`, from the
//! server an `error` (reset) and a close by reset; a RST answering the SYN is a refused
//! connect. What the capture lacks is an `error` of kind `other` on the direction it belongs
//! to ("capture gap: ..."), never invented bytes.

use super::reassembly::{Direction, Piece};
use super::tcp::Segment;
use crate::event::{Address, ClosedBy, ConnId, ErrorKind, EventKind, How, Op};
use std::net::SocketAddr;

/// Which end of the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

/// The state of one imported connection.
#[derive(Debug)]
pub struct Connection {
    pub id: ConnId,
    pub client: SocketAddr,
    pub server: SocketAddr,
    /// Client to server.
    up: Direction,
    /// Server to client.
    down: Direction,
    /// The client's SYN is in the capture.
    syn_sent: bool,
    connected: bool,
    client_done: bool,
    server_done: bool,
    pub closed: bool,
    /// Gaps declared so far.
    pub gaps: u64,
}

impl Connection {
    /// A connection whose first captured segment is `first`; its opening events go to `out`.
    pub fn open(id: ConnId, first: &Segment<'_>, out: &mut Vec<EventKind>) -> Self {
        let client_first = match (first.syn, first.ack.is_some()) {
            (true, false) => true,
            (true, true) => false,
            (false, _) => first.src.port() > first.dst.port(),
        };
        let (client, server) =
            if client_first { (first.src, first.dst) } else { (first.dst, first.src) };
        let conn = Self {
            id,
            client,
            server,
            up: Direction::default(),
            down: Direction::default(),
            syn_sent: false,
            connected: false,
            client_done: false,
            server_done: false,
            closed: false,
            gaps: 0,
        };
        out.push(EventKind::Connect {
            conn: id,
            peer: Address::Ip(server),
            pair: None,
            client: None,
        });
        if !first.syn {
            let message = format!(
                "no handshake in the capture: the connection was open before it began; \
                 {server} (the lower port) is taken to be the server, and bytes sent \
                 before the capture began are not in the recording"
            );
            out.push(note(id, Op::Connect, message));
        } else if first.ack.is_some() {
            let message = "the capture begins after the client's SYN: its SYN-ACK is the \
                           first packet"
                .to_owned();
            out.push(note(id, Op::Connect, message));
        }
        conn
    }

    /// Which side sent `segment`.
    #[must_use]
    pub fn side_of(&self, segment: &Segment<'_>) -> Side {
        if segment.src == self.client { Side::Client } else { Side::Server }
    }

    /// Folds one segment in; the events it causes go to `out`.
    pub fn segment(&mut self, segment: &Segment<'_>, out: &mut Vec<EventKind>) {
        if self.closed {
            return;
        }
        let side = self.side_of(segment);
        if segment.rst {
            self.reset(side, out);
            return;
        }
        if segment.syn {
            self.direction(side).start(segment.seq.wrapping_add(1));
        }
        if segment.syn && side == Side::Client {
            self.syn_sent = true;
        } else {
            self.connected(out);
        }
        let mut pieces = Vec::new();
        if let Some(ack) = segment.ack {
            self.direction(other_side(side)).acked(ack, &mut pieces);
            self.deliver(other_side(side), &mut pieces, out);
        }
        let seq = segment.seq.wrapping_add(u32::from(segment.syn));
        let own = self.direction(side);
        if !segment.payload.is_empty() || segment.missing > 0 {
            own.segment(seq, segment.payload, segment.missing, &mut pieces);
        }
        if segment.fin {
            let len = (segment.payload.len() as u32).wrapping_add(segment.missing);
            own.fin(seq.wrapping_add(len));
        }
        self.deliver(side, &mut pieces, out);
        self.check_ends(out);
    }

    /// The capture ended: what waits behind a hole is delivered after a gap mark, FINs that
    /// it reaches end their direction. A connection still open stays open: the capture does
    /// not say it closed.
    pub fn finish(&mut self, out: &mut Vec<EventKind>) {
        if self.closed {
            return;
        }
        self.flush_both(out);
        self.check_ends(out);
    }

    fn connected(&mut self, out: &mut Vec<EventKind>) {
        if !std::mem::replace(&mut self.connected, true) {
            out.push(EventKind::Connected {
                conn: self.id,
                local: Address::Ip(self.client),
                peer: Address::Ip(self.server),
            });
        }
    }

    fn reset(&mut self, side: Side, out: &mut Vec<EventKind>) {
        let id = self.id;
        self.closed = true;
        if self.syn_sent && !self.connected && side == Side::Server {
            let message = "connection refused: the server answered the SYN with RST".to_owned();
            out.push(EventKind::Error {
                conn: id,
                op: Op::Connect,
                kind: ErrorKind::Refused,
                message,
            });
            out.push(EventKind::Close { conn: id, by: ClosedBy::Error });
            return;
        }
        self.flush_both(out);
        match side {
            Side::Client => {
                out.push(EventKind::Reset { conn: id });
                out.push(EventKind::Close { conn: id, by: ClosedBy::Local });
            }
            Side::Server => {
                let message = "connection reset by peer (RST)".to_owned();
                out.push(EventKind::Error {
                    conn: id,
                    op: Op::Recv,
                    kind: ErrorKind::Reset,
                    message,
                });
                out.push(EventKind::Close { conn: id, by: ClosedBy::Reset });
            }
        }
    }

    fn flush_both(&mut self, out: &mut Vec<EventKind>) {
        for side in [Side::Client, Side::Server] {
            let mut pieces = Vec::new();
            self.direction(side).flush(&mut pieces);
            self.deliver(side, &mut pieces, out);
        }
    }

    /// A FIN whose bytes are all delivered ends its direction; two end the connection.
    fn check_ends(&mut self, out: &mut Vec<EventKind>) {
        let id = self.id;
        if !self.client_done && self.up.fin_reached() {
            self.client_done = true;
            out.push(EventKind::Shutdown { conn: id, how: How::Write });
            if self.server_done {
                out.push(EventKind::Close { conn: id, by: ClosedBy::Peer });
                self.closed = true;
            }
        }
        if !self.server_done && self.down.fin_reached() {
            self.server_done = true;
            out.push(EventKind::Eof { conn: id });
            if self.client_done {
                out.push(EventKind::Close { conn: id, by: ClosedBy::Local });
                self.closed = true;
            }
        }
    }

    fn direction(&mut self, side: Side) -> &mut Direction {
        match side {
            Side::Client => &mut self.up,
            Side::Server => &mut self.down,
        }
    }

    /// Turns what `side` delivered into `send` (client) or `recv` (server) events and gaps.
    fn deliver(&mut self, side: Side, pieces: &mut Vec<Piece>, out: &mut Vec<EventKind>) {
        let conn = self.id;
        for piece in pieces.drain(..) {
            out.push(match (piece, side) {
                (Piece::Data(data), Side::Client) => {
                    EventKind::Send { conn, requested: data.len(), len: data.len(), data }
                }
                (Piece::Data(data), Side::Server) => {
                    EventKind::Recv { conn, max: data.len(), len: data.len(), data }
                }
                (Piece::Gap { at, len }, side) => {
                    self.gaps += 1;
                    let (op, who) = match side {
                        Side::Client => (Op::Send, "the client sent"),
                        Side::Server => (Op::Recv, "the server sent"),
                    };
                    let (bytes, are) = if len == 1 { ("byte", "is") } else { ("bytes", "are") };
                    let message = format!(
                        "capture gap: {len} {bytes} {who} {are} missing at offset {at}; \
                         the bytes after them follow"
                    );
                    note(conn, op, message)
                }
            });
        }
    }
}

fn other_side(side: Side) -> Side {
    match side {
        Side::Client => Side::Server,
        Side::Server => Side::Client,
    }
}

/// What the capture cannot show, as an `error` of kind `other` (it does not close anything).
fn note(conn: ConnId, op: Op, message: String) -> EventKind {
    EventKind::Error { conn, op, kind: ErrorKind::Other, message }
}
