//! Where everything goes on screen: a pure function of the terminal size, so `App` can know
//! a panel's page height without drawing.
//!
//! ```text
//! status bar ──────────────────────────────────────────────
//! ┌ Connections ─────────┐┌ Calls ─────────────────────────┐
//! │                      ││                                │
//! ├ Readiness ───────────┤├ Data ──────────────────────────┤
//! │                      ││                                │
//! │                      │├ Messages ──────────────────────┤
//! │                      │├ Inspector ─────────────────────┤
//! └──────────────────────┘└────────────────────────────────┘
//! footer: key hints (or the command line) ─────────────────
//! ```
//!
//! Messages sits under Data in the wide right column: its previews need the width, and it
//! reads best next to the bytes it cuts up. The column gives Data the most rows; Calls,
//! Messages and Inspector share the rest, each keeping at least one row inside its border
//! at the minimum size. The lesson (demos) and the key overlay (`F2`) take the bottom of the
//! left column, so neither covers a panel.
//!
//! The presentation layout (`F4`, `--present`) is for a projector: only what a lesson is about,
//! in large areas (the other panels are not drawn and have no area):
//!
//! ```text
//! status bar ──────────────────────────────────────────────
//! ┌ lesson ──────────────┐┌ Readiness (select()'s lists) ──┐
//! │                      │└────────────────────────────────┘
//! │                      │┌ Calls, why notes wrapped ──────┐
//! ├ keys (F2) ───────────┤│                                │
//! └──────────────────────┘└────────────────────────────────┘
//! footer ──────────────────────────────────────────────────
//! ```

use crate::tui::panels::Panel;
use ratatui::layout::{Constraint, Layout, Rect};

/// Smallest terminal that shows the panels: below it a notice says what is needed. Six panels
/// with borders, a status bar and a footer need about this much to show anything useful.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Rows of the key overlay, border included: four keys.
pub const KEY_LOG_ROWS: u16 = 6;

/// Rows the Readiness panel gets in the presentation layout: enough (inside its border) for
/// the last round's epoll edges and `select()`'s three lists above a few rounds of history.
const PRESENT_READINESS_ROWS: u16 = 12;

/// Which layout, and what it makes room for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Arrangement {
    /// The lesson is shown (demos).
    pub lesson: bool,
    /// The key overlay is on (`F2`).
    pub key_log: bool,
    /// The presentation layout (`F4`): lesson, Readiness and Calls only.
    pub presentation: bool,
}

/// The areas of one frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    pub status: Rect,
    pub footer: Rect,
    /// The lesson, at the bottom of the left column (demos, when shown).
    pub lesson: Option<Rect>,
    /// The key overlay, under the lesson (when on).
    pub key_log: Option<Rect>,
    panels: [Rect; Panel::ALL.len()],
}

impl Areas {
    /// The area of `panel`, border included; empty when the layout leaves it out.
    #[must_use]
    pub fn panel(&self, panel: Panel) -> Rect {
        self.panels[panel.index()]
    }
}

/// Whether `area` is big enough for the panels.
#[must_use]
pub fn fits(area: Rect) -> bool {
    area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT
}

/// The areas for a terminal of `area` arranged so, or `None` when it is too small.
#[must_use]
pub fn areas(area: Rect, arrangement: Arrangement) -> Option<Areas> {
    if !fits(area) {
        return None;
    }
    let [status, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)])
            .areas(area);
    let areas = if arrangement.presentation {
        presentation(body, arrangement)
    } else {
        shell(body, arrangement)
    };
    Some(Areas { status, footer, ..areas })
}

