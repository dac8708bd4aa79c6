//! Starting a program under ptrace without `unsafe`: `Command::pre_exec` is unsafe, so
//! sockscope runs itself as a hidden helper (`sockscope __trace-exec -- CMD...`) that asks to
//! be traced, stops itself, and `execvp`s CMD; the tracer waits for that stop, sets its
//! options, and lets it run. This is how strace starts a command, too.

use super::{Stdio, permission, seccomp};
use nix::sys::ptrace;
use nix::sys::signal::{Signal, raise};
use nix::unistd::{Pid, execvp};
use std::ffi::{CString, OsString};
use std::os::unix::ffi::OsStrExt;
use std::process::{self, ExitCode};

/// The helper's subcommand name; `cli` dispatches it before parsing (it is in no help).
pub const HELPER: &str = "__trace-exec";

/// Exit codes of the helper when CMD never ran: as a shell reports them.
const CANNOT_EXECUTE: u8 = 126;
const NOT_FOUND: u8 = 127;

/// The helper's whole life: `traceme`, the seccomp filter, `SIGSTOP`, `execvp(CMD)`. Returns only on failure.
#[must_use]
pub fn exec_helper(command: &[OsString]) -> ExitCode {
    let Some(args) = c_strings(command) else {
        eprintln!("error: the command to trace is empty or holds a NUL byte");
        return ExitCode::from(2);
    };
    if let Err(errno) = ptrace::traceme() {
        eprintln!("error: {}", permission::explain(errno));
        return ExitCode::from(1);
    }
    // Without the filter every call stops the program; slower, but the trace is the same.
    if let Err(why) = seccomp::install() {
        eprintln!("warning: every call will stop the program (no seccomp filter: {why})");
    }
    if let Err(errno) = raise(Signal::SIGSTOP) {
        eprintln!("error: cannot stop for the tracer: {}", errno.desc());
        return ExitCode::from(1);
    }
    let Err(errno) = execvp(&args[0], &args);
    let name = crate::inspect::escape::escape_str(&command[0].to_string_lossy());
    eprintln!("error: cannot run {name}: {}", errno.desc());
    ExitCode::from(if errno == nix::errno::Errno::ENOENT { NOT_FOUND } else { CANNOT_EXECUTE })
}

fn c_strings(command: &[OsString]) -> Option<Vec<CString>> {
    let args: Option<Vec<CString>> =
        command.iter().map(|arg| CString::new(arg.as_bytes()).ok()).collect();
    args.filter(|args| !args.is_empty())
}

/// Starts the helper for `command`, its standard streams as `stdio` says; its pid. It will
/// stop itself before CMD runs.
pub fn start(command: &[OsString], stdio: &Stdio) -> std::io::Result<Pid> {
    let me = std::env::current_exe()?;
    let mut helper = std::process::Command::new(me);
    helper.arg(HELPER).arg("--").args(command);
    match stdio {
        Stdio::Inherit => {}
        Stdio::File(path) => {
            let out = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
            helper.stdin(process::Stdio::null()).stderr(out.try_clone()?).stdout(out);
        }
        Stdio::Null => {
            helper.stdin(process::Stdio::null());
            helper.stdout(process::Stdio::null()).stderr(process::Stdio::null());
        }
    }
    let child = helper.spawn()?;
    // The tracer reaps it with waitpid; the handle is not needed.
    Ok(Pid::from_raw(child.id().cast_signed()))
}
