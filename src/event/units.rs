//! The project's one grammar for sizes (`64KiB`) and durations (`500ms`, `2.5s`, `1:02`): the
//! command line, the `:` commands and the seek prompt all read them the same way.

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

/// A duration written as `12.5`, `12.5s`, `250ms`, `1500us` or `M:SS.s`, in microseconds.
#[must_use]
pub fn parse_duration_us(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Some((minutes, seconds)) = text.split_once(':') {
        let minutes: u64 = minutes.parse().ok()?;
        let seconds = seconds_us(seconds, 1_000_000)?;
        return minutes.checked_mul(60_000_000)?.checked_add(seconds);
    }
    if let Some(number) = text.strip_suffix("us") {
        return seconds_us(number, 1);
    }
    if let Some(number) = text.strip_suffix("ms") {
        return seconds_us(number, 1_000);
    }
    seconds_us(text.strip_suffix('s').unwrap_or(text), 1_000_000)
}

/// A non-negative decimal number of `unit_us` units, in whole microseconds.
fn seconds_us(text: &str, unit_us: u64) -> Option<u64> {
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
