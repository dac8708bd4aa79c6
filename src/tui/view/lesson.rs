//! The lesson beside the panels in a demo: the scenario's text (in the session's language),
//! wrapped to the area by display width, with its title in the border and the "Look at:" and
//! "Press:" headings bold. The note of the step that ran last, if it had one, comes first
//! ("Now: ...").

use crate::inspect::prose;
use crate::tui::app::Lesson;
use crate::tui::render_context::RenderContext;
use crate::tui::text::ui_span;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// The colon that ends a heading in Chinese text (`請看：`).
const FULL_WIDTH_COLON: char = '\u{ff1a}';

pub fn render(frame: &mut Frame, area: Rect, lesson: &Lesson, cx: &RenderContext) {
    let mut lines = lesson.text.lines();
    let title = lines.next().unwrap_or_default().trim_start_matches('#').trim();
    let (title, heading) = fit_title(title, usize::from(area.width).saturating_sub(4));
    let block = Block::bordered()
        .title(Line::from(ui_span(cx.glyphs, &format!(" {title} "), Style::new())))
        .title_bottom(" L hides · J/K scroll ")
        .border_style(cx.theme.overlay_border());
    let inner = block.inner(area);
    let width = usize::from(inner.width.max(1));
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut body: Vec<Line<'static>> = Vec::new();
    if let Some(heading) = heading {
        body.extend(wrapped(heading, bold, width, false, cx));
        body.push(Line::default());
    }
    if let Some(note) = lesson.note.as_deref() {
        body.extend(wrapped(&format!("Now: {note}"), cx.theme.key(), width, false, cx));
        body.push(Line::default());
    }
    for line in lines.skip_while(|line| line.trim().is_empty()) {
        body.extend(styled(line, width, cx));
    }
    // Every row is laid out here, by display width, so the count is exact: the last page
    // stops at the end, and J never scrolls the text away.
    let top = lesson.scroll.min(body.len().saturating_sub(usize::from(inner.height)));
    let top = u16::try_from(top).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(body).block(block).scroll((top, 0)), area);
}

/// The border's title and, when the whole title does not fit in `room` cells, the part after
/// the scenario's name (`echo: a server socket ...`) as a heading above the text: a title cut
/// in the middle of a word reads as a mistake.
fn fit_title(title: &str, room: usize) -> (&str, Option<&str>) {
    if prose::width(title) <= room {
        return (title, None);
    }
    match title.split_once(": ") {
        Some((name, rest)) => (name, Some(rest)),
        None => (title, None),
    }
}

/// The rows of one line of the lesson in `width` cells: a heading (ending with a colon, in
/// either script) bold, a list item with a bullet and a hanging indent, a paragraph plain.
fn styled(line: &str, width: usize, cx: &RenderContext) -> Vec<Line<'static>> {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    if line.ends_with([':', FULL_WIDTH_COLON]) && !line.starts_with('-') {
        return wrapped(line, bold, width, false, cx);
    }
    match line.strip_prefix("- ") {
        Some(item) => wrapped(item, Style::new(), width, true, cx),
        None => wrapped(line, Style::new(), width, false, cx),
    }
}

/// `text`, made safe for the terminal and then wrapped by display width (so an escape is
/// measured as drawn); a list item's first row starts with the bullet, the others under it.
fn wrapped(
    text: &str,
    style: Style,
    width: usize,
    item: bool,
    cx: &RenderContext,
) -> Vec<Line<'static>> {
    if text.trim().is_empty() {
        return vec![Line::default()];
    }
    let safe = ui_span(cx.glyphs, text, style);
    let indent = if item { "  " } else { "" };
    let rows = prose::wrap(&safe.content, width, indent, indent);
    rows.into_iter()
        .enumerate()
        .map(|(n, row)| match row.strip_prefix(indent) {
            Some(rest) if item && n == 0 => Line::from(vec![
                ui_span(cx.glyphs, "• ", cx.theme.key()),
                Span::styled(rest.to_string(), style),
            ]),
            _ => Line::from(Span::styled(row, style)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fit_title;

    #[test]
    fn a_title_too_long_for_the_border_keeps_the_name_there_and_the_rest_as_a_heading() {
        let title = "dead-peer: a peer that stops answering without closing";
        assert_eq!(fit_title(title, 60), (title, None));
        assert_eq!(
            fit_title(title, 40),
            ("dead-peer", Some("a peer that stops answering without closing"))
        );
        assert_eq!(fit_title("no colon but long", 5), ("no colon but long", None));
    }

    /// Measured in cells: 31 characters, but 46 cells, do not fit in 36.
    #[test]
    fn a_chinese_title_is_measured_by_display_width() {
        let title = "eof-and-shutdown: 從兩端看一個連線如何結束";
        assert_eq!(fit_title(title, 36), ("eof-and-shutdown", Some("從兩端看一個連線如何結束")));
        assert_eq!(fit_title(title, 46), (title, None));
    }
}
