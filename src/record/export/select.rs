//! `export --conn N --dir in|out`: which events of a recording an export keeps.
//!
//! `--conn N` keeps the events of socket N and, when N is one side of a proxied pair, of the
//! other side too (a `connect` with a `pair` names both); the `session` event stays, and the
//! `ready` rounds, which are about every socket, go. `--dir` keeps one direction's chunks
//! (`recv` for `in`, `send` for `out`, and the `message` events of that direction) and every
//! event that carries no bytes.

use crate::event::{ConnId, Dir, Event, EventKind};
use crate::record::Reader;
use std::io::Read;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// The sockets kept (N and its pair), or every socket.
    conns: Option<Vec<ConnId>>,
    dir: Option<Dir>,
}

impl Selection {
    /// Everything.
    #[must_use]
    pub fn all() -> Self {
        Self::default()
    }

    /// Only the direction `dir`, on every socket.
    #[must_use]
    pub fn direction(dir: Option<Dir>) -> Self {
        Self { conns: None, dir }
    }

    /// Reads the recording until it knows `conn`'s pair: to the `connect` that names both, or
    /// to `conn`'s `close` (nothing can pair it later). `None` if no event names `conn`.
    pub fn conn<R: Read>(reader: &mut Reader<R>, conn: ConnId, dir: Option<Dir>) -> Option<Self> {
        let mut seen = false;
        for (_, event) in reader.by_ref() {
            match &event.kind {
                EventKind::Connect { conn: c, pair: Some(p), .. } if *c == conn || *p == conn => {
                    return Some(Self { conns: Some(vec![*c, *p]), dir });
                }
                EventKind::Close { conn: c, .. } if *c == conn => break,
                _ => seen |= event.conn() == Some(conn),
            }
        }
        seen.then(|| Self { conns: Some(vec![conn]), dir })
    }

    /// The sockets kept, or `None` for every socket.
    #[must_use]
    pub fn conns(&self) -> Option<&[ConnId]> {
        self.conns.as_deref()
    }

    #[must_use]
    pub fn keeps(&self, event: &Event) -> bool {
        let chunk_dir = match &event.kind {
            EventKind::Recv { .. }
            | EventKind::RecvFrom { .. }
            | EventKind::TlsRead { .. }
            | EventKind::SpliceIn { .. }
            | EventKind::Tee { .. }
            | EventKind::PipeRead { .. } => Some(Dir::In),
            EventKind::Send { .. }
            | EventKind::SendTo { .. }
            | EventKind::TlsWrite { .. }
            | EventKind::SpliceOut { .. } => Some(Dir::Out),
            EventKind::Message { dir, .. } => Some(*dir),
            EventKind::Session { .. }
            | EventKind::Listen { .. }
            | EventKind::Accept { .. }
            | EventKind::Connect { .. }
            | EventKind::Connected { .. }
            | EventKind::Ready(_)
            | EventKind::WouldBlock { .. }
            | EventKind::Eof { .. }
            | EventKind::Shutdown { .. }
            | EventKind::Reset { .. }
            | EventKind::Close { .. }
            | EventKind::Error { .. }
            | EventKind::Option { .. }
            | EventKind::Interest { .. }
            | EventKind::Blocked { .. }
            | EventKind::Fault { .. }
            | EventKind::Intercept { .. }
            | EventKind::Held { .. }
            | EventKind::Released { .. }
            | EventKind::Inject { .. }
            | EventKind::Tls { .. } => None,
        };
        if self.dir.is_some() && chunk_dir.is_some() && chunk_dir != self.dir {
            return false;
        }
        match (&self.conns, event.conn()) {
            (None, _) => true,
            (Some(_), None) => matches!(event.kind, EventKind::Session { .. }),
            (Some(conns), Some(conn)) => conns.contains(&conn),
        }
    }
}
