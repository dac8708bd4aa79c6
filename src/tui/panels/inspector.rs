//! Inspector: the bytes at the cursor as numbers in either byte order, and where they sit in
//! the framing.
//!
//! It reads at the Data cursor, or from the start of the selection; with neither, at the first
//! byte of the Data panel's visible page (the first line says which). Each width that fits
//! (the selection, or the bytes left in the stream) is shown in both byte orders side by
//! side: network order (big-endian, what `ntohs`/`ntohl` decode) and host order (detected at
//! compile time, little-endian on x86 and ARM). Below them come the other decodings: IPv4
//! address, port, LEB128, a UTF-8 character, bits and ASCII digits. The panel is short (two rows on an 80×24
//! terminal), so the most asked-for widths come first: u16 and u32, then the rest.
//!
//! Unlike the log panels, the Inspector's top matters most: its scroll in "follow" (the shell's
//! default after each selection) shows the top, and only an explicit position scrolls it.

use super::{Panel, data, kit, palette};
use crate::event::Dir;
use crate::framing::Spec;
use crate::inspect::hexdump::classify;
use crate::inspect::numbers::{self, Reading};
use crate::session::Connection;
use crate::tui::App;
use crate::tui::app::Scroll;
use crate::tui::render_context::RenderContext;
use crate::tui::text::{peer_span, ui_span};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Widest value read (u64, f64).
const MAX_WIDTH: u64 = 8;
/// Bytes read for the decodings: a 10-byte LEB128 and a 20-digit ASCII number fit.
const READ_AHEAD: u64 = 20;
/// Cells of the type column (`u16`, `f64`).
const LABEL_WIDTH: usize = 5;
/// Readings in the order shown: what protocol headers use most first.
const ORDER: [&str; 10] = ["u16", "u32", "i16", "i32", "u64", "i64", "f32", "f64", "u8", "i8"];
const HOST_IS_LITTLE: bool = cfg!(target_endian = "little");

/// Draws the content inside the panel's block.
pub fn render(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    let lines = content(app, usize::from(area.width), cx);
    let top = match app.scroll(Panel::Inspector) {
        Scroll::Follow => 0,
        scroll @ Scroll::At(_) => kit::window(scroll, lines.len(), 0, usize::from(area.height)).top,
    };
    let visible = lines.into_iter().skip(top).take(usize::from(area.height)).collect();
    kit::draw_lines(frame, area, visible);
}

/// Lines of content, for clamping the scroll.
#[must_use]
pub fn line_count(app: &App, cx: &RenderContext) -> usize {
    content(app, 0, cx).len()
}

/// What the Inspector reads: where, how many bytes at most, and what chose them.
struct Target {
    dir: Dir,
    offset: u64,
    /// The selection's length, if there is one: only readings that fit it are shown.
    selected: Option<u64>,
    what: Source,
}

/// What chose the bytes the Inspector reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Cursor,
    Selection,
    PageTop,
}

fn target(app: &App, conn: &Connection) -> Option<Target> {
    match app.cursor() {
        Some(cursor) if cursor.has_selection() => {
            let range = cursor.selection();
            let selected = Some(range.end - range.start);
            Some(Target { dir: cursor.dir, offset: range.start, selected, what: Source::Selection })
        }
        Some(cursor) => Some(Target {
            dir: cursor.dir,
            offset: cursor.offset,
            selected: None,
            what: Source::Cursor,
        }),
        None => data::page_start(app, conn).map(|start| Target {
            dir: start.dir,
            offset: start.offset,
            selected: None,
            what: Source::PageTop,
        }),
    }
}

/// Where the datagram holding `offset` ends, on a datagram-framed stream: a number read from
/// the end of one datagram and the start of the next was never sent by anyone.
fn datagram_end(stream: &crate::session::Stream, offset: u64) -> Option<u64> {
    let datagrams = matches!(stream.spec(), Spec::Datagram);
    let index = stream.chunk_index_at(offset).filter(|_| datagrams)?;
    stream.chunks().get(index).map(crate::session::Chunk::end)
}

fn content(app: &App, width: usize, cx: &RenderContext) -> Vec<Line<'static>> {
    let conn = match kit::selected_connection(app, cx) {
        Ok(conn) => conn,
        Err(hint) => return vec![hint],
    };
    // A TLS connection's handshake comes first: what it agreed holds for every byte below.
    let mut lines = super::tls::summary(conn, width, cx);
    let Some(target) = target(app, conn) else {
        let text = format!("no bytes on {} to inspect yet", conn.id);
        lines.push(Line::from(ui_span(cx.glyphs, &text, palette::still(&cx.theme))));
        return lines;
    };
    let stream = conn.stream(target.dir);
    let wanted = target.selected.unwrap_or(READ_AHEAD).min(READ_AHEAD);
    let mut bytes = Vec::new();
    let end = datagram_end(stream, target.offset).unwrap_or(u64::MAX);
    stream.read(target.offset..target.offset.saturating_add(wanted).min(end), &mut bytes);
    let numeric = &bytes[..bytes.len().min(MAX_WIDTH as usize)];
    let length = target.selected.map_or_else(String::new, |n| format!(" +{n} B"));
    let title = format!("{} {} @ {:#x}{length}: ", target.dir.name(), conn.id, target.offset);
    let mut first = vec![Span::styled(title, palette::dir(target.dir).patch(palette::header()))];
    first.extend(raw_bytes(numeric, target.dir, cx));
    if target.selected.is_some_and(|n| n > MAX_WIDTH) {
        first.push(Span::styled(" …", palette::still(&cx.theme)));
    }
    lines.extend([Line::from(first), titles(width)]);
    let mut readings = numbers::integer_views(numeric);
    readings.sort_by_key(|reading| ORDER.iter().position(|&label| label == reading.label));
    lines.extend(readings.iter().map(|reading| value_line(reading, width)));
    lines.push(framing_line(conn, target.dir, target.offset, cx));
    lines.extend(decodings(&bytes, target.selected, cx));
    let note = match target.what {
        Source::Cursor => "(at the Data cursor)",
        Source::Selection => "(the Data selection: only readings that fit it)",
        Source::PageTop => "(top of the Data page: in Data, ←/→ moves a cursor, v selects)",
    };
    lines.push(Line::from(ui_span(cx.glyphs, note, palette::still(&cx.theme))));
    lines
}

