//! The validated meaning of a command line: which mode, how it is shown, how the engine behaves.
//!
//! Everything that can be wrong with the input is found here, before any socket exists, so that
//! bad input always means exit code 2 and never a half-started session.

use super::args::{Cli, Cmd, CommonOpts, DemoArgs, ViewOpts};
use super::record_plan::{ExportPlan, ReplayKind, ReplayPlan, export_plan, replay_plan};
use super::stdio::{stdio_plan, stdio_presentation};
use super::tls;
use crate::engine::addr::{self, AddrError};
use crate::engine::{EngineConfig, EofPolicy, Mode, RelayPath};
use crate::event::{Address, SockOption, SocketType};
use crate::framing::Spec;
use crate::headless::Output;
use crate::record::RecordTarget;
use crate::session::SessionConfig;
use std::fmt;

/// What `sockscope` was asked to do.
#[derive(Clone, Debug)]
pub enum Plan {
    /// The terminal UI on an empty session.
    Tui,
    /// A built-in scenario.
    Demo {
        scenario: Option<String>,
        list: bool,
        /// `--dump`: print the scenario's lesson file.
        dump: bool,
        /// `--program`: print the program the lesson has the person trace.
        program: bool,
        /// `--loop`: begin again after each run (the terminal UI only).
        repeat: bool,
        /// `--present`: start in the presentation layout (the terminal UI only).
        present: bool,
        presentation: Presentation,
        record: Option<RecordTarget>,
    },
    /// A lesson file, read and checked (boxed: it is far larger than the other plans).
    Run(Box<RunPlan>),
    /// A live session over real sockets (boxed: it is far larger than the other plans).
    Session(Box<Config>),
    /// A recording shown again: in the terminal UI or printed.
    Replay(ReplayPlan),
    /// One side of a recorded connection re-sent to a real server.
    Resend(crate::headless::resend::Plan),
    /// A recording converted for other tools.
    Export(ExportPlan),
    /// A completion script for a shell, printed.
    Completions(clap_complete::Shell),
    /// The manual page, printed.
    Man,
    /// Another program's socket calls, traced and printed.
    Trace(super::trace_args::TracePlan),
    /// The local CA's certificate, printed.
    Ca,
    /// A capture made into a recording.
    Import(super::import::ImportArgs),
    /// `sockscope config`: check the config file (`--config FILE` or the default one), or
    /// print the default file.
    Config { default: bool, file: Option<std::path::PathBuf> },
}

/// A live session: what to open, how to show it, and the engine settings.
#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    pub presentation: Presentation,
    pub engine: EngineConfig,
    /// How streams are cut into messages (`--framing`), and the largest declared length.
    pub framing: Spec,
    pub max_message: usize,
    /// Memory the views keep for the whole session (`--retain`).
    pub retain: usize,
    /// Things the person must know for as long as the session runs (it listens on every
    /// interface; the open-file limit is below `--max-conns`). Headless runs print them on
    /// stderr at the start; the terminal UI shows them in its status bar.
    pub warnings: Vec<String>,
    /// `--record FILE`: where the session is recorded, if anywhere.
    pub record: Option<RecordTarget>,
    /// `connect --stdio`: standard output carries the peer's bytes alone; the event log goes
    /// to this file, if any.
    pub stdio: Option<crate::headless::Stdio>,
}

impl Config {
    /// The model the terminal UI folds this session's events into.
    #[must_use]
    pub fn session_config(&self) -> SessionConfig {
        SessionConfig {
            framing: self.framing.clone(),
            max_message: self.max_message,
            retain: self.retain,
            ..SessionConfig::default()
        }
    }

    /// What the terminal UI starts this session with.
    #[must_use]
    pub fn tui_start(&self) -> crate::tui::LiveStart {
        crate::tui::LiveStart {
            mode: self.mode.clone(),
            engine: self.engine.clone(),
            session: self.session_config(),
            warnings: self.warnings.clone(),
            record: self.record.clone(),
        }
    }

    /// What a headless run starts this session with.
    #[must_use]
    pub fn headless_start(&self) -> crate::headless::LiveStart {
        crate::headless::LiveStart {
            mode: self.mode.clone(),
            engine: self.engine.clone(),
            framing: self.framing.clone(),
            max_message: self.max_message,
            record: self.record.clone(),
            stdio: self.stdio.clone(),
        }
    }
}

