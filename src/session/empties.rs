//! Empty datagrams: a `recvfrom` or `sendto` of 0 bytes is a datagram like any other (the peer
//! sent it, it has a boundary, it may mean "ping" or "end"), but it holds no byte, so the byte
//! store and its chunks cannot show it. This remembers each one by the stream offset where it
//! came (between the datagram before it and the one after) and when, for the views.
//!
//! Kept apart from the chunks on purpose: every view that walks chunks (Data, follow, the
//! Inspector) relies on a chunk holding at least one byte. Each entry is evicted oldest first
//! like a chunk (it has its own place in the retention queue), so a flood of empty datagrams
//! stays within the memory cap.

use std::collections::VecDeque;

/// One empty datagram: where in the stream it came, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmptyDatagram {
    /// Stream offset it came at: the end of the datagram before it.
    pub offset: u64,
    pub t_us: u64,
}

/// Memory one entry costs, with its entry in the retention queue.
pub(super) const ENTRY_COST: usize = size_of::<EmptyDatagram>() + 16;

/// The retained empty datagrams of one stream, oldest first (offsets ascending), and how many
/// there ever were.
#[derive(Clone, Debug, Default)]
pub(super) struct Empties {
    entries: VecDeque<EmptyDatagram>,
    total: u64,
}

impl Empties {
    pub(super) fn push(&mut self, empty: EmptyDatagram) {
        self.entries.push_back(empty);
        self.total += 1;
    }

    pub(super) fn front(&self) -> Option<EmptyDatagram> {
        self.entries.front().copied()
    }

    pub(super) fn pop_front(&mut self) -> Option<EmptyDatagram> {
        self.entries.pop_front()
    }

    /// The retained ones, oldest first.
    pub(super) fn as_slices(&self) -> (&[EmptyDatagram], &[EmptyDatagram]) {
        self.entries.as_slices()
    }

    /// How many came at exactly `offset`. O(log n).
    pub(super) fn count_at(&self, offset: u64) -> usize {
        let from = self.entries.partition_point(|e| e.offset < offset);
        let to = self.entries.partition_point(|e| e.offset <= offset);
        to - from
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Every empty datagram this stream moved, evicted ones included.
    pub(super) fn total(&self) -> u64 {
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_counted_by_offset_and_in_total() {
        let mut list = Empties::default();
        for (offset, t_us) in [(0, 1), (3, 2), (3, 3), (9, 4)] {
            list.push(EmptyDatagram { offset, t_us });
        }
        assert_eq!((list.count_at(3), list.count_at(0), list.count_at(5)), (2, 1, 0));
        assert_eq!(list.pop_front(), Some(EmptyDatagram { offset: 0, t_us: 1 }));
        assert_eq!((list.len(), list.total()), (3, 4));
    }
}
