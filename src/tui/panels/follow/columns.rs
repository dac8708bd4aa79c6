//! Side by side (`s` in the follow view): one direction's bytes twice, on the left as the
//! sender's `send` calls wrote them, on the right as the receiver's `recv` calls read them,
//! aligned by stream offset. Where a call starts, its column has a mark (`┌ send 40 B`), so
//! one 40-byte send arriving as eight 5-byte recvs reads as one mark on the left against
//! eight on the right: TCP keeps no message boundaries.
//!
//! Rows end at every call boundary of either end (and every 4 KiB, so a row is laid out from
//! a bounded run of bytes): a page is found from its first offset alone, as in the Data panel.

mod draw;

use super::super::data::offset_digits;
use super::{Ends, Scrolling, app_page, content_area, ends};
use crate::inspect::escape::Repertoire;
use crate::inspect::layout::text_rows;
use crate::session::Stream;
use crate::tui::App;
use crate::tui::app::{FollowLine, Side};
use crate::tui::text::repertoire;
use ratatui::layout::Rect;
use std::cell::RefCell;
use std::ops::Range;

/// Longest run of bytes laid out at once.
const BLOCK: u64 = 4096;

/// A segment (the bytes between two row boundaries) and its rows, as stream offsets.
type LaidOut = (Range<u64>, Vec<Range<u64>>);

/// A line of the two columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line {
    /// A call starts here on one end or both.
    Mark(u64),
    Row(u64),
}

/// The two ends' streams of one direction, laid out in columns `width` cells wide.
struct Columns<'a> {
    send: &'a Stream,
    recv: &'a Stream,
    width: usize,
    digits: usize,
    repertoire: Repertoire,
    /// The last segment laid out and its rows: a page walks the rows of a few segments, each
    /// asked for several times.
    laid_out: RefCell<Option<LaidOut>>,
}

impl<'a> Columns<'a> {
    fn new(app: &'a App, ends: Ends, area: Rect) -> Option<Self> {
        let stream =
            |leg: super::Leg| app.session().connection(leg.conn).map(|c| c.stream(leg.dir));
        let (send, recv) = (stream(ends.send)?, stream(ends.recv)?);
        let digits = offset_digits(send.total().max(recv.total()));
        let column = usize::from(area.width.saturating_sub(1) / 2);
        let width = column.saturating_sub(digits + 2).max(1);
        let repertoire = repertoire(app.glyphs());
        Some(Self { send, recv, width, digits, repertoire, laid_out: RefCell::default() })
    }

    /// The offsets both columns cover: from the later first byte kept to the last byte seen.
    fn span(&self) -> Range<u64> {
        let start = self.send.retained().start.max(self.recv.retained().start);
        start..self.send.retained().end.max(self.recv.retained().end)
    }

    /// Whether a call of either end starts at `offset`.
    fn call_starts_at(&self, offset: u64) -> bool {
        let starts = |stream: &Stream| {
            stream.chunks().binary_search_by_key(&offset, |chunk| chunk.offset).is_ok()
        };
        starts(self.send) || starts(self.recv)
    }

    /// The first row boundary after `offset`.
    fn boundary_after(&self, offset: u64) -> u64 {
        let next = |stream: &Stream| {
            let chunks = stream.chunks();
            chunks
                .get(chunks.partition_point(|c| c.offset <= offset))
                .map_or(u64::MAX, |c| c.offset)
        };
        let block = (offset / BLOCK + 1) * BLOCK;
        next(self.send).min(next(self.recv)).min(block).min(self.span().end)
    }

    /// The last row boundary at or before `offset`.
    fn boundary_at(&self, offset: u64) -> u64 {
        let last = |stream: &Stream| {
            let chunks = stream.chunks();
            chunks
                .partition_point(|c| c.offset <= offset)
                .checked_sub(1)
                .map_or(0, |at| chunks[at].offset)
        };
        let block = offset - offset % BLOCK;
        last(self.send).max(last(self.recv)).max(block).max(self.span().start)
    }

    /// The bytes of `range` from whichever end still holds them (the receiver first).
    fn read(&self, range: Range<u64>, out: &mut Vec<u8>) -> Range<u64> {
        let read = self.recv.read(range.clone(), out);
        if read == range { read } else { self.send.read(range, out) }
    }

    /// The rows of the segment holding `offset`.
    fn rows_at(&self, offset: u64) -> Vec<Range<u64>> {
        let start = self.boundary_at(offset);
        let mut bytes = Vec::new();
        let read = self.read(start..self.boundary_after(start), &mut bytes);
        text_rows(&bytes, self.width, self.repertoire)
            .into_iter()
            .map(|row| read.start + row.start as u64..read.start + row.end as u64)
            .collect()
    }

