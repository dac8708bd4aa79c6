//! The colour-off pass (`--color never`, `NO_COLOR`): applied to the finished frame, as the
//! high-contrast pass is, so no panel needs to know. Every foreground and background colour
//! becomes the terminal's default; a cell that stood out by its background (the cursor, a
//! selection, the status bar, a warning) is drawn reversed instead, so it still stands out; one
//! already reversed (the cursor inside a selection) is also underlined.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

pub fn apply(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if cell.bg != Color::Reset {
            // Already reversed (the cursor inside a selection): underlined too, to differ.
            if cell.modifier.contains(Modifier::REVERSED) {
                cell.modifier.insert(Modifier::UNDERLINED);
            }
            cell.modifier.insert(Modifier::REVERSED);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
        cell.underline_color = Color::Reset;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn colours_go_and_backgrounds_become_reverse() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 3, 1));
        buffer.set_string(0, 0, "a", Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD));
        buffer.set_string(1, 0, "b", Style::new().bg(Color::DarkGray));
        buffer.set_string(2, 0, "c", Style::new().bg(Color::Blue).add_modifier(Modifier::REVERSED));
        apply(&mut buffer);
        let [a, b, c] = [&buffer[(0, 0)], &buffer[(1, 0)], &buffer[(2, 0)]];
        for cell in [a, b, c] {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
        }
        assert!(a.modifier.contains(Modifier::BOLD), "emphasis stays");
        assert!(!a.modifier.contains(Modifier::REVERSED));
        assert!(b.modifier.contains(Modifier::REVERSED), "a selection stays visible");
        assert!(
            c.modifier.contains(Modifier::REVERSED | Modifier::UNDERLINED),
            "the cursor differs"
        );
    }
}
