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
//! at the minimum size.

use crate::tui::panels::Panel;
use ratatui::layout::{Constraint, Layout, Rect};

/// Smallest terminal that shows the panels: below it a notice says what is needed. Six panels
/// with borders, a status bar and a footer need about this much to show anything useful.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// The areas of one frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    pub status: Rect,
    pub footer: Rect,
    /// The lesson, under Readiness in the left column (demos, when shown).
    pub lesson: Option<Rect>,
    panels: [Rect; Panel::ALL.len()],
}

impl Areas {
    /// The area of `panel`, border included.
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

/// The areas for a terminal of `area`, or `None` when it is too small; `lesson` makes room
/// for the lesson at the bottom of the left column.
#[must_use]
pub fn areas(area: Rect, lesson: bool) -> Option<Areas> {
    if !fits(area) {
        return None;
    }
    let [status, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)])
            .areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(38), Constraint::Min(0)]).areas(body);
    let (connections, readiness, lesson) = if lesson {
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
    Some(Areas { status, footer, lesson, panels })
}

/// Rows inside `panel`'s border for a terminal of `width` × `height` (0 when it is hidden).
#[must_use]
pub fn panel_rows(width: u16, height: u16, panel: Panel, lesson: bool) -> usize {
    areas(Rect::new(0, 0, width, height), lesson)
        .map_or(0, |areas| usize::from(areas.panel(panel).height.saturating_sub(2)))
}
