//! The lines of the Data document as spans: hex rows, text rows and chunk separators.
//!
//! A hex row: `<0010 68|65 6c 6c  hell` (direction marker, offset, bytes coloured by class, a
//! `|` in the gap before the first byte of each `recv`/`send` chunk, the ASCII column).
//! A text row: `<0010 he|llo\r\n` (the same bytes escaped). Rows hold a fixed number of bytes
//! so the document can be addressed without reading it; a text row that escapes wider than the
//! panel is cut, and the last cell shows `…` (the hex view shows every byte).

use super::super::{kit, palette};
use super::doc::Doc;
use crate::event::Dir;
use crate::inspect::hexdump::{ascii_cell, classify};
use crate::session::Chunk;
use crate::tui::DataView;
use crate::tui::text::{peer_span, ui_span};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use std::ops::Range;

/// Hex rows hold the most of these that fit (16 is `hexdump -C`'s row).
const HEX_WIDTHS: [u64; 5] = [16, 8, 4, 2, 1];

/// Fewest hex digits of an offset column.
const MIN_OFFSET_DIGITS: usize = 4;

/// Hex digits for offsets of a stream of `total` bytes (grows with it).
pub(super) fn offset_digits(total: u64) -> usize {
    let last = total.saturating_sub(1);
    let digits = (u64::BITS - last.leading_zeros()).div_ceil(4) as usize;
    digits.max(MIN_OFFSET_DIGITS)
}

/// Bytes per row for a pane `width` cells wide.
///
/// Hex: marker, offset, then three cells per byte (gap and two digits), a space and one ASCII
/// cell per byte. Text: marker, offset, a space, then the escaped bytes; most text escapes to
/// about one cell a byte, and `\r\n` or a tab to two, so a row holds three bytes for every
/// four cells and ordinary text lines fit.
pub(super) fn bytes_per_row(view: DataView, width: usize, digits: usize) -> u64 {
    match view {
        DataView::Hex => {
            let fits = |bytes: u64| digits as u64 + 4 * bytes + 2 <= width as u64;
            HEX_WIDTHS.into_iter().find(|&bytes| fits(bytes)).unwrap_or(1)
        }
        DataView::Text => (width.saturating_sub(digits + 2) as u64 * 3 / 4).max(1),
    }
}

/// The cursor and selection in one pane, to highlight.
#[derive(Clone, Debug, Default)]
pub(super) struct Marks {
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

    /// Offsets where the highlight changes, for cutting text into pieces.
    fn edges(&self) -> impl Iterator<Item = u64> {
        let cursor = self.cursor.into_iter().flat_map(|at| [at, at.saturating_add(1)]);
        let selection = (!self.selection.is_empty())
            .then_some([self.selection.start, self.selection.end])
            .into_iter()
            .flatten();
        cursor.chain(selection)
    }
}

/// What a visible page of one direction needs to turn document lines into spans.
#[derive(Debug)]
pub(super) struct Painter<'a> {
    pub dir: Dir,
    pub view: DataView,
    pub doc: Doc<'a>,
    pub digits: usize,
    pub width: usize,
    /// The retained bytes of the visible rows, and the stream offset of the first of them.
    pub bytes: &'a [u8],
    pub bytes_start: u64,
    pub marks: Marks,
}

