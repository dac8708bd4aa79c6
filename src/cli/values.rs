//! Parsers for option values: byte sizes (`64KiB`) and durations in seconds (`2.5`).
//!
//! Each returns a message that completes clap's "invalid value 'X' for '--opt <N>': ...", so a
//! mistyped option is reported in clap's usual form and exits with code 2.

use std::time::Duration;

/// Largest accepted `--recv-chunk`: the engine allocates a buffer of this size, so a typo such
/// as `64GiB` must be refused rather than abort on allocation.
pub const MAX_RECV_CHUNK: usize = 64 * 1024 * 1024;

/// Largest accepted `--sndbuf`/`--rcvbuf`: the kernel takes a C `int`.
pub const MAX_SOCKET_BUFFER: usize = i32::MAX as usize;

pub use crate::event::units::parse_size;

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

/// A positive duration in seconds, fractions allowed (`0.5`).
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 =
        text.trim().parse().map_err(|_| "expected a number of seconds".to_string())?;
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err("must be a number of seconds greater than 0".into());
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| "too large".to_string())
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
    fn counts_and_seconds_are_positive() {
        assert_eq!(parse_count("3"), Ok(3));
        for bad in ["0", "-1", "x", ""] {
            assert!(parse_count(bad).is_err(), "{bad}");
        }
        let cases = [
            ("1", Some(Duration::from_secs(1))),
            ("0.25", Some(Duration::from_millis(250))),
            ("0", None),
            ("-2", None),
            ("nan", None),
            ("inf", None),
            ("1e300", None),
            ("soon", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_seconds(text).ok(), expected, "{text}");
        }
    }
}
