//! The `--framing SPEC` language: parsing, validation and the canonical text form.

use std::fmt;
use std::str::FromStr;

use super::error::{SpecError, SpecProblem};

/// Longest accepted delimiter. Matching a delimiter split across chunks costs up to its length
/// squared per chunk, so the bound keeps `push` linear; real protocols use 1 to 4 bytes.
pub const MAX_DELIMITER_LEN: usize = 64;

/// Most ASCII length digits accepted: 20 digits already exceed `u64::MAX`.
pub const MAX_ASCII_DIGITS: usize = 20;

/// How a byte stream is cut into messages.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Spec {
    /// No messages: the stream is shown only as the chunks `recv`/`send` moved.
    Raw,
    /// Messages end with `\n`; a `\r` just before it is stripped from the body too.
    Line,
    /// Messages end with this non-empty byte string.
    Delim(Vec<u8>),
    /// Every message is exactly this many (at least 1) bytes.
    Fixed(usize),
    /// A binary length prefix, then the body.
    Len {
        width: LenWidth,
        /// The declared length counts the prefix itself (so it is at least the prefix width).
        inclusive: bool,
    },
    /// This many ASCII decimal digits give the body length, as in the Python Socket HOWTO.
    Ascii(usize),
    /// One message per direction, ended by EOF.
    Eof,
    /// Each call's bytes are one message: a datagram socket keeps the boundaries itself, so
    /// this is the one framing whose messages depend on the chunking (a chunk is a datagram).
    Datagram,
}

/// Width and byte order of a binary length prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LenWidth {
    U8,
    U16Be,
    U16Le,
    U32Be,
    U32Le,
    U64Be,
    U64Le,
}

impl LenWidth {
    /// Every width, in the order help texts list them.
    pub const ALL: [LenWidth; 7] = [
        LenWidth::U8,
        LenWidth::U16Be,
        LenWidth::U16Le,
        LenWidth::U32Be,
        LenWidth::U32Le,
        LenWidth::U64Be,
        LenWidth::U64Le,
    ];

    /// The name used in specs, e.g. `u16be`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            LenWidth::U8 => "u8",
            LenWidth::U16Be => "u16be",
            LenWidth::U16Le => "u16le",
            LenWidth::U32Be => "u32be",
            LenWidth::U32Le => "u32le",
            LenWidth::U64Be => "u64be",
            LenWidth::U64Le => "u64le",
        }
    }

    /// Size of the prefix in bytes.
    #[must_use]
    pub fn size(self) -> usize {
        match self {
            LenWidth::U8 => 1,
            LenWidth::U16Be | LenWidth::U16Le => 2,
            LenWidth::U32Be | LenWidth::U32Le => 4,
            LenWidth::U64Be | LenWidth::U64Le => 8,
        }
    }

    /// The length a complete prefix declares; `None` if `prefix` is not exactly [`Self::size`]
    /// bytes long.
    #[must_use]
    pub fn decode(self, prefix: &[u8]) -> Option<u64> {
        Some(match self {
            LenWidth::U8 => u64::from(u8::from_be_bytes(prefix.try_into().ok()?)),
            LenWidth::U16Be => u64::from(u16::from_be_bytes(prefix.try_into().ok()?)),
            LenWidth::U16Le => u64::from(u16::from_le_bytes(prefix.try_into().ok()?)),
            LenWidth::U32Be => u64::from(u32::from_be_bytes(prefix.try_into().ok()?)),
            LenWidth::U32Le => u64::from(u32::from_le_bytes(prefix.try_into().ok()?)),
            LenWidth::U64Be => u64::from_be_bytes(prefix.try_into().ok()?),
            LenWidth::U64Le => u64::from_le_bytes(prefix.try_into().ok()?),
        })
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|width| width.name() == name)
    }
}

impl Spec {
    /// Bytes before the body of every message (length prefix or ASCII digits).
    #[must_use]
    pub fn header_len(&self) -> usize {
        match self {
            Spec::Len { width, .. } => width.size(),
            Spec::Ascii(digits) => *digits,
            _ => 0,
        }
    }

    /// Checks a spec built in code (parsing already checks the same) and what only the message
    /// cap can decide: a fixed size above the cap could never frame a message.
    pub fn validate(&self, max_message: usize) -> Result<(), SpecError> {
        self.problem(max_message)
            .map_or(Ok(()), |problem| Err(SpecError::new(self.to_string(), problem)))
    }

