//! The Data cursor and selection, go to, search, copy, and picking a message, driven by keys on
//! ratatui's `TestBackend` over hand-made events.

use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use sockscope::event::{Address, ConnId, Dir, Event, EventKind as K};
use sockscope::session::{Session, SessionConfig};
use sockscope::tui::render_context::RenderContext;
use sockscope::tui::{Action, App, Effect, Mode, Msg, Overlay, Panel, PromptKind, Source, panels};

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

/// Three `len:u16be` messages, the start of a fourth, then a run of filler.
fn wire() -> Vec<u8> {
    let mut wire = Vec::new();
    for body in [&b"hello 123"[..], &[0xde, 0xad, 0xbe, 0xef], b"hello 456"] {
        wire.extend_from_slice(&u16::try_from(body.len()).expect("short").to_be_bytes());
        wire.extend_from_slice(body);
    }
    wire.extend_from_slice(&[0, 40, b'n', b'e']);
    wire.extend(std::iter::repeat_n(b'.', 2000));
    wire
}

/// Connection #2 received [`wire`] in one chunk and sent "ok"; terminal 100×30.
fn app() -> App {
    let config =
        SessionConfig { framing: "len:u16be".parse().expect("spec"), ..SessionConfig::default() };
    let mut app = App::new(Session::new(config), Mode::Auto, Source::Live);
    let data = wire();
    let kinds = vec![
        K::Listen { conn: ConnId(1), local: ip("127.0.0.1:7000") },
        K::Accept {
            conn: ConnId(2),
            listener: ConnId(1),
            local: ip("127.0.0.1:7000"),
            peer: ip("127.0.0.1:43000"),
        },
        K::Recv { conn: ConnId(2), max: 65536, len: data.len(), data: Bytes::from(data) },
        K::Send { conn: ConnId(2), requested: 2, len: 2, data: Bytes::from_static(b"ok") },
    ];
    let mut batch = vec![Event::session_start()];
    batch.extend(kinds.into_iter().zip(1..).map(|(kind, t)| Event { kind, t_us: t * 1000 }));
    app.update(Msg::Engine(batch));
    app.update(Msg::Resize { width: 100, height: 30 });
    app.execute(sockscope::tui::command::UiCommand::Select(ConnId(2)));
    app
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn type_line(app: &mut App, text: &str) -> Vec<Effect> {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
    press(app, KeyCode::Enter)
}

fn focus(app: &mut App, panel: Panel) {
    while app.focus() != panel {
        app.perform(Action::FocusNextPanel);
    }
}

fn status(app: &App) -> String {
    app.status().map(|status| status.text.clone()).unwrap_or_default()
}

fn draw(app: &App, panel: Panel) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(100, 20)).expect("terminal");
    terminal
        .draw(|frame| {
            panels::render(frame, Rect::new(0, 0, 100, 20), panel, app, &RenderContext::default());
        })
        .expect("draw");
    terminal.backend().clone()
}

fn text(backend: &TestBackend) -> String {
    let buffer = backend.buffer();
    (0..buffer.area.height)
        .map(|y| (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The selection as (offset, length).
fn selection(app: &App) -> (u64, u64) {
    let cursor = app.cursor().expect("a cursor");
    let range = cursor.selection();
    (range.start, range.end - range.start)
}

#[test]
fn arrows_move_a_cursor_that_starts_at_the_top_of_the_page() {
    let mut app = app();
    focus(&mut app, Panel::Data);
    app.perform(Action::ToggleDataView); // hex: 16 bytes a row at this width
    assert!(app.cursor().is_none());
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Right);
    let cursor = app.cursor().expect("the first arrow shows a cursor");
    assert_eq!((cursor.dir, cursor.offset), (Dir::In, 0), "where the page starts");
    press(&mut app, KeyCode::Right);
    assert_eq!(app.cursor().map(|c| c.offset), Some(1));
    press(&mut app, KeyCode::Down);
    let row = app.cursor().map_or(0, |c| c.offset) - 1;
    assert!(row >= 4 && row.is_power_of_two(), "↓ moves one hex row: {row} bytes");
    press(&mut app, KeyCode::Up);
    assert_eq!(app.cursor().map(|c| c.offset), Some(1));
    for _ in 0..40 {
        press(&mut app, KeyCode::Left);
    }
    assert_eq!(app.cursor().map(|c| c.offset), Some(0), "stops at the first byte");
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.cursor().map(|c| c.dir), Some(Dir::Out), "o moves to the other direction");
    press(&mut app, KeyCode::Esc);
    assert!(app.cursor().is_none(), "Esc drops the cursor");
    // j still selects connections while the Data panel has the focus.
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.selected(), Some(ConnId(1)));
}

