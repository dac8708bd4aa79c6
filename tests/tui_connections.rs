//! The Connections panel at scale: sorting (`o`, `O`, `:sort`), filtering (`/`, `Esc`,
//! `:filter`), jumping (`g`, `Home`, `End`, `PgUp`, `PgDn`) and walking the listed rows with
//! `j`/`k`, driven by keys on ratatui's `TestBackend` over hand-made events.

use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sockscope::event::{Address, ClosedBy, ConnId, Event, EventKind as K};
use sockscope::session::Session;
use sockscope::tui::glyphs::Glyphs;
use sockscope::tui::{App, Level, Mode, Msg, Overlay, Panel, Selection, Source, view};

/// Connection ids: the listener is #1, the accepted ones #2 ..= #10001.
const LAST: u64 = 10_001;

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

fn accept(n: u64) -> K {
    K::Accept {
        conn: ConnId(n),
        listener: ConnId(1),
        local: ip("127.0.0.1:9000"),
        peer: ip(&format!("127.0.0.1:{}", 10_000 + n)),
    }
}

fn recv(n: u64, len: usize) -> K {
    K::Recv { conn: ConnId(n), max: 65536, len, data: Bytes::from(vec![b'x'; len]) }
}

fn close(n: u64) -> K {
    K::Close { conn: ConnId(n), by: ClosedBy::Peer }
}

/// A listener (#1) that accepted #2 ..= #`last` from port 10000 + id; every tenth closed;
/// #5000 received 9000 bytes, #7000 5000 and #3 100. Terminal 120×40.
fn app_with(last: u64, source: Source) -> App {
    let mut app = App::new(Session::default(), Mode::Auto, source);
    let mut events = vec![Event::session_start()];
    let mut push = |t_us, kind| events.push(Event { kind, t_us });
    push(1, K::Listen { conn: ConnId(1), local: ip("127.0.0.1:9000") });
    for n in 2..=last {
        push(10 + n, accept(n));
    }
    for n in (10..=last).step_by(10) {
        push(20_000 + n, close(n));
    }
    for (n, len) in [(5000, 9000), (7000, 5000), (3, 100)] {
        if n <= last {
            push(40_000 + n, recv(n, len));
        }
    }
    // In batches, as the engine sends them.
    for batch in events.chunks(256) {
        app.update(Msg::Engine(batch.to_vec()));
    }
    app.update(Msg::Resize { width: 120, height: 40 });
    app
}

