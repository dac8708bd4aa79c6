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
use std::sync::mpsc::Sender;
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How often the thread checks whether it should stop.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// The running input thread; dropping it stops and joins the thread.
#[derive(Debug)]
pub struct InputThread {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Starts forwarding terminal events to `msgs`.
pub fn start(msgs: Sender<Msg>) -> io::Result<InputThread> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let thread = thread::Builder::new()
        .name("sockscope-input".into())
        .spawn(move || forward(&msgs, &stopping))?;
    Ok(InputThread { stop, thread: Some(thread) })
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
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
