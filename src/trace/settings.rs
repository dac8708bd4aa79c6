//! How a trace runs, and where its events go: the settings the command line chooses and the
//! sink the runner (headless printer, terminal UI) hands the tracer.

use super::events::Traced;
use std::path::PathBuf;

/// What a trace is started with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// `--snap SIZE`: at most this many bytes of each call's data are read from the program
    /// (`None`: all of them). The byte counts stay the real ones.
    pub snap: Option<usize>,
    /// Where a started program's standard streams go.
    pub stdio: Stdio,
}

/// Where a started program's standard input, output and error go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Stdio {
    /// sockscope's own (the headless trace: the program shares the terminal).
    #[default]
    Inherit,
    /// Output and error appended to this file, input from `/dev/null` (the terminal UI, whose
    /// screen the program must not write on).
    File(PathBuf),
    /// Output and error discarded, input from `/dev/null`.
    Null,
}

/// Where the tracer hands what it reads.
pub trait Sink {
    /// One event and the call it came from, in order.
    fn event(&mut self, traced: Traced);
    /// The tracer is about to wait for the program: a sink that gathers events in batches
    /// passes on what it holds, so nothing waits while the program is quiet.
    fn idle(&mut self) {}
}

impl<F: FnMut(Traced)> Sink for F {
    fn event(&mut self, traced: Traced) {
        self(traced);
    }
}
