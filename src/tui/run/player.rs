//! The replay player: reads a recording on its own thread and hands its events to the UI loop
//! on the recorded timeline, scaled by the speed, as the engine hands over live events.
//!
//! Events are posted through the same credit-counted [`Outbox`] as the engine's batches, so
//! "as fast as possible" and seeks are paced by how fast the UI applies them, and a key is
//! never queued behind more than a few batches. A seek backwards rebuilds the session: the
//! player says [`Msg::Rewind`], reopens the file and applies the events from the first one up
//! to the target as fast as possible (the session is a fold of events; it cannot be unfolded).
//! The file's [`Index`] is built on a thread of its own, so a large recording shows its first
//! events at once and its length a moment later.

use super::sink::Outbox;
use crate::event::Event;
use crate::record::{Index, Reader};
use crate::tui::timeline::PlayerCommand;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::{self, Sender};
use std::thread::{self, JoinHandle};

/// Most events in one batch to the UI.
const BATCH_EVENTS: usize = 1024;
/// Most payload bytes in one batch to the UI.
const BATCH_BYTES: usize = 1 << 20;

mod state;

/// What reaches the player thread.
#[derive(Debug)]
enum Inbox {
    Command(PlayerCommand),
    Indexed(Index),
}

/// The UI's handle on the player thread. Dropping it ends the thread.
#[derive(Debug)]
pub struct Player {
    inbox: Option<Sender<Inbox>>,
    thread: Option<JoinHandle<()>>,
}

impl Player {
    /// Starts playing `reader` (opened on `path`; its first event, if already read, is
    /// `first`) at normal speed.
    pub fn start(
        path: &Path,
        reader: Reader<BufReader<File>>,
        first: Option<Event>,
        outbox: Outbox,
    ) -> std::io::Result<Self> {
        let (inbox, commands) = mpsc::channel();
        let state = state::State::new(path.to_path_buf(), reader, first, outbox);
        let thread = thread::Builder::new()
            .name("sockscope-replay".into())
            .spawn(move || state.run(&commands))?;
        let indexer = inbox.clone();
        let owned = path.to_path_buf();
        // Without an index the timeline only lacks its length: a failure is not an error.
        let _ = thread::Builder::new().name("sockscope-index".into()).spawn(move || {
            if let Ok(index) = Index::build(&owned) {
                let _ = indexer.send(Inbox::Indexed(index));
            }
        });
        Ok(Self { inbox: Some(inbox), thread: Some(thread) })
    }

    /// Passes a command on; `false` if the player has stopped.
    pub fn send(&self, command: PlayerCommand) -> bool {
        self.inbox.as_ref().is_some_and(|inbox| inbox.send(Inbox::Command(command)).is_ok())
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        // Closing the inbox wakes a paused player; one waiting for a credit wakes once the
        // UI's receivers are gone (the runner drops them first).
        self.inbox = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests;
