use super::*;
use crate::event::{Address, Command, EventKind, How, SockOption};
use crate::tui::command::DEFAULT_RECV;
use crate::tui::msg::{Purpose, Signal};
use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn app() -> App {
    let mut app = App::new(crate::tui::model::new_session(), Mode::Auto, Source::Live);
    app.update(Msg::Resize { width: 120, height: 40 });
    app
}

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

fn event(kind: EventKind, t_us: u64) -> crate::event::Event {
    crate::event::Event { kind, t_us }
}

/// An app with a listener (#1) and an accepted connection (#2).
fn connected_app() -> App {
    let mut app = app();
    app.update(Msg::Engine(vec![
        crate::event::Event::session_start(),
        event(EventKind::Listen { conn: ConnId(1), local: ip("127.0.0.1:9000") }, 10),
        event(
            EventKind::Accept {
                conn: ConnId(2),
                listener: ConnId(1),
                local: ip("127.0.0.1:9000"),
                peer: ip("127.0.0.1:50000"),
            },
            20,
        ),
    ]));
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ch(app: &mut App, c: char) -> Vec<Effect> {
    key(app, KeyCode::Char(c))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        ch(app, c);
    }
}

/// Types a `:` command and presses Enter.
fn command(app: &mut App, line: &str) -> Vec<Effect> {
    ch(app, ':');
    type_text(app, line);
    key(app, KeyCode::Enter)
}

fn engine(command: Command) -> Vec<Effect> {
    vec![Effect::Engine(command)]
}

fn status_text(app: &App) -> String {
    app.status().map(|status| status.text.clone()).unwrap_or_default()
}

#[test]
fn quitting_by_key_and_signal() {
    let mut app = app();
    assert_eq!(ch(&mut app, 'q'), vec![Effect::Quit]);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(app.update(Msg::Key(ctrl_c)), vec![Effect::Quit]);
    ch(&mut app, ':');
    assert_eq!(app.update(Msg::Key(ctrl_c)), vec![Effect::Quit], "even while typing");
    for signal in [Signal::Interrupt, Signal::Terminate, Signal::Hangup, Signal::Quit] {
        assert_eq!(app.update(Msg::Signal(signal)), vec![Effect::Quit]);
    }
}

#[test]
fn focus_cycles_both_ways() {
    let mut app = app();
    let mut seen = vec![app.focus()];
    for _ in 0..Panel::ALL.len() {
        key(&mut app, KeyCode::Tab);
        seen.push(app.focus());
    }
    assert_eq!(seen.first(), seen.last(), "one Tab per panel comes back");
    assert_eq!(&seen[..Panel::ALL.len()], &Panel::ALL);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus(), Panel::Inspector);
}

#[test]
fn overlays_open_and_close() {
    let mut app = app();
    ch(&mut app, '?');
    assert_eq!(app.overlay(), &Overlay::Help { scroll: 0 });
    ch(&mut app, 'j');
    assert_eq!(app.overlay(), &Overlay::Help { scroll: 1 }, "j scrolls the help");
    for _ in 0..500 {
        ch(&mut app, 'j');
    }
    ch(&mut app, 'k');
    let Overlay::Help { scroll } = app.overlay() else { panic!("help is open") };
    let last_top =
        crate::tui::view::help_last_top(app.size().1, app.keymap(), &app.layout_context());
    assert_eq!(*scroll, last_top - 1, "scrolling stops at the last page, so k moves at once");
    assert!(ch(&mut app, 'q').is_empty(), "q closes the help, does not quit");
    assert_eq!(app.overlay(), &Overlay::None);
    ch(&mut app, ':');
    type_text(&mut app, "qu");
    assert!(matches!(app.overlay(), Overlay::CommandLine { editor, .. } if editor.text() == "qu"));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay(), &Overlay::None);
}

