//! One call laid out in rows of the panel's width: its time, the call, then its "why" note.
//!
//! Nothing is cut: a call longer than the row (an error message, a Unix path) continues on
//! the next rows, and a note that does not fit continues at a word boundary, both indented
//! under the call so the time column stays clear. The Calls panel and its row count
//! ([`super::rows`]) lay calls out with this one function, so scrolling counts exactly the
//! rows that are drawn.

use super::why;
use crate::inspect::prose;
use crate::locale::Lang;
use crate::session::Call;
use crate::tui::glyphs::Glyphs;
use crate::tui::panels::{kit, palette};
use crate::tui::text::{peer_text_span, ui_span};
use crate::tui::theme::Theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Least room a continuation row keeps for text; narrower panels do not indent.
const MIN_TEXT: usize = 12;

/// How calls are laid out: the same shape gives the same rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Cells per row (at least 1).
    pub width: usize,
    /// Width of the time column, without the space after it.
    pub time_width: usize,
    /// Whether "why" notes are shown.
    pub notes: bool,
    /// The language they are shown in.
    pub lang: Lang,
    pub glyphs: Glyphs,
}

/// The rows `call` takes in `shape`, styled by `theme` (which never changes how many).
#[must_use]
pub fn rows(call: &Call, shape: Shape, theme: &Theme) -> Vec<Line<'static>> {
    let time_width = shape.time_width;
    let mut out = Rows::new(shape);
    out.hard(&format!("{:>time_width$} ", kit::seconds(call.t_us)), palette::still(theme));
    let style = palette::call(&call.kind, theme);
    let text = peer_text_span(shape.glyphs, &call.to_string(), style);
    out.words(&text.content, text.style, "");
    if let Some(note) = why::note(&call.kind, shape.lang).filter(|_| shape.notes) {
        // The arrow key's stand-in is a word (`Left`); here an arrow is meant.
        let arrow = if shape.glyphs == Glyphs::Ascii { "<-" } else { "←" };
        let note = ui_span(shape.glyphs, &format!("{arrow} {note}"), palette::why());
        out.words(&note.content, note.style, "  ");
    }
    out.finish()
}

/// Rows being filled left to right.
struct Rows {
    width: usize,
    indent: usize,
    done: Vec<Line<'static>>,
    row: Vec<Span<'static>>,
    used: usize,
}

impl Rows {
    fn new(shape: Shape) -> Self {
        let width = shape.width.max(1);
        let indent = shape.time_width + 1;
        let indent = if indent + MIN_TEXT <= width { indent } else { 0 };
        Self { width, indent, done: Vec::new(), row: Vec::new(), used: 0 }
    }

    fn room(&self) -> usize {
        self.width.saturating_sub(self.used)
    }

    /// Ends the row; the next one starts indented under the call.
    fn next_row(&mut self) {
        self.done.push(Line::from(std::mem::take(&mut self.row)));
        self.row.push(Span::raw(" ".repeat(self.indent)));
        self.used = self.indent;
    }

    fn push(&mut self, text: String, style: Style) {
        self.used += cells(&text);
        self.row.push(Span::styled(text, style));
    }

    /// Text that may break anywhere: as much as fits on each row.
    fn hard(&mut self, text: &str, style: Style) {
        let mut rest = text;
        while !rest.is_empty() {
            let (head, tail) = split_at_cells(rest, self.room());
            if head.is_empty() && self.used > self.indent {
                self.next_row();
                continue;
            }
            // Nothing fits even on a fresh row (a wide character in a 1-cell panel): take
            // one character anyway, so the text always moves on.
            let (head, tail) = if head.is_empty() { split_first(rest) } else { (head, tail) };
            self.push(head.to_string(), style);
            rest = tail;
            if !rest.is_empty() {
                self.next_row();
            }
        }
    }

    /// `lead`, then `text` word by word, each on the row where it fits (a word longer than a
    /// row breaks where the row ends). Spaces stay as they are, except where a row ends. A
    /// word of Chinese text may also break between its characters, as Chinese is written
    /// without spaces.
    fn words(&mut self, text: &str, style: Style, lead: &str) {
        for (n, word) in text.split(' ').enumerate() {
            let gap = if n == 0 { lead } else { " " };
            if word.is_empty() {
                if cells(gap) <= self.room() {
                    self.push(gap.to_string(), style);
                }
                continue;
            }
            for (i, piece) in breakable(word).into_iter().enumerate() {
                self.word(if i == 0 { gap } else { "" }, piece, style);
            }
        }
    }

    /// `gap` and `word` where they fit: on this row, else on the next, else broken.
    fn word(&mut self, gap: &str, word: &str, style: Style) {
        if cells(gap) + cells(word) <= self.room() {
            self.push(format!("{gap}{word}"), style);
        } else if self.indent + cells(word) <= self.width {
            self.next_row();
            self.push(word.to_string(), style);
        } else {
            if self.used > self.indent {
                self.next_row();
            }
            self.hard(word, style);
        }
    }

    fn finish(mut self) -> Vec<Line<'static>> {
        self.done.push(Line::from(self.row));
        self.done
    }
}

fn cells(text: &str) -> usize {
    Span::raw(text).width()
}

