//! `sockscope import CAPTURE -o FILE [--force]`: a pcap or pcapng capture made into a
//! recording (see `record::import` and `docs/import.md`).

use super::EXIT_USAGE;
use crate::record::import::{ImportError, Summary, write_recording};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// `sockscope import CAPTURE -o FILE [--force]`.
#[derive(Clone, Debug, Args)]
pub struct ImportArgs {
    /// A pcap or pcapng capture (Wireshark, tcpdump, `sockscope export --format pcapng`).
    #[arg(value_name = "CAPTURE")]
    pub capture: PathBuf,
    /// The recording to write (created 0600).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Replace FILE if it exists (a symbolic link is never followed).
    #[arg(long)]
    pub force: bool,
}

/// Imports, prints a one-line summary on stderr, and says how it went: 0 done, 2 bad input
/// (not a capture, no TCP, an output that may not be written, a capture cut short), 1 a
/// failed write.
#[must_use]
pub fn run_import(args: &ImportArgs) -> ExitCode {
    match write_recording(&args.capture, &args.output, args.force) {
        Ok(summary) => {
            eprintln!("{}", summary_line(&summary, args));
            match &summary.stop {
                None => ExitCode::SUCCESS,
                Some(stop) => {
                    eprintln!(
                        "error: {}: {stop}; the recording holds what came before it",
                        args.capture.display()
                    );
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        Err(err @ ImportError::Write { .. }) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
        Err(
            err @ (ImportError::Input { .. }
            | ImportError::NotRegular { .. }
            | ImportError::NotACapture { .. }
            | ImportError::NoTcp { .. }
            | ImportError::Create(_)),
        ) => {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `imported 3 connections from X into Y: 40 TCP packets, 1234 bytes, 2 packets skipped,
/// 0 gaps`.
fn summary_line(summary: &Summary, args: &ImportArgs) -> String {
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "imported {} from {} into {}: {}, {}, {} skipped (not TCP), {}",
        plural(summary.connections, "connection", "connections"),
        args.capture.display(),
        args.output.display(),
        plural(summary.tcp_packets, "TCP packet", "TCP packets"),
        plural(summary.bytes, "byte", "bytes"),
        plural(summary.skipped, "packet", "packets"),
        plural(summary.gaps, "gap", "gaps"),
    )
}
