//! The command line as clap sees it: syntax only. Meaning (resolved addresses, engine settings)
//! is given in `config`.

use super::record_args::{ExportArgs, RecordOpts, ReplayArgs};
use crate::engine::RelayPath;
use crate::event::FaultSet;
use crate::headless::format::Preview;
use crate::locale::Lang;
use crate::values::{
    parse_count, parse_duration, parse_nonzero_size, parse_recv_chunk, parse_socket_buffer,
};
use clap::{Args, Parser, Subcommand};
use std::time::Duration;

/// `proxy`'s default `--recv-chunk`; every other command reads 64 KiB at a time.
pub const PROXY_RECV_CHUNK: &str = "1MiB";

/// Everything after `sockscope`.
#[derive(Debug, Parser)]
#[command(
    name = "sockscope",
    version,
    about = "See what sockets do: readiness, partial recv/send, shutdown and reset, live.",
    after_help = "Addresses: PORT (means 127.0.0.1:PORT), HOST:PORT, [V6]:PORT, unix:/path. \
                  Port 0 picks a free port.\nExit codes: 0 success, 1 network failure, \
                  2 bad usage or bad input (a bad lesson file too), 3 replies differ (replay \
                  --to) or a lesson's expectation is not met (run --to)."
)]
pub struct Cli {
    /// Without a subcommand: the terminal UI on an empty session.
    #[command(subcommand)]
    pub command: Option<Cmd>,
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto,
          help = "Colour in the terminal UI: auto (standard output is a terminal and NO_COLOR \
                  is unset or empty), always, never; headless output never has colour")]
    pub color: ColorChoice,
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help = "Read keys, theme and option defaults from FILE instead of \
                  $XDG_CONFIG_HOME/sockscope/config.toml (see: sockscope config --default)"
    )]
    pub config: Option<std::path::PathBuf>,
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang,
          help = "Language of the lessons and the why notes: en or zh-TW [default: the \
                  config file's lang, else the locale: LC_ALL, LC_MESSAGES, LANG; zh_TW is \
                  zh-TW, anything else en]")]
    pub lang: Option<Lang>,
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    text.parse()
}

/// `--color WHEN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and `NO_COLOR` is unset or empty.
    Auto,
    /// Colour even when `NO_COLOR` is set or the output is not a terminal.
    Always,
    /// No colour codes at all; bold and reverse still mark what matters.
    Never,
}