/// The usual layout: every panel, and the lesson and key overlay under them on the left.
fn shell(body: Rect, arrangement: Arrangement) -> Areas {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(38), Constraint::Min(0)]).areas(body);
    let (left, key_log) = key_log_below(left, arrangement.key_log);
    let (connections, readiness, lesson) = if arrangement.lesson {
        let [connections, readiness, lesson] = Layout::vertical([
            Constraint::Percentage(25),
            Constraint::Percentage(30),
            Constraint::Min(0),
        ])
        .areas(left);
        (connections, readiness, Some(lesson))
    } else {
        let [connections, readiness] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Min(0)]).areas(left);
        (connections, readiness, None)
    };
    let [calls, data, messages, inspector] = Layout::vertical([
        Constraint::Fill(5),
        Constraint::Fill(6),
        Constraint::Fill(5),
        Constraint::Fill(4),
    ])
    .areas(right);
    let panels = [connections, readiness, calls, data, messages, inspector];
    Areas { status: Rect::default(), footer: Rect::default(), lesson, key_log, panels }
}

/// The presentation layout: the lesson (and key overlay) on the left, Readiness over Calls on
/// the right; Connections, Data, Messages and Inspector are left out.
fn presentation(body: Rect, arrangement: Arrangement) -> Areas {
    let shows_left = arrangement.lesson || arrangement.key_log;
    let [left, right] = if shows_left {
        Layout::horizontal([Constraint::Percentage(40), Constraint::Min(0)]).areas(body)
    } else {
        [Rect::default(), body]
    };
    let (lesson, key_log) = key_log_below(left, arrangement.key_log);
    let lesson = arrangement.lesson.then_some(lesson);
    let readiness_rows = PRESENT_READINESS_ROWS.min(right.height / 2);
    let [readiness, calls] =
        Layout::vertical([Constraint::Length(readiness_rows), Constraint::Min(0)]).areas(right);
    let hidden = Rect::default();
    let panels = [hidden, readiness, calls, hidden, hidden, hidden];
    Areas { status: Rect::default(), footer: Rect::default(), lesson, key_log, panels }
}

/// `column` with the key overlay's rows taken from its bottom, when it is on.
fn key_log_below(column: Rect, on: bool) -> (Rect, Option<Rect>) {
    if !on {
        return (column, None);
    }
    let rows = KEY_LOG_ROWS.min(column.height / 2);
    let [rest, key_log] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(rows)]).areas(column);
    (rest, Some(key_log))
}

/// Rows inside `panel`'s border for a terminal of `width` × `height` (0 when it is hidden).
#[must_use]
pub fn panel_rows(width: u16, height: u16, panel: Panel, arrangement: Arrangement) -> usize {
    areas(Rect::new(0, 0, width, height), arrangement)
        .map_or(0, |areas| usize::from(areas.panel(panel).height.saturating_sub(2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A projector's 100×30 with the lesson: the lesson, Readiness tall enough for its detail
    /// block (10 rows inside), and Calls; nothing else.
    #[test]
    fn the_presentation_layout_shows_the_lesson_the_select_lists_and_the_calls() {
        let arrangement = Arrangement { lesson: true, key_log: true, presentation: true };
        let areas = areas(Rect::new(0, 0, 100, 30), arrangement).expect("fits");
        assert!(areas.lesson.is_some_and(|lesson| lesson.width >= 36 && lesson.height >= 16));
        assert_eq!(areas.panel(Panel::Readiness).height, 12);
        assert!(areas.panel(Panel::Calls).height >= 14);
        for hidden in [Panel::Connections, Panel::Data, Panel::Messages, Panel::Inspector] {
            assert!(areas.panel(hidden).is_empty(), "{hidden:?}");
        }
        let key_log = areas.key_log.expect("the key overlay's own rows");
        for panel in Panel::ALL {
            assert!(!key_log.intersects(areas.panel(panel)), "{panel:?}");
        }
    }

    #[test]
    fn the_key_overlay_takes_rows_of_its_own_and_covers_no_panel() {
        let arrangement = Arrangement { lesson: true, key_log: true, presentation: false };
        let areas = areas(Rect::new(0, 0, 140, 45), arrangement).expect("fits");
        let key_log = areas.key_log.expect("room for the keys");
        assert_eq!(key_log.height, KEY_LOG_ROWS);
        for panel in Panel::ALL {
            assert!(!key_log.intersects(areas.panel(panel)), "{panel:?}");
        }
        assert!(areas.lesson.is_some_and(|lesson| !lesson.intersects(key_log)));
    }
}