#[test]
fn the_cursor_byte_is_reversed_and_a_selection_narrows_the_inspector() {
    let mut app = app();
    focus(&mut app, Panel::Data);
    app.perform(Action::ToggleDataView);
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Right); // the cursor appears at 0
    press(&mut app, KeyCode::Right); // offset 1
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Right);
    assert_eq!(selection(&app), (1, 2));
    let data = draw(&app, Panel::Data);
    let shown = text(&data);
    assert!(shown.contains("cursor 0x2, 2 B selected"), "{shown}");
    // The first row: `<0000 00 09 68 ...`: the cursor (offset 2, `68`) is reversed.
    let buffer = data.buffer();
    let line_at = |y: u16| (0..45).map(|x| buffer[(x, y)].symbol()).collect::<String>();
    let row = (0..20).find(|&y| line_at(y).contains("<0000")).expect("the first row is drawn");
    let cell = |x: u16| &buffer[(x, row)];
    let line = line_at(row);
    let byte_index = line.find("68").expect("the byte 68 on the first row");
    let at = u16::try_from(line[..byte_index].chars().count()).expect("x");
    assert!(cell(at).modifier.contains(Modifier::REVERSED), "{line}");
    assert!(!cell(at - 3).modifier.contains(Modifier::REVERSED), "{line}");
    let inspector = text(&draw(&app, Panel::Inspector));
    assert!(inspector.contains("in #2 @ 0x1 +2 B: 09 68"), "{inspector}");
    assert!(inspector.contains("u16") && !inspector.contains("u32"), "{inspector}");
    assert!(inspector.contains("port 2408"), "0x0968 = 2408: {inspector}");
    press(&mut app, KeyCode::Char('v'));
    assert!(!app.cursor().expect("cursor").has_selection(), "v again drops the selection");
}

#[test]
fn go_to_accepts_absolute_relative_and_end_offsets() {
    let mut app = app();
    focus(&mut app, Panel::Data);
    press(&mut app, KeyCode::Char('g'));
    assert!(matches!(app.overlay(), Overlay::Prompt(p) if p.kind == PromptKind::GoTo));
    type_line(&mut app, "0x10");
    assert_eq!(app.cursor().map(|c| c.offset), Some(16));
    press(&mut app, KeyCode::Char('g'));
    type_line(&mut app, "+4");
    assert_eq!(app.cursor().map(|c| c.offset), Some(20));
    press(&mut app, KeyCode::Char('g'));
    type_line(&mut app, "$");
    let last = wire().len() as u64 - 1;
    assert_eq!(app.cursor().map(|c| c.offset), Some(last));
    let data = text(&draw(&app, Panel::Data));
    assert!(data.contains(&format!("cursor {last:#x}")), "the page follows the cursor: {data}");
    press(&mut app, KeyCode::Char('g'));
    type_line(&mut app, "99999");
    assert!(status(&app).contains("past the end"), "{}", status(&app));
    press(&mut app, KeyCode::Char('g'));
    type_line(&mut app, "12zz");
    assert!(status(&app).contains("offset"), "{}", status(&app));
    assert_eq!(app.cursor().map(|c| c.offset), Some(last), "bad input moves nothing");
}

#[test]
fn search_finds_text_hex_and_regex_both_ways_and_wraps() {
    let mut app = app();
    focus(&mut app, Panel::Data);
    press(&mut app, KeyCode::Char('/'));
    type_line(&mut app, "hello");
    assert_eq!(selection(&app), (2, 5));
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(selection(&app), (19, 5));
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(selection(&app), (2, 5), "wraps to the start");
    assert!(status(&app).contains("wrapped"), "{}", status(&app));
    press(&mut app, KeyCode::Char('['));
    assert_eq!(selection(&app), (19, 5), "backward wraps to the end");
    press(&mut app, KeyCode::Char('/'));
    type_line(&mut app, "hex:de ad be ef");
    assert_eq!(selection(&app), (13, 4));
    press(&mut app, KeyCode::Char('\\'));
    type_line(&mut app, "re:[0-9]{3}");
    assert_eq!(selection(&app), (8, 3), "the nearest match before the cursor");
    press(&mut app, KeyCode::Char('/'));
    type_line(&mut app, "nowhere");
    assert!(status(&app).contains("not found"), "{}", status(&app));
    assert_eq!(selection(&app), (8, 3), "a failed search leaves the cursor");
    press(&mut app, KeyCode::Char('/'));
    type_line(&mut app, "re:(");
    assert!(status(&app).contains("regex"), "{}", status(&app));
}

