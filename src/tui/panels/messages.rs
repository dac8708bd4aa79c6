//! Messages: the selected connection's complete messages per direction as the framing cut
//! them (index, time, body length, a preview with the length prefix or delimiter marked), then
//! the message in progress (the bytes that already belong to the next one), and a framing
//! error.
//!
//! One document, received (`<`) above sent (`>`), newest last, under a fixed line naming the
//! framing. Virtualised: a direction's messages are a slice of the stream's message list, so
//! the line at any scroll position is an index into it, and only the visible messages are read
//! (each preview by one bounded `Stream::read`), however many messages the stream holds.

use super::{Panel, kit, palette};
use crate::event::Dir;
use crate::framing::Spec;
use crate::session::{Connection, MessageInfo, Stream};
use crate::tui::App;
use crate::tui::render_context::RenderContext;
use crate::tui::text::{peer_span, ui_span};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use std::ops::Range;

/// The framing line above the document.
const HEADER: usize = 1;
/// Body bytes shown per message.
const PREVIEW: u64 = 40;
/// Prefix or delimiter bytes shown per message (as hex).
const MARK_CAP: u64 = 8;

/// Draws the content inside the panel's block.
pub fn render(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    let conn = match kit::selected_connection(app, cx) {
        Ok(conn) => conn,
        Err(hint) => return kit::draw_hint(frame, area, hint),
    };
    if conn.is_listener() {
        let text = format!("{} is a listener: it accepts connections and has no messages", conn.id);
        return kit::draw_hint(frame, area, Line::from(ui_span(cx.glyphs, &text, cx.theme.dim())));
    }
    let doc = Doc::new(conn, cx);
    let window =
        kit::window(app.scroll(Panel::Messages), doc.len(), HEADER, usize::from(area.height));
    let picked = app.message_pick().and_then(|pick| doc.line_of(pick.dir, pick.index));
    let mut lines = vec![framing_line(conn.stream(Dir::In).spec(), cx)];
    lines.extend((window.top..doc.len()).take(window.rows).filter_map(|index| {
        let line = doc.line(index, cx)?;
        Some(if picked == Some(index) { line.patch_style(palette::selected_row()) } else { line })
    }));
    kit::draw_lines(frame, area, lines);
}

/// The document line (below the framing line) of message `index` of `dir` on the selected
/// connection, for keeping a picked message in view.
#[must_use]
pub fn line_of(app: &App, dir: Dir, index: u64, cx: &RenderContext) -> Option<usize> {
    let conn = kit::selected_connection(app, cx).ok()?;
    Doc::new(conn, cx).line_of(dir, index)
}

/// Lines of content, for clamping the scroll: both directions and the framing line.
#[must_use]
pub fn line_count(app: &App, cx: &RenderContext) -> usize {
    match kit::selected_connection(app, cx) {
        Ok(conn) if !conn.is_listener() => Doc::new(conn, cx).len().saturating_add(HEADER),
        _ => 1,
    }
}

/// `framing len:u16be`, or how to get messages out of a raw stream.
fn framing_line(spec: &Spec, cx: &RenderContext) -> Line<'static> {
    if matches!(spec, Spec::Raw) {
        return Line::from(ui_span(cx.glyphs, "raw: no messages — :framing SPEC", cx.theme.dim()));
    }
    Line::from(ui_span(cx.glyphs, &format!("framing {spec}"), palette::header()))
}

/// The scrolling part: one section per direction that moved bytes (none under `raw`).
struct Doc<'a> {
    sections: Vec<Section<'a>>,
    /// Said instead of sections when no byte moved yet.
    empty: Option<Line<'static>>,
}

