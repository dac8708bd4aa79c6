//! Built-in scenarios: self-contained sessions on loopback that show socket behaviour live.
//!
//! A scenario is a scripted user: it asks the engine to open sockets and send bytes, and reacts
//! to the events that come back. It never touches a socket itself, so the same scenario drives
//! the terminal UI and `sockscope demo --headless`, and its script can be tested with hand-made
//! events.

mod messages;

use crate::engine::EngineConfig;
use crate::event::{Command, Event};
use crate::framing::Spec;
use std::fmt::Write as _;
use std::time::Duration;

pub use messages::Messages;

/// A scripted session.
pub trait Scenario: Send + std::fmt::Debug {
    /// The engine settings the scenario needs (e.g. an echo server).
    fn engine_config(&self, base: EngineConfig) -> EngineConfig;
    /// The framing under which its messages make sense.
    fn framing(&self) -> Spec;
    /// How often [`Scenario::on_tick`] wants to be called.
    fn tick(&self) -> Duration;
    /// The commands that start it.
    fn start(&mut self) -> Vec<Command>;
    /// Reacts to one engine event.
    fn on_event(&mut self, event: &Event) -> Vec<Command>;
    /// Advances the script; `now_us` is the time since the scenario started.
    fn on_tick(&mut self, now_us: u64) -> Vec<Command>;
    /// Whether the script has run to completion (a headless run then ends).
    fn is_finished(&self) -> bool;
}

/// A scenario's name and what it shows, for `demo --list` and the picker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: &'static str,
    pub summary: &'static str,
}

/// Every built-in scenario, the default first.
pub const SCENARIOS: &[Entry] = &[Entry {
    name: "messages",
    summary: "a client and an echo server exchange length-prefixed messages: partial messages, \
              two messages in one recv, integers in network byte order",
}];

/// Whether the scenario runs forever (the UI) or ends once its script is done (headless).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeat {
    Forever,
    Once,
}

/// The scenario called `name` (`None`: the default), or `None` if there is no such scenario.
#[must_use]
pub fn scenario(name: Option<&str>, repeat: Repeat) -> Option<Box<dyn Scenario>> {
    match name.unwrap_or(SCENARIOS[0].name) {
        "messages" => Some(Box::new(Messages::new(repeat))),
        _ => None,
    }
}

/// `demo --list`: one line per scenario.
#[must_use]
pub fn listing() -> String {
    let width = SCENARIOS.iter().map(|e| e.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for entry in SCENARIOS {
        let _ = writeln!(out, "{:width$}  {}", entry.name, entry.summary);
    }
    out
}