#[test]
fn copy_fills_the_send_line_or_asks_for_a_file() {
    let mut app = app();
    focus(&mut app, Panel::Data);
    press(&mut app, KeyCode::Char('y'));
    assert!(status(&app).contains("select"), "nothing selected yet: {}", status(&app));
    press(&mut app, KeyCode::Char('/'));
    type_line(&mut app, "hex:de ad be ef");
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.overlay(), &Overlay::CopyMenu);
    press(&mut app, KeyCode::Char('h'));
    match app.overlay() {
        Overlay::Prompt(prompt) => {
            assert_eq!(prompt.kind, PromptKind::SendHex);
            assert_eq!(prompt.editor.text(), "de ad be ef");
        }
        other => panic!("expected the send-hex line, got {other:?}"),
    }
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Char('p'));
    match app.overlay() {
        Overlay::Prompt(prompt) => {
            assert_eq!(prompt.kind, PromptKind::SendText);
            assert_eq!(prompt.editor.text(), r"b'\\xde\\xad\\xbe\\xef'", "sends the literal");
        }
        other => panic!("expected the send line, got {other:?}"),
    }
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(':'));
    let effects = type_line(&mut app, "copy c /tmp/out file.h");
    let expected = Effect::WriteFile {
        path: "/tmp/out file.h".into(),
        contents: b"unsigned char data[4] = {0xde, 0xad, 0xbe, 0xef};".to_vec(),
    };
    assert_eq!(effects, vec![expected]);
    press(&mut app, KeyCode::Char(':'));
    let effects = type_line(&mut app, "copy rot13 x");
    assert!(effects.is_empty() && status(&app).contains("rot13"), "{}", status(&app));
}

#[test]
fn picking_a_message_selects_its_bytes() {
    let mut app = app();
    focus(&mut app, Panel::Messages);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.message_pick().map(|p| (p.dir, p.index)), Some((Dir::In, 0)));
    assert_eq!(selection(&app), (0, 11), "the prefix and the body of message 0");
    press(&mut app, KeyCode::Down);
    assert_eq!(selection(&app), (11, 6));
    let inspector = text(&draw(&app, Panel::Inspector));
    assert!(inspector.contains("in #2 @ 0xb +6 B: 00 04 de ad be ef"), "{inspector}");
    assert!(inspector.contains("message 1 (4 B body), header"), "{inspector}");
    let messages = draw(&app, Panel::Messages);
    let buffer = messages.buffer();
    let picked = (0..20)
        .find(|&y| (0..100).map(|x| buffer[(x, y)].symbol()).collect::<String>().contains("#1 "))
        .expect("message 1 is listed");
    let reversed = |y: u16| buffer[(5, y)].modifier.contains(Modifier::REVERSED);
    assert!(reversed(picked) && !reversed(picked + 1), "the picked line stands out");
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(
        app.message_pick().map(|p| (p.dir, p.index)),
        Some((Dir::In, 3)),
        "stops at the last message (the sent `ok` frames none)"
    );
    press(&mut app, KeyCode::Up);
    assert_eq!(app.message_pick().map(|p| p.index), Some(2));
}

#[test]
fn why_notes_explain_surprising_calls_when_asked() {
    let mut app = app();
    let calls = |app: &App| text(&draw(app, Panel::Calls));
    assert!(!calls(&app).contains('←'), "off outside demos: {}", calls(&app));
    press(&mut app, KeyCode::Char(':'));
    type_line(&mut app, "why on");
    assert!(app.why_notes());
    let shown = calls(&app);
    assert!(shown.contains("accepted by #1  ← a new socket for this client"), "{shown}");
}

/// Whether the whole screen shows a reversed cell (the cursor) inside the Data panel.
fn cursor_on_screen(app: &mut App) -> bool {
    let (width, height) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| sockscope::tui::view::draw(frame, app)).expect("draw");
    let buffer = terminal.backend().buffer();
    let lines: Vec<String> = (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect();
    let top = lines.iter().position(|line| line.contains("┌ Data")).expect("Data panel");
    let left = lines[top].chars().position(|c| c == '┌').expect("corner");
    let bottom = (top + 1..lines.len())
        .find(|&y| lines[y].chars().nth(left) == Some('└'))
        .unwrap_or(lines.len());
    let left = u16::try_from(left).expect("x");
    (top + 1..bottom).any(|y| {
        let y = u16::try_from(y).expect("y");
        (left + 1..width).any(|x| buffer[(x, y)].modifier.contains(Modifier::REVERSED))
    })
}

#[test]
fn toggling_text_and_hex_keeps_the_cursor_in_view() {
    let mut app = app();
    focus(&mut app, Panel::Data);
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('g'));
    type_line(&mut app, "1900");
    assert_eq!(app.cursor().map(|c| c.offset), Some(1900));
    assert!(cursor_on_screen(&mut app), "go to shows the byte");
    for _ in 0..2 {
        app.perform(Action::ToggleDataView);
        assert!(cursor_on_screen(&mut app), "{:?} view shows the cursor", app.data_view());
    }
}

#[test]
fn text_rows_move_the_cursor_by_laid_out_rows() {
    let mut app = app();
    focus(&mut app, Panel::Data);
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('g'));
    type_line(&mut app, "40");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    let below = app.cursor().map_or(0, |c| c.offset);
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Up);
    assert_eq!(app.cursor().map(|c| c.offset), Some(40), "↑ undoes ↓ in the same column");
    // Filler dots escape to one cell each: two rows down is two row widths on.
    let row = (below - 40) / 2;
    assert!(row > 20 && below - 40 == 2 * row, "rows of {row} bytes, moved to {below}");
    assert!(cursor_on_screen(&mut app));
}
