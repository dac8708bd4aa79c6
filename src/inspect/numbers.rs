//! Byte-order views: what the bytes at the cursor mean as integers and floats in either byte
//! order, plus the small decodings protocol debuggers reach for (IPv4 address, port, LEB128,
//! a UTF-8 character, bits, an ASCII length).
//!
//! Every reader takes the bytes from the *start* of the slice and returns `None` when the slice
//! is too short, so a view can offer exactly the widths that fit.

use std::fmt::{Display, LowerExp};
use std::net::Ipv4Addr;

/// Byte order of a multi-byte value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endian {
    /// Most significant byte first: network byte order.
    Big,
    /// Least significant byte first: x86 and most ARM hosts.
    Little,
}

/// One line of the byte-order view: a type and the value in each byte order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The type read, e.g. `u16` or `f64`.
    pub label: &'static str,
    pub big: String,
    pub little: String,
}

macro_rules! reader {
    ($(#[$doc:meta])* $name:ident, $ty:ty) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(bytes: &[u8], endian: Endian) -> Option<$ty> {
            let array = bytes.get(..size_of::<$ty>())?.try_into().ok()?;
            Some(match endian {
                Endian::Big => <$ty>::from_be_bytes(array),
                Endian::Little => <$ty>::from_le_bytes(array),
            })
        }
    };
}

reader!(
    /// The first two bytes as an unsigned 16-bit integer.
    read_u16, u16
);
reader!(
    /// The first two bytes as a signed (two's complement) 16-bit integer.
    read_i16, i16
);
reader!(
    /// The first four bytes as an unsigned 32-bit integer.
    read_u32, u32
);
reader!(
    /// The first four bytes as a signed 32-bit integer.
    read_i32, i32
);
reader!(
    /// The first eight bytes as an unsigned 64-bit integer.
    read_u64, u64
);
reader!(
    /// The first eight bytes as a signed 64-bit integer.
    read_i64, i64
);
reader!(
    /// The first four bytes as an IEEE 754 single, NaN payloads preserved bit for bit.
    read_f32, f32
);
reader!(
    /// The first eight bytes as an IEEE 754 double.
    read_f64, f64
);

/// The first byte, unsigned. A single byte has no byte order.
#[must_use]
pub fn read_u8(bytes: &[u8]) -> Option<u8> {
    bytes.first().copied()
}

/// The first byte as a signed (two's complement) integer.
#[must_use]
pub fn read_i8(bytes: &[u8]) -> Option<i8> {
    bytes.first().map(|&byte| i8::from_ne_bytes([byte]))
}

/// Every integer and float reading that fits in `bytes`, narrowest first.
#[must_use]
pub fn integer_views(bytes: &[u8]) -> Vec<Reading> {
    let mut views = Vec::new();
    if let Some(value) = read_u8(bytes) {
        views.push(same_both_ways("u8", value.to_string()));
    }
    if let Some(value) = read_i8(bytes) {
        views.push(same_both_ways("i8", value.to_string()));
    }
    push_view(&mut views, "u16", bytes, read_u16, ToString::to_string);
    push_view(&mut views, "i16", bytes, read_i16, ToString::to_string);
    push_view(&mut views, "u32", bytes, read_u32, ToString::to_string);
    push_view(&mut views, "i32", bytes, read_i32, ToString::to_string);
    push_view(&mut views, "u64", bytes, read_u64, ToString::to_string);
    push_view(&mut views, "i64", bytes, read_i64, ToString::to_string);
    push_view(&mut views, "f32", bytes, read_f32, |&value| format_float(value));
    push_view(&mut views, "f64", bytes, read_f64, |&value| format_float(value));
    views
}

fn same_both_ways(label: &'static str, text: String) -> Reading {
    Reading { label, big: text.clone(), little: text }
}

fn push_view<T>(
    views: &mut Vec<Reading>,
    label: &'static str,
    bytes: &[u8],
    read: fn(&[u8], Endian) -> Option<T>,
    format: impl Fn(&T) -> String,
) {
    if let (Some(big), Some(little)) = (read(bytes, Endian::Big), read(bytes, Endian::Little)) {
        views.push(Reading { label, big: format(&big), little: format(&little) });
    }
}

/// Formats a float so every special value is distinguishable: `NaN`, `inf`, `-inf`, and `-0`
/// apart from `0`.
///
/// Finite values use Rust's shortest round-trip form (`{}`), except that magnitudes at or above
/// 1e16 or below 1e-6 switch to exponent form (`1e300`, `1.5e-7`): plain `{}` would print
/// hundreds of digits for a random 8-byte pattern read as `f64`.
#[must_use]
pub fn format_float<F>(value: F) -> String
where
    F: Copy + Display + LowerExp + Into<f64>,
{
    let magnitude = value.into().abs();
    let unwieldy = magnitude.is_finite() && magnitude > 0.0 && !(1e-6..1e16).contains(&magnitude);
    if unwieldy { format!("{value:e}") } else { format!("{value}") }
}

/// The first four bytes as an IPv4 address (network byte order, as in a packet or `sockaddr_in`).
#[must_use]
pub fn ipv4(bytes: &[u8]) -> Option<Ipv4Addr> {
    read_u32(bytes, Endian::Big).map(Ipv4Addr::from)
}

/// The first two bytes as a port number (network byte order).
#[must_use]
pub fn port(bytes: &[u8]) -> Option<u16> {
    read_u16(bytes, Endian::Big)
}

/// Longest LEB128 encoding of a `u64`: ceil(64 / 7).
const ULEB128_MAX_LEN: usize = 10;

/// An unsigned LEB128 value (protobuf varints, WebAssembly, DWARF) and how many bytes it used.
///
/// `None` when no terminating byte appears within 10 bytes or the value does not fit in `u64`.
#[must_use]
pub fn uleb128(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (index, &byte) in bytes.iter().take(ULEB128_MAX_LEN).enumerate() {
        let payload = u64::from(byte & 0x7f);
        // The tenth byte holds bit 63 only; anything more would overflow.
        if index == ULEB128_MAX_LEN - 1 && payload > 1 {
            return None;
        }
        value |= payload << (7 * index);
        if byte & 0x80 == 0 {
            return Some((value, index + 1));
        }
    }
    None
}

/// The UTF-8 character the bytes start with and its encoded length; `None` when they start
/// with an invalid or incomplete sequence.
#[must_use]
pub fn utf8_char(bytes: &[u8]) -> Option<(char, usize)> {
    let head = &bytes[..bytes.len().min(4)];
    let first = head.utf8_chunks().next()?.valid().chars().next()?;
    Some((first, first.len_utf8()))
}

/// The bits of a byte, most significant first, in two nibbles: `"0110 1000"`.
#[must_use]
pub fn bits(byte: u8) -> String {
    format!("{:04b} {:04b}", byte >> 4, byte & 0x0f)
}

/// The leading ASCII decimal digits as a number (an ASCII length header, a `Content-Length`
/// value); `None` when there is no leading digit or the number overflows `u64`.
#[must_use]
pub fn ascii_decimal(bytes: &[u8]) -> Option<u64> {
    let digits = bytes.iter().take_while(|byte| byte.is_ascii_digit());
    let mut value: Option<u64> = None;
    for &digit in digits {
        let so_far = value.unwrap_or(0);
        value = Some(so_far.checked_mul(10)?.checked_add(u64::from(digit - b'0'))?);
    }
    value
}
