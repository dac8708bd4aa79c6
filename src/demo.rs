//! Built-in scenarios: self-contained sessions on loopback that show socket behaviour live.
//!
//! A scenario is a scripted user: it asks the engine to open sockets and send bytes, and reacts
//! to the events that come back. It never touches a socket itself, so the same scenario drives
//! the terminal UI and `sockscope demo --headless`, and its script can be tested with hand-made
//! events. Every peer is a socket of the same engine on 127.0.0.1 (a listener on port 0 and the
//! clients the script connects to it), so a scenario needs nothing outside the process.
//!
//! `messages` is a tour of every panel; it and the lessons (`echo`, `partial-recv`, ...)
//! are each a [`script::Plan`] (engine settings, framing, and a list of steps) run by one
//! [`script::Scripted`] runner; each has a lesson text under `assets/lessons/` that says what
//! to look at and which key to press.

mod byte_order;
mod cast;
mod dead_peer;
mod echo;
mod eof_and_shutdown;
mod framing;
mod messages;
mod partial_recv;
mod partial_send;
mod script;
mod select;
mod translated;

use crate::engine::EngineConfig;
use crate::event::{Command, ConnId, Event};
use crate::framing::Spec;
use std::fmt::Write as _;
use std::time::Duration;

pub use script::Scripted;
pub use translated::lesson_in;

/// A scripted session.
///
/// Whoever runs a scenario calls [`Scenario::start`] once, then [`Scenario::on_event`] for
/// every engine event and [`Scenario::on_tick`] about every [`Scenario::tick`], sends the
/// commands they return to the engine, and after each of these calls applies
/// [`Scenario::take_framings`].
pub trait Scenario: Send + std::fmt::Debug {
    /// Its name in [`SCENARIOS`] (and so its lesson, through [`entry`]).
    fn name(&self) -> &'static str;
    /// The engine settings the scenario needs (e.g. an echo server), on top of `base`.
    fn engine_config(&self, base: EngineConfig) -> EngineConfig;
    /// The framing under which its messages make sense, for every connection that
    /// [`Scenario::take_framings`] does not name.
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
    /// A command the person sent the engine (`SetPace`, `SetManual`, `Step`, ...): a scenario
    /// that holds while the session is stepped or in manual mode learns of it here.
    fn on_user_command(&mut self, _command: &Command) {}
    /// Framings for particular connections, asked for since the previous call (most scenarios
    /// ask for none). Each applies to both directions of its connection from then on: the UI
    /// frames that connection's streams so (`Session::set_framing(Some(conn), spec)`), headless
    /// derives that connection's `message` events so. A scenario names a connection as soon as
    /// the event that creates it (`connect`, `accept`) has reached it, before any of its bytes.
    fn take_framings(&mut self) -> Vec<SetFraming> {
        Vec::new()
    }
}

/// A framing a scenario asks for on one connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetFraming {
    pub conn: ConnId,
    pub spec: Spec,
}

/// A scenario's name, what it shows, and its lesson, for `demo --list`, the picker and the
/// lesson panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: &'static str,
    /// One line for `demo --list` and the picker.
    pub summary: &'static str,
    /// The lesson panel's text: short paragraphs, a "Look at:" list and a "Press:" list. Plain
    /// text with light markup: the first line is the title (`# ` before it); every paragraph
    /// and every list item (`- ` before it) is one line, for the panel to wrap to its width;
    /// blank lines separate them; keys are written as they are typed (`Space`, `P`, `+`).
    pub lesson: &'static str,
}

