//! The input thread: terminal events become [`Msg`]s on the UI channel.
//!
//! It polls with a short timeout so that it notices when the UI ends and stops reading the
//! terminal before the shell gets it back (a thread stuck in `read` would swallow the next
//! keystroke typed at the shell prompt).

use crate::tui::msg::{Msg, Signal};
use crossterm::event::{self, Event, KeyEventKind};
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How often the thread checks whether it should stop.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// How long dropping the thread waits for it to stop. It notices within one poll interval while
/// the terminal lives; a read of a terminal that has gone away may never return.
const STOP_WAIT: Duration = Duration::from_millis(500);

/// The running input thread; dropping it stops and joins the thread.
#[derive(Debug)]
pub struct InputThread {
    stop: Arc<AtomicBool>,
    /// Disconnects when the thread ends (its sender is dropped with it).
    finished: Receiver<()>,
    thread: Option<JoinHandle<()>>,
}

/// Starts forwarding terminal events to `msgs`.
pub fn start(msgs: Sender<Msg>) -> io::Result<InputThread> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let (finishing, finished) = mpsc::channel::<()>();
    let thread = thread::Builder::new().name("sockscope-input".into()).spawn(move || {
        let _finishing = finishing;
        forward(&msgs, &stopping);
    })?;
    Ok(InputThread { stop, finished, thread: Some(thread) })
}

fn forward(msgs: &Sender<Msg>, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        let event = match event::poll(POLL_INTERVAL) {
            Ok(false) => continue,
            Ok(true) => event::read(),
            Err(err) => Err(err),
        };
        let msg = match event {
            Ok(event) => match to_msg(event) {
                Some(msg) => msg,
                None => continue,
            },
            // The terminal cannot be read any more: it has gone away, as on SIGHUP.
            Err(_) => Msg::Signal(Signal::Hangup),
        };
        let hung_up = msg == Msg::Signal(Signal::Hangup);
        if msgs.send(msg).is_err() || hung_up {
            return;
        }
    }
}

/// The message for a terminal event, if the UI cares about it.
fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

impl Drop for InputThread {
    /// Stops the thread and joins it, unless it is stuck reading a terminal that has gone away
    /// (crossterm then keeps reading end-of-file and never returns): that thread is left behind
    /// so the process can still end, and with no terminal there is no shell it could steal
    /// keystrokes from.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let ended =
            matches!(self.finished.recv_timeout(STOP_WAIT), Err(RecvTimeoutError::Disconnected));
        if let Some(thread) = self.thread.take().filter(|_| ended) {
            let _ = thread.join();
        }
    }
}
