//! One direction of a stream as a virtual document of lines, addressed by stream offsets and
//! never laid out from its start.
//!
//! A line is a chunk's separator (`<── recv 17 B @ 0.512s`) or a row of bytes, each named by a
//! stream offset ([`Line`]), so a position survives new bytes, eviction, a resize or a switch
//! between text and hex: the row holding the same byte is found again in the new layout. The
//! panel walks the document from a known line ([`Doc::next`], [`Doc::prev`]): a page costs the
//! lines on it, whatever the stream's size.
//!
//! Hex rows hold a fixed number of bytes, aligned to offsets; the separators of the chunks
//! that start inside a row come before it ([`hex`]). Text rows are laid out by display width
//! from anchors ([`text`]).

mod hex;
pub(in crate::tui::panels) mod text;

use crate::inspect::escape::Repertoire;
use crate::session::Stream;
use crate::tui::DataView;
use std::ops::Range;

pub use crate::tui::DataLine as Line;

/// The document of one stream direction in one view at one width.
#[derive(Debug)]
pub(super) enum Doc<'a> {
    Hex(hex::HexDoc<'a>),
    Text(text::TextDoc<'a>),
}

impl<'a> Doc<'a> {
    /// `width`: cells for the bytes of a row (hex: bytes per row, see [`hex::bytes_per_row`]).
    pub(super) fn new(
        stream: &'a Stream,
        view: DataView,
        width: usize,
        repertoire: Repertoire,
    ) -> Self {
        match view {
            DataView::Hex => Self::Hex(hex::HexDoc::new(stream, width)),
            DataView::Text => Self::Text(text::TextDoc::new(stream, width, repertoire)),
        }
    }

    pub(super) fn stream(&self) -> &'a Stream {
        match self {
            Self::Hex(doc) => doc.stream,
            Self::Text(doc) => doc.stream,
        }
    }

    pub(super) fn first(&self) -> Option<Line> {
        match self {
            Self::Hex(doc) => doc.first(),
            Self::Text(doc) => doc.first(),
        }
    }

    pub(super) fn last(&self) -> Option<Line> {
        let retained = self.stream().retained();
        (!retained.is_empty()).then(|| self.row_at(retained.end - 1))
    }

    pub(super) fn next(&self, line: Line) -> Option<Line> {
        match self {
            Self::Hex(doc) => doc.next(line),
            Self::Text(doc) => doc.next(line),
        }
    }

    pub(super) fn prev(&self, line: Line) -> Option<Line> {
        match self {
            Self::Hex(doc) => doc.prev(line),
            Self::Text(doc) => doc.prev(line),
        }
    }

    /// The row holding `offset`, clamped to the retained bytes (the stream must hold some).
    pub(super) fn row_at(&self, offset: u64) -> Line {
        let retained = self.stream().retained();
        let offset = offset.clamp(retained.start, retained.end.saturating_sub(1));
        Line::Row(self.row_range(offset).start)
    }

    /// The stream offsets of the row holding `offset`.
    pub(super) fn row_range(&self, offset: u64) -> Range<u64> {
        match self {
            Self::Hex(doc) => doc.row_range(offset),
            Self::Text(doc) => doc.row_range(offset),
        }
    }

    /// `line` as a line of this layout: a separator whose chunk is still retained, or the
    /// row holding the line's offset (a position from another width or view).
    pub(super) fn normalize(&self, line: Line) -> Option<Line> {
        let retained = self.stream().retained();
        if retained.is_empty() {
            return None;
        }
        match line {
            Line::Separator(at) if self.chunk_starts_at(at) => Some(line),
            Line::Separator(at) | Line::Row(at) if at < retained.start => self.first(),
            Line::Separator(at) | Line::Row(at) => Some(self.row_at(at)),
        }
    }

    fn chunk_starts_at(&self, offset: u64) -> bool {
        chunk_starts_at(self.stream(), offset)
    }

    /// The display column of `offset` in its row (hex: bytes, text: cells), for moving up
    /// and down a row in place.
    pub(super) fn column_of(&self, offset: u64) -> usize {
        match self {
            Self::Hex(doc) => doc.column_of(offset),
            Self::Text(doc) => doc.column_of(offset),
        }
    }

    /// The byte at `column` of the row starting at `row`, or the row's last byte.
    pub(super) fn offset_at_column(&self, row: u64, column: usize) -> u64 {
        match self {
            Self::Hex(doc) => doc.offset_at_column(row, column),
            Self::Text(doc) => doc.offset_at_column(row, column),
        }
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
}

/// Whether a retained chunk starts exactly at `offset`.
fn chunk_starts_at(stream: &Stream, offset: u64) -> bool {
    offset >= stream.retained().start
        && stream.chunks().binary_search_by_key(&offset, |chunk| chunk.offset).is_ok()
}

/// The offset of the first retained chunk start at or after `offset`, before `end`.
fn chunk_start_in(stream: &Stream, range: Range<u64>) -> Option<u64> {
    let chunks = stream.chunks();
    let from = range.start.max(stream.retained().start);
    let at = chunks.partition_point(|chunk| chunk.offset < from);
    chunks.get(at).map(|chunk| chunk.offset).filter(|&offset| offset < range.end)
}

/// The offset of the last retained chunk start in `range`.
fn last_chunk_start_in(stream: &Stream, range: Range<u64>) -> Option<u64> {
    let chunks = stream.chunks();
    let from = range.start.max(stream.retained().start);
    let at = chunks.partition_point(|chunk| chunk.offset < range.end);
    at.checked_sub(1).map(|at| chunks[at].offset).filter(|&offset| offset >= from)
}
