//! What is drawn over the panels: the help (generated from the keymap), the prompts, the
//! confirmation, and the one-line editor they share with the command line.

use super::centered;
use crate::event::How;
use crate::tui::App;
use crate::tui::app::{Confirm, ConnectionsQuery, Overlay, Prompt, PromptKind};
use crate::tui::command::{DEFAULT_RECV, summary};
use crate::tui::glyphs::Glyphs;
use crate::tui::keymap;
use crate::tui::lineedit::LineEditor;
use crate::tui::payload::TEXT_ESCAPES;
use crate::tui::render_context::RenderContext;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub fn render(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    match app.overlay() {
        Overlay::None | Overlay::CommandLine { .. } => {}
        Overlay::Help { scroll } => render_help(frame, area, *scroll, app.keymap(), cx),
        Overlay::Prompt(prompt) => render_prompt(frame, area, prompt, cx),
        Overlay::ConnectionsPrompt { kind, editor } => {
            let (title, hint) = connections_prompt_text(*kind);
            render_prompt_box(frame, area, title, &hint, editor, cx);
        }
        Overlay::Confirm(confirm) => render_confirm(frame, area, confirm, app, cx),
        Overlay::CopyMenu => render_copy_menu(frame, area, app, cx),
        Overlay::ScenarioPicker { at } => super::picker::render(frame, area, app, *at, cx),
        Overlay::HeldList { at } => super::held::render(frame, area, app, *at, cx),
    }
}

/// Every binding, grouped by where it applies, then the `:` commands.
#[must_use]
pub fn help_lines(keymap: &keymap::Keymap, cx: &RenderContext) -> Vec<Line<'static>> {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let glyphs = cx.glyphs;
    let mut lines = Vec::new();
    let mut context = None;
    for group in keymap.groups() {
        if context != Some(group.context) {
            if context.is_some() {
                lines.push(Line::default());
            }
            lines.push(Line::styled(group.context.label().to_string(), bold));
            context = Some(group.context);
        }
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<14}", glyphs.text(&group.keys_label(", "))), cx.theme.key()),
            Span::raw(glyphs.text(group.description)),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::styled("commands (type : first)", bold));
    // The help box is 90 cells wide: its border and the indent leave 84.
    lines.extend(summary(84).into_iter().map(|line| Line::from(format!("  {line}"))));
    lines
}

/// The help box's title, with the keys that close and scroll it now: ` Keys (Esc closes, j/k
/// scroll) ` with the built-in keys.
fn help_title(keymap: &keymap::Keymap, cx: &RenderContext) -> String {
    let first_key = |action| {
        let group = keymap
            .groups()
            .into_iter()
            .find(|g| g.context == keymap::Context::Help && g.action == action);
        group.and_then(|g| g.keys.first().map(|key| cx.glyphs.text(&key.label()).into_owned()))
    };
    let close = first_key(keymap::Action::Cancel).unwrap_or_default();
    match (first_key(keymap::Action::ScrollDown), first_key(keymap::Action::ScrollUp)) {
        (Some(down), Some(up)) => format!(" Keys ({close} closes, {down}/{up} scroll) "),
        _ => format!(" Keys ({close} closes) "),
    }
}

/// The help box for a screen of `area`.
fn help_area(area: Rect) -> Rect {
    centered(area, 90, area.height.saturating_sub(2))
}

/// The largest useful help scroll on a terminal `height` rows high: the last page.
#[must_use]
pub fn help_last_top(height: u16, keymap: &keymap::Keymap, cx: &RenderContext) -> usize {
    let rows = help_area(Rect::new(0, 0, 90, height)).height.saturating_sub(2);
    help_lines(keymap, cx).len().saturating_sub(usize::from(rows))
}

fn render_help(
    frame: &mut Frame,
    area: Rect,
    scroll: usize,
    keymap: &keymap::Keymap,
    cx: &RenderContext,
) {
    let box_area = help_area(area);
    let lines = help_lines(keymap, cx);
    let top = scroll.min(help_last_top(area.height, keymap, cx));
    let block =
        Block::bordered().title(help_title(keymap, cx)).border_style(cx.theme.overlay_border());
    let visible: Vec<Line<'static>> = lines.into_iter().skip(top).collect();
    frame.render_widget(Clear, box_area);
    frame.render_widget(Paragraph::new(visible).block(block), box_area);
}

