//! Terminal-safe escaping: the one path by which peer bytes and file names reach the screen.
//!
//! A peer controls every byte it sends. Written raw, those bytes could move the cursor, ask the
//! terminal to answer (`ESC [ 6 n`), set the clipboard (OSC 52), reorder the line with bidi
//! overrides, or hide text with zero-width characters. Everything here maps bytes to text that
//! only *shows*: each non-printing character becomes a visible escape, and the escapes are
//! unambiguous (`\\` for a backslash, `\xNN` for a raw byte, `\u{..}` for a decoded character),
//! so what the user reads identifies the exact bytes.
//!
//! Every output (the UI's panels, the headless log, exports) escapes through [`tokens`], so
//! one rule decides what passes, and a layout can measure and wrap exactly what is drawn. The
//! character classes come from Unicode's data (`unicode-properties` for the general category,
//! `unicode-width` for the cells a character takes), not from hand-kept ranges.

use std::fmt::Write as _;
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};
use unicode_width::UnicodeWidthChar;

/// Which characters may pass through as themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repertoire {
    /// Printable Unicode passes through (UTF-8 terminals).
    Unicode,
    /// Only printable ASCII passes through (`LC_ALL=C` terminals, logs piped to old tools).
    Ascii,
}

/// Escapes bytes for display: valid UTF-8 is decoded, each invalid byte becomes `\xNN`.
///
/// A raw `0x9b` byte (invalid UTF-8) shows as `\x9b`, whereas the encoded character U+009B
/// (`c2 9b`) shows as `\u{9b}`, so the two stay distinguishable.
#[must_use]
pub fn escape_bytes(bytes: &[u8]) -> String {
    escape_with(bytes, Repertoire::Unicode)
}

/// Escapes text (file names, addresses, error messages that quote peer data) by the same rules
/// as [`escape_bytes`].
#[must_use]
pub fn escape_str(text: &str) -> String {
    escape_bytes(text.as_bytes())
}

/// Like [`escape_bytes`], but every non-ASCII character also becomes `\u{..}`, for terminals
/// that cannot display anything beyond ASCII.
#[must_use]
pub fn escape_ascii_only(bytes: &[u8]) -> String {
    escape_with(bytes, Repertoire::Ascii)
}

/// Escapes `bytes` for `repertoire`.
#[must_use]
pub fn escape_with(bytes: &[u8], repertoire: Repertoire) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut at = 0;
    for token in tokens(bytes, repertoire) {
        token.write(&bytes[at..at + token.len], &mut out);
        at += token.len;
    }
    out
}

/// Whether `c` may appear as itself in escaped output (a combining mark only after a
/// character that did, see [`tokens`]).
///
/// False for the backslash (it introduces escapes, so it is doubled), for every control
/// character, and for characters a terminal would draw as nothing or that change how the
/// surrounding text is laid out: general categories Cc, Cf (format: bidi controls, zero-width
/// joiners, tags), Zl, Zp, Co (private use: the glyph depends on the font), Cs and Cn
/// (unassigned, noncharacters included), and any other character Unicode gives no width
/// (Hangul fillers, which draw as nothing).
#[must_use]
pub fn is_safe_char(c: char) -> bool {
    match c {
        '\\' => false,
        ' '..='~' => true,
        _ if c.is_ascii() => false,
        _ => !is_invisible(c) && (c.width().unwrap_or(0) > 0 || is_combining(c)),
    }
}

/// Combining marks (general category M: nonspacing, spacing and enclosing): they draw on the
/// character before them.
#[must_use]
pub fn is_combining(c: char) -> bool {
    // No ASCII character is a mark; asking the tables for each one of a payload's bytes was
    // the text log's largest cost under a flood.
    !c.is_ascii() && c.general_category_group() == GeneralCategoryGroup::Mark
}

/// Characters of the categories that never pass: controls, format characters, line and
/// paragraph separators, private use, surrogates and unassigned code points; and the
/// variation selectors.
#[must_use]
pub fn is_invisible(c: char) -> bool {
    is_variation_selector(c)
        || matches!(
            c.general_category(),
            GeneralCategory::Control
                | GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
                | GeneralCategory::PrivateUse
                | GeneralCategory::Surrogate
                | GeneralCategory::Unassigned
        )
}

