//! Engine events: folded into the session, plus the little the shell tracks itself (open
//! the selection that follows new connections, paused reading, status messages).

use super::{About, App, Level, Scroll, Selection};
use crate::event::{ConnId, Event, EventKind};
use crate::inspect::escape::escape_str;
use crate::tui::panels::Panel;

impl App {
    pub(super) fn apply_event(&mut self, event: &Event) {
        self.clock_us = self.clock_us.max(event.t_us);
        self.session.apply(event);
        self.react_to(event);
    }

    /// What the UI does about an event the session has applied: status lines, following a
    /// new connection.
    pub(super) fn react_to(&mut self, event: &Event) {
        match &event.kind {
            EventKind::Listen { conn, local } => {
                // Addresses may come from a recording: escaped like any file content.
                let text = format!("{conn} listening on {}", escape_str(&local.to_string()));
                self.set_status(text, Level::Info, Some(About::Socket(*conn)));
                self.follow_new_connection(*conn, true);
            }
            EventKind::Accept { conn, .. } | EventKind::Connect { conn, pair: None, .. } => {
                self.follow_new_connection(*conn, false);
            }
            EventKind::Connected { conn, peer, .. } => {
                let text = format!("{conn} connected to {}", escape_str(&peer.to_string()));
                self.set_status(text, Level::Info, Some(About::Socket(*conn)));
            }
            EventKind::Close { conn, .. } => {
                self.paused.remove(conn);
            }
            EventKind::Held { conn, dir, id, len, .. } => {
                let text = format!("{conn} {}: {id} held ({len} bytes): H lists it", dir.name());
                self.set_status(text, Level::Info, None);
            }
            EventKind::Error { conn, op, message, .. } => {
                let op = format!("{op:?}").to_lowercase();
                let text = format!("{conn} {op}: {}", escape_str(message));
                self.set_status(text, Level::Error, Some(About::Event));
            }
            _ => {}
        }
    }

    /// Until the user picks a connection, the selection moves to each new one: listeners only
    /// when nothing is selected, streams (not a proxy's upstream half) always; never to one the
    /// Connections filter hides. Once the person looks closer at the selected connection (a
    /// Data cursor, a picked message, a panel scrolled away from the newest lines), it is
    /// theirs: a new socket does not take it away.
    fn follow_new_connection(&mut self, conn: ConnId, is_listener: bool) {
        if !self.filter_shows(conn) {
            return;
        }
        match self.selection {
            Selection::None => self.change_selection(Selection::Following(conn)),
            Selection::Following(current) if self.looking_closer() => {
                self.change_selection(Selection::Chosen(current));
            }
            Selection::Following(_) if !is_listener => {
                self.change_selection(Selection::Following(conn));
            }
            Selection::Following(_) | Selection::Chosen(_) => {}
        }
    }

    /// Whether the person has put something on the selected connection to look at.
    fn looking_closer(&self) -> bool {
        self.cursor.is_some()
            || self.message_pick.is_some()
            || self.scroll.iter().any(|scroll| *scroll != Scroll::Follow)
            || self.data_tops.iter().any(|top| *top != super::PaneTop::Follow)
    }

    /// A new selection shows that connection's data from its newest bytes.
    pub(super) fn change_selection(&mut self, selection: Selection) {
        if selection.conn() != self.selection.conn() {
            for panel in [Panel::Data, Panel::Messages, Panel::Inspector] {
                self.scroll[panel.index()] = Scroll::Follow;
            }
            self.data_tops = [super::PaneTop::Follow; 2];
        }
        self.selection = selection;
    }
}
