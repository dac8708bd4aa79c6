//! The command line of recordings: `--record`, `replay` and `export`, as clap sees them.

use super::args::ViewOpts;
use crate::values::{parse_count, parse_duration, parse_nonzero_size};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// `--record FILE [--force]`, for every live mode.
#[derive(Debug, Args)]
pub struct RecordOpts {
    /// Record the session into FILE (created 0600; of a TLS session, it holds the session keys;
    /// see `sockscope replay` and `export`).
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Replace FILE if it exists (a symbolic link is never followed).
    #[arg(long, requires = "record")]
    pub force: bool,
}

/// `sockscope replay FILE ...`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A recording made with --record.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub view: ViewOpts,
    /// Cut each stream into messages (default: as the recorded session did): raw, line,
    /// delim:HEX, fixed:N, len:W[:incl], ascii:N, eof, datagram.
    #[arg(long, value_name = "SPEC")]
    pub framing: Option<String>,
    /// Largest message a framing may declare (default: the recorded session's, else 16MiB).
    #[arg(long, value_name = "SIZE", value_parser = parse_nonzero_size)]
    pub max_message: Option<usize>,
    /// Memory the terminal UI keeps for its views, e.g. 64MiB, 1GiB; beyond it the oldest
    /// bytes leave memory (the file still holds them: seek back to see them again).
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = parse_nonzero_size)]
    pub retain: usize,
    #[command(flatten)]
    pub resend: ResendOpts,
}

/// `replay FILE --to ADDR`: re-send one side of a recorded connection to a real server.
#[derive(Debug, Args)]
#[command(next_help_heading = "Re-sending to a server (--to)")]
pub struct ResendOpts {
    /// Connect to ADDR and send it one side's recorded bytes; compare its replies with the
    /// recorded ones. Exit 0: identical; 1: network failure; 3: the replies differ.
    #[arg(long, value_name = "ADDR")]
    pub to: Option<String>,
    /// The recorded connection to re-send (default: the first one that carried data).
    #[arg(long, value_name = "N", value_parser = parse_count, requires = "to")]
    pub conn: Option<usize>,
    /// Which side's bytes to send; the other side's are the expected replies.
    #[arg(long, value_enum, default_value_t = Side::Client, requires = "to")]
    pub side: Side,
    /// Send each chunk at its recorded time, or as soon as the replies recorded before it
    /// have arrived.
    #[arg(long, value_enum, default_value_t = Timing::WaitReply, requires = "to")]
    pub timing: Timing,
    /// Give up waiting for a reply after TIME without new bytes (500ms, 2.5s or seconds).
    #[arg(long, value_name = "TIME", default_value = "5", value_parser = parse_duration, requires = "to")]
    pub reply_timeout: Duration,
}

/// One side of a recorded connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Side {
    /// The side that connected.
    Client,
    /// The side that accepted.
    Server,
}

/// When re-sent chunks go out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Timing {
    /// At the recorded times, relative to the connection's start.
    Original,
    /// As soon as the replies recorded before each chunk have arrived.
    WaitReply,
}

/// `sockscope export FILE --format F [-o OUT]`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A recording made with --record.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to OUT (created 0600) instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Replace OUT if it exists (a symbolic link is never followed).
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Only connection N (with its proxy pair, if it has one); raw: the socket whose bytes
    /// are written.
    #[arg(long, value_name = "N", value_parser = parse_count)]
    pub conn: Option<usize>,
    /// Only the bytes received (in) or sent (out); raw: which of the two is written.
    #[arg(long, value_enum)]
    pub dir: Option<ExportDir>,
    /// pcapng: TLS connections carry their plaintext as the TCP payload instead of the
    /// ciphertext (which otherwise comes with the session's secrets, for Wireshark to decrypt).
    #[arg(long)]
    pub plaintext: bool,
}

/// A direction of bytes, as `export --dir` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportDir {
    /// Received by the socket.
    In,
    /// Sent by the socket.
    Out,
}

/// What `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// JSON Lines, exactly as `--headless --json` prints them.
    Jsonl,
    /// A capture with synthesised Ethernet/IP/TCP packets, for Wireshark and tshark.
    Pcapng,
    /// Every chunk received or sent: a header line and hex + ASCII rows.
    Hexdump,
    /// One direction's bytes of one connection, exactly (needs --conn and --dir).
    Raw,
}

impl ExportFormat {
    /// Whether the output holds recorded bytes as they were (which a terminal would act on:
    /// retitle itself, set the clipboard, type an answer into the shell), rather than as text.
    #[must_use]
    pub fn carries_raw_bytes(self) -> bool {
        match self {
            Self::Pcapng | Self::Raw => true,
            // Payloads as hex digits, text escaped by JSON / as `.` and `\xNN`.
            Self::Jsonl | Self::Hexdump => false,
        }
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Jsonl => "jsonl",
            Self::Pcapng => "pcapng",
            Self::Hexdump => "hexdump",
            Self::Raw => "raw",
        }
    }
}
