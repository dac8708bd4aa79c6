//! The bottom line: the keys that apply now (from the keymap table), or the command line
//! while one is being typed.

use super::overlays::render_editor;
use crate::inspect::prose;
use crate::tui::app::{Overlay, Source};
use crate::tui::render_context::RenderContext;
use crate::tui::{App, keymap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    if let Overlay::CommandLine { editor, .. } = app.overlay() {
        render_editor(frame, area, ":", editor, cx);
        return;
    }
    // Key names in the terminal's character set: `j/Down` where `↓` cannot be shown.
    let glyphs = cx.glyphs;
    // A replay has no sockets, and a traced program's are its own: keys that act on them
    // are not offered.
    let replay = app.source() != Source::Live;
    let keep = |action: keymap::Action| !(replay && action.live_only());
    let hints =
        app.keymap().hints_where(|context| app.context_active(context), keep).into_iter().map(
            |(keys, label)| (glyphs.text(&keys).into_owned(), glyphs.text(label).into_owned()),
        );
    frame.render_widget(Paragraph::new(Line::from(fitting_hints(hints, area.width, cx))), area);
}

/// As many whole hints as fit in `width` cells (measured by display width: a Chinese label
/// takes two cells a character): a hint is never cut in the middle of a word.
fn fitting_hints<K: Into<String>, L: std::fmt::Display>(
    hints: impl IntoIterator<Item = (K, L)>,
    width: u16,
    cx: &RenderContext,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (keys, label) in hints {
        let (keys, label) = (keys.into(), format!(" {label}  "));
        let need = prose::width(&keys) + prose::width(label.trim_end());
        if used + need > usize::from(width) {
            break;
        }
        used += prose::width(&keys) + prose::width(&label);
        spans.push(Span::styled(keys, cx.theme.key()));
        spans.push(Span::raw(label));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::fitting_hints;
    use crate::tui::render_context::RenderContext;

    #[test]
    fn only_whole_hints_are_shown() {
        let hints = || [("q", "quit"), ("?", "help"), ("Ctrl-C", "quit")];
        let text = |width| -> String {
            fitting_hints(hints(), width, &RenderContext::default())
                .iter()
                .map(|s| s.content.to_string())
                .collect()
        };
        assert_eq!(text(80).trim_end(), "q quit  ? help  Ctrl-C quit");
        assert_eq!(text(20).trim_end(), "q quit  ? help");
        assert_eq!(text(3), "");
    }

    #[test]
    fn wide_labels_are_measured_in_cells() {
        let hints = [("q", "離開"), ("?", "說明")];
        let shown: String = fitting_hints(hints, 10, &RenderContext::default())
            .iter()
            .map(|s| s.content.to_string())
            .collect();
        assert_eq!(shown.trim_end(), "q 離開", "the second hint needs 14 cells in all");
        let shown: String = fitting_hints(hints, 14, &RenderContext::default())
            .iter()
            .map(|s| s.content.to_string())
            .collect();
        assert_eq!(shown.trim_end(), "q 離開  ? 說明");
    }
}
