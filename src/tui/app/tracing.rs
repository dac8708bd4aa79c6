//! The App in `sockscope trace`: a traced program's events, each with the call it came from,
//! where its output goes and how the trace ended. sockscope only watches the program's
//! sockets; what would act on them is refused with a sentence that says so.

use super::{App, Level};
use crate::event::{CallSite, Event};

/// What the status bar says about a trace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TraceInfo {
    /// Where the program's output and error go (`/dev/null`, a file).
    pub output: String,
    /// How the trace ended, once it has.
    pub ended: Option<String>,
}

/// What a key or command that acts on a socket says in a trace.
pub const NOT_ON_A_TRACED_PROGRAM: &str = "not available on a traced program: its sockets are \
    its own (sockscope only watches); : commands that look (framing, follow, copy, sort, \
    filter, why, help, quit) apply";

impl App {
    /// The program's output goes to `output` (said in the status bar).
    pub fn set_trace_output(&mut self, output: String) {
        self.trace.output = output;
    }

    /// Where the program's output goes, and how the trace ended.
    #[must_use]
    pub fn trace_info(&self) -> &TraceInfo {
        &self.trace
    }

    pub(super) fn apply_traced(&mut self, batch: &[(Event, CallSite)]) {
        for (event, site) in batch {
            self.clock_us = self.clock_us.max(event.t_us);
            self.session.apply_traced(event, *site);
            self.react_to(event);
        }
    }

    pub(super) fn end_trace(&mut self, how: String) {
        self.set_status(how.clone(), Level::Info, None);
        self.trace.ended = Some(how);
    }
}
