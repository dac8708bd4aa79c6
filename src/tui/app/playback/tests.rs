//! Replay keys and commands become player commands; the player's messages rebuild the
//! session; recording keys and commands become recording effects.

use super::super::{App, Mode, Overlay, Source};
use crate::event::{Address, ConnId, Event, EventKind};
use crate::framing::Spec;
use crate::tui::msg::{Effect, Msg, RecordingNews};
use crate::tui::timeline::{PlayerCommand, SeekTarget, Speed, Timeline};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;

fn app(source: Source) -> App {
    let mut app = App::new(crate::tui::model::new_session(), Mode::Auto, source);
    app.update(Msg::Resize { width: 120, height: 40 });
    app
}

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, mods)))
}

fn ch(app: &mut App, c: char) -> Vec<Effect> {
    press(app, KeyCode::Char(c), KeyModifiers::NONE)
}

fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    for c in text.chars() {
        ch(app, c);
    }
    press(app, KeyCode::Enter, KeyModifiers::NONE)
}

fn status(app: &App) -> String {
    app.status().map(|s| s.text.clone()).unwrap_or_default()
}

fn ip(port: u16) -> Address {
    Address::Ip(([127, 0, 0, 1], port).into())
}

/// A listener (#1) and a client it accepted (#2) that sent `hello\n`.
fn opening(t_us: u64) -> Vec<Event> {
    let data = bytes::Bytes::from_static(b"hello\n");
    [
        EventKind::Listen { conn: ConnId(1), local: ip(9000) },
        EventKind::Accept { conn: ConnId(2), listener: ConnId(1), local: ip(9000), peer: ip(5000) },
        EventKind::Recv { conn: ConnId(2), max: 4096, len: 6, data },
    ]
    .into_iter()
    .map(|kind| Event { kind, t_us })
    .collect()
}

fn timeline(applied: u64, playing: bool, speed: Speed) -> Timeline {
    Timeline {
        applied,
        total: Some(10),
        t_us: 1_500_000,
        end_us: Some(9_000_000),
        playing,
        speed,
        seeking: false,
        damage: None,
    }
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    terminal
        .draw(|frame| crate::tui::view::draw_with(frame, app, crate::tui::glyphs::Glyphs::Unicode))
        .expect("drawn");
    let buffer = terminal.backend().buffer();
    buffer.content().iter().map(ratatui::buffer::Cell::symbol).collect()
}

#[test]
fn replay_keys_become_player_commands() {
    let mut app = app(Source::Replay);
    let player = |command| vec![Effect::Player(command)];
    assert_eq!(ch(&mut app, ' '), player(PlayerCommand::TogglePlay));
    assert_eq!(ch(&mut app, '.'), player(PlayerCommand::StepForward));
    assert_eq!(ch(&mut app, ','), player(PlayerCommand::StepBack));
    assert_eq!(ch(&mut app, '^'), player(PlayerCommand::Seek(SeekTarget::Start)));
    assert_eq!(ch(&mut app, '$'), player(PlayerCommand::Seek(SeekTarget::End)));
    // The speed steps from the one the player last reported.
    app.update(Msg::Timeline(timeline(0, true, Speed::Times(16.0))));
    assert_eq!(ch(&mut app, '>'), player(PlayerCommand::SetSpeed(Speed::Max)));
    assert_eq!(ch(&mut app, '<'), player(PlayerCommand::SetSpeed(Speed::Times(8.0))));
    // `t` asks where to go, in the command line.
    assert!(ch(&mut app, 't').is_empty());
    assert!(matches!(app.overlay(), Overlay::CommandLine { .. }));
    assert_eq!(
        typed(&mut app, "1:02.5"),
        player(PlayerCommand::Seek(SeekTarget::Time(62_500_000)))
    );
    assert!(ch(&mut app, ':').is_empty());
    assert_eq!(typed(&mut app, "speed 0.5"), player(PlayerCommand::SetSpeed(Speed::Times(0.5))));
    assert!(ch(&mut app, ':').is_empty());
    assert!(typed(&mut app, "seek soon").is_empty(), "a bad place is refused");
    assert!(status(&app).contains("is not a place"), "{}", status(&app));
    assert!(ch(&mut app, ':').is_empty());
    assert_eq!(typed(&mut app, "pause"), player(PlayerCommand::Pause));
}

