//! Drawing one frame from an [`App`]: status bar, the six panels, footer, overlays.
//!
//! Drawing only reads the state; any size, 0×0 included, draws something sensible: below
//! [`layout::MIN_WIDTH`] × [`layout::MIN_HEIGHT`] a notice says how much room is needed.
//! The terminal's character set ([`Glyphs`]) is chosen once at start and passed in.

mod colourless;
mod contrast;
mod footer;
mod held;
mod key_log;
mod lesson;
mod overlays;
mod picker;

pub(crate) use overlays::help_last_top;
mod status_bar;
mod traced;

pub use traced::blocked_text;

use crate::tui::App;
use crate::tui::glyphs::{self, Glyphs};
use crate::tui::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use crate::tui::look::Look;
use crate::tui::panels::{self, Panel};
use crate::tui::render_context::RenderContext;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// Draws the whole UI for `app` into `frame`, for a UTF-8 terminal.
pub fn draw(frame: &mut Frame, app: &App) {
    draw_with(frame, app, Glyphs::Unicode);
}

/// Draws the whole UI for `app` into `frame` in the character set `glyphs`: on an ASCII
/// terminal, every cell of the finished frame is ASCII.
pub fn draw_with(frame: &mut Frame, app: &App, glyphs: Glyphs) {
    draw_looking(frame, app, glyphs, &Look::default());
}

/// [`draw_with`], looking as `look` says: in its theme, and without colour, the finished frame
/// loses every colour in a last pass.
pub fn draw_looking(frame: &mut Frame, app: &App, glyphs: Glyphs, look: &Look) {
    let cx = RenderContext { glyphs, theme: look.theme };
    draw_frame(frame, app, &cx);
    if glyphs == Glyphs::Ascii {
        glyphs::to_ascii_cells(frame.buffer_mut());
    }
    if !look.colour {
        colourless::apply(frame.buffer_mut());
    }
}

fn draw_frame(frame: &mut Frame, app: &App, cx: &RenderContext) {
    let area = frame.area();
    let Some(areas) = layout::areas(area, app.arrangement()) else {
        draw_too_small(frame, area);
        return;
    };
    status_bar::render(frame, areas.status, app, cx);
    if app.follow_view().is_some() {
        // The follow view takes the panels' place (and the lesson's and key overlay's).
        panels::follow::render(frame, area, app, cx);
        footer::render(frame, areas.footer, app, cx);
        overlays::render(frame, area, app, cx);
        if app.high_contrast() {
            contrast::apply(frame.buffer_mut());
        }
        return;
    }
    // The presentation layout leaves some panels out: they have no area.
    for panel in Panel::ALL.into_iter().filter(|panel| !areas.panel(*panel).is_empty()) {
        panels::render(frame, areas.panel(panel), panel, app, cx);
    }
    if let (Some(lesson_area), Some(lesson)) = (areas.lesson, app.lesson()) {
        lesson::render(frame, lesson_area, lesson, cx);
    }
    footer::render(frame, areas.footer, app, cx);
    if let Some(key_log_area) = areas.key_log {
        key_log::render(frame, key_log_area, app, cx);
    }
    overlays::render(frame, area, app, cx);
    if app.high_contrast() {
        contrast::apply(frame.buffer_mut());
    }
}

/// The notice shown instead of the panels when the terminal is too small.
fn draw_too_small(frame: &mut Frame, area: Rect) {
    if area.is_empty() {
        return;
    }
    let lines = vec![
        Line::from("terminal too small"),
        Line::from(format!("(need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{})", area.width, area.height)),
    ];
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX).min(area.height);
    let top = area.y + (area.height - height) / 2;
    let notice = Rect::new(area.x, top, area.width, area.height - (top - area.y));
    frame.render_widget(Paragraph::new(lines).centered().wrap(Wrap { trim: true }), notice);
}

/// A `width` × `height` rectangle centred in `area`, shrunk to fit it.
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(area.x + (area.width - width) / 2, area.y + (area.height - height) / 2, width, height)
}
