//! One direction of one connection: every byte that moved, where each call's chunk begins, and
//! the messages a framing finds in it. Views read it by offset, never by iterating it all.

use std::ops::Range;

use super::empties::{self, Empties, EmptyDatagram};
use super::framed::{Framing, MessageInfo};
use super::front_queue::FrontQueue;
use super::store::ByteStore;
use super::truncation::{self, Truncation, Truncations};
use crate::framing::{FramingError, Partial, Spec};

/// What one `recv` or `send` call moved: a run of the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// Stream offset of its first byte (which may since have been evicted).
    pub offset: u64,
    pub len: usize,
    pub t_us: u64,
}

impl Chunk {
    /// Stream offset just past the chunk.
    #[must_use]
    pub fn end(&self) -> u64 {
        self.offset.saturating_add(self.len as u64)
    }
}

/// Memory one retained chunk costs beyond its bytes: its entry here and in the global
/// eviction queue (a connection id and a direction).
pub(super) const CHUNK_COST: usize = size_of::<Chunk>() + 16;

/// What one eviction step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Eviction {
    pub(super) bytes: u64,
    /// The oldest chunk is gone entirely (its entry in the eviction queue can go too).
    pub(super) chunk_gone: bool,
}

/// The bytes one socket received ([`crate::event::Dir::In`]) or sent (`Out`).
///
/// Offsets are stream offsets: 0 is the first byte ever moved in this direction. Only
/// [`Stream::retained`] is still in memory; counts (`total`, message indices, dropped counts)
/// include what retention has evicted.
#[derive(Debug)]
pub struct Stream {
    store: ByteStore,
    chunks: FrontQueue<Chunk>,
    chunks_dropped: u64,
    framing: Framing,
    /// When the stream ended (EOF received, or our write side shut), if it has.
    ended_us: Option<u64>,
    /// Datagrams received cut short (a datagram socket's `In` stream only).
    truncations: Truncations,
    /// Where the calls that moved the bytes switched between socket calls and the splice
    /// relay (`--relay splice`): the offset of each switch and whether splices follow it. Empty
    /// while every chunk came from socket calls; a switch needs a fault, an intercept or an
    /// injection on the pair, so the list stays short.
    splice_switches: Vec<(u64, bool)>,
    /// A TLS connection's plaintext: its chunks are what `tls_read`/`tls_write` carried,
    /// not what a socket call moved.
    plaintext: bool,
    /// Made by `recvfrom`/`sendto`: each chunk is one datagram.
    datagrams: bool,
    /// Empty datagrams: no byte, so no chunk; each is a message of its own all the same.
    empties: Empties,
}

impl Stream {
    pub(super) fn new(spec: Spec, max_message: usize, retain: usize) -> Self {
        Self {
            store: ByteStore::new(retain),
            chunks: FrontQueue::default(),
            chunks_dropped: 0,
            framing: Framing::new(spec, max_message, 0),
            ended_us: None,
            truncations: Truncations::default(),
            splice_switches: Vec::new(),
            plaintext: false,
            datagrams: false,
            empties: Empties::default(),
        }
    }

    /// A TLS connection's plaintext stream (see [`Stream::is_plaintext`]).
    pub(super) fn new_plaintext(spec: Spec, max_message: usize, retain: usize) -> Self {
        Self { plaintext: true, ..Self::new(spec, max_message, retain) }
    }

    /// Whether the chunks are TLS plaintext (`tls_read`, `tls_write`) rather than the bytes
    /// of socket calls (`recv`, `send`).
    #[must_use]
    pub fn is_plaintext(&self) -> bool {
        self.plaintext
    }

    /// Appends what one call moved and frames it. Empty calls leave no chunk.
    ///
    /// A chunk is never stamped earlier than the one before it (only a damaged recording's
    /// events could say so): views merge two streams' chunks in time order by binary search,
    /// which needs each stream's times in order.
    pub(super) fn push(&mut self, bytes: &[u8], t_us: u64) {
        if bytes.is_empty() {
            return;
        }
        let t_us = self.chunks.as_slice().last().map_or(t_us, |last| last.t_us.max(t_us));
        let chunk = Chunk { offset: self.store.total(), len: bytes.len(), t_us };
        self.store.append(bytes);
        self.chunks.push_back(chunk);
        self.framing.push(bytes, t_us);
    }

