//! The six panels, one file each. Each file offers the same two functions:
//!
//! - `render(frame, area, app, cx)`: draw the panel's content into `area`, the inside of the
//!   bordered block this module draws (title and focus highlight are done here), in the
//!   glyphs and theme of the [`RenderContext`] `cx`;
//! - `line_count(app, ...)`: how many lines the content has, so that `PgUp`/`Home` can clamp the
//!   panel's [`crate::tui::Scroll`] (use `app.scroll(Panel::X).top(len, area.height)` when
//!   drawing). The Data panel has none: its panes scroll by stream offsets
//!   ([`crate::tui::PaneTop`]), found from the position alone, never by counting lines.
//!
//! Panels read the model with `app.session()` and the UI state with the other `App` getters
//! (`focus`, `selected`, `data_view`, `scroll`, `mode`, `source`, `clock_us`, `is_paused`).
//! Peer bytes become text only through [`crate::tui::text`].
//!
//! Shared pieces live in [`kit`] (empty states, sizes, times, the scroll window) and
//! [`palette`] (the panels' colours).

pub mod calls;
pub mod connections;
pub mod data;
pub mod follow;
pub mod inspector;
mod kit;
pub mod messages;
mod palette;
pub mod readiness;
pub mod tls;

use crate::tui::App;
use crate::tui::render_context::RenderContext;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Block;

/// A panel of the main view; also what has the focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Panel {
    Connections,
    Readiness,
    Calls,
    Data,
    Messages,
    Inspector,
}

impl Panel {
    /// Focus order (Tab).
    pub const ALL: [Self; 6] = [
        Self::Connections,
        Self::Readiness,
        Self::Calls,
        Self::Data,
        Self::Messages,
        Self::Inspector,
    ];

    #[must_use]
    pub fn index(self) -> usize {
        match self {
            Self::Connections => 0,
            Self::Readiness => 1,
            Self::Calls => 2,
            Self::Data => 3,
            Self::Messages => 4,
            Self::Inspector => 5,
        }
    }

    #[must_use]
    pub fn next(self) -> Self {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    #[must_use]
    pub fn prev(self) -> Self {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }

    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Connections => "Connections",
            Self::Readiness => "Readiness",
            Self::Calls => "Calls",
            Self::Data => "Data",
            Self::Messages => "Messages",
            Self::Inspector => "Inspector",
        }
    }
}

/// Draws `panel` in `area`: the bordered block with its title, then the panel's content.
pub fn render(frame: &mut Frame, area: Rect, panel: Panel, app: &App, cx: &RenderContext) {
    let focused = app.focus() == panel;
    let title = match panel {
        Panel::Data => {
            let layer = tls::data_title_layer(app);
            format!(" {} ({}{layer}) ", panel.title(), app.data_view().label())
        }
        Panel::Connections => connections::title(app, area.width, cx),
        _ => format!(" {} ", panel.title()),
    };
    let block = Block::bordered()
        .title(title)
        .border_style(cx.theme.border(focused))
        .title_style(cx.theme.title(focused));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match panel {
        Panel::Connections => connections::render(frame, inner, app, cx),
        Panel::Readiness => readiness::render(frame, inner, app, cx),
        Panel::Calls => calls::render(frame, inner, app, cx),
        Panel::Data => data::render(frame, inner, app, cx),
        Panel::Messages => messages::render(frame, inner, app, cx),
        Panel::Inspector => inspector::render(frame, inner, app, cx),
    }
}

/// How many lines `panel`'s content has (for clamping its scroll); `None` for the Data panel,
/// whose panes scroll by stream offsets and are never counted in lines
/// ([`data::scroll_pages`]). Counted in the glyphs the UI is drawn in
/// ([`App::layout_context`]).
#[must_use]
pub fn line_count(panel: Panel, app: &App) -> Option<usize> {
    let cx = &app.layout_context();
    Some(match panel {
        Panel::Connections => connections::line_count(app),
        Panel::Readiness => readiness::line_count(app),
        Panel::Calls => calls::line_count(app, cx),
        Panel::Data => return None,
        Panel::Messages => messages::line_count(app, cx),
        Panel::Inspector => inspector::line_count(app, cx),
    })
}
