//! Recordings: a session's events in a compact, checksummed file, read back for replay and
//! exported as JSON Lines, pcapng or a hexdump.
//!
//! The native format (`docs/recording-format.md` has the full description):
//!
//! - a preamble: the magic `\x89SSCOPE\r\n\x1a\n` (which a text-mode copy, a 7-bit channel or a
//!   DOS `type` visibly damages), the major and minor version, and a CRC-32 of both;
//! - records: a type byte, a little-endian `u32` body length (at most [`MAX_BODY`]), the body,
//!   and a CRC-32 of type, length and body;
//! - one record type per event kind; numbers are LEB128 varints, payload bytes are stored raw;
//!   payloads over [`format::PAYLOAD_PART`] are split into `DataPart` records;
//! - a recording of a TLS session holds its secrets (the key log lines, see [`secrets`]);
//! - `Start` (creation time, tool) first, `Clock` (wall-clock time of the session clock) before
//!   the first event, `End` (the event count) last, written when the file is closed properly.
//!
//! Writing happens on a thread of its own ([`Recorder`]); the engine or UI only hands batches
//! over, through [`RecordingSink`] or [`Recorder::record`]. Reading ([`Reader`]) streams events
//! and ends with a [`ReadStatus`] that says whether the file was complete, truncated or
//! corrupt, and where. [`Index`] skims a file for seeking.
//!
//! The layer depends on [`crate::event`] only, and implements the engine's `EventSink` trait
//! for [`RecordingSink`].

mod codec;
mod codes;
pub mod direct;
pub mod encoder;
pub mod export;
pub mod file;
pub mod format;
pub mod import;
pub mod index;
pub mod reader;
pub mod relay;
mod replay_framing;
pub mod resend;
pub mod secrets;
mod sink;
mod target;
mod wire;
pub mod writer;

pub use encoder::Encoder;
pub use file::{CreateError, create_private, names_file};
pub use format::{MAX_BODY, StartInfo, Version};
pub use index::{Checkpoint, Index};
pub use reader::{Clock, Ending, OpenError, ReadStatus, Reader};
pub use replay_framing::{Replay, replay_framing};
pub use sink::RecordingSink;
pub use target::RecordTarget;
pub use writer::{RecordError, Recorder, Summary, Tap};

#[cfg(test)]
mod tests;