impl<'a> Doc<'a> {
    fn new(conn: &'a Connection, cx: &RenderContext) -> Self {
        if matches!(conn.stream(Dir::In).spec(), Spec::Raw) {
            return Self { sections: Vec::new(), empty: None };
        }
        // One time column for both directions: the newest message has the widest time.
        let time_width = [Dir::In, Dir::Out]
            .iter()
            .filter_map(|&dir| conn.stream(dir).messages().last())
            .map(|message| kit::seconds(message.t_us).len())
            .max()
            .unwrap_or(0);
        let sections: Vec<Section<'a>> = [Dir::In, Dir::Out]
            .into_iter()
            .filter(|&dir| conn.stream(dir).total() > 0 || conn.stream(dir).empty_datagrams() > 0)
            .map(|dir| Section::new(dir, conn.stream(dir), time_width, cx))
            .collect();
        let empty = sections.is_empty().then(|| {
            let text = format!("no bytes moved on {} yet", conn.id);
            Line::from(ui_span(cx.glyphs, &text, cx.theme.dim()))
        });
        Self { sections, empty }
    }

    /// The line of message `index` of `dir`, if it is still kept.
    fn line_of(&self, dir: Dir, index: u64) -> Option<usize> {
        let mut before = 0;
        for section in &self.sections {
            if section.dir == dir {
                let messages = section.stream.messages();
                let at = messages.binary_search_by_key(&index, |m| m.index).ok()?;
                return Some(before + section.head.len() + at);
            }
            before += section.len();
        }
        None
    }

    fn len(&self) -> usize {
        let lines: usize = self.sections.iter().map(Section::len).sum();
        lines + usize::from(self.empty.is_some())
    }

    /// Document line `index`, found by walking the (at most two) sections.
    fn line(&self, mut index: usize, cx: &RenderContext) -> Option<Line<'static>> {
        if let Some(empty) = &self.empty {
            return (index == 0).then(|| empty.clone());
        }
        for section in &self.sections {
            if index < section.len() {
                return Some(section.line(index, cx));
            }
            index -= section.len();
        }
        None
    }
}

/// One direction: fixed lines before and after its messages, which are drawn on demand.
struct Section<'a> {
    dir: Dir,
    stream: &'a Stream,
    head: Vec<Line<'static>>,
    tail: Vec<Line<'static>>,
    /// Width of the index column.
    digits: usize,
    /// Width of the time column, shared by both directions so their columns line up.
    time_width: usize,
}

impl<'a> Section<'a> {
    fn new(dir: Dir, stream: &'a Stream, time_width: usize, cx: &RenderContext) -> Self {
        let (kept, dropped) = (stream.messages().len() as u64, stream.messages_dropped());
        let count = kept.saturating_add(dropped);
        let name = if dir == Dir::In { "in" } else { "out" };
        let plural = if count == 1 { "" } else { "s" };
        let text =
            format!("{} {name} · {count} complete message{plural}", palette::dir_marker(dir));
        let mut head =
            vec![Line::from(ui_span(cx.glyphs, &text, palette::dir(dir).patch(palette::header())))];
        if dropped > 0 {
            let text = format!("{dropped} earlier messages not kept");
            head.push(Line::from(ui_span(cx.glyphs, &text, cx.theme.dim())));
        }
        let digits = stream.messages().last().map_or(1, |m| m.index.to_string().len());
        Self { dir, stream, head, tail: tail(stream, cx), digits, time_width }
    }

    fn len(&self) -> usize {
        self.head.len() + self.stream.messages().len() + self.tail.len()
    }

