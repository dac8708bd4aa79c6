//! Connections: every socket (listeners included) the filter lets through, its state and byte
//! counts, in the order the user chose; the selected one is what the connection keys act on.
//!
//! The rows come from [`App::connection_rows`], a list of ids rebuilt only when the session,
//! the order or the filter changed (see [`crate::tui::conn_view`]); a frame only slices it.
//! Only the rows on screen become widgets, so 10 000 connections cost one page of cells plus a
//! scan of the ids for the selected row's position.
//!
//! The header marks the sort column and direction; the title says `N of M` while a filter
//! hides rows, names the order when its column is not on screen, and says when the selected
//! connection is one the filter hides.

mod columns;

use super::{Panel, kit};
use crate::event::ConnId;
use crate::tui::App;
use crate::tui::render_context::RenderContext;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
// Writing into a String cannot fail: the results are ignored.
use std::fmt::Write as _;

/// The header row above the table.
const HEADER: usize = 1;
/// What the panel says when the filter hides every row.
const NOTHING_MATCHES: &str = "no connection matches the filter — / edits it, Esc clears it";

/// Draws the content inside the panel's block.
pub fn render(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    let session = app.session();
    if session.connection_count() == 0 {
        kit::draw_hint(frame, area, kit::no_sockets(app, cx));
        return;
    }
    let rows = app.connection_rows();
    if rows.is_empty() {
        kit::draw_hint(frame, area, kit::hint(NOTHING_MATCHES, cx));
        return;
    }
    let plan = columns::plan(usize::from(area.width), id_width(app));
    let top = first_row(app, &rows, usize::from(area.height));
    let height = usize::from(area.height).saturating_sub(HEADER);
    let selected = app.selected();
    let mut lines = vec![Line::from(columns::titles(&plan, app.connection_order(), cx))];
    for conn in rows.iter().skip(top).take(height).filter_map(|&id| session.connection(id)) {
        let style =
            if Some(conn.id) == selected { super::palette::selected_row() } else { Style::new() };
        lines.push(Line::from(columns::cells(conn, &plan, style, cx)).style(style));
    }
    kit::draw_lines(frame, area, lines);
}

/// The block's title for a panel `width` cells wide (border included): `Connections`, then
/// `12 of 10001` while filtered, `by last activity ▼` when the sort column is not shown, and
/// `#5 hidden` when the selected connection is filtered out.
#[must_use]
pub fn title(app: &App, width: u16, cx: &RenderContext) -> String {
    let mut title = format!(" {} ", Panel::Connections.title());
    let session = app.session();
    if session.connection_count() == 0 {
        return title;
    }
    let rows = app.connection_rows();
    if app.connection_filter().is_some() {
        let _ = write!(title, "{} of {} ", rows.len(), session.connection_count());
    }
    let order = app.connection_order();
    let plan = columns::plan(usize::from(width.saturating_sub(2)), id_width(app));
    if !columns::shows(&plan, order.column) {
        let column = order.column.description();
        let _ = write!(title, "· by {column} {} ", order.direction.glyph());
    }
    if let Some(hidden) = app.selected().filter(|id| !rows.contains(id)) {
        let _ = write!(title, "· {hidden} hidden ");
    }
    cx.glyphs.text(&title).into_owned()
}

/// Lines of content, for clamping the scroll: the header and one row per listed socket.
#[must_use]
pub fn line_count(app: &App) -> usize {
    app.connection_rows().len() + HEADER
}

/// Cells of the widest id (`#` included): the newest connection has the largest id.
fn id_width(app: &App) -> usize {
    app.session().connections().next_back().map_or(2, |conn| conn.id.to_string().len())
}

/// The first row to draw: where the panel's scroll says, moved just enough to keep the
/// selected row in view (the shell's scroll does not follow `j`/`k` by itself).
fn first_row(app: &App, rows: &[ConnId], height: usize) -> usize {
    let window = kit::window(app.scroll(Panel::Connections), rows.len(), HEADER, height);
    let selected = app.selected().and_then(|id| rows.iter().position(|&row| row == id));
    match selected {
        Some(row) if window.rows == 0 => row,
        Some(row) if row < window.top => row,
        Some(row) if row >= window.top + window.rows => row + 1 - window.rows,
        _ => window.top,
    }
}
