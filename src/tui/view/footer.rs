//! The bottom line: the keys that apply now (from the keymap table), or the command line
//! while one is being typed.

use super::overlays::render_editor;
use crate::tui::app::Overlay;
use crate::tui::{App, keymap, theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    if let Overlay::CommandLine { editor, .. } = app.overlay() {
        render_editor(frame, area, ":", editor);
        return;
    }
    let mut spans = Vec::new();
    for (keys, label) in keymap::hints(|context| app.context_active(context)) {
        spans.push(Span::styled(keys, theme::key()));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
