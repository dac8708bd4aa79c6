//! The follow view's state (`F`, `:follow`): one connection's conversation over the whole
//! width, in time order, and the side-by-side comparison of its two ends. The lines are named
//! by stream offsets, as the Data panel's are, so a position survives new bytes and eviction.

use super::App;
use crate::event::ConnId;
use crate::tui::panels::follow;

/// A direction of a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// From the client to the server.
    Up,
    /// From the server back to the client.
    Down,
}

impl Side {
    #[must_use]
    pub fn other(self) -> Self {
        match self {
            Self::Up => Self::Down,
            Self::Down => Self::Up,
        }
    }

    /// Order among turns stamped at the same microsecond: the request first.
    #[must_use]
    pub fn rank(self) -> u8 {
        match self {
            Self::Up => 0,
            Self::Down => 1,
        }
    }
}

/// A line of the follow view: a turn's header or a row of its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowLine {
    /// The header of the turn (one call's chunk) that starts at this offset of `Side`.
    Turn(Side, u64),
    /// The row whose first byte is at this offset of `Side`.
    Row(Side, u64),
}

/// Where the follow view is scrolled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowTop {
    /// Showing the newest turns, moving as new ones arrive.
    Follow,
    /// From the first retained turn.
    Start,
    /// From this line, fixed while new bytes arrive.
    At(FollowLine),
}

/// How the follow view lays the conversation out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowLayout {
    /// Both directions interleaved in time order.
    Interleaved,
    /// One direction's `send` calls beside the other end's `recv` calls of the same bytes,
    /// from the row starting at this stream offset (`None`: from the first).
    SideBySide { side: Side, top: Option<u64> },
}

/// The open follow view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FollowView {
    /// The connection whose conversation `top` names lines of (another selection starts
    /// from the newest turns).
    pub conn: ConnId,
    pub top: FollowTop,
    pub layout: FollowLayout,
}

impl App {
    /// The follow view, when it is open.
    #[must_use]
    pub fn follow_view(&self) -> Option<FollowView> {
        self.follow
    }

    /// Where the follow view is scrolled for the selected connection.
    #[must_use]
    pub fn follow_top(&self) -> FollowTop {
        match self.follow {
            Some(view) if Some(view.conn) == self.selected() => view.top,
            _ => FollowTop::Follow,
        }
    }

    /// `F`, `:follow`: opens the follow view on the selected connection, or closes it.
    pub(super) fn toggle_follow_view(&mut self) {
        if self.follow.take().is_some() {
            return;
        }
        match self.selected() {
            Some(conn) => {
                let layout = FollowLayout::Interleaved;
                self.follow = Some(FollowView { conn, top: FollowTop::Follow, layout });
            }
            None => self.set_error("select a connection first (j/k)"),
        }
    }

    /// Sets where the follow view is scrolled, for the selected connection.
    pub(super) fn set_follow_top(&mut self, top: FollowTop) {
        let Some(conn) = self.selected() else { return };
        if let Some(view) = &mut self.follow {
            *view = FollowView { conn, top, ..*view };
        }
    }

    /// `s` in the follow view: one direction's sends beside its receives, or back.
    pub(super) fn toggle_side_by_side(&mut self) {
        let Some(view) = self.follow else { return };
        let layout = match view.layout {
            FollowLayout::SideBySide { .. } => FollowLayout::Interleaved,
            FollowLayout::Interleaved => match follow::side_by_side_start(self) {
                Ok((side, top)) => FollowLayout::SideBySide { side, top },
                Err(why) => {
                    self.set_error(why);
                    return;
                }
            },
        };
        self.follow = Some(FollowView { layout, ..view });
    }

    /// `PgUp`/`PgDn`/`Home`/`End` in the follow view.
    pub(super) fn scroll_follow(&mut self, scroll: follow::Scrolling) {
        let Some(view) = self.follow else { return };
        match view.layout {
            FollowLayout::Interleaved => {
                if let Some(top) = follow::scrolled(self, scroll) {
                    self.set_follow_top(top);
                }
            }
            FollowLayout::SideBySide { side, .. } => {
                let top = follow::columns_scrolled(self, side, scroll);
                let layout = FollowLayout::SideBySide { side, top };
                self.follow = Some(FollowView { layout, ..view });
            }
        }
    }
}

/// The Data cursor in the follow view: it walks the conversation, crossing from one
/// direction (and, for a proxied pair, one leg) to the other as the turns do.
impl App {
    /// Whether the follow view is open and shows `conn`'s `dir` stream.
    pub(super) fn follow_shows(&self, conn: ConnId, dir: crate::event::Dir) -> bool {
        self.follow.is_some()
            && self.selected().is_some_and(|selected| {
                follow::Conversation::of(&self.session, selected)
                    .is_some_and(|talk| talk.side_of(follow::Leg { conn, dir }).is_some())
            })
    }

    /// A new cursor on the first byte of the follow view's page, which stops following.
    pub(super) fn follow_cursor_start(&mut self) -> Option<super::Cursor> {
        let Some((leg, offset)) = follow::page_start(self) else {
            self.set_error("no bytes in this conversation to put the cursor on yet");
            return None;
        };
        self.pin_follow_page();
        let cursor = super::Cursor { conn: leg.conn, dir: leg.dir, offset, anchor: None };
        self.cursor = Some(cursor);
        Some(cursor)
    }

    /// The page stays where it is rather than following new bytes (the cursor would scroll
    /// away).
    fn pin_follow_page(&mut self) {
        if let Some(top) = follow::pinned(self) {
            self.set_follow_top(top);
        }
    }

    pub(super) fn move_follow_cursor_rows(&mut self, cursor: super::Cursor, delta: i64) {
        let leg = follow::Leg { conn: cursor.conn, dir: cursor.dir };
        let Some((to, offset)) = follow::row_step(self, leg, cursor.offset, delta) else { return };
        // A selection stays within one stream: crossing to the other direction drops it.
        let anchor = if to == leg { cursor.anchor } else { None };
        self.put_cursor(super::Cursor { conn: to.conn, dir: to.dir, offset, anchor });
    }

    /// `o` in the follow view: the cursor to the other direction's turn nearest in time;
    /// side by side shows the other direction (from its first byte kept).
    pub(super) fn switch_follow_cursor_side(&mut self, cursor: super::Cursor) {
        if let Some(view @ FollowView { layout: FollowLayout::SideBySide { side, .. }, .. }) =
            self.follow
        {
            let layout = FollowLayout::SideBySide { side: side.other(), top: None };
            self.follow = Some(FollowView { layout, ..view });
            return;
        }
        let leg = follow::Leg { conn: cursor.conn, dir: cursor.dir };
        match follow::other_side(self, leg, cursor.offset) {
            Some((to, offset)) => {
                self.put_cursor(super::Cursor { conn: to.conn, dir: to.dir, offset, anchor: None });
            }
            None => self.set_error("the other direction has moved no bytes yet"),
        }
    }

    pub(super) fn reveal_in_follow_view(&mut self, cursor: super::Cursor) {
        let leg = follow::Leg { conn: cursor.conn, dir: cursor.dir };
        if let Some(top) = follow::reveal(self, leg, cursor.offset) {
            self.set_follow_top(top);
        } else if self.follow_top() == FollowTop::Follow {
            self.pin_follow_page();
        }
    }
}