fn render_prompt(frame: &mut Frame, area: Rect, prompt: &Prompt, cx: &RenderContext) {
    let conn = prompt.conn;
    let (title, hint) = match prompt.kind {
        PromptKind::SendText => (
            format!(" Send text to {conn} "),
            format!("escapes: {TEXT_ESCAPES}   Enter sends, Esc cancels"),
        ),
        PromptKind::SendHex => (
            format!(" Send hex bytes to {conn} "),
            "e.g. 00 05 68 65 or 00056865   Enter sends, Esc cancels".to_string(),
        ),
        PromptKind::Recv => (
            format!(" recv() on {conn}: at most how many bytes? "),
            format!("empty means {DEFAULT_RECV}   Enter calls recv once, Esc cancels"),
        ),
        PromptKind::Destination => (
            format!(" Send the datagram from {conn} to which address? "),
            "udp:HOST:PORT, HOST:PORT, [V6]:PORT or unixgram:PATH   remembered for the next \
             send   Enter sends, Esc cancels"
                .to_string(),
        ),
        PromptKind::GoTo => (
            format!(" Go to an offset in {conn} "),
            "0x1f0 or 496, +16/-16 from the cursor, ^ first kept, $ last".to_string(),
        ),
        PromptKind::EditHeld { id, hex } => (
            format!(" Edit {id} of {conn}, then forward it "),
            if hex {
                "hex bytes   Enter forwards the edit, Esc keeps the message held".to_string()
            } else {
                format!("escapes: {TEXT_ESCAPES}   Enter forwards the edit, Esc keeps it held")
            },
        ),
        PromptKind::SearchForward | PromptKind::SearchBackward => {
            let way = if prompt.kind == PromptKind::SearchForward { "forward" } else { "backward" };
            (
                format!(" Search {conn} {way} from the cursor "),
                format!("text ({TEXT_ESCAPES}), hex:00 0a or re:REGEX   ] next, [ previous"),
            )
        }
    };
    render_prompt_box(frame, area, title, &hint, &prompt.editor, cx);
}

/// The title and hint of the Connections panel's prompts.
fn connections_prompt_text(kind: ConnectionsQuery) -> (String, String) {
    match kind {
        ConnectionsQuery::Filter => (
            " Filter connections (empty clears) ".to_string(),
            "all must hold: words in address or role, state:open,closed,.., -word".to_string(),
        ),
        ConnectionsQuery::Jump => (
            " Go to a connection ".to_string(),
            "#123 or 123: that id; other text: the first address holding it (:9000)".to_string(),
        ),
    }
}

/// A centred box: `title`, a line editor, and a dim `hint` under it.
fn render_prompt_box(
    frame: &mut Frame,
    area: Rect,
    title: String,
    hint: &str,
    editor: &LineEditor,
    cx: &RenderContext,
) {
    let box_area = centered(area, 72, 4);
    let block = Block::bordered().title(title).border_style(cx.theme.overlay_border());
    let inner = block.inner(box_area);
    frame.render_widget(Clear, box_area);
    frame.render_widget(block, box_area);
    if inner.height == 0 {
        return;
    }
    render_editor(frame, Rect { height: 1, ..inner }, "> ", editor, cx);
    if inner.height > 1 {
        let hint_area = Rect { y: inner.y + 1, height: 1, ..inner };
        frame.render_widget(Paragraph::new(hint.to_string()).style(cx.theme.dim()), hint_area);
    }
}

