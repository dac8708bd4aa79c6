//! The validated meaning of `--record`, `replay` and `export`.

use super::config::{Presentation, UsageError, framing_spec, presentation};
use super::record_args::{ExportArgs, ExportFormat, RecordOpts, ReplayArgs, Side, Timing};
use crate::engine::addr;
use crate::event::{Address, ConnId};
use crate::framing::Spec;
use std::path::PathBuf;
use std::time::Duration;

/// Where a live session is recorded (`--record FILE [--force]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordTarget {
    pub path: PathBuf,
    /// Replace an existing regular file.
    pub force: bool,
}

impl RecordTarget {
    #[must_use]
    pub fn from_opts(opts: &RecordOpts) -> Option<Self> {
        opts.record.clone().map(|path| Self { path, force: opts.force })
    }
}

/// `sockscope replay FILE [--headless [--json]] [--framing SPEC]`.
#[derive(Clone, Debug)]
pub struct ReplayPlan {
    pub path: PathBuf,
    /// `Tui`: the terminal UI drives a timeline over the file; `Headless`: print the events
    /// exactly as the live run printed them.
    pub presentation: Presentation,
    /// `--framing`, validated; `None`: the framing recorded in the file (raw if none).
    pub framing: Option<Spec>,
    /// `--max-message`; `None`: the recorded cap (16 MiB if none).
    pub max_message: Option<usize>,
}

/// `sockscope replay FILE --to ADDR ...`.
#[derive(Clone, Debug)]
pub struct ResendPlan {
    pub path: PathBuf,
    /// Candidate addresses of the server, tried in turn.
    pub to: Vec<Address>,
    pub conn: Option<ConnId>,
    pub side: Side,
    pub timing: Timing,
    pub reply_timeout: Duration,
}

/// `sockscope export FILE --format F [-o OUT [--force]]`.
#[derive(Clone, Debug)]
pub struct ExportPlan {
    pub path: PathBuf,
    pub format: ExportFormat,
    /// `None`: standard output.
    pub output: Option<PathBuf>,
    pub force: bool,
}

/// What `replay` was asked to do: show the recording, or re-send part of it.
#[derive(Clone, Debug)]
pub enum ReplayKind {
    Show(ReplayPlan),
    Resend(ResendPlan),
}

pub fn replay_plan(args: ReplayArgs) -> Result<ReplayKind, UsageError> {
    if let Some(to) = &args.resend.to {
        if args.view.json || args.view.headless {
            return Err(UsageError(
                "--to re-sends to a server and prints the comparison; it takes no --headless or --json"
                    .into(),
            ));
        }
        return Ok(ReplayKind::Resend(ResendPlan {
            path: args.file,
            to: addr::resolve(to)?,
            conn: args.resend.conn.map(|n| ConnId(n as u64)),
            side: args.resend.side,
            timing: args.resend.timing,
            reply_timeout: args.resend.reply_timeout,
        }));
    }
    let presentation = presentation(&args.view)?;
    let cap = args.max_message.unwrap_or(crate::framing::DEFAULT_MAX_MESSAGE);
    let framing = args.framing.as_deref().map(|text| framing_spec(text, cap)).transpose()?;
    Ok(ReplayKind::Show(ReplayPlan {
        path: args.file,
        presentation,
        framing,
        max_message: args.max_message,
    }))
}

#[must_use]
pub fn export_plan(args: ExportArgs) -> ExportPlan {
    ExportPlan { path: args.file, format: args.format, output: args.output, force: args.force }
}
