//! The Readiness panel says which source said what: epoll's edges named as epoll's, and
//! `select()`'s three lists as the engine computed them. An error is epoll's `err` edge; it is
//! never shown as `select()`'s third list, which is for out-of-band data.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use sockscope::event::{Address, ConnId, Event, EventKind as K, Readiness, SelectView};
use sockscope::session::{Session, SessionConfig};
use sockscope::tui::render_context::RenderContext;
use sockscope::tui::{App, Mode, Msg, Panel, Source, panels};

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

fn app_with(kinds: Vec<K>) -> App {
    let mut batch = vec![Event::session_start()];
    batch.extend(kinds.into_iter().zip(1..).map(|(kind, t)| Event { kind, t_us: t * 1000 }));
    let mut app = App::new(Session::new(SessionConfig::default()), Mode::Manual, Source::Live);
    app.update(Msg::Engine(batch));
    app.update(Msg::Resize { width: 100, height: 30 });
    app
}

/// Client #1 connected; the peer resets it: epoll reports every edge at once, and `select()`
/// would list the socket readable and writable (the next call fails), not exceptional.
fn reset_app() -> App {
    let c = ConnId(1);
    let kinds = vec![
        K::Connect { conn: c, peer: ip("127.0.0.1:9000"), pair: None, client: None },
        K::Connected { conn: c, local: ip("127.0.0.1:40000"), peer: ip("127.0.0.1:9000") },
        K::Interest { conn: c, read: true, write: true },
        K::Ready(Readiness {
            round: 1,
            readable: vec![c],
            writable: vec![c],
            error: vec![c],
            read_closed: vec![c],
            write_closed: vec![c],
            select: Some(Box::new(SelectView {
                readable: vec![c],
                writable: vec![c],
                exceptional: vec![],
            })),
            ..Readiness::default()
        }),
    ];
    app_with(kinds)
}

fn panel_text(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let area = Rect::new(0, 0, width, height);
    terminal
        .draw(|frame| panels::render(frame, area, Panel::Readiness, app, &RenderContext::default()))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_reset_is_epolls_err_edge_and_selects_readable_and_writable() {
    let app = reset_app();
    let text = panel_text(&app, 50, 12);
    assert!(text.contains("epoll    in 1  out 1  err 1"), "{text}");
    assert!(text.contains("rdhup 1  hup 1"), "{text}");
    assert!(text.contains("select() read 1  write 1"), "{text}");
    assert!(text.contains("exceptional -"), "{text}");
    assert!(text.contains("#1 0.004s R[1] W[1] X[] err[1] rdhup[1] hup[1]"), "{text}");
    assert!(!text.contains("in error"), "an error is not select()'s third list:\n{text}");
}

/// At 100×30 the panel is 36 columns wide: each round still fits on its line.
#[test]
fn the_round_line_fits_the_small_panel() {
    let app = reset_app();
    let text = panel_text(&app, 38, 6);
    assert!(text.contains("#1 0.004s R[1] W[1] X[] err[1]"), "{text}");
}

/// A recording older than format 2.1 has no `select()` view: the panel says so and shows
/// epoll's edges with the still-ready sockets, without inventing `select()`'s lists.
#[test]
fn a_round_without_a_select_view_says_it_is_not_recorded() {
    let (c, d) = (ConnId(1), ConnId(2));
    let app = app_with(vec![
        K::Connect { conn: c, peer: ip("127.0.0.1:9000"), pair: None, client: None },
        K::Connect { conn: d, peer: ip("127.0.0.1:9000"), pair: None, client: None },
        K::Ready(Readiness {
            round: 1,
            readable: vec![c],
            still_readable: vec![d],
            ..Readiness::default()
        }),
    ]);
    let text = panel_text(&app, 50, 12);
    assert!(text.contains("select() not in this recording"), "{text}");
    assert!(text.contains("still    read ~2  write -"), "{text}");
    assert!(text.contains("#1 0.003s in[1 ~2] out[] err[]"), "{text}");
    assert!(!text.contains("X["), "no select() lists made up:\n{text}");
}
