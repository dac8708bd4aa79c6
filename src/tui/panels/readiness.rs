//! Readiness: what each poll round reported (edges) and what is still ready (level), beside
//! the HOWTO's potential readers and writers.
//!
//! A fixed header gives the interest lists (what the engine asks `poll` about: `select()`'s
//! input) and, when the panel is tall enough, the last round as the HOWTO's three lists. Below
//! it, the history of rounds scrolls, newest at the bottom, one line each:
//! `#42 1.234s R[2 ~4] W[3] E[]`. In every list a bold id arrived as an edge this round; a
//! dim `~id` is still ready from an earlier round because nobody drained it yet (what a
//! level-triggered `select()` would list too).

use super::{Panel, kit, palette};
use crate::event::{ConnId, Readiness};
use crate::session::{Round, Session};
use crate::tui::App;
use crate::tui::layout;
use crate::tui::text::ui_span;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Panels at least this tall show the last round as the HOWTO's lists above the history.
const DETAIL_MIN_HEIGHT: usize = 10;
/// Lines of that block.
const DETAIL_LINES: usize = 5;

/// Draws the content inside the panel's block.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let session = app.session();
    if session.connections().next().is_none() && session.last_round().is_none() {
        kit::draw_hint(frame, area, kit::no_sockets(app));
        return;
    }
    let (width, height) = (usize::from(area.width), usize::from(area.height));
    let mut lines = vec![interest_line(session, width)];
    if let Some(round) = session.last_round().filter(|_| shows_detail(session, height)) {
        lines.extend(detail_lines(round, width));
    }
    let len = history_len(session);
    let window = kit::window(app.scroll(Panel::Readiness), len, lines.len(), height);
    lines.extend(history_lines(session, window, width));
    kit::draw_lines(frame, area, lines);
}

/// Lines of content, for clamping the scroll: the fixed header and the history.
#[must_use]
pub fn line_count(app: &App) -> usize {
    let (width, height) = app.size();
    let session = app.session();
    let rows = layout::panel_rows(width, height, Panel::Readiness, app.lesson().is_some());
    let detail = shows_detail(session, rows);
    history_len(session) + 1 + if detail { DETAIL_LINES } else { 0 }
}

fn shows_detail(session: &Session, height: usize) -> bool {
    height >= DETAIL_MIN_HEIGHT && session.last_round().is_some()
}

/// `interest R[2 4] W[3]`: the sockets the next poll asks about.
fn interest_line(session: &Session, width: usize) -> Line<'static> {
    let mut spans = vec![Span::styled("interest ", palette::header())];
    spans.extend(list("R", &session.potential_readers(), &[], width));
    spans.push(Span::raw(" "));
    spans.extend(list("W", &session.potential_writers(), &[], width));
    Line::from(spans)
}

/// The last round as the HOWTO's three lists, plus the half-closes it reported.
fn detail_lines(round: &Round, width: usize) -> Vec<Line<'static>> {
    let ready = &round.readiness;
    let row = |label: &'static str, edges: &[ConnId], still: &[ConnId]| {
        let mut spans = vec![Span::raw(label)];
        spans.extend(ids_or_dash(edges, still, width));
        Line::from(spans)
    };
    let mut closed = vec![Span::raw("closed          read ")];
    closed.extend(ids_or_dash(&ready.read_closed, &[], width / 2));
    closed.push(Span::raw("  write "));
    closed.extend(ids_or_dash(&ready.write_closed, &[], width / 2));
    vec![
        Line::from(vec![
            Span::styled(
                format!("round {} @ {}", ready.round, kit::seconds(round.t_us)),
                palette::header(),
            ),
            Span::styled("  (~: still ready)", palette::still()),
        ]),
        row("ready to read   ", &ready.readable, &ready.still_readable),
        row("ready to write  ", &ready.writable, &ready.still_writable),
        row("in error        ", &ready.error, &[]),
        Line::from(closed),
    ]
}

/// The history's lines: a note when old rounds were dropped, then one line per round.
fn history_len(session: &Session) -> usize {
    let kept = session.rounds().len();
    let dropped = session.rounds_total() > kept as u64;
    kept.max(1) + usize::from(dropped)
}

fn history_lines(session: &Session, window: kit::Window, width: usize) -> Vec<Line<'static>> {
    let kept = session.rounds().len();
    let dropped = session.rounds_total().saturating_sub(kept as u64);
    let mut lines = Vec::new();
    let mut skip = window.top;
    if dropped > 0 || kept == 0 {
        if skip == 0 && window.rows > 0 {
            let text = if kept == 0 {
                "no poll round yet".to_string()
            } else {
                format!("{dropped} earlier rounds not kept")
            };
            lines.push(Line::from(Span::styled(text, palette::still())));
        }
        skip = skip.saturating_sub(1);
    }
    let take = window.rows - lines.len();
    for round in session.rounds().skip(skip).take(take) {
        lines.push(round_line(round, width));
    }
    lines
}

/// `#42 1.234s R[2 ~4] W[3] E[]`, plus `rc[..]`/`wc[..]` when the round reported half-closes.
fn round_line(round: &Round, width: usize) -> Line<'static> {
    let ready: &Readiness = &round.readiness;
    let mut spans = vec![Span::raw(format!("#{} {} ", ready.round, kit::seconds(round.t_us)))];
    spans.extend(list("R", &ready.readable, &ready.still_readable, width));
    spans.push(Span::raw(" "));
    spans.extend(list("W", &ready.writable, &ready.still_writable, width));
    spans.push(Span::raw(" "));
    spans.extend(list("E", &ready.error, &[], width));
    for (label, closed) in [("rc", &ready.read_closed), ("wc", &ready.write_closed)] {
        if !closed.is_empty() {
            spans.push(Span::raw(" "));
            spans.extend(list(label, closed, &[], width));
        }
    }
    Line::from(spans)
}

/// `R[2 ~4]`.
fn list(
    label: &'static str,
    edges: &[ConnId],
    still: &[ConnId],
    budget: usize,
) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw(format!("{label}["))];
    spans.extend(ids(edges, still, budget));
    spans.push(Span::raw("]"));
    spans
}

/// Edges bold, still-ready ids dim with `~`, `-` when empty. Stops after about `budget` cells
/// with `…`: a round may name thousands of sockets, and only a line's worth can show.
fn ids(edges: &[ConnId], still: &[ConnId], budget: usize) -> Vec<Span<'static>> {
    let tagged = edges.iter().map(|id| (id, "", palette::edge()));
    let tagged = tagged.chain(still.iter().map(|id| (id, "~", palette::still())));
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (index, (id, tag, style)) in tagged.enumerate() {
        if used >= budget {
            spans.push(ui_span(" …", Style::new()));
            break;
        }
        let text = format!("{}{tag}{}", if index > 0 { " " } else { "" }, id.0);
        used += text.len();
        spans.push(Span::styled(text, style));
    }
    spans
}

/// Like [`ids`], but an empty list says `-` (a bare label would look unfinished).
fn ids_or_dash(edges: &[ConnId], still: &[ConnId], budget: usize) -> Vec<Span<'static>> {
    if edges.is_empty() && still.is_empty() {
        vec![Span::raw("-")]
    } else {
        ids(edges, still, budget)
    }
}