#[test]
fn a_replay_refuses_keys_that_need_sockets_and_does_not_offer_them() {
    let mut app = app(Source::Replay);
    for key in ['s', 'w', 'c', 'X', 'P', '+', 'm'] {
        assert!(ch(&mut app, key).is_empty(), "{key}");
        assert!(status(&app).contains("a replay has no sockets"), "{key}: {}", status(&app));
    }
    let screen = screen(&app);
    assert!(screen.contains("play/pause"), "{screen}");
    assert!(!screen.contains("shut wr"), "{screen}");
}

#[test]
fn replayed_events_fold_and_a_rewind_starts_over_keeping_chosen_framings() {
    let mut app = app(Source::Replay);
    app.update(Msg::Replay {
        sites: Vec::new(),
        events: opening(1_000_000),
        timeline: timeline(3, false, Speed::Max),
    });
    assert_eq!(app.session().connections().count(), 2);
    assert!(ch(&mut app, ':').is_empty());
    typed(&mut app, "select 2");
    assert!(ch(&mut app, ':').is_empty());
    typed(&mut app, "framing line");
    assert_eq!(app.session().framing_of(ConnId(2)), Some(&Spec::Line));
    app.update(Msg::Rewind);
    assert_eq!(app.session().connections().count(), 0, "the session starts over");
    assert_eq!(app.clock_us(), 0, "and so does its clock");
    app.update(Msg::Replay {
        sites: Vec::new(),
        events: opening(1_000_000),
        timeline: timeline(3, false, Speed::Max),
    });
    assert_eq!(app.session().framing_of(ConnId(2)), Some(&Spec::Line), "the framing is kept");
    assert_eq!(app.session().framing_of(ConnId(1)), Some(&Spec::Raw));
    let screen = screen(&app);
    assert!(screen.contains("REPLAY"), "{screen}");
    assert!(screen.contains("‖ paused max 1.500 s / 9.000 s  #3/10"), "{screen}");
}

#[test]
fn a_damaged_recording_is_a_warning_for_as_long_as_it_is_shown() {
    let mut app = app(Source::Replay);
    let damaged =
        Timeline { damage: Some("truncated at byte 99".into()), ..timeline(3, false, Speed::Max) };
    app.update(Msg::Timeline(damaged));
    for now_us in [1_000_000, 60_000_000] {
        app.update(Msg::Tick { now_us });
        let screen = screen(&app);
        assert!(screen.contains("warning: truncated at byte 99"), "{screen}");
    }
}

