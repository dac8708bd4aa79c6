//! No byte a peer (or a recording) controls reaches the terminal as a control sequence.
//!
//! A session whose streams hold every byte value and the classic hostile sequences (OSC title
//! and clipboard writes, DCS, cursor, device-attribute and colour queries, raw and
//! UTF-8-encoded C1 codes, the right-to-left override), with an error message and a Unix path
//! carrying them too, is drawn through the real `CrosstermBackend` into memory, in the text
//! view and the hex view. The backend emits its own `ESC [` styling and cursor sequences;
//! everything else must be inert: no OSC/DCS introducers, no queries, no BEL, no C1 control
//! characters, no bidi override, and the output stays valid UTF-8 (so no lone 0x9b/0x9d
//! byte). For a terminal that is not UTF-8, the output is ASCII.

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};
use sockscope::event::{Address, ConnId, ErrorKind, Event, EventKind as K, Op};
use sockscope::session::Session;
use sockscope::tui::glyphs::Glyphs;
use sockscope::tui::{Action, App, Mode, Msg, Panel, Source, view};
use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::rc::Rc;

/// Everything hostile, as bytes.
fn hostile() -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..=u8::MAX).collect();
    for sequence in [
        &b"\x1b]0;owned title\x07"[..],
        b"\x1b]52;c;aGVsbG8gY2xpcGJvYXJk\x07",
        b"\x1bPq#0;2;0;0;0\x1b\\",
        b"\x1b[6n",
        b"\x1b[c",
        b"\x9b6n",
        b"\x9d0;raw c1 osc\x07",
        "\u{9b}6n \u{9d}0;x\u{9c}".as_bytes(),
        "abc\u{202e}fed".as_bytes(),
        b"\x1b[>c",
        b"\x1b]11;?\x1b\\",
        b"\x1b]10;?\x07",
    ] {
        bytes.extend_from_slice(sequence);
    }
    bytes
}

fn app() -> App {
    let path = PathBuf::from("/tmp/evil\x1b]0;path title\x07\u{202e}.sock");
    let data = hostile();
    let message = "bad \x1b]0;title\x07 \x1b[6n \x1bP1$r\x1b\\ \u{9b}c \u{202e} end".to_string();
    let events = vec![
        K::Listen { conn: ConnId(1), local: Address::Unix(path.clone()) },
        K::Accept {
            conn: ConnId(2),
            listener: ConnId(1),
            local: Address::Unix(path),
            peer: Address::Unix(PathBuf::from("\u{9b}6n\x1b[c")),
        },
        K::Recv { conn: ConnId(2), max: 65536, len: data.len(), data: Bytes::from(data.clone()) },
        K::Send {
            conn: ConnId(2),
            requested: data.len(),
            len: data.len(),
            data: Bytes::from(data),
        },
        K::Error { conn: ConnId(2), op: Op::Recv, kind: ErrorKind::Other, message },
    ];
    let mut app = App::new(Session::default(), Mode::Auto, Source::Replay);
    let mut batch = vec![Event::session_start()];
    batch.extend(events.into_iter().zip(1..).map(|(kind, t_us)| Event { kind, t_us }));
    app.update(Msg::Engine(batch));
    app
}

/// A `Write` whose bytes stay readable after the backend took it (the backend's own
/// `writer()` is an unstable API).
#[derive(Clone, Default)]
struct Capture(Rc<RefCell<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the terminal would receive for one frame of `app` at `width` × `height`.
fn terminal_bytes(app: &mut App, width: u16, height: u16) -> Vec<u8> {
    terminal_bytes_in(app, width, height, Glyphs::Unicode)
}

/// What a terminal showing `glyphs` would receive for one frame.
fn terminal_bytes_in(app: &mut App, width: u16, height: u16, glyphs: Glyphs) -> Vec<u8> {
    app.update(Msg::Resize { width, height });
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, width, height)) };
    let capture = Capture::default();
    let mut terminal =
        Terminal::with_options(CrosstermBackend::new(capture.clone()), options).expect("terminal");
    terminal.draw(|frame| view::draw_with(frame, app, glyphs)).expect("draw");
    drop(terminal);
    capture.0.take()
}

