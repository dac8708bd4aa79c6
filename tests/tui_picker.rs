//! The scenario picker (`D`, `:demo [NAME]`), driven by keys on ratatui's `TestBackend`: what
//! it lists, moving, choosing (the effect the runner acts on), cancelling, the question a live
//! session with open sockets gets first, and the errors.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sockscope::demo::{Entry, Pick, scenarios};
use sockscope::event::{Address, ClosedBy, ConnId, Event, EventKind as K};
use sockscope::tui::{App, Confirm, Effect, Level, Mode, Msg, Overlay, Source, view};

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

fn app(width: u16, height: u16) -> App {
    let mut app = App::new(sockscope::session::Session::default(), Mode::Auto, Source::Live);
    app.update(Msg::Resize { width, height });
    app
}

/// A demo of the `echo` scenario with its sockets open, as `sockscope demo echo` runs it.
fn echo_demo() -> App {
    let mut app = live_with_sockets();
    app.set_running_scenario(Pick::BuiltIn("echo"));
    app
}

/// A live session with a listener (#1) and an accepted connection (#2), both open.
fn live_with_sockets() -> App {
    let mut app = app(120, 40);
    let kinds = vec![
        K::Listen { conn: ConnId(1), local: ip("127.0.0.1:9000") },
        K::Accept {
            conn: ConnId(2),
            listener: ConnId(1),
            local: ip("127.0.0.1:9000"),
            peer: ip("127.0.0.1:50000"),
        },
    ];
    let mut batch = vec![Event::session_start()];
    batch.extend(kinds.into_iter().zip(1..).map(|(kind, t)| Event { kind, t_us: t * 1000 }));
    app.update(Msg::Engine(batch));
    app
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ch(app: &mut App, c: char) -> Vec<Effect> {
    press(app, KeyCode::Char(c))
}

/// Types `:LINE` and Enter.
fn command(app: &mut App, line: &str) -> Vec<Effect> {
    ch(app, ':');
    for c in line.chars() {
        ch(app, c);
    }
    press(app, KeyCode::Enter)
}

fn screen(app: &App) -> String {
    let (width, height) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|frame| view::draw(frame, app)).expect("drawn");
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn picked(app: &App) -> Option<usize> {
    match app.overlay() {
        Overlay::ScenarioPicker { at } => Some(*at),
        _ => None,
    }
}

fn index(name: &str) -> usize {
    scenarios().iter().position(|entry| entry.name == name).expect("a built-in scenario")
}

fn error_text(app: &App) -> String {
    let status = app.status().expect("a status message");
    assert_eq!(status.level, Level::Error, "{}", status.text);
    status.text.clone()
}

#[test]
fn d_lists_every_scenario_with_its_summary_and_marks_the_running_one() {
    let mut app = echo_demo();
    assert_eq!(ch(&mut app, 'D'), vec![], "opening the picker does nothing yet");
    assert_eq!(picked(&app), Some(index("echo")), "the running scenario is highlighted");
    let screen = screen(&app);
    assert!(screen.contains("Demo scenarios"), "{screen}");
    for entry in scenarios() {
        let start: String = entry.summary().chars().take(30).collect();
        let listed = |line: &&str| {
            [format!("  {} ", entry.name), format!("> {} ", entry.name)]
                .iter()
                .any(|start| line.contains(start.as_str()))
        };
        let line = screen.lines().find(listed);
        let line = line.unwrap_or_else(|| panic!("{} is listed:\n{screen}", entry.name));
        assert!(line.contains(&start), "{}'s summary on its line:\n{screen}", entry.name);
    }
    let echo = screen.lines().find(|line| line.contains("> echo")).expect("echo highlighted");
    assert!(echo.contains("(running)"), "{echo}");
    assert_eq!(screen.matches("(running)").count(), 1, "{screen}");
    assert!(screen.contains("closes the running scenario's sockets"), "{screen}");
}

#[test]
fn j_k_and_the_arrows_move_and_stop_at_either_end() {
    let mut app = echo_demo();
    ch(&mut app, 'D');
    ch(&mut app, 'j');
    press(&mut app, KeyCode::Down);
    assert_eq!(picked(&app), Some(index("echo") + 2));
    ch(&mut app, 'k');
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Up);
    assert_eq!(picked(&app), Some(0), "stops at the first");
    for _ in 0..scenarios().len() + 3 {
        ch(&mut app, 'j');
    }
    assert_eq!(picked(&app), Some(scenarios().len() - 1), "stops at the last");
    let screen = screen(&app);
    let last = scenarios()[scenarios().len() - 1].name;
    assert!(screen.contains(&format!("> {last}")), "the highlight moved:\n{screen}");
}

