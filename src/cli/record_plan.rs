//! The validated meaning of `--record`, `replay` and `export`.

use super::config::{Presentation, UsageError, framing_spec, presentation};
use super::record_args::{
    ExportArgs, ExportDir, ExportFormat, RecordOpts, ReplayArgs, Side, Timing,
};
use crate::engine::addr;
use crate::event::{Address, ConnId, Dir};
use crate::framing::{DEFAULT_MAX_MESSAGE, Spec};
use crate::record::StartInfo;
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
    /// `--retain`: the memory the terminal UI keeps for its views.
    pub retain: usize,
}

impl ReplayPlan {
    /// The framing to replay with; see [`replay_framing`].
    #[must_use]
    pub fn framing_for(&self, start: Option<&StartInfo>) -> (Spec, usize, Option<String>) {
        replay_framing(self.framing.as_ref(), self.max_message, start)
    }
}

/// The framing to replay with: `framing` (`--framing`) if given, else the one recorded, else
/// raw; with a warning when the recorded one cannot be used.
#[must_use]
pub fn replay_framing(
    framing: Option<&Spec>,
    max_message: Option<usize>,
    start: Option<&StartInfo>,
) -> (Spec, usize, Option<String>) {
    {
        let recorded = start.and_then(|s| s.framing.as_ref());
        let max_message =
            max_message.or(recorded.map(|(_, max)| *max)).unwrap_or(DEFAULT_MAX_MESSAGE);
        if let Some(spec) = framing {
            return (spec.clone(), max_message, None);
        }
        let Some((text, _)) = recorded else { return (Spec::Raw, max_message, None) };
        let usable = text
            .parse::<Spec>()
            .map_err(|e| e.to_string())
            .and_then(|spec| spec.validate(max_message).map_err(|e| e.to_string()).map(|()| spec));
        match usable {
            Ok(spec) => (spec, max_message, None),
            Err(err) => {
                let text = crate::inspect::escape::escape_str(text);
                let warning =
                    format!("the recorded framing '{text}' is not usable ({err}); using raw");
                (Spec::Raw, max_message, Some(warning))
            }
        }
    }
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
    /// `--conn N`: only this connection (and its proxy pair).
    pub conn: Option<ConnId>,
    /// `--dir in|out`: only the bytes of this direction.
    pub dir: Option<Dir>,
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
            to: addr::resolve_peer(to)?,
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
        retain: args.retain,
    }))
}

/// An export plan; `--format raw` needs one connection and one direction, and a capture
/// (`pcapng`) holds both directions.
pub fn export_plan(args: ExportArgs) -> Result<ExportPlan, UsageError> {
    let dir = args.dir.map(|dir| match dir {
        ExportDir::In => Dir::In,
        ExportDir::Out => Dir::Out,
    });
    match (args.format, args.conn, dir) {
        (ExportFormat::Raw, None, _) | (ExportFormat::Raw, _, None) => {
            return Err(UsageError(
                "--format raw writes one direction of one connection: give --conn N and --dir \
                 in|out"
                    .into(),
            ));
        }
        (ExportFormat::Pcapng, _, Some(_)) => {
            return Err(UsageError(
                "--dir: a pcapng capture holds both directions of each connection (--conn N \
                 selects one)"
                    .into(),
            ));
        }
        (
            ExportFormat::Raw | ExportFormat::Pcapng | ExportFormat::Jsonl | ExportFormat::Hexdump,
            ..,
        ) => {}
    }
    Ok(ExportPlan {
        path: args.file,
        format: args.format,
        output: args.output,
        force: args.force,
        conn: args.conn.map(|n| ConnId(n as u64)),
        dir,
    })
}
