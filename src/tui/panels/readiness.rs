//! Readiness: each poll round as two sources tell it, beside the HOWTO's potential readers and
//! writers.
//!
//! epoll (the engine's poll, edge-triggered) reports changes: `in`, `out`, `err`, `rdhup` and
//! `hup` are mio's readable, writable, error, read-closed (`EPOLLRDHUP` with `EPOLLIN`, or
//! `EPOLLHUP`) and write-closed (`EPOLLHUP`, or an `EPOLLERR`) edges. `select()` is
//! level-triggered: its three lists (readable, writable, exceptional) are what it would return
//! for the interest sets at that moment, as the engine computed them (see
//! `docs/events.md`). An error is not
//! exceptional (that list is for out-of-band data): a reset socket is readable and writable.
//!
//! A fixed header gives the interest lists (`select()`'s input) and, when the panel is tall
//! enough, the last round from both sources. Below it, the history of rounds scrolls, newest at
//! the bottom, one line each: `#42 1.234s R[2 ~4] W[3] X[] err[5]`, where `R`, `W`, `X` are
//! `select()`'s lists and `err`, `rdhup`, `hup` epoll's edges (shown when present). In
//! `select()`'s lists a bold id came with an epoll edge this round; a dim `~id` had no new edge
//! and is listed because it is still ready (nobody drained it yet). A recording older than
//! format 2.1 has no `select()` view: its rounds show epoll's `in`/`out` edges and the
//! still-ready sockets instead.

use super::{Panel, kit, palette};
use crate::event::{ConnId, Readiness};
use crate::session::{Round, Session};
use crate::tui::App;
use crate::tui::layout;
use crate::tui::render_context::RenderContext;
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
pub fn render(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    let session = app.session();
    if session.connections().next().is_none() && session.last_round().is_none() {
        kit::draw_hint(frame, area, kit::no_sockets(app, cx));
        return;
    }
    let (width, height) = (usize::from(area.width), usize::from(area.height));
    let mut lines = vec![interest_line(session, width, cx)];
    if let Some(round) = session.last_round().filter(|_| shows_detail(session, height)) {
        lines.extend(detail_lines(round, width, cx));
    }
    let len = history_len(session);
    let window = kit::window(app.scroll(Panel::Readiness), len, lines.len(), height);
    lines.extend(history_lines(session, window, width, cx));
    kit::draw_lines(frame, area, lines);
}

/// Lines of content, for clamping the scroll: the fixed header and the history.
#[must_use]
pub fn line_count(app: &App) -> usize {
    let (width, height) = app.size();
    let session = app.session();
    let rows = layout::panel_rows(width, height, Panel::Readiness, app.arrangement());
    let detail = shows_detail(session, rows);
    history_len(session) + 1 + if detail { DETAIL_LINES } else { 0 }
}

fn shows_detail(session: &Session, height: usize) -> bool {
    height >= DETAIL_MIN_HEIGHT && session.last_round().is_some()
}

/// `interest R[2 4] W[3]`: the sockets the next poll asks about.
fn interest_line(session: &Session, width: usize, cx: &RenderContext) -> Line<'static> {
    let mut spans = vec![Span::styled("interest ", palette::header())];
    spans.extend(list("R", &session.potential_readers(), &[], width, cx));
    spans.push(Span::raw(" "));
    spans.extend(list("W", &session.potential_writers(), &[], width, cx));
    Line::from(spans)
}

/// The last round from both sources: epoll's edges, then `select()`'s three lists. A traced
/// program's round is one call's result: its header names the call, and only its lists
/// follow (`select()`'s for `select`, the edges for `poll` and `epoll_wait`).
fn detail_lines(round: &Round, width: usize, cx: &RenderContext) -> Vec<Line<'static>> {
    let ready = &round.readiness;
    let header = match &round.site {
        Some(site) => Span::styled(
            format!("  {} returned (pid {})", site.syscall, site.pid),
            palette::still(&cx.theme),
        ),
        None => Span::styled("  (~: no new edge)", palette::still(&cx.theme)),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("round {} @ {}", ready.round, kit::seconds(round.t_us)),
            palette::header(),
        ),
        header,
    ])];
    let traced_select = round.site.is_some() && ready.select.is_some();
    if !traced_select {
        lines.extend(edge_lines(ready, width, cx));
    }
    if let Some(select) = &ready.select {
        let (read, read_still) = by_edge(&select.readable, &ready.still_readable);
        let (write, write_still) = by_edge(&select.writable, &ready.still_writable);
        lines.push(labelled(
            "select() ",
            &[("read", &read, &read_still), ("write", &write, &write_still)],
            width,
            cx,
        ));
        lines.push(labelled("         ", &[("exceptional", &select.exceptional, &[])], width, cx));
    } else if round.site.is_none() {
        lines.push(Line::from(Span::styled(
            "select() not in this recording",
            palette::still(&cx.theme),
        )));
        lines.push(labelled(
            "still    ",
            &[("read", &[], &ready.still_readable), ("write", &[], &ready.still_writable)],
            width,
            cx,
        ));
    }
    lines
}

