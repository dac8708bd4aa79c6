//! Calls: every recv/send/accept call of the selected connection and what it returned,
//! partial counts and `WouldBlock` included.
//!
//! A header line names the connection; below it the calls scroll, oldest first, each with its
//! time since the session started: `  0.512s recv(65536) -> 17`. The list follows its end
//! (newest at the bottom) unless scrolled. When the bounded log dropped old calls, its first
//! line says how many. Surprising results carry a short "why" note (`:why off` hides them).
//!
//! Nothing is cut: a call or a note wider than the panel wraps onto the next rows
//! ([`wrap`]), so the panel scrolls by rows, not calls. [`CallRows`] knows where each call
//! starts; only the calls on screen are laid out for drawing.

mod rows;
mod why;
mod wrap;

pub use rows::CallRows;

use super::{Panel, kit, palette};
use crate::event::{FaultDir, FaultKind};
use crate::session::Connection;
use crate::tui::App;
use crate::tui::layout;
use crate::tui::render_context::RenderContext;
use crate::tui::text::ui_span;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use std::fmt::Write as _;

/// The line naming the connection.
const HEADER: usize = 1;

/// Draws the content inside the panel's block.
pub fn render(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    let conn = match kit::selected_connection(app, cx) {
        Ok(conn) => conn,
        Err(hint) => return kit::draw_hint(frame, area, hint),
    };
    let shape = shape_of(app, usize::from(area.width), cx);
    let mut rows = app.call_rows().borrow_mut();
    rows.refresh(conn.id, conn.calls(), shape);
    let dropped = usize::from(conn.calls().dropped() > 0);
    let len = document_len(conn, &rows);
    let window = kit::window(app.scroll(Panel::Calls), len, HEADER, usize::from(area.height));
    let mut lines = vec![header(conn, app.session().connection_faults(conn), cx)];
    // A traced call on this socket that has not returned: in progress, with its wait so far.
    if let Some(blocked) = app.session().blocked_calls().iter().find(|b| b.conn == Some(conn.id)) {
        let text = crate::tui::view::blocked_text(blocked, app.clock_us());
        let text = format!("in progress: {}", text.trim_start_matches("│ ").trim_end());
        lines[0].spans.push(ui_span(cx.glyphs, &format!(" · {text}"), palette::header()));
    }
    if window.top < dropped && window.rows > 0 {
        let note = format!("{} earlier calls not kept", conn.calls().dropped());
        lines.push(Line::from(Span::styled(note, palette::still(&cx.theme))));
    }
    let first_row = window.top.saturating_sub(dropped) as u64;
    let wanted = window.rows + HEADER;
    if let Some((mut index, mut skip)) = rows.locate(first_row) {
        while lines.len() < wanted {
            let Some(call) = conn.calls().get(index) else { break };
            let call_rows = wrap::rows(call, shape, &cx.theme);
            let room = wanted - lines.len();
            lines.extend(call_rows.into_iter().skip(kit::to_usize(skip)).take(room));
            (index, skip) = (index + 1, 0);
        }
    }
    kit::draw_lines(frame, area, lines);
}

/// Lines of content, for clamping the scroll: the header, the dropped-calls note and the rows
/// the calls take at the panel's width in the shell's layout.
#[must_use]
pub fn line_count(app: &App, cx: &RenderContext) -> usize {
    let Ok(conn) = kit::selected_connection(app, cx) else { return 1 };
    let Some(width) = content_width(app) else { return HEADER };
    let mut rows = app.call_rows().borrow_mut();
    rows.refresh(conn.id, conn.calls(), shape_of(app, width, cx));
    document_len(conn, &rows) + HEADER
}

/// How the calls are laid out in `width` cells now.
fn shape_of(app: &App, width: usize, cx: &RenderContext) -> wrap::Shape {
    let time_width = kit::seconds(app.session().now_us()).len();
    wrap::shape(width, time_width, app.why_notes().then_some(app.lang()), cx.glyphs)
}

/// The scrolling part: the note about dropped calls (if any) and the calls' rows.
fn document_len(conn: &Connection, rows: &CallRows) -> usize {
    kit::to_usize(rows.len()).saturating_add(usize::from(conn.calls().dropped() > 0))
}

/// The Calls panel's content width in the shell's layout (`None` when it is not drawn).
fn content_width(app: &App) -> Option<usize> {
    let (width, height) = app.size();
    let areas = layout::areas(Rect::new(0, 0, width, height), app.arrangement())?;
    Some(usize::from(Block::bordered().inner(areas.panel(Panel::Calls)).width))
}

/// `#2 accepted · 42 calls`, and the pair's active faults: `· faults: up slice=1 delay=10ms`.
fn header(
    conn: &Connection,
    faults: &[(FaultDir, FaultKind, String)],
    cx: &RenderContext,
) -> Line<'static> {
    let total = conn.calls().total();
    let mut text =
        format!("{} {} · {total} call{}", conn.id, conn.role, if total == 1 { "" } else { "s" });
    if !faults.is_empty() {
        text.push_str(" · faults:");
        for dir in [FaultDir::Up, FaultDir::Down] {
            let specs: Vec<&str> =
                faults.iter().filter(|f| f.0 == dir).map(|f| f.2.as_str()).collect();
            if !specs.is_empty() {
                let _ = write!(text, " {} {}", dir.name(), specs.join(" "));
            }
        }
    }
    Line::from(ui_span(cx.glyphs, &text, palette::header()))
}
