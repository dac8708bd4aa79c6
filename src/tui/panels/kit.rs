//! Small pieces the six panels share: empty states, the selected connection, sizes and times
//! as the panels print them, and the scroll window of a panel with a fixed header.
//!
//! Every panel draws a fixed header of `header` lines above a scrolling document of `len`
//! lines, and reports `len + header` as its line count. The shell pages by the panel's inner
//! height minus one; counting the header as a line makes that step exactly one body page when
//! the header is one line, so paging never skips a line.

use crate::session::Connection;
use crate::tui::app::Scroll;
use crate::tui::render_context::RenderContext;
use crate::tui::timeline::Timeline;
use crate::tui::{App, Source};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// What an empty live session says: how to get a socket.
const NO_SOCKETS: &str = "no sockets yet — `:listen 9000` or `:connect HOST:PORT`";
/// What an empty replay says: its sockets come from the file, not from commands.
const NO_SOCKETS_REPLAYED: &str =
    "no sockets yet in this recording — Space plays, $ goes to the end";
/// What a trace says before the program has made a socket call.
const NO_SOCKETS_TRACED: &str = "no sockets yet — the program has made no socket call";
/// What a replay that has reached the end of a file without sockets says.
const NO_SOCKETS_RECORDED: &str = "this recording holds no sockets";

/// The line an empty session shows: live, how to open a socket; in a replay, how to get on to
/// the recording's sockets (a replay takes no `:listen`).
pub(super) fn no_sockets(app: &App, cx: &RenderContext) -> Line<'static> {
    match app.source() {
        Source::Live => hint(NO_SOCKETS, cx),
        Source::Replay if app.timeline().is_some_and(Timeline::at_end) => {
            hint(NO_SOCKETS_RECORDED, cx)
        }
        Source::Replay => hint(NO_SOCKETS_REPLAYED, cx),
        Source::Trace => hint(NO_SOCKETS_TRACED, cx),
    }
}
/// What a panel about one connection says when none is selected.
pub(super) const SELECT_ONE: &str = "select a connection (j/k)";

/// The connection a per-connection panel shows, or the line that says why there is none
/// (empty session, nothing selected, or a selected id the session does not know).
pub(super) fn selected_connection<'a>(
    app: &'a App,
    cx: &RenderContext,
) -> Result<&'a Connection, Line<'static>> {
    let session = app.session();
    if session.connections().next().is_none() {
        return Err(no_sockets(app, cx));
    }
    app.selected().and_then(|id| session.connection(id)).ok_or_else(|| hint(SELECT_ONE, cx))
}

/// A dim line of the UI's own words.
pub(super) fn hint(text: &'static str, cx: &RenderContext) -> Line<'static> {
    Line::from(Span::styled(text, cx.theme.dim()))
}

/// Draws `lines` top-down, clipped to `area` (no wrapping: one line is one row).
pub(super) fn draw_lines(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    if !area.is_empty() {
        frame.render_widget(Paragraph::new(lines), area);
    }
}

/// Draws a one-line message (an empty state), wrapped so a narrow panel shows all of it.
pub(super) fn draw_hint(frame: &mut Frame, area: Rect, hint: Line<'static>) {
    if !area.is_empty() {
        frame.render_widget(Paragraph::new(hint).wrap(Wrap { trim: true }), area);
    }
}

/// The part of a scrolling document that fits under a fixed header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Window {
    /// First document line drawn.
    pub top: usize,
    /// Rows left for the document.
    pub rows: usize,
}

/// The window on a `len`-line document under `header` fixed lines in `height` rows, for the
/// panel's `scroll` (which counts the header as lines, see the module comment).
pub(super) fn window(scroll: Scroll, len: usize, header: usize, height: usize) -> Window {
    let rows = height.saturating_sub(header);
    let top = scroll.top(len.saturating_add(header), height);
    Window { top: top.min(len.saturating_sub(rows)), rows }
}

/// A byte count in at most five characters, for table cells: `999B`, `1.5K`, `12K`, `3.0G`.
#[must_use]
pub(super) fn short_size(bytes: u64) -> String {
    const UNITS: [char; 6] = ['K', 'M', 'G', 'T', 'P', 'E'];
    if bytes < 1024 {
        return format!("{bytes}B");
    }
    let mut unit = 0;
    let mut divisor: u128 = 1024;
    while u128::from(bytes) / divisor >= 1024 && unit + 1 < UNITS.len() {
        divisor *= 1024;
        unit += 1;
    }
    let tenths = u128::from(bytes) * 10 / divisor;
    if tenths < 100 {
        format!("{}.{}{}", tenths / 10, tenths % 10, UNITS[unit])
    } else {
        format!("{}{}", tenths / 10, UNITS[unit])
    }
}

/// Session time as seconds and milliseconds: `12.345s`.
#[must_use]
pub(super) fn seconds(t_us: u64) -> String {
    format!("{}.{:03}s", t_us / 1_000_000, t_us % 1_000_000 / 1000)
}

/// Converts a document position to `usize`, saturating (documents may count `u64` rows).
pub(super) fn to_usize(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_fit_five_characters() {
        let cases = [
            (0, "0B"),
            (1023, "1023B"),
            (1024, "1.0K"),
            (1536, "1.5K"),
            (10 * 1024, "10K"),
            (1024 * 1024 - 1, "1023K"),
            (1 << 20, "1.0M"),
            (1 << 30, "1.0G"),
            (u64::MAX, "15E"),
        ];
        for (bytes, text) in cases {
            assert_eq!(short_size(bytes), text, "{bytes}");
        }
    }

    #[test]
    fn times_have_milliseconds() {
        assert_eq!(seconds(0), "0.000s");
        assert_eq!(seconds(512_345), "0.512s");
        assert_eq!(seconds(61_000_999), "61.000s");
    }

    #[test]
    fn window_counts_the_header_as_scrollable_lines() {
        // 100 lines under a 1-line header in 11 rows: 10 rows of document.
        assert_eq!(window(Scroll::Follow, 100, 1, 11), Window { top: 90, rows: 10 });
        assert_eq!(window(Scroll::At(0), 100, 1, 11), Window { top: 0, rows: 10 });
        assert_eq!(window(Scroll::At(500), 100, 1, 11), Window { top: 90, rows: 10 });
        // One page down from the end-of-list top the shell computes (len 101, height 11).
        let shell_top = Scroll::Follow.top(101, 11) - 10;
        assert_eq!(window(Scroll::At(shell_top), 100, 1, 11).top, 80);
        assert_eq!(window(Scroll::Follow, 3, 1, 11), Window { top: 0, rows: 10 });
        assert_eq!(window(Scroll::Follow, 3, 5, 0), Window { top: 3, rows: 0 });
    }
}
