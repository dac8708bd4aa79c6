//! The key overlay (F2): the last keys pressed and what each did, in a box above the footer's
//! right end, so an audience can follow what the presenter types.

use crate::tui::text::ui_span;
use crate::tui::{App, theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

/// Widest the box gets.
const WIDTH: u16 = 64;

/// Draws the overlay just above `footer`.
pub fn render(frame: &mut Frame, footer: Rect, app: &App) {
    let Some(log) = app.key_log() else { return };
    let height = u16::try_from(log.len().max(1) + 2).unwrap_or(u16::MAX).min(footer.y);
    let width = WIDTH.min(footer.width);
    if height < 3 || width < 10 {
        return;
    }
    let area = Rect::new(footer.right() - width, footer.y - height, width, height);
    let key_style = theme::key().add_modifier(Modifier::REVERSED);
    let lines: Vec<Line<'static>> = if log.is_empty() {
        vec![Line::from(ui_span("keys you press show here", theme::dim()))]
    } else {
        log.iter()
            .map(|note| {
                Line::from(vec![
                    ui_span(&format!(" {} ", note.key), key_style),
                    ui_span(&format!(" → {}", note.what), Style::new()),
                ])
            })
            .collect()
    };
    let block = Block::bordered().title(" keys (F2 hides) ").border_style(theme::overlay_border());
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
