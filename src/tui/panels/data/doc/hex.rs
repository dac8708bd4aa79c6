//! The hex document: rows of a fixed number of bytes aligned to stream offsets (row `r` holds
//! `r*B .. (r+1)*B`, as `hexdump -C` does), and before each row the separators of the chunks
//! that start inside it. Every step is arithmetic plus a binary search over the chunks.

use super::{Line, chunk_start_in, last_chunk_start_in};
use crate::session::Stream;
use std::ops::Range;

#[derive(Debug)]
pub(in super::super) struct HexDoc<'a> {
    pub(super) stream: &'a Stream,
    bytes_per_row: u64,
}

impl<'a> HexDoc<'a> {
    pub(super) fn new(stream: &'a Stream, bytes_per_row: usize) -> Self {
        Self { stream, bytes_per_row: (bytes_per_row as u64).max(1) }
    }

    pub(super) fn row_range(&self, offset: u64) -> Range<u64> {
        let start = offset - offset % self.bytes_per_row;
        start..start.saturating_add(self.bytes_per_row)
    }

    /// The first line of the row starting at `row`: its first separator, or the row.
    fn row_head(&self, row: u64) -> Line {
        match chunk_start_in(self.stream, self.row_range(row)) {
            Some(chunk) => Line::Separator(chunk),
            None => Line::Row(row),
        }
    }

    pub(super) fn first(&self) -> Option<Line> {
        let retained = self.stream.retained();
        (!retained.is_empty()).then(|| self.row_head(self.row_range(retained.start).start))
    }

    pub(super) fn next(&self, line: Line) -> Option<Line> {
        match line {
            Line::Separator(at) => {
                let row = self.row_range(at);
                Some(match chunk_start_in(self.stream, at + 1..row.end) {
                    Some(chunk) => Line::Separator(chunk),
                    None => Line::Row(row.start),
                })
            }
            Line::Row(row) => {
                let next = self.row_range(row).end;
                (next < self.stream.retained().end).then(|| self.row_head(next))
            }
        }
    }

    pub(super) fn prev(&self, line: Line) -> Option<Line> {
        let (row, before) = match line {
            Line::Separator(at) => (self.row_range(at).start, at),
            Line::Row(row) => (row, self.row_range(row).end),
        };
        if let Some(chunk) = last_chunk_start_in(self.stream, row..before) {
            return Some(Line::Separator(chunk));
        }
        (row > self.stream.retained().start).then(|| Line::Row(row - self.bytes_per_row))
    }

    pub(super) fn column_of(&self, offset: u64) -> usize {
        (offset % self.bytes_per_row) as usize
    }

    pub(super) fn offset_at_column(&self, row: u64, column: usize) -> u64 {
        let last = self.stream.retained().end.saturating_sub(1);
        (row + (column as u64).min(self.bytes_per_row - 1)).min(last)
    }
}
