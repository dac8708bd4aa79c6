//! The grammar of values a person types, the same on the command line and in the UI: byte sizes
//! (`64KiB`) and durations (`500ms`, `2.5s`, `1:02`, bare seconds).
//!
//! Each parser returns a message that completes clap's "invalid value 'X' for '--opt <N>':
//! ...", so a mistyped option is reported in clap's usual form and exits with code 2, and the
//! UI's prompts and `:` commands say the same words. Pure: std only.

use std::time::Duration;

/// Largest accepted `--recv-chunk`: the engine allocates a buffer of this size, so a typo such
/// as `64GiB` must be refused rather than abort on allocation.
pub const MAX_RECV_CHUNK: usize = 64 * 1024 * 1024;

/// Largest accepted `--sndbuf`/`--rcvbuf`: the kernel takes a C `int`.
pub const MAX_SOCKET_BUFFER: usize = i32::MAX as usize;

const UNITS: [(&str, usize); 4] = [("b", 1), ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30)];

/// A byte count: plain digits, or digits followed by `B`, `KiB`, `MiB` or `GiB` (binary units,
/// case-insensitive, optional space), e.g. `256MiB`.
///
/// Decimal units (`KB`, `MB`) are refused rather than guessed: whether they mean 1000 or 1024
/// is exactly the ambiguity that matters when sizing a buffer.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let trimmed = text.trim();
    let digits_end = trimmed.find(|c: char| !c.is_ascii_digit()).unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(digits_end);
    if digits.is_empty() {
        return Err("expected a number of bytes, optionally followed by B, KiB, MiB or GiB".into());
    }
    let unit = unit.trim_start().to_ascii_lowercase();
    let Some(&(_, scale)) = UNITS.iter().find(|(name, _)| unit.is_empty() || *name == unit) else {
        return Err(format!(
            "unknown unit '{}' (use B, KiB, MiB or GiB)",
            unit_as_typed(trimmed, digits_end)
        ));
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|count| count.checked_mul(scale))
        .ok_or_else(|| "too large".to_string())
}

fn unit_as_typed(trimmed: &str, digits_end: usize) -> &str {
    trimmed.get(digits_end..).unwrap_or_default().trim_start()
}

/// A size of at least one byte (a zero-byte `recv` or relay bound means nothing).
pub fn parse_nonzero_size(text: &str) -> Result<usize, String> {
    match parse_size(text)? {
        0 => Err("must be at least 1 byte".into()),
        size => Ok(size),
    }
}

/// `--recv-chunk`: at least 1 byte, at most [`MAX_RECV_CHUNK`].
pub fn parse_recv_chunk(text: &str) -> Result<usize, String> {
    at_most(parse_nonzero_size(text)?, MAX_RECV_CHUNK, "64MiB")
}

/// `--sndbuf`/`--rcvbuf`: at least 1 byte, at most what the kernel's `int` holds.
pub fn parse_socket_buffer(text: &str) -> Result<usize, String> {
    at_most(parse_nonzero_size(text)?, MAX_SOCKET_BUFFER, "2147483647 bytes")
}

fn at_most(size: usize, max: usize, max_text: &str) -> Result<usize, String> {
    if size > max { Err(format!("must be at most {max_text}")) } else { Ok(size) }
}

/// A count of at least one (`--max-conns`).
pub fn parse_count(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(count) => Ok(count),
        Err(_) => Err("expected a whole number, at least 1".into()),
    }
}

/// What a duration may look like, for messages.
pub const DURATION_FORMS: &str = "500ms, 2.5s, 1:02 or a number of seconds";

/// A positive duration: `500ms`, `2.5s`, `1:02` (minutes and seconds), `1500us`, or bare
/// seconds (`0.5`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    match parse_duration_us(text) {
        Some(0) => Err("must be longer than 0".into()),
        Some(us) => Ok(Duration::from_micros(us)),
        None => Err(format!("expected a duration: {DURATION_FORMS}")),
    }
}

