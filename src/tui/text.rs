//! The only way text from outside becomes a `Span`.
//!
//! A peer (or a recording) controls every byte it sends; drawn raw, those bytes could move the
//! cursor, make the terminal type an answer into our input, or reorder a line with bidi
//! overrides (ratatui 0.30 passes U+202E through). So peer bytes and strings go through
//! [`crate::inspect::escape`] here, and panels build their spans with these functions only.
//!
//! On a terminal that is not UTF-8 ([`Glyphs::Ascii`], which every function here is given), the
//! escaping goes further: every non-ASCII character of peer text becomes `\u{..}` too, and the
//! UI's own glyphs become their ASCII stand-ins.

use crate::inspect::escape::{Repertoire, escape_ascii_only, escape_bytes, is_safe_char, tokens};
use crate::tui::glyphs::{self, Glyphs};
use ratatui::style::Style;
use ratatui::text::Span;
use std::ops::Range;

/// Bytes from a peer or a file, escaped (`\n`, `\x1b`, `\u{202e}`, ...).
#[must_use]
pub fn peer_span(glyphs: Glyphs, bytes: &[u8], style: Style) -> Span<'static> {
    Span::styled(escape_peer_bytes(bytes, glyphs), style)
}

/// A string that came from a peer or a file (an address, an error message, a file name).
#[must_use]
pub fn peer_text_span(glyphs: Glyphs, text: &str, style: Style) -> Span<'static> {
    // Valid UTF-8 decodes to the same characters: this is `escape_str` by the same path.
    Span::styled(escape_peer_bytes(text.as_bytes(), glyphs), style)
}

/// Peer bytes as spans, each escaping token styled by `style_of` (given the token's range in
/// `bytes`), runs of one style joined into one span. A token is never split, so a highlight
/// covers the whole escape or character its byte belongs to.
#[must_use]
pub fn peer_token_spans(
    glyphs: Glyphs,
    bytes: &[u8],
    style_of: impl Fn(Range<usize>) -> Style,
) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_style = None;
    let mut at = 0;
    for token in tokens(bytes, repertoire(glyphs)) {
        let style = style_of(at..at + token.len);
        if run_style.is_some_and(|current| current != style) {
            spans.push(Span::styled(std::mem::take(&mut run), run_style.unwrap_or_default()));
        }
        run_style = Some(style);
        token.write(&bytes[at..at + token.len], &mut run);
        at += token.len;
    }
    if let Some(style) = run_style {
        spans.push(Span::styled(run, style));
    }
    spans
}

/// The characters peer text may show as themselves in `glyphs`.
#[must_use]
pub fn repertoire(glyphs: Glyphs) -> Repertoire {
    match glyphs {
        Glyphs::Unicode => Repertoire::Unicode,
        Glyphs::Ascii => Repertoire::Ascii,
    }
}

/// The one escaping of peer bytes, for the terminal's character set.
fn escape_peer_bytes(bytes: &[u8], glyphs: Glyphs) -> String {
    match glyphs {
        Glyphs::Unicode => escape_bytes(bytes),
        Glyphs::Ascii => escape_ascii_only(bytes),
    }
}

/// The UI's own text (status messages, labels). Backslashes stay single, as the user typed
/// them, but any control or invisible character still shows as an escape: a status message
/// that quotes typed input cannot smuggle one onto the terminal. On an ASCII terminal the UI's
/// glyphs become their stand-ins and any other non-ASCII character an escape.
#[must_use]
pub fn ui_span(glyphs: Glyphs, text: &str, style: Style) -> Span<'static> {
    let mut safe = String::with_capacity(text.len());
    let mut utf8 = [0; 4];
    for c in text.chars() {
        let shown = (c == '\\' || is_safe_char(c)) && (c.is_ascii() || glyphs == Glyphs::Unicode);
        match (glyphs, glyphs::substitute(c)) {
            _ if shown => safe.push(c),
            (Glyphs::Ascii, Some(entry)) => safe.push_str(entry.text),
            _ => safe.push_str(&escape_peer_bytes(c.encode_utf8(&mut utf8).as_bytes(), glyphs)),
        }
    }
    Span::styled(safe, style)
}

