//! Signals during a trace. Started by `trace -- CMD`, the program shares the terminal, so
//! Ctrl-C reaches it too: sockscope ignores SIGINT and reports until the program ends, and
//! passes a SIGTERM sent to sockscope on to the program. Attached (`--pid`), SIGINT or
//! SIGTERM detaches: the tracer is woken by [`trace::WAKE`], which it swallows, and lets
//! every thread run on untraced.

use crate::trace;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

/// The signal-watching thread; dropping this ends it.
#[derive(Debug)]
pub struct SignalWatch {
    handle: Handle,
}

/// Watches SIGINT and SIGTERM for a trace of `program`.
pub fn watch(program: Pid, attached: bool, stop: Arc<AtomicBool>) -> io::Result<SignalWatch> {
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    let handle = signals.handle();
    thread::Builder::new().name("sockscope-signals".into()).spawn(move || {
        for signal in signals.forever() {
            if attached {
                stop.store(true, Ordering::SeqCst);
                let _ = kill(program, trace::WAKE);
            } else if signal == SIGTERM {
                let _ = kill(program, Signal::SIGTERM);
            }
        }
    })?;
    Ok(SignalWatch { handle })
}

impl Drop for SignalWatch {
    fn drop(&mut self) {
        self.handle.close();
    }
}