fn render_confirm(frame: &mut Frame, area: Rect, confirm: &Confirm, app: &App, cx: &RenderContext) {
    let (height, title, question, yes, no) = match confirm {
        Confirm::Reset(conn) => (
            5,
            format!(" Reset {conn}? "),
            "Close with linger 0: the peer sees RST, unsent bytes are lost.".to_string(),
            " reset   ",
            " keep the connection",
        ),
        Confirm::Shutdown(conn, how) => (
            5,
            format!(" shutdown({}) on {conn}? ", how.name()),
            match how {
                How::Write => "Send FIN: the peer reads EOF; we can still receive.",
                How::Read => "We stop reading; the peer is not told.",
                How::Both => "Send FIN and stop reading; close is still to come.",
            }
            .to_string(),
            " shut it down   ",
            " keep it open",
        ),
        Confirm::StartScenario(pick) => (
            6,
            format!(" Start the {} scenario? ", crate::tui::payload::shown(&pick.label())),
            format!(
                "This session's {} open sockets close (peers see them go), and the scenario \
                 starts on its own loopback sockets.",
                app.open_sockets()
            ),
            " start it   ",
            " stay in this session",
        ),
    };
    let box_area = centered(area, 64, height);
    let block = Block::bordered().title(title).border_style(cx.theme.overlay_border());
    let text = vec![
        Line::from(question),
        Line::from(vec![
            Span::styled("y", cx.theme.key()),
            Span::raw(yes),
            Span::styled("n", cx.theme.key()),
            Span::raw(no),
        ]),
    ];
    frame.render_widget(Clear, box_area);
    frame.render_widget(Paragraph::new(text).block(block).wrap(Wrap { trim: true }), box_area);
}

/// `y`: the formats, each with its key (from the keymap), and how to write a file instead.
fn render_copy_menu(frame: &mut Frame, area: Rect, app: &App, cx: &RenderContext) {
    let selected = app.cursor().map_or(0, |cursor| {
        let range = cursor.selection();
        range.end - range.start
    });
    let mut text: Vec<Line<'static>> = app
        .keymap()
        .groups()
        .into_iter()
        .filter(|group| group.context == keymap::Context::CopyMenu)
        .map(|group| {
            Line::from(vec![
                Span::styled(format!("  {:<5}", group.keys_label(", ")), cx.theme.key()),
                Span::raw(group.description),
            ])
        })
        .collect();
    text.push(Line::styled("  :copy FORMAT FILE writes a new file instead", cx.theme.dim()));
    let box_area = centered(area, 60, u16::try_from(text.len() + 2).unwrap_or(u16::MAX));
    let title = format!(" Copy {selected} selected bytes ");
    let block = Block::bordered().title(title).border_style(cx.theme.overlay_border());
    frame.render_widget(Clear, box_area);
    frame.render_widget(Paragraph::new(text).block(block), box_area);
}

/// One line of `prefix` plus the editor's text, scrolled so the cursor stays visible, with
/// the terminal cursor placed on it.
pub fn render_editor(
    frame: &mut Frame,
    area: Rect,
    prefix: &str,
    editor: &LineEditor,
    cx: &RenderContext,
) {
    if area.is_empty() {
        return;
    }
    let glyphs = cx.glyphs;
    let (text, before) =
        (shown_typed(editor.text(), glyphs), shown_typed(editor.before_cursor(), glyphs));
    let available = usize::from(area.width).saturating_sub(Span::raw(prefix).width() + 1);
    // Drop characters from the left until the text before the cursor fits.
    let mut start = 0;
    while Span::raw(&before[start..]).width() > available {
        start += before[start..].chars().next().map_or(1, char::len_utf8);
    }
    let visible = &text[start..];
    let line = Line::from(vec![
        Span::styled(prefix.to_string(), cx.theme.key()),
        Span::raw(visible.to_string()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    let cursor_x = Span::raw(prefix).width() + Span::raw(&before[start..]).width();
    let x = area.x.saturating_add(u16::try_from(cursor_x).unwrap_or(u16::MAX));
    frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
}

/// Typed text as the terminal can show it: as typed, or on an ASCII terminal with `?` for
/// each other character (one cell each, so the cursor stays on the character it is at; the
/// text itself is sent as typed).
fn shown_typed(typed: &str, glyphs: Glyphs) -> std::borrow::Cow<'_, str> {
    match glyphs {
        Glyphs::Ascii if !typed.is_ascii() => {
            typed.chars().map(|c| if c.is_ascii() { c } else { '?' }).collect()
        }
        _ => typed.into(),
    }
}