#[test]
fn selection_follows_new_connections_until_the_user_chooses() {
    let mut app = connected_app();
    assert_eq!(app.selection(), Selection::Following(ConnId(2)));
    ch(&mut app, 'k');
    assert_eq!(app.selection(), Selection::Chosen(ConnId(1)));
    ch(&mut app, 'k');
    assert_eq!(app.selected(), Some(ConnId(1)), "stops at the top");
    key(&mut app, KeyCode::Down);
    assert_eq!(app.selected(), Some(ConnId(2)));
    let accept = EventKind::Accept {
        conn: ConnId(3),
        listener: ConnId(1),
        local: ip("127.0.0.1:9000"),
        peer: ip("127.0.0.1:50001"),
    };
    app.update(Msg::Engine(vec![event(accept, 30)]));
    assert_eq!(app.selected(), Some(ConnId(2)), "a chosen connection stays chosen");
    command(&mut app, "select #3");
    assert_eq!(app.selected(), Some(ConnId(3)));
    command(&mut app, "select 9");
    assert_eq!(status_text(&app), "no connection #9");
}

#[test]
fn connection_keys_make_engine_commands() {
    let mut app = connected_app();
    let conn = ConnId(2);
    let cases = [
        ('c', Command::Close { conn }),
        ('A', Command::SetOption { conn, option: SockOption::NoDelay(true) }),
        ('i', Command::PauseReading { conn, paused: true }),
        ('i', Command::PauseReading { conn, paused: false }),
        ('m', Command::SetManual(true)),
        ('n', Command::Step),
        ('U', Command::SendQueued { conn }),
        ('a', Command::Accept { listener: ConnId(1) }),
        ('m', Command::SetManual(false)),
    ];
    for (c, expected) in cases {
        assert_eq!(ch(&mut app, c), engine(expected.clone()), "{c}");
    }
    assert!(ch(&mut app, 'n').is_empty(), "step is a manual-mode key");
}

#[test]
fn nodelay_toggles_from_what_the_engine_reported() {
    let mut app = connected_app();
    let option = EventKind::Option { conn: ConnId(2), option: SockOption::NoDelay(true) };
    app.update(Msg::Engine(vec![event(option, 30)]));
    let expected = Command::SetOption { conn: ConnId(2), option: SockOption::NoDelay(false) };
    assert_eq!(ch(&mut app, 'A'), engine(expected));
}

/// Shutting down cannot be taken back, and `w` and `B` are keys a reader presses to move
/// (vim's word motions, less's window back): they ask, as a reset does.
#[test]
fn shutdown_keys_ask_first() {
    let mut app = connected_app();
    let conn = ConnId(2);
    for (c, how) in [('w', How::Write), ('R', How::Read), ('B', How::Both)] {
        assert!(ch(&mut app, c).is_empty(), "{c} does nothing at once");
        assert_eq!(app.overlay(), &Overlay::Confirm(Confirm::Shutdown(conn, how)), "{c}");
        assert!(ch(&mut app, 'n').is_empty(), "n keeps the connection open");
        assert_eq!(app.overlay(), &Overlay::None);
        ch(&mut app, c);
        assert_eq!(ch(&mut app, 'y'), engine(Command::Shutdown { conn, how }), "{c}");
    }
    assert_eq!(
        command(&mut app, "shutdown write"),
        engine(Command::Shutdown { conn, how: How::Write })
    );
}

/// In the Data panel, `n` and `N` walk the search's matches; `N` used to toggle
/// `TCP_NODELAY` on the live socket.
#[test]
fn n_and_capital_n_in_the_data_panel_never_touch_the_socket() {
    let mut app = connected_app();
    while app.focus() != Panel::Data {
        key(&mut app, KeyCode::Tab);
    }
    for c in ['n', 'N'] {
        let effects = ch(&mut app, c);
        assert!(effects.is_empty(), "{c}: {effects:?}");
    }
    command(&mut app, "manual");
    assert!(ch(&mut app, 'n').is_empty(), "n is still the next match in manual mode");
}

#[test]
fn prompts_send_text_hex_and_recv() {
    let mut app = connected_app();
    let conn = ConnId(2);
    ch(&mut app, 's');
    type_text(&mut app, r"hi\r\n");
    let sent = Command::Send { conn, data: Bytes::from_static(b"hi\r\n") };
    assert_eq!(key(&mut app, KeyCode::Enter), engine(sent));
    assert_eq!(app.overlay(), &Overlay::None);
    ch(&mut app, 'S');
    type_text(&mut app, "00 05");
    let sent = Command::Send { conn, data: Bytes::from_static(&[0, 5]) };
    assert_eq!(key(&mut app, KeyCode::Enter), engine(sent));
    ch(&mut app, 'S');
    type_text(&mut app, "0 5");
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "bad hex sends nothing");
    assert!(status_text(&app).contains("odd number of hex digits"), "{}", status_text(&app));
    ch(&mut app, 'm');
    ch(&mut app, 'r');
    let recv = Command::Recv { conn, max: DEFAULT_RECV };
    assert_eq!(key(&mut app, KeyCode::Enter), engine(recv), "empty means the default");
    ch(&mut app, 'r');
    type_text(&mut app, "4");
    assert_eq!(key(&mut app, KeyCode::Enter), engine(Command::Recv { conn, max: 4 }));
}

