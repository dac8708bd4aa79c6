//! `sockscope trace --headless`: print (and record) another program's socket calls.
//!
//! The tracer runs on this thread (ptrace answers only the thread that attached); each event
//! is printed as it is read (flushed whenever the tracer waits for the program), with the
//! process, the system call and the descriptor it came
//! from. sockscope ends with the program's exit status, as strace does.

mod signals;

use super::Output;
use super::printer::Printer;
use crate::event::{CallSite, Event, EventKind, now_unix_us};
use crate::record::{RecordTarget, Recorder, StartInfo};
use crate::trace::{self, Ending, Settings, Sink, Target, Traced};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// What `sockscope trace --headless` starts with; the command line builds it.
#[derive(Clone, Debug)]
pub struct TraceStart {
    pub target: Target,
    pub record: Option<RecordTarget>,
    /// `--snap`, and where a started program's output goes.
    pub settings: Settings,
}

/// Traces `start.target` until the program ends (or, attached, until Ctrl-C detaches).
#[must_use]
pub fn run(start: &TraceStart, output: Output) -> ExitCode {
    // Before any thread starts (the recorder's, the signals'): see `trace::waiting`.
    trace::block_child_signals();
    let recorder = match start.record.as_ref().map(create_recording).transpose() {
        Ok(recorder) => recorder,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let ending = match trace::start(&start.target, &start.settings) {
        Ok(tracer) => {
            let stop = Arc::new(AtomicBool::new(false));
            let attached = matches!(start.target, Target::Attach(_));
            let _signals = signals::watch(tracer.main_pid(), attached, Arc::clone(&stop))
                .inspect_err(|err| eprintln!("warning: Ctrl-C will not detach cleanly: {err}"))
                .ok();
            let mut log = Log::new(Printer::new(output), recorder.as_ref());
            log.emit(
                EventKind::Session { version: 0, tool: String::new(), start_unix_us: None },
                None,
            );
            let ending = tracer.run(&stop, &mut log);
            log.finish();
            ending
        }
        Err(ending) => ending,
    };
    if let Some(recorder) = recorder
        && let Err(err) = recorder.finish()
    {
        eprintln!("error: {err}");
    }
    if let Ending::Failed(why) = &ending {
        eprintln!("error: {why}");
    }
    ExitCode::from(ending.exit_status())
}

fn create_recording(target: &RecordTarget) -> Result<Recorder, String> {
    let start = StartInfo::now(Some(("raw".into(), crate::framing::DEFAULT_MAX_MESSAGE)));
    Recorder::create_with(&target.path, target.force, &start).map_err(|err| err.to_string())
}

/// The printed and recorded log, on the session's clock.
struct Log<'a> {
    printer: Printer,
    recorder: Option<&'a Recorder>,
    started: Instant,
    /// Set once writing failed (a closed pipe): tracing goes on, so the program is never left
    /// stopped, but nothing more is printed.
    broken: bool,
}

impl Sink for Log<'_> {
    fn event(&mut self, (kind, site): Traced) {
        self.emit(kind, Some(&site));
    }

    fn idle(&mut self) {
        if !self.broken {
            self.broken = self.printer.flush().is_err();
        }
    }
}

impl<'a> Log<'a> {
    fn new(printer: Printer, recorder: Option<&'a Recorder>) -> Self {
        Self { printer, recorder, started: Instant::now(), broken: false }
    }

    fn emit(&mut self, kind: EventKind, site: Option<&CallSite>) {
        let event = match kind {
            EventKind::Session { .. } => Event::session_started_at(Some(now_unix_us())),
            kind => {
                let t_us = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
                Event { kind, t_us }
            }
        };
        if let Some(recorder) = self.recorder {
            // A failed recording is said once, by the recorder's end.
            let _ = match site {
                Some(site) => recorder.record_traced(&[(event.clone(), *site)]),
                None => recorder.record(std::slice::from_ref(&event)),
            };
        }
        if !self.broken {
            // Flushed when the tracer waits for the program (`idle`): one write per burst of
            // calls rather than per event, and nothing waits while the program is quiet.
            self.broken = self.printer.print_traced(&event, site).is_err();
        }
    }

    fn finish(&mut self) {
        if !self.broken {
            let _ = self.printer.flush();
        }
    }
}
