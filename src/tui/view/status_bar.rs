//! The top line: mode, live/replay, the all-interfaces warning (for as long as such a listener
//! is open), the latest status message, then the sockets and traffic summary.

use crate::tui::app::{Level, Mode, Source};
use crate::tui::text::{peer_text_span, ui_span};
use crate::tui::{App, model, theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let mode = match app.mode() {
        Mode::Auto => " AUTO ",
        Mode::Manual => " MANUAL ",
    };
    let source = match app.source() {
        Source::Live => " live ",
        Source::Replay => " replay ",
    };
    // Most important first: what is cut off on a narrow terminal is the traffic summary.
    let mut spans = vec![Span::styled(mode, theme::mode_badge()), Span::raw(source)];
    for (conn, addr) in app.exposed_listeners() {
        spans.push(Span::styled(format!(" warning: {conn} on all interfaces ("), theme::warning()));
        spans.push(peer_text_span(&addr.to_string(), theme::warning()));
        spans.push(Span::styled(") ", theme::warning()));
        spans.push(Span::raw(" "));
    }
    if let Some(status) = app.status() {
        let style = match status.level {
            Level::Info => theme::status_bar(),
            Level::Error => theme::error(),
        };
        spans.push(ui_span(&format!(" {} ", status.text), style));
    }
    spans.push(ui_span(&format!(" │ {}", model::totals_text(app.session())), theme::status_bar()));
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::status_bar()), area);
}