#[test]
fn pasted_text_lands_in_the_prompt_escaped() {
    let mut app = connected_app();
    ch(&mut app, 's');
    app.update(Msg::Paste("a\nb".into()));
    let sent = Command::Send { conn: ConnId(2), data: Bytes::from_static(b"a\nb") };
    assert_eq!(key(&mut app, KeyCode::Enter), engine(sent));
    assert!(app.update(Msg::Paste("ignored".into())).is_empty());
}

#[test]
fn reset_asks_first() {
    let mut app = connected_app();
    assert!(ch(&mut app, 'X').is_empty());
    assert_eq!(app.overlay(), &Overlay::Confirm(Confirm::Reset(ConnId(2))));
    assert!(ch(&mut app, 'n').is_empty(), "n keeps the connection");
    assert_eq!(app.overlay(), &Overlay::None);
    ch(&mut app, 'X');
    assert_eq!(ch(&mut app, 'y'), engine(Command::Reset { conn: ConnId(2) }));
}

#[test]
fn without_a_selection_connection_keys_explain() {
    let mut app = app();
    for c in ['s', 'w', 'X', 'c', 'i'] {
        assert!(ch(&mut app, c).is_empty(), "{c}");
        assert_eq!(app.overlay(), &Overlay::None, "{c}");
        assert!(status_text(&app).starts_with("no connection selected"), "{c}");
    }
}

#[test]
fn command_line_commands_make_effects() {
    let mut app = connected_app();
    let conn = ConnId(2);
    let cases = [
        ("listen 9001", vec![Effect::Resolve { purpose: Purpose::Listen, text: "9001".into() }]),
        (
            "connect example.org:80",
            vec![Effect::Resolve { purpose: Purpose::Connect, text: "example.org:80".into() }],
        ),
        (
            "proxy 8080 9000",
            vec![Effect::Resolve {
                purpose: Purpose::ProxyListen { upstream: "9000".into() },
                text: "8080".into(),
            }],
        ),
        ("send hi", engine(Command::Send { conn, data: Bytes::from_static(b"hi") })),
        (
            "send-hex 0005 6865",
            engine(Command::Send { conn, data: Bytes::from_static(b"\0\x05he") }),
        ),
        ("shutdown write", engine(Command::Shutdown { conn, how: How::Write })),
        ("close", engine(Command::Close { conn })),
        ("reset", engine(Command::Reset { conn })),
        ("sndbuf 8192", engine(Command::SetOption { conn, option: SockOption::SndBuf(8192) })),
        ("linger off", engine(Command::SetOption { conn, option: SockOption::Linger(None) })),
        ("keepalive on", engine(Command::SetOption { conn, option: SockOption::KeepAlive(true) })),
        ("pause", engine(Command::PauseReading { conn, paused: true })),
        ("manual", engine(Command::SetManual(true))),
        ("recv 10", engine(Command::Recv { conn, max: 10 })),
        ("send-queued", engine(Command::SendQueued { conn })),
        ("accept", engine(Command::Accept { listener: ConnId(1) })),
        ("step", engine(Command::Step)),
        ("auto", engine(Command::SetManual(false))),
        ("framing line", vec![]),
        ("quit", vec![Effect::Quit]),
    ];
    for (line, expected) in cases {
        assert_eq!(command(&mut app, line), expected, "{line}");
    }
    assert_eq!(app.mode(), Mode::Auto);
    assert!(command(&mut app, "send-hex zz").is_empty());
    assert!(status_text(&app).contains("'zz' is not hex"), "{}", status_text(&app));
    assert!(command(&mut app, "frobnicate").is_empty());
    assert!(status_text(&app).contains("unknown command"));
}

