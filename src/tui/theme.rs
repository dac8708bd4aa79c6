//! Colours and emphasis in one place. Only the 16 basic colours, so the UI reads on any
//! terminal palette, light or dark; meaning never rests on colour alone (the focused panel's
//! title is also bold, warnings also say "warning").

use ratatui::style::{Color, Modifier, Style};

#[must_use]
pub fn border(focused: bool) -> Style {
    if focused { Style::new().fg(Color::Cyan) } else { Style::new().fg(Color::DarkGray) }
}

#[must_use]
pub fn title(focused: bool) -> Style {
    if focused { Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { Style::new() }
}

#[must_use]
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

#[must_use]
pub fn status_bar() -> Style {
    Style::new().bg(Color::Blue).fg(Color::White)
}

#[must_use]
pub fn mode_badge() -> Style {
    Style::new().bg(Color::White).fg(Color::Black).add_modifier(Modifier::BOLD)
}

#[must_use]
pub fn warning() -> Style {
    Style::new().bg(Color::Yellow).fg(Color::Black).add_modifier(Modifier::BOLD)
}

#[must_use]
pub fn error() -> Style {
    Style::new().bg(Color::Red).fg(Color::White).add_modifier(Modifier::BOLD)
}

#[must_use]
pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

#[must_use]
pub fn overlay_border() -> Style {
    Style::new().fg(Color::Yellow)
}
