//! Drawing side by side: a line names the two ends, then each row shows the send column, a
//! divider and the recv column; a call's start is a mark line in its column.

use super::super::super::data::{Marks, Painter};
use super::super::super::{kit, palette};
use super::super::draw::{side_marker, side_name};
use super::super::ends;
use super::{Columns, Line};
use crate::event::Dir;
use crate::session::Stream;
use crate::tui::app::Side;
use crate::tui::render_context::RenderContext;
use crate::tui::text::{fit, ui_span};
use crate::tui::{App, DataView};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line as TextLine, Span};
use std::ops::Range;

/// Draws side by side in `area` (the inside of the follow view's block).
pub(in crate::tui::panels::follow) fn render(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    side: Side,
    top: Option<u64>,
    cx: &RenderContext,
) {
    let Some(conn) = app.selected() else { return };
    let ends = match ends(app.session(), conn, side) {
        Ok(ends) => ends,
        Err(why) => {
            return kit::draw_hint(
                frame,
                area,
                TextLine::from(ui_span(cx.glyphs, &why, cx.theme.dim())),
            );
        }
    };
    let Some(columns) = Columns::new(app, ends, area) else { return };
    let title = format!(
        "{} {}: left, {}'s send calls; right, {}'s recv calls of the same bytes",
        side_marker(side),
        side_name(side, cx),
        ends.send.conn,
        ends.recv.conn
    );
    let title = fit(&title, usize::from(area.width), cx.glyphs);
    let mut drawn = vec![TextLine::from(ui_span(cx.glyphs, &title, palette::header()))];
    let rows = usize::from(area.height).saturating_sub(1);
    let first = match top {
        Some(at) => columns.head(at),
        None => columns.head(0),
    };
    let lines: Vec<Line> =
        std::iter::successors(first, |&line| columns.next(line)).take(rows).collect();
    if lines.is_empty() {
        drawn.push(TextLine::from(ui_span(
            cx.glyphs,
            "no bytes in this direction yet",
            cx.theme.dim(),
        )));
    }
    drawn.extend(lines.into_iter().map(|line| paint(&columns, line, cx)));
    kit::draw_lines(frame, area, drawn);
}

/// One line: the send column, a divider, the recv column.
fn paint(columns: &Columns<'_>, line: Line, cx: &RenderContext) -> TextLine<'static> {
    let column = columns.digits + 2 + columns.width;
    let (left, right) = match line {
        Line::Mark(at) => (
            mark(columns.send, Dir::Out, at, column, cx),
            mark(columns.recv, Dir::In, at, column, cx),
        ),
        Line::Row(row) => {
            let range = columns.row_range(row);
            (
                cells(columns, columns.send, Dir::Out, &range, cx),
                cells(columns, columns.recv, Dir::In, &range, cx),
            )
        }
    };
    let mut spans = left.spans;
    let used: usize = spans.iter().map(Span::width).sum();
    spans.push(Span::raw(" ".repeat(column.saturating_sub(used))));
    spans.push(Span::styled("│", cx.theme.dim()));
    spans.extend(right.spans);
    TextLine::from(spans)
}

/// `┌ send 40 B · 0.100s` where a call of `stream` starts at `offset`, else nothing.
fn mark(
    stream: &Stream,
    dir: Dir,
    offset: u64,
    width: usize,
    cx: &RenderContext,
) -> TextLine<'static> {
    let chunks = stream.chunks();
    let Ok(index) = chunks.binary_search_by_key(&offset, |chunk| chunk.offset) else {
        return TextLine::default();
    };
    let chunk = chunks[index];
    let text = format!(
        "┌ {} {} B · {}",
        palette::call_name(dir, stream, chunk.offset),
        chunk.len,
        kit::seconds(chunk.t_us)
    );
    let text = fit(&text, width, cx.glyphs);
    TextLine::from(ui_span(cx.glyphs, &text, palette::dir(dir).patch(palette::header())))
}

/// The row's bytes as `stream` holds them (blank where it holds none).
fn cells(
    columns: &Columns<'_>,
    stream: &Stream,
    dir: Dir,
    range: &Range<u64>,
    cx: &RenderContext,
) -> TextLine<'static> {
    let mut bytes = Vec::new();
    let read = stream.read(range.clone(), &mut bytes);
    if read.is_empty() {
        return TextLine::default();
    }
    let painter = Painter {
        dir,
        view: DataView::Text,
        stream,
        digits: columns.digits,
        width: columns.digits + 2 + columns.width,
        bytes: &bytes,
        bytes_start: read.start,
        marks: Marks::default(),
    };
    painter.row(&read, cx)
}
