//! `App`: the UI state and the session model, changed only by [`App::update`].
//!
//! `update` does no I/O and reads no clock: time arrives in messages (event `t_us`, ticks),
//! and what must happen outside (engine commands, name resolution, quitting) leaves as
//! [`Effect`]s. Tests and replays drive it with plain messages.

mod conns;
mod cursor;
mod datagram_send;
mod events;
mod find;
mod find_datagrams;
mod following;
mod intercept;
mod keys;
mod perform;
mod picker;
mod playback;
mod presenter;
mod reading;
mod state;
mod tls;
mod tracing;

pub use find::{CopyTarget, LastSearch};
pub use following::{FollowLayout, FollowLine, FollowTop, FollowView, Side};
pub use presenter::{KeyNote, Lesson, Presenter, RoomSettings};
pub use state::{
    About, Confirm, ConnectionsQuery, Cursor, DataLine, DataView, Level, MessagePick, Mode,
    Overlay, PaneTop, Prompt, PromptKind, Scroll, Selection, Source, Status,
};

use crate::event::ConnId;
use crate::session::Session;
use crate::tui::keymap::Context;
use crate::tui::msg::{Effect, Msg};
use crate::tui::panels::Panel;
use crate::tui::panels::calls::CallRows;
use std::cell::RefCell;
use std::collections::BTreeSet;

/// The whole state of the terminal UI.
#[derive(Debug)]
pub struct App {
    session: Session,
    focus: Panel,
    overlay: Overlay,
    selection: Selection,
    data_view: DataView,
    scroll: [Scroll; Panel::ALL.len()],
    /// The Data panel's two panes (received, sent) scroll on their own, by stream offsets.
    data_tops: [PaneTop; 2],
    /// The terminal's character set, which decides how wide escaped text is.
    glyphs: crate::tui::glyphs::Glyphs,
    status: Option<Status>,
    mode: Mode,
    source: Source,
    /// Terminal size in cells, from the last resize.
    size: (u16, u16),
    /// Session time in microseconds: the newest of event stamps and ticks.
    clock_us: u64,
    /// Connections whose automatic reading the user paused.
    paused: BTreeSet<ConnId>,
    /// Command lines run, and the lines sent from the send prompts, for ↑/↓.
    histories: Histories,
    /// Where datagrams sent from the UI go (see `datagram_send`).
    datagrams: datagram_send::DatagramSends,
    /// The Data panel's byte cursor, once the user has moved it.
    cursor: Option<Cursor>,
    /// The follow view, when it is open (it takes the panels' place).
    follow: Option<FollowView>,
    /// The message picked in the Messages panel.
    message_pick: Option<MessagePick>,
    last_search: Option<LastSearch>,
    /// Short explanations next to surprising call results (`:why on|off`).
    why_notes: bool,
    /// The language of those notes and of the lesson (`--lang`, the locale).
    lang: crate::locale::Lang,
    presenter: Presenter,
    /// The keys: the built-in table, or the one the config file derived from it at start.
    keymap: crate::tui::keymap::Keymap,
    /// Warnings that hold for the whole run (the status bar shows them until the end).
    warnings: Vec<String>,
    /// Replaying a recording, or recording this session.
    playback: playback::Playback,
    /// Time from ticks alone: status messages expire by it in a replay, whose events carry
    /// the recording's times, not the time on the wall.
    ticks_us: u64,
    /// The Connections panel's order, filter and rows.
    conns: conns::ConnList,
    /// Where each call of the selected connection starts in the Calls panel's rows (a cache
    /// the panel refreshes as it draws: wrapped calls take several rows).
    call_rows: RefCell<CallRows>,
    /// What the scenario picker offers: names and summaries only.
    scenarios: &'static [crate::demo::Entry],
    /// The scenario this session runs, if it is a demo.
    scenario: Option<crate::demo::Pick>,
    /// `sockscope trace`: where the program's output goes, and how the trace ended.
    trace: tracing::TraceInfo,
}

