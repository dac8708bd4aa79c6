//! Drawing the interleaved conversation: the view's header, each turn's header and the rows
//! of its bytes, painted as the Data panel's text rows are.

use super::super::data::{Marks, Painter};
use super::super::{kit, palette};
use super::{Conversation, FollowDoc, Page, arrow, columns, ends, page_in};
use crate::event::Dir;
use crate::session::{Chunk, Stream};
use crate::tui::app::{FollowLayout, FollowLine as Line, Side};
use crate::tui::render_context::RenderContext;
use crate::tui::text::{fit, ui_span};
use crate::tui::{App, DataView, model};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line as TextLine, Span};
use ratatui::widgets::Block;
use std::fmt::Write as _;
use std::ops::Range;

/// Draws the bordered view in `area`.
pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    let layout = app.follow_view().map_or(FollowLayout::Interleaved, |view| view.layout);
    // Side by side is offered only where both ends are sockets of this session.
    let both_ends = app.selected().is_some_and(|id| ends(app.session(), id, Side::Up).is_ok());
    let title = match layout {
        FollowLayout::Interleaved if both_ends => " Follow (Esc or F: back, s: side by side) ",
        FollowLayout::Interleaved => " Follow (Esc or F: back; the peer is not in this session) ",
        FollowLayout::SideBySide { .. } => " Follow: side by side (s: interleaved) ",
    };
    let block = Block::bordered()
        .title(title)
        .border_style(cx.theme.border(true))
        .title_style(cx.theme.title(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let conn = match kit::selected_connection(app, cx) {
        Ok(conn) => conn,
        Err(hint) => return kit::draw_hint(frame, inner, hint),
    };
    if let FollowLayout::SideBySide { side, top } = layout {
        return columns::render(frame, inner, app, side, top, cx);
    }
    let Some(page) = page_in(app, inner) else {
        let text = format!("{} is a listener: it accepts connections and moves no bytes", conn.id);
        return kit::draw_hint(
            frame,
            inner,
            TextLine::from(ui_span(cx.glyphs, &text, cx.theme.dim())),
        );
    };
    let header_area = Rect { height: page.area.y - inner.y, ..inner };
    kit::draw_lines(frame, header_area, header(&page.doc.conversation, inner.width, cx));
    let lines = page.lines(app.follow_top());
    if lines.is_empty() {
        let moved = [Side::Up, Side::Down].iter().any(|&side| page.doc.stream(side).total() > 0);
        let text = if moved {
            "every byte of this conversation is gone from memory (--retain keeps the newest)"
                .to_string()
        } else {
            format!("no bytes moved on {} yet", conn.id)
        };
        return kit::draw_hint(
            frame,
            page.area,
            TextLine::from(ui_span(cx.glyphs, &text, cx.theme.dim())),
        );
    }
    let drawn = paint(&page, &lines, app, cx);
    kit::draw_lines(frame, page.area, drawn);
}

/// The direction's name: `client→server`.
pub(super) fn side_name(side: Side, cx: &RenderContext) -> String {
    match side {
        Side::Up => format!("client{}server", arrow(cx)),
        Side::Down => format!("server{}client", arrow(cx)),
    }
}

/// The direction's marker in headers: `▶` up, `◀` down (`>`/`<` on an ASCII terminal).
pub(super) fn side_marker(side: Side) -> &'static str {
    match side {
        Side::Up => "▶",
        Side::Down => "◀",
    }
}

/// The Data panel's direction whose colour and row marker a side borrows: up is what a
/// client sends (`>`), down what it receives (`<`).
pub(super) fn palette_dir(side: Side) -> Dir {
    match side {
        Side::Up => Dir::Out,
        Side::Down => Dir::In,
    }
}