#[test]
fn enter_in_a_demo_starts_the_highlighted_scenario_at_once() {
    let mut app = echo_demo();
    ch(&mut app, 'D');
    for _ in index("echo")..index("byte-order") {
        ch(&mut app, 'j');
    }
    assert_eq!(
        press(&mut app, KeyCode::Enter),
        vec![Effect::StartScenario(Pick::BuiltIn("byte-order"))]
    );
    assert_eq!(app.overlay(), &Overlay::None);
}

#[test]
fn esc_and_q_close_the_picker_without_doing_anything() {
    let mut app = echo_demo();
    ch(&mut app, 'D');
    ch(&mut app, 'j');
    assert_eq!(press(&mut app, KeyCode::Esc), vec![]);
    assert_eq!(app.overlay(), &Overlay::None);
    ch(&mut app, 'D');
    assert_eq!(picked(&app), Some(index("echo")), "opens on the running scenario again");
    assert_eq!(ch(&mut app, 'q'), vec![], "q closes the picker, it does not quit");
    assert_eq!(app.overlay(), &Overlay::None);
    assert!(!screen(&app).contains("Demo scenarios"));
}

#[test]
fn demo_command_starts_a_scenario_by_name_or_opens_the_picker() {
    let mut app = echo_demo();
    assert_eq!(
        command(&mut app, "demo framing"),
        vec![Effect::StartScenario(Pick::BuiltIn("framing"))]
    );
    assert_eq!(
        command(&mut app, "demo echo"),
        vec![Effect::StartScenario(Pick::BuiltIn("echo"))],
        "restart"
    );
    assert_eq!(command(&mut app, "demo"), vec![]);
    assert_eq!(picked(&app), Some(index("echo")));
}

#[test]
fn an_unknown_name_is_an_error_that_lists_the_scenarios() {
    let mut app = echo_demo();
    assert_eq!(command(&mut app, "demo nonsense"), vec![]);
    assert_eq!(app.overlay(), &Overlay::None);
    let text = error_text(&app);
    assert!(text.contains("no scenario 'nonsense'"), "{text}");
    for entry in scenarios() {
        assert!(text.contains(entry.name), "{text}");
    }
    // A typed name is shown escaped, like any other text the user typed.
    command(&mut app, "demo \u{202e}x");
    let text = error_text(&app);
    assert!(!text.contains('\u{202e}') && text.contains(r"\u{202e}x"), "{text}");
    assert!(screen(&app).contains("no scenario"), "the status bar says so");
}

#[test]
fn a_live_session_with_open_sockets_asks_before_closing_them() {
    let mut app = live_with_sockets();
    ch(&mut app, 'D');
    assert_eq!(picked(&app), Some(0), "nothing runs: the first is highlighted");
    let screen_text = screen(&app);
    assert!(!screen_text.contains("(running)"), "{screen_text}");
    assert!(screen_text.contains("closes this session's 2 open sockets"), "{screen_text}");
    assert_eq!(press(&mut app, KeyCode::Enter), vec![], "not yet");
    let confirm = Overlay::Confirm(Confirm::StartScenario(Pick::BuiltIn(scenarios()[0].name)));
    assert_eq!(app.overlay(), &confirm);
    let screen_text = screen(&app);
    assert!(screen_text.contains(&format!("Start the {} scenario?", scenarios()[0].name)));
    assert!(screen_text.contains("2 open sockets close"), "{screen_text}");
    assert_eq!(ch(&mut app, 'n'), vec![], "no: the session stays");
    assert_eq!(app.overlay(), &Overlay::None);

    assert_eq!(command(&mut app, "demo select"), vec![]);
    assert_eq!(app.overlay(), &Overlay::Confirm(Confirm::StartScenario(Pick::BuiltIn("select"))));
    assert_eq!(ch(&mut app, 'y'), vec![Effect::StartScenario(Pick::BuiltIn("select"))]);
    assert_eq!(app.overlay(), &Overlay::None);
}

#[test]
fn a_live_session_whose_sockets_are_closed_starts_at_once() {
    let mut app = live_with_sockets();
    let closes = [1, 2].map(|id| Event {
        kind: K::Close { conn: ConnId(id), by: ClosedBy::Local },
        t_us: 10_000 + id,
    });
    app.update(Msg::Engine(closes.to_vec()));
    assert_eq!(app.open_sockets(), 0);
    assert_eq!(command(&mut app, "demo echo"), vec![Effect::StartScenario(Pick::BuiltIn("echo"))]);
}

