//! The lesson beside the panels in a demo: the scenario's text from `assets/lessons/`, wrapped
//! to the area, with its title in the border and the "Look at:" and "Press:" headings bold.
//! The note of the step that ran last, if it had one, comes first ("Now: ...").

use crate::tui::app::Lesson;
use crate::tui::text::ui_span;
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn render(frame: &mut Frame, area: Rect, lesson: &Lesson) {
    let mut lines = lesson.text.lines();
    let title = lines.next().unwrap_or_default().trim_start_matches('#').trim();
    let (title, heading) = fit_title(title, usize::from(area.width).saturating_sub(4));
    let block = Block::bordered()
        .title(Line::from(ui_span(&format!(" {title} "), Style::new())))
        .title_bottom(" L hides · J/K scroll ")
        .border_style(theme::overlay_border());
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let heading = heading.map(|heading| [Line::from(ui_span(heading, bold)), Line::default()]);
    let note = lesson.note.as_deref().map(|note| {
        let now = Line::from(vec![ui_span("Now: ", bold), ui_span(note, theme::key())]);
        [now, Line::default()]
    });
    let body: Vec<Line<'static>> = heading
        .into_iter()
        .flatten()
        .chain(note.into_iter().flatten())
        .chain(lines.skip_while(|line| line.trim().is_empty()).map(styled))
        .collect();
    let inner = block.inner(area);
    // The last page stops near the end, so J never scrolls the text away. Word wrapping can
    // take a row or two more than this estimate; the bottom title shows it is not the end.
    let width = usize::from(inner.width.max(1));
    let total: usize = body.iter().map(|line| line.width().div_ceil(width).max(1)).sum();
    let paragraph = Paragraph::new(body).wrap(Wrap { trim: false });
    let top = lesson.scroll.min(total.saturating_sub(usize::from(inner.height)));
    let top = u16::try_from(top).unwrap_or(u16::MAX);
    frame.render_widget(paragraph.block(block).scroll((top, 0)), area);
}

/// The border's title and, when the whole title does not fit in `room` cells, the part after
/// the scenario's name (`echo: a server socket ...`) as a heading above the text: a title cut
/// in the middle of a word reads as a mistake.
fn fit_title(title: &str, room: usize) -> (&str, Option<&str>) {
    if title.chars().count() <= room {
        return (title, None);
    }
    match title.split_once(": ") {
        Some((name, rest)) => (name, Some(rest)),
        None => (title, None),
    }
}

fn styled(line: &str) -> Line<'static> {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    if line.ends_with(':') && !line.starts_with('-') {
        return Line::from(ui_span(line, bold));
    }
    match line.strip_prefix("- ") {
        Some(item) => Line::from(vec![ui_span("• ", theme::key()), ui_span(item, Style::new())]),
        None => Line::from(ui_span(line, Style::new())),
    }
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
}
