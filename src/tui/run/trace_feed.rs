//! `sockscope trace` in the UI: the tracer as an event source beside the engine and the
//! replay player. It runs on a thread of its own (`sockscope-trace`), since ptrace answers
//! only the thread that attached, and posts the program's events, each with the call it came
//! from, through the same credit-counted [`Outbox`] as the engine's batches: a UI that falls
//! behind makes the tracer wait, which keeps the program stopped (never its events dropped).
//!
//! Stopping the feed (the user quits) kills a started program and every traced process it
//! started, or detaches from an attached one, and returns once the tracer has let go of all
//! of them: nothing is left stopped.

use super::sink::Outbox;
use crate::event::{CallSite, Event, EventKind, now_unix_us};
use crate::trace::{self, Ending, Settings, Sink, Target, Traced};
use crate::tui::msg::Msg;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Instant;

/// Most events in one batch to the UI.
const BATCH_EVENTS: usize = 256;
/// Most payload bytes in one batch to the UI.
const BATCH_BYTES: usize = 1 << 20;

/// The tracer's thread; [`TraceFeed::stop`] ends it.
#[derive(Debug)]
pub struct TraceFeed {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TraceFeed {
    /// Starts tracing `target` on a thread of its own; `origin` is the session clock's start.
    pub fn start(
        target: Target,
        settings: Settings,
        outbox: Outbox,
        origin: Instant,
    ) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let asked = Arc::clone(&stop);
        let thread = thread::Builder::new().name("sockscope-trace".into()).spawn(move || {
            let mut sink = Batches::new(outbox, origin);
            sink.post_session();
            let ending = match trace::start(&target, &settings) {
                Ok(tracer) => tracer.run(&asked, &mut sink),
                Err(ending) => ending,
            };
            sink.flush();
            let _ = sink.outbox.notify(Msg::TraceEnded(ending_text(&ending)));
        })?;
        Ok(Self { stop, thread: Some(thread) })
    }

    /// Ends the trace (see the module's note) and waits for the tracer to let go.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What the status line says once the trace is over.
#[must_use]
pub fn ending_text(ending: &Ending) -> String {
    match ending {
        Ending::Exited(code) => format!("the program exited with status {code}"),
        Ending::Signaled(signal) => format!("the program was killed by signal {signal}"),
        Ending::Detached => "detached: the program runs on untraced".into(),
        Ending::Failed(why) => format!("tracing failed: {why}"),
    }
}

/// Events gathered into batches, posted when full or when the program is quiet.
struct Batches {
    outbox: Outbox,
    origin: Instant,
    batch: Vec<(Event, CallSite)>,
    bytes: usize,
    /// The UI has gone: the tracer goes on (the program must not stay stopped), unheard.
    gone: bool,
}

impl Batches {
    fn new(outbox: Outbox, origin: Instant) -> Self {
        Self { outbox, origin, batch: Vec::new(), bytes: 0, gone: false }
    }

    /// The session's first event, with its wall-clock start.
    fn post_session(&mut self) {
        let event = Event::session_started_at(Some(now_unix_us()));
        self.gone = !self.outbox.post(Msg::Engine(vec![event]));
    }

    fn flush(&mut self) {
        if self.batch.is_empty() || self.gone {
            self.batch.clear();
            return;
        }
        self.bytes = 0;
        let batch = std::mem::take(&mut self.batch);
        self.gone = !self.outbox.post(Msg::Traced(batch));
    }
}

impl Sink for Batches {
    fn event(&mut self, (kind, site): Traced) {
        let t_us = u64::try_from(self.origin.elapsed().as_micros()).unwrap_or(u64::MAX);
        if let EventKind::Send { data, .. } | EventKind::Recv { data, .. } = &kind {
            self.bytes += data.len();
        }
        self.batch.push((Event { kind, t_us }, site));
        if self.batch.len() >= BATCH_EVENTS || self.bytes >= BATCH_BYTES {
            self.flush();
        }
    }

    fn idle(&mut self) {
        self.flush();
    }
}
