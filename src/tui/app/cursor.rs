//! The Data panel's byte cursor and selection: moving it, keeping it in view, and picking a
//! message in the Messages panel (which moves the cursor onto that message's bytes).

use super::{App, Cursor, DataLine, MessagePick, PaneTop, Scroll, dir_index};
use crate::event::Dir;
use crate::session::Connection;
use crate::tui::panels::{Panel, data, follow, messages};

impl App {
    /// The cursor, when it is on the selected connection.
    #[must_use]
    /// In the follow view, also when it is on the other leg of a proxied pair.
    pub fn cursor(&self) -> Option<Cursor> {
        self.cursor.filter(|cursor| {
            Some(cursor.conn) == self.selected() || self.follow_shows(cursor.conn, cursor.dir)
        })
    }

    /// The message picked in the Messages panel, when it is on the selected connection.
    #[must_use]
    pub fn message_pick(&self) -> Option<MessagePick> {
        self.message_pick.filter(|pick| Some(pick.conn) == self.selected())
    }

    fn selected_connection(&self) -> Option<&Connection> {
        self.selected().and_then(|id| self.session.connection(id))
    }

    /// The cursor, placed at the top of the Data page first if there is none yet (the first
    /// cursor key shows it where the user is already looking).
    pub(super) fn cursor_or_start(&mut self) -> Option<Cursor> {
        if let Some(cursor) = self.cursor() {
            return Some(cursor);
        }
        if self.follow.is_some() {
            return self.follow_cursor_start();
        }
        let Some(conn) = self.selected_connection() else {
            self.set_error("select a connection first (j/k)");
            return None;
        };
        let Some(start) = data::page_start(self, conn) else {
            self.set_error(format!("no bytes on {} to put the cursor on yet", conn.id));
            return None;
        };
        let cursor = Cursor { conn: conn.id, dir: start.dir, offset: start.offset, anchor: None };
        // The page stops following new bytes, or the cursor would scroll away.
        self.data_tops[dir_index(start.dir)] = PaneTop::At(DataLine::Row(start.offset));
        self.cursor = Some(cursor);
        Some(cursor)
    }

    /// Moves the cursor `delta` bytes, staying within the bytes still in memory.
    /// The first move only shows the cursor, where the user is looking.
    pub(super) fn move_cursor_bytes(&mut self, delta: i64) {
        if self.cursor().is_none() {
            self.cursor_or_start();
            return;
        }
        if let Some(cursor) = self.cursor_or_start() {
            let target = cursor.offset.saturating_add_signed(delta);
            self.put_cursor(Cursor { offset: target, ..cursor });
        }
    }

    /// Moves the cursor `delta` rows of the pane as it is drawn now.
    pub(super) fn move_cursor_rows(&mut self, delta: i64) {
        if self.cursor().is_none() {
            self.cursor_or_start();
            return;
        }
        let Some(cursor) = self.cursor_or_start() else { return };
        if self.follow.is_some() {
            return self.move_follow_cursor_rows(cursor, delta);
        }
        let target = self
            .selected_connection()
            .and_then(|conn| data::row_step(self, conn, cursor.dir, cursor.offset, delta));
        if let Some(offset) = target {
            self.put_cursor(Cursor { offset, ..cursor });
        }
    }

    /// Starts a selection at the cursor, or drops the one there is.
    pub(super) fn toggle_selection(&mut self) {
        if let Some(cursor) = self.cursor_or_start() {
            let anchor = if cursor.anchor.is_some() { None } else { Some(cursor.offset) };
            self.cursor = Some(Cursor { anchor, ..cursor });
        }
    }

    /// Esc in the Data panel: the cursor goes, and the page follows new bytes again.
    pub(super) fn clear_cursor(&mut self) {
        if self.cursor.take().is_some() {
            self.data_tops = [PaneTop::Follow; 2];
        }
    }

    /// Moves the cursor to the other direction's pane, at the same offset where it can.
    pub(super) fn switch_cursor_direction(&mut self) {
        let Some(cursor) = self.cursor_or_start() else { return };
        if self.follow.is_some() {
            return self.switch_follow_cursor_side(cursor);
        }
        let other = if cursor.dir == Dir::In { Dir::Out } else { Dir::In };
        let has_bytes = self.selected_connection().is_some_and(|conn| conn.bytes(other) > 0);
        if !has_bytes {
            self.set_error(format!("no {} bytes on {}", other.name(), cursor.conn));
            return;
        }
        self.put_cursor(Cursor { dir: other, anchor: None, ..cursor });
    }

    /// Sets the cursor, clamped to the retained bytes of its stream, and scrolls the Data
    /// panel just enough to show it.
    pub(super) fn put_cursor(&mut self, cursor: Cursor) {
        let Some(conn) = self.session.connection(cursor.conn) else { return };
        let kept = conn.stream(cursor.dir).retained();
        if kept.is_empty() {
            return;
        }
        let clamp = |at: u64| at.clamp(kept.start, kept.end - 1);
        let cursor =
            Cursor { offset: clamp(cursor.offset), anchor: cursor.anchor.map(clamp), ..cursor };
        if self.follow.is_some() {
            self.reveal_in_follow_view(cursor);
        } else if let Some(top) = data::reveal(self, conn, cursor.dir, cursor.offset) {
            self.data_tops[dir_index(cursor.dir)] = top;
        }
        self.cursor = Some(cursor);
    }

