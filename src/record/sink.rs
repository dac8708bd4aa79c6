//! [`RecordingSink`]: records every batch the engine delivers, then passes it on.
//!
//! This is the one place the record layer meets the engine: it implements the engine's
//! [`EventSink`] trait (a trait only; no socket or poll type is involved). Placed in front of
//! any other sink, it makes the recording hold exactly what the engine reported, whatever the
//! consumer behind it does with the events.

use super::writer::Tap;
use crate::engine::EventSink;
use crate::event::Event;

/// Tees the engine's batches into a recording. With no tap it only passes them on.
#[derive(Debug)]
pub struct RecordingSink<S> {
    inner: S,
    tap: Option<Tap>,
}

impl<S: EventSink> RecordingSink<S> {
    #[must_use]
    pub fn new(inner: S, tap: Option<Tap>) -> Self {
        Self { inner, tap }
    }
}

impl<S: EventSink> EventSink for RecordingSink<S> {
    /// The copy is cheap: payloads are shared `Bytes`. A recording that stopped (its writer
    /// failed) is let go; the session goes on, and the failure is reported when it is finished.
    fn deliver(&mut self, batch: Vec<Event>) -> bool {
        if let Some(tap) = &self.tap
            && !tap.send(batch.clone())
        {
            self.tap = None;
        }
        self.inner.deliver(batch)
    }

    fn batch_bytes(&self) -> usize {
        self.inner.batch_bytes()
    }

    fn caught_up(&mut self) -> bool {
        self.inner.caught_up()
    }
}