/// `text` cut to at most `width` cells, ending with the ellipsis when cut.
#[must_use]
pub fn fit(text: &str, width: usize, glyphs: Glyphs) -> String {
    let cells = |text: &str| Span::raw(text).width();
    if cells(text) <= width {
        return text.to_string();
    }
    let ellipsis = glyphs.ellipsis();
    let room = width.saturating_sub(cells(ellipsis));
    let mut out = String::new();
    let mut used = 0;
    let mut utf8 = [0; 4];
    for c in text.chars() {
        let width = cells(c.encode_utf8(&mut utf8));
        if used + width > room {
            break;
        }
        used += width;
        out.push(c);
    }
    if cells(ellipsis) <= width {
        out.push_str(ellipsis);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: Glyphs = Glyphs::Unicode;

    #[test]
    fn long_text_is_cut_with_the_ellipsis() {
        assert_eq!(fit("abcdef", 6, Glyphs::Unicode), "abcdef");
        assert_eq!(fit("abcdefg", 6, Glyphs::Unicode), "abcde…");
        assert_eq!(fit("abcdefg", 6, Glyphs::Ascii), "abc...");
        assert_eq!(fit("漢字漢字", 6, Glyphs::Unicode), "漢字…");
        assert_eq!(fit("abcdefg", 2, Glyphs::Ascii), "");
        assert_eq!(fit("abcdefg", 0, Glyphs::Unicode), "");
    }

    fn assert_inert(span: &Span<'_>, what: &str) {
        let text = span.content.as_ref();
        let bad = text.chars().find(|&c| c.is_control() || !(is_safe_char(c) || c == '\\'));
        assert_eq!(bad, None, "{what}: {text:?}");
    }

    #[test]
    fn every_byte_is_inert() {
        for byte in 0..=u8::MAX {
            assert_inert(&peer_span(G, &[byte], Style::new()), &format!("byte {byte:#04x}"));
        }
        let all: Vec<u8> = (0..=u8::MAX).collect();
        assert_inert(&peer_span(G, &all, Style::new()), "all bytes");
    }

    #[test]
    fn terminal_sequences_are_inert() {
        let cases: [(&str, &[u8]); 8] = [
            ("CSI clear", b"\x1b[2J\x1b[H"),
            ("CSI cursor report", b"\x1b[6n"),
            ("OSC title", b"\x1b]0;pwned\x07"),
            ("OSC 52 clipboard", b"\x1b]52;c;aGVsbG8=\x1b\\"),
            ("raw C1 CSI", b"\x9b2J"),
            ("UTF-8 C1 CSI", "\u{9b}2J".as_bytes()),
            ("right-to-left override", "abc\u{202e}fed".as_bytes()),
            ("zero width and BOM", "a\u{200b}b\u{feff}".as_bytes()),
        ];
        for (what, bytes) in cases {
            let span = peer_span(G, bytes, Style::new());
            assert_inert(&span, what);
            let text = String::from_utf8_lossy(bytes);
            assert_inert(&peer_text_span(G, &text, Style::new()), what);
            assert_inert(&ui_span(G, &text, Style::new()), what);
        }
        assert_eq!(peer_span(G, b"\x1b[6n", Style::new()).content, "\\x1b[6n");
        assert_eq!(peer_span(G, "\u{202e}".as_bytes(), Style::new()).content, "\\u{202e}");
    }

    #[test]
    fn ui_text_keeps_single_backslashes() {
        assert_eq!(ui_span(G, r"unknown escape \q", Style::new()).content, r"unknown escape \q");
        assert_eq!(peer_text_span(G, r"a\b", Style::new()).content, r"a\\b");
    }

    #[test]
    fn ascii_terminals_get_only_printable_ascii() {
        const A: Glyphs = Glyphs::Ascii;
        let all: Vec<u8> = (0..=u8::MAX).chain("é漢\u{202e}😀".bytes()).collect();
        for span in [
            peer_span(A, &all, Style::new()),
            peer_text_span(A, &String::from_utf8_lossy(&all), Style::new()),
            ui_span(A, &String::from_utf8_lossy(&all), Style::new()),
        ] {
            assert!(span.content.chars().all(|c| c.is_ascii_graphic() || c == ' '), "{span:?}");
        }
        assert_eq!(peer_span(A, "grüße".as_bytes(), Style::new()).content, r"gr\u{fc}\u{df}e");
        assert_eq!(peer_text_span(A, "unix:/tmp/é", Style::new()).content, r"unix:/tmp/\u{e9}");
        assert_eq!(ui_span(A, "a · b — c…", Style::new()).content, "a - b - c...");
        assert_eq!(ui_span(A, "typed é", Style::new()).content, r"typed \u{e9}");
        assert_eq!(peer_span(G, "grüße".as_bytes(), Style::new()).content, "grüße");
        assert_eq!(ui_span(G, "a · b", Style::new()).content, "a · b");
    }
}