/// `sockscope run FILE`: the lesson, where its clients connect, and how it is shown.
#[derive(Clone, Debug)]
pub struct RunPlan {
    pub lesson: crate::demo::Lesson,
    /// How the terminal UI names it to run it again (`r`); `None` for standard input.
    pub pick: Option<crate::demo::Pick>,
    pub target: crate::demo::Target,
    /// `--loop` (the terminal UI only).
    pub repeat: bool,
    /// `--present` (the terminal UI only).
    pub present: bool,
    pub presentation: Presentation,
    pub record: Option<RecordTarget>,
}

/// Where the session is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presentation {
    Tui,
    Headless(Output),
}

/// Input that parses but cannot be used; shown as `error: ...`, exit code 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

impl From<AddrError> for UsageError {
    fn from(err: AddrError) -> Self {
        Self(err.to_string())
    }
}

/// Validates a parsed command line, resolving addresses.
pub fn plan(cli: Cli) -> Result<Plan, UsageError> {
    let Some(command) = cli.command else { return Ok(Plan::Tui) };
    let config_file = cli.config;
    let mut stdio = None;
    let (tls_settings, tls_warning);
    let mut relay = RelayPath::Copy;
    let (mode, opts, echo, faults) = match command {
        Cmd::Demo(demo) => return demo_plan(demo),
        Cmd::Run(args) => return super::run_file::plan(args).map(|plan| Plan::Run(Box::new(plan))),
        Cmd::Replay(args) => {
            return Ok(match replay_plan(args)? {
                ReplayKind::Show(plan) => Plan::Replay(plan),
                ReplayKind::Resend(plan) => Plan::Resend(plan),
            });
        }
        Cmd::Export(args) => return Ok(Plan::Export(export_plan(args)?)),
        Cmd::Completions { shell } => return Ok(Plan::Completions(shell)),
        Cmd::Man => return Ok(Plan::Man),
        Cmd::Ca => return Ok(Plan::Ca),
        Cmd::Import(args) => return Ok(Plan::Import(args)),
        Cmd::Trace(args) => return Ok(Plan::Trace(super::trace_args::trace_plan(args)?)),
        Cmd::Config { default } => return Ok(Plan::Config { default, file: config_file }),
        Cmd::Listen { addr, echo, faults, tls, opts } => {
            let faults = super::faults::for_listen(echo, faults)?;
            tls_settings = tls::settings(tls::Side::Listen, &tls, &addr)?;
            tls_warning = tls::insecure_warning(&tls);
            (Mode::Listen { addr: listen_address(&addr)? }, opts, echo, faults)
        }
        Cmd::Connect { addr, stdio: nc_style, log, tls, opts } => {
            stdio = stdio_plan(nc_style, log, &opts.view)?;
            tls_settings = tls::settings(tls::Side::Connect, &tls, &addr)?;
            tls_warning = tls::insecure_warning(&tls);
            (Mode::Connect { candidates: addr::resolve_peer(&addr)? }, opts, false, Vec::new())
        }
        Cmd::Proxy { listen, upstream, faults, relay: path, tls, opts } => {
            relay = path;
            tls_settings = tls::settings(tls::Side::Proxy, &tls, &upstream)?;
            tls_warning = tls::insecure_warning(&tls);
            let listen = listen_address(&listen)?;
            let faults = super::faults::merged(faults);
            let upstream = addr::resolve_peer(&upstream)?;
            if upstream.iter().any(|up| up.socket_type() != listen.socket_type()) {
                return Err(UsageError(format!(
                    "a proxy relays streams to streams and datagrams to datagrams: \
                     {listen} and {} differ",
                    upstream[0]
                )));
            }
            (Mode::Proxy { listen, upstream }, opts, false, faults)
        }
    };
    let presentation = match stdio {
        Some(_) => stdio_presentation(&opts.view),
        None => presentation(&opts.view)?,
    };
    if opts.manual && presentation != Presentation::Tui {
        return Err(UsageError(
            "--manual needs the terminal UI: with --headless nobody could make the calls".into(),
        ));
    }
    let framing = framing_spec(&opts.framing, opts.max_message)?;
    let mut base = engine_config(&opts, presentation, echo);
    if mode.socket_type() == SocketType::Datagram {
        base.idle_timeout = base.idle_timeout.or(Some(crate::engine::DATAGRAM_IDLE_TIMEOUT));
    }
    let mut warnings = super::warnings::mode_warnings(&mode);
    warnings.extend(tls_warning);
    Ok(Plan::Session(Box::new(Config {
        mode,
        presentation,
        engine: EngineConfig {
            faults,
            tls: tls_settings,
            relay,
            // Like nc, `--stdio` ends when both directions are done: standard input keeps
            // flowing after the peer's EOF.
            eof_policy: if stdio.is_some() { EofPolicy::KeepOpen } else { base.eof_policy },
            ..base
        },
        framing,
        max_message: opts.max_message,
        retain: opts.retain,
        warnings,
        record: RecordTarget::from_opts(&opts.record),
        stdio,
    })))
}