#[test]
fn command_history_recalls_with_arrows() {
    let mut app = connected_app();
    command(&mut app, "step");
    command(&mut app, "close");
    ch(&mut app, ':');
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    assert_eq!(key(&mut app, KeyCode::Enter), engine(Command::Step));
    ch(&mut app, ':');
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Down);
    assert!(
        matches!(app.overlay(), Overlay::CommandLine { editor, .. } if editor.text().is_empty())
    );
}

#[test]
fn tab_completes_commands_and_their_first_argument() {
    let mut app = connected_app();
    ch(&mut app, ':');
    type_text(&mut app, "shut");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "w");
    key(&mut app, KeyCode::Tab);
    let line = |app: &App| match app.overlay() {
        Overlay::CommandLine { editor } => editor.text().to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(line(&app), "shutdown write ");
    key(&mut app, KeyCode::Esc);
    ch(&mut app, ':');
    type_text(&mut app, "se");
    key(&mut app, KeyCode::Tab);
    assert_eq!(line(&app), "se", "several commands: nothing chosen");
    assert!(status_text(&app).contains("send-hex") && status_text(&app).contains("seek"));
}

#[test]
fn readline_keys_edit_the_command_line() {
    let mut app = connected_app();
    let press = |app: &mut App, code: KeyCode, mods: KeyModifiers| {
        app.update(Msg::Key(KeyEvent::new(code, mods)))
    };
    ch(&mut app, ':');
    type_text(&mut app, "send hello world");
    press(&mut app, KeyCode::Char('w'), KeyModifiers::CONTROL);
    press(&mut app, KeyCode::Char('b'), KeyModifiers::ALT);
    press(&mut app, KeyCode::Char('k'), KeyModifiers::CONTROL);
    type_text(&mut app, "say ");
    let Overlay::CommandLine { editor } = app.overlay() else { panic!("the command line") };
    assert_eq!(editor.text(), "send say ");
}

#[test]
fn send_prompts_recall_earlier_sends() {
    let mut app = connected_app();
    let sent =
        |text: &[u8]| engine(Command::Send { conn: ConnId(2), data: Bytes::copy_from_slice(text) });
    ch(&mut app, 's');
    type_text(&mut app, "one");
    assert_eq!(key(&mut app, KeyCode::Enter), sent(b"one"));
    ch(&mut app, 's');
    type_text(
        &mut app, r"two
",
    );
    key(&mut app, KeyCode::Enter);
    ch(&mut app, 's');
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    assert_eq!(key(&mut app, KeyCode::Enter), sent(b"one"), "↑↑ recalls the one before");
    ch(&mut app, 'S');
    key(&mut app, KeyCode::Up);
    let Overlay::Prompt(prompt) = app.overlay() else { panic!("the hex prompt") };
    assert_eq!(prompt.editor.text(), "", "hex sends keep their own history");
}

#[test]
fn resolved_addresses_finish_the_command() {
    let mut app = app();
    let listen = ip("127.0.0.1:8080");
    let result = Ok(vec![listen.clone()]);
    assert_eq!(
        app.update(Msg::Resolved { purpose: Purpose::Listen, result }),
        engine(Command::Listen { addr: listen.clone() })
    );
    let purpose = Purpose::ProxyListen { upstream: "up:1".into() };
    let effects = app.update(Msg::Resolved { purpose, result: Ok(vec![listen.clone()]) });
    let next = Purpose::ProxyUpstream { listen: listen.clone() };
    assert_eq!(effects, vec![Effect::Resolve { purpose: next.clone(), text: "up:1".into() }]);
    let upstream = vec![ip("[::1]:1"), ip("127.0.0.1:1")];
    assert_eq!(
        app.update(Msg::Resolved { purpose: next, result: Ok(upstream.clone()) }),
        engine(Command::Proxy { listen, upstream })
    );
    let failed =
        Msg::Resolved { purpose: Purpose::Connect, result: Err("cannot resolve 'x'".into()) };
    assert!(app.update(failed).is_empty());
    assert_eq!(status_text(&app), "cannot resolve 'x'");
}

#[test]
fn all_interfaces_listeners_are_flagged_until_closed() {
    let mut app = app();
    let listen = EventKind::Listen { conn: ConnId(1), local: ip("0.0.0.0:9000") };
    app.update(Msg::Engine(vec![event(listen, 1)]));
    assert_eq!(app.exposed_listeners().len(), 1);
    let close = EventKind::Close { conn: ConnId(1), by: crate::event::ClosedBy::Local };
    app.update(Msg::Engine(vec![event(close, 2)]));
    assert_eq!(app.exposed_listeners().len(), 0);
}

