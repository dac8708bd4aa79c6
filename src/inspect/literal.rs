//! Bytes written as source text to paste elsewhere: a hex string, a C array, a Python bytes
//! literal or base64. Each output is plain ASCII, so it is safe to show and to write to a file.

use base64::Engine as _;
use std::fmt::Write as _;
use std::str::FromStr;

/// A way of writing bytes as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `68656c6c6f`: what the send-hex prompt and `xxd -r -p` read back.
    Hex,
    /// `unsigned char data[5] = {0x68, 0x65, 0x6c, 0x6c, 0x6f};`
    CArray,
    /// `b'hello\x00'`: a Python bytes literal.
    Python,
    /// `aGVsbG8=`: standard alphabet, padded.
    Base64,
}

impl Format {
    pub const ALL: [Self; 4] = [Self::Hex, Self::CArray, Self::Python, Self::Base64];

    /// The name `:copy` takes.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Hex => "hex",
            Self::CArray => "c",
            Self::Python => "python",
            Self::Base64 => "base64",
        }
    }

    /// `bytes` written in this format.
    #[must_use]
    pub fn render(self, bytes: &[u8]) -> String {
        match self {
            Self::Hex => hex::encode(bytes),
            Self::CArray => c_array(bytes),
            Self::Python => python_bytes(bytes),
            Self::Base64 => base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.to_ascii_lowercase().as_str() {
            "hex" | "x" => Ok(Self::Hex),
            "c" | "carray" | "c-array" => Ok(Self::CArray),
            "python" | "py" | "p" => Ok(Self::Python),
            "base64" | "b64" | "b" => Ok(Self::Base64),
            _ => {
                let names: Vec<&str> = Self::ALL.iter().map(|format| format.name()).collect();
                Err(format!("unknown format {text:?} (use one of {})", names.join(", ")))
            }
        }
    }
}

fn c_array(bytes: &[u8]) -> String {
    let mut out = format!("unsigned char data[{}] = {{", bytes.len());
    for (index, byte) in bytes.iter().enumerate() {
        let _ = write!(out, "{}0x{byte:02x}", if index > 0 { ", " } else { "" });
    }
    out + "};"
}

/// The literal Python's `repr(bytes)` would write, always in single quotes.
fn python_bytes(bytes: &[u8]) -> String {
    let mut out = String::from("b'");
    for &byte in bytes {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            0x20..=0x7e => out.push(char::from(byte)),
            _ => {
                let _ = write!(out, "\\x{byte:02x}");
            }
        }
    }
    out + "'"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_writes_the_bytes() {
        let bytes = b"hi\x00'\\\n\xff";
        let table: [(Format, String); 4] = [
            (Format::Hex, "686900275c0aff".into()),
            (
                Format::CArray,
                "unsigned char data[7] = {0x68, 0x69, 0x00, 0x27, 0x5c, 0x0a, 0xff};".into(),
            ),
            (Format::Python, r"b'hi\x00\'\\\n\xff'".into()),
            (Format::Base64, "aGkAJ1wK/w==".into()),
        ];
        for (format, expected) in table {
            assert_eq!(format.render(bytes), expected, "{format:?}");
        }
    }

    #[test]
    fn empty_input_is_still_valid_source() {
        assert_eq!(Format::CArray.render(b""), "unsigned char data[0] = {};");
        assert_eq!(Format::Python.render(b""), "b''");
        assert_eq!(Format::Hex.render(b""), "");
    }

    #[test]
    fn names_parse_back() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
        }
        let error = "rot13".parse::<Format>().unwrap_err();
        assert!(error.contains("rot13") && error.contains("base64"), "{error}");
    }
}
