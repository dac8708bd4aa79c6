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
//! Virtualised: each pane is a [`doc::Doc`] whose lines are named by stream offsets, so the
//! page at any position is found from that position alone and drawn from one `Stream::read`
//! of the visible rows. Each pane scrolls on its own ([`crate::tui::PaneTop`]): `End` (follow)
//! shows the end of each, `Home` the start of each, `PgUp`/`PgDn` move both by a page, and
//! the cursor scrolls only its own pane.
//!
//! Every byte a pane claims to show appears exactly once: text rows are laid out by display
//! width and wrap, never cut; each row starts with its offset.

mod doc;
mod rows;
mod scroll;

use super::{Panel, kit, palette};
use crate::event::Dir;
use crate::session::{Connection, Stream};
use crate::tui::render_context::RenderContext;
use crate::tui::text::{fit, repertoire, ui_span};
use crate::tui::{App, DataView, PaneTop, glyphs, layout, model};
/// The follow view lays out its turns with the text view's document and paints its rows as
/// the text view does.
pub(super) use doc::text::TextDoc;
use doc::{Doc, Line as DocLine};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
pub(super) use rows::{Marks, Painter, offset_digits, text_width};
pub use scroll::{page_start, reveal, row_step, scroll_pages};
use std::fmt::Write as _;

/// Each pane's header line.
const HEADER: usize = 1;

/// One direction's part of the panel (header line included).
#[derive(Debug)]
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
pub fn render(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    let conn = match kit::selected_connection(app, cx) {
        Ok(conn) => conn,
        Err(hint) => return kit::draw_hint(frame, area, hint),
    };
    let panes = panes(conn, area, app.data_view(), cx.glyphs);
    if panes.is_empty() {
        let text = if let Some(text) = super::tls::no_plaintext_yet(conn) {
            text
        } else if conn.is_listener() {
            format!("{} is a listener: it accepts connections and moves no bytes", conn.id)
        } else {
            format!("no bytes moved on {} yet", conn.id)
        };
        return kit::draw_hint(frame, area, Line::from(ui_span(cx.glyphs, &text, cx.theme.dim())));
    }
    for pane in &panes {
        let page = pane.page(app.data_top(pane.dir));
        draw_pane(frame, pane, &page, app.data_view(), marks(app, conn, pane.dir), cx);
    }
    if let [left, _] = panes.as_slice() {
        let divider = Rect::new(left.area.right(), area.y, 1.min(area.width), area.height);
        let bar = vec![Line::from(Span::styled("│", cx.theme.dim())); usize::from(area.height)];
        kit::draw_lines(frame, divider, bar);
    }
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

/// The Data panel's content area in the shell's layout (`None` when it is not drawn).
fn content_area(app: &App) -> Option<Rect> {
    let (width, height) = app.size();
    let areas = layout::areas(Rect::new(0, 0, width, height), app.arrangement())?;
    Some(Block::bordered().inner(areas.panel(Panel::Data)))
}

/// The panes of `conn` in `area`: the directions that moved bytes, received first.
fn panes(conn: &Connection, area: Rect, view: DataView, glyphs: glyphs::Glyphs) -> Vec<Pane<'_>> {
    // An empty datagram moved no byte but is a datagram all the same: its pane is shown.
    let moved = |dir: Dir| conn.stream(dir).total() > 0 || conn.stream(dir).empty_datagrams() > 0;
    let dirs: Vec<Dir> = [Dir::In, Dir::Out].into_iter().filter(|&d| moved(d)).collect();
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
        .map(|(dir, area)| pane(conn.stream(dir), dir, area, view, glyphs, alone))
        .collect()
}

fn pane(
    stream: &Stream,
    dir: Dir,
    area: Rect,
    view: DataView,
    glyphs: glyphs::Glyphs,
    alone: bool,
) -> Pane<'_> {
    let digits = rows::offset_digits(stream.total());
    let width = usize::from(area.width);
    let width = match view {
        DataView::Hex => rows::hex_bytes_per_row(width, digits),
        DataView::Text => rows::text_width(width, digits),
    };
    let doc = Doc::new(stream, view, width, repertoire(glyphs));
    Pane { dir, area, doc, digits, alone }
}

impl Pane<'_> {
    /// Rows under the header.
    fn rows(&self) -> usize {
        usize::from(self.area.height).saturating_sub(HEADER)
    }

    /// The lines on screen when scrolled to `top`: a full page wherever the document has
    /// one (a position near the end shows the last page).
    fn page(&self, top: PaneTop) -> Vec<DocLine> {
        let rows = self.rows();
        let (Some(first), Some(last)) = (self.doc.first(), self.doc.last()) else {
            return Vec::new();
        };
        let top = match top {
            PaneTop::Follow => return self.doc.lines_to(last, rows),
            PaneTop::Start => first,
            PaneTop::At(line) => self.doc.normalize(line).unwrap_or(first),
        };
        let page: Vec<DocLine> = self.doc.lines_from(top).take(rows).collect();
        if page.len() < rows && page.first() != Some(&first) {
            return self.doc.lines_to(last, rows);
        }
        page
    }
}

fn draw_pane(
    frame: &mut Frame,
    pane: &Pane<'_>,
    lines: &[DocLine],
    view: DataView,
    marks: Marks,
    cx: &RenderContext,
) {
    let rows: Vec<std::ops::Range<u64>> = lines
        .iter()
        .filter_map(|line| match *line {
            DocLine::Row(start) => Some(pane.doc.row_range(start)),
            DocLine::Separator(_) => None,
        })
        .collect();
    let mut bytes = Vec::new();
    let mut bytes_start = 0;
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        bytes_start = pane.doc.stream().read(first.start..last.end, &mut bytes).start;
    }
    let stream = pane.doc.stream();
    let painter = Painter {
        dir: pane.dir,
        view,
        stream,
        digits: pane.digits,
        width: usize::from(pane.area.width),
        bytes: &bytes,
        bytes_start,
        marks,
    };
    let mut drawn = vec![header(pane, &painter.marks, cx)];
    let mut rows = rows.iter();
    for line in lines {
        drawn.push(match *line {
            DocLine::Separator(at) => match stream.chunk_index_at(at) {
                Some(index) => painter.separator(&stream.chunks()[index], cx),
                None => Line::default(),
            },
            DocLine::Row(_) => rows.next().map(|range| painter.row(range, cx)).unwrap_or_default(),
        });
    }
    kit::draw_lines(frame, pane.area, drawn);
}

/// `< in 1.2 KiB · 56.0 MiB no longer in memory · next message 7/12 B`.
fn header(pane: &Pane<'_>, marks: &Marks, cx: &RenderContext) -> Line<'static> {
    let stream = pane.doc.stream();
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
    let _ = match stream.empty_datagrams() {
        0 => Ok(()),
        1 => write!(text, " · 1 empty datagram"),
        n => write!(text, " · {n} empty datagrams"),
    };
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
    // A narrow pane shows as much as fits and says that it cut.
    let text = fit(&text, usize::from(pane.area.width), cx.glyphs);
    Line::from(ui_span(cx.glyphs, &text, palette::dir(pane.dir).patch(palette::header())))
}
