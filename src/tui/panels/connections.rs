//! Connections: every socket (listeners included), its state and byte counts; the selected one
//! is what the connection keys act on.
//!
//! One row per socket in id order (the order `j`/`k` walk), under a header row. Only the rows
//! on screen become widgets: the ordered iterator is skipped to the first visible row and
//! taken for one page, so 10 000 connections cost one page of cells (plus a walk over the ids
//! to find the selected row's position).

mod columns;

use super::{Panel, kit};
use crate::tui::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

/// The header row above the table.
const HEADER: usize = 1;

/// Draws the content inside the panel's block.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let session = app.session();
    let count = session.connections().count();
    if count == 0 {
        kit::draw_hint(frame, area, kit::hint(kit::NO_SOCKETS));
        return;
    }
    // The newest connection has the largest id, hence the widest.
    let id_width = session.connections().next_back().map_or(2, |conn| conn.id.to_string().len());
    let plan = columns::plan(usize::from(area.width), id_width);
    let top = first_row(app, count, usize::from(area.height));
    let rows = usize::from(area.height).saturating_sub(HEADER);
    let selected = app.selected();
    let mut lines = vec![Line::from(columns::titles(&plan))];
    for conn in session.connections().skip(top).take(rows) {
        let style =
            if Some(conn.id) == selected { super::palette::selected_row() } else { Style::new() };
        lines.push(Line::from(columns::cells(conn, &plan, style)).style(style));
    }
    kit::draw_lines(frame, area, lines);
}

/// Lines of content, for clamping the scroll: the header and one row per socket.
#[must_use]
pub fn line_count(app: &App) -> usize {
    app.session().connections().count() + HEADER
}

/// The first row to draw: where the panel's scroll says, moved just enough to keep the
/// selected row in view (the shell's scroll does not follow `j`/`k` by itself).
fn first_row(app: &App, count: usize, height: usize) -> usize {
    let window = kit::window(app.scroll(Panel::Connections), count, HEADER, height);
    let selected =
        app.selected().and_then(|id| app.session().connections().position(|c| c.id == id));
    match selected {
        Some(row) if window.rows == 0 => row,
        Some(row) if row < window.top => row,
        Some(row) if row >= window.top + window.rows => row + 1 - window.rows,
        _ => window.top,
    }
}