/// epoll's edges: `in`, `out`, `err`, then `rdhup` and `hup`.
fn edge_lines(ready: &Readiness, width: usize, cx: &RenderContext) -> [Line<'static>; 2] {
    [
        labelled(
            "epoll    ",
            &[
                ("in", &ready.readable, &[]),
                ("out", &ready.writable, &[]),
                ("err", &ready.error, &[]),
            ],
            width,
            cx,
        ),
        labelled(
            "         ",
            &[("rdhup", &ready.read_closed, &[]), ("hup", &ready.write_closed, &[])],
            width,
            cx,
        ),
    ]
}

/// `epoll    in 2 4  out 3  err -`: a label, then named lists sharing the width.
fn labelled(
    label: &'static str,
    lists: &[(&'static str, &[ConnId], &[ConnId])],
    width: usize,
    cx: &RenderContext,
) -> Line<'static> {
    let budget = width.saturating_sub(label.len()) / lists.len().max(1);
    let mut spans = vec![Span::raw(label)];
    for (index, (name, edges, still)) in lists.iter().enumerate() {
        let gap = if index > 0 { "  " } else { "" };
        spans.push(Span::raw(format!("{gap}{name} ")));
        spans.extend(ids_or_dash(edges, still, budget.saturating_sub(name.len() + 3), cx));
    }
    Line::from(spans)
}

/// A `select()` list split by the round's epoll report: the ids that came with an edge, and
/// those listed although no edge came (the still-ready ones).
fn by_edge(listed: &[ConnId], still: &[ConnId]) -> (Vec<ConnId>, Vec<ConnId>) {
    listed.iter().copied().partition(|id| !still.contains(id))
}

/// The history's lines: a note when old rounds were dropped, then one line per round.
fn history_len(session: &Session) -> usize {
    let kept = session.rounds().len();
    let dropped = session.rounds_total() > kept as u64;
    kept.max(1) + usize::from(dropped)
}

fn history_lines(
    session: &Session,
    window: kit::Window,
    width: usize,
    cx: &RenderContext,
) -> Vec<Line<'static>> {
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
            lines.push(Line::from(Span::styled(text, palette::still(&cx.theme))));
        }
        skip = skip.saturating_sub(1);
    }
    let take = window.rows - lines.len();
    for round in session.rounds().skip(skip).take(take) {
        lines.push(round_line(round, width, cx));
    }
    lines
}

/// `#42 1.234s R[2 ~4] W[3] X[]`: `select()`'s lists, then epoll's `err`, `rdhup` and `hup`
/// edges when the round reported any. Without a `select()` view (an old recording), epoll's
/// `in`/`out` edges and the still-ready sockets.
fn round_line(round: &Round, width: usize, cx: &RenderContext) -> Line<'static> {
    let ready: &Readiness = &round.readiness;
    let mut spans = vec![Span::raw(format!("#{} {} ", ready.round, kit::seconds(round.t_us)))];
    let lists: [(&'static str, Vec<ConnId>, Vec<ConnId>); 3] = match &ready.select {
        Some(select) => {
            let (read, read_still) = by_edge(&select.readable, &ready.still_readable);
            let (write, write_still) = by_edge(&select.writable, &ready.still_writable);
            [
                ("R", read, read_still),
                ("W", write, write_still),
                ("X", select.exceptional.clone(), Vec::new()),
            ]
        }
        None => [
            ("in", ready.readable.clone(), ready.still_readable.clone()),
            ("out", ready.writable.clone(), ready.still_writable.clone()),
            ("err", ready.error.clone(), Vec::new()),
        ],
    };
    for (index, (label, edges, still)) in lists.iter().enumerate() {
        if index > 0 {
            spans.push(Span::raw(" "));
        }
        spans.extend(list(label, edges, still, width, cx));
    }
    let err = if ready.select.is_some() { Some(("err", &ready.error)) } else { None };
    let epoll =
        err.into_iter().chain([("rdhup", &ready.read_closed), ("hup", &ready.write_closed)]);
    for (label, edges) in epoll {
        if !edges.is_empty() {
            spans.push(Span::raw(" "));
            spans.extend(list(label, edges, &[], width, cx));
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
    cx: &RenderContext,
) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw(format!("{label}["))];
    spans.extend(ids(edges, still, budget, cx));
    spans.push(Span::raw("]"));
    spans
}

/// Edges bold, still-ready ids dim with `~`, `-` when empty. Stops after about `budget` cells
/// with `…`: a round may name thousands of sockets, and only a line's worth can show.
fn ids(
    edges: &[ConnId],
    still: &[ConnId],
    budget: usize,
    cx: &RenderContext,
) -> Vec<Span<'static>> {
    let tagged = edges.iter().map(|id| (id, "", palette::edge()));
    let tagged = tagged.chain(still.iter().map(|id| (id, "~", palette::still(&cx.theme))));
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (index, (id, tag, style)) in tagged.enumerate() {
        if used >= budget {
            spans.push(ui_span(cx.glyphs, " …", Style::new()));
            break;
        }
        let text = format!("{}{tag}{}", if index > 0 { " " } else { "" }, id.0);
        used += text.len();
        spans.push(Span::styled(text, style));
    }
    spans
}

/// Like [`ids`], but an empty list says `-` (a bare label would look unfinished).
fn ids_or_dash(
    edges: &[ConnId],
    still: &[ConnId],
    budget: usize,
    cx: &RenderContext,
) -> Vec<Span<'static>> {
    if edges.is_empty() && still.is_empty() {
        vec![Span::raw("-")]
    } else {
        ids(edges, still, budget, cx)
    }
}
