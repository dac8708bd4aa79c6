//! How engine events reach the UI loop without letting a flood swamp it.
//!
//! Batches travel on the UI's single `Msg` channel (unbounded, so keys and signals never wait
//! to be *sent*), but the engine must first take a credit from a bounded `sync_channel` of
//! [`ENGINE_BACKLOG`] slots, and the loop gives one back after applying each batch. So at most
//! `ENGINE_BACKLOG` batches are ever queued: a peer that floods makes the engine wait, which
//! stops it reading sockets, which lets TCP flow control slow the peer, and a key press is
//! never queued behind more than `ENGINE_BACKLOG` batches (see `event_loop` for the bound).

use crate::engine::EventSink;
use crate::event::Event;
use crate::tui::msg::Msg;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};

/// Most engine batches waiting in the UI channel at once. A batch holds at most
/// `engine::BATCH_EVENTS` events and `engine::BATCH_BYTES` of payload, so this also bounds
/// the memory a slow UI holds.
pub const ENGINE_BACKLOG: usize = 4;

/// Posts messages that count against the backlog: takes a credit, then sends. The engine's
/// sink and the replay player both post through one.
#[derive(Debug)]
pub struct Outbox {
    msgs: Sender<Msg>,
    credits: SyncSender<()>,
}

impl Outbox {
    /// Blocks while `ENGINE_BACKLOG` counted messages are unapplied; `false` once the UI has
    /// gone.
    pub fn post(&self, msg: Msg) -> bool {
        self.credits.send(()).is_ok() && self.msgs.send(msg).is_ok()
    }

    /// Sends a message that does not count against the backlog (a small state report).
    pub fn notify(&self, msg: Msg) -> bool {
        self.msgs.send(msg).is_ok()
    }
}

/// The engine's end: posts each batch through an [`Outbox`].
#[derive(Debug)]
pub struct UiSink {
    outbox: Outbox,
}

/// The loop's end: returns a credit per batch applied.
#[derive(Debug)]
pub struct Credits(Receiver<()>);

impl UiSink {
    #[cfg(test)]
    #[must_use]
    pub fn new(msgs: Sender<Msg>) -> (Self, Credits) {
        let (outbox, credits) = Outbox::new(msgs);
        (Self::from_outbox(outbox), credits)
    }

    #[must_use]
    pub fn from_outbox(outbox: Outbox) -> Self {
        Self { outbox }
    }
}

impl Outbox {
    #[must_use]
    pub fn new(msgs: Sender<Msg>) -> (Self, Credits) {
        let (credits, returned) = mpsc::sync_channel(ENGINE_BACKLOG);
        (Self { msgs, credits }, Credits(returned))
    }
}

impl EventSink for UiSink {
    fn deliver(&mut self, batch: Vec<Event>) -> bool {
        self.outbox.post(Msg::Engine(batch))
    }
}

/// The engine thread has ended (it drops its sink): the UI says so instead of silently
/// ignoring commands. After a normal quit nobody is listening and this goes nowhere.
impl Drop for UiSink {
    fn drop(&mut self) {
        let _ = self.outbox.notify(Msg::EngineStopped);
    }
}

impl Credits {
    /// One batch has been applied: the engine may post another.
    pub fn release(&self) {
        let _ = self.0.try_recv();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_sink_refuses_once_the_ui_is_gone() {
        let (msgs_tx, msgs) = mpsc::channel();
        let (mut sink, credits) = UiSink::new(msgs_tx);
        drop((msgs, credits));
        assert!(!sink.deliver(Vec::new()), "the engine stops");
    }

    #[test]
    fn the_engine_waits_once_the_backlog_is_full() {
        let (msgs_tx, msgs) = mpsc::channel();
        let (mut sink, credits) = UiSink::new(msgs_tx);
        for _ in 0..ENGINE_BACKLOG {
            assert!(sink.deliver(Vec::new()), "room for the backlog");
        }
        let engine = std::thread::spawn(move || sink.deliver(vec![Event::session_start()]));
        for _ in 0..ENGINE_BACKLOG {
            assert_eq!(msgs.recv_timeout(Duration::from_secs(10)), Ok(Msg::Engine(Vec::new())));
        }
        // Received is not applied: without a credit back, the next batch must not arrive.
        assert!(msgs.recv_timeout(Duration::from_millis(100)).is_err(), "backpressure");
        credits.release();
        let next = msgs.recv_timeout(Duration::from_secs(10));
        assert_eq!(next, Ok(Msg::Engine(vec![Event::session_start()])));
        assert!(engine.join().expect("sink thread"), "delivered");
        // The sink went with its thread, as it goes with the engine's: the UI hears of it.
        assert_eq!(msgs.recv_timeout(Duration::from_secs(10)), Ok(Msg::EngineStopped));
        drop(credits);
    }
}
