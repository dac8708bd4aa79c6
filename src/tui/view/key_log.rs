//! The key overlay (F2): the last keys pressed and what each did, in rows of its own at the
//! bottom of the left column (the layout gives it room, so it covers no panel), so an
//! audience can follow what the presenter types. A key pressed again for the same thing is
//! one line, counted: `Space ×4`.

use crate::tui::App;
use crate::tui::app::KeyNote;
use crate::tui::render_context::RenderContext;
use crate::tui::text::ui_span;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

/// Draws the overlay in `area`, the rows the layout keeps for it.
pub fn render(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    let Some(log) = app.key_log() else { return };
    if area.height < 3 || area.width < 10 {
        return;
    }
    let key_style = cx.theme.key().add_modifier(Modifier::REVERSED);
    let lines: Vec<Line<'static>> = if log.is_empty() {
        vec![Line::from(ui_span(cx.glyphs, "keys you press show here", cx.theme.dim()))]
    } else {
        log.iter()
            .map(|note| {
                Line::from(vec![
                    ui_span(cx.glyphs, &format!(" {} ", key_label(note)), key_style),
                    ui_span(cx.glyphs, &format!(" → {}", note.what), Style::new()),
                ])
            })
            .collect()
    };
    let block =
        Block::bordered().title(" keys (F2 hides) ").border_style(cx.theme.overlay_border());
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// `Space`, or `Space ×4` for a key pressed four times in a row for the same thing.
fn key_label(note: &KeyNote) -> String {
    if note.times > 1 { format!("{} ×{}", note.key, note.times) } else { note.key.clone() }
}