    /// Says whether the next bytes pushed came by the splice relay (`splice`, then `read` of
    /// the pipe that duplicates them) rather than by socket calls.
    pub(super) fn next_bytes_spliced(&mut self, spliced: bool) {
        let now = self.splice_switches.last().is_some_and(|&(_, on)| on);
        if now != spliced {
            self.splice_switches.push((self.store.total(), spliced));
        }
    }

    /// Whether the bytes at `offset` came by the splice relay.
    #[must_use]
    pub fn spliced_at(&self, offset: u64) -> bool {
        let after = self.splice_switches.partition_point(|&(at, _)| at <= offset);
        after > 0 && self.splice_switches[after - 1].1
    }

    /// Appends one datagram that `recvfrom` or `sendto` moved. Unlike a stream's empty call, an
    /// empty datagram is a datagram: it has no chunk (no byte), but an entry of its own, and
    /// is a message of its own under the `datagram` framing. `truncated`: its real length,
    /// when the buffer cut it.
    pub(super) fn push_datagram(&mut self, bytes: &[u8], truncated: Option<usize>, t_us: u64) {
        self.datagrams = true;
        if !bytes.is_empty() {
            let offset = self.store.total();
            self.push(bytes, t_us);
            if let Some(real) = truncated {
                self.truncations.push(Truncation { offset, kept: bytes.len(), real });
            }
            return;
        }
        self.empties.push(EmptyDatagram { offset: self.store.total(), t_us });
        self.framing.push(bytes, t_us);
    }

    /// Whether `recvfrom`/`sendto` made this stream: its calls and boundaries are datagrams.
    #[must_use]
    pub fn holds_datagrams(&self) -> bool {
        self.datagrams
    }

    /// Empty datagrams moved in this direction, evicted ones included.
    #[must_use]
    pub fn empty_datagrams(&self) -> u64 {
        self.empties.total()
    }

    /// How many retained empty datagrams came at `offset`, right before the datagram that
    /// starts there (or at the end of the stream).
    #[must_use]
    pub fn empty_datagrams_at(&self, offset: u64) -> usize {
        self.empties.count_at(offset)
    }

    /// The datagram beginning at `offset`, when it arrived cut short.
    #[must_use]
    pub fn truncation_at(&self, offset: u64) -> Option<Truncation> {
        self.truncations.at(offset)
    }

    /// No more bytes will come: completes an `eof`-framed message. Only the first call counts.
    pub(super) fn end(&mut self, t_us: u64) {
        if self.ended_us.is_none() {
            self.ended_us = Some(t_us);
            self.framing.finish(t_us);
        }
    }

    /// Frames the retained bytes again under `spec`, chunk by chunk so that message times stay
    /// those of the calls. After eviction the retained bytes may begin mid-message: the new
    /// framer simply starts there ([`Stream::framing_start`]), as if the stream began there.
    pub(super) fn reframe(&mut self, spec: Spec, max_message: usize) {
        let start = self.store.retained().start;
        let mut framing = Framing::new(spec, max_message, start);
        let mut bytes = Vec::new();
        // An empty datagram at offset X came after the chunk ending at X and before the one
        // starting there: pushed in that order, the messages keep the order they came in.
        let (front, back) = self.empties.as_slices();
        let mut empties = front.iter().chain(back).peekable();
        for chunk in self.chunks.as_slice() {
            while let Some(empty) = empties.next_if(|e| e.offset <= chunk.offset) {
                framing.push(&[], empty.t_us);
            }
            self.store.read(chunk.offset..chunk.end(), &mut bytes);
            framing.push(&bytes, chunk.t_us);
        }
        for empty in empties {
            framing.push(&[], empty.t_us);
        }
        if let Some(t_us) = self.ended_us {
            framing.finish(t_us);
        }
        self.framing = framing;
    }

    /// Memory this stream holds for the views: blocks, chunk and message entries, and the
    /// framer's buffer.
    pub(super) fn cost(&self) -> usize {
        self.store.capacity()
            + self.chunks.len() * CHUNK_COST
            + self.framing.cost()
            + self.truncations.len() * truncation::ENTRY_COST
            + self.empties.len() * empties::ENTRY_COST
    }