/// The other readings of the bytes: an IPv4 address, a port, a LEB128 varint, a UTF-8
/// character, the first byte's bits and ASCII digits read as a number. Each appears only when
/// the bytes decode that way (and, with a selection, fit in it).
fn decodings(bytes: &[u8], selected: Option<u64>, cx: &RenderContext) -> Vec<Line<'static>> {
    let fits = |len: usize| selected.is_none_or(|n| len as u64 <= n);
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<LABEL_WIDTH$}"), palette::header()),
            ui_span(cx.glyphs, &value, ratatui::style::Style::new()),
        ])
    };
    let mut lines = Vec::new();
    if let Some(ip) = numbers::ipv4(bytes).filter(|_| fits(4)) {
        lines.push(row("ipv4", format!("{ip} (4 bytes, network order)")));
    }
    if let Some(port) = numbers::port(bytes).filter(|_| fits(2)) {
        lines.push(row("port", format!("{port} (ntohs of the first 2 bytes)")));
    }
    if let Some((value, len)) = numbers::uleb128(bytes).filter(|&(_, len)| fits(len)) {
        lines.push(row("leb", format!("{value} (unsigned LEB128 varint, {len} B)")));
    }
    if let Some((c, len)) = numbers::utf8_char(bytes).filter(|&(_, len)| fits(len)) {
        let mut spans = vec![Span::styled(format!("{:<LABEL_WIDTH$}", "utf8"), palette::header())];
        spans.push(peer_span(cx.glyphs, &bytes[..len], ratatui::style::Style::new()));
        spans.push(ui_span(
            cx.glyphs,
            &format!("  U+{:04X} ({len} B)", u32::from(c)),
            palette::still(&cx.theme),
        ));
        lines.push(Line::from(spans));
    }
    if let Some(&byte) = bytes.first() {
        lines.push(row("bits", format!("{} (0x{byte:02x})", numbers::bits(byte))));
    }
    let digits = bytes.iter().take_while(|byte| byte.is_ascii_digit()).count();
    if let Some(value) = numbers::ascii_decimal(bytes).filter(|_| fits(digits)) {
        lines.push(row("ascii", format!("{value} ({digits} ASCII digits)")));
    }
    lines
}

/// `00 1a 2b 3c`, coloured by class like the hex view.
fn raw_bytes(bytes: &[u8], dir: Dir, cx: &RenderContext) -> Vec<Span<'static>> {
    let cell = |(index, byte): (usize, &u8)| {
        let text = format!("{}{byte:02x}", if index > 0 { " " } else { "" });
        Span::styled(text, palette::byte(classify(*byte), dir, &cx.theme))
    };
    bytes.iter().enumerate().map(cell).collect()
}

/// The values' column width, out of `width` cells.
fn value_width(width: usize) -> usize {
    (width.saturating_sub(LABEL_WIDTH) / 2).max(1)
}

/// Column titles: which byte order each column reads.
fn titles(width: usize) -> Line<'static> {
    let (first, second) = if HOST_IS_LITTLE {
        ("network (BE, ntohs/ntohl)", "host (LE)")
    } else {
        ("network = host (BE, ntohs/ntohl)", "little-endian")
    };
    let column = value_width(width);
    // A title wider than its column keeps one space before the next.
    let text = format!("{:<LABEL_WIDTH$}{:<column$}{second}", "type", format!("{first} "));
    Line::from(Span::styled(text, palette::header()))
}

/// `u16  26                  6656`.
fn value_line(reading: &Reading, width: usize) -> Line<'static> {
    let column = value_width(width);
    Line::raw(format!(
        "{:<LABEL_WIDTH$}{:<column$}{}",
        reading.label,
        // A value wider than its column keeps one space before the next.
        format!("{} ", reading.big),
        reading.little
    ))
}

/// Where the cursor sits in the framing: which message, or the message in progress.
fn framing_line(conn: &Connection, dir: Dir, at: u64, cx: &RenderContext) -> Line<'static> {
    let stream = conn.stream(dir);
    let spec = stream.spec();
    let place = if *spec == Spec::Raw {
        "no messages, chunks only".to_string()
    } else if let Some(message) = stream.message_index_at(at).map(|index| stream.messages()[index])
    {
        let part = if message.header().contains(&at) {
            "header"
        } else if message.body().contains(&at) {
            "body"
        } else {
            "trailer"
        };
        format!("message {} ({} B body), {part}", message.index, message.body_len)
    } else if let Some(partial) = stream.partial().filter(|partial| partial.start <= at) {
        let need = partial.need.map_or_else(|| "?".to_string(), |need| need.to_string());
        format!("message in progress, {}/{need} B", partial.have)
    } else {
        "not in a framed message".to_string()
    };
    Line::from(ui_span(cx.glyphs, &format!("{spec} framing: {place}"), palette::still(&cx.theme)))
}
