//! Datagrams that arrived cut short: a `recvfrom` whose buffer was smaller than the datagram
//! keeps only the buffer's worth, and the kernel drops the rest. The stream holds the bytes
//! that arrived; this remembers, by the stream offset where each such datagram begins, how
//! long it really was, so the views can say what was lost.
//!
//! Sparse (only truncated datagrams have an entry) and pruned with the bytes it describes, so
//! a flood of truncated datagrams costs no more than their retained bytes allow.

use std::collections::VecDeque;

/// One datagram longer than the buffer that received it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Truncation {
    /// Stream offset of the datagram's first byte.
    pub offset: u64,
    /// Bytes that arrived (the buffer's size).
    pub kept: usize,
    /// The datagram's real length, as `MSG_TRUNC` reported it.
    pub real: usize,
}

impl Truncation {
    /// Bytes the kernel dropped.
    #[must_use]
    pub fn lost(&self) -> usize {
        self.real.saturating_sub(self.kept)
    }

    /// `truncated: 9000 → 4096, 4904 lost`: the same, short enough for a chunk's separator.
    #[must_use]
    pub fn describe_short(&self, arrow: &str) -> String {
        format!("truncated: {} {arrow} {}, {} lost", self.real, self.kept, self.lost())
    }

    /// `truncated: 9000 → 4096, 4904 bytes lost`, with the `arrow` the terminal can show.
    #[must_use]
    pub fn describe(&self, arrow: &str) -> String {
        format!("truncated: {} {arrow} {}, {} bytes lost", self.real, self.kept, self.lost())
    }
}

/// The truncated datagrams of one stream, oldest first (offsets ascending).
#[derive(Clone, Debug, Default)]
pub(super) struct Truncations {
    entries: VecDeque<Truncation>,
}

/// Memory one entry costs, counted with its stream.
pub(super) const ENTRY_COST: usize = size_of::<Truncation>();

impl Truncations {
    pub(super) fn push(&mut self, truncation: Truncation) {
        self.entries.push_back(truncation);
    }

    /// Forgets datagrams whose first byte is no longer retained.
    pub(super) fn drop_before(&mut self, offset: u64) {
        while self.entries.front().is_some_and(|t| t.offset < offset) {
            self.entries.pop_front();
        }
    }

    /// The truncated datagram beginning at `offset`, if there is one. O(log n).
    pub(super) fn at(&self, offset: u64) -> Option<Truncation> {
        let index = self.entries.partition_point(|t| t.offset < offset);
        self.entries.get(index).filter(|t| t.offset == offset).copied()
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_by_offset_and_pruned_with_their_bytes() {
        let mut list = Truncations::default();
        list.push(Truncation { offset: 0, kept: 4, real: 10 });
        list.push(Truncation { offset: 8, kept: 4, real: 5 });
        assert_eq!(list.at(8).map(|t| t.lost()), Some(1));
        assert_eq!(list.at(4), None);
        list.drop_before(4);
        assert_eq!(list.at(0), None);
        assert_eq!(list.len(), 1);
        let text = Truncation { offset: 0, kept: 4096, real: 9000 }.describe("→");
        assert_eq!(text, "truncated: 9000 → 4096, 4904 bytes lost");
    }
}
