//! `sockscope trace [--pid PID] [options] -- CMD [ARGS...]`: the command line of the tracer.

use super::args::ViewOpts;
use super::config::{Presentation, UsageError, presentation};
use super::record_args::RecordOpts;
use crate::headless::Output;
use crate::headless::trace::TraceStart;
use crate::record::RecordTarget;
use crate::trace::Target;
use clap::Args;
use std::ffi::OsString;

/// `sockscope trace ...`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Attach to the running process PID (and its threads) instead of starting a command;
    /// Ctrl-C detaches and the process runs on.
    #[arg(long, value_name = "PID", value_parser = clap::value_parser!(i32).range(1..),
          conflicts_with = "command")]
    pub pid: Option<i32>,
    #[command(flatten)]
    pub view: ViewOpts,
    #[command(flatten)]
    pub record: RecordOpts,
    /// The program to run under the tracer, and its arguments (after `--`).
    #[arg(value_name = "CMD", last = true, required_unless_present = "pid")]
    pub command: Vec<OsString>,
}

/// A validated `trace` command line: what to trace and how the log is printed.
#[derive(Clone, Debug)]
pub struct TracePlan {
    pub start: TraceStart,
    pub output: Output,
}

/// Checks `args`: `--headless` is required (the trace is printed; the terminal UI does not
/// show traces yet).
pub fn trace_plan(args: TraceArgs) -> Result<TracePlan, UsageError> {
    let output = match presentation(&args.view)? {
        Presentation::Headless(output) => output,
        Presentation::Tui => {
            return Err(UsageError(
                "trace prints the program's calls: it needs --headless (with --json for JSON \
                 Lines); the terminal UI does not show traces yet"
                    .into(),
            ));
        }
    };
    let target = match args.pid {
        Some(pid) => Target::Attach(pid),
        None => Target::Spawn(args.command),
    };
    let record = RecordTarget::from_opts(&args.record);
    Ok(TracePlan { start: TraceStart { target, record }, output })
}