impl Painter<'_> {
    /// `<── recv 17 B @ 0.512s ─────`.
    pub(super) fn separator(&self, chunk: &Chunk) -> Line<'static> {
        let name = palette::call_name(self.dir);
        let label = format!(
            "{}── {name} {} B @ {} ",
            palette::dir_marker(self.dir),
            chunk.len,
            kit::seconds(chunk.t_us)
        );
        let fill = self.width.saturating_sub(label.chars().count());
        Line::from(Span::styled(label + &"─".repeat(fill), palette::dir(self.dir)))
    }

    /// Row `row` and whether its text is wider than the pane (text view only).
    pub(super) fn row(&self, row: u64) -> (Line<'static>, bool) {
        let range = self.doc.row_range(row);
        let style = palette::dir(self.dir);
        let mut spans = vec![
            Span::styled(palette::dir_marker(self.dir), style.add_modifier(Modifier::BOLD)),
            Span::styled(format!("{:0width$x}", range.start, width = self.digits), style),
        ];
        match self.view {
            DataView::Hex => self.hex_cells(&range, &mut spans),
            DataView::Text => self.text_cells(&self.whole_chars(&range), &mut spans),
        }
        let line = Line::from(spans);
        let overflows = line.width() > self.width;
        (line, overflows)
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
        let chunks = self.doc.stream.chunks();
        let retained = self.doc.stream.retained().start;
        let first = chunks.partition_point(|chunk| chunk.offset < range.start.max(retained));
        chunks[first..].iter().map(|chunk| chunk.offset).take_while(|&at| at < range.end).collect()
    }

    /// The style of the byte at `offset`: its class, underlined in the message in progress,
    /// highlighted under the cursor or in the selection.
    fn byte_style(&self, byte: u8, offset: u64) -> Style {
        let style = palette::byte(classify(byte), self.dir);
        let leftover = self.doc.stream.leftover();
        let style = if leftover.contains(&offset) { palette::leftover(style) } else { style };
        self.marks.apply(style, offset)
    }

    fn hex_cells(&self, range: &Range<u64>, spans: &mut Vec<Span<'static>>) {
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
                Some(byte) => Span::styled(format!("{byte:02x}"), self.byte_style(byte, offset)),
                None => Span::raw("  "),
            });
        }
        spans.push(Span::raw(" "));
        for offset in range.clone() {
            spans.push(match byte_at(offset) {
                // `ascii_cell` yields printable ASCII or `.`; `ui_span` still guards it.
                Some(byte) => ui_span(&ascii_cell(byte).to_string(), self.byte_style(byte, offset)),
                None => Span::raw(" "),
            });
        }
    }

    /// `range` moved so that no UTF-8 character is split between two text rows: a character
    /// that straddles a row's end belongs to that row, and the next row starts after it (the
    /// caller reads [`UTF8_MARGIN`] bytes beyond the visible rows for this).
    fn whole_chars(&self, range: &Range<u64>) -> Range<u64> {
        let byte_at = |offset: u64| {
            let index = offset.checked_sub(self.bytes_start)?;
            self.bytes.get(kit::to_usize(index)).copied()
        };
        let start = straddle_end(byte_at, range.start).unwrap_or(range.start);
        start..straddle_end(byte_at, range.end).unwrap_or(range.end).max(start)
    }

    /// Escaped text, cut where a chunk starts (to draw its `|`), where the message in
    /// progress starts (to underline it) and where the cursor or selection highlight changes.
    fn text_cells(&self, range: &Range<u64>, spans: &mut Vec<Span<'static>>) {
        let starts = self.chunk_starts(range);
        let (first, bytes) = self.present(range);
        spans.push(Span::raw(" "));
        let leftover = self.doc.stream.leftover().start;
        let end = first + bytes.len() as u64;
        let mut cuts: Vec<u64> = starts
            .iter()
            .copied()
            .chain([leftover])
            .chain(self.marks.edges())
            .filter(|&at| at > first && at < end)
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let ends = cuts.iter().copied().chain([end]);
        let mut from = first;
        for to in ends {
            if starts.contains(&from) {
                spans.push(Span::styled("|", palette::chunk_mark()));
            }
            let piece = &bytes[kit::to_usize(from - first)..kit::to_usize(to - first)];
            let style = palette::dir(self.dir);
            let style = if from >= leftover { palette::leftover(style) } else { style };
            spans.push(peer_span(piece, self.marks.apply(style, from)));
            from = to;
        }
    }
}

/// Bytes a text row may borrow from its neighbours to keep a character whole.
pub(super) const UTF8_MARGIN: u64 = 3;

/// Where the UTF-8 character that straddles `at` ends, if one does: a valid sequence that
/// starts before `at` and ends after it.
fn straddle_end(byte_at: impl Fn(u64) -> Option<u8>, at: u64) -> Option<u64> {
    for back in 1..=UTF8_MARGIN {
        let lead_at = at.checked_sub(back)?;
        let len = match byte_at(lead_at)? {
            0x80..=0xbf => continue,
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => return None,
        };
        let end = lead_at + len;
        let sequence: Option<Vec<u8>> = (lead_at..end).map(&byte_at).collect();
        let whole = sequence.is_some_and(|bytes| std::str::from_utf8(&bytes).is_ok());
        return (end > at && whole).then_some(end);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_straddling_a_row_end_stay_whole() {
        let text = "aé€😀".as_bytes(); // 61 | c3 a9 | e2 82 ac | f0 9f 98 80
        let byte_at = |offset: u64| text.get(usize::try_from(offset).ok()?).copied();
        let ends: Vec<Option<u64>> = (0..=10).map(|at| straddle_end(byte_at, at)).collect();
        let expected = [None, None, Some(3), None, Some(6), Some(6), None, Some(10), Some(10)];
        assert_eq!(ends[..9], expected);
        assert_eq!(ends[9..], [Some(10), None]);
        // Invalid or unknown neighbours never move a row's edge.
        let broken = [0xe2, 0x82, b'x'];
        let byte_at = |offset: u64| broken.get(usize::try_from(offset).ok()?).copied();
        assert_eq!(straddle_end(byte_at, 1), None);
        assert_eq!(straddle_end(|_| None, 5), None);
    }

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
        assert_eq!(bytes_per_row(DataView::Hex, 200, 8), 16);
        assert_eq!(bytes_per_row(DataView::Hex, 1 + 4 + 64 + 1, 4), 16);
        assert_eq!(bytes_per_row(DataView::Hex, 1 + 4 + 64, 4), 8);
        assert_eq!(bytes_per_row(DataView::Hex, 0, 4), 1);
        assert_eq!(bytes_per_row(DataView::Text, 46, 4), 30);
        assert_eq!(bytes_per_row(DataView::Text, 0, 4), 1);
    }
}