    fn problem(&self, max_message: usize) -> Option<SpecProblem> {
        match self {
            Spec::Delim(delimiter) if delimiter.is_empty() => Some(SpecProblem::EmptyDelimiter),
            Spec::Delim(delimiter) if delimiter.len() > MAX_DELIMITER_LEN => {
                Some(SpecProblem::DelimiterTooLong(delimiter.len()))
            }
            Spec::Fixed(0) => Some(SpecProblem::SizeZero),
            Spec::Fixed(size) if *size > max_message => {
                Some(SpecProblem::ExceedsCap { size: *size, cap: max_message })
            }
            Spec::Ascii(0) => Some(SpecProblem::NoDigits),
            Spec::Ascii(digits) if *digits > MAX_ASCII_DIGITS => {
                Some(SpecProblem::TooManyDigits(*digits))
            }
            _ => None,
        }
    }
}

impl FromStr for Spec {
    type Err = SpecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // Parsing checks the syntax; `problem` checks the values, shared with `validate`.
        let checked = parse(text).and_then(|spec| spec.problem(usize::MAX).map_or(Ok(spec), Err));
        checked.map_err(|problem| SpecError::new(text.to_owned(), problem))
    }
}

fn parse(text: &str) -> Result<Spec, SpecProblem> {
    let (kind, argument) = match text.split_once(':') {
        Some((kind, argument)) => (kind, Some(argument)),
        None => (text, None),
    };
    match (kind, argument) {
        ("raw", None) => Ok(Spec::Raw),
        ("line", None) => Ok(Spec::Line),
        ("eof", None) => Ok(Spec::Eof),
        ("datagram", None) => Ok(Spec::Datagram),
        ("raw" | "line" | "eof" | "datagram", Some(_)) => {
            Err(SpecProblem::UnexpectedArgument(kind.to_owned()))
        }
        ("delim", Some(hex)) => parse_delimiter(hex).map(Spec::Delim),
        ("fixed", Some(size)) => parse_decimal(size).map(Spec::Fixed),
        ("len", Some(argument)) => parse_len(argument),
        ("ascii", Some(digits)) => parse_decimal(digits).map(Spec::Ascii),
        ("delim", None) => Err(SpecProblem::MissingArgument("delim")),
        ("fixed", None) => Err(SpecProblem::MissingArgument("fixed")),
        ("len", None) => Err(SpecProblem::MissingArgument("len")),
        ("ascii", None) => Err(SpecProblem::MissingArgument("ascii")),
        _ => Err(SpecProblem::UnknownKind(kind.to_owned())),
    }
}

fn parse_delimiter(hex: &str) -> Result<Vec<u8>, SpecProblem> {
    if !hex.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(SpecProblem::NotHex(hex.to_owned()));
    }
    if !hex.len().is_multiple_of(2) {
        return Err(SpecProblem::OddHexDigits(hex.to_owned()));
    }
    Ok(hex.as_bytes().chunks(2).map(hex_pair).collect())
}

/// Two hex digits (already checked) as a byte.
fn hex_pair(pair: &[u8]) -> u8 {
    let nibble = |digit: u8| (digit as char).to_digit(16).unwrap_or(0) as u8;
    pair.iter().fold(0, |byte, &digit| (byte << 4) | nibble(digit))
}

fn parse_len(argument: &str) -> Result<Spec, SpecProblem> {
    let (name, flag) = match argument.split_once(':') {
        Some((name, flag)) => (name, Some(flag)),
        None => (argument, None),
    };
    let width = LenWidth::from_name(name).ok_or_else(|| SpecProblem::UnknownWidth(name.into()))?;
    let inclusive = match flag {
        None => false,
        Some("incl") => true,
        Some(other) => return Err(SpecProblem::UnknownFlag(other.to_owned())),
    };
    Ok(Spec::Len { width, inclusive })
}

/// A plain decimal number: ASCII digits only (no sign, space or underscore), fitting `usize`.
fn parse_decimal(text: &str) -> Result<usize, SpecProblem> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(SpecProblem::NotDecimal(text.to_owned()));
    }
    text.parse().map_err(|_| SpecProblem::NumberTooLarge(text.to_owned()))
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spec::Raw => f.write_str("raw"),
            Spec::Line => f.write_str("line"),
            Spec::Eof => f.write_str("eof"),
            Spec::Datagram => f.write_str("datagram"),
            Spec::Delim(delimiter) => {
                f.write_str("delim:")?;
                delimiter.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
            }
            Spec::Fixed(size) => write!(f, "fixed:{size}"),
            Spec::Len { width, inclusive } => {
                write!(f, "len:{}{}", width.name(), if *inclusive { ":incl" } else { "" })
            }
            Spec::Ascii(digits) => write!(f, "ascii:{digits}"),
        }
    }
}
