//! The held list and the intercept commands, through `App::update` as keys and events.

use crate::event::{
    Address, Command, ConnId, Event, EventKind, FaultDir, HoldId, InterceptRule, MatchPattern,
    Release,
};
use crate::framing::Spec;
use crate::tui::app::{App, Mode, Overlay, Source};
use crate::tui::msg::{Effect, Msg};
use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

/// A proxy pair (#2 accepted, #3 its upstream) with `held` messages held going up.
fn proxied(held: &[&'static [u8]]) -> App {
    let mut app = App::new(crate::tui::model::new_session(), Mode::Auto, Source::Live);
    app.update(Msg::Resize { width: 120, height: 40 });
    let (local, peer) = (ip("127.0.0.1:9000"), ip("127.0.0.1:50000"));
    let mut kinds = vec![
        EventKind::Listen { conn: ConnId(1), local: local.clone() },
        EventKind::Accept { conn: ConnId(2), listener: ConnId(1), local, peer },
        EventKind::Connect {
            conn: ConnId(3),
            peer: ip("127.0.0.1:80"),
            pair: Some(ConnId(2)),
            client: None,
        },
    ];
    for (n, data) in (1..).zip(held) {
        let data = Bytes::from_static(data);
        let (conn, dir, id, len) = (ConnId(2), FaultDir::Up, HoldId(n), data.len());
        kinds.push(EventKind::Held { conn, dir, id, len, data });
    }
    let mut events = vec![Event::session_start()];
    events.extend(kinds.into_iter().map(|kind| Event { kind, t_us: 10 }));
    app.update(Msg::Engine(events));
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| key(app, KeyCode::Char(c))).collect()
}

fn command(app: &mut App, line: &str) -> Vec<Effect> {
    typed(app, &format!(":{line}"));
    key(app, KeyCode::Enter)
}

fn engine(effects: Vec<Effect>) -> Vec<Command> {
    effects
        .into_iter()
        .filter_map(|effect| if let Effect::Engine(c) = effect { Some(c) } else { None })
        .collect()
}

#[test]
fn intercept_asks_the_engine_with_the_connections_framing() {
    let mut app = proxied(&[]);
    command(&mut app, "select 2");
    command(&mut app, "framing line");
    let sent = engine(command(&mut app, "intercept up re:^GET /"));
    let pattern = MatchPattern::Regex("^GET /".into());
    let rule = Some(InterceptRule { framing: Spec::Line, pattern });
    assert_eq!(sent, [Command::Intercept { conn: ConnId(2), dir: FaultDir::Up, rule }]);
    let both = engine(command(&mut app, "intercept off"));
    assert_eq!(both.len(), 2, "both directions stop: {both:?}");
    let sent = engine(command(&mut app, r"inject down 403\r\n"));
    let data = Bytes::from_static(b"403\r\n");
    assert_eq!(sent, [Command::Inject { conn: ConnId(2), dir: FaultDir::Down, data }]);
}

#[test]
fn the_list_forwards_drops_and_edits_the_highlighted_message() {
    let mut app = proxied(&[b"GET /a\r\n", b"GET /b\n"]);
    typed(&mut app, "H");
    assert!(matches!(app.overlay(), Overlay::HeldList { at: 0 }));
    let forwarded = engine(key(&mut app, KeyCode::Enter));
    let release = Release::Forward;
    assert_eq!(forwarded, [Command::Release { conn: ConnId(2), id: HoldId(1), release }]);
    typed(&mut app, "j");
    assert_eq!(engine(typed(&mut app, "D")).len(), 1, "D drops h2");
    typed(&mut app, "k");
    typed(&mut app, "e");
    let Overlay::Prompt(prompt) = app.overlay() else { panic!("{:?}", app.overlay()) };
    assert_eq!(prompt.editor.text(), r"GET /a\r\n", "the bytes, escaped for editing");
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, r"!\xzz");
    assert!(engine(key(&mut app, KeyCode::Enter)).is_empty(), "a bad escape sends nothing");
    assert!(matches!(app.overlay(), Overlay::Prompt(_)), "and keeps the editor open");
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    let edited = engine(key(&mut app, KeyCode::Enter));
    let release = Release::Edit(Bytes::from_static(b"GET /a\r!"));
    assert_eq!(edited, [Command::Release { conn: ConnId(2), id: HoldId(1), release }]);
    assert!(matches!(app.overlay(), Overlay::HeldList { .. }), "back to the list");
    let all = engine(typed(&mut app, "A"));
    assert!(all.iter().all(|c| matches!(c, Command::Intercept { rule: None, .. })), "{all:?}");
    assert_eq!(all.len(), 2, "the pair's two directions: {all:?}");
}

#[test]
fn forwarding_all_also_stops_the_listener_that_intercepts_new_pairs() {
    let mut app = proxied(&[b"x\n"]);
    let state = crate::event::InterceptState::On;
    let (framing, pattern) = ("raw".to_owned(), String::new());
    let on = EventKind::Intercept { conn: ConnId(1), dir: FaultDir::Up, state, framing, pattern };
    app.update(Msg::Engine(vec![Event { kind: on, t_us: 20 }]));
    typed(&mut app, "H");
    let stops: Vec<(ConnId, FaultDir)> = engine(typed(&mut app, "A"))
        .into_iter()
        .filter_map(|c| match c {
            Command::Intercept { conn, dir, rule: None } => Some((conn, dir)),
            _ => None,
        })
        .collect();
    let expected =
        [(ConnId(2), FaultDir::Up), (ConnId(2), FaultDir::Down), (ConnId(1), FaultDir::Up)];
    assert_eq!(stops, expected);
}

#[test]
fn the_list_shows_a_hostile_message_escaped_with_its_size_and_direction() {
    let mut app = proxied(&[b"\x1b]52;c;AAAA\x07\xe2\x80\xaeevil\r\n"]);
    typed(&mut app, "H");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|frame| crate::tui::view::draw(frame, &app)).unwrap();
    let buffer = terminal.backend().buffer();
    let screen: String = (0..40)
        .map(|y| (0..120).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>() + "\n")
        .collect();
    assert!(screen.contains("INTERCEPT 1 held"), "{screen}");
    assert!(screen.contains("> h1    #2    up        21 B  "), "{screen}");
    assert!(screen.contains(r"\x1b]52;c;AAAA\x07\u{202e}evil\r\n"), "{screen}");
    assert!(!screen.contains(['\x1b', '\x07', '\u{202e}']), "no control reaches the terminal");
}
