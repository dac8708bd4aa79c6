//! The interleaved conversation as a virtual document: each turn (one call's chunk) is a
//! header line followed by the rows of its bytes, and turns of both directions follow each
//! other in time order.
//!
//! Nothing is laid out from the start. Each direction's chunks are in time order (the model
//! keeps them so), so the turn after any turn is the earlier of the next chunk on its own side
//! and the first chunk of the other side stamped after it: two binary searches. Rows come from
//! the Data panel's text document of that direction, whose anchors include every chunk start,
//! so a row never crosses from one turn into the next and a page costs the blocks on it,
//! whatever the size of the conversation.

use super::conversation::Conversation;
use crate::inspect::escape::Repertoire;
use crate::session::{Chunk, Stream};
use crate::tui::app::{FollowLine as Line, Side};
use crate::tui::panels::data::TextDoc;
use std::ops::Range;

/// Where a turn sorts: its time, then the request side first, then its offset.
type TurnKey = (u64, u8, u64);

pub(super) struct FollowDoc<'a> {
    pub(super) conversation: Conversation<'a>,
    up: TextDoc<'a>,
    down: TextDoc<'a>,
}

impl<'a> FollowDoc<'a> {
    /// `width`: cells for the escaped bytes of a row.
    pub(super) fn new(
        conversation: Conversation<'a>,
        width: usize,
        repertoire: Repertoire,
    ) -> Self {
        let text = |side| TextDoc::new(conversation.stream(side), width, repertoire);
        Self { conversation, up: text(Side::Up), down: text(Side::Down) }
    }

