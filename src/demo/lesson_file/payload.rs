//! The bytes a step sends or expects: text with escapes, hex, or parts of either, repeated
//! and cut to a size, so a lesson can send 64 KiB of numbered lines without spelling them out.

use super::raw::RawPart;
use super::{Bad, at};
use crate::inspect::typed::{parse_escaped_text, parse_hex};
use std::fmt::Write as _;
use toml::Spanned;

/// The most bytes one step may send or expect: more than any lesson needs, and far less than
/// a typo (`repeat = 10000000000`) would make the program allocate.
pub(super) const MAX_BYTES: usize = 16 << 20;

/// Text (`\n`, `\r`, `\t`, `\\`, `\xNN`, after TOML's own escapes) as bytes.
pub(super) fn text(text: &Spanned<String>) -> Result<Vec<u8>, Bad> {
    parse_escaped_text(text.get_ref()).map_err(|why| at(text.span(), why))
}

/// Hex (`00 05 68 65`) as bytes.
pub(super) fn hex(hex: &Spanned<String>) -> Result<Vec<u8>, Bad> {
    parse_hex(hex.get_ref()).map_err(|why| at(hex.span(), why))
}

/// The parts one after another, each repeated as it says.
pub(super) fn parts(parts: &[Spanned<RawPart>]) -> Result<Vec<u8>, Bad> {
    let mut out = Vec::new();
    for part in parts {
        let span = part.span();
        let part = part.get_ref();
        let repeat = match part.repeat {
            None => 1,
            Some(n) => usize::try_from(n)
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| at(span.clone(), format!("repeat = {n}: at least 1")))?,
        };
        let piece = |n: usize| -> Result<Vec<u8>, String> {
            match (&part.text, &part.hex) {
                (Some(text), None) => parse_escaped_text(&numbered(text, n, repeat > 1)),
                (None, Some(hex)) => parse_hex(hex),
                _ => Err("a part has one of text or hex".into()),
            }
        };
        let first = piece(1).map_err(|why| at(span.clone(), why))?;
        if first.len().saturating_mul(repeat).saturating_add(out.len()) > MAX_BYTES * 2 {
            return Err(at(span, format!("more than {MAX_BYTES} bytes in one step")));
        }
        out.extend(first);
        for n in 2..=repeat {
            out.extend(piece(n).map_err(|why| at(span.clone(), why))?);
        }
    }
    Ok(out)
}

/// `text` with `{n}` (the repetition's number, from 1) and `{n:0W}` (zero-padded to W
/// digits) filled in, in a part that repeats.
fn numbered(text: &str, n: usize, repeats: bool) -> String {
    if !repeats || !text.contains("{n") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("{n") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let width = after.strip_prefix(":0").and_then(|w| {
            let digits = w.find('}').map(|end| &w[..end])?;
            digits.parse::<usize>().ok().filter(|w| *w <= 20).map(|width| (width, digits.len() + 3))
        });
        match (after.starts_with('}'), width) {
            (true, _) => {
                out.push_str(&n.to_string());
                rest = &after[1..];
            }
            (false, Some((width, used))) => {
                let _ = write!(out, "{n:0width$}");
                rest = &after[used..];
            }
            (false, None) => {
                out.push_str("{n");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `bytes` cut to `size`; a size beyond them is an error (nothing is made up).
pub(super) fn cut(
    mut bytes: Vec<u8>,
    size: Option<(usize, std::ops::Range<usize>)>,
) -> Result<Vec<u8>, Bad> {
    if let Some((size, span)) = size {
        if size > bytes.len() {
            let why = format!("size {size} is more than the {} bytes written", bytes.len());
            return Err(at(span, why));
        }
        bytes.truncate(size);
    }
    if bytes.len() > MAX_BYTES {
        return Err(at(0..0, format!("more than {MAX_BYTES} bytes in one step")));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_fill_repeated_parts_only() {
        assert_eq!(numbered("line {n:05}: x {n}\n", 12, true), "line 00012: x 12\n");
        assert_eq!(numbered("{n}", 3, false), "{n}", "a part said once keeps its braces");
        assert_eq!(numbered("{nope} {n:0x}", 3, true), "{nope} {n:0x}");
    }

    #[test]
    fn a_cut_never_makes_bytes_up() {
        assert_eq!(cut(b"abcdef".to_vec(), Some((4, 0..1))).unwrap(), b"abcd");
        assert!(cut(b"ab".to_vec(), Some((4, 0..1))).unwrap_err().1.contains("more than the 2"));
    }
}
