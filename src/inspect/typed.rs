//! Bytes a person writes to send, typed in the UI or written in a lesson file: text with
//! escapes, or hex. Pure functions.
//!
//! Errors quote what was typed so the status line can say exactly what is wrong; nothing is
//! sent unless the whole input is valid.

use super::escape::{escape_str, is_safe_char};

/// The escapes `:send` and the send-text prompt understand, for messages and prompts.
pub const TEXT_ESCAPES: &str = r"\n \r \t \\ \xNN";

/// Text with escapes, as UTF-8 bytes: `\n`, `\r`, `\t`, `\\` and `\xNN` (two hex digits).
///
/// Any other escape is an error naming it, rather than a guess: `\0` or `\e` would mean
/// different bytes to different people.
pub fn parse_escaped_text(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut utf8 = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            continue;
        }
        match chars.next() {
            Some('n') => out.push(b'\n'),
            Some('r') => out.push(b'\r'),
            Some('t') => out.push(b'\t'),
            Some('\\') => out.push(b'\\'),
            Some('x') => out.push(hex_escape(&mut chars)?),
            Some(other) => {
                return Err(format!(
                    "unknown escape \\{} (use {TEXT_ESCAPES})",
                    shown(&other.to_string())
                ));
            }
            None => return Err(r"a lone \ at the end (write \\ for a backslash)".into()),
        }
    }
    Ok(out)
}

/// The two hex digits after `\x`.
fn hex_escape(chars: &mut std::str::Chars<'_>) -> Result<u8, String> {
    let digits: String = chars.clone().take(2).collect();
    let value = (digits.len() == 2 && digits.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| u8::from_str_radix(&digits, 16).ok())
        .flatten();
    match value {
        Some(byte) => {
            chars.nth(1);
            Ok(byte)
        }
        None => Err(format!("\\x{} needs two hex digits, as in \\x0a", shown(&digits))),
    }
}

/// Bytes as text that [`parse_escaped_text`] reads back as the same bytes: printable ASCII
/// as itself, `\n`, `\r`, `\t` and `\\`, every other byte as `\xNN` (each byte of a non-ASCII
/// character too, so that nothing invisible or bidirectional reaches the editor).
#[must_use]
pub fn escape_for_editing(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        match byte {
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b'\\' => out.push_str("\\\\"),
            b' '..=b'~' => out.push(char::from(byte)),
            _ => {
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\x{byte:02x}"));
            }
        }
    }
    out
}

/// Hex bytes: `00 05 68 65`, `0005 6865` or `00056865`; `0x` prefixes and `:`/`,` separators
/// are not accepted, so that every accepted form has one obvious reading.
///
/// Each space-separated group needs an even number of digits: `0 5` is refused rather than
/// read as `05`.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for group in text.split_whitespace() {
        if let Some(bad) = group.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(format!(
                "'{}' is not hex: '{}' is not a hex digit",
                shown(group),
                shown(&bad.to_string())
            ));
        }
        if group.len() % 2 == 1 {
            return Err(format!(
                "'{}' has an odd number of hex digits (write each byte as two digits)",
                shown(group)
            ));
        }
        for pair in group.as_bytes().chunks(2) {
            let pair = std::str::from_utf8(pair).unwrap_or_default();
            out.push(u8::from_str_radix(pair, 16).map_err(|err| err.to_string())?);
        }
    }
    if out.is_empty() {
        return Err("no bytes: write them as hex, e.g. 00 05 68 65".into());
    }
    Ok(out)
}

/// Typed text quoted in a message: printable characters as typed, anything else escaped, so a
/// pasted control character cannot reach the terminal through an error message.
#[must_use]
pub fn shown(text: &str) -> String {
    text.chars()
        .map(
            |c| {
                if is_safe_char(c) || c == '\\' {
                    c.to_string()
                } else {
                    escape_str(&c.to_string())
                }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_escaped_for_editing_read_back_as_themselves() {
        let all: Vec<u8> = (0..=255).collect();
        for bytes in [&all[..], b"GET / HTTP/1.1\r\nHost: a\\b\t\r\n\r\n", "\u{202e}é".as_bytes()]
        {
            let text = escape_for_editing(bytes);
            assert!(text.bytes().all(|b| (b' '..=b'~').contains(&b)), "{text}");
            assert_eq!(parse_escaped_text(&text).unwrap(), bytes);
        }
        assert_eq!(escape_for_editing(b"a\r\n\x1b"), r"a\r\n\x1b");
    }

    #[test]
    fn text_escapes_decode() {
        let cases: [(&str, &[u8]); 9] = [
            ("", b""),
            ("hello", b"hello"),
            (r"GET / HTTP/1.0\r\n\r\n", b"GET / HTTP/1.0\r\n\r\n"),
            (r"a\tb", b"a\tb"),
            (r"back\\slash", b"back\\slash"),
            (r"\x00\x7f\xff\xAb", &[0x00, 0x7f, 0xff, 0xab]),
            (r"\x41BC", b"ABC"),
            ("é", "é".as_bytes()),
            (r"\\x41", b"\\x41"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_escaped_text(text), Ok(expected.to_vec()), "{text}");
        }
    }

    #[test]
    fn bad_escapes_are_named() {
        let cases = [
            (r"\q", r"unknown escape \q"),
            (r"a\0", r"unknown escape \0"),
            ("\\\u{1b}", r"unknown escape \\x1b"),
            ("end\\", r"a lone \ at the end"),
            (r"\x4", r"\x4 needs two hex digits"),
            (r"\x", r"\x needs two hex digits"),
            (r"\xg0", r"\xg0 needs two hex digits"),
            (r"\x4é", r"\x4é needs two hex digits"),
        ];
        for (text, expected) in cases {
            match parse_escaped_text(text) {
                Err(message) => assert!(message.contains(expected), "{text}: {message}"),
                Ok(bytes) => panic!("{text}: accepted as {bytes:?}"),
            }
        }
    }

    #[test]
    fn hex_forms_decode() {
        let cases: [(&str, &[u8]); 5] = [
            ("00 05 68 65", &[0, 5, 0x68, 0x65]),
            ("0005 6865", &[0, 5, 0x68, 0x65]),
            ("00056865", &[0, 5, 0x68, 0x65]),
            ("  ff\tFE  ", &[0xff, 0xfe]),
            ("aB", &[0xab]),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_hex(text), Ok(expected.to_vec()), "{text}");
        }
    }

    #[test]
    fn bad_hex_is_refused_clearly() {
        let cases = [
            ("", "no bytes"),
            ("   ", "no bytes"),
            ("0 5", "'0' has an odd number of hex digits"),
            ("123", "'123' has an odd number"),
            ("zz", "'zz' is not hex: 'z' is not a hex digit"),
            ("0x41", "'0x41' is not hex: 'x'"),
            (r"\x00", "is not hex"),
            ("00:05", "':' is not a hex digit"),
            ("é0", "'é' is not a hex digit"),
            ("0\u{1b}", r"'\x1b' is not a hex digit"),
        ];
        for (text, expected) in cases {
            match parse_hex(text) {
                Err(message) => assert!(message.contains(expected), "{text:?}: {message}"),
                Ok(bytes) => panic!("{text:?}: accepted as {bytes:?}"),
            }
        }
    }
}
