//! The lines of the Data document as spans: hex rows, text rows and chunk separators.
//!
//! A hex row: `<0010 68|65 6c 6c  hell` (direction marker, offset, bytes coloured by class, a
//! `|` in the gap before the first byte of each `recv`/`send` chunk, the ASCII column).
//! A text row: `<0010 hello\r\n` (the same bytes escaped, laid out by the text document so
//! that the row fits: nothing is ever cut).

use super::super::{kit, palette};
use crate::event::Dir;
use crate::inspect::hexdump::{ascii_cell, classify};
use crate::session::{Chunk, Stream};
use crate::tui::DataView;
use crate::tui::render_context::RenderContext;
use crate::tui::text::{peer_token_spans, ui_span};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use std::ops::Range;

/// Hex rows hold the most of these that fit (16 is `hexdump -C`'s row).
const HEX_WIDTHS: [usize; 5] = [16, 8, 4, 2, 1];

/// Fewest hex digits of an offset column.
const MIN_OFFSET_DIGITS: usize = 4;

/// Hex digits for offsets of a stream of `total` bytes (grows with it).
pub(in crate::tui::panels) fn offset_digits(total: u64) -> usize {
    let last = total.saturating_sub(1);
    let digits = (u64::BITS - last.leading_zeros()).div_ceil(4) as usize;
    digits.max(MIN_OFFSET_DIGITS)
}

/// Bytes per hex row for a pane `width` cells wide: marker, offset, then three cells per byte
/// (gap and two digits), a space and one ASCII cell per byte.
pub(super) fn hex_bytes_per_row(width: usize, digits: usize) -> usize {
    let fits = |bytes: usize| digits + 4 * bytes + 2 <= width;
    HEX_WIDTHS.into_iter().find(|&bytes| fits(bytes)).unwrap_or(1)
}

/// Cells for the escaped bytes of a text row: the pane less the marker, the offset and a space.
pub(in crate::tui::panels) fn text_width(width: usize, digits: usize) -> usize {
    width.saturating_sub(digits + 2).max(1)
}

/// The cursor and selection in one pane, to highlight.
#[derive(Clone, Debug, Default)]
pub(in crate::tui::panels) struct Marks {
    pub cursor: Option<u64>,
    /// Empty when nothing is selected.
    pub selection: Range<u64>,
}

impl Marks {
    /// `style` with the cursor or selection highlight of the byte at `offset`.
    fn apply(&self, style: Style, offset: u64) -> Style {
        if self.cursor == Some(offset) {
            palette::cursor(style)
        } else if self.selection.contains(&offset) {
            palette::selected(style)
        } else {
            style
        }
    }
}

/// What a visible page of one direction needs to turn document lines into spans.
#[derive(Debug)]
pub(in crate::tui::panels) struct Painter<'a> {
    pub dir: Dir,
    pub view: DataView,
    pub stream: &'a Stream,
    pub digits: usize,
    pub width: usize,
    /// The retained bytes of the visible rows, and the stream offset of the first of them.
    pub bytes: &'a [u8],
    pub bytes_start: u64,
    pub marks: Marks,
}