#[test]
fn a_replay_cannot_start_a_scenario() {
    let mut app = App::new(sockscope::session::Session::default(), Mode::Auto, Source::Replay);
    app.update(Msg::Resize { width: 120, height: 40 });
    assert_eq!(ch(&mut app, 'D'), vec![]);
    assert_eq!(app.overlay(), &Overlay::None);
    assert!(error_text(&app).contains("replay"));
    assert_eq!(command(&mut app, "demo echo"), vec![]);
    assert!(error_text(&app).contains("replay"));
}

/// The picker knows only what it is given: names and summaries.
static TWO: std::sync::LazyLock<Vec<Entry>> = std::sync::LazyLock::new(|| {
    let entry = |name: &'static str, summary: &str| {
        let source = format!("title = \"{name}\"\nsummary = \"{summary}\"\ntext = \"x\"\n");
        let lesson = sockscope::demo::lesson_file::parse(&source, name, name).expect("a lesson");
        Entry { name, source: "", lesson }
    };
    vec![entry("first", "the first one"), entry("second", "the second one")]
});

#[test]
fn the_picker_offers_the_list_it_was_given() {
    let mut app = app(100, 30);
    app.set_scenarios(&TWO);
    ch(&mut app, 'D');
    let screen_text = screen(&app);
    assert!(screen_text.contains("> first") && screen_text.contains("the second one"));
    assert!(!screen_text.contains("echo"), "{screen_text}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(command(&mut app, "demo echo"), vec![], "echo is not in this list");
    assert!(error_text(&app).contains("the scenarios are: first, second"));
    assert!(error_text(&app).contains(":demo PATH"), "how to run a file instead");
    assert_eq!(
        command(&mut app, "demo second"),
        vec![Effect::StartScenario(Pick::BuiltIn("second"))]
    );
}

#[test]
fn on_the_smallest_terminal_the_highlighted_scenario_stays_in_view() {
    let mut app = app(60, 16);
    ch(&mut app, 'D');
    for _ in 1..scenarios().len() {
        ch(&mut app, 'j');
        let at = picked(&app).expect("open");
        let screen_text = screen(&app);
        let name = scenarios()[at].name;
        assert!(screen_text.contains(&format!("> {name}")), "{name} in view:\n{screen_text}");
    }
}

#[test]
fn a_new_session_keeps_the_presenters_colours_and_key_overlay() {
    let mut old = echo_demo();
    press(&mut old, KeyCode::F(3));
    press(&mut old, KeyCode::F(2));
    let mut new = echo_demo();
    new.apply_room_settings(old.room_settings());
    assert!(new.high_contrast());
    assert!(new.key_log().is_some());
    assert_eq!(new.room_settings(), old.room_settings());
}

/// `:demo PATH` names a lesson file: the runner reads it (the app does no I/O), and a file
/// that cannot be used comes back to the status line while the session goes on.
#[test]
fn a_path_names_a_lesson_file_and_a_bad_one_is_said_in_the_status_line() {
    let mut app = app(100, 30);
    let effects = command(&mut app, "demo lessons/hello.toml");
    assert_eq!(effects, vec![Effect::StartScenario(Pick::File("lessons/hello.toml".into()))]);
    let effects = command(&mut app, "demo ./mine");
    assert_eq!(effects, vec![Effect::StartScenario(Pick::File("./mine".into()))]);
    let why = "mine.toml:3:7: unknown client 2: no step before this one connects it";
    assert!(app.update(Msg::LessonUnreadable(why.into())).is_empty());
    assert!(error_text(&app).contains("mine.toml:3:7: unknown client 2"), "{}", error_text(&app));
}

/// The picker opens a lesson file too: `o` puts `:demo ` on the command line, the path typed
/// after it starts that file.
#[test]
fn o_in_the_picker_opens_a_lesson_file_by_its_path() {
    let mut app = echo_demo();
    ch(&mut app, 'D');
    ch(&mut app, 'o');
    assert!(
        matches!(app.overlay(), Overlay::CommandLine { editor } if editor.text() == "demo "),
        "{:?}",
        app.overlay()
    );
    for c in "lessons/mine.toml".chars() {
        ch(&mut app, c);
    }
    assert_eq!(
        press(&mut app, KeyCode::Enter),
        vec![Effect::StartScenario(Pick::File("lessons/mine.toml".into()))]
    );
}
