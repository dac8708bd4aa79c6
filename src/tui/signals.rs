//! SIGINT, SIGTERM and SIGHUP end the UI through the normal exit path (terminal restored,
//! sockets closed, exit code 0): a watcher thread turns them into [`Msg::Signal`].
//!
//! In raw mode Ctrl-C is a key, not a signal; SIGINT still comes from `kill -INT`. A second
//! signal means the normal path is stuck: the terminal is restored and the process ends the
//! default way.

use crate::tui::msg::{Msg, Signal};
use crate::tui::terminal;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};
use signal_hook::low_level::emulate_default_handler;
use std::io;
use std::sync::mpsc::Sender;
use std::thread;

/// The watcher thread; dropping this ends it.
#[derive(Debug)]
pub struct SignalThread {
    handle: Handle,
}

pub fn watch(msgs: Sender<Msg>) -> io::Result<SignalThread> {
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    let handle = signals.handle();
    thread::Builder::new().name("sockscope-signals".into()).spawn(move || {
        let mut asked = false;
        for number in signals.forever() {
            if asked {
                terminal::restore();
                let _ = emulate_default_handler(number);
            }
            asked = true;
            let signal = match number {
                SIGINT => Signal::Interrupt,
                SIGHUP => Signal::Hangup,
                _ => Signal::Terminate,
            };
            let _ = msgs.send(Msg::Signal(signal));
        }
    })?;
    Ok(SignalThread { handle })
}

impl Drop for SignalThread {
    fn drop(&mut self) {
        self.handle.close();
    }
}
