//! Which streams make one conversation, and which make the two ends of one direction.
//!
//! A connection's conversation is its two directions: what the client sent (`Up`) and what
//! the server sent back (`Down`), each told by the calls of the socket that moved it. For a
//! proxied pair the two legs are one conversation: the client leg's `recv`s going up and the
//! upstream leg's `recv`s coming down, so each byte is shown once, as it arrived.

use crate::event::{ConnId, Dir};
use crate::session::{Connection, Role, Session, Stream};
use crate::tui::app::Side;

/// One direction of one socket in the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Leg {
    pub conn: ConnId,
    pub dir: Dir,
}

/// The two streams of a conversation.
#[derive(Clone, Copy, Debug)]
pub struct Conversation<'a> {
    up: (Leg, &'a Stream),
    down: (Leg, &'a Stream),
    /// The other leg of a proxied pair.
    pub partner: Option<ConnId>,
}

impl<'a> Conversation<'a> {
    /// The conversation `id` takes part in (`None` for a listener or an unknown id).
    #[must_use]
    pub fn of(session: &'a Session, id: ConnId) -> Option<Self> {
        let conn = session.connection(id)?;
        let leg = |conn: &'a Connection, dir| (Leg { conn: conn.id, dir }, conn.stream(dir));
        let pair = conn.pair.and_then(|pair| session.connection(pair));
        Some(match (conn.role, pair) {
            (Role::Listener { .. }, _) => return None,
            (Role::Upstream { .. }, Some(client)) => Self {
                up: leg(client, Dir::In),
                down: leg(conn, Dir::In),
                partner: Some(client.id),
            },
            (Role::Accepted { .. }, Some(upstream)) => Self {
                up: leg(conn, Dir::In),
                down: leg(upstream, Dir::In),
                partner: Some(upstream.id),
            },
            (Role::Outgoing | Role::Upstream { .. } | Role::Bound, _) => {
                Self { up: leg(conn, Dir::Out), down: leg(conn, Dir::In), partner: None }
            }
            // A flow's peer sent to the bound socket, as a client does.
            (Role::Accepted { .. }, None) | (Role::Flow { .. }, _) => {
                Self { up: leg(conn, Dir::In), down: leg(conn, Dir::Out), partner: None }
            }
        })
    }

    #[must_use]
    pub fn stream(&self, side: Side) -> &'a Stream {
        match side {
            Side::Up => self.up.1,
            Side::Down => self.down.1,
        }
    }

    #[must_use]
    pub fn leg(&self, side: Side) -> Leg {
        match side {
            Side::Up => self.up.0,
            Side::Down => self.down.0,
        }
    }

    /// The side shown by `conn`'s `dir` stream, if it is one of the two.
    #[must_use]
    pub fn side_of(&self, leg: Leg) -> Option<Side> {
        [Side::Up, Side::Down].into_iter().find(|&side| self.leg(side) == leg)
    }
}

/// The two ends of one direction: the socket whose `send` calls wrote the bytes, and the one
/// whose `recv` calls read them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ends {
    pub send: Leg,
    pub recv: Leg,
}

/// The ends of `side` of `id`'s conversation, or why they are not both in the session.
pub fn ends(session: &Session, id: ConnId, side: Side) -> Result<Ends, String> {
    let conn = session.connection(id).ok_or("no connection selected")?;
    let pair = conn.pair.and_then(|pair| session.connection(pair));
    let (client, server) = match (conn.role, pair) {
        // A proxy relays: its client leg receives what its upstream leg sends on, and back.
        (Role::Accepted { .. }, Some(upstream)) => return Ok(relayed(conn.id, upstream.id, side)),
        (Role::Upstream { .. }, Some(client)) => return Ok(relayed(client.id, conn.id, side)),
        (Role::Listener { .. }, _) => return Err(format!("{id} is a listener: it moves no bytes")),
        (Role::Bound | Role::Flow { .. }, _) => {
            return Err(format!("{id} is a datagram socket: each datagram keeps its boundary"));
        }
        (Role::Outgoing | Role::Upstream { .. }, _) => (Some(conn), peer_in_session(session, conn)),
        (Role::Accepted { .. }, None) => (peer_in_session(session, conn), Some(conn)),
    };
    let (Some(client), Some(server)) = (client, server) else {
        return Err(format!(
            "side by side needs both ends in this session (a proxied pair, or :connect to our \
             own :listen): {id}'s peer is not one of its sockets"
        ));
    };
    let (sender, receiver) = match side {
        Side::Up => (client.id, server.id),
        Side::Down => (server.id, client.id),
    };
    Ok(Ends {
        send: Leg { conn: sender, dir: Dir::Out },
        recv: Leg { conn: receiver, dir: Dir::In },
    })
}

/// A proxied pair: up, the upstream leg sends what the client leg received; down, the
/// client leg sends what the upstream leg received.
fn relayed(client: ConnId, upstream: ConnId, side: Side) -> Ends {
    let (send, recv) = match side {
        Side::Up => (upstream, client),
        Side::Down => (client, upstream),
    };
    Ends { send: Leg { conn: send, dir: Dir::Out }, recv: Leg { conn: recv, dir: Dir::In } }
}

/// The socket of this session at the other end of `conn` (its local address is `conn`'s
/// peer and the other way round).
fn peer_in_session<'a>(session: &'a Session, conn: &Connection) -> Option<&'a Connection> {
    let (Some(local), Some(peer)) = (conn.local.as_ref(), conn.peer.as_ref()) else {
        return None;
    };
    session.connections().find(|other| {
        other.id != conn.id
            && !other.is_listener()
            && other.local.as_ref() == Some(peer)
            && other.peer.as_ref() == Some(local)
    })
}