    pub(super) fn stream(&self, side: Side) -> &'a Stream {
        self.conversation.stream(side)
    }

    fn text(&self, side: Side) -> &TextDoc<'a> {
        match side {
            Side::Up => &self.up,
            Side::Down => &self.down,
        }
    }

    fn chunks(&self, side: Side) -> &'a [Chunk] {
        self.stream(side).chunks()
    }

    fn key(side: Side, chunk: &Chunk) -> TurnKey {
        (chunk.t_us, side.rank(), chunk.offset)
    }

    /// The retained chunk of `side` that starts at `offset` (its front may be evicted).
    pub(super) fn turn_index(&self, side: Side, offset: u64) -> Option<usize> {
        let chunks = self.chunks(side);
        chunks.binary_search_by_key(&offset, |chunk| chunk.offset).ok()
    }

    /// The chunk of `side` holding `offset`.
    pub(super) fn chunk_at(&self, side: Side, offset: u64) -> Option<Chunk> {
        let stream = self.stream(side);
        stream.chunk_index_at(offset).map(|index| stream.chunks()[index])
    }

    /// The first byte of a turn still in memory.
    fn first_byte(&self, side: Side, chunk: &Chunk) -> u64 {
        chunk.offset.max(self.stream(side).retained().start)
    }

    /// The stream offsets of the row of `side` holding `offset` (which must be retained).
    pub(super) fn row_range(&self, side: Side, offset: u64) -> Range<u64> {
        self.text(side).row_range(offset)
    }

    /// The row holding `offset` of `side`, clamped to its retained bytes.
    pub(super) fn row_at(&self, side: Side, offset: u64) -> Option<Line> {
        let retained = self.stream(side).retained();
        if retained.is_empty() {
            return None;
        }
        let offset = offset.clamp(retained.start, retained.end - 1);
        Some(Line::Row(side, self.row_range(side, offset).start))
    }

    /// The header of the earliest turn.
    pub(super) fn first(&self) -> Option<Line> {
        let first = |side| self.chunks(side).first().map(|chunk| (Self::key(side, chunk), side));
        let (_, side) = [first(Side::Up), first(Side::Down)].into_iter().flatten().min()?;
        Some(Line::Turn(side, self.chunks(side)[0].offset))
    }

    /// The last row of the latest turn.
    pub(super) fn last(&self) -> Option<Line> {
        let last = |side| self.chunks(side).last().map(|chunk| (Self::key(side, chunk), side));
        let (_, side) = [last(Side::Up), last(Side::Down)].into_iter().flatten().max()?;
        let retained = self.stream(side).retained();
        self.row_at(side, retained.end.saturating_sub(1))
    }

    /// The turn after `side`'s chunk `index`: the next on that side, or the other side's
    /// first one stamped after it, whichever comes first.
    fn next_turn(&self, side: Side, index: usize) -> Option<Line> {
        let key = Self::key(side, &self.chunks(side)[index]);
        let same = self.chunks(side).get(index + 1).map(|chunk| (Self::key(side, chunk), side));
        let other = side.other();
        let chunks = self.chunks(other);
        let at = chunks.partition_point(|chunk| Self::key(other, chunk) <= key);
        let across = chunks.get(at).map(|chunk| (Self::key(other, chunk), other));
        let ((_, _, offset), side) = [same, across].into_iter().flatten().min()?;
        Some(Line::Turn(side, offset))
    }

    /// The turn before `side`'s chunk `index`.
    fn prev_turn(&self, side: Side, index: usize) -> Option<(Side, Chunk)> {
        let key = Self::key(side, &self.chunks(side)[index]);
        let same = index.checked_sub(1).map(|at| (Self::key(side, &self.chunks(side)[at]), side));
        let other = side.other();
        let chunks = self.chunks(other);
        let at = chunks.partition_point(|chunk| Self::key(other, chunk) < key);
        let across = at.checked_sub(1).map(|at| (Self::key(other, &chunks[at]), other));
        let ((_, _, offset), side) = [same, across].into_iter().flatten().max()?;
        let index = self.turn_index(side, offset)?;
        Some((side, self.chunks(side)[index]))
    }

    pub(super) fn next(&self, line: Line) -> Option<Line> {
        match line {
            Line::Turn(side, offset) => {
                let chunk = self.chunks(side)[self.turn_index(side, offset)?];
                Some(Line::Row(side, self.first_byte(side, &chunk)))
            }
            Line::Row(side, row) => {
                let index = self.stream(side).chunk_index_at(row)?;
                let chunk = self.chunks(side)[index];
                let end = self.row_range(side, row).end;
                if end < chunk.end() {
                    Some(Line::Row(side, end))
                } else {
                    self.next_turn(side, index)
                }
            }
        }
    }

    pub(super) fn prev(&self, line: Line) -> Option<Line> {
        match line {
            Line::Turn(side, offset) => {
                let (side, chunk) = self.prev_turn(side, self.turn_index(side, offset)?)?;
                self.row_at(side, chunk.end() - 1)
            }
            Line::Row(side, row) => {
                let chunk = self.chunk_at(side, row)?;
                if row > self.first_byte(side, &chunk) {
                    self.row_at(side, row - 1)
                } else {
                    Some(Line::Turn(side, chunk.offset))
                }
            }
        }
    }

    /// `line` as a line of this layout: a turn still retained, or the row holding the line's
    /// offset (a position from another width); the first line when it was evicted.
    pub(super) fn normalize(&self, line: Line) -> Option<Line> {
        let (side, offset) = match line {
            Line::Turn(side, offset) if self.turn_index(side, offset).is_some() => {
                return Some(line);
            }
            Line::Turn(side, offset) | Line::Row(side, offset) => (side, offset),
        };
        let retained = self.stream(side).retained();
        if offset < retained.start || retained.is_empty() {
            return self.first();
        }
        self.row_at(side, offset)
    }

    /// The lines from `top` on, in order.
    pub(super) fn lines_from(&self, top: Line) -> impl Iterator<Item = Line> + '_ {
        std::iter::successors(Some(top), |&line| self.next(line))
    }

    /// Up to `rows` lines ending with `bottom`, in order.
    pub(super) fn lines_to(&self, bottom: Line, rows: usize) -> Vec<Line> {
        let mut lines: Vec<Line> =
            std::iter::successors(Some(bottom), |&line| self.prev(line)).take(rows).collect();
        lines.reverse();
        lines
    }

    /// The column of `offset` in its row, and the byte at a column of a row: for moving the
    /// cursor up and down in place.
    pub(super) fn column_of(&self, side: Side, offset: u64) -> usize {
        self.text(side).column_of(offset)
    }

    pub(super) fn offset_at_column(&self, side: Side, row: u64, column: usize) -> u64 {
        self.text(side).offset_at_column(row, column)
    }
}

#[cfg(test)]
mod tests;
