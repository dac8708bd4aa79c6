//! Serde adapter: a wall-clock time held as microseconds since the Unix epoch, written as
//! RFC 3339 in UTC with microseconds (`2026-12-06T07:30:00.123456Z`).

use serde::{Deserialize, Deserializer, Serializer};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The last microsecond RFC 3339 can write (the end of year 9999).
const LAST_US: u64 = 253_402_300_800_000_000 - 1;

/// `unix_us` as RFC 3339; a time past year 9999 (only a damaged or crafted recording holds
/// one) is written as the last moment of 9999.
#[must_use]
pub fn format(unix_us: u64) -> String {
    let time = UNIX_EPOCH + Duration::from_micros(unix_us.min(LAST_US));
    humantime::format_rfc3339_micros(time).to_string()
}

// Serde's `with` hands over `&Option<u64>`.
#[allow(clippy::ref_option)]
pub fn serialize<S: Serializer>(time: &Option<u64>, serializer: S) -> Result<S::Ok, S::Error> {
    match time {
        Some(unix_us) => serializer.collect_str(&format(*unix_us)),
        None => serializer.serialize_none(),
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let Some(text) = Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let time = humantime::parse_rfc3339_weak(&text).map_err(serde::de::Error::custom)?;
    let since = time.duration_since(UNIX_EPOCH).map_err(serde::de::Error::custom)?;
    u64::try_from(since.as_micros()).map(Some).map_err(serde::de::Error::custom)
}

/// Microseconds since the Unix epoch now (0 for a clock set before 1970).
#[must_use]
pub fn now_unix_us() -> u64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since.as_micros()).unwrap_or(u64::MAX)
}

/// The schema of such a time: an RFC 3339 date-time string.
#[derive(schemars::JsonSchema)]
#[schemars(transparent)]
pub struct Rfc3339(
    #[schemars(extend("format" = "date-time"))]
    #[allow(dead_code)]
    String,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_through_rfc3339() {
        assert_eq!(format(0), "1970-01-01T00:00:00.000000Z");
        let unix_us = 1_796_541_000_123_456;
        let text = format(unix_us);
        assert_eq!(text, "2026-12-06T07:10:00.123456Z");
        let json = format!("\"{text}\"");
        let back = deserialize(&mut serde_json::Deserializer::from_str(&json)).expect("parses");
        assert_eq!(back, Some(unix_us));
        assert_eq!(format(u64::MAX), "9999-12-31T23:59:59.999999Z", "never a panic");
    }
}
