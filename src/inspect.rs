//! Pure views of bytes for the inspector panels: terminal-safe escaping, hexdump rows and
//! byte-order readings. No I/O and no dependencies beyond std, so every function is testable
//! on plain slices and the same code serves live sessions, replays and exports.
//!
//! [`escape`] is the only way peer bytes may become text on screen (see `DESIGN.md`).

pub mod escape;
pub mod hexdump;
pub mod numbers;

pub use escape::escape_bytes;

#[cfg(test)]
mod tests;
