//! One poll round, as two sources would tell it: epoll's edges, and what `select()` would return.

use super::ConnId;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One poll round: the edges epoll delivered, the level state the engine derives, and what
/// `select()` would return at that moment.
///
/// mio is epoll, edge-triggered: `readable`, `writable`, `error`, `read_closed` and
/// `write_closed` are mio's names for the edges epoll delivered this round (`EPOLLIN`,
/// `EPOLLOUT`, `EPOLLERR`, `EPOLLRDHUP` with `EPOLLIN` or `EPOLLHUP`, `EPOLLHUP` or
/// `EPOLLERR`). `select` is the level-triggered view; `still_readable` and `still_writable`
/// are its sockets that got no new edge this round (ready earlier, not drained since).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Readiness {
    pub round: u64,
    pub readable: Vec<ConnId>,
    pub writable: Vec<ConnId>,
    pub error: Vec<ConnId>,
    pub read_closed: Vec<ConnId>,
    pub write_closed: Vec<ConnId>,
    #[serde(default)]
    pub still_readable: Vec<ConnId>,
    #[serde(default)]
    pub still_writable: Vec<ConnId>,
    /// What `select()` would return; `None` only in recordings made before the engine
    /// reported it (format 2.0 and older), where it is not known. Boxed so that every event
    /// does not grow by three lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<Box<SelectView>>,
}

/// The three lists `select()` would return for the engine's interest sets at the moment of a
/// round. `select()` is level-triggered: it lists what is true now, whether or not it changed.
///
/// - `readable`: in the read interest set and a `recv` (or `accept`) would not block: data,
///   EOF, a pending error, a client waiting.
/// - `writable`: in the write interest set and a `send` would not block: room in the send
///   buffer, or a pending error (the `send` fails at once).
/// - `exceptional`: in the read interest set (which doubles as the exceptional set, as in
///   `select(r, w, r)`) with out-of-band (urgent, `MSG_OOB`) data waiting. An error is *not*
///   an exceptional condition: a reset socket is readable and writable, and its next call
///   fails.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SelectView {
    pub readable: Vec<ConnId>,
    pub writable: Vec<ConnId>,
    pub exceptional: Vec<ConnId>,
}
