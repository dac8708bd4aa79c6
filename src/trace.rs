//! The tracer: another program's socket calls, read through ptrace, as events.
//!
//! An event source parallel to the engine and the replay player. `sockscope trace -- CMD`
//! starts CMD under ptrace (through the hidden helper of [`spawn`]); `trace --pid PID`
//! attaches to a running process. Every process and thread the program starts is followed.
//! Each finished socket call (`socket`, `bind`, `listen`, `accept`, `connect`, the send and
//! receive calls on sockets, `shutdown`, `close`, `setsockopt`) becomes events of the usual
//! vocabulary, stamped with the process, the real system call and the descriptor
//! ([`crate::event::CallSite`]). A connection is its socket's inode, so descriptors that
//! share a socket (`dup`, `fork`) share one connection id.

mod asked;
mod blocking;
mod decode;
mod events;
mod fds;
mod memory;
mod options;
mod permission;
mod readiness;
mod seccomp;
mod settings;
mod spawn;
mod tracer;
mod waiting;

pub use events::Traced;
pub use settings::{Settings, Sink, Stdio};
pub use spawn::{HELPER, exec_helper};
pub use tracer::Tracer;
pub use waiting::block_child_signals;

use nix::sys::signal::Signal;

/// Whether this build can read a traced program's calls (`x86_64` only).
pub const SUPPORTED: bool = decode::SUPPORTED;

/// The signal that wakes the tracer when it must detach (`--pid` and Ctrl-C): sent to the
/// traced program and swallowed, so the program never sees it.
pub const WAKE: Signal = Signal::SIGURG;

/// What a trace traces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `trace -- CMD [ARGS...]`: start CMD.
    Spawn(Vec<std::ffi::OsString>),
    /// `trace --pid PID`: attach to a running process.
    Attach(i32),
}

/// How a trace ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The program exited with this status.
    Exited(i32),
    /// The program was killed by this signal.
    Signaled(i32),
    /// sockscope detached (`--pid`, Ctrl-C); the program runs on.
    Detached,
    /// Tracing could not start or go on: why.
    Failed(String),
}

impl Ending {
    /// The exit status sockscope ends with: the program's own, 128 + the signal that killed
    /// it, 0 after detaching, 1 when tracing failed.
    #[must_use]
    pub fn exit_status(&self) -> u8 {
        match self {
            Self::Exited(code) => code.to_le_bytes()[0],
            Self::Signaled(signal) => u8::try_from(128 + *signal).unwrap_or(u8::MAX),
            Self::Detached => 0,
            Self::Failed(_) => 1,
        }
    }
}

/// Starts tracing `target`, as `settings` say.
pub fn start(target: &Target, settings: &Settings) -> Result<Tracer, Ending> {
    if !SUPPORTED {
        return Err(Ending::Failed(
            "tracing reads x86_64 registers; it is not supported on this architecture".into(),
        ));
    }
    let tracer = match target {
        Target::Spawn(command) => Tracer::spawn(command, &settings.stdio),
        Target::Attach(pid) => Tracer::attach(nix::unistd::Pid::from_raw(*pid)),
    };
    tracer.map(|tracer| tracer.with_snap(settings.snap))
}
