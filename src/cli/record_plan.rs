//! The validated meaning of `--record`, `replay` and `export`.

use super::config::{Presentation, UsageError, framing_spec, presentation};
use super::record_args::{
    ExportArgs, ExportDir, ExportFormat, RecordOpts, ReplayArgs, Side, Timing,
};
use crate::engine::addr;
use crate::event::{ConnId, Dir};
use crate::record::{RecordTarget, Replay};
use std::path::PathBuf;

impl RecordTarget {
    #[must_use]
    pub fn from_opts(opts: &RecordOpts) -> Option<Self> {
        opts.record.clone().map(|path| Self { path, force: opts.force })
    }
}

/// `sockscope replay FILE [--headless [--json]] [--framing SPEC]`.
#[derive(Clone, Debug)]
pub struct ReplayPlan {
    /// `Tui`: the terminal UI drives a timeline over the file; `Headless`: print the events
    /// exactly as the live run printed them.
    pub presentation: Presentation,
    /// What either runner replays, and how.
    pub replay: Replay,
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
    /// `--plaintext` (pcapng only): TLS connections' plaintext in place of their wire bytes.
    pub plaintext: bool,
}

/// What `replay` was asked to do: show the recording, or re-send part of it.
#[derive(Clone, Debug)]
pub enum ReplayKind {
    Show(ReplayPlan),
    Resend(crate::headless::resend::Plan),
}

pub fn replay_plan(args: ReplayArgs) -> Result<ReplayKind, UsageError> {
    if let Some(to) = &args.resend.to {
        if args.view.json || args.view.headless {
            return Err(UsageError(
                "--to re-sends to a server and prints the comparison; it takes no --headless or --json"
                    .into(),
            ));
        }
        return Ok(ReplayKind::Resend(crate::headless::resend::Plan {
            path: args.file,
            to: addr::resolve_peer(to)?,
            conn: args.resend.conn.map(|n| ConnId(n as u64)),
            side: match args.resend.side {
                Side::Client => crate::record::resend::Side::Client,
                Side::Server => crate::record::resend::Side::Server,
            },
            timing: match args.resend.timing {
                Timing::Original => crate::headless::resend::Timing::Original,
                Timing::WaitReply => crate::headless::resend::Timing::WaitReply,
            },
            reply_timeout: args.resend.reply_timeout,
        }));
    }
    let presentation = presentation(&args.view)?;
    let cap = args.max_message.unwrap_or(crate::framing::DEFAULT_MAX_MESSAGE);
    let framing = args.framing.as_deref().map(|text| framing_spec(text, cap)).transpose()?;
    let replay =
        Replay { path: args.file, framing, max_message: args.max_message, retain: args.retain };
    Ok(ReplayKind::Show(ReplayPlan { presentation, replay }))
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
    if args.plaintext && args.format != ExportFormat::Pcapng {
        return Err(UsageError(
            "--plaintext is for --format pcapng (jsonl and hexdump show a TLS connection's \
             plaintext as its tls_read and tls_write events)"
                .into(),
        ));
    }
    Ok(ExportPlan {
        path: args.file,
        format: args.format,
        output: args.output,
        force: args.force,
        conn: args.conn.map(|n| ConnId(n as u64)),
        dir,
        plaintext: args.plaintext,
    })
}