/// The pieces of `word` a row may end between: where Unicode allows a break in a word with
/// wide (Chinese) characters, else the whole word, so that a path or `recv(5)` stays whole.
fn breakable(word: &str) -> Vec<&str> {
    if cells(word) > word.chars().count() { prose::pieces(word) } else { vec![word] }
}

/// The longest prefix of `text` at most `width` cells wide, and the rest.
fn split_at_cells(text: &str, width: usize) -> (&str, &str) {
    let mut used = 0;
    let mut utf8 = [0; 4];
    for (at, c) in text.char_indices() {
        used += cells(c.encode_utf8(&mut utf8));
        if used > width {
            return text.split_at(at);
        }
    }
    (text, "")
}

fn split_first(text: &str) -> (&str, &str) {
    let first = text.chars().next().map_or(0, char::len_utf8);
    text.split_at(first)
}

/// The shape of the selected panel's calls as drawn now: `width` cells, the notes (`None`:
/// hidden, else in that language) and the glyphs of the current draw.
#[must_use]
pub fn shape(width: usize, time_width: usize, notes: Option<Lang>, glyphs: Glyphs) -> Shape {
    let (notes, lang) = (notes.is_some(), notes.unwrap_or_default());
    Shape { width: width.max(1), time_width, notes, lang, glyphs }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{ErrorKind, Op, SocketType};
    use crate::session::CallKind;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    fn shape(width: usize) -> Shape {
        Shape { width, time_width: 6, notes: true, lang: Lang::En, glyphs: Glyphs::Unicode }
    }

    #[test]
    fn a_call_that_fits_is_one_row() {
        let call =
            Call { t_us: 1_500_000, kind: CallKind::Recv { max: 4096, len: 17 }, site: None };
        assert_eq!(text(&rows(&call, shape(40), &Theme::default())), ["1.500s recv(4096) -> 17"]);
    }

    #[test]
    fn a_note_that_does_not_fit_continues_at_a_word_under_the_call() {
        let eof = Call { t_us: 1_500_000, kind: CallKind::Eof { write_shut: false }, site: None };
        let lines = text(&rows(&eof, shape(40), &Theme::default()));
        assert_eq!(lines[0], "1.500s recv -> 0 (EOF)  ← the peer will");
        assert!(lines[1].starts_with("       send nothing"), "{lines:?}");
        let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(
            words.join(" "),
            "1.500s recv -> 0 (EOF) ← the peer will send nothing more; you may still send"
        );
        assert!(lines.iter().all(|l| Span::raw(l.as_str()).width() <= 40), "{lines:?}");
    }

    #[test]
    fn a_long_call_breaks_where_the_row_ends() {
        let message = "x".repeat(70);
        let kind = CallKind::Error {
            op: Op::Recv,
            socket: SocketType::Stream,
            kind: ErrorKind::Other,
            message,
        };
        let lines = text(&rows(&Call { t_us: 0, kind, site: None }, shape(40), &Theme::default()));
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| Span::raw(l.as_str()).width() <= 40), "{lines:?}");
        let joined: String = lines.iter().map(|l| l.trim_start()).collect();
        assert!(joined.ends_with(&"x".repeat(70)), "{joined}");
    }

    #[test]
    fn tiny_widths_still_end() {
        let eof = Call { t_us: 0, kind: CallKind::Eof { write_shut: false }, site: None };
        for width in 0..8 {
            let lines = rows(&eof, shape(width), &Theme::default());
            assert!(!lines.is_empty());
        }
    }

    #[test]
    fn in_ascii_the_note_points_with_an_ascii_arrow() {
        let eof = Call { t_us: 0, kind: CallKind::Eof { write_shut: false }, site: None };
        let ascii = Shape { glyphs: Glyphs::Ascii, ..shape(200) };
        let line = text(&rows(&eof, ascii, &Theme::default())).concat();
        assert!(line.contains("  <- the peer will send nothing more"), "{line}");
        assert!(line.is_ascii(), "{line}");
    }

    /// A Chinese note fills each row to the panel's width, breaking between characters; no
    /// character is cut or lost.
    #[test]
    fn a_chinese_note_fills_its_rows_and_keeps_every_character() {
        let eof = Call { t_us: 1_500_000, kind: CallKind::Eof { write_shut: true }, site: None };
        let note = why::note(&eof.kind, Lang::ZhTw).expect("a note");
        for width in [24, 31, 40, 57] {
            let zh = Shape { lang: Lang::ZhTw, ..shape(width) };
            let lines = text(&rows(&eof, zh, &Theme::default()));
            assert!(lines.iter().all(|l| cells(l) <= width), "{width}: {lines:?}");
            let joined: String = lines.iter().flat_map(|l| l.split_whitespace()).collect();
            assert!(joined.contains(&note.replace(' ', "")), "{width}: {lines:?}");
            // The call's own row ends where the note's lead (`  ←`) does not fit; after it,
            // each row ends only where the next character would not fit.
            for pair in lines.windows(2).skip(1) {
                let next = pair[1].trim_start().chars().next().map_or(0, |c| cells(&c.to_string()));
                assert!(cells(&pair[0]) + next > width, "{width}: a row ends early: {lines:?}");
            }
        }
    }
}
