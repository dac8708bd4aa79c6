//! Message framing: how a byte stream is cut into messages (`--framing SPEC`).
//!
//! TCP delivers a stream, not messages: one `recv` may return half a message or three and a
//! bit. A [`Framer`] per direction is fed each chunk as it moves and reports the complete
//! messages, the one still in progress ("7 of 12 bytes") and the bytes that already belong to
//! the next. The result never depends on how the stream was chunked, and a declared length
//! above the cap is an error, never an allocation. Pure std; no I/O.

mod delimited;
mod error;
mod framer;
mod length;
mod message;
mod spec;

pub use delimited::find;
pub use error::{FramingError, SpecError, SpecProblem, human_size};
pub use framer::{Framer, frame_all};
pub use message::{Message, Partial};
pub use spec::{LenWidth, MAX_ASCII_DIGITS, MAX_DELIMITER_LEN, Spec};

/// Default `--max-message`: the largest message a framer will buffer.
pub const DEFAULT_MAX_MESSAGE: usize = 16 << 20;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