/// The screen as text, to check that the hostile bytes were drawn (escaped) at all.
fn screen(app: &mut App, width: u16, height: u16) -> String {
    app.update(Msg::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| view::draw(frame, app)).expect("draw");
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

fn assert_inert(output: &[u8], what: &str) {
    for needle in [&b"\x1b]"[..], b"\x1bP", b"\x1b\\", b"\x1b[6n", b"\x1b[c", b"\x1b[>c", b"\x07"] {
        if let Some(at) = find(output, needle) {
            let around = &output[at.saturating_sub(40)..(at + 40).min(output.len())];
            panic!(
                "{what}: {needle:?} reached the terminal: {:?}",
                String::from_utf8_lossy(around)
            );
        }
    }
    let text = std::str::from_utf8(output).unwrap_or_else(|err| panic!("{what}: not UTF-8: {err}"));
    // Every escape the backend writes is a CSI: ESC [ parameters, then a final byte among
    // the ones ratatui uses for cursor moves, styles and clearing (never `n` or `c`: queries).
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        let csi = rest[at + 1..].strip_prefix('[').unwrap_or_else(|| panic!("{what}: bare ESC"));
        let end = csi.find(|c: char| c.is_ascii_alphabetic()).expect("CSI final byte");
        let final_byte = csi.as_bytes()[end];
        assert!(b"mHJKhlABCDG".contains(&final_byte), "{what}: CSI {:?}", &csi[..=end]);
        rest = &csi[end + 1..];
    }
    for c in text.chars() {
        let c1 = ('\u{80}'..='\u{9f}').contains(&c);
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!c1 && !bidi, "{what}: U+{:04X} reached the terminal", u32::from(c));
        assert!(c == '\x1b' || !c.is_control(), "{what}: control U+{:04X}", u32::from(c));
    }
}

#[test]
fn hostile_bytes_never_reach_the_terminal() {
    let mut app = app();
    assert_eq!(app.selected(), Some(ConnId(2)));
    let text = screen(&mut app, 160, 50);
    let drawn =
        [r"\x1b]0;ow", r"\x1b[6n\x1b[c\x9b6n", r"\u{202e}fed", "/tmp/evi", r"unix:\u{9b}6n"];
    for shown in drawn {
        assert!(text.contains(shown), "{shown} not drawn:\n{text}");
    }
    assert!(text.contains(r"recv -> error: bad \x1b]0;title\x07"), "the error is shown:\n{text}");
    for (width, height) in [(160, 50), (100, 30), (80, 24), (60, 16)] {
        assert_inert(&terminal_bytes(&mut app, width, height), &format!("text {width}x{height}"));
    }
    app.perform(Action::ToggleDataView);
    assert!(screen(&mut app, 160, 50).contains("Data (hex)"));
    for (width, height) in [(160, 50), (100, 30), (80, 24)] {
        assert_inert(&terminal_bytes(&mut app, width, height), &format!("hex {width}x{height}"));
    }
    // Every page of the hex view, so each byte value is drawn once.
    while app.focus() != Panel::Data {
        app.perform(Action::FocusNextPanel);
    }
    app.perform(Action::ScrollToTop);
    for page in 0..40 {
        assert_inert(&terminal_bytes(&mut app, 100, 30), &format!("hex page {page}"));
        app.perform(Action::ScrollPageDown);
    }
    // The listener's row, with its Unix path, and the Calls of the listener.
    app.perform(Action::SelectPrevConnection);
    assert_inert(&terminal_bytes(&mut app, 160, 50), "listener selected");
}

/// In a non-UTF-8 locale not one byte above 0x7f reaches the terminal, in either view.
#[test]
fn ascii_terminals_receive_only_ascii() {
    let mut app = app();
    for view in ["text", "hex"] {
        for (width, height) in [(160, 50), (80, 24), (60, 16), (20, 5)] {
            let output = terminal_bytes_in(&mut app, width, height, Glyphs::Ascii);
            let what = format!("ASCII {view} {width}x{height}");
            assert_inert(&output, &what);
            assert!(output.is_ascii(), "{what}: {:?}", String::from_utf8_lossy(&output));
        }
        app.perform(Action::ToggleDataView);
    }
}
