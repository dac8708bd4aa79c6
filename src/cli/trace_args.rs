//! `sockscope trace [--pid PID] [options] -- CMD [ARGS...]`: the command line of the tracer.

use super::args::ViewOpts;
use super::config::{Presentation, UsageError, presentation};
use super::record_args::RecordOpts;
use crate::headless::trace::TraceStart;
use crate::record::RecordTarget;
use crate::trace::{Settings, Stdio, Target};
use crate::values::parse_size;
use clap::Args;
use std::ffi::OsString;
use std::path::PathBuf;

/// `sockscope trace ...`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Attach to the running process PID (and its threads) instead of starting a command;
    /// Ctrl-C (or quitting the UI) detaches and the process runs on.
    #[arg(long, value_name = "PID", value_parser = clap::value_parser!(i32).range(1..),
          conflicts_with = "command")]
    pub pid: Option<i32>,
    /// Bytes of data read from the program per call, e.g. 64 or 4KiB (default: all); `len`
    /// stays the real count and a cut event says `"snapped":true`.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub snap: Option<usize>,
    /// Where a started program's output and error go (appended). In the UI the default is
    /// /dev/null, so the program never writes over the screen, and its input is /dev/null;
    /// headless, the program shares sockscope's terminal unless this is given.
    #[arg(long, value_name = "FILE", conflicts_with = "pid")]
    pub program_output: Option<PathBuf>,
    #[command(flatten)]
    pub view: ViewOpts,
    #[command(flatten)]
    pub record: RecordOpts,
    /// The program to run under the tracer, and its arguments (after `--`). In the UI,
    /// quitting (q, Ctrl-C) kills it and every process it started that is traced.
    #[arg(value_name = "CMD", last = true, required_unless_present = "pid")]
    pub command: Vec<OsString>,
}

/// A validated `trace` command line: what to trace, how, and where it is shown.
#[derive(Clone, Debug)]
pub struct TracePlan {
    pub start: TraceStart,
    pub presentation: Presentation,
}

/// Checks `args`: the UI or `--headless`, and where the program's own output goes.
pub fn trace_plan(args: TraceArgs) -> Result<TracePlan, UsageError> {
    let presentation = presentation(&args.view)?;
    let target = match args.pid {
        Some(pid) => Target::Attach(pid),
        None => Target::Spawn(args.command),
    };
    let stdio = match (args.program_output, presentation) {
        (Some(path), _) => Stdio::File(path),
        (None, Presentation::Tui) => Stdio::Null,
        (None, Presentation::Headless(_)) => Stdio::Inherit,
    };
    let record = RecordTarget::from_opts(&args.record);
    let settings = Settings { snap: args.snap, stdio };
    Ok(TracePlan { start: TraceStart { target, record, settings }, presentation })
}

/// The UI's start settings from the same plan.
#[must_use]
pub fn tui_start(start: &TraceStart) -> crate::tui::TraceStart {
    crate::tui::TraceStart {
        target: start.target.clone(),
        settings: start.settings.clone(),
        record: start.record.clone(),
    }
}
