//! Data: the selected connection's bytes in both directions, as escaped text or hex, with the
//! boundary of every `recv`/`send` chunk.
//!
//! Two directions, side by side: received bytes (`<`, cyan) on the left, sent bytes (`>`,
//! green) on the right, each with a header line (size, bytes no longer in memory, the message
//! in progress). A direction that never moved a byte gives its room to the other. Side by side
//! rather than one above the other because each pane then has the panel's full height, so one
//! page of the shared scroll is one page of each pane (stacked halves would skip half a page
//! per `PgDn`); interleaving the two in time order cannot be addressed without a pass over
//! every chunk.
//!
//! Virtualised: each pane is a [`doc::Doc`], rows of a fixed number of bytes with one separator
//! line before the row where a chunk starts, so the page at any scroll position is found by
//! binary search and drawn from one `Stream::read` of the visible rows. Both panes share the
//! panel's scroll: `End` (follow) shows the end of each, `Home` the start of each, and
//! `PgUp`/`PgDn` move both (the shorter one stops at its end).

mod doc;
mod rows;

use super::{Panel, kit, palette};
use crate::event::Dir;
use crate::session::{Connection, Stream};
use crate::tui::text::ui_span;
use crate::tui::{App, DataView, layout, model, theme};
use doc::{Doc, DocLine};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use rows::{Marks, Painter};
use std::fmt::Write as _;

/// Each pane's header line.
const HEADER: usize = 1;

/// One direction's part of the panel (header line included).
#[derive(Clone, Copy, Debug)]
struct Pane<'a> {
    dir: Dir,
    area: Rect,
    doc: Doc<'a>,
    digits: usize,
    /// The other direction has no bytes at all.
    alone: bool,
}

/// Where the Inspector reads: the first byte of a pane's visible page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageStart {
    pub dir: Dir,
    pub offset: u64,
}

/// Draws the content inside the panel's block.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let conn = match kit::selected_connection(app) {
        Ok(conn) => conn,
        Err(hint) => return kit::draw_hint(frame, area, hint),
    };
    let panes = panes(conn, area, app.data_view());
    if panes.is_empty() {
        let text = if conn.is_listener() {
            format!("{} is a listener: it accepts connections and moves no bytes", conn.id)
        } else {
            format!("no bytes moved on {} yet", conn.id)
        };
        return kit::draw_hint(frame, area, Line::from(ui_span(&text, theme::dim())));
    }
    let window = shared_window(app, &panes, area.height);
    for pane in &panes {
        draw_pane(frame, pane, window, app.data_view(), marks(app, conn, pane.dir));
    }
    if let [left, _] = panes.as_slice() {
        let divider = Rect::new(left.area.right(), area.y, 1.min(area.width), area.height);
        let bar = vec![Line::from(Span::styled("│", theme::dim())); usize::from(area.height)];
        kit::draw_lines(frame, divider, bar);
    }
}

/// Lines of content, for clamping the scroll: the longer pane's document and its header.
#[must_use]
pub fn line_count(app: &App) -> usize {
    let (Ok(conn), Some(area)) = (kit::selected_connection(app), content_area(app)) else {
        return 1;
    };
    let panes = panes(conn, area, app.data_view());
    kit::to_usize(longest(&panes)).saturating_add(HEADER)
}

/// The cursor and selection of `conn`'s `dir` pane, if the cursor is there.
fn marks(app: &App, conn: &Connection, dir: Dir) -> Marks {
    match app.cursor() {
        Some(cursor) if cursor.conn == conn.id && cursor.dir == dir => Marks {
            cursor: Some(cursor.offset),
            selection: if cursor.has_selection() { cursor.selection() } else { 0..0 },
        },
        _ => Marks::default(),
    }
}

/// Where a byte's row is in its pane now: for moving the cursor by rows and keeping it in
/// view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    pub bytes_per_row: u64,
    /// The document line of the row holding the byte (the panel's scroll counts these).
    pub line: usize,
    /// The pane's first visible document line and how many it shows.
    pub top: usize,
    pub rows: usize,
}

/// Where byte `offset` of `conn`'s `dir` pane is laid out (`None` when that pane is not
/// drawn).
#[must_use]
pub fn place(app: &App, conn: &Connection, dir: Dir, offset: u64) -> Option<Place> {
    let panes = panes(conn, content_area(app)?, app.data_view());
    let pane = panes.iter().find(|pane| pane.dir == dir)?;
    let window = shared_window(app, &panes, pane.area.height);
    Some(Place {
        bytes_per_row: pane.doc.bytes_per_row,
        line: kit::to_usize(pane.doc.line_of_offset(offset)),
        top: kit::to_usize(pane_top(pane, window)),
        rows: window.rows,
    })
}

/// The first byte of the first pane's visible page (received bytes when there are any):
/// where the Inspector reads while there is no cursor, and where a new cursor starts.
#[must_use]
pub fn page_start(app: &App, conn: &Connection) -> Option<PageStart> {
    let panes = panes(conn, content_area(app)?, app.data_view());
    let pane = panes.first()?;
    let window = shared_window(app, &panes, pane.area.height);
    let top = pane_top(pane, window);
    let row = pane.doc.lines_from(top).find_map(|line| match line {
        DocLine::Row(row) => Some(row),
        DocLine::Separator(_) => None,
    })?;
    let stream = pane.doc.stream;
    let offset = pane.doc.row_range(row).start.max(stream.retained().start);
    (offset < stream.total()).then_some(PageStart { dir: pane.dir, offset })
}

