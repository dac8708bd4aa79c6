//! The memory cap (`--retain`): one budget for the whole session, spent oldest-first.

use std::collections::{BTreeMap, VecDeque};

use super::connection::Connection;
use super::tls::Layer;
use crate::event::{ConnId, Dir};

/// Which stream a retained chunk belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StreamKey {
    conn: ConnId,
    dir: Dir,
    /// A TLS connection keeps its plaintext beside its wire bytes, under the same cap.
    layer: Layer,
}

/// Tracks what the views' memory costs and evicts the oldest chunks, across every stream, once
/// it exceeds the cap.
///
/// The queue holds one entry per retained chunk in arrival order, so the globally oldest chunk
/// is always at its front and eviction never scans. What counts: the streams' byte blocks, an
/// entry per chunk and per message, and the framers' buffers (see `Stream::cost`). Connections,
/// calls and rounds are bounded by their own counts instead.
#[derive(Debug)]
pub(super) struct Retention {
    queue: VecDeque<StreamKey>,
    cost: usize,
    cap: usize,
    dropped: u64,
}

impl Retention {
    pub(super) fn new(cap: usize) -> Self {
        Self { queue: VecDeque::new(), cost: 0, cap, dropped: 0 }
    }

    /// Runs `change` on a connection and books how its memory changed.
    pub(super) fn track<R>(
        &mut self,
        conn: &mut Connection,
        change: impl FnOnce(&mut Connection) -> R,
    ) -> R {
        let before = conn.cost();
        let result = change(conn);
        self.cost = self.cost.saturating_sub(before).saturating_add(conn.cost());
        result
    }

    /// A chunk was appended to this stream: it becomes the newest to evict.
    pub(super) fn note_chunk(&mut self, conn: ConnId, dir: Dir, layer: Layer) {
        self.queue.push_back(StreamKey { conn, dir, layer });
    }

    /// Evicts oldest-first until the memory held fits the cap (or nothing is left to evict:
    /// framers' buffers cannot be evicted).
    pub(super) fn enforce(&mut self, connections: &mut BTreeMap<ConnId, Connection>) {
        while self.cost > self.cap {
            let Some(&key) = self.queue.front() else { break };
            let Some(conn) = connections.get_mut(&key.conn) else {
                self.queue.pop_front();
                continue;
            };
            let step = self.track(conn, |conn| conn.layer_mut(key.dir, key.layer).evict_oldest());
            self.dropped += step.bytes;
            if step.chunk_gone {
                self.queue.pop_front();
            }
        }
    }

    /// Memory the views hold now, as counted against the cap.
    pub(super) fn cost(&self) -> usize {
        self.cost
    }

    /// Bytes evicted so far, over every stream.
    pub(super) fn dropped(&self) -> u64 {
        self.dropped
    }
}
