//! Searching a stream's bytes forward or backward for a literal or a regular expression.
//!
//! A stream may hold hundreds of MiB that live in many chunks, so the search reads it through
//! a callback, one window at a time, instead of asking for one contiguous slice. Windows
//! overlap by the longest match the search promises to find, so a match that straddles two
//! windows is still found: all of it for a literal, up to [`REGEX_REACH`] bytes for a regex.

use memchr::memmem;
use regex::bytes::Regex;
use std::ops::Range;

/// Bytes read per window.
const WINDOW: u64 = 1 << 20;

/// The longest regex match found across a window boundary (longer ones inside one window are
/// found whole).
pub const REGEX_REACH: u64 = 64 << 10;

/// What to look for.
#[derive(Clone, Debug)]
pub enum Needle {
    /// These exact bytes (typed as text with escapes, or as hex).
    Bytes(Vec<u8>),
    /// A regular expression over bytes (`regex::bytes` syntax; `(?-u)` matches raw bytes).
    Regex(Regex),
}

/// Which way from the starting offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

/// Reads `range` of the stream into the buffer, returning the range actually read (bytes no
/// longer in memory are skipped at the front).
pub trait ByteSource {
    fn read_into(&self, range: Range<u64>, out: &mut Vec<u8>) -> Range<u64>;
}

impl<F: Fn(Range<u64>, &mut Vec<u8>) -> Range<u64>> ByteSource for F {
    fn read_into(&self, range: Range<u64>, out: &mut Vec<u8>) -> Range<u64> {
        self(range, out)
    }
}

impl Needle {
    /// How far a window must reach past its end so that a match starting in it is whole.
    fn overlap(&self) -> u64 {
        match self {
            Self::Bytes(bytes) => (bytes.len() as u64).saturating_sub(1),
            Self::Regex(_) => REGEX_REACH,
        }
    }

    /// Whether the needle can match anything at all (an empty literal matches everywhere,
    /// which is never what a person searching meant).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        matches!(self, Self::Bytes(bytes) if bytes.is_empty())
    }

    /// Matches in `haystack`, as ranges relative to it, in order.
    fn matches<'h>(&'h self, haystack: &'h [u8]) -> Box<dyn Iterator<Item = Range<usize>> + 'h> {
        match self {
            Self::Bytes(bytes) => {
                let len = bytes.len();
                Box::new(memmem::find_iter(haystack, bytes).map(move |at| at..at + len))
            }
            Self::Regex(regex) => Box::new(regex.find_iter(haystack).map(|found| found.range())),
        }
    }

    /// The last match starting before `before` in `haystack`.
    fn last_match_before(&self, haystack: &[u8], before: usize) -> Option<Range<usize>> {
        match self {
            Self::Bytes(bytes) => {
                let end = (before + bytes.len()).saturating_sub(1).min(haystack.len());
                memmem::rfind(&haystack[..end], bytes).map(|at| at..at + bytes.len())
            }
            Self::Regex(_) => self.matches(haystack).take_while(|m| m.start < before).last(),
        }
    }
}

/// The first match at or after `from` (forward) or the last one starting before `from`
/// (backward), within `bounds`; `None` when there is none that way (the caller may wrap).
pub fn find(
    needle: &Needle,
    source: &impl ByteSource,
    bounds: Range<u64>,
    from: u64,
    direction: Direction,
) -> Option<Range<u64>> {
    if needle.is_empty() || bounds.is_empty() {
        return None;
    }
    match direction {
        Direction::Forward => forward(needle, source, bounds, from, WINDOW),
        Direction::Backward => backward(needle, source, bounds, from, WINDOW),
    }
}

fn forward(
    needle: &Needle,
    source: &impl ByteSource,
    bounds: Range<u64>,
    from: u64,
    window: u64,
) -> Option<Range<u64>> {
    let mut start = from.max(bounds.start);
    let mut buffer = Vec::new();
    while start < bounds.end {
        let window_end = start.saturating_add(window).min(bounds.end);
        let read_end = window_end.saturating_add(needle.overlap()).min(bounds.end);
        buffer.clear();
        let got = source.read_into(start..read_end, &mut buffer);
        let base = got.start;
        let found = needle
            .matches(&buffer)
            .map(|m| base + m.start as u64..base + m.end as u64)
            .find(|m| m.start >= start)
            .filter(|m| m.start < window_end);
        if found.is_some() {
            return found;
        }
        start = window_end;
    }
    None
}

fn backward(
    needle: &Needle,
    source: &impl ByteSource,
    bounds: Range<u64>,
    from: u64,
    window: u64,
) -> Option<Range<u64>> {
    // Matches must start in `window_start..before`.
    let mut before = from.min(bounds.end);
    let mut buffer = Vec::new();
    while before > bounds.start {
        let window_start = before.saturating_sub(window).max(bounds.start);
        let read_end = before.saturating_add(needle.overlap()).min(bounds.end);
        buffer.clear();
        let got = source.read_into(window_start..read_end, &mut buffer);
        let base = got.start;
        let limit = usize::try_from(before.saturating_sub(base)).unwrap_or(usize::MAX);
        if let Some(m) = needle.last_match_before(&buffer, limit.min(buffer.len())) {
            let found = base + m.start as u64..base + m.end as u64;
            if found.start >= window_start {
                return Some(found);
            }
        }
        before = window_start;
    }
    None
}

#[cfg(test)]
mod tests;
