//! Chinese text on a projector's 100×30, in the presentation layout (`F4`): the zh-TW lesson
//! and the zh-TW "why" notes are laid out by display width, two cells a character. No row runs
//! past its panel's border, no character is cut in half or lost, and a row ends only where the
//! next character would not fit.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use sockscope::demo;
use sockscope::event::why::Surprise;
use sockscope::event::{Address, ConnId, Event, EventKind as K, Op, Readiness};
use sockscope::inspect::prose;
use sockscope::locale::Lang;
use sockscope::session::Session;
use sockscope::tui::{App, Mode, Msg, Source, view};
use unicode_width::UnicodeWidthStr;

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

/// `partial-recv` at 100×30 in zh-TW, in the presentation layout: a server socket (#3) whose
/// recv filled its 5-byte buffer, then would block.
fn demo_in_chinese() -> App {
    let mut app = App::new(Session::default(), Mode::Auto, Source::Live);
    app.update(Msg::Resize { width: 100, height: 30 });
    let entry = demo::entry("partial-recv").expect("the lesson");
    app.set_lesson(entry.lesson.text(Lang::ZhTw.tag()));
    app.set_why_notes(true);
    app.set_lang(Lang::ZhTw);
    let server = ConnId(3);
    let kinds = vec![
        K::Listen { conn: ConnId(1), local: ip("127.0.0.1:9000") },
        K::Accept {
            conn: server,
            listener: ConnId(1),
            local: ip("127.0.0.1:9000"),
            peer: ip("127.0.0.1:40000"),
        },
        K::Ready(Readiness { round: 1, readable: vec![server], ..Readiness::default() }),
        K::Recv { conn: server, max: 5, len: 5, data: bytes::Bytes::from_static(b"one l") },
        K::WouldBlock { conn: server, op: Op::Recv },
    ];
    let mut batch = vec![Event::session_start()];
    batch.extend(kinds.into_iter().zip(1..).map(|(kind, t)| Event { kind, t_us: t * 1000 }));
    app.update(Msg::Engine(batch));
    app.update(Msg::Key(KeyEvent::new(KeyCode::F(4), KeyModifiers::NONE)));
    app
}

fn draw(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("test terminal");
    terminal.draw(|frame| view::draw(frame, app)).expect("draw");
    terminal.backend().buffer().clone()
}

/// Row `y` from column `from` to `to` as a terminal shows it: a wide character's second
/// cell, which the buffer keeps as a cell of its own, is not text; `(column, text)` pairs.
fn cells(buffer: &Buffer, y: u16, from: u16, to: u16) -> Vec<(u16, String)> {
    let mut out = Vec::new();
    let mut x = from;
    while x < to {
        let symbol = buffer[(x, y)].symbol().to_string();
        let width = u16::try_from(symbol.width()).expect("a cell's width").max(1);
        out.push((x, symbol));
        x += width;
    }
    out
}

/// A bordered panel found on screen by the start of its top border (`┌ Calls`): the rows
/// inside it, as drawn, after checking that every character in it stays inside it whole.
fn panel_rows(buffer: &Buffer, top_left: &str) -> Vec<String> {
    let (width, height) = (buffer.area.width, buffer.area.height);
    let symbol = |x: u16, y: u16| buffer[(x, y)].symbol().to_string();
    let found = (0..height).find_map(|y| {
        let row = cells(buffer, y, 0, width);
        (0..row.len()).find_map(|i| {
            let rest: String = row[i..].iter().map(|(_, text)| text.as_str()).collect();
            rest.starts_with(top_left).then_some((row[i].0, y))
        })
    });
    let (left, top) = found.unwrap_or_else(|| panic!("no panel {top_left}"));
    let right = (left + 1..width).find(|&x| symbol(x, top) == "┐").expect("its top right corner");
    let mut rows = Vec::new();
    for y in top + 1..height {
        if symbol(left, y) == "└" {
            return rows;
        }
        assert_eq!(symbol(left, y), "│", "{top_left}: the left border on row {y}");
        assert_eq!(symbol(right, y), "│", "{top_left}: the right border on row {y}");
        let row = cells(buffer, y, left + 1, right);
        for (x, text) in &row {
            let end = x + u16::try_from(text.width()).expect("width").max(1);
            assert!(end <= right, "{top_left}: {text:?} cut by the border on row {y}");
        }
        rows.push(row.into_iter().map(|(_, text)| text).collect());
    }
    panic!("{top_left}: no bottom border");
}

/// Each row that the next one continues ends only where the next row's first piece (a word,
/// or a Chinese character and the punctuation that stays with it) would not fit, even without
/// a space before it: Chinese rows are filled, not broken where the last space was.
fn assert_filled(rows: &[String], inner: usize, what: &str) {
    for pair in rows.windows(2) {
        let (row, next) = (pair[0].trim_end(), pair[1].trim_start());
        if row.is_empty() || next.is_empty() || next.starts_with('•') {
            continue;
        }
        let word = next.split(' ').next().unwrap_or_default();
        let piece = prose::pieces(word).first().copied().unwrap_or(word);
        let indent = pair[1].len() - next.len();
        let room = inner - indent;
        assert!(
            row.width() - indent + 1 + piece.width() > room,
            "{what}: ends early:\n{row}\n{next}"
        );
    }
}

#[test]
fn the_chinese_lesson_fills_its_panel_by_display_width_and_loses_nothing() {
    let buffer = draw(&demo_in_chinese());
    let rows = panel_rows(&buffer, "┌ partial-recv: 一則訊息分段抵達");
    let inner = rows[0].width();
    let lesson = demo::entry("partial-recv").expect("lesson").lesson.text(Lang::ZhTw.tag());
    let first_paragraph = lesson.lines().nth(2).expect("a paragraph");
    let shown: String = rows.concat().split_whitespace().collect();
    assert!(shown.contains(&first_paragraph.replace(' ', "")), "every character:\n{rows:#?}");
    assert!(rows.iter().any(|row| row.starts_with("請看：")), "the heading:\n{rows:#?}");
    assert!(rows.iter().any(|row| row.starts_with("• Calls：")), "a list item:\n{rows:#?}");
    assert_filled(&rows, inner, "the lesson");
}

#[test]
fn chinese_why_notes_wrap_within_the_calls_panel_and_lose_nothing() {
    let buffer = draw(&demo_in_chinese());
    let rows = panel_rows(&buffer, "┌ Calls");
    let shown: String = rows.concat().split_whitespace().collect();
    for surprise in [Surprise::FullRecv { max: 5 }, Surprise::WouldBlock(Op::Recv)] {
        let note = surprise.note(Lang::ZhTw).expect("a Chinese note");
        assert!(shown.contains(&note.replace(' ', "")), "{note}, whole:\n{rows:#?}");
    }
    assert!(!shown.contains("filled"), "no English note:\n{rows:#?}");
}

#[test]
fn every_chinese_lesson_fits_the_panel_at_100_by_30() {
    for entry in demo::scenarios() {
        let mut app = demo_in_chinese();
        app.set_lesson(entry.lesson.text(Lang::ZhTw.tag()));
        let buffer = draw(&app);
        let rows = panel_rows(&buffer, "┌ ");
        assert!(rows.iter().any(|row| row.contains(['的', '是'])), "{}: {rows:#?}", entry.name);
    }
}
