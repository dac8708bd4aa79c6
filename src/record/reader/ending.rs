//! How reading a recording ended, and why a file cannot be read at all.

use super::super::format::{self, MINOR, PreambleError};
use std::fmt;
use std::io;

/// Why a file cannot be read as a recording at all.
#[derive(Debug)]
pub enum OpenError {
    Io(io::Error),
    Preamble(PreambleError),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(err) => err.fmt(f),
            Self::Preamble(PreambleError::Short(len)) => {
                write!(f, "not a complete recording: the file ends after {len} bytes")
            }
            Self::Preamble(PreambleError::NotARecording(why)) => {
                write!(f, "not a sockscope recording: {why}")
            }
            Self::Preamble(PreambleError::Damaged(why)) => {
                write!(f, "a damaged sockscope recording: {why}")
            }
            Self::Preamble(PreambleError::NeverWritten(version)) => write!(
                f,
                "a damaged sockscope recording: its version (bytes 11 to 14) reads {version}, \
                 which no sockscope writes (the first was {}.0)",
                format::FIRST_MAJOR
            ),
            Self::Preamble(PreambleError::Newer(version)) => write!(
                f,
                "a version {version} recording: this sockscope ({}) reads versions up to {}.{}; \
                 a newer sockscope is needed",
                env!("CARGO_PKG_VERSION"),
                format::MAJOR,
                MINOR
            ),
        }
    }
}

impl std::error::Error for OpenError {}

/// How reading ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadStatus {
    /// Every record through the `End` record, nothing after it.
    Complete,
    /// The file stops at byte `at`; everything up to `complete_to` was read. With no `End`
    /// record and `at == complete_to`, the writer was stopped before closing the file.
    Truncated { at: u64, complete_to: u64 },
    /// The record starting at byte `at` is damaged; everything before it was read.
    Corrupt { at: u64, why: String },
}

impl fmt::Display for ReadStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Complete => f.write_str("complete"),
            Self::Truncated { at, complete_to } if at == complete_to => write!(
                f,
                "truncated at byte {at}: the recording has no end record (it was not closed)"
            ),
            Self::Truncated { at, complete_to } => write!(
                f,
                "truncated at byte {at}: the {} bytes after byte {complete_to} are an incomplete \
                 record, ignored",
                at - complete_to
            ),
            Self::Corrupt { at, why } => {
                write!(f, "corrupt record at byte {at}: {why}; stopped there")
            }
        }
    }
}

/// The final account of a read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ending {
    pub status: ReadStatus,
    /// Records of types this build does not know, from a newer minor version, skipped.
    pub skipped_unknown: u64,
    /// Events returned.
    pub events: u64,
}

/// When the session clock read `t_us`, in wall-clock microseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    pub unix_us: u64,
    pub t_us: u64,
}

impl Clock {
    /// The wall-clock time of an event at `t_us`.
    #[must_use]
    pub fn unix_us_at(&self, t_us: u64) -> u64 {
        self.unix_us.saturating_sub(self.t_us).saturating_add(t_us)
    }
}
