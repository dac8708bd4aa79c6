//! The scenario picker: one line per scenario (name and summary, cut to the box), the
//! highlighted one's whole summary below, and what starting it will close.
//!
//! The highlighted line is reversed *and* starts with `>`, and the running scenario says
//! `(running)`: neither rests on colour alone, and both survive a plain-text screen capture.

use super::centered;
use crate::inspect::prose;
use crate::tui::App;
use crate::tui::render_context::RenderContext;
use crate::tui::text::fit;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Wrap};

/// Rows under the list for the highlighted scenario's whole summary.
const DETAIL_ROWS: u16 = 3;
/// Widest the box gets: summaries are about 100 characters.
const MAX_WIDTH: u16 = 120;

/// Draws the picker with `at` highlighted.
pub fn render(frame: &mut Frame, area: Rect, app: &App, at: usize, cx: &RenderContext) {
    let entries = app.scenarios();
    let list_rows = u16::try_from(entries.len()).unwrap_or(u16::MAX);
    // Borders, the list, a blank line, the detail, the line saying what starting closes.
    let height = list_rows.saturating_add(DETAIL_ROWS + 4);
    let box_area = centered(area, MAX_WIDTH.min(area.width.saturating_sub(4)), height);
    let block = Block::bordered()
        .title(" Demo scenarios ")
        .title_bottom(Line::from(" Enter starts  Esc closes ").right_aligned())
        .border_style(cx.theme.overlay_border())
        .padding(Padding::horizontal(1));
    let inner = block.inner(box_area);
    frame.render_widget(Clear, box_area);
    frame.render_widget(block, box_area);
    let [list, _, detail, consequence] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(DETAIL_ROWS),
        Constraint::Length(1),
    ])
    .areas(inner);
    let name_width = entries.iter().map(|entry| entry.name.len()).max().unwrap_or(0);
    let rows = usize::from(list.height);
    // Keep the highlighted line in view when the box is shorter than the list.
    let top = (at + 1).saturating_sub(rows);
    let lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .skip(top)
        .take(rows)
        .map(|(index, entry)| {
            let running = app.running_scenario() == Some(&crate::demo::Pick::BuiltIn(entry.name));
            let pointer = if index == at { ">" } else { " " };
            let name = format!("{pointer} {:name_width$}  ", entry.name);
            let tag = if running { "(running) " } else { "" };
            let room = usize::from(list.width).saturating_sub(prose::width(&name) + tag.len());
            // Padded to the width, so the highlight is a whole bar.
            let summary = padded(&fit(entry.summary(), room, cx.glyphs), room);
            let style = if index == at {
                Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
            } else {
                Style::new()
            };
            Line::from(vec![Span::raw(name), Span::styled(tag, cx.theme.key()), Span::raw(summary)])
                .style(style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
    if let Some(entry) = entries.get(at) {
        let text = Line::from(vec![
            Span::styled(format!("{}: ", entry.name), cx.theme.key()),
            Span::raw(entry.summary()),
        ]);
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), detail);
    }
    frame.render_widget(Paragraph::new(what_closes(app)).style(cx.theme.dim()), consequence);
}

/// What starting a scenario does to this session's sockets.
fn what_closes(app: &App) -> String {
    match (app.running_scenario(), app.open_sockets()) {
        (_, 0) => "Starting one opens its own sockets on loopback.".to_string(),
        (Some(_), _) => "Starting one closes the running scenario's sockets.".to_string(),
        (None, 1) => "Starting one closes this session's open socket (you will be asked).".into(),
        (None, open) => {
            format!("Starting one closes this session's {open} open sockets (you will be asked).")
        }
    }
}

/// `text` followed by spaces up to `width` cells (display width, not characters).
fn padded(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(prose::width(text));
    format!("{text}{}", " ".repeat(fill))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_with_an_ellipsis_and_padded_by_cells() {
        let cut = |text: &str, width| {
            padded(&fit(text, width, crate::tui::glyphs::Glyphs::Unicode), width)
        };
        assert_eq!(cut("short", 10), "short     ");
        assert_eq!(cut("exactly", 7), "exactly");
        assert_eq!(cut("a longer line", 8), "a longe…");
        assert_eq!(cut("anything", 0), "");
        assert_eq!(cut("一則訊息", 10), "一則訊息  ", "two cells a character");
        assert_eq!(cut("一則訊息分段", 8), "一則訊… ", "never half a character");
    }
}