#[test]
fn ctrl_r_asks_for_a_file_and_the_recording_opens_with_the_sockets_already_open() {
    let mut app = app(Source::Live);
    app.update(Msg::Engine(opening(2_000_000)));
    assert!(press(&mut app, KeyCode::Char('r'), KeyModifiers::CONTROL).is_empty());
    let effects = typed(&mut app, "/tmp/bug report.sscope");
    let [Effect::StartRecording { path, opening, framing }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(path, &PathBuf::from("/tmp/bug report.sscope"), "spaces are part of the name");
    assert_eq!(framing, &("raw".to_string(), crate::framing::DEFAULT_MAX_MESSAGE));
    assert!(matches!(opening[0].kind, EventKind::Session { .. }), "{opening:?}");
    let listen =
        opening.iter().position(|e| matches!(e.kind, EventKind::Listen { conn: ConnId(1), .. }));
    let accept =
        opening.iter().position(|e| matches!(e.kind, EventKind::Accept { conn: ConnId(2), .. }));
    assert!(listen.is_some() && listen < accept, "{opening:?}");
    assert!(!opening.iter().any(|e| matches!(e.kind, EventKind::Recv { .. })), "no old bytes");
    assert!(opening.iter().all(|e| e.t_us == 2_000_000), "stamped now");
    app.update(Msg::Recording(RecordingNews::Started { path: path.clone() }));
    assert_eq!(app.recording(), Some(path.as_path()));
    assert!(screen(&app).contains("● REC bug report.sscope"));
    assert_eq!(
        press(&mut app, KeyCode::Char('r'), KeyModifiers::CONTROL),
        vec![Effect::StopRecording]
    );
    let finished =
        RecordingNews::Finished { path: path.clone(), result: Ok("9 events, 1.2KiB".into()) };
    app.update(Msg::Recording(finished));
    assert_eq!(app.recording(), None);
    assert!(status(&app).contains("9 events"), "{}", status(&app));
}

#[test]
fn recording_a_replay_or_twice_is_refused() {
    let mut replay = app(Source::Replay);
    assert!(press(&mut replay, KeyCode::Char('r'), KeyModifiers::CONTROL).is_empty());
    assert!(status(&replay).contains("this is a replay"), "{}", status(&replay));
    let mut live = app(Source::Live);
    live.set_recording(Some(PathBuf::from("a.sscope")));
    assert!(ch(&mut live, ':').is_empty());
    assert!(typed(&mut live, "record b.sscope").is_empty());
    assert!(status(&live).contains("already recording into a.sscope"), "{}", status(&live));
    let failed = RecordingNews::Failed { path: "a.sscope".into(), error: "disk full".into() };
    live.update(Msg::Recording(failed));
    assert_eq!(live.recording(), None);
    assert!(status(&live).contains("disk full"));
}

#[test]
fn after_a_rewind_the_connections_listed_are_the_new_sessions() {
    let mut app = app(Source::Replay);
    app.update(Msg::Replay {
        events: opening(1_000),
        sites: Vec::new(),
        timeline: timeline(3, false, Speed::Max),
    });
    assert_eq!(&*app.connection_rows(), [ConnId(1), ConnId(2)]);
    app.update(Msg::Rewind);
    // As many changes as before, to other sockets: counters alone would look unchanged.
    let renumbered: Vec<Event> = opening(1_000)
        .into_iter()
        .map(|mut event| {
            event.kind = match event.kind {
                EventKind::Listen { local, .. } => EventKind::Listen { conn: ConnId(5), local },
                EventKind::Accept { local, peer, .. } => {
                    EventKind::Accept { conn: ConnId(6), listener: ConnId(5), local, peer }
                }
                EventKind::Recv { max, len, data, .. } => {
                    EventKind::Recv { conn: ConnId(6), max, len, data }
                }
                other => other,
            };
            event
        })
        .collect();
    app.update(Msg::Replay {
        events: renumbered,
        sites: Vec::new(),
        timeline: timeline(3, false, Speed::Max),
    });
    assert_eq!(&*app.connection_rows(), [ConnId(5), ConnId(6)]);
}

/// A status naming an event describes where the replay stood: a seek back to the start
/// drops it, and a socket it names going away (the replay opening at its end) ends it.
#[test]
fn statuses_about_replayed_events_do_not_outlive_them() {
    let mut app = app(Source::Replay);
    let connected = EventKind::Connected { conn: ConnId(3), local: ip(6000), peer: ip(9000) };
    let connect = EventKind::Connect { conn: ConnId(3), peer: ip(9000), pair: None, client: None };
    let events = [connect, connected].into_iter().map(|kind| Event { kind, t_us: 10 }).collect();
    app.update(Msg::Replay { events, sites: Vec::new(), timeline: timeline(2, true, Speed::Max) });
    assert!(status(&app).contains("#3 connected"), "{}", status(&app));
    app.update(Msg::Rewind);
    assert_eq!(status(&app), "", "the start of the replay names no event");
    let events = [
        EventKind::Connect { conn: ConnId(3), peer: ip(9000), pair: None, client: None },
        EventKind::Connected { conn: ConnId(3), local: ip(6000), peer: ip(9000) },
        EventKind::Close { conn: ConnId(3), by: crate::event::ClosedBy::Local },
    ]
    .into_iter()
    .map(|kind| Event { kind, t_us: 10 })
    .collect();
    app.update(Msg::Replay { events, sites: Vec::new(), timeline: timeline(3, false, Speed::Max) });
    assert_eq!(status(&app), "", "#3 is closed at the end: {}", status(&app));
}

/// An empty replay has no `:listen` to offer: it is not a live session.
#[test]
fn an_empty_replay_does_not_suggest_opening_sockets() {
    let app = app(Source::Replay);
    let screen = screen(&app);
    assert!(!screen.contains(":listen"), "{screen}");
    assert!(screen.contains("no sockets yet in this recording"), "{screen}");
}
/// `Ctrl-R` onto a name that exists: the UI cannot overwrite, so it says to pick another.
#[test]
fn recording_onto_an_existing_file_says_to_choose_another_name() {
    let mut app = app(Source::Live);
    app.update(Msg::Recording(RecordingNews::Exists { path: "a.sscope".into() }));
    assert_eq!(status(&app), "a.sscope exists: choose another name (the UI never overwrites)");
}
