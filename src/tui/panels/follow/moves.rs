//! Moving through the follow view: pages, the cursor's row, keeping a byte in view. The App
//! asks these for new positions; they read the same page the drawing lays out.

use super::{Leg, Page, app_page};
use crate::tui::App;
use crate::tui::app::{FollowLine as Line, FollowTop, Side};

/// A scrolling key in the follow view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scrolling {
    PageUp,
    PageDown,
    /// The first retained turn.
    Start,
    /// The newest turn, following new ones.
    End,
}

/// The position `scroll` moves to (`None` when the view has nothing to show).
#[must_use]
pub fn scrolled(app: &App, scroll: Scrolling) -> Option<FollowTop> {
    let pages: isize = match scroll {
        Scrolling::Start => return Some(FollowTop::Start),
        Scrolling::End => return Some(FollowTop::Follow),
        Scrolling::PageUp => -1,
        Scrolling::PageDown => 1,
    };
    let page = app_page(app)?;
    let mut top = *page.lines(app.follow_top()).first()?;
    // A line of context stays: one page less one line.
    for _ in 0..page.rows().saturating_sub(1).max(1) {
        let moved = if pages > 0 { page.doc.next(top) } else { page.doc.prev(top) };
        let Some(moved) = moved else { break };
        top = moved;
    }
    let shown: Vec<Line> = page.doc.lines_from(top).take(page.rows()).collect();
    let at_end = shown.last() == page.doc.last().as_ref();
    Some(if pages > 0 && at_end { FollowTop::Follow } else { FollowTop::At(top) })
}

/// The side of the conversation `leg` is, on the page.
fn side(page: &Page<'_>, leg: Leg) -> Option<Side> {
    page.doc.conversation.side_of(leg)
}

/// The first byte on the page: where a new cursor starts.
#[must_use]
pub fn page_start(app: &App) -> Option<(Leg, u64)> {
    let page = app_page(app)?;
    page.lines(app.follow_top()).into_iter().find_map(|line| match line {
        Line::Row(side, offset) => Some((page.doc.conversation.leg(side), offset)),
        Line::Turn(..) => None,
    })
}

/// The position that shows the row holding `offset` of `leg`, moving as little as possible
/// (`None` when it shows already, or `leg` is not in the view).
#[must_use]
pub fn reveal(app: &App, leg: Leg, offset: u64) -> Option<FollowTop> {
    let page = app_page(app)?;
    let side = side(&page, leg)?;
    let shown = page.lines(app.follow_top());
    let row = page.doc.row_at(side, offset)?;
    if shown.contains(&row) || shown.is_empty() {
        return None;
    }
    let above = page.doc.lines_from(row).take(page.rows() * 4).any(|line| line == shown[0]);
    let top = if above { row } else { *page.doc.lines_to(row, page.rows()).first()? };
    Some(FollowTop::At(top))
}

/// The byte `delta` rows below (above when negative) `offset` of `leg`, in the same column
/// where that row is long enough; rows of the other direction count too, so the cursor walks
/// the conversation as it reads.
#[must_use]
pub fn row_step(app: &App, leg: Leg, offset: u64, delta: i64) -> Option<(Leg, u64)> {
    let page = app_page(app)?;
    let side = side(&page, leg)?;
    let column = page.doc.column_of(side, offset);
    let mut row = page.doc.row_at(side, offset)?;
    'rows: for _ in 0..delta.unsigned_abs() {
        let mut line = row;
        loop {
            let moved = if delta > 0 { page.doc.next(line) } else { page.doc.prev(line) };
            match moved {
                Some(turn @ Line::Turn(..)) => line = turn,
                Some(found @ Line::Row(..)) => {
                    row = found;
                    break;
                }
                None => break 'rows,
            }
        }
    }
    let Line::Row(side, start) = row else { return None };
    Some((page.doc.conversation.leg(side), page.doc.offset_at_column(side, start, column)))
}

/// The position that keeps the page where it is now (rather than following new bytes).
#[must_use]
pub fn pinned(app: &App) -> Option<FollowTop> {
    let page = app_page(app)?;
    page.lines(app.follow_top()).first().map(|&line| FollowTop::At(line))
}

/// The first byte of the other direction's turn nearest after the one holding `offset` of
/// `leg` (or its last turn, if none comes after).
#[must_use]
pub fn other_side(app: &App, leg: Leg, offset: u64) -> Option<(Leg, u64)> {
    let page = app_page(app)?;
    let side = side(&page, leg)?;
    let t_us = page.doc.chunk_at(side, offset)?.t_us;
    let other = page.doc.stream(side.other());
    let chunks = other.chunks();
    let at = chunks.partition_point(|chunk| chunk.t_us < t_us).min(chunks.len().checked_sub(1)?);
    let start = chunks[at].offset.max(other.retained().start);
    Some((page.doc.conversation.leg(side.other()), start))
}
