//! The command line: parse ([`args`]), validate into a [`Config`] ([`config`]), run the mode.
//!
//! Exit codes are a contract (`DESIGN.md`): 0 success, 1 network failure, 2 bad usage or bad
//! input. Clap's own errors already exit with 2, and `--help`/`--version` with 0.

mod args;
mod config;
mod values;

pub use args::{Cli, Cmd, CommonOpts, DemoArgs, ViewOpts};
pub use config::{Config, Mode, Output, Plan, Presentation, UsageError, plan};
pub use values::{parse_seconds, parse_size};

use crate::engine::addr::binds_all_interfaces;
use crate::headless;
use clap::Parser;
use std::process::ExitCode;

/// Exit code for bad usage or bad input.
pub const EXIT_USAGE: u8 = 2;

/// Runs `sockscope` with the process's arguments and returns its exit code.
#[must_use]
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with code 0; usage errors to stderr with code 2.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(EXIT_USAGE));
        }
    };
    match plan(cli) {
        Ok(plan) => run(plan),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run(plan: Plan) -> ExitCode {
    match plan {
        Plan::Tui => not_built_yet(Unbuilt::Tui),
        Plan::Demo { .. } => not_built_yet(Unbuilt::Demo),
        Plan::Session(config) => match config.presentation {
            Presentation::Tui => not_built_yet(Unbuilt::Tui),
            Presentation::Headless(output) => {
                warn_if_reachable_from_other_machines(&config.mode);
                headless::run(&config, output).exit_code()
            }
        },
    }
}

/// A listener on every interface is easy to create by accident and exposes whatever the session
/// shows; say so where the person will see it.
fn warn_if_reachable_from_other_machines(mode: &Mode) {
    if let Some(addr) = mode.listen_address().filter(|addr| binds_all_interfaces(addr)) {
        eprintln!("warning: listening on all interfaces ({addr}): reachable from other machines");
    }
}

/// Parts of the command line that exist before the code behind them. Remove a variant when its
/// mode lands; this is the one place that answers "not built yet".
#[derive(Clone, Copy, Debug)]
enum Unbuilt {
    Tui,
    Demo,
}

fn not_built_yet(what: Unbuilt) -> ExitCode {
    match what {
        Unbuilt::Tui => eprintln!("error: the terminal UI is not built yet; use --headless"),
        Unbuilt::Demo => eprintln!("error: the demo scenarios are not built yet"),
    }
    ExitCode::from(EXIT_USAGE)
}

#[cfg(test)]
mod tests;