    fn row_range(&self, offset: u64) -> Range<u64> {
        let mut laid_out = self.laid_out.borrow_mut();
        let cached = laid_out.as_ref().is_some_and(|(segment, _)| segment.contains(&offset));
        if !cached {
            let rows = self.rows_at(offset);
            let segment = rows.first().map_or(offset, |first| first.start)
                ..rows.last().map_or(offset, |last| last.end);
            *laid_out = Some((segment, rows));
        }
        let rows = laid_out.as_ref().map(|(_, rows)| rows.as_slice()).unwrap_or_default();
        let at = rows.partition_point(|row| row.end <= offset);
        rows.get(at).cloned().unwrap_or(offset..offset + 1)
    }

    /// The first line shown from `offset` on: the mark of a call starting on its row.
    fn head(&self, offset: u64) -> Option<Line> {
        let span = self.span();
        if span.is_empty() {
            return None;
        }
        let row = self.row_range(offset.clamp(span.start, span.end - 1)).start;
        Some(if self.call_starts_at(row) { Line::Mark(row) } else { Line::Row(row) })
    }

    fn next(&self, line: Line) -> Option<Line> {
        let row = match line {
            Line::Mark(at) => return Some(Line::Row(at)),
            Line::Row(row) => self.row_range(row),
        };
        (row.end < self.span().end).then(|| self.head(row.end)).flatten()
    }

    fn prev(&self, line: Line) -> Option<Line> {
        let at = match line {
            Line::Mark(at) => at,
            Line::Row(row) if self.call_starts_at(row) => return Some(Line::Mark(row)),
            Line::Row(row) => row,
        };
        (at > self.span().start).then(|| Line::Row(self.row_range(at - 1).start))
    }

    fn last_top(&self, rows: usize) -> Option<Line> {
        let mut line = Line::Row(self.row_range(self.span().end.checked_sub(1)?).start);
        for _ in 1..rows {
            let Some(prev) = self.prev(line) else { break };
            line = prev;
        }
        Some(line)
    }
}

/// The direction and first offset side by side starts from: the cursor's, or the first
/// byte on the follow view's page; or why there is no other end to compare with.
pub fn side_by_side_start(app: &App) -> Result<(Side, Option<u64>), String> {
    let conn = app.selected().ok_or("select a connection first (j/k)")?;
    let page = app_page(app);
    let start = page.as_ref().and_then(|page| {
        let on_page = |leg: super::Leg| page.doc.conversation.side_of(leg);
        let cursor = app
            .cursor()
            .and_then(|c| Some((on_page(super::Leg { conn: c.conn, dir: c.dir })?, c.offset)));
        cursor.or_else(|| {
            page.lines(app.follow_top()).into_iter().find_map(|line| match line {
                FollowLine::Row(side, offset) => Some((side, offset)),
                FollowLine::Turn(..) => None,
            })
        })
    });
    let (side, offset) = start.map_or((Side::Up, None), |(side, at)| (side, Some(at)));
    ends(app.session(), conn, side)?;
    Ok((side, offset))
}

/// Where side by side starts after `scroll` (`None`: from the first offset).
#[must_use]
pub fn columns_scrolled(app: &App, side: Side, scroll: Scrolling) -> Option<u64> {
    let area = content_area(app)?;
    let conn = app.selected()?;
    let columns = Columns::new(app, ends(app.session(), conn, side).ok()?, area)?;
    let rows = usize::from(area.height).saturating_sub(1);
    let offset = |line: Line| match line {
        Line::Mark(at) | Line::Row(at) => at,
    };
    let top = match app.follow_view()?.layout {
        crate::tui::app::FollowLayout::SideBySide { top, .. } => top,
        crate::tui::app::FollowLayout::Interleaved => None,
    };
    let mut line = columns.head(top.unwrap_or(0))?;
    let step = rows.saturating_sub(1).max(1);
    match scroll {
        Scrolling::Start => return None,
        Scrolling::End => return columns.last_top(rows).map(offset),
        Scrolling::PageDown => {
            for _ in 0..step {
                line = columns.next(line).unwrap_or(line);
            }
            line = line.min_by_end(columns.last_top(rows));
        }
        Scrolling::PageUp => {
            for _ in 0..step {
                line = columns.prev(line).unwrap_or(line);
            }
        }
    }
    Some(offset(line))
}

impl Line {
    /// The earlier of this line and `last_top`, so paging down stops at the last page.
    fn min_by_end(self, last_top: Option<Line>) -> Line {
        let at = |line: Line| match line {
            Line::Mark(at) | Line::Row(at) => (at, matches!(line, Line::Row(_))),
        };
        match last_top {
            Some(last) if at(last) < at(self) => last,
            _ => self,
        }
    }
}

pub(super) use draw::render;