/// `#2 and #3, proxied: ▶ client→server 78 B (#2 recvs) · ◀ server→client 1.2 KiB (#3
/// recvs)`, and when retention dropped some, a second line: `the first 56 MiB of
/// client→server no longer in memory`.
fn header(
    conversation: &Conversation<'_>,
    width: u16,
    cx: &RenderContext,
) -> Vec<TextLine<'static>> {
    let mut text = String::new();
    let (up, down) = (conversation.leg(Side::Up).conn, conversation.leg(Side::Down).conn);
    let mut names =
        if up == down { format!("{up}: ") } else { format!("{up} and {down}, proxied: ") };
    let mut dropped = String::new();
    for side in [Side::Up, Side::Down] {
        let stream = conversation.stream(side);
        let leg = conversation.leg(side);
        let call = palette::call_name(leg.dir, stream, stream.total());
        let size = model::compact_size(stream.total());
        if !text.is_empty() {
            text += " · ";
        }
        text.insert_str(0, &std::mem::take(&mut names));
        let _ = write!(
            text,
            "{} {} {size} ({} {call}s)",
            side_marker(side),
            side_name(side, cx),
            leg.conn
        );
        if stream.dropped() > 0 {
            let lost = model::compact_size(stream.dropped());
            let gap = if dropped.is_empty() { "" } else { "; " };
            let _ = write!(
                dropped,
                "{gap}the first {lost} of {} no longer in memory",
                side_name(side, cx)
            );
        }
    }
    [text, dropped]
        .iter()
        .filter(|text| !text.is_empty())
        .map(|text| fit(text, usize::from(width), cx.glyphs))
        .map(|text| TextLine::from(ui_span(cx.glyphs, &text, palette::header())))
        .collect()
}

/// The spans of `lines`: one read of each direction's visible bytes, then line by line.
fn paint(page: &Page<'_>, lines: &[Line], app: &App, cx: &RenderContext) -> Vec<TextLine<'static>> {
    let mut bytes = [Vec::new(), Vec::new()];
    let mut starts = [0, 0];
    for (index, side) in [Side::Up, Side::Down].into_iter().enumerate() {
        let rows = lines.iter().filter_map(|line| match *line {
            Line::Row(on, start) if on == side => Some(page.doc.row_range(side, start)),
            Line::Row(..) | Line::Turn(..) => None,
        });
        let span = rows.reduce(|first, last| first.start..last.end);
        if let Some(span) = span {
            starts[index] = page.doc.stream(side).read(span, &mut bytes[index]).start;
        }
    }
    let painter = |side: Side| {
        let index = usize::from(side.rank());
        let stream = page.doc.stream(side);
        Painter {
            dir: palette_dir(side),
            view: DataView::Text,
            stream,
            digits: page.digits,
            width: usize::from(page.area.width),
            bytes: &bytes[index],
            bytes_start: starts[index],
            marks: marks(app, &page.doc, side),
        }
    };
    lines
        .iter()
        .map(|&line| match line {
            Line::Turn(side, offset) => turn_header(&page.doc, side, offset, page.area.width, cx),
            Line::Row(side, start) => painter(side).row(&page.doc.row_range(side, start), cx),
        })
        .collect()
}

/// The cursor and selection, when the cursor is on `side`'s stream.
fn marks(app: &App, doc: &FollowDoc<'_>, side: Side) -> Marks {
    let leg = doc.conversation.leg(side);
    match app.cursor() {
        Some(cursor) if cursor.conn == leg.conn && cursor.dir == leg.dir => Marks {
            cursor: Some(cursor.offset),
            selection: if cursor.has_selection() { cursor.selection() } else { 0..0 },
        },
        _ => Marks::default(),
    }
}

/// `▶ client→server · 0.512s · recv 17 B @0x0000 ────`.
fn turn_header(
    doc: &FollowDoc<'_>,
    side: Side,
    offset: u64,
    width: u16,
    cx: &RenderContext,
) -> TextLine<'static> {
    let stream = doc.stream(side);
    let Some(chunk) = doc.turn_index(side, offset).map(|index| stream.chunks()[index]) else {
        return TextLine::default();
    };
    let call = palette::call_name(doc.conversation.leg(side).dir, stream, chunk.offset);
    let mut label = format!(
        "{} {} · {} · {call} {} B @{:#x}",
        side_marker(side),
        side_name(side, cx),
        kit::seconds(chunk.t_us),
        chunk.len,
        chunk.offset,
    );
    let lost = evicted_front(stream, &chunk);
    if lost.end > lost.start {
        let _ = write!(label, " (its first {} B no longer in memory)", lost.end - lost.start);
    }
    label.push(' ');
    let fill = usize::from(width).saturating_sub(Span::raw(label.as_str()).width());
    let style = palette::dir(palette_dir(side)).add_modifier(Modifier::BOLD);
    TextLine::from(ui_span(
        cx.glyphs,
        &fit(&(label + &"─".repeat(fill)), usize::from(width), cx.glyphs),
        style,
    ))
}

/// The part of `chunk` retention has dropped.
fn evicted_front(stream: &Stream, chunk: &Chunk) -> Range<u64> {
    chunk.offset..stream.retained().start.clamp(chunk.offset, chunk.end())
}
