//! SIGINT and SIGTERM end a headless run cleanly: the engine closes its sockets (their `close`
//! events are still printed), the event channel ends, the output is flushed, the exit code is 0.

use crate::engine::Controller;
use crate::event::Command;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};
use signal_hook::low_level::emulate_default_handler;
use std::io;
use std::thread;

/// The signal-watching thread; dropping this ends it and restores nothing else (the process is
/// about to exit).
#[derive(Debug)]
pub struct SignalWatch {
    handle: Handle,
}

/// Starts watching for SIGINT and SIGTERM on behalf of the engine behind `controller`.
///
/// The first signal asks the engine to stop; a second one, if stopping takes too long (say the
/// output pipe is stuck), ends the process the default way, as a person pressing Ctrl-C twice
/// expects.
pub fn watch(controller: Controller) -> io::Result<SignalWatch> {
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    let handle = signals.handle();
    thread::Builder::new().name("sockscope-signals".into()).spawn(move || {
        let mut stop_requested = false;
        for signal in signals.forever() {
            if stop_requested {
                let _ = emulate_default_handler(signal);
            }
            stop_requested = true;
            let _ = controller.send(Command::Stop);
        }
    })?;
    Ok(SignalWatch { handle })
}

impl Drop for SignalWatch {
    fn drop(&mut self) {
        self.handle.close();
    }
}
