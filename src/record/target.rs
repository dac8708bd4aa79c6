//! Where a session is recorded, as the command line asked.

use std::path::PathBuf;

/// Where a live session is recorded (`--record FILE [--force]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordTarget {
    pub path: PathBuf,
    /// Replace an existing regular file.
    pub force: bool,
}
