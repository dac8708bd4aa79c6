//! The messages intercepts hold (`H`): one line each (number, pair, direction, size and an
//! escaped preview), the highlighted one's bytes below, the directions being intercepted on
//! top; and the status bar's badge while anything is intercepted.
//!
//! The highlighted line is reversed *and* starts with `>`, so neither rests on colour alone.
//! It is an overlay rather than a panel: it matters only while something is held, and it
//! needs the keys (`Enter`, `e`, `D`) that the main view gives to other things.

use super::centered;
use crate::session::HeldMessage;
use crate::tui::App;
use crate::tui::render_context::RenderContext;
use crate::tui::text::{peer_span, peer_text_span, ui_span};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Wrap};

/// Rows under the list for the highlighted message's bytes.
const DETAIL_ROWS: u16 = 4;
/// Widest the box gets.
const MAX_WIDTH: u16 = 110;
/// Most list rows the box asks for; longer lists scroll with the highlight.
const MAX_LIST_ROWS: u16 = 12;

/// Draws the list with `at` highlighted (clamped to the list).
pub fn render(frame: &mut Frame, area: Rect, app: &App, at: usize, cx: &RenderContext) {
    let held = app.session().held_messages();
    let at = at.min(held.len().saturating_sub(1));
    let list_rows = u16::try_from(held.len()).unwrap_or(u16::MAX).clamp(1, MAX_LIST_ROWS);
    let height = list_rows.saturating_add(DETAIL_ROWS + 4);
    let box_area = centered(area, MAX_WIDTH.min(area.width.saturating_sub(4)), height);
    let block = Block::bordered()
        .title(" Held messages ")
        .title_bottom(
            Line::from(" Enter forwards  e edits  x edits hex  D drops  A forwards all  Esc ")
                .right_aligned(),
        )
        .border_style(cx.theme.overlay_border())
        .padding(Padding::horizontal(1));
    let inner = block.inner(box_area);
    frame.render_widget(Clear, box_area);
    frame.render_widget(block, box_area);
    let [intercepts, list, _, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(DETAIL_ROWS),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(intercepting(app, cx)).style(cx.theme.dim()), intercepts);
    if held.is_empty() {
        let text = "nothing is held: bytes flow until a message matches";
        frame.render_widget(Paragraph::new(text).style(cx.theme.dim()), list);
        return;
    }
    let rows = usize::from(list.height);
    let top = (at + 1).saturating_sub(rows);
    let lines: Vec<Line> = (held.iter().enumerate().skip(top).take(rows))
        .map(|(index, (conn, message))| row(*conn, message, index == at, cx))
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
    if let Some((_, message)) = held.get(at) {
        let text = Line::from(peer_span(cx.glyphs, &message.data, Style::new()));
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), detail);
    }
}

/// `> h3  #2 up    17 B  "GET / HTTP/1.1\r\n..."`.
fn row(
    conn: crate::event::ConnId,
    message: &HeldMessage,
    highlighted: bool,
    cx: &RenderContext,
) -> Line<'static> {
    let pointer = if highlighted { ">" } else { " " };
    let (id, conn, dir) = (message.id.to_string(), conn.to_string(), message.dir.name());
    let head = format!("{pointer} {id:<6}{conn:<6}{dir:<5}{:>7} B  ", message.data.len());
    let style = if highlighted {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        Style::new()
    };
    Line::from(vec![
        ui_span(cx.glyphs, &head, Style::new()),
        peer_span(cx.glyphs, &message.data, cx.theme.dim()),
    ])
    .style(style)
}

/// `intercepting: #2 up (line, re:^GET)  #2 down (raw, every message)`.
fn intercepting(app: &App, cx: &RenderContext) -> Line<'static> {
    let mut spans = vec![Span::raw("intercepting:")];
    for conn in app.session().connections().filter(|conn| !conn.is_closed()) {
        for on in &conn.intercepts.on {
            let pattern = if on.pattern.is_empty() { "every message" } else { &on.pattern };
            let scope = if conn.is_listener() { " new pairs" } else { "" };
            spans.push(Span::raw(format!(" {}{scope} {} (", conn.id, on.dir.name())));
            spans.push(peer_text_span(
                cx.glyphs,
                &format!("{}, {pattern}", on.framing),
                Style::new(),
            ));
            spans.push(Span::raw(")"));
        }
    }
    if spans.len() == 1 {
        spans.push(Span::raw(" nothing (:intercept [up|down] [PATTERN])"));
    }
    Line::from(spans)
}

/// ` INTERCEPT 2 held: H ` while a direction is intercepted or a message is held.
#[must_use]
pub fn badge(app: &App, cx: &RenderContext) -> Option<Span<'static>> {
    let (on, held) = app.intercept_counts();
    (on > 0 || held > 0)
        .then(|| Span::styled(format!(" INTERCEPT {held} held: H "), cx.theme.warning()))
}
