//! Calls that block, made visible: a traced call that may wait (a receive, a send, `accept`,
//! `connect`, a readiness call) and has not returned [`THRESHOLD`] after it began is reported
//! once as a `blocked` event, while it blocks; its result follows as usual.

use super::decode::{Call, Entry};
use std::time::{Duration, Instant};

/// How long a call may take before it is said to block.
pub const THRESHOLD: Duration = Duration::from_millis(200);

/// A thread's call in progress.
#[derive(Clone, Copy, Debug)]
pub struct Pending {
    pub entry: Entry,
    /// For `close`: the socket it releases (known only before the call).
    pub closing: Option<u64>,
    pub began: Instant,
    /// Whether it was reported as blocked already.
    pub told: bool,
}

impl Pending {
    #[must_use]
    pub fn new(entry: Entry, closing: Option<u64>) -> Self {
        Self { entry, closing, began: Instant::now(), told: false }
    }

    /// When this call is to be reported as blocked, if it may block and has not been yet.
    #[must_use]
    pub fn due(&self) -> Option<Instant> {
        (!self.told && may_block(&self.entry.call)).then(|| self.began + THRESHOLD)
    }
}

fn may_block(call: &Call) -> bool {
    match call {
        Call::Accept { .. }
        | Call::Connect { .. }
        | Call::Send { .. }
        | Call::Recv { .. }
        | Call::Select { .. }
        | Call::Poll { .. }
        | Call::EpollWait { .. } => true,
        Call::Socket
        | Call::Bind { .. }
        | Call::Listen { .. }
        | Call::Shutdown { .. }
        | Call::Close { .. }
        | Call::SetSockOpt { .. }
        | Call::Renames { .. }
        | Call::EpollCtl { .. } => false,
    }
}