/// Unicode's `Variation_Selector` property (`PropList.txt`; the general category calls them
/// marks). They draw nothing, and one after an emoji makes many terminals draw it two cells
/// wide where the width tables say one, which would shift the rest of the row.
fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{180b}'..='\u{180d}' | '\u{180f}' | '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}')
}

/// How one token of the input is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The token's bytes as they are: a character and the combining marks drawn on it.
    Text,
    /// A character shown as an escape (`\n`, `\\`, `\u{202e}`).
    Escaped(char),
    /// A byte that is not part of valid UTF-8, or an ASCII control: `\xNN`.
    Byte(u8),
}

/// The smallest piece of input that escaping shows as one unit: one invalid byte, one escaped
/// character, or one character with the marks drawn on it. Wrapping text between tokens never
/// changes how either side is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Bytes of input it covers.
    pub len: usize,
    /// Terminal cells it takes.
    pub width: usize,
    pub shown: Shown,
}

impl Token {
    /// Whether the token is the line feed, after which a text view starts a new line.
    #[must_use]
    pub fn is_newline(&self) -> bool {
        self.shown == Shown::Escaped('\n')
    }

    /// Appends the token's text to `out`; `source` is the input it covers.
    pub fn write(&self, source: &[u8], out: &mut String) {
        match self.shown {
            // Text tokens cover whole characters of valid UTF-8.
            Shown::Text => out.push_str(std::str::from_utf8(source).unwrap_or_default()),
            Shown::Escaped(c) => push_escaped(out, c),
            Shown::Byte(byte) => push_hex_byte(out, byte),
        }
    }
}

/// The tokens of `bytes`, in order; their lengths add up to `bytes.len()`.
///
/// A combining mark passes only in the token of the character it draws on. Where that is not
/// a character of the text (at the start, or after an escape, where it would draw on the last
/// digit of `\x1b`, or on whatever the screen shows left of the text) a mark could disguise
/// what was sent, so it is escaped.
#[must_use]
pub fn tokens(bytes: &[u8], repertoire: Repertoire) -> Tokens<'_> {
    Tokens { rest: bytes, repertoire }
}

/// Iterator over the tokens of some bytes; see [`tokens`].
#[derive(Clone, Debug)]
pub struct Tokens<'a> {
    rest: &'a [u8],
    repertoire: Repertoire,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let (first, len) = decode(self.rest)?;
        let token = match first {
            Err(byte) => Token { len, width: 4, shown: Shown::Byte(byte) },
            Ok(c) if self.passes(c) && !is_combining(c) => {
                let mut token = Token { len, width: c.width().unwrap_or(0), shown: Shown::Text };
                while let Some((Ok(mark), mark_len)) = decode(&self.rest[token.len..]) {
                    if !(is_combining(mark) && self.passes(mark)) {
                        break;
                    }
                    token.len += mark_len;
                    token.width += mark.width().unwrap_or(0);
                }
                token
            }
            Ok(c) if c.is_ascii() && !matches!(c, '\\' | '\n' | '\r' | '\t') => {
                Token { len, width: 4, shown: Shown::Byte(c as u8) }
            }
            Ok(c) => Token { len, width: escaped_width(c), shown: Shown::Escaped(c) },
        };
        self.rest = &self.rest[token.len..];
        Some(token)
    }
}

impl Tokens<'_> {
    fn passes(&self, c: char) -> bool {
        is_safe_char(c) && (self.repertoire == Repertoire::Unicode || c.is_ascii())
    }
}

/// The character at the start of `bytes` (or the invalid byte there) and its length.
fn decode(bytes: &[u8]) -> Option<(Result<char, u8>, usize)> {
    let &lead = bytes.first()?;
    let len = match lead {
        0x00..=0x7f => return Some((Ok(char::from(lead)), 1)),
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Some((Err(lead), 1)),
    };
    let decoded = bytes.get(..len).and_then(|head| std::str::from_utf8(head).ok());
    match decoded.and_then(|text| text.chars().next()) {
        Some(c) => Some((Ok(c), len)),
        None => Some((Err(lead), 1)),
    }
}

/// Cells of `c`'s escape: `\n` and `\\` take two, `\u{..}` four plus its hex digits.
fn escaped_width(c: char) -> usize {
    match c {
        '\\' | '\n' | '\r' | '\t' => 2,
        _ => 4 + (u32::BITS - u32::from(c).leading_zeros()).div_ceil(4).max(1) as usize,
    }
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        // Writing into a String cannot fail.
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

fn push_hex_byte(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\x");
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0x0f)]));
}
