//! Terminal-safe escaping: the one path by which peer bytes and file names reach the screen.
//!
//! A peer controls every byte it sends. Written raw, those bytes could move the cursor, ask the
//! terminal to answer (`ESC [ 6 n`), set the clipboard (OSC 52), reorder the line with bidi
//! overrides, or hide text with zero-width characters. Everything here maps bytes to text that
//! only *shows*: each non-printing character becomes a visible escape, and the escapes are
//! unambiguous (`\\` for a backslash, `\xNN` for a raw byte, `\u{..}` for a decoded character),
//! so what the user reads identifies the exact bytes.

use std::fmt::Write as _;

/// Which characters may pass through as themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repertoire {
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
    let mut out = String::with_capacity(text.len());
    push_escaped_str(&mut out, text, Repertoire::Unicode, false);
    out
}

/// Like [`escape_bytes`], but every non-ASCII character also becomes `\u{..}`, for terminals
/// that cannot display anything beyond ASCII.
#[must_use]
pub fn escape_ascii_only(bytes: &[u8]) -> String {
    escape_with(bytes, Repertoire::Ascii)
}

/// Whether `c` appears as itself in escaped output.
///
/// False for the backslash (it introduces escapes, so it is doubled), for every control
/// character, and for characters a terminal would draw as nothing or that change how the
/// surrounding text is laid out. See [`is_invisible`] for the exact list.
#[must_use]
pub fn is_safe_char(c: char) -> bool {
    match c {
        '\\' => false,
        ' '..='~' => true,
        _ if c.is_ascii() => false,
        _ => !c.is_control() && !is_invisible(c),
    }
}

fn escape_with(bytes: &[u8], repertoire: Repertoire) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut after_char = false;
    for chunk in bytes.utf8_chunks() {
        after_char = push_escaped_str(&mut out, chunk.valid(), repertoire, after_char);
        for &byte in chunk.invalid() {
            push_hex_byte(&mut out, byte);
            after_char = false;
        }
    }
    out
}

/// Escapes `text`; `after_char` says whether the output so far ends with a character that
/// passed through as itself. Returns the same for the output after `text`.
fn push_escaped_str(
    out: &mut String,
    text: &str,
    repertoire: Repertoire,
    after_char: bool,
) -> bool {
    text.chars().fold(after_char, |after_char, c| push_escaped_char(out, c, repertoire, after_char))
}

/// Writes `c` as itself or as an escape; returns whether it passed through as itself.
///
/// A combining mark draws on the character before it. Where that is not a character of the
/// text (at the start, or after an escape, where it would be the last digit of `\x1b`, or
/// whatever the screen shows left of the text) a mark could disguise what was sent, so it is
/// escaped too.
fn push_escaped_char(out: &mut String, c: char, repertoire: Repertoire, after_char: bool) -> bool {
    let passes = is_safe_char(c)
        && (repertoire == Repertoire::Unicode || c.is_ascii())
        && (after_char || !is_combining(c));
    match c {
        _ if passes => out.push(c),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        // C0 controls and DEL are single bytes either way; `\xNN` matches how hex views show them.
        _ if c.is_ascii() => push_hex_byte(out, c as u8),
        _ => {
            // Writing into a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
    passes
}

/// Combining marks: the main blocks of general category Mn/Me (diacriticals for Latin, Greek,
/// Cyrillic, Hebrew, Arabic, the extended and supplement blocks, marks for symbols, half marks).
/// Marks of other scripts are not listed; std has no Unicode category tables.
#[must_use]
pub fn is_combining(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0300..=0x036f
            | 0x0483..=0x0489
            | 0x0591..=0x05bd
            | 0x0610..=0x061a
            | 0x064b..=0x065f
            | 0x1ab0..=0x1aff
            | 0x1dc0..=0x1dff
            | 0x20d0..=0x20ff
            | 0xfe20..=0xfe2f
    )
}

fn push_hex_byte(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\x");
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0x0f)]));
}

/// Non-control characters that draw nothing, reorder text, or have no agreed glyph.
///
/// The set: Unicode's `Default_Ignorable_Code_Point` (soft hyphen, zero-width and joiner
/// characters, bidi marks/embeddings/isolates, variation selectors, Hangul fillers, tags), the
/// remaining format characters of general category Cf (Arabic number signs, interlinear
/// annotation, Egyptian hieroglyph format controls, ...), the line and paragraph separators,
/// private-use characters (their glyph depends on the font, so the user cannot tell what was
/// sent) and noncharacters. Unassigned code points are not detected: that needs Unicode tables
/// (outside std), and a terminal shows them as a replacement box anyway.
#[must_use]
pub fn is_invisible(c: char) -> bool {
    let code = u32::from(c);
    is_noncharacter(code)
        || matches!(
            code,
            0x00ad
                | 0x034f
                | 0x0600..=0x0605
                | 0x061c
                | 0x06dd
                | 0x070f
                | 0x0890..=0x0891
                | 0x08e2
                | 0x115f..=0x1160
                | 0x17b4..=0x17b5
                | 0x180b..=0x180f
                | 0x200b..=0x200f
                | 0x2028..=0x202e
                | 0x2060..=0x206f
                | 0x3164
                | 0xe000..=0xf8ff
                | 0xfe00..=0xfe0f
                | 0xfeff
                | 0xffa0
                | 0xfff0..=0xfffb
                | 0x110bd
                | 0x110cd
                | 0x13430..=0x1343f
                | 0x1bca0..=0x1bca3
                | 0x1d173..=0x1d17a
                | 0xe0000..=0xe0fff
                | 0xf0000..=0x10_ffff
        )
}

/// Code points Unicode reserves as never-assigned: U+FDD0..U+FDEF and the last two of each plane.
fn is_noncharacter(code: u32) -> bool {
    (0xfdd0..=0xfdef).contains(&code) || code & 0xfffe == 0xfffe
}
