//! Waiting, with a deadline, for an item that arrives on a channel, keeping every item seen:
//! the one loop behind both test harnesses (`tests/common`: an in-process engine's events;
//! `tests/support/live.rs`: the binary's JSON lines). Included by path into each, as the two
//! are compiled into different test crates.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Receives into `seen` until an item satisfies `pred`, and returns it; panics at `deadline`,
/// or when `source` has ended, with `log(seen)`. Items seen before the call do not count.
pub fn wait_for_new<T: Clone>(
    items: &Receiver<T>,
    seen: &mut Vec<T>,
    deadline: Duration,
    (what, source): (&str, &str),
    log: impl Fn(&[T]) -> String,
    pred: impl Fn(&T) -> bool,
) -> T {
    let end = Instant::now() + deadline;
    loop {
        match items.recv_timeout(end.saturating_duration_since(Instant::now())) {
            Ok(item) => {
                seen.push(item.clone());
                if pred(&item) {
                    return item;
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                panic!("timed out waiting for {what}; log:\n{}", log(seen))
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!("{source} ended before {what}; log:\n{}", log(seen))
            }
        }
    }
}