#[test]
fn status_messages_expire_with_session_time() {
    let mut app = connected_app();
    assert!(status_text(&app).contains("listening on 127.0.0.1:9000"));
    app.update(Msg::Tick { now_us: 4_000_000 });
    assert!(app.status().is_some());
    app.update(Msg::Tick { now_us: 5_100_000 });
    assert!(app.status().is_none(), "info lasts 5 s");
    app.update(Msg::Tick { now_us: 1 });
    assert_eq!(app.clock_us(), 5_100_000, "the clock never goes back");
}

#[test]
fn error_events_reach_the_status_line_escaped() {
    let mut app = connected_app();
    let error = EventKind::Error {
        conn: ConnId(2),
        op: crate::event::Op::Recv,
        kind: crate::event::ErrorKind::Reset,
        message: "reset \u{1b}[2J".into(),
    };
    app.update(Msg::Engine(vec![event(error, 30)]));
    let status = app.status().expect("an error status");
    assert_eq!((status.level, status.text.as_str()), (Level::Error, r"#2 recv: reset \x1b[2J"));
}

#[test]
fn resize_to_nothing_and_back() {
    let mut app = connected_app();
    app.update(Msg::Resize { width: 0, height: 0 });
    key(&mut app, KeyCode::Tab);
    for code in [KeyCode::PageDown, KeyCode::PageUp, KeyCode::Home, KeyCode::End] {
        assert!(key(&mut app, code).is_empty());
    }
    app.update(Msg::Resize { width: 120, height: 40 });
    assert_eq!(app.size(), (120, 40));
    key(&mut app, KeyCode::Home);
    assert_eq!(app.scroll(Panel::Readiness), Scroll::At(0));
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.scroll(Panel::Readiness), Scroll::Follow, "past the end follows again");
}

#[test]
fn data_view_toggles_only_on_the_data_panel() {
    let mut app = app();
    ch(&mut app, 'x');
    assert_eq!(app.data_view(), DataView::Text);
    while app.focus() != Panel::Data {
        key(&mut app, KeyCode::Tab);
    }
    ch(&mut app, 'x');
    assert_eq!(app.data_view(), DataView::Hex);
}

#[test]
fn replays_refuse_socket_commands() {
    let mut app = App::new(crate::tui::model::new_session(), Mode::Auto, Source::Replay);
    assert!(command(&mut app, "listen 9000").is_empty());
    assert!(status_text(&app).contains("a replay has no sockets"));
    assert_eq!(command(&mut app, "quit"), vec![Effect::Quit]);
}

/// "N bytes queued for sending" is true only until `send` has taken them.
#[test]
fn the_queued_status_ends_when_the_bytes_are_sent() {
    let mut app = connected_app();
    command(&mut app, "send hello");
    assert_eq!(status_text(&app), "#2: 5 bytes queued for sending");
    let sent = |len: usize, t_us| {
        let data = Bytes::copy_from_slice(&b"hello"[..len]);
        event(EventKind::Send { conn: ConnId(2), requested: 5, len, data }, t_us)
    };
    app.update(Msg::Engine(vec![sent(3, 30)]));
    assert_eq!(status_text(&app), "#2: 5 bytes queued for sending", "2 bytes still wait");
    app.update(Msg::Engine(vec![sent(2, 40)]));
    assert_eq!(status_text(&app), "", "every byte went");
}

/// "recv of at most N bytes" names one call: once later calls follow, it is history.
#[test]
fn the_recv_status_ends_once_later_calls_follow() {
    let mut app = connected_app();
    command(&mut app, "recv 3");
    assert_eq!(status_text(&app), "#2: recv of at most 3 bytes");
    let recv = |t_us| {
        let data = Bytes::from_static(b"abc");
        event(EventKind::Recv { conn: ConnId(2), max: 3, len: 3, data }, t_us)
    };
    app.update(Msg::Engine(vec![recv(30)]));
    assert_eq!(status_text(&app), "#2: recv of at most 3 bytes", "the call it announced");
    app.update(Msg::Engine(vec![recv(40)]));
    assert_eq!(status_text(&app), "", "a later call");
}
