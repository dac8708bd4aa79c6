//! Calls: every recv/send/accept call of the selected connection and what it returned,
//! partial counts and `WouldBlock` included.
//!
//! A header line names the connection; below it the calls scroll, oldest first, each with its
//! time since the session started: `  0.512s recv(65536) -> 17`. The list follows its end
//! (newest at the bottom) unless scrolled. When the bounded log dropped old calls, its first
//! line says how many. Only the visible calls are formatted: `Calls::get` is by index.
//! Surprising results carry a short "why" note (`:why off` hides them).

mod why;

use super::{Panel, kit, palette};
use crate::session::{Call, Connection};
use crate::tui::App;
use crate::tui::glyphs::{self, Glyphs};
use crate::tui::text::{fit, peer_text_span, ui_span};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The line naming the connection.
const HEADER: usize = 1;

/// Draws the content inside the panel's block.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let conn = match kit::selected_connection(app) {
        Ok(conn) => conn,
        Err(hint) => return kit::draw_hint(frame, area, hint),
    };
    let len = document_len(conn);
    let window = kit::window(app.scroll(Panel::Calls), len, HEADER, usize::from(area.height));
    let time_width = kit::seconds(app.session().now_us()).len();
    let mut lines = vec![header(conn)];
    let dropped = conn.calls().dropped();
    let mut first = window.top;
    if dropped > 0 {
        if first == 0 && window.rows > 0 {
            let note = format!("{dropped} earlier calls not kept");
            lines.push(Line::from(Span::styled(note, palette::still())));
        }
        first = first.saturating_sub(1);
    }
    let rows = window.rows.saturating_sub(lines.len() - HEADER);
    let calls = (first..).map_while(|index| conn.calls().get(index)).take(rows);
    let notes = app.why_notes().then_some(usize::from(area.width));
    lines.extend(calls.map(|call| call_line(call, time_width, notes)));
    kit::draw_lines(frame, area, lines);
}

/// Lines of content, for clamping the scroll: the header, the dropped-calls note, the calls.
#[must_use]
pub fn line_count(app: &App) -> usize {
    kit::selected_connection(app).map_or(1, |conn| document_len(conn) + HEADER)
}

/// The scrolling part: the note about dropped calls (if any) and the kept calls.
fn document_len(conn: &Connection) -> usize {
    conn.calls().len() + usize::from(conn.calls().dropped() > 0)
}

/// `#2 accepted · 42 calls`.
fn header(conn: &Connection) -> Line<'static> {
    let total = conn.calls().total();
    let text =
        format!("{} {} · {total} call{}", conn.id, conn.role, if total == 1 { "" } else { "s" });
    Line::from(ui_span(&text, palette::header()))
}

/// `  0.512s recv(65536) -> 17`. The call's text can quote an error message or a Unix path
/// from a recording, so it is escaped like peer text.
/// With notes on (`notes`: the panel's width), a short "why" follows surprising results
/// (`recv -> 0 (EOF)  ← the peer will send nothing more; you may still send`), cut with an
/// ellipsis where the panel ends, so a cut note says so.
fn call_line(call: &Call, time_width: usize, notes: Option<usize>) -> Line<'static> {
    let time = format!("{:>time_width$} ", kit::seconds(call.t_us));
    let mut spans = vec![
        Span::styled(time, palette::still()),
        peer_text_span(&call.kind.to_string(), palette::call(&call.kind)),
    ];
    if let (Some(width), Some(note)) = (notes, why::note(&call.kind)) {
        let glyphs = glyphs::current();
        // The arrow key's stand-in is a word (`Left`); here an arrow is meant.
        let arrow = if glyphs == Glyphs::Ascii { "<-" } else { "←" };
        let room = width.saturating_sub(spans.iter().map(Span::width).sum());
        spans.push(ui_span(&fit(&format!("  {arrow} {note}"), room, glyphs), palette::why()));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::CallKind;

    fn text(line: &Line<'_>) -> String {
        line.spans.iter().map(|span| span.content.as_ref()).collect()
    }

    #[test]
    fn a_why_note_that_does_not_fit_ends_with_an_ellipsis() {
        let eof = Call { t_us: 1_500_000, kind: CallKind::Eof };
        let wide = text(&call_line(&eof, 6, Some(120)));
        assert!(wide.ends_with("you may still send"), "{wide}");
        let narrow = text(&call_line(&eof, 6, Some(40)));
        assert_eq!(Span::raw(narrow.as_str()).width(), 40, "{narrow}");
        assert!(narrow.ends_with('…'), "{narrow}");
        assert!(!text(&call_line(&eof, 6, None)).contains('←'), "notes off");
    }

    #[test]
    fn in_ascii_the_note_points_with_an_ascii_arrow() {
        let eof = Call { t_us: 0, kind: CallKind::Eof };
        let line = glyphs::drawing_with(Glyphs::Ascii, || text(&call_line(&eof, 6, Some(200))));
        assert!(line.contains("  <- the peer will send nothing more"), "{line}");
        assert!(line.is_ascii(), "{line}");
    }
}
