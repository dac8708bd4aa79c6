//! The top line: mode, live/replay, the warnings (for the whole run, and for as long as a
//! listener on all interfaces is open), the latest status message, then the sockets and
//! traffic summary.

use crate::event::Pace;
use crate::inspect::prose;
use crate::tui::app::{Level, Mode, Source};
use crate::tui::render_context::RenderContext;
use crate::tui::text::{fit, peer_text_span, ui_span};
use crate::tui::timeline::{Timeline, time_text};
use crate::tui::{App, model};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    let mode = match (app.source(), app.mode()) {
        (Source::Replay, _) => " REPLAY ",
        (Source::Live, Mode::Auto) => " AUTO ",
        (Source::Live, Mode::Manual) => " MANUAL ",
        (Source::Trace, _) => " TRACE ",
    };
    let source = match app.source() {
        Source::Live => " live ".to_string(),
        Source::Replay => app.timeline().map_or_else(|| " opening ".into(), timeline_text),
        Source::Trace => super::traced::source_text(app),
    };
    // Most important first: what is cut off on a narrow terminal is the traffic summary.
    let mut spans = vec![
        Span::styled(mode, cx.theme.mode_badge()),
        ui_span(cx.glyphs, &source, cx.theme.status_bar()),
    ];
    if let Some(path) = app.recording() {
        let name =
            path.file_name().map_or_else(|| path.to_string_lossy(), |name| name.to_string_lossy());
        spans.push(ui_span(cx.glyphs, " ● REC ", cx.theme.error()));
        spans.push(peer_text_span(cx.glyphs, &format!("{name} "), cx.theme.error()));
    }
    spans.extend(super::held::badge(app, cx));
    if let Some(pace) = pace_badge(app.pace()) {
        spans.push(Span::styled(pace, cx.theme.mode_badge()));
    }
    // For as long as it holds, not as a status message that expires.
    if app.lesson_over() {
        spans.push(Span::styled(LESSON_OVER, cx.theme.mode_badge()));
    }
    let status = app.status().map(|status| {
        let style = match status.level {
            Level::Info => cx.theme.status_bar(),
            Level::Error => cx.theme.error(),
        };
        ui_span(cx.glyphs, &format!(" {} ", status.text), style)
    });
    let warnings = warnings(app, cx);
    if !warnings.is_empty() {
        let room =
            usize::from(area.width).saturating_sub(prose::width(mode) + prose::width(&source));
        let status_width = status.as_ref().map_or(0, Span::width);
        // Warnings come first, but a status message (an error, say) keeps at least a quarter
        // of the line, so it never disappears behind a long warning.
        let budget = room.saturating_sub(status_width.min(room / 4)).saturating_sub(1);
        let text = fit(&format!(" {} ", warnings.join("  ")), budget, cx.glyphs);
        spans.extend([Span::styled(text, cx.theme.warning()), Span::raw(" ")]);
    }
    spans.extend(status);
    spans.push(ui_span(
        cx.glyphs,
        &format!(" │ {}", model::totals_text(app.session())),
        cx.theme.status_bar(),
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)).style(cx.theme.status_bar()), area);
}

/// What the status bar says once a lesson has run to its end.
pub const LESSON_OVER: &str = " lesson over: r runs it again ";

/// ` STEP: Space ` or ` SLOW 250 ms ` while the presenter holds the engine's rounds back.
fn pace_badge(pace: Pace) -> Option<String> {
    match pace {
        Pace::Free => None,
        Pace::Stepped => Some(" STEP: Space ".into()),
        Pace::Delay(delay) => Some(format!(" SLOW {} ms ", delay.as_millis())),
    }
}

/// ` ▶ 2× 12.345 s / 45.000 s  #123/5000 `: playing or paused, speed, time, event number.
fn timeline_text(timeline: &Timeline) -> String {
    let state = match (timeline.seeking, timeline.playing) {
        (true, _) => "seeking…",
        (false, true) => "▶",
        (false, false) if timeline.at_end() => "end",
        (false, false) => "‖ paused",
    };
    let end = timeline.end_us.map(|end| format!(" / {}", time_text(end))).unwrap_or_default();
    let total = timeline.total.map(|total| format!("/{total}")).unwrap_or_default();
    let (speed, t) = (timeline.speed, time_text(timeline.t_us));
    format!(" {state} {speed} {t}{end}  #{}{total} ", timeline.applied)
}

/// Every warning, escaped for the terminal, each starting with "warning:" (so the meaning does
/// not rest on the colour): the run's own, then each open listener on all interfaces that none
/// of those already names.
fn warnings(app: &App, cx: &RenderContext) -> Vec<String> {
    let own: Vec<String> = app
        .warnings()
        .iter()
        .map(|text| ui_span(cx.glyphs, text, cx.theme.warning()).content.into_owned())
        .collect();
    let listeners = app.exposed_listeners().into_iter().filter_map(|(conn, addr)| {
        let addr =
            peer_text_span(cx.glyphs, &addr.to_string(), cx.theme.warning()).content.into_owned();
        let named = own.iter().any(|warning| warning.contains(&format!("({addr})")));
        (!named).then(|| format!("{conn} on all interfaces ({addr})"))
    });
    // A damaged recording says so for as long as it is shown.
    let damage = app.timeline().and_then(|timeline| timeline.damage.clone());
    let damage =
        damage.map(|text| ui_span(cx.glyphs, &text, cx.theme.warning()).content.into_owned());
    let listeners: Vec<String> = listeners.collect();
    own.into_iter().chain(damage).chain(listeners).map(|text| format!("warning: {text}")).collect()
}