/// A framing spec that is valid under the message cap, or the problem named in one line.
pub(super) fn framing_spec(text: &str, max_message: usize) -> Result<Spec, UsageError> {
    let spec: Spec = text.parse().map_err(|e| UsageError(format!("--framing {e}")))?;
    spec.validate(max_message).map_err(|e| UsageError(format!("--framing {e}")))?;
    Ok(spec)
}

fn demo_plan(demo: DemoArgs) -> Result<Plan, UsageError> {
    let play = &demo.play;
    let presentation = presentation(&play.view)?;
    room_options(play.repeat, play.present, presentation)?;
    Ok(Plan::Demo {
        repeat: play.repeat,
        present: play.present,
        presentation,
        record: RecordTarget::from_opts(&play.record),
        scenario: demo.scenario,
        list: demo.list,
        dump: demo.dump,
        program: demo.program,
    })
}

/// `--loop` and `--present` are the terminal UI's.
pub(super) fn room_options(
    repeat: bool,
    present: bool,
    presentation: Presentation,
) -> Result<(), UsageError> {
    if repeat && presentation != Presentation::Tui {
        return Err(UsageError(
            "--loop runs a scenario over and over in the terminal UI; a \
             --headless log ends with its script"
                .into(),
        ));
    }
    if present && presentation != Presentation::Tui {
        return Err(UsageError(
            "--present is a layout of the terminal UI; --headless has none".into(),
        ));
    }
    Ok(())
}

pub(super) fn presentation(view: &ViewOpts) -> Result<Presentation, UsageError> {
    match (view.headless, view.json, view.bytes) {
        (false, false, None) => Ok(Presentation::Tui),
        (false, true, _) => Err(UsageError(
            "--json needs --headless: it formats the printed event log, the terminal UI has none"
                .into(),
        )),
        (false, false, Some(_)) => Err(UsageError(
            "--bytes needs --headless: it shapes the printed event log, the terminal UI has none"
                .into(),
        )),
        (true, true, Some(_)) => Err(UsageError(
            "--bytes shapes the text log; JSON Lines carry every byte already".into(),
        )),
        (true, false, bytes) => Ok(Presentation::Headless(Output::Text(bytes.unwrap_or_default()))),
        (true, true, None) => Ok(Presentation::Headless(Output::Json)),
    }
}

/// A listener binds one address: the first a name resolves to.
fn listen_address(text: &str) -> Result<Address, UsageError> {
    let addresses = addr::resolve(text)?;
    addresses
        .into_iter()
        .next()
        .ok_or_else(|| UsageError(format!("'{text}' resolves to no address to listen on")))
}

fn engine_config(opts: &CommonOpts, presentation: Presentation, echo: bool) -> EngineConfig {
    // Headless runs behave like nc (a peer's EOF ends the exchange once our data is out); the
    // UI keeps half-open connections so the user can still send.
    let eof_policy = match presentation {
        Presentation::Tui => EofPolicy::KeepOpen,
        Presentation::Headless(_) => EofPolicy::CloseWhenDone,
    };
    EngineConfig {
        recv_chunk: opts.recv_chunk,
        manual: opts.manual,
        options: socket_options(opts),
        backlog: opts.backlog.unwrap_or_else(crate::engine::default_backlog),
        max_conns: opts.max_conns,
        connect_timeout: opts.connect_timeout,
        idle_timeout: opts.idle_timeout,
        relay_limit: opts.relay_limit,
        eof_policy,
        echo,
        pace: crate::event::Pace::Free,
        faults: Vec::new(),
        tls: crate::engine::TlsSettings::default(),
        relay: RelayPath::Copy,
    }
}

/// Only the options the user asked for: the others keep the system defaults.
fn socket_options(opts: &CommonOpts) -> Vec<SockOption> {
    [
        opts.nodelay.then_some(SockOption::NoDelay(true)),
        opts.sndbuf.map(SockOption::SndBuf),
        opts.rcvbuf.map(SockOption::RcvBuf),
        opts.keepalive.then_some(SockOption::KeepAlive(true)),
        opts.linger.map(|secs| SockOption::Linger(Some(secs))),
    ]
    .into_iter()
    .flatten()
    .collect()
}
