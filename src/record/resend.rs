//! What re-sending one side of a recorded connection means, and how replies compare.
//!
//! Pure functions over events, so the rules are tested without sockets; the part that
//! connects and sends lives with the headless runner.

use crate::event::{Address, ClosedBy, ConnId, Dir, Event, EventKind, How};
use bytes::Bytes;
use std::collections::HashMap;
use std::fmt::Write as _;

/// One side of a recorded connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The side that connected.
    Client,
    /// The side that accepted.
    Server,
}

/// What the re-sent side did, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Send(Bytes),
    /// `shutdown(write)`: the side said it would send no more.
    Shutdown,
}

/// One action, when it happened (microseconds after the connection was established), and how
/// many bytes of the other side had been recorded by then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub after_us: u64,
    pub replies_before: usize,
    pub action: Action,
}

/// A recorded connection seen from the side to re-send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    pub conn: ConnId,
    /// The address the recorded socket talked to, for the report.
    pub peer: Option<Address>,
    pub steps: Vec<Step>,
    /// Everything the other side sent, in order.
    pub expected: Vec<u8>,
    /// The other side ended its sending (FIN) in the recording.
    pub expected_eof: bool,
    /// A datagram socket's conversation: the other side's datagrams, each whole, in order
    /// (`expected` holds the same bytes run together). Each of the steps' sends is one
    /// datagram; a step's `replies_before` counts datagrams.
    pub datagrams: Option<Vec<Bytes>>,
}

/// Role of a recorded stream socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// sockscope accepted it: the peer is the client.
    Accepted,
    /// sockscope connected it: the peer is the server.
    Connected,
}

/// Extracts `side`'s actions on connection `conn` (or on the first connection that carried
/// data). Returns an error message for a connection that is missing or carried nothing.
pub fn conversation(
    events: impl IntoIterator<Item = Event>,
    conn: Option<ConnId>,
    side: Side,
) -> Result<Conversation, String> {
    let mut roles: HashMap<ConnId, (Role, u64, Address)> = HashMap::new();
    let mut chosen: Option<(ConnId, Role, u64)> = None;
    let mut talk = Conversation {
        conn: ConnId(0),
        peer: None,
        steps: Vec::new(),
        expected: Vec::new(),
        expected_eof: false,
        datagrams: None,
    };
    // A bound datagram socket hears from anyone: the conversation is the one with the first
    // peer that sent or was sent a datagram.
    let mut bound_peer: Option<Address> = None;
    for event in events {
        let about = event.conn();
        match &event.kind {
            EventKind::Accept { conn, peer, .. } => {
                roles.insert(*conn, (Role::Accepted, event.t_us, peer.clone()));
            }
            EventKind::Connected { conn, peer, .. } => {
                roles.insert(*conn, (Role::Connected, event.t_us, peer.clone()));
            }
            EventKind::Listen { conn, local } if datagrams::is_datagram(local) => {
                roles.insert(*conn, (Role::Accepted, event.t_us, local.clone()));
            }
            _ => {}
        }
        if chosen.is_none()
            && is_data(&event)
            && conn.is_none_or(|wanted| about == Some(wanted))
            && let Some(id) = about
            && let Some((role, start, peer)) = roles.get(&id)
        {
            chosen = Some((id, *role, *start));
            talk.conn = id;
            talk.peer = Some(peer.clone());
            if let Some(from) = datagrams::peer_of(&event) {
                talk.datagrams = Some(Vec::new());
                if *role == Role::Accepted {
                    // A bound socket: the conversation is with this peer.
                    talk.peer = Some(from.clone());
                    bound_peer = Some(from.clone());
                }
            }
        }
        let Some((id, role, start)) = chosen else { continue };
        let other_peer =
            bound_peer.as_ref().zip(datagrams::peer_of(&event)).is_some_and(|(a, b)| a != b);
        if about == Some(id) && !other_peer {
            take(&mut talk, &event, mine(role, side), start);
        }
    }
    match (chosen, conn) {
        (Some(_), _) => Ok(talk),
        (None, Some(id)) if roles.contains_key(&id) => {
            Err(format!("connection {id} carried no data"))
        }
        (None, Some(id)) => {
            Err(format!("the recording has no connection {id} that was accepted or connected"))
        }
        (None, None) => Err("the recording has no connection that carried data".into()),
    }
}