impl Painter<'_> {
    /// `<── recv 17 B @ 0.512s ─────`; a datagram that arrived cut short says what was lost
    /// before the time, in the warning style, in place of the size it already gives
    /// (`<── recvfrom truncated: 40 → 16, 24 lost @ 0.003s`), so that a narrow pane cuts the
    /// time rather than the loss. Empty datagrams
    /// that came just before this one, having no byte to show, are named first, dim:
    /// `<── (empty datagram) recvfrom 3 B @ …`.
    pub(super) fn separator(&self, chunk: &Chunk, cx: &RenderContext) -> Line<'static> {
        let style = palette::dir(self.dir);
        let name = palette::call_name(self.dir, self.stream, chunk.offset);
        let empties = match self.stream.empty_datagrams_at(chunk.offset) {
            0 => String::new(),
            1 => "(empty datagram) ".to_owned(),
            n => format!("({n} empty datagrams) "),
        };
        let marker = format!("{}── ", palette::dir_marker(self.dir));
        let lost = self.stream.truncation_at(chunk.offset);
        let head = match lost {
            Some(_) => format!("{name} "),
            None => format!("{name} {} B ", chunk.len),
        };
        let time = format!("@ {} ", kit::seconds(chunk.t_us));
        let lost = lost.map(|t| format!("{} ", t.describe_short(cx.glyphs.arrow())));
        let used = [Some(&marker), Some(&empties), Some(&head), lost.as_ref(), Some(&time)]
            .into_iter()
            .flatten()
            .map(|text| text.chars().count())
            .sum::<usize>();
        let fill = "─".repeat(self.width.saturating_sub(used));
        let mut spans = vec![Span::styled(marker, style)];
        if !empties.is_empty() {
            spans.push(ui_span(cx.glyphs, &empties, cx.theme.dim()));
        }
        spans.push(Span::styled(head, style));
        if let Some(text) = lost {
            spans.push(ui_span(cx.glyphs, &text, cx.theme.warning()));
        }
        spans.push(Span::styled(time + &fill, style));
        Line::from(spans)
    }

    /// The row of the bytes in `range`.
    pub(in crate::tui::panels) fn row(
        &self,
        range: &Range<u64>,
        cx: &RenderContext,
    ) -> Line<'static> {
        let style = palette::dir(self.dir);
        let mut spans = vec![
            Span::styled(palette::dir_marker(self.dir), style.add_modifier(Modifier::BOLD)),
            Span::styled(format!("{:0width$x}", range.start, width = self.digits), style),
        ];
        match self.view {
            DataView::Hex => self.hex_cells(range, &mut spans, cx),
            DataView::Text => self.text_cells(range, &mut spans, cx),
        }
        Line::from(spans)
    }

    /// The bytes of `range` that are in memory, with the stream offset of the first.
    fn present(&self, range: &Range<u64>) -> (u64, &[u8]) {
        let end = self.bytes_start + self.bytes.len() as u64;
        let from = range.start.clamp(self.bytes_start, end);
        let to = range.end.clamp(from, end);
        let slice = &self.bytes
            [kit::to_usize(from - self.bytes_start)..kit::to_usize(to - self.bytes_start)];
        (from, slice)
    }

    /// Offsets in `range` where a retained chunk starts.
    fn chunk_starts(&self, range: &Range<u64>) -> Vec<u64> {
        let chunks = self.stream.chunks();
        let retained = self.stream.retained().start;
        let first = chunks.partition_point(|chunk| chunk.offset < range.start.max(retained));
        chunks[first..].iter().map(|chunk| chunk.offset).take_while(|&at| at < range.end).collect()
    }

    /// The style of the byte at `offset`: its class, underlined in the message in progress,
    /// highlighted under the cursor or in the selection.
    fn byte_style(&self, byte: u8, offset: u64, cx: &RenderContext) -> Style {
        let style = palette::byte(classify(byte), self.dir, &cx.theme);
        let leftover = self.stream.leftover();
        let style = if leftover.contains(&offset) { palette::leftover(style) } else { style };
        self.marks.apply(style, offset)
    }

    fn hex_cells(&self, range: &Range<u64>, spans: &mut Vec<Span<'static>>, cx: &RenderContext) {
        let starts = self.chunk_starts(range);
        let (first, bytes) = self.present(range);
        let byte_at = |offset: u64| {
            let index = offset.checked_sub(first)?;
            bytes.get(kit::to_usize(index)).copied()
        };
        for offset in range.clone() {
            spans.push(if starts.contains(&offset) {
                Span::styled("|", palette::chunk_mark())
            } else {
                Span::raw(" ")
            });
            spans.push(match byte_at(offset) {
                Some(byte) => {
                    Span::styled(format!("{byte:02x}"), self.byte_style(byte, offset, cx))
                }
                None => Span::raw("  "),
            });
        }
        spans.push(Span::raw(" "));
        for offset in range.clone() {
            spans.push(match byte_at(offset) {
                // `ascii_cell` yields printable ASCII or `.`; `ui_span` still guards it.
                Some(byte) => ui_span(
                    cx.glyphs,
                    &ascii_cell(byte).to_string(),
                    self.byte_style(byte, offset, cx),
                ),
                None => Span::raw(" "),
            });
        }
    }

    /// The escaped bytes, styled token by token (a chunk's first byte always starts a text
    /// row, after the chunk's separator, so text rows need no chunk marks).
    fn text_cells(&self, range: &Range<u64>, spans: &mut Vec<Span<'static>>, cx: &RenderContext) {
        let (first, bytes) = self.present(range);
        spans.push(Span::raw(" "));
        let leftover = self.stream.leftover();
        spans.extend(peer_token_spans(cx.glyphs, bytes, |token| {
            let start = first + token.start as u64;
            let end = first + token.end as u64;
            let style = palette::dir(self.dir);
            let style = if leftover.contains(&start) { palette::leftover(style) } else { style };
            match self.marks.cursor {
                Some(cursor) if (start..end).contains(&cursor) => palette::cursor(style),
                _ if self.marks.selection.start < end && start < self.marks.selection.end => {
                    palette::selected(style)
                }
                _ => style,
            }
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_grow_with_the_stream() {
        assert_eq!(offset_digits(0), 4);
        assert_eq!(offset_digits(0x1_0000), 4);
        assert_eq!(offset_digits(0x1_0001), 5);
        assert_eq!(offset_digits(1 << 30), 8);
        assert_eq!(offset_digits(u64::MAX), 16);
    }

    #[test]
    fn rows_fit_the_width() {
        assert_eq!(hex_bytes_per_row(200, 8), 16);
        assert_eq!(hex_bytes_per_row(1 + 4 + 64 + 1, 4), 16);
        assert_eq!(hex_bytes_per_row(1 + 4 + 64, 4), 8);
        assert_eq!(hex_bytes_per_row(0, 4), 1);
        assert_eq!(text_width(46, 4), 40);
        assert_eq!(text_width(0, 4), 1);
    }
}
