//! Errors: a spec that cannot be used, and a stream that cannot be framed.

use std::error::Error;
use std::fmt;

use super::spec::{LenWidth, MAX_ASCII_DIGITS, MAX_DELIMITER_LEN};

/// A framing spec that was rejected; its Display names the spec and the problem, e.g.
/// `fixed:0: size must be at least 1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    input: String,
    problem: SpecProblem,
}

/// What is wrong with a framing spec.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpecProblem {
    UnknownKind(String),
    /// `delim`, `fixed`, `len` and `ascii` need an argument.
    MissingArgument(&'static str),
    /// `raw`, `line` and `eof` take none.
    UnexpectedArgument(String),
    EmptyDelimiter,
    NotHex(String),
    OddHexDigits(String),
    DelimiterTooLong(usize),
    NotDecimal(String),
    NumberTooLarge(String),
    SizeZero,
    ExceedsCap {
        size: usize,
        cap: usize,
    },
    NoDigits,
    TooManyDigits(usize),
    UnknownWidth(String),
    UnknownFlag(String),
}

impl SpecError {
    pub(super) fn new(input: String, problem: SpecProblem) -> Self {
        Self { input, problem }
    }

    /// The spec text as given.
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }

    #[must_use]
    pub fn problem(&self) -> &SpecProblem {
        &self.problem
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.input, self.problem)
    }
}

impl Error for SpecError {}

impl fmt::Display for SpecProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecProblem::UnknownKind(kind) => write!(
                f,
                "unknown framing '{kind}' (expected raw, line, delim:HEX, fixed:N, \
                 len:W[:incl], ascii:N, eof or datagram)"
            ),
            SpecProblem::MissingArgument(kind) => {
                write!(f, "{kind} needs an argument, e.g. {}", example(kind))
            }
            SpecProblem::UnexpectedArgument(kind) => write!(f, "{kind} takes no argument"),
            SpecProblem::EmptyDelimiter => f.write_str("the delimiter must not be empty"),
            SpecProblem::NotHex(text) => write!(f, "'{text}' is not hex"),
            SpecProblem::OddHexDigits(text) => {
                write!(f, "'{text}' has an odd number of hex digits (two per byte)")
            }
            SpecProblem::DelimiterTooLong(len) => {
                write!(
                    f,
                    "a {len}-byte delimiter is longer than the {MAX_DELIMITER_LEN}-byte limit"
                )
            }
            SpecProblem::NotDecimal(text) => write!(f, "'{text}' is not a decimal number"),
            SpecProblem::NumberTooLarge(text) => write!(f, "'{text}' is too large"),
            SpecProblem::SizeZero => f.write_str("size must be at least 1"),
            SpecProblem::ExceedsCap { size, cap } => write!(
                f,
                "size {size} exceeds the message cap of {} (see --max-message)",
                human_size(*cap)
            ),
            SpecProblem::NoDigits => f.write_str("needs at least 1 digit"),
            SpecProblem::TooManyDigits(digits) => {
                write!(f, "{digits} digits is more than the {MAX_ASCII_DIGITS} allowed")
            }
            SpecProblem::UnknownWidth(width) => {
                write!(f, "unknown width '{width}' (expected ")?;
                for (index, known) in LenWidth::ALL.iter().enumerate() {
                    let separator = if index == 0 { "" } else { ", " };
                    write!(f, "{separator}{}", known.name())?;
                }
                f.write_str(")")
            }
            SpecProblem::UnknownFlag(flag) => write!(f, "unknown option '{flag}' (expected incl)"),
        }
    }
}

fn example(kind: &str) -> &'static str {
    match kind {
        "delim" => "delim:0d0a",
        "fixed" => "fixed:16",
        "len" => "len:u32be",
        _ => "ascii:5",
    }
}

/// Why a stream cannot be framed from some offset on. Offsets are stream offsets: the first
/// byte of the message concerned, or of the offending byte for [`FramingError::NotDigit`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FramingError {
    /// The framer was given a spec that [`super::Spec::validate`] rejects.
    InvalidSpec(SpecError),
    /// A length header declares more than the cap. `u128` holds any 20-digit ASCII length.
    TooLong { declared: u128, cap: usize, offset: u64 },
    /// An inclusive length prefix declares less than its own size.
    ShorterThanPrefix { declared: u64, prefix: usize, offset: u64 },
    /// A byte of an ASCII length header is not a decimal digit.
    NotDigit { byte: u8, offset: u64 },
    /// No delimiter (or newline) within the cap.
    NoDelimiter { cap: usize, offset: u64 },
    /// An `eof`-framed message grew past the cap before EOF.
    NoEof { cap: usize, offset: u64 },
}

impl fmt::Display for FramingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FramingError::InvalidSpec(error) => write!(f, "invalid framing {error}"),
            FramingError::TooLong { declared, cap, offset } => write!(
                f,
                "declared length {declared} exceeds the {} cap at offset {offset}",
                human_size(*cap)
            ),
            FramingError::ShorterThanPrefix { declared, prefix, offset } => write!(
                f,
                "declared length {declared} is shorter than its own {prefix}-byte prefix \
                 at offset {offset}"
            ),
            FramingError::NotDigit { byte, offset } => {
                write!(f, "byte 0x{byte:02x} in the ASCII length at offset {offset} is not a digit")
            }
            FramingError::NoDelimiter { cap, offset } => write!(
                f,
                "no delimiter within the {} cap for the message at offset {offset}",
                human_size(*cap)
            ),
            FramingError::NoEof { cap, offset } => write!(
                f,
                "the message at offset {offset} exceeds the {} cap before EOF",
                human_size(*cap)
            ),
        }
    }
}

impl Error for FramingError {}

/// A size as people write caps: `16 MiB`, `64 KiB`, or plain bytes when not a round number.
#[must_use]
pub fn human_size(bytes: usize) -> String {
    const UNITS: [(usize, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    let round = UNITS.iter().find(|(unit, _)| bytes >= *unit && bytes.is_multiple_of(*unit));
    match round {
        Some((unit, name)) => format!("{} {name}", bytes / unit),
        None if bytes == 1 => "1 byte".to_owned(),
        None => format!("{bytes} bytes"),
    }
}
