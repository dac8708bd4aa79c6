//! SIGINT, SIGTERM, SIGHUP and SIGQUIT end the UI through the normal exit path (terminal
//! restored, sockets closed, recording finished, exit code 0): a watcher thread turns them
//! into [`Msg::Signal`]. SIGQUIT's default action (a core dump) would leave the terminal on the
//! alternate screen with the cursor hidden and raw mode on.
//!
//! In raw mode Ctrl-C and Ctrl-\ are keys, not signals; SIGINT and SIGQUIT still come from
//! `kill`. A second signal means the normal path is stuck: the terminal is restored and the
//! process ends the default way.

use crate::tui::msg::{Msg, Signal};
use crate::tui::terminal;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
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
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])?;
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
                SIGQUIT => Signal::Quit,
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