/// The modes of the command line (README, "Modes").
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Run a built-in, self-contained scenario.
    Demo(DemoArgs),
    /// Run a lesson file (see --dump of demo): in the terminal UI, printed (--headless), or
    /// its clients against a real server whose answers are checked (--to).
    Run(RunArgs),
    /// Open a server socket and accept every connection.
    Listen {
        /// Where to listen.
        #[arg(value_name = "ADDR")]
        addr: String,
        /// Send every connection back what it receives (the HOWTO's echo server).
        #[arg(long)]
        echo: bool,
        /// A fault on every echo connection's replies (down only; see proxy --fault).
        #[arg(long = "fault", value_name = "DIR:KIND[,KIND...]", value_parser = parse_fault_set)]
        faults: Vec<FaultSet>,
        #[command(flatten)]
        tls: super::tls::TlsOpts,
        #[command(flatten)]
        opts: CommonOpts,
    },
    /// Connect to a server; with --headless, send standard input to it like nc.
    Connect {
        /// Where to connect (every address a name resolves to is tried in turn).
        #[arg(value_name = "ADDR")]
        addr: String,
        /// Like nc: standard input to the peer, the peer's bytes raw to standard output, and
        /// nothing else there (no UI; the event log only with --log).
        #[arg(long)]
        stdio: bool,
        /// With --stdio: write the event log (text, or --json) to FILE.
        #[arg(long, value_name = "FILE")]
        log: Option<std::path::PathBuf>,
        #[command(flatten)]
        tls: super::tls::TlsOpts,
        #[command(flatten)]
        opts: CommonOpts,
    },
    /// Listen, and relay every accepted client to UPSTREAM.
    // A relay reads as much as a socket holds: 1 MiB reads move half as much again as 64 KiB
    // ones for the same events (BENCHMARKS.md), while a lesson's or a client's reads stay small.
    #[command(mut_arg("recv_chunk", |arg| arg.default_value(PROXY_RECV_CHUNK)))]
    Proxy {
        /// Where clients connect.
        #[arg(value_name = "LISTEN_ADDR")]
        listen: String,
        /// Where each client is relayed to.
        #[arg(value_name = "UPSTREAM")]
        upstream: String,
        /// A fault on every relayed pair (repeatable). DIR: up (client to upstream) or down.
        /// KIND: slice=N, delay=TIME, rate=SIZE, shut-after=SIZE, reset-after=SIZE,
        /// drop-after=SIZE, stall. E.g. up:slice=1,delay=10ms.
        #[arg(long = "fault", value_name = "DIR:KIND[,KIND...]", value_parser = parse_fault_set)]
        faults: Vec<FaultSet>,
        /// How a pair's bytes move: copy (recv, then send) or splice (through a kernel pipe,
        /// seen with tee and read; datagrams, TLS, --manual and a direction with a fault, an
        /// intercept or injected bytes copy).
        #[arg(long, value_name = "PATH", value_enum, default_value = "copy")]
        relay: RelayPath,
        #[command(flatten)]
        tls: super::tls::TlsOpts,
        #[command(flatten)]
        opts: CommonOpts,
    },
    /// Replay a recording: in the terminal UI, printed (--headless), or re-sent to a server (--to).
    Replay(ReplayArgs),
    /// Export a recording as JSON Lines, pcapng, a hexdump or raw bytes.
    Export(ExportArgs),
    /// Print a completion script for SHELL on standard output (see the README).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on standard output.
    Man,
    /// Show another program's socket calls: run CMD under ptrace (or attach to --pid).
    Trace(super::trace_args::TraceArgs),
    /// Print the local CA certificate's path and PEM, for a client to trust (created on first
    /// use in the user's data directory, see the README's TLS section).
    Ca,
    /// Make a recording of a pcap or pcapng capture: each TCP connection, reassembled.
    Import(super::import::ImportArgs),
    /// Check the config file (keys, theme, option defaults), or print the default one.
    Config {
        /// Print the complete default config file, with comments, on standard output.
        #[arg(long)]
        default: bool,
    },
}

fn parse_fault_set(text: &str) -> Result<FaultSet, String> {
    text.parse()
}

/// `sockscope demo [SCENARIO] [--list]`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The scenario to run.
    pub scenario: Option<String>,
    /// List the scenarios and exit.
    #[arg(long)]
    pub list: bool,
    /// Print the scenario's lesson file (TOML) and exit: a start for a lesson of your own.
    #[arg(long, conflicts_with = "list")]
    pub dump: bool,
    #[arg(long, conflicts_with_all = ["list", "dump"],
          help = "Print the program the lesson has you trace (your-own-program: the HOWTO's \
                  MySocket client) and exit, e.g. > mysocket.py; its text says how to trace it")]
    pub program: bool,
    #[command(flatten)]
    pub play: PlayOpts,
}

/// `sockscope run FILE [--to ADDR]`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The lesson file (TOML, see docs/lesson-format.md); - reads it from standard input.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
    /// Play the lesson's clients against the server at ADDR instead of the lesson's own, and
    /// check what it sends back: exit 0 when every awaited byte came, 3 when one did not, 1
    /// when the server cannot be reached. Runs headless.
    #[arg(long, value_name = "ADDR")]
    pub to: Option<String>,
    #[command(flatten)]
    pub play: PlayOpts,
}

/// How a lesson is played, built-in (`demo`) or from a file (`run`).
#[derive(Debug, Args)]
pub struct PlayOpts {
    /// Run the lesson again and again instead of once (a kiosk).
    #[arg(long = "loop")]
    pub repeat: bool,
    /// `--present`: start in the presentation layout (F4).
    #[arg(
        long,
        help = "Start in the presentation layout (F4): the lesson, select()'s lists and the calls"
    )]
    pub present: bool,
    #[command(flatten)]
    pub view: ViewOpts,
    #[command(flatten)]
    pub record: RecordOpts,
}