/// The Data panel's content area in the shell's layout (`None` when it is not drawn).
fn content_area(app: &App) -> Option<Rect> {
    let (width, height) = app.size();
    let areas = layout::areas(Rect::new(0, 0, width, height), app.lesson().is_some())?;
    Some(Block::bordered().inner(areas.panel(Panel::Data)))
}

/// The panes of `conn` in `area`: the directions that moved bytes, received first.
fn panes(conn: &Connection, area: Rect, view: DataView) -> Vec<Pane<'_>> {
    let dirs: Vec<Dir> = [Dir::In, Dir::Out].into_iter().filter(|&d| conn.bytes(d) > 0).collect();
    let areas = match dirs.len() {
        1 => vec![area],
        2 => {
            let left = area.width.saturating_sub(1) / 2;
            let right = area.width.saturating_sub(left + 1);
            let right_x = area.x + area.width - right;
            vec![Rect { width: left, ..area }, Rect { x: right_x, width: right, ..area }]
        }
        _ => Vec::new(),
    };
    let alone = dirs.len() == 1;
    dirs.into_iter()
        .zip(areas)
        .map(|(dir, area)| pane(conn.stream(dir), dir, area, view, alone))
        .collect()
}

fn pane(stream: &Stream, dir: Dir, area: Rect, view: DataView, alone: bool) -> Pane<'_> {
    let digits = rows::offset_digits(stream.total());
    let bytes_per_row = rows::bytes_per_row(view, usize::from(area.width), digits);
    Pane { dir, area, doc: Doc::new(stream, bytes_per_row), digits, alone }
}

fn longest(panes: &[Pane<'_>]) -> u64 {
    panes.iter().map(|pane| pane.doc.len()).max().unwrap_or(0)
}

/// The window of the longest pane; the others clamp it to their own length ([`pane_top`]).
fn shared_window(app: &App, panes: &[Pane<'_>], height: u16) -> kit::Window {
    let len = kit::to_usize(longest(panes));
    kit::window(app.scroll(Panel::Data), len, HEADER, usize::from(height))
}

fn pane_top(pane: &Pane<'_>, window: kit::Window) -> u64 {
    (window.top as u64).min(pane.doc.len().saturating_sub(window.rows as u64))
}

fn draw_pane(
    frame: &mut Frame,
    pane: &Pane<'_>,
    window: kit::Window,
    view: DataView,
    marks: Marks,
) {
    let visible: Vec<DocLine> =
        pane.doc.lines_from(pane_top(pane, window)).take(window.rows).collect();
    let mut rows = visible.iter().filter_map(|line| match line {
        DocLine::Row(row) => Some(*row),
        DocLine::Separator(_) => None,
    });
    let (first, last) = (rows.next(), rows.next_back());
    let last = last.or(first);
    let mut bytes = Vec::new();
    let mut bytes_start = 0;
    if let (Some(first), Some(last)) = (first, last) {
        let range = pane.doc.row_range(first).start.saturating_sub(rows::UTF8_MARGIN)
            ..pane.doc.row_range(last).end.saturating_add(rows::UTF8_MARGIN);
        bytes_start = pane.doc.stream.read(range, &mut bytes).start;
    }
    let painter = Painter {
        dir: pane.dir,
        view,
        doc: pane.doc,
        digits: pane.digits,
        width: usize::from(pane.area.width),
        bytes: &bytes,
        bytes_start,
        marks,
    };
    let mut lines = vec![header(pane, &painter.marks)];
    let mut cut_rows = Vec::new();
    for (index, line) in visible.iter().enumerate() {
        lines.push(match *line {
            DocLine::Separator(chunk) => painter.separator(&pane.doc.stream.chunks()[chunk]),
            DocLine::Row(row) => {
                let (line, cut) = painter.row(row);
                if cut {
                    cut_rows.push(index + HEADER);
                }
                line
            }
        });
    }
    kit::draw_lines(frame, pane.area, lines);
    mark_cut_rows(frame, pane.area, &cut_rows);
}

/// A `…` in the last cell of each row whose text did not fit.
fn mark_cut_rows(frame: &mut Frame, area: Rect, rows: &[usize]) {
    let Some(x) = area.right().checked_sub(1).filter(|_| !area.is_empty()) else { return };
    for &row in rows {
        let y = area.y.saturating_add(u16::try_from(row).unwrap_or(u16::MAX));
        if y < area.bottom() {
            frame.buffer_mut()[(x, y)].set_symbol("…").set_style(theme::dim());
        }
    }
}

/// `< in 1.2 KiB · 56.0 MiB no longer in memory · next message 7/12 B`.
fn header(pane: &Pane<'_>, marks: &Marks) -> Line<'static> {
    let stream = pane.doc.stream;
    let name = pane.dir.name();
    let mut text =
        format!("{} {name} {}", palette::dir_marker(pane.dir), model::compact_size(stream.total()));
    if let Some(cursor) = marks.cursor {
        let _ = write!(text, " · cursor {cursor:#x}");
        let selected = marks.selection.end - marks.selection.start;
        if selected > 0 {
            let _ = write!(text, ", {selected} B selected");
        }
    }
    if stream.dropped() > 0 {
        let _ = write!(text, " · {} no longer in memory", model::compact_size(stream.dropped()));
    }
    if let Some(partial) = stream.partial() {
        let _ = match partial.need {
            Some(need) => write!(text, " · next message {}/{need} B", partial.have),
            None => write!(text, " · next message {} B so far", partial.have),
        };
    }
    if stream.framing_error().is_some() {
        text += " · framing error";
    }
    if pane.alone {
        text += if pane.dir == Dir::In { " · nothing sent" } else { " · nothing received" };
    }
    Line::from(ui_span(&text, palette::dir(pane.dir).patch(palette::header())))
}
