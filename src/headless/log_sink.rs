//! The text log written on the engine's own thread, for the runs that only log and watch.
//!
//! A plain `proxy`, `listen` or `connect` run with the text log needs nothing from an event but
//! its line and what [`Watch`] makes of it, and both are cheap. Handing events to another thread
//! costs more than that under a flood: a batch keeps every buffer it carries busy until the
//! other thread is through with it, so each `recv` lands in memory last touched megabytes ago
//! instead of the buffer the previous `send` just emptied, and each hand-off wakes a thread
//! (`BENCHMARKS.md`, "The log on the engine's thread"). Here each event is printed and dropped as
//! soon as the engine makes it; its buffer goes back to the pool at once. The run loop on the
//! main thread gets only what it acts on: the watch's reactions, and how the log ended.

use super::printer::Printer;
use super::watch::{Reaction, Watch};
use crate::engine::EventSink;
use crate::event::Event;
use std::io;
use std::sync::mpsc::Sender;

/// Reports from the engine's thread to the run loop.
#[derive(Debug)]
pub enum Report {
    /// What the watch made of the events just printed, in order (never `Continue`).
    React(Vec<Reaction>),
    /// Writing the log failed; the engine stops.
    Failed(io::Error),
    /// The engine has stopped and the log is flushed: how the run ended as far as the events
    /// tell (`Watch::outcome_at_end`).
    Ended(super::Outcome),
}

/// An [`EventSink`] that prints each event's line and watches it, on the engine's thread.
pub struct LogSink {
    printer: Printer,
    watch: Watch,
    reports: Sender<Report>,
    /// Set once a write failed; nothing is printed after it.
    failed: bool,
}

impl LogSink {
    #[must_use]
    pub fn new(printer: Printer, watch: Watch, reports: Sender<Report>) -> Self {
        Self { printer, watch, reports, failed: false }
    }

    fn fail(&mut self, err: io::Error) -> bool {
        self.failed = true;
        let _ = self.reports.send(Report::Failed(err));
        false
    }
}

impl EventSink for LogSink {
    fn deliver(&mut self, batch: Vec<Event>) -> bool {
        if self.failed {
            return false;
        }
        let mut reactions = Vec::new();
        for event in batch {
            if let Err(err) = self.printer.print(&event) {
                return self.fail(err);
            }
            match self.watch.observe(&event) {
                Reaction::Continue => {}
                reaction => reactions.push(reaction),
            }
        }
        if reactions.is_empty() {
            return true;
        }
        // An abort is said on stderr: the lines before it come first.
        if let Err(err) = self.printer.flush() {
            return self.fail(err);
        }
        self.reports.send(Report::React(reactions)).is_ok()
    }

    /// Any payload is printed and dropped at once: no buffer waits for anybody.
    fn batch_bytes(&self) -> usize {
        1
    }

    fn caught_up(&mut self) -> bool {
        if self.failed {
            return false;
        }
        match self.printer.flush() {
            Ok(()) => true,
            Err(err) => self.fail(err),
        }
    }
}

impl Drop for LogSink {
    /// The engine drops its sink when it stops, after the last events (the final `close`s).
    fn drop(&mut self) {
        if !self.failed
            && let Err(err) = self.printer.flush()
        {
            let _ = self.reports.send(Report::Failed(err));
        }
        let _ = self.reports.send(Report::Ended(self.watch.outcome_at_end()));
    }
}
