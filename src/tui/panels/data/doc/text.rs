//! The text document: escaped bytes laid out by display width, a row ending after each line
//! feed or before the escape that would not fit ([`crate::inspect::layout`]).
//!
//! Rows are laid out from *anchors*, offsets where a row always starts: the first retained
//! byte, every chunk start (each chunk opens with its separator line) and every
//! [`BLOCK`]-aligned offset (moved past the continuation bytes of a character there, so no
//! character is split). The bytes between two anchors are a block, laid out on its own: any
//! line is found by laying out at most one block, never from the start of the stream, and a
//! resize re-lays only the blocks on screen. The one cost: a row longer than a block's rest
//! wraps at the block's end.

use super::{Line, chunk_start_in, chunk_starts_at, last_chunk_start_in};
use crate::inspect::escape::{Repertoire, tokens};
use crate::inspect::layout::text_rows;
use crate::session::Stream;
use std::cell::RefCell;
use std::ops::Range;

/// Bytes between aligned anchors.
pub(in super::super) const BLOCK: u64 = 4096;

/// Longest run of UTF-8 continuation bytes a character can have.
const MAX_CONTINUATION: u64 = 3;

/// A block and its rows, as stream offsets.
type LaidOut = (Range<u64>, Vec<Range<u64>>);

#[derive(Debug)]
pub(in crate::tui::panels) struct TextDoc<'a> {
    pub(super) stream: &'a Stream,
    width: usize,
    repertoire: Repertoire,
    /// The last block laid out and its rows: a page is mostly rows of one or two blocks.
    laid_out: RefCell<Option<LaidOut>>,
}

impl<'a> TextDoc<'a> {
    pub(in crate::tui::panels) fn new(
        stream: &'a Stream,
        width: usize,
        repertoire: Repertoire,
    ) -> Self {
        Self { stream, width: width.max(1), repertoire, laid_out: RefCell::default() }
    }

    /// `aligned` moved past the continuation bytes that start there (they end the character
    /// begun before it).
    fn aligned_anchor(&self, aligned: u64) -> u64 {
        let mut bytes = Vec::new();
        let read = self.stream.read(aligned..aligned + MAX_CONTINUATION, &mut bytes);
        if read.start != aligned {
            return aligned;
        }
        let skip = bytes.iter().take_while(|&&byte| (0x80..0xc0).contains(&byte)).count();
        aligned + skip as u64
    }

    /// The block holding `offset` (which must be retained).
    fn block_at(&self, offset: u64) -> Range<u64> {
        let retained = self.stream.retained();
        let aligned = offset - offset % BLOCK;
        let here = self.aligned_anchor(aligned);
        let (anchor, next_anchor) = if here <= offset {
            (here, self.aligned_anchor(aligned + BLOCK))
        } else {
            (aligned.checked_sub(BLOCK).map_or(0, |earlier| self.aligned_anchor(earlier)), here)
        };
        let chunk = last_chunk_start_in(self.stream, retained.start..offset + 1);
        let start = anchor.max(retained.start).max(chunk.unwrap_or(0));
        let next_chunk = chunk_start_in(self.stream, start + 1..retained.end);
        let end = retained.end.min(next_anchor).min(next_chunk.unwrap_or(u64::MAX));
        start..end
    }

    /// The rows of the block holding `offset`, as stream offsets.
    fn rows_of_block(&self, offset: u64) -> (Range<u64>, Vec<Range<u64>>) {
        if let Some((block, rows)) = self.laid_out.borrow().as_ref()
            && block.contains(&offset)
        {
            return (block.clone(), rows.clone());
        }
        let block = self.block_at(offset);
        let mut bytes = Vec::new();
        let read = self.stream.read(block.clone(), &mut bytes);
        let rows: Vec<Range<u64>> = text_rows(&bytes, self.width, self.repertoire)
            .into_iter()
            .map(|row| read.start + row.start as u64..read.start + row.end as u64)
            .collect();
        *self.laid_out.borrow_mut() = Some((block.clone(), rows.clone()));
        (block, rows)
    }

    pub(in crate::tui::panels) fn row_range(&self, offset: u64) -> Range<u64> {
        let (block, rows) = self.rows_of_block(offset);
        let at = rows.partition_point(|row| row.end <= offset);
        rows.get(at).cloned().unwrap_or(block)
    }

    /// The line that opens the block starting at `start`.
    fn block_head(&self, start: u64) -> Line {
        if chunk_starts_at(self.stream, start) { Line::Separator(start) } else { Line::Row(start) }
    }

    pub(super) fn first(&self) -> Option<Line> {
        let retained = self.stream.retained();
        (!retained.is_empty()).then(|| self.block_head(retained.start))
    }

    pub(super) fn next(&self, line: Line) -> Option<Line> {
        let row = match line {
            Line::Separator(at) => return Some(Line::Row(at)),
            Line::Row(row) => self.row_range(row),
        };
        (row.end < self.stream.retained().end).then(|| {
            let (block, _) = self.rows_of_block(row.start);
            if row.end < block.end { Line::Row(row.end) } else { self.block_head(row.end) }
        })
    }

    pub(super) fn prev(&self, line: Line) -> Option<Line> {
        let start = match line {
            Line::Separator(at) => at,
            Line::Row(row) => {
                let (block, rows) = self.rows_of_block(row);
                if row > block.start {
                    let at = rows.partition_point(|range| range.end < row);
                    return rows.get(at).map(|range| Line::Row(range.start));
                }
                if chunk_starts_at(self.stream, row) {
                    return Some(Line::Separator(row));
                }
                row
            }
        };
        (start > self.stream.retained().start).then(|| Line::Row(self.row_range(start - 1).start))
    }

    /// Cells from the row's start to the token holding `offset`.
    pub(in crate::tui::panels) fn column_of(&self, offset: u64) -> usize {
        let row = self.row_range(offset);
        let mut bytes = Vec::new();
        let read = self.stream.read(row, &mut bytes);
        let mut at = read.start;
        let mut cells = 0;
        for token in tokens(&bytes, self.repertoire) {
            at += token.len as u64;
            if at > offset {
                break;
            }
            cells += token.width;
        }
        cells
    }

    /// The first byte of the token at `column` cells into the row starting at `row` (or of
    /// its last token).
    pub(in crate::tui::panels) fn offset_at_column(&self, row: u64, column: usize) -> u64 {
        let range = self.row_range(row);
        let mut bytes = Vec::new();
        let read = self.stream.read(range, &mut bytes);
        let mut at = read.start;
        let mut cells = 0;
        for token in tokens(&bytes, self.repertoire) {
            if cells + token.width > column || at + token.len as u64 >= read.end {
                return at;
            }
            cells += token.width;
            at += token.len as u64;
        }
        at
    }
}
