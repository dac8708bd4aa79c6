//! Inspector: the bytes at the cursor as numbers in either byte order, and where they sit in
//! the framing.
//!
//! The App has no data cursor yet, so the "cursor" is the first byte of the Data panel's
//! visible page (received bytes when there are any, else sent bytes); the first line says so.
//! Each width that fits the bytes left in the stream is shown in both byte orders side by
//! side: network order (big-endian, what `ntohs`/`ntohl` decode) and host order (detected at
//! compile time, little-endian on x86 and ARM). The panel is short (two rows on an 80×24
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
use crate::tui::text::ui_span;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Widest value read (u64, f64).
const MAX_WIDTH: u64 = 8;
/// Cells of the type column (`u16`, `f64`).
const LABEL_WIDTH: usize = 5;
/// Readings in the order shown: what protocol headers use most first.
const ORDER: [&str; 10] = ["u16", "u32", "i16", "i32", "u64", "i64", "f32", "f64", "u8", "i8"];
const HOST_IS_LITTLE: bool = cfg!(target_endian = "little");

/// Draws the content inside the panel's block.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let lines = content(app, usize::from(area.width));
    let top = match app.scroll(Panel::Inspector) {
        Scroll::Follow => 0,
        scroll @ Scroll::At(_) => kit::window(scroll, lines.len(), 0, usize::from(area.height)).top,
    };
    let visible = lines.into_iter().skip(top).take(usize::from(area.height)).collect();
    kit::draw_lines(frame, area, visible);
}

/// Lines of content, for clamping the scroll.
#[must_use]
pub fn line_count(app: &App) -> usize {
    content(app, 0).len()
}

fn content(app: &App, width: usize) -> Vec<Line<'static>> {
    let conn = match kit::selected_connection(app) {
        Ok(conn) => conn,
        Err(hint) => return vec![hint],
    };
    let Some(start) = data::page_start(app, conn) else {
        let text = format!("no bytes on {} to inspect yet", conn.id);
        return vec![Line::from(ui_span(&text, palette::still()))];
    };
    let stream = conn.stream(start.dir);
    let mut bytes = Vec::new();
    stream.read(start.offset..start.offset.saturating_add(MAX_WIDTH), &mut bytes);
    let dir_name = if start.dir == Dir::In { "in" } else { "out" };
    let title = format!("{dir_name} {} @ {:#x}: ", conn.id, start.offset);
    let mut first = vec![Span::styled(title, palette::dir(start.dir).patch(palette::header()))];
    first.extend(raw_bytes(&bytes, start.dir));
    let mut lines = vec![Line::from(first), titles(width)];
    let mut readings = numbers::integer_views(&bytes);
    readings.sort_by_key(|reading| ORDER.iter().position(|&label| label == reading.label));
    lines.extend(readings.iter().map(|reading| value_line(reading, width)));
    if let (Some(ip), Some(port)) = (numbers::ipv4(&bytes), numbers::port(&bytes)) {
        lines.push(Line::raw(format!(
            "{:<LABEL_WIDTH$}ipv4 {ip}  port {port} (network order)",
            "net"
        )));
    }
    lines.push(framing_line(conn, start));
    let note = "(cursor: first byte of the Data page, received bytes first)";
    lines.push(Line::from(ui_span(note, palette::still())));
    lines
}

/// `00 1a 2b 3c`, coloured by class like the hex view.
fn raw_bytes(bytes: &[u8], dir: Dir) -> Vec<Span<'static>> {
    let cell = |(index, byte): (usize, &u8)| {
        let text = format!("{}{byte:02x}", if index > 0 { " " } else { "" });
        Span::styled(text, palette::byte(classify(*byte), dir))
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
        ("network (BE)", "host (LE)")
    } else {
        ("network = host (BE)", "little-endian")
    };
    let column = value_width(width);
    let text = format!("{:<LABEL_WIDTH$}{first:<column$}{second}", "type");
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
fn framing_line(conn: &Connection, start: data::PageStart) -> Line<'static> {
    let stream = conn.stream(start.dir);
    let spec = stream.spec();
    let at = start.offset;
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
    Line::from(ui_span(&format!("{spec} framing: {place}"), palette::still()))
}