impl App {
    /// A UI over `session`, starting in `mode` (`--manual`) for events from `source`.
    #[must_use]
    pub fn new(session: Session, mode: Mode, source: Source) -> Self {
        Self {
            session,
            focus: Panel::Connections,
            overlay: Overlay::None,
            selection: Selection::None,
            data_view: DataView::Text,
            scroll: [Scroll::Follow; Panel::ALL.len()],
            data_tops: [PaneTop::Follow; 2],
            glyphs: crate::tui::glyphs::Glyphs::Unicode,
            status: None,
            mode,
            source,
            size: (0, 0),
            clock_us: 0,
            paused: BTreeSet::new(),
            histories: Histories::default(),
            datagrams: datagram_send::DatagramSends::default(),
            cursor: None,
            follow: None,
            message_pick: None,
            last_search: None,
            why_notes: false,
            lang: crate::locale::Lang::En,
            presenter: Presenter::default(),
            keymap: crate::tui::keymap::Keymap::default(),
            warnings: Vec::new(),
            playback: playback::Playback::default(),
            ticks_us: 0,
            conns: conns::ConnList::default(),
            call_rows: RefCell::default(),
            scenarios: crate::demo::scenarios(),
            scenario: None,
            trace: tracing::TraceInfo::default(),
        }
    }

    /// Sets the warnings shown in the status bar for the rest of the run (a listener on all
    /// interfaces asked for on the command line, say): they never expire.
    pub fn set_warnings(&mut self, warnings: Vec<String>) {
        self.warnings = warnings;
    }

    /// The Calls panel's row positions of the selected connection's calls.
    #[must_use]
    pub fn call_rows(&self) -> &RefCell<CallRows> {
        &self.call_rows
    }

