//! One panel drawn alone on a 100×14 test terminal, for tests that read what it shows and how
//! a piece of it is styled.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Style;
use sockscope::tui::glyphs::Glyphs;
use sockscope::tui::render_context::RenderContext;
use sockscope::tui::theme::Theme;
use sockscope::tui::{App, Panel, panels};

/// The panel's rows, and the style of the first cell of `needle` where it appears.
pub fn draw(app: &App, panel: Panel, glyphs: Glyphs, needle: &str) -> (String, Option<Style>) {
    let (width, height) = (100, 14);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let cx = RenderContext { glyphs, theme: Theme::default() };
    terminal
        .draw(|frame| panels::render(frame, Rect::new(0, 0, width, height), panel, app, &cx))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let rows: Vec<String> = (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol().to_string()).collect())
        .collect();
    let style = rows.iter().enumerate().find_map(|(y, row)| {
        let at = row.find(needle)?;
        let x = row[..at].chars().count();
        Some(buffer[(u16::try_from(x).ok()?, u16::try_from(y).ok()?)].style())
    });
    (rows.join("\n"), style)
}
