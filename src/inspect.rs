//! Pure views of bytes for the inspector panels: terminal-safe escaping, hexdump rows,
//! byte-order readings, search and source-text literals. No I/O, so every function is testable
//! on plain slices and the same code serves live sessions, replays and exports. Beyond std it
//! uses only pure crates: `memchr` and `regex` for search, `hex` and `base64` for literals,
//! `textwrap` for prose.
//!
//! [`escape`] is the only way peer bytes may become text on screen (see `ARCHITECTURE.md`).

pub mod escape;
pub mod file_error;
pub mod hexdump;
pub mod layout;
pub mod literal;
pub mod numbers;
pub mod prose;
pub mod search;
pub mod typed;

pub use escape::escape_bytes;

#[cfg(test)]
mod tests;