/// How a session is shown.
#[derive(Debug, Args)]
pub struct ViewOpts {
    /// No terminal UI: print the event log on standard output.
    #[arg(long)]
    pub headless: bool,
    /// Print the event log as JSON Lines (needs --headless).
    #[arg(long)]
    pub json: bool,
    /// How much of each chunk a text log line shows: a number of bytes, or all (default 48).
    #[arg(long, value_name = "N|all", value_parser = parse_preview)]
    pub bytes: Option<Preview>,
}

fn parse_preview(text: &str) -> Result<Preview, String> {
    text.parse()
}

/// Options shared by `listen`, `connect` and `proxy`.
#[derive(Debug, Args)]
pub struct CommonOpts {
    #[command(flatten)]
    pub view: ViewOpts,
    #[command(flatten)]
    pub record: RecordOpts,
    #[arg(long, help = "Set TCP_NODELAY: send small segments at once (Nagle off)")]
    pub nodelay: bool,
    #[arg(long, value_name = "SIZE", allow_negative_numbers = true, value_parser = parse_socket_buffer,
          help = "SO_SNDBUF in bytes, e.g. 16384 or 16KiB (Linux reports double)")]
    pub sndbuf: Option<usize>,
    #[arg(long, value_name = "SIZE", allow_negative_numbers = true, value_parser = parse_socket_buffer,
          help = "SO_RCVBUF in bytes, e.g. 16384 or 16KiB (Linux reports double)")]
    pub rcvbuf: Option<usize>,
    #[arg(long, help = "Set SO_KEEPALIVE: probe an idle peer")]
    pub keepalive: bool,
    #[arg(long, value_name = "TIME", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(i32::MAX)),
          help = "SO_LINGER in seconds; 0 makes close send RST (reset)")]
    pub linger: Option<u32>,
    /// Largest single recv, e.g. 4096, 64KiB, 1MiB.
    #[arg(long, value_name = "SIZE", allow_negative_numbers = true, default_value = "64KiB", value_parser = parse_recv_chunk)]
    pub recv_chunk: usize,
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = clap::value_parser!(i32).range(0..),
          help = "listen() backlog (listen, proxy) [default: SOMAXCONN, from /proc/sys/net/core/somaxconn]")]
    pub backlog: Option<i32>,
    /// Most accepted connections open at once; more are accepted and closed (listen, proxy).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_count)]
    pub max_conns: Option<usize>,
    /// Give up a connect after TIME: 500ms, 2.5s, 1:02 or seconds (connect, proxy upstream).
    #[arg(long, value_name = "TIME", allow_negative_numbers = true, value_parser = parse_duration)]
    pub connect_timeout: Option<Duration>,
    /// Close a connection after TIME without activity (500ms, 2.5s, 1:02 or seconds); a
    /// datagram session (udp:, unixgram:) defaults to 30s, having no EOF.
    #[arg(long, value_name = "TIME", allow_negative_numbers = true, value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,
    /// No automatic recv/send/accept: each call is made by the user (terminal UI).
    #[arg(long)]
    pub manual: bool,
    /// Proxy backpressure: bytes queued toward one side before reading the other pauses.
    #[arg(long, value_name = "SIZE", allow_negative_numbers = true, default_value = "1MiB", value_parser = parse_nonzero_size)]
    pub relay_limit: usize,
    /// Cut each stream into messages: raw, line, delim:HEX, fixed:N, len:W[:incl], ascii:N, eof,
    /// datagram (each call's bytes; a datagram socket's default).
    #[arg(long, value_name = "SPEC", default_value = "raw")]
    pub framing: String,
    /// Largest message a framing may declare; a larger length is an error on that stream.
    #[arg(long, value_name = "SIZE", default_value = "16MiB", value_parser = parse_nonzero_size)]
    pub max_message: usize,
    /// Memory the terminal UI keeps for its views over the whole session, e.g. 64MiB, 1GiB;
    /// beyond it the oldest bytes leave memory (the counts still include them).
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = parse_nonzero_size)]
    pub retain: usize,
}

/// `--relay`'s values are [`RelayPath`]'s own names, so completions and the man page list them.
impl clap::ValueEnum for RelayPath {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}
