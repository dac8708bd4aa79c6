//! The command line: parse ([`args`]), validate into a [`Config`] ([`config`]), run the mode.
//!
//! Exit codes are a contract (`docs/events.md`): 0 success, 1 network failure, 2 bad usage or
//! bad input, 3 replies that differ (`replay --to`). Clap's own errors already exit with 2, and
//! `--help`/`--version` with 0.

mod args;
mod config;
pub mod config_file;
mod faults;
pub mod fdlimit;
mod import;
mod look;
pub mod manual;
mod record_args;
mod record_plan;
mod recordings;
mod run_file;
mod stdio;
mod tls;
mod trace_args;
pub mod warnings;

pub use args::{Cli, Cmd, ColorChoice, CommonOpts, DemoArgs, RunArgs, ViewOpts};
pub use config::{Config, Plan, Presentation, RunPlan, UsageError, plan};
pub use import::ImportArgs;
pub use record_args::{ExportFormat, RecordOpts, Side, Timing};
pub use record_plan::{ExportPlan, ReplayPlan};
pub use tls::TlsOpts;

use crate::record::RecordTarget;
use crate::{demo, headless, tui};
use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

/// Exit code for bad usage or bad input.
pub const EXIT_USAGE: u8 = 2;

/// Runs `sockscope` with the process's arguments and returns its exit code.
#[must_use]
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The tracer's helper (see `trace::spawn`): no config file, no parsing, no help entry.
    if args.get(1).is_some_and(|arg| arg == crate::trace::HELPER) {
        let command = args.get(2).filter(|arg| *arg == "--").map_or(2, |_| 3);
        return crate::trace::exec_helper(&args[command..]);
    }
    // Read first: its option values become the command line's defaults. A bad file is
    // reported below, unless the command is `config --default`, which needs no file.
    let file = config_file::load(config_file::config_flag(&args).as_deref());
    let defaults = file.as_ref().map(|settings| settings.option_defaults.as_slice());
    let command = config_file::with_option_defaults(Cli::command(), defaults.unwrap_or_default());
    let parsed =
        command.try_get_matches_from(args).and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with code 0; usage errors to stderr with code 2.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(EXIT_USAGE));
        }
    };
    let settings = match file {
        Ok(settings) => settings,
        Err(_) if !uses_the_config_file(cli.command.as_ref()) => {
            config_file::FileSettings::default()
        }
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let look = look::from_env(cli.color, cli.lang, settings);
    match plan(cli) {
        Ok(plan) => run(plan, &look),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Whether `command` reads the config file (keys, theme, option defaults). Those that do not
/// (printing the manual or the default file, converting files) still work when the file is
/// broken, so the person can read how to mend it.
fn uses_the_config_file(command: Option<&Cmd>) -> bool {
    match command {
        None
        | Some(
            Cmd::Demo(_)
            | Cmd::Run(_)
            | Cmd::Listen { .. }
            | Cmd::Connect { .. }
            | Cmd::Proxy { .. }
            | Cmd::Replay(_)
            | Cmd::Trace(_)
            | Cmd::Config { default: false },
        ) => true,
        Some(
            Cmd::Export(_)
            | Cmd::Import(_)
            | Cmd::Completions { .. }
            | Cmd::Man
            | Cmd::Ca
            | Cmd::Config { default: true },
        ) => false,
    }
}

fn run(plan: Plan, look: &tui::Look) -> ExitCode {
    // Every mode may open many sockets (the bare UI through `:listen`), so every mode gets the
    // highest open-file limit it may have.
    let fd_limit = fdlimit::raise();
    match plan {
        Plan::Tui => tui::run_empty(look).exit_code(),
        Plan::Demo { scenario, list, dump, program, repeat, present, presentation, record } => {
            let room =
                tui::RoomSettings { kiosk: repeat, presenting: present, ..Default::default() };
            let shown = Shown { room, presentation, record: record.as_ref(), look };
            run_demo(scenario.as_deref(), list, (dump, program), &shown)
        }
        Plan::Run(plan) => run_lesson(*plan, look),
        Plan::Session(mut config) => {
            config.warnings.extend(match fd_limit {
                Ok(limit) => fdlimit::warning(&config.mode, config.engine.max_conns, limit),
                Err(refused) => Some(refused),
            });
            match config.presentation {
                Presentation::Tui => tui::run(&config.tui_start(), look).exit_code(),
                Presentation::Headless(output) => {
                    for warning in &config.warnings {
                        eprintln!("warning: {warning}");
                    }
                    headless::run(&config.headless_start(), output).exit_code()
                }
            }
        }
        Plan::Replay(plan) => match plan.presentation {
            Presentation::Tui => tui::run_replay(&plan.replay, look).exit_code(),
            Presentation::Headless(output) => {
                headless::replay::run(&plan.replay, output).exit_code()
            }
        },
        Plan::Resend(plan) => headless::resend::run(&plan),
        Plan::Export(plan) => recordings::run_export(&plan),
        Plan::Completions(shell) => manual::print(&manual::completions(shell)),
        Plan::Man => manual::print(&manual::man_page()),
        Plan::Ca => tls::print_ca(),
        Plan::Import(args) => import::run_import(&args),
        Plan::Trace(plan) => match plan.presentation {
            Presentation::Tui => {
                tui::run_trace(&trace_args::tui_start(&plan.start), look).exit_code()
            }
            Presentation::Headless(output) => headless::trace::run(&plan.start, output),
        },
        Plan::Config { default: true, .. } => manual::print(config_file::default_file().as_bytes()),
        Plan::Config { default: false, file } => config_file::report(file.as_deref()),
    }
}

/// How a scenario is shown: in which room, where, recorded or not, looking how.
struct Shown<'a> {
    room: tui::RoomSettings,
    presentation: Presentation,
    record: Option<&'a RecordTarget>,
    look: &'a tui::Look,
}

/// `sockscope demo`: list the scenarios, print one's lesson file, or run one in the UI or
/// headless.
fn run_demo(
    name: Option<&str>,
    list: bool,
    (dump, program): (bool, bool),
    shown: &Shown,
) -> ExitCode {
    if list {
        print!("{}", demo::listing());
        return ExitCode::SUCCESS;
    }
    let entry = match name {
        None => demo::scenarios().first(),
        Some(name) => demo::entry(name),
    };
    let Some(entry) = entry else {
        let known: Vec<&str> = demo::scenarios().iter().map(|e| e.name).collect();
        let name = crate::inspect::escape::escape_str(name.unwrap_or_default());
        eprintln!("error: no scenario '{name}'; the scenarios are: {}", known.join(", "));
        return ExitCode::from(EXIT_USAGE);
    };
    if dump {
        return manual::print(entry.source.as_bytes());
    }
    if program {
        let Some((_, text)) = &entry.lesson.program else {
            eprintln!("error: the lesson {} has no program to trace", entry.name);
            return ExitCode::from(EXIT_USAGE);
        };
        return manual::print(text.as_bytes());
    }
    let pick = Some(demo::Pick::BuiltIn(entry.name));
    play(&entry.lesson, pick, demo::Target::Own, shown)
}

/// `sockscope run FILE`: the lesson file, in the UI, headless, or against a server (`--to`).
fn run_lesson(plan: RunPlan, look: &tui::Look) -> ExitCode {
    let room =
        tui::RoomSettings { kiosk: plan.repeat, presenting: plan.present, ..Default::default() };
    let shown = Shown { room, presentation: plan.presentation, record: plan.record.as_ref(), look };
    play(&plan.lesson, plan.pick, plan.target, &shown)
}

fn play(
    lesson: &demo::Lesson,
    pick: Option<demo::Pick>,
    target: demo::Target,
    shown: &Shown,
) -> ExitCode {
    let repeat = if shown.room.kiosk { demo::Repeat::Forever } else { demo::Repeat::Once };
    let tempo = run_file::tempo(shown.presentation);
    let scenario = demo::play_in(shown.look.lang.tag(), lesson, tempo, repeat, target);
    match shown.presentation {
        Presentation::Tui => {
            tui::run_demo(scenario, pick, shown.room, shown.record, shown.look).exit_code()
        }
        Presentation::Headless(output) => {
            headless::run_demo(scenario, output, shown.record, shown.look.lang).exit_code()
        }
    }
}

#[cfg(test)]
mod tests;
