//! Moving through the Data panel: pages, the cursor's row, keeping a byte in view. The App
//! asks these for new pane positions; they read the same panes the drawing lays out.

use super::doc::Line;
use super::{Pane, content_area, panes};
use crate::event::Dir;
use crate::session::Connection;
use crate::tui::{App, PaneTop};

/// Where the Inspector reads: the first byte of a pane's visible page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageStart {
    pub dir: Dir,
    pub offset: u64,
}

/// The panes of `conn` as the App's screen shows them.
fn app_panes<'a>(app: &App, conn: &'a Connection) -> Vec<Pane<'a>> {
    content_area(app).map_or_else(Vec::new, |area| panes(conn, area, app.data_view(), app.glyphs()))
}

/// The first byte of the first pane's visible page (received bytes when there are any):
/// where the Inspector reads while there is no cursor, and where a new cursor starts.
#[must_use]
pub fn page_start(app: &App, conn: &Connection) -> Option<PageStart> {
    let panes = app_panes(app, conn);
    let pane = panes.first()?;
    let shown = pane.page(app.data_top(pane.dir));
    let offset = shown.iter().find_map(|line| match *line {
        Line::Row(start) => Some(start),
        Line::Separator(_) => None,
    })?;
    let stream = pane.doc.stream();
    let offset = offset.max(stream.retained().start);
    (offset < stream.total()).then_some(PageStart { dir: pane.dir, offset })
}

/// Each pane's position `pages` pages on (back when negative), paging by the pane's height
/// less one line so a line of context stays; a page that reaches the end follows it again.
/// Panes that are not drawn keep their position (they are not in the list).
#[must_use]
pub fn scroll_pages(app: &App, conn: &Connection, pages: isize) -> Vec<(Dir, PaneTop)> {
    app_panes(app, conn)
        .iter()
        .filter_map(|pane| {
            let page = pane.page(app.data_top(pane.dir));
            let mut top = *page.first()?;
            let step = pane.rows().saturating_sub(1).max(1) * pages.unsigned_abs();
            for _ in 0..step {
                let moved = if pages > 0 { pane.doc.next(top) } else { pane.doc.prev(top) };
                let Some(moved) = moved else { break };
                top = moved;
            }
            let shown: Vec<Line> = pane.doc.lines_from(top).take(pane.rows()).collect();
            let at_end = shown.last() == pane.doc.last().as_ref();
            Some((pane.dir, if pages > 0 && at_end { PaneTop::Follow } else { PaneTop::At(top) }))
        })
        .collect()
}

/// The position that shows the row holding `offset` in `dir`'s pane, moving as little as
/// possible (`None` when it shows already, or the pane is not drawn).
#[must_use]
pub fn reveal(app: &App, conn: &Connection, dir: Dir, offset: u64) -> Option<PaneTop> {
    let panes = app_panes(app, conn);
    let pane = panes.iter().find(|pane| pane.dir == dir)?;
    let shown = pane.page(app.data_top(dir));
    let row = pane.doc.row_at(offset);
    if shown.contains(&row) || shown.is_empty() {
        return None;
    }
    let above = match (row, shown[0]) {
        (Line::Row(row), Line::Row(top) | Line::Separator(top)) => row < top,
        (Line::Separator(_), _) => false,
    };
    let top = if above { row } else { pane.doc.lines_to(row, pane.rows()).first().copied()? };
    Some(PaneTop::At(top))
}

/// The byte `delta` rows below (above when negative) `offset` in `dir`'s pane, in the same
/// column where that row is long enough (`None` when the pane is not drawn).
#[must_use]
pub fn row_step(app: &App, conn: &Connection, dir: Dir, offset: u64, delta: i64) -> Option<u64> {
    let panes = app_panes(app, conn);
    let pane = panes.iter().find(|pane| pane.dir == dir)?;
    let column = pane.doc.column_of(offset);
    let mut row = pane.doc.row_at(offset);
    for _ in 0..delta.unsigned_abs() {
        let mut line = row;
        loop {
            let moved = if delta > 0 { pane.doc.next(line) } else { pane.doc.prev(line) };
            match moved {
                Some(Line::Separator(at)) => line = Line::Separator(at),
                Some(found @ Line::Row(_)) => {
                    row = found;
                    break;
                }
                None => return Some(offset_in(pane, row, column)),
            }
        }
    }
    Some(offset_in(pane, row, column))
}

fn offset_in(pane: &Pane<'_>, row: Line, column: usize) -> u64 {
    match row {
        Line::Row(start) => pane.doc.offset_at_column(start, column),
        Line::Separator(at) => at,
    }
}