/// Bytes moved, or a datagram (even an empty one). A splice relay's `pipe_read` and
/// `splice_out` are its `recv` and `send`.
fn is_data(event: &Event) -> bool {
    event.kind.bytes_moved().is_some_and(|(_, _, data)| !data.is_empty())
        || datagrams::peer_of(event).is_some()
}

/// Whether the side we play is the recorded socket itself (its `send`s are ours) or its peer
/// (its `recv`s are ours).
fn mine(role: Role, side: Side) -> bool {
    matches!((role, side), (Role::Connected, Side::Client) | (Role::Accepted, Side::Server))
}

fn take(talk: &mut Conversation, event: &Event, ours_is_socket: bool, start: u64) {
    let step = |action| Step {
        after_us: event.t_us.saturating_sub(start),
        replies_before: talk.expected.len(),
        action,
    };
    if talk.datagrams.is_some() {
        return datagrams::take(talk, event, ours_is_socket, start);
    }
    if let Some((_, dir, data)) = event.kind.bytes_moved() {
        // What the socket sent is ours to send when we play it; what it received, when we
        // play its peer. The rest is the other side's.
        if (dir == Dir::Out) != ours_is_socket {
            talk.expected.extend_from_slice(data);
        } else if !data.is_empty() {
            talk.steps.push(step(Action::Send(data.clone())));
        }
        return;
    }
    match &event.kind {
        EventKind::Shutdown { how: How::Write | How::Both, .. } if ours_is_socket => {
            talk.steps.push(step(Action::Shutdown));
        }
        EventKind::Eof { .. } if !ours_is_socket => talk.steps.push(step(Action::Shutdown)),
        EventKind::Eof { .. } => talk.expected_eof = true,
        // The recorded socket plays the other side: its shutdown or orderly close is a FIN.
        EventKind::Shutdown { how: How::Write | How::Both, .. }
        | EventKind::Close { by: ClosedBy::Local | ClosedBy::Peer | ClosedBy::Error, .. }
            if !ours_is_socket =>
        {
            talk.expected_eof = true;
        }
        _ => {}
    }
}

/// How the replies compare with the recorded ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Identical,
    /// They differ at byte `at` (or one is a prefix of the other and `at` is where it ends).
    Differ {
        at: usize,
        expected: Vec<u8>,
        got: Vec<u8>,
    },
}

/// Bytes shown around a difference.
pub const CONTEXT: usize = 16;

#[must_use]
pub fn compare(expected: &[u8], got: &[u8]) -> Verdict {
    let at =
        expected.iter().zip(got).position(|(a, b)| a != b).unwrap_or(expected.len().min(got.len()));
    if at == expected.len() && at == got.len() {
        return Verdict::Identical;
    }
    let window =
        |bytes: &[u8]| bytes.get(at..).unwrap_or_default().iter().take(CONTEXT).copied().collect();
    Verdict::Differ { at, expected: window(expected), got: window(got) }
}

/// `48 65 6c` or `(nothing)`; `...` when the window is full (more may follow).
#[must_use]
pub fn hex_window(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "(nothing)".into();
    }
    let mut out = String::new();
    for (i, byte) in bytes.iter().enumerate() {
        let _ = write!(out, "{}{byte:02x}", if i == 0 { "" } else { " " });
    }
    if bytes.len() == CONTEXT {
        out.push_str(" ...");
    }
    out
}

pub mod datagrams;

#[cfg(test)]
mod tests;