/// Every built-in scenario, the default first, then the lessons in teaching order.
pub const SCENARIOS: &[Entry] = &[
    Entry {
        name: messages::NAME,
        summary: "a tour: a client and an echo server exchange length-prefixed messages (partial \
                  messages, two in one recv, integers in network byte order)",
        lesson: include_str!("../assets/lessons/messages.md"),
    },
    Entry {
        name: echo::NAME,
        summary: "server socket vs client sockets: accept makes a new socket per client",
        lesson: include_str!("../assets/lessons/echo.md"),
    },
    Entry {
        name: partial_recv::NAME,
        summary: "tiny recv calls: a message arrives in pieces and framing puts it together",
        lesson: include_str!("../assets/lessons/partial-recv.md"),
    },
    Entry {
        name: partial_send::NAME,
        summary: "small buffers and a reader that stops: send takes less than asked, then blocks",
        lesson: include_str!("../assets/lessons/partial-send.md"),
    },
    Entry {
        name: framing::NAME,
        summary: "the same messages framed five ways: fixed, delimited, binary and ASCII length, \
                  EOF",
        lesson: include_str!("../assets/lessons/framing.md"),
    },
    Entry {
        name: byte_order::NAME,
        summary: "integers sent in network byte order, read big-endian and little-endian",
        lesson: include_str!("../assets/lessons/byte-order.md"),
    },
    Entry {
        name: eof_and_shutdown::NAME,
        summary: "recv returns 0; shutdown(write) and the server still replies; reset vs FIN",
        lesson: include_str!("../assets/lessons/eof-and-shutdown.md"),
    },
    Entry {
        name: select::NAME,
        summary: "many clients at once: epoll's edges and select()'s lists, edge vs level",
        lesson: include_str!("../assets/lessons/select.md"),
    },
    Entry {
        name: dead_peer::NAME,
        summary: "a peer that stops answering without closing, and the timeout that notices",
        lesson: include_str!("../assets/lessons/dead-peer.md"),
    },
];

/// Whether the scenario ends once its script is done (a lesson, a headless log) or begins again
/// (`--loop`, a kiosk).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeat {
    Forever,
    Once,
}

/// How fast a script moves: at a pace a room can follow (the UI), or quickly (a headless log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tempo {
    Room,
    Log,
}

/// The scenario called `name` (`None`: the default), or `None` if there is no such scenario.
#[must_use]
pub fn scenario(name: Option<&str>, tempo: Tempo, repeat: Repeat) -> Option<Box<dyn Scenario>> {
    let plan = match name.unwrap_or(SCENARIOS[0].name) {
        messages::NAME => messages::plan(),
        echo::NAME => echo::plan(),
        partial_recv::NAME => partial_recv::plan(),
        partial_send::NAME => partial_send::plan(),
        framing::NAME => framing::plan(),
        byte_order::NAME => byte_order::plan(),
        eof_and_shutdown::NAME => eof_and_shutdown::plan(),
        select::NAME => select::plan(),
        dead_peer::NAME => dead_peer::plan(),
        _ => return None,
    };
    Some(Box::new(Scripted::new(plan, tempo, repeat)))
}

/// The entry called `name`: its summary and lesson.
#[must_use]
pub fn entry(name: &str) -> Option<&'static Entry> {
    SCENARIOS.iter().find(|entry| entry.name == name)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_scenario_exists_with_its_own_name_and_a_lesson() {
        for entry in SCENARIOS {
            let demo = scenario(Some(entry.name), Tempo::Log, Repeat::Once).expect(entry.name);
            assert_eq!(demo.name(), entry.name);
            assert!(entry.lesson.starts_with("# "), "{}: a title line first", entry.name);
            assert!(entry.lesson.contains("Look at"), "{}: what to look at", entry.name);
            assert!(entry.lesson.contains("Press"), "{}: which keys to press", entry.name);
        }
        assert!(scenario(Some("nonsense"), Tempo::Log, Repeat::Once).is_none());
        assert_eq!(
            scenario(None, Tempo::Log, Repeat::Once).map(|s| s.name()),
            Some(SCENARIOS[0].name)
        );
    }

    #[test]
    fn the_listing_names_every_scenario_once() {
        let listing = listing();
        assert_eq!(listing.lines().count(), SCENARIOS.len());
        for entry in SCENARIOS {
            assert!(listing.lines().any(|l| l.starts_with(entry.name)), "{}", entry.name);
        }
    }
}