fn big_app() -> App {
    app_with(LAST, Source::Live)
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Opens a prompt with `key`, types `text` (after clearing what it holds) and presses Enter.
fn answer(app: &mut App, key: char, text: &str) {
    press(app, KeyCode::Char(key));
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    type_text(app, text);
    press(app, KeyCode::Enter);
}

fn command(app: &mut App, line: &str) {
    answer(app, ':', line);
}

fn screen(app: &App, glyphs: Glyphs) -> String {
    let (width, height) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| view::draw_with(frame, app, glyphs)).expect("draw");
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The Connections panel's header and rows on screen (the left column, under the status bar
/// and the panel's top border).
fn panel_lines(app: &App) -> Vec<String> {
    screen(app, Glyphs::Unicode)
        .lines()
        .skip(2)
        .take_while(|line| !line.starts_with('└'))
        .map(|line| line.split('│').nth(1).unwrap_or_default().trim_end().to_string())
        .collect()
}

fn rows(app: &App) -> Vec<u64> {
    app.connection_rows().iter().map(|id| id.0).collect()
}

fn status(app: &App) -> (String, Option<Level>) {
    let status = app.status();
    (status.map(|s| s.text.clone()).unwrap_or_default(), status.map(|s| s.level))
}

#[test]
fn ten_thousand_connections_jump_filter_and_sort() {
    let mut app = big_app();
    assert_eq!(app.focus(), Panel::Connections);
    assert_eq!(rows(&app).len(), 10_001);

    answer(&mut app, 'g', "#9999");
    assert_eq!(app.selected(), Some(ConnId(9999)));
    let lines = panel_lines(&app);
    assert!(lines.iter().any(|line| line.starts_with("#9999 ")), "shown:\n{}", lines.join("\n"));

    command(&mut app, "filter :1500");
    assert_eq!(rows(&app), (5000..=5009).collect::<Vec<_>>(), "ports 15000-15009");
    let text = screen(&app, Glyphs::Unicode);
    assert!(text.contains("Connections 10 of 10001"), "{text}");
    assert_eq!(app.selected(), Some(ConnId(5009)), "moved to the nearest listed row");
    assert!(status(&app).0.contains("#9999 is hidden, #5009 selected"), "{:?}", status(&app));

    answer(&mut app, '/', "state:closed");
    assert_eq!(rows(&app).len(), 1000, "every tenth is closed");
    assert!(rows(&app).iter().all(|n| n % 10 == 0));
    assert!(screen(&app, Glyphs::Unicode).contains("Connections 1000 of 10001"));

    answer(&mut app, '/', "state:bogus");
    let (text, level) = status(&app);
    assert!(text.contains("unknown state 'bogus'"), "{text}");
    assert_eq!(level, Some(Level::Error));
    assert_eq!(rows(&app).len(), 1000, "the previous filter stays");
    assert_eq!(app.connection_filter().map(|f| f.text().to_string()), Some("state:closed".into()));

    answer(&mut app, '/', "state:open -:1");
    // Open ports not starting with 1: none below 20000 but 20000 and 20001 (#10000 is closed).
    assert_eq!(rows(&app), [10_001], "terms are ANDed");

    press(&mut app, KeyCode::Esc);
    assert_eq!(app.connection_filter(), None);
    assert_eq!(rows(&app).len(), 10_001);

    // o: id -> state -> bytes in (biggest first).
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(rows(&app)[..3], [5000, 7000, 3]);
    press(&mut app, KeyCode::Home);
    assert_eq!(app.selected(), Some(ConnId(5000)));
    let lines = panel_lines(&app);
    assert!(lines[0].contains("in▼"), "the header marks the column:\n{}", lines.join("\n"));
    assert!(lines[1].starts_with("#5000 "), "{}", lines.join("\n"));
    // Traffic reorders a list sorted by bytes; the selection stays on its connection.
    app.update(Msg::Engine(vec![Event { kind: recv(8000, 20_000), t_us: 80_000 }]));
    assert_eq!(rows(&app)[..4], [8000, 5000, 7000, 3]);
    assert_eq!(app.selected(), Some(ConnId(5000)));
    assert!(panel_lines(&app)[1].starts_with("#8000 "));
    press(&mut app, KeyCode::Char('O'));
    assert_eq!(rows(&app)[..2], [1, 2], "ascending: no bytes first, ties by id");
    assert!(panel_lines(&app)[0].contains("in▲"));
    press(&mut app, KeyCode::End);
    assert_eq!(app.selected(), Some(ConnId(8000)), "End: the last row");
}

#[test]
fn sort_and_filter_commands_and_their_errors() {
    let mut app = app_with(30, Source::Live);
    command(&mut app, "sort out");
    assert!(status(&app).0.contains("sorted by bytes out, descending"), "{:?}", status(&app));
    command(&mut app, "sort peer desc");
    assert_eq!(rows(&app)[..3], [30, 29, 28], "highest port first");
    command(&mut app, "sort sideways");
    assert_eq!(status(&app).1, Some(Level::Error));
    assert_eq!(rows(&app)[0], 30, "the order stays");
    command(&mut app, "filter accepted state:open");
    assert_eq!(rows(&app).len(), 26, "29 accepted, 3 of them closed");
    command(&mut app, "filter");
    assert_eq!(rows(&app).len(), 30, "no text clears the filter");
    command(&mut app, "filter state:nope");
    assert!(status(&app).0.contains("unknown state 'nope'"), "{:?}", status(&app));
}

#[test]
fn j_and_k_walk_the_listed_rows_and_go_on_from_a_hidden_selection() {
    let mut app = app_with(30, Source::Live);
    command(&mut app, "filter state:closed");
    assert_eq!(rows(&app), [10, 20, 30]);
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.selected(), Some(ConnId(20)), "j skips the rows the filter hides");
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.selected(), Some(ConnId(10)));

    // A socket that leaves the list by itself keeps the selection, and the title says so.
    command(&mut app, "filter state:open");
    command(&mut app, "select 12");
    app.update(Msg::Engine(vec![Event { kind: close(12), t_us: 90_000 }]));
    assert_eq!(app.selected(), Some(ConnId(12)), "never moved under the user's keys");
    assert!(!rows(&app).contains(&12));
    let text = screen(&app, Glyphs::Unicode);
    assert!(text.contains("· #12 hidden"), "{text}");
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.selected(), Some(ConnId(13)), "on from where #12 stood");
    app.update(Msg::Engine(vec![Event { kind: close(14), t_us: 90_001 }]));
    command(&mut app, "select 14");
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.selected(), Some(ConnId(13)));
}

