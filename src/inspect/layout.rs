//! Escaped text cut into rows by display width: the text view's layout.
//!
//! A row ends after a line feed (so a line protocol reads line by line, as in every pager), or
//! before the token that would not fit the width. It never cuts a token: the escaped form of
//! every byte lands whole on exactly one row. A token wider than the whole row (only possible
//! in a pane narrower than one escape) gets a row of its own.

use super::escape::{Repertoire, Token, tokens};
use std::ops::Range;

/// The rows of `bytes` (which start a row) at `width` cells, as byte ranges in order, covering
/// `bytes` exactly.
#[must_use]
pub fn text_rows(bytes: &[u8], width: usize, repertoire: Repertoire) -> Vec<Range<usize>> {
    let mut rows = Vec::new();
    let mut start = 0;
    let mut at = 0;
    let mut used = 0;
    for token in tokens(bytes, repertoire) {
        if used > 0 && used + token.width > width {
            rows.push(start..at);
            (start, used) = (at, 0);
        }
        at += token.len;
        used += token.width;
        if token.is_newline() {
            rows.push(start..at);
            (start, used) = (at, 0);
        }
    }
    if start < at {
        rows.push(start..at);
    }
    rows
}

/// The tokens of `bytes` with their offsets, for drawing a row: `(offset, token)`.
pub fn placed_tokens(
    bytes: &[u8],
    repertoire: Repertoire,
) -> impl Iterator<Item = (usize, Token)> + '_ {
    tokens(bytes, repertoire).scan(0, |at, token| {
        let placed = (*at, token);
        *at += token.len;
        Some(placed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::escape::escape_bytes;

    fn rows_text(bytes: &[u8], width: usize) -> Vec<String> {
        text_rows(bytes, width, Repertoire::Unicode)
            .into_iter()
            .map(|row| escape_bytes(&bytes[row]))
            .collect()
    }

    #[test]
    fn rows_end_after_each_line_feed() {
        assert_eq!(
            rows_text(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 80),
            ["GET / HTTP/1.1\\r\\n", "Host: x\\r\\n", "\\r\\n"]
        );
        assert_eq!(rows_text(b"a\nb", 80), ["a\\n", "b"]);
        assert!(rows_text(b"", 80).is_empty());
    }

    #[test]
    fn rows_wrap_between_tokens_and_never_cut_one() {
        assert_eq!(rows_text(b"abcdef", 4), ["abcd", "ef"]);
        // `\x1b` takes four cells: it moves whole to the next row.
        assert_eq!(rows_text(b"ab\x1bc", 5), ["ab", "\\x1bc"]);
        // A double-width character does not straddle the edge.
        assert_eq!(rows_text("ab日本".as_bytes(), 5), ["ab日", "本"]);
        // A character keeps its combining marks.
        assert_eq!(rows_text("abe\u{301}".as_bytes(), 2), ["ab", "e\u{301}"]);
        // Narrower than one escape: the escape has a row of its own.
        assert_eq!(rows_text(b"\x00\x01", 2), ["\\x00", "\\x01"]);
    }

    #[test]
    fn rows_cover_every_byte_once_and_fit() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(2000).collect();
        for width in [1, 7, 40, 133] {
            let rows = text_rows(&bytes, width, Repertoire::Unicode);
            let mut next = 0;
            for row in rows {
                assert_eq!(row.start, next);
                assert!(row.end > row.start);
                let text = escape_bytes(&bytes[row.clone()]);
                let cells = unicode_width::UnicodeWidthStr::width(text.as_str());
                assert!(cells <= width.max(6), "{text:?} in {width}");
                next = row.end;
            }
            assert_eq!(next, bytes.len());
        }
    }
}