    /// Evicts the oldest chunk, or its front up to the end of the oldest block, whichever is
    /// shorter (so each step frees a chunk entry or a block), and the messages now out of reach.
    pub(super) fn evict_oldest(&mut self) -> Eviction {
        // An empty datagram at or before the oldest chunk came first: it goes first.
        if let Some(empty) = self.empties.front()
            && self.chunks.front().is_none_or(|chunk| empty.offset <= chunk.offset)
        {
            self.empties.pop_front();
            self.framing.drop_empty_at(empty.offset);
            return Eviction { bytes: 0, chunk_gone: true };
        }
        let Some(chunk) = self.chunks.front().copied() else {
            return Eviction { bytes: 0, chunk_gone: true };
        };
        let bytes = self.store.evict_to(chunk.end().min(self.store.front_block_end()));
        // Without progress (impossible unless the bookkeeping is off), drop the chunk anyway
        // rather than loop for ever.
        let chunk_gone = self.store.retained().start >= chunk.end() || bytes == 0;
        if chunk_gone {
            self.chunks.pop_front();
            self.chunks_dropped += 1;
        }
        self.framing.drop_before(self.store.retained().start);
        self.truncations.drop_before(self.store.retained().start);
        Eviction { bytes, chunk_gone }
    }

    /// Every byte that ever moved in this direction, evicted ones included.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.store.total()
    }

    /// The stream offsets still in memory.
    #[must_use]
    pub fn retained(&self) -> Range<u64> {
        self.store.retained()
    }

    /// Bytes evicted from this stream.
    #[must_use]
    pub fn dropped(&self) -> u64 {
        self.store.retained().start
    }

    /// Replaces `out` with the retained part of `range` (clamped) and returns the range that
    /// part covers; O(range length), whatever the stream's size.
    pub fn read(&self, range: Range<u64>, out: &mut Vec<u8>) -> Range<u64> {
        self.store.read(range, out)
    }

    /// The retained chunks, oldest first; the first may have lost its front to eviction.
    #[must_use]
    pub fn chunks(&self) -> &[Chunk] {
        self.chunks.as_slice()
    }

    /// Index in [`Stream::chunks`] of the chunk holding `offset`, by binary search.
    #[must_use]
    pub fn chunk_index_at(&self, offset: u64) -> Option<usize> {
        let chunks = self.chunks();
        let index = chunks.partition_point(|chunk| chunk.end() <= offset);
        chunks.get(index).filter(|chunk| chunk.offset <= offset).map(|_| index)
    }

    /// Chunks evicted: the first retained chunk is number `chunks_dropped()` of the stream.
    #[must_use]
    pub fn chunks_dropped(&self) -> u64 {
        self.chunks_dropped
    }

    /// Complete messages whose bytes are at least partly retained, oldest first.
    #[must_use]
    pub fn messages(&self) -> &[MessageInfo] {
        self.framing.messages()
    }

    /// Index in [`Stream::messages`] of the message holding `offset`, by binary search.
    #[must_use]
    pub fn message_index_at(&self, offset: u64) -> Option<usize> {
        let messages = self.messages();
        let index = messages.partition_point(|message| message.end() <= offset);
        messages.get(index).filter(|message| message.start <= offset).map(|_| index)
    }

    /// Messages evicted (counted since [`Stream::framing_start`]).
    #[must_use]
    pub fn messages_dropped(&self) -> u64 {
        self.framing.dropped()
    }

    /// The message in progress ("7 of 12 bytes"), in stream offsets.
    #[must_use]
    pub fn partial(&self) -> Option<Partial> {
        self.framing.partial()
    }

    /// Bytes after the last complete message: they already belong to the next one (or, after a
    /// framing error, to the part that cannot be framed).
    #[must_use]
    pub fn leftover(&self) -> Range<u64> {
        // Bytes a damaged recording shows after EOF are never framed: they stay leftover.
        let end = self.total();
        self.framing.consumed().min(end)..end
    }

    /// Why this stream cannot be framed from some offset on.
    #[must_use]
    pub fn framing_error(&self) -> Option<&FramingError> {
        self.framing.error()
    }

    #[must_use]
    pub fn spec(&self) -> &Spec {
        self.framing.spec()
    }

    /// Stream offset where framing began: 0, unless the framing was changed after eviction.
    #[must_use]
    pub fn framing_start(&self) -> u64 {
        self.framing.base()
    }

    /// When the stream ended (EOF received for `In`; our write side shut for `Out`).
    #[must_use]
    pub fn ended_us(&self) -> Option<u64> {
        self.ended_us
    }
}