#[test]
fn home_end_and_pages_select_in_the_panel_only() {
    let mut app = app_with(300, Source::Live);
    press(&mut app, KeyCode::Home);
    assert_eq!(app.selected(), Some(ConnId(1)));
    press(&mut app, KeyCode::PageDown);
    let page = app.selected().expect("selected").0 - 1;
    assert!((5..40).contains(&page), "a page of rows: {page}");
    press(&mut app, KeyCode::PageUp);
    assert_eq!(app.selected(), Some(ConnId(1)));
    press(&mut app, KeyCode::End);
    assert_eq!(app.selected(), Some(ConnId(300)));
    // Elsewhere Home and End still scroll.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Home);
    assert_eq!(app.selected(), Some(ConnId(300)));
}

#[test]
fn jumping_to_an_address_or_to_what_is_not_there() {
    let mut app = app_with(300, Source::Live);
    answer(&mut app, 'g', ":10042");
    assert_eq!(app.selected(), Some(ConnId(42)));
    answer(&mut app, 'g', "77777");
    assert_eq!(status(&app), ("no connection #77777".into(), Some(Level::Error)));
    answer(&mut app, 'g', "99999999999999999999999");
    assert_eq!(status(&app).1, Some(Level::Error));
    answer(&mut app, 'g', "no-such-host");
    assert!(status(&app).0.contains("no listed connection has 'no-such-host'"));
    command(&mut app, "filter state:closed");
    answer(&mut app, 'g', "41");
    assert!(status(&app).0.contains("#41 is hidden by the filter"), "{:?}", status(&app));
    assert_eq!(app.selected(), Some(ConnId(50)), "the filter moved it; the jump did not");
    answer(&mut app, 'g', "#200");
    assert_eq!(app.selected(), Some(ConnId(200)));
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay(), &Overlay::None, "Esc cancels the prompt");
    assert!(app.connection_filter().is_some(), "and does not clear the filter");
}

#[test]
fn a_filter_keeps_new_hidden_connections_from_taking_the_selection() {
    let mut app = app_with(5, Source::Live);
    assert_eq!(app.selection(), Selection::Following(ConnId(5)));
    command(&mut app, "filter :10006");
    app.update(Msg::Engine(vec![Event { kind: accept(7), t_us: 100_000 }]));
    app.update(Msg::Engine(vec![Event { kind: accept(6), t_us: 100_001 }]));
    assert_eq!(app.selection(), Selection::Following(ConnId(6)), "#7 is hidden, #6 is not");
}

#[test]
fn ascii_terminals_get_ascii_marks_and_titles_name_hidden_columns() {
    let mut app = app_with(30, Source::Live);
    command(&mut app, "sort in");
    command(&mut app, "filter state:open");
    let text = screen(&app, Glyphs::Ascii);
    assert!(text.contains("inv"), "{text}");
    assert!(text.contains("Connections 26 of 30"), "{text}");
    command(&mut app, "sort activity");
    let text = screen(&app, Glyphs::Ascii);
    assert!(text.contains("Connections 26 of 30 - by last activity v"), "{text}");
    assert!(text.is_ascii());
}

#[test]
fn a_replay_can_sort_and_filter() {
    let mut app = app_with(30, Source::Replay);
    command(&mut app, "sort in");
    command(&mut app, "filter state:closed");
    assert_eq!(status(&app).1, Some(Level::Info), "{:?}", status(&app));
    assert_eq!(rows(&app), [10, 20, 30]);
}
