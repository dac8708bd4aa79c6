//! The high-contrast theme (F3), for projectors that wash out dim colours: applied to the
//! finished frame, so every panel gets it without knowing about themes. Dim greys become
//! white, the dim modifier goes, and coloured text gets bold.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

pub fn apply(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if matches!(cell.fg, Color::DarkGray | Color::Gray) {
            cell.fg = Color::White;
        }
        if cell.bg == Color::DarkGray {
            cell.bg = Color::Black;
            cell.modifier.insert(Modifier::UNDERLINED);
        }
        cell.modifier.remove(Modifier::DIM);
        if !matches!(cell.fg, Color::Reset | Color::White) {
            cell.modifier.insert(Modifier::BOLD);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn greys_turn_white_and_colours_bold() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 3, 1));
        buffer.set_string(0, 0, "a", Style::new().fg(Color::DarkGray).add_modifier(Modifier::DIM));
        buffer.set_string(1, 0, "b", Style::new().fg(Color::Cyan));
        buffer.set_string(2, 0, "c", Style::new().bg(Color::DarkGray));
        apply(&mut buffer);
        let [a, b, c] = [&buffer[(0, 0)], &buffer[(1, 0)], &buffer[(2, 0)]];
        assert_eq!(a.fg, Color::White);
        assert!(!a.modifier.contains(Modifier::DIM));
        assert!(b.modifier.contains(Modifier::BOLD));
        assert_eq!(c.bg, Color::Black);
        assert!(c.modifier.contains(Modifier::UNDERLINED), "a selection stays visible");
    }
}
