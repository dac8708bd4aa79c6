//! Hexdump rows in the classic `hexdump -C` layout, and the arithmetic that lets a view of a
//! huge stream format only the rows on screen.

use std::fmt::Write as _;
use std::ops::Range;

/// Bytes per row, as in `hexdump -C`, `xxd -g1` and Wireshark.
pub const ROW_WIDTH: usize = 16;

/// [`ROW_WIDTH`] as a stream offset, for row arithmetic on `u64` offsets.
const ROW_WIDTH_U64: u64 = ROW_WIDTH as u64;

/// One row of a hexdump: up to [`ROW_WIDTH`] bytes and the stream offset of the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HexRow<'a> {
    pub offset: u64,
    pub bytes: &'a [u8],
}

/// Colour classes for bytes, so a view can make NULs, whitespace and controls stand out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteClass {
    /// `0x00`, usually padding or a C string terminator.
    Nul,
    /// Graphic ASCII, `0x21..=0x7e`.
    Printable,
    /// Space, tab, newline, form feed and carriage return.
    Whitespace,
    /// Every other ASCII control, DEL included.
    Control,
    /// `0x80..=0xff`: UTF-8 sequences, binary integers.
    NonAscii,
}

/// Splits `data` into rows whose offsets start at `base_offset` (the stream offset of `data[0]`).
///
/// Offsets saturate at `u64::MAX` rather than wrap, so the function cannot panic.
pub fn rows(data: &[u8], base_offset: u64) -> impl Iterator<Item = HexRow<'_>> {
    data.chunks(ROW_WIDTH).zip(0u64..).map(move |(bytes, index)| HexRow {
        offset: base_offset.saturating_add(index.saturating_mul(ROW_WIDTH_U64)),
        bytes,
    })
}

/// Formats a row like `hexdump -C`:
/// `00000010  68 65 6c 6c 6f 0a 00 01  61 62 63 64 65 66 67 68  |hello...abcdefgh|`.
///
/// The offset has at least 8 hex digits and grows when needed. A short row is padded so its
/// ASCII column lines up with full rows. Only the first [`ROW_WIDTH`] bytes of a longer slice
/// are shown.
#[must_use]
pub fn format_row(row: &HexRow<'_>) -> String {
    let bytes = &row.bytes[..row.bytes.len().min(ROW_WIDTH)];
    let mut out = format!("{:08x}  ", row.offset);
    for column in 0..ROW_WIDTH {
        match bytes.get(column) {
            // Writing into a String cannot fail.
            Some(byte) => {
                let _ = write!(out, "{byte:02x} ");
            }
            None => out.push_str("   "),
        }
        if column == ROW_WIDTH / 2 - 1 {
            out.push(' ');
        }
    }
    out.push(' ');
    out.push('|');
    out.extend(bytes.iter().map(|&byte| ascii_cell(byte)));
    out.push('|');
    out
}

/// The character for a byte in the ASCII column: itself when printable ASCII, `.` otherwise.
#[must_use]
pub fn ascii_cell(byte: u8) -> char {
    if byte == b' ' || byte.is_ascii_graphic() { char::from(byte) } else { '.' }
}

/// Which colour class a byte belongs to.
#[must_use]
pub fn classify(byte: u8) -> ByteClass {
    match byte {
        0 => ByteClass::Nul,
        _ if byte.is_ascii_graphic() => ByteClass::Printable,
        _ if byte.is_ascii_whitespace() => ByteClass::Whitespace,
        _ if byte.is_ascii() => ByteClass::Control,
        _ => ByteClass::NonAscii,
    }
}

/// Number of rows a stream of `total_len` bytes needs.
#[must_use]
pub fn row_count(total_len: u64) -> u64 {
    total_len.div_ceil(ROW_WIDTH_U64)
}

/// The rows to draw when the view starts at `first_row` and is `height` rows tall, clamped to
/// the rows that exist, so a 1 GiB stream costs only what is on screen.
#[must_use]
pub fn visible_rows(total_len: u64, first_row: u64, height: usize) -> Range<u64> {
    let count = row_count(total_len);
    let start = first_row.min(count);
    let height = u64::try_from(height).unwrap_or(u64::MAX);
    start..start.saturating_add(height).min(count)
}

/// The byte offsets covered by `rows`, clamped to the stream: what a view must fetch to draw them.
#[must_use]
pub fn byte_range(rows: &Range<u64>, total_len: u64) -> Range<u64> {
    let to_offset = |row: u64| row.saturating_mul(ROW_WIDTH_U64).min(total_len);
    let start = to_offset(rows.start);
    start..to_offset(rows.end).max(start)
}

/// The first row that shows the last `height` rows: where "scroll to end" should land.
#[must_use]
pub fn last_page_start(total_len: u64, height: usize) -> u64 {
    let height = u64::try_from(height).unwrap_or(u64::MAX);
    row_count(total_len).saturating_sub(height)
}
