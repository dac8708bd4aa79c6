//! The retained bytes of one stream direction, in blocks, readable at any offset.

use std::collections::VecDeque;
use std::fmt;
use std::ops::Range;

/// First block size: most streams are short exchanges, so they start small.
const MIN_BLOCK: usize = 256;
/// Largest block: eviction frees whole blocks, so this is also the granularity of eviction.
const MAX_BLOCK: usize = 64 << 10;
/// A block is at most this fraction of the retention cap, so a small cap still keeps bytes.
const BLOCKS_PER_CAP: usize = 16;

/// One contiguous run of stream bytes, starting at stream offset `start`.
struct Block {
    start: u64,
    /// Allocated once with its final capacity and never grown, so the capacity is what it costs.
    data: Vec<u8>,
}

impl Block {
    fn end(&self) -> u64 {
        self.start + self.data.len() as u64
    }

    fn room(&self) -> usize {
        self.data.capacity() - self.data.len()
    }
}

/// Stream bytes from `start` to `end`, copied out of events into blocks.
///
/// Events carry `bytes::Bytes`, but the engine's large reads share a pooled buffer up to four
/// times their length; keeping those would pin memory the retention cap cannot see (and starve
/// the engine's pool). Copying into blocks costs one `memcpy` per byte and makes the memory held
/// exactly [`ByteStore::capacity`], which is what retention counts.
pub(super) struct ByteStore {
    blocks: VecDeque<Block>,
    /// First retained offset: everything before it was evicted.
    start: u64,
    /// Offset just past the last byte ever appended.
    end: u64,
    /// Sum of the blocks' capacities.
    capacity: usize,
    /// Capacity of the next block: doubles from [`MIN_BLOCK`] up to `largest_block`.
    next_block: usize,
    largest_block: usize,
}

impl ByteStore {
    /// An empty store whose blocks suit a retention cap of `retain` bytes.
    pub(super) fn new(retain: usize) -> Self {
        Self {
            blocks: VecDeque::new(),
            start: 0,
            end: 0,
            capacity: 0,
            next_block: MIN_BLOCK,
            largest_block: (retain / BLOCKS_PER_CAP).clamp(MIN_BLOCK, MAX_BLOCK),
        }
    }

    pub(super) fn retained(&self) -> Range<u64> {
        self.start..self.end
    }

    /// Every byte ever appended, evicted ones included.
    pub(super) fn total(&self) -> u64 {
        self.end
    }

    /// Bytes of memory the blocks hold.
    pub(super) fn capacity(&self) -> usize {
        self.capacity
    }

    pub(super) fn append(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let block = self.writable_block();
            let take = block.room().min(bytes.len());
            let (now, rest) = bytes.split_at(take);
            block.data.extend_from_slice(now);
            self.end += take as u64;
            bytes = rest;
        }
    }

    /// The last block if it has room, else a new one.
    fn writable_block(&mut self) -> &mut Block {
        if self.blocks.back().is_none_or(|block| block.room() == 0) {
            let size = self.next_block.min(self.largest_block);
            self.next_block = size.saturating_mul(2);
            let data = Vec::with_capacity(size);
            self.capacity += data.capacity();
            self.blocks.push_back(Block { start: self.end, data });
        }
        let last = self.blocks.len() - 1;
        &mut self.blocks[last]
    }

    /// Where the front block's bytes end: evicting up to here frees a whole block.
    pub(super) fn front_block_end(&self) -> u64 {
        self.blocks.front().map_or(self.end, Block::end)
    }

    /// Forgets every byte before `offset` (clamped to what is retained); returns how many bytes
    /// that dropped.
    pub(super) fn evict_to(&mut self, offset: u64) -> u64 {
        let offset = offset.clamp(self.start, self.end);
        let dropped = offset - self.start;
        self.start = offset;
        while self.blocks.front().is_some_and(|block| block.end() <= self.start) {
            if let Some(block) = self.blocks.pop_front() {
                self.capacity -= block.data.capacity();
            }
        }
        dropped
    }

    /// Replaces `out` with the retained bytes of `range`; returns the range actually copied.
    pub(super) fn read(&self, range: Range<u64>, out: &mut Vec<u8>) -> Range<u64> {
        out.clear();
        let from = range.start.clamp(self.start, self.end);
        let to = range.end.clamp(from, self.end);
        let first = self.blocks.partition_point(|block| block.end() <= from);
        for block in self.blocks.range(first..) {
            if block.start >= to {
                break;
            }
            let lo = from.saturating_sub(block.start) as usize;
            let hi = (to - block.start).min(block.data.len() as u64) as usize;
            out.extend_from_slice(block.data.get(lo..hi).unwrap_or_default());
        }
        from..to
    }
}

/// A summary: printing up to the whole retention cap of bytes helps nobody.
impl fmt::Debug for ByteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStore")
            .field("retained", &self.retained())
            .field("blocks", &self.blocks.len())
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(store: &ByteStore, range: Range<u64>) -> (Vec<u8>, Range<u64>) {
        let mut out = vec![b'x'];
        let copied = store.read(range, &mut out);
        (out, copied)
    }

    #[test]
    fn reads_any_range_across_blocks() {
        let mut store = ByteStore::new(usize::MAX);
        let all: Vec<u8> = (0..2000_u32).map(|i| (i % 251) as u8).collect();
        for piece in all.chunks(77) {
            store.append(piece);
        }
        assert!(store.blocks.len() > 2, "several blocks");
        let cases = [(0, 2000), (0, 0), (255, 257), (300, 1700), (1999, 5000), (3000, 4000)];
        for (from, to) in cases {
            let (bytes, copied) = read(&store, from..to);
            let lo = from.min(2000) as usize;
            let hi = (to.min(2000) as usize).max(lo);
            assert_eq!(bytes, &all[lo..hi], "{from}..{to}");
            assert_eq!(copied, lo as u64..hi as u64);
        }
    }

    #[test]
    fn eviction_frees_whole_blocks_and_clamps_reads() {
        let mut store = ByteStore::new(usize::MAX);
        store.append(&[7; 1000]);
        let before = store.capacity();
        assert_eq!(store.evict_to(store.front_block_end()), MIN_BLOCK as u64);
        assert_eq!(store.capacity(), before - MIN_BLOCK);
        assert_eq!(store.evict_to(10), 0, "never moves backwards");
        let (bytes, copied) = read(&store, 0..300);
        assert_eq!(copied, 256..300);
        assert_eq!(bytes.len(), 44);
        assert_eq!(store.evict_to(u64::MAX), 744);
        assert_eq!((store.capacity(), store.retained()), (0, 1000..1000));
        store.append(b"ab");
        assert_eq!(read(&store, 0..u64::MAX).0, b"ab");
    }
}
