//! One direction of a stream as a virtual document of lines, addressed without reading it.
//!
//! The document is the retained bytes cut into rows of a fixed number of bytes, aligned to
//! stream offsets (row `r` holds offsets `r*B .. (r+1)*B`), and before each row one separator
//! line per `recv`/`send` chunk that starts inside it. So the line of row `r` is
//! `r - first_row + (chunk starts before (r+1)*B)`, and the chunk starts before an offset are
//! one binary search over the stream's chunks: finding the line at any position costs
//! O(log rows · log chunks), and drawing a page costs that page, whatever the stream's size.

use super::super::kit;
use crate::session::Stream;
use std::ops::Range;

/// A line of the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DocLine {
    /// Announces chunk number `index` of [`Stream::chunks`].
    Separator(usize),
    /// A row of bytes, by its absolute row number (stream offset / bytes per row).
    Row(u64),
}

/// The document of one stream direction at a given row width.
#[derive(Clone, Copy, Debug)]
pub(super) struct Doc<'a> {
    pub stream: &'a Stream,
    pub bytes_per_row: u64,
    /// Row holding the first retained byte.
    first_row: u64,
    /// Rows from `first_row` to the row holding the last byte.
    rows: u64,
    /// First chunk whose start is still retained: the one before it (if any) lost its front
    /// to eviction and gets no separator.
    first_chunk: usize,
}

impl<'a> Doc<'a> {
    pub(super) fn new(stream: &'a Stream, bytes_per_row: u64) -> Self {
        let bytes_per_row = bytes_per_row.max(1);
        let retained = stream.retained();
        let first_row = retained.start / bytes_per_row;
        let rows =
            if retained.is_empty() { 0 } else { retained.end.div_ceil(bytes_per_row) - first_row };
        let first_chunk = stream.chunks().partition_point(|chunk| chunk.offset < retained.start);
        Self { stream, bytes_per_row, first_row, rows, first_chunk }
    }

    /// Lines in the document: rows and separators.
    pub(super) fn len(&self) -> u64 {
        self.rows + (self.stream.chunks().len() - self.first_chunk) as u64
    }

    /// Stream offsets of absolute row `row`.
    pub(super) fn row_range(&self, row: u64) -> Range<u64> {
        let start = row.saturating_mul(self.bytes_per_row);
        start..start.saturating_add(self.bytes_per_row)
    }

    /// Chunks with a retained start before `offset`.
    fn starts_before(&self, offset: u64) -> u64 {
        let before = self.stream.chunks().partition_point(|chunk| chunk.offset < offset);
        before.saturating_sub(self.first_chunk) as u64
    }

    /// The document line of the `nth` row (counted from the first retained row).
    fn line_of_row(&self, nth: u64) -> u64 {
        nth + self.starts_before(self.row_range(self.first_row + nth).end)
    }

    /// The document line of the row holding `offset` (the first retained row's line for an
    /// offset no longer in memory).
    pub(super) fn line_of_offset(&self, offset: u64) -> u64 {
        let nth = (offset / self.bytes_per_row).saturating_sub(self.first_row);
        self.line_of_row(nth.min(self.rows.saturating_sub(1)))
    }

    /// The lines from `top` on, in order (nothing when `top` is past the end).
    pub(super) fn lines_from(&self, top: u64) -> Lines<'a> {
        if top >= self.len() {
            return Lines { doc: *self, nth: self.rows, next_chunk: usize::MAX };
        }
        // The first row whose own line is at or after `top`: `line_of_row` increases with
        // the row, and the last row's line is the document's last line, so one exists.
        let (mut low, mut high) = (0, self.rows - 1);
        while low < high {
            let middle = low + (high - low) / 2;
            if self.line_of_row(middle) >= top {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        let before_row = self.starts_before(self.row_range(self.first_row + low).start);
        // `top` may fall among the separators before that row: skip the ones above it.
        let skip = top - (low + before_row);
        let next_chunk = self.first_chunk + kit::to_usize(before_row + skip);
        Lines { doc: *self, nth: low, next_chunk }
    }
}

/// Iterator over document lines; see [`Doc::lines_from`].
#[derive(Debug)]
pub(super) struct Lines<'a> {
    doc: Doc<'a>,
    /// Next row, counted from the first retained row.
    nth: u64,
    /// Next chunk whose separator is still to come.
    next_chunk: usize,
}

impl Iterator for Lines<'_> {
    type Item = DocLine;

    fn next(&mut self) -> Option<DocLine> {
        if self.nth >= self.doc.rows {
            return None;
        }
        let row = self.doc.first_row + self.nth;
        let chunk = self.doc.stream.chunks().get(self.next_chunk);
        if chunk.is_some_and(|chunk| chunk.offset < self.doc.row_range(row).end) {
            self.next_chunk += 1;
            return Some(DocLine::Separator(self.next_chunk - 1));
        }
        self.nth += 1;
        Some(DocLine::Row(row))
    }
}
