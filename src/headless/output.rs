//! The forms the event log takes on standard output.

use super::format::Preview;

/// The form of the headless event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// One strace-like line per event, for people, showing this much of each chunk.
    Text(Preview),
    /// JSON Lines (`docs/events.md`), for scripts.
    Json,
}