/// A duration written as `12.5`, `12.5s`, `250ms`, `1500us` or `M:SS.s`, in whole
/// microseconds (digits below a microsecond are dropped); `None` when it is not one.
#[must_use]
pub fn parse_duration_us(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Some((minutes, seconds)) = text.split_once(':') {
        let minutes: u64 = minutes.parse().ok()?;
        let seconds = decimal_us(seconds, 1_000_000)?;
        return minutes.checked_mul(60_000_000)?.checked_add(seconds);
    }
    if let Some(number) = text.strip_suffix("us") {
        return decimal_us(number, 1);
    }
    if let Some(number) = text.strip_suffix("ms") {
        return decimal_us(number, 1_000);
    }
    decimal_us(text.strip_suffix('s').unwrap_or(text), 1_000_000)
}

/// A non-negative decimal number of `unit_us` units, in whole microseconds.
fn decimal_us(text: &str, unit_us: u64) -> Option<u64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    let whole: u64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let mut us = whole.checked_mul(unit_us)?;
    // Each fraction digit is worth a tenth of the one before; digits below a microsecond go.
    let mut place = unit_us;
    for digit in fraction.bytes() {
        place /= 10;
        us = us.checked_add(u64::from(digit - b'0') * place)?;
    }
    Some(us)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        let cases = [
            ("0", Some(0)),
            ("17", Some(17)),
            ("17B", Some(17)),
            ("64KiB", Some(65_536)),
            ("64kib", Some(65_536)),
            ("1 MiB", Some(1_048_576)),
            ("256MiB", Some(268_435_456)),
            ("2GiB", Some(2_147_483_648)),
            ("", None),
            ("KiB", None),
            ("-1", None),
            ("1.5MiB", None),
            ("64KB", None),
            ("64k", None),
            ("1TiB", None),
            ("99999999999999999999999", None),
            ("18446744073709551615GiB", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_size(text).ok(), expected, "{text}");
        }
    }

    #[test]
    fn size_errors_say_what_is_wrong() {
        let cases = [
            ("64KB", "unknown unit 'KB' (use B, KiB, MiB or GiB)"),
            ("lots", "expected a number of bytes, optionally followed by B, KiB, MiB or GiB"),
            ("99999999999999999999999", "too large"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_size(text), Err(expected.to_string()), "{text}");
        }
    }

    #[test]
    fn bounded_sizes_refuse_zero_and_excess() {
        assert_eq!(parse_nonzero_size("0"), Err("must be at least 1 byte".into()));
        assert_eq!(parse_recv_chunk("64MiB"), Ok(MAX_RECV_CHUNK));
        assert!(parse_recv_chunk("65MiB").unwrap_err().contains("at most 64MiB"));
        assert_eq!(parse_socket_buffer("1GiB"), Ok(1 << 30));
        assert!(parse_socket_buffer("2GiB").is_err());
    }

    #[test]
    fn counts_and_durations_are_positive() {
        assert_eq!(parse_count("3"), Ok(3));
        for bad in ["0", "-1", "x", ""] {
            assert!(parse_count(bad).is_err(), "{bad}");
        }
        let cases = [
            ("1", Some(Duration::from_secs(1))),
            ("0.25", Some(Duration::from_millis(250))),
            ("500ms", Some(Duration::from_millis(500))),
            ("2.5s", Some(Duration::from_millis(2500))),
            ("1:02", Some(Duration::from_secs(62))),
            ("1500us", Some(Duration::from_micros(1500))),
            ("0", None),
            ("0ms", None),
            ("-2", None),
            ("nan", None),
            ("inf", None),
            ("1e300", None),
            ("soon", None),
            ("99999999999999999999s", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_duration(text).ok(), expected, "{text}");
        }
        assert_eq!(
            parse_duration("soon"),
            Err("expected a duration: 500ms, 2.5s, 1:02 or a number of seconds".into())
        );
    }
}
