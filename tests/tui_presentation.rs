//! The presentation layout (`F4`, `--present`) at a projector's 100×30: the lesson,
//! `select()`'s three lists and the Calls with their why notes wrapped, nothing else; high
//! contrast and the key overlay work in it, the overlay folds repeated keys and, in every
//! layout, takes rows of its own instead of covering the Inspector.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use sockscope::event::{Address, ConnId, Event, EventKind as K, Readiness, SelectView};
use sockscope::session::Session;
use sockscope::tui::{App, Mode, Msg, Source, view};

const LESSON: &str = "# partial-recv: a message arrives in pieces\n\nrecv returns whatever has \
                      arrived.\n\nLook at:\n- Calls: recv(5) returning 5 bytes.\n";

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

fn key(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// A demo at 100×30 with its lesson: a server socket (#3) that read 5 bytes into a 5-byte
/// buffer after a round in which `select()` listed it readable.
fn demo() -> App {
    let mut app = App::new(Session::default(), Mode::Auto, Source::Live);
    app.update(Msg::Resize { width: 100, height: 30 });
    app.set_lesson(LESSON.into());
    app.set_why_notes(true);
    let server = ConnId(3);
    let kinds = vec![
        K::Listen { conn: ConnId(1), local: ip("127.0.0.1:9000") },
        K::Accept {
            conn: server,
            listener: ConnId(1),
            local: ip("127.0.0.1:9000"),
            peer: ip("127.0.0.1:40000"),
        },
        K::Ready(Readiness {
            round: 1,
            readable: vec![server],
            select: Some(Box::new(SelectView {
                readable: vec![server],
                writable: vec![],
                exceptional: vec![],
            })),
            ..Readiness::default()
        }),
        K::Recv { conn: server, max: 5, len: 5, data: bytes::Bytes::from_static(b"one l") },
    ];
    let mut batch = vec![Event::session_start()];
    batch.extend(kinds.into_iter().zip(1..).map(|(kind, t)| Event { kind, t_us: t * 1000 }));
    app.update(Msg::Engine(batch));
    app
}

fn draw(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("test terminal");
    terminal.draw(|frame| view::draw(frame, app)).expect("draw");
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    let cells: Vec<&str> = buffer.content.iter().map(ratatui::buffer::Cell::symbol).collect();
    cells.chunks(width).map(<[&str]>::concat).collect::<Vec<_>>().join("\n")
}

#[test]
fn f4_shows_the_lesson_the_select_lists_and_the_wrapped_calls_and_nothing_else() {
    let mut app = demo();
    let usual = text(&draw(&app));
    assert!(!usual.contains("exceptional"), "the usual layout has no room for them:\n{usual}");
    key(&mut app, KeyCode::F(4));
    let screen = text(&draw(&app));
    assert!(screen.contains("partial-recv"), "the lesson:\n{screen}");
    assert!(screen.contains("select() read 3"), "select()'s readable list:\n{screen}");
    assert!(screen.contains("exceptional -"), "and its third list:\n{screen}");
    assert!(screen.contains("R[3] W[] X[]"), "every round's three lists:\n{screen}");
    assert!(screen.contains("recv(5) -> 5  ← filled the 5-byte buffer"), "{screen}");
    assert!(screen.contains("more may be waiting"), "the note wrapped, not cut:\n{screen}");
    for hidden in ["Connections", "Data", "Messages", "Inspector"] {
        assert!(!screen.contains(&format!("┌ {hidden}")), "{hidden} is left out:\n{screen}");
    }
    key(&mut app, KeyCode::F(4));
    assert!(text(&draw(&app)).contains("┌ Inspector"), "F4 again: the usual layout");
}

#[test]
fn high_contrast_and_the_key_overlay_work_in_the_presentation_layout() {
    let mut app = demo();
    key(&mut app, KeyCode::F(4));
    key(&mut app, KeyCode::F(2));
    let dim = |buffer: &Buffer| {
        let grey = |c: &ratatui::buffer::Cell| matches!(c.fg, Color::DarkGray | Color::Gray);
        buffer.content.iter().any(|c| c.modifier.contains(Modifier::DIM) || grey(c))
    };
    assert!(dim(&draw(&app)), "the usual colours have grey text");
    key(&mut app, KeyCode::F(3));
    for _ in 0..4 {
        key(&mut app, KeyCode::Char('L'));
        key(&mut app, KeyCode::Char('L'));
    }
    key(&mut app, KeyCode::Char('+'));
    key(&mut app, KeyCode::Char('+'));
    let buffer = draw(&app);
    let screen = text(&buffer);
    assert!(screen.contains("keys (F2 hides)"), "{screen}");
    assert!(screen.contains(" + ×2 "), "repeats fold into one line:\n{screen}");
    assert!(screen.contains("select() read 3"), "the overlay covers no panel:\n{screen}");
    assert!(!dim(&buffer), "high contrast: nothing grey or dim");
}

#[test]
fn the_key_overlay_no_longer_covers_the_inspector() {
    let mut app = App::new(Session::default(), Mode::Auto, Source::Live);
    app.update(Msg::Resize { width: 100, height: 30 });
    key(&mut app, KeyCode::F(2));
    let screen = text(&draw(&app));
    let inspector = screen.lines().position(|l| l.contains("┌ Inspector")).expect("{screen}");
    let keys = screen.lines().position(|l| l.contains("keys (F2 hides)")).expect("{screen}");
    let row = screen.lines().nth(keys).unwrap();
    let at = row.find("keys (F2 hides)").unwrap();
    let column = row[..at].chars().count();
    let inspector_column =
        screen.lines().nth(inspector).unwrap().split("┌ Inspector").next().unwrap().chars().count();
    assert!(column < inspector_column, "the keys sit left of the Inspector:\n{screen}");
}

#[test]
fn tab_moves_between_the_panels_the_presentation_layout_shows() {
    use sockscope::tui::Panel;
    let mut app = demo();
    key(&mut app, KeyCode::F(4));
    assert_eq!(app.focus(), Panel::Calls);
    let mut seen = Vec::new();
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
        seen.push(app.focus());
    }
    assert_eq!(seen, [Panel::Readiness, Panel::Calls, Panel::Readiness, Panel::Calls]);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus(), Panel::Readiness);
}