    /// The warnings that hold for the whole run.
    #[must_use]
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Folds one message into the state; returns what the runner must do.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let effects = match msg {
            Msg::Engine(batch) => {
                for event in &batch {
                    self.apply_event(event);
                }
                Vec::new()
            }
            Msg::Traced(batch) => {
                self.apply_traced(&batch);
                Vec::new()
            }
            Msg::TraceEnded(how) => {
                self.end_trace(how);
                Vec::new()
            }
            Msg::Key(key) => self.handle_key(key),
            Msg::Paste(text) => {
                if let Some(editor) = self.editor_mut() {
                    editor.insert_str(&text);
                }
                Vec::new()
            }
            Msg::Resize { width, height } => {
                self.size = (width, height);
                Vec::new()
            }
            Msg::Tick { now_us } => {
                self.ticks_us = self.ticks_us.max(now_us);
                if matches!(self.source, Source::Live | Source::Trace) {
                    self.clock_us = self.clock_us.max(now_us);
                }
                Vec::new()
            }
            Msg::Signal(_) => vec![Effect::Quit],
            Msg::Resolved { purpose, result } => self.finish_resolving(purpose, result),
            Msg::Framing { conn, spec } => {
                self.session.set_framing(Some(conn), spec);
                Vec::new()
            }
            Msg::Wrote { path, result } => {
                self.finish_writing(&path, result);
                Vec::new()
            }
            Msg::FileExists { path } => {
                self.say_the_name_is_taken(&path);
                Vec::new()
            }
            Msg::LessonNote(note) => {
                self.show_lesson_note(note);
                Vec::new()
            }
            Msg::LessonUnreadable(why) => {
                self.set_error(why);
                Vec::new()
            }
            Msg::LessonStopped(report) => {
                self.set_error(format!("lesson stopped: {}", report.replace('\n', " ")));
                Vec::new()
            }
            Msg::LessonOver => {
                self.end_lesson();
                Vec::new()
            }
            Msg::ScenarioQueued { conn, len } => {
                self.session.note_submitted(conn, len);
                Vec::new()
            }
            Msg::Replay { events, sites, timeline } => {
                self.apply_replayed(&events, &sites, timeline);
                Vec::new()
            }
            Msg::Timeline(timeline) => {
                self.playback.timeline = Some(timeline);
                Vec::new()
            }
            Msg::Rewind => {
                self.rewind();
                Vec::new()
            }
            Msg::Recording(news) => {
                self.hear_recording(news);
                Vec::new()
            }
            Msg::EngineStopped => {
                self.set_error(match self.source {
                    Source::Live => {
                        "the socket engine has stopped: commands are not delivered (q quits)"
                    }
                    Source::Replay => "the replay has stopped: the file can no longer be read",
                    Source::Trace => "the tracer has stopped",
                });
                Vec::new()
            }
        };
        self.expire_status();
        effects
    }

    /// The keymap dispatch, the help and the footer use.
    #[must_use]
    pub fn keymap(&self) -> &crate::tui::keymap::Keymap {
        &self.keymap
    }

    /// Runs on `keymap` (the config file's bindings) instead of the built-in table.
    pub fn set_keymap(&mut self, keymap: crate::tui::keymap::Keymap) {
        self.keymap = keymap;
    }

    /// Whether bindings of `context` apply now.
    #[must_use]
    pub fn context_active(&self, context: Context) -> bool {
        let main = matches!(self.overlay, Overlay::None);
        match context {
            Context::Anywhere => true,
            Context::Main => main,
            Context::Manual => main && self.mode == Mode::Manual,
            Context::Replay => main && self.source == Source::Replay,
            Context::LessonOver => main && self.lesson_over(),
            Context::Follow => main && self.follow.is_some(),
            // The follow view takes the panels' place; the Data panel's keys work in it.
            Context::ConnectionsPanel => {
                main && self.follow.is_none() && self.focus == Panel::Connections
            }
            Context::DataPanel => main && (self.follow.is_some() || self.focus == Panel::Data),
            Context::MessagesPanel => {
                main && self.follow.is_none() && self.focus == Panel::Messages
            }
            Context::CopyMenu => matches!(self.overlay, Overlay::CopyMenu),
            Context::Help => matches!(self.overlay, Overlay::Help { .. }),
            Context::TextEntry => self.overlay.takes_text(),
            Context::Confirm => matches!(self.overlay, Overlay::Confirm(_)),
            Context::ScenarioPicker => matches!(self.overlay, Overlay::ScenarioPicker { .. }),
            Context::HeldList => matches!(self.overlay, Overlay::HeldList { .. }),
        }
    }

    fn set_info(&mut self, text: impl Into<String>) {
        self.set_status(text.into(), Level::Info, None);
    }

    fn set_error(&mut self, text: impl Into<String>) {
        self.set_status(text.into(), Level::Error, None);
    }

    /// A message that lasts only while `about` holds (see [`About`]).
    fn set_status(&mut self, text: String, level: Level, about: Option<About>) {
        let at_us = self.status_clock_us();
        self.status = Some(Status { text, level, at_us, about });
    }

    /// Whether the state the status message describes still holds.
    fn status_holds(&self, about: About) -> bool {
        let conn = |id| self.session.connection(id);
        match about {
            About::Queued(id) => conn(id).is_some_and(|conn| conn.queued > 0),
            About::Recv { conn: id, calls } => {
                conn(id).is_some_and(|conn| conn.calls().total() <= calls.saturating_add(1))
            }
            About::Socket(id) => conn(id).is_some_and(|conn| !conn.is_closed()),
            About::Event => true,
        }
    }

    /// A rewound replay is back at its start: messages about its events name a later point.
    fn forget_statuses_about_the_session(&mut self) {
        if self.status.as_ref().is_some_and(|status| status.about.is_some()) {
            self.status = None;
        }
    }

    /// The clock status messages age by: the session's live, the wall's in a replay.
    fn status_clock_us(&self) -> u64 {
        match self.source {
            Source::Live | Source::Trace => self.clock_us,
            Source::Replay => self.ticks_us,
        }
    }

    fn expire_status(&mut self) {
        let now = self.status_clock_us();
        let expired = self.status.as_ref().is_some_and(|s| {
            now.saturating_sub(s.at_us) >= s.lifetime_us()
                || s.about.is_some_and(|about| !self.status_holds(about))
        });
        if expired {
            self.status = None;
        }
    }
}

#[cfg(test)]
mod tests;

/// The index of `dir`'s pane in [`App::data_tops`].
fn dir_index(dir: crate::event::Dir) -> usize {
    match dir {
        crate::event::Dir::In => 0,
        crate::event::Dir::Out => 1,
    }
}

/// One history per line editor that remembers.
#[derive(Clone, Debug, Default)]
struct Histories {
    commands: crate::tui::history::History,
    text_sends: crate::tui::history::History,
    hex_sends: crate::tui::history::History,
}