    /// Switches the Data panel between text and hex, keeping the cursor's byte in view.
    pub(super) fn toggle_data_view(&mut self) {
        self.data_view = self.data_view.toggled();
        if let Some(cursor) = self.cursor() {
            self.put_cursor(cursor);
        }
    }

    /// `Home` on the Data panel: both panes from their first retained line.
    pub(super) fn scroll_to_top(&mut self) {
        if self.follow.is_some() {
            self.scroll_follow(follow::Scrolling::Start);
        } else if self.focus == Panel::Data {
            self.data_tops = [PaneTop::Start; 2];
        } else {
            self.scroll[self.focus.index()] = Scroll::At(0);
        }
    }

    /// `End`: the panel follows its newest lines (on the Data panel, both panes do).
    pub(super) fn scroll_to_end(&mut self) {
        if self.follow.is_some() {
            self.scroll_follow(follow::Scrolling::End);
        } else if self.focus == Panel::Data {
            self.data_tops = [PaneTop::Follow; 2];
        } else {
            self.scroll[self.focus.index()] = Scroll::Follow;
        }
    }

    /// `PgUp`/`PgDn` on the Data panel: each pane moves by its own page.
    pub(super) fn scroll_data_pages(&mut self, pages: isize) {
        let Some(conn) = self.selected_connection() else { return };
        for (dir, top) in data::scroll_pages(self, conn, pages) {
            self.data_tops[dir_index(dir)] = top;
        }
    }

    /// Picks the next (`step` 1) or previous (-1) message of the selected connection, received
    /// ones first, and puts the cursor on it with the whole message selected.
    pub(super) fn pick_message(&mut self, step: i64) {
        let Some(conn) = self.selected_connection() else {
            self.set_error("select a connection first (j/k)");
            return;
        };
        let current = self.message_pick().and_then(|pick| {
            let messages = conn.stream(pick.dir).messages();
            let at = messages.binary_search_by_key(&pick.index, |m| m.index).ok()?;
            Some((pick.dir, at))
        });
        let Some((dir, at)) = neighbour_message(conn, current, step) else {
            self.set_error(format!("no complete messages on {} (:framing SPEC)", conn.id));
            return;
        };
        let message = conn.stream(dir).messages()[at];
        let id = conn.id;
        let line = messages::line_of(self, dir, message.index, &self.layout_context());
        self.message_pick = Some(MessagePick { conn: id, dir, index: message.index });
        self.reveal_message_line(line);
        // The end first, then the start: a message that fits the page is shown whole, and a
        // longer one from its start.
        let last = message.end().saturating_sub(1).max(message.start);
        self.put_cursor(Cursor { conn: id, dir, offset: last, anchor: Some(message.start) });
        self.put_cursor(Cursor { conn: id, dir, offset: message.start, anchor: Some(last) });
    }

    /// Scrolls the Messages panel so that document line `line` shows.
    fn reveal_message_line(&mut self, line: Option<usize>) {
        let Some(line) = line else { return };
        let arrangement = self.arrangement();
        let rows =
            crate::tui::layout::panel_rows(self.size.0, self.size.1, Panel::Messages, arrangement);
        let len = messages::line_count(self, &self.layout_context());
        let top = self.scroll(Panel::Messages).top(len, rows);
        // The panel's scroll counts its header line; the document starts one line below.
        let line = line + 1;
        if line < top + 1 {
            self.scroll[Panel::Messages.index()] = Scroll::At(line.saturating_sub(1));
        } else if line >= top + rows {
            self.scroll[Panel::Messages.index()] = Scroll::At(line + 1 - rows.max(1));
        }
    }
}

/// The message `step` places from `current` (a direction and a position in its list) in the
/// Messages panel's order, received before sent, stopping at either end; from nothing, the
/// first message (or the last, going back).
fn neighbour_message(
    conn: &Connection,
    current: Option<(Dir, usize)>,
    step: i64,
) -> Option<(Dir, usize)> {
    let count = |dir: Dir| conn.stream(dir).messages().len();
    let order: Vec<(Dir, usize)> = [Dir::In, Dir::Out]
        .into_iter()
        .filter(|&dir| count(dir) > 0)
        .map(|d| (d, count(d)))
        .collect();
    let (first, last) = (order.first()?, order.last()?);
    let Some((dir, at)) = current else {
        return Some(if step < 0 { (last.0, last.1 - 1) } else { (first.0, 0) });
    };
    if step > 0 {
        if at + 1 < count(dir) {
            return Some((dir, at + 1));
        }
        let next = order.iter().find(|(d, _)| *d != dir && dir == Dir::In);
        return Some(next.map_or((dir, at), |&(d, _)| (d, 0)));
    }
    if at > 0 {
        return Some((dir, at - 1));
    }
    let previous = order.iter().find(|(d, _)| *d != dir && dir == Dir::Out);
    Some(previous.map_or((dir, at), |&(d, n)| (d, n - 1)))
}