    fn line(&self, index: usize, cx: &RenderContext) -> Line<'static> {
        let messages = self.stream.messages();
        if let Some(line) = self.head.get(index) {
            return line.clone();
        }
        let index = index - self.head.len();
        match messages.get(index) {
            Some(message) => self.message_line(message, cx),
            None => self.tail.get(index - messages.len()).cloned().unwrap_or_default(),
        }
    }

    /// `< #3  0.004s    12B  [00 0c]hello world`: prefix and delimiter as hex in brackets.
    fn message_line(&self, message: &MessageInfo, cx: &RenderContext) -> Line<'static> {
        let marker = palette::dir_marker(self.dir);
        let text = format!(
            "{marker} #{:<width$} {:>time_width$} {:>5}  ",
            message.index,
            kit::seconds(message.t_us),
            kit::short_size(message.body_len as u64),
            width = self.digits,
            time_width = self.time_width,
        );
        let mut spans = vec![ui_span(cx.glyphs, &text, palette::dir(self.dir))];
        spans.extend(self.mark(message.header(), cx));
        let body = message.body();
        if message.end() == message.start && self.stream.holds_datagrams() {
            // A datagram of no byte: nothing to preview, but it came, as a message of its own.
            spans.push(ui_span(cx.glyphs, "(empty datagram)", cx.theme.dim()));
            return Line::from(spans);
        }
        let shown = body.start..body.end.min(body.start.saturating_add(PREVIEW));
        let (bytes, cut_front) = read(self.stream, shown.clone());
        if cut_front {
            spans.push(ui_span(cx.glyphs, "…", cx.theme.dim()));
        }
        spans.push(peer_span(cx.glyphs, &bytes, palette::dir(self.dir)));
        if shown.end < body.end {
            spans.push(ui_span(cx.glyphs, "…", cx.theme.dim()));
        }
        spans.extend(self.mark(message.trailer(), cx));
        if let Some(truncation) = self.stream.truncation_at(message.start) {
            let text = format!("  {}", truncation.describe(cx.glyphs.arrow()));
            spans.push(ui_span(cx.glyphs, &text, cx.theme.warning()));
        }
        Line::from(spans)
    }

    /// The framing's own bytes (`[00 0c]`), at most [`MARK_CAP`] of them; none when empty.
    fn mark(&self, range: Range<u64>, cx: &RenderContext) -> Option<Span<'static>> {
        if range.is_empty() {
            return None;
        }
        let capped = range.start..range.end.min(range.start.saturating_add(MARK_CAP));
        let (bytes, cut_front) = read(self.stream, capped.clone());
        let hex: Vec<String> = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        let more = if capped.end < range.end || cut_front { " …" } else { "" };
        Some(ui_span(cx.glyphs, &format!("[{}{more}]", hex.join(" ")), mark_style()))
    }
}

/// The lines after a direction's messages: the message in progress, the bytes past the last
/// complete message that are not part of it, the framing error, or that nothing is complete
/// yet.
///
/// The bytes past the last complete message are the message in progress: the partial line
/// counts them, and a leftover line counts only what is left beyond it (bytes after a framing
/// error, or after the end of the stream in a damaged recording), so no byte is counted twice.
fn tail(stream: &Stream, cx: &RenderContext) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let partial = stream.partial();
    if let Some(partial) = &partial {
        let text = match (partial.need, stream.spec()) {
            (Some(need), _) => format!("partial: {} of {need} bytes", partial.have),
            (None, Spec::Eof) => format!("partial: {} bytes, complete at EOF", partial.have),
            (None, _) => format!("partial: {} bytes, length not yet known", partial.have),
        };
        lines.push(Line::from(ui_span(
            cx.glyphs,
            &text,
            palette::leftover(palette::warning_text()),
        )));
    }
    let leftover = stream.leftover();
    let in_partial = partial.map_or(0, |partial| partial.have as u64);
    let left = (leftover.end - leftover.start).saturating_sub(in_partial);
    let error = stream.framing_error();
    if left > 0 {
        let text = if error.is_some() {
            format!("leftover: {left} bytes after the framing error cannot be framed")
        } else {
            format!("leftover: {left} bytes after the end of the stream are not framed")
        };
        lines.push(Line::from(ui_span(cx.glyphs, &text, palette::leftover(mark_style()))));
    }
    if let Some(error) = error {
        let text = format!("framing error: {error}");
        lines.push(Line::from(ui_span(cx.glyphs, &text, palette::error_text())));
    }
    if lines.is_empty() && stream.messages().is_empty() && stream.messages_dropped() == 0 {
        lines.push(Line::from(ui_span(cx.glyphs, "no complete message yet", cx.theme.dim())));
    }
    lines
}

/// The retained part of `range`, and whether its front is no longer in memory.
fn read(stream: &Stream, range: Range<u64>) -> (Vec<u8>, bool) {
    let mut bytes = Vec::new();
    let got = stream.read(range.clone(), &mut bytes);
    let cut_front = got.start > range.start || (bytes.is_empty() && !range.is_empty());
    (bytes, cut_front)
}

fn mark_style() -> Style {
    Style::new().fg(Color::Yellow)
}
