//! The text view shows every byte exactly once: a hostile corpus and line-protocol text,
//! received in chunks of many sizes, drawn on the whole screen at several widths and paged
//! from `Home` to the end; the rows are parsed back from the rendered buffer (offset, then
//! the escaped text, unescaped) and must rebuild the stream byte for byte.

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sockscope::event::{Address, ConnId, Dir, Event, EventKind as K};
use sockscope::session::{Session, SessionConfig};
use sockscope::tui::{Action, App, Mode, Msg, PaneTop, Panel, Source, view};
use std::collections::BTreeMap;
use unicode_width::UnicodeWidthChar;

/// The bytes a hostile or merely busy peer sends.
fn corpus() -> Vec<u8> {
    let mut bytes = Vec::new();
    let accents = "ç".repeat(30);
    let pieces: [&[u8]; 16] = [
        b"GET / HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n",
        b"$-1\r\n+OK\r\n*2\r\n$3\r\nfoo\r\n$3\r\nbar\r\n",
        b"\x1b[6n\x1b]52;c;aGVsbG8=\x07\x1b]0;pwned\x07\x9b2J",
        "report\u{202e}fdp.exe \u{200b}\u{200d}\u{2060}\u{feff}".as_bytes(),
        "\u{941}\u{659}x\u{301}\u{336}".as_bytes(),
        "漢字かな 😀 grüße €uro ✓ \u{fe0f}\u{3164}".as_bytes(),
        b"\\x41 \\u{41} \\\\ a\tb\x00\x7f\xff\xfe\xc0\xaf\xed\xa0\x80\xe2\x82",
        b"a\r\nb\r\nc\r\nd\r\ne\r\nf\r\ng\r\nh\r\ni\r\nj\r\nk\r\nl\r\nm\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        &[0xc2, 0x9b, 0xc2, 0x85, 0xe2, 0x80, 0xa8],
        b"\n\n\n",
        b"\r\r\r\t\t",
        "\u{e000}\u{10fffd}\u{e0041}\u{fdd0}\u{378}".as_bytes(),
        b"SMTP 220 mail ESMTP\r\nEHLO x\r\n250-SIZE 1000\r\n",
        accents.as_bytes(),
        b"",
    ];
    for round in 0..6 {
        for piece in pieces {
            bytes.extend_from_slice(piece);
        }
        // A long line without a newline crosses the layout's 4 KiB anchors, with multi-byte
        // characters straddling them.
        bytes.extend("é漢".repeat(300 + round * 7).as_bytes());
    }
    bytes
}

/// Cuts `bytes` into chunks of pseudo-random sizes (1 to 700 bytes).
fn chunks(bytes: &[u8]) -> Vec<&[u8]> {
    let mut seed = 0x2545_f491_u32;
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let len = (seed % 700 + 1) as usize;
        let (head, tail) = rest.split_at(len.min(rest.len()));
        out.push(head);
        rest = tail;
    }
    out
}

fn app_receiving(stream: &[u8]) -> App {
    let ip = |text: &str| Address::Ip(text.parse().expect("address"));
    let mut batch = vec![
        Event::session_start(),
        Event {
            t_us: 1,
            kind: K::Connect {
                conn: ConnId(1),
                peer: ip("127.0.0.1:9000"),
                pair: None,
                client: None,
            },
        },
    ];
    for (n, chunk) in chunks(stream).into_iter().enumerate() {
        let data = Bytes::copy_from_slice(chunk);
        let kind = K::Recv { conn: ConnId(1), max: 65536, len: chunk.len(), data };
        batch.push(Event { t_us: 10 + n as u64, kind });
    }
    let mut app = App::new(Session::new(SessionConfig::default()), Mode::Auto, Source::Live);
    app.update(Msg::Engine(batch));
    app
}

/// The screen's lines, one `String` per row, the cell after a wide character dropped.
fn screen(app: &mut App, width: u16, height: u16) -> Vec<String> {
    app.update(Msg::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| view::draw(frame, app)).expect("draw");
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            let mut line = String::new();
            let mut skip = false;
            for x in 0..width {
                if std::mem::take(&mut skip) {
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                skip = symbol.chars().next().and_then(UnicodeWidthChar::width) == Some(2);
                line.push_str(symbol);
            }
            line
        })
        .collect()
}

/// The received rows inside the Data panel: `(offset, escaped text)`.
fn data_rows(lines: &[String]) -> Vec<(u64, String)> {
    let top = lines.iter().position(|line| line.contains("┌ Data (text)")).expect("Data panel");
    let column = lines[top].chars().position(|c| c == '┌').expect("corner");
    lines[top + 1..]
        .iter()
        .take_while(|line| line.chars().nth(column).is_none_or(|c| c != '└'))
        .filter_map(|line| {
            let inner: String = line.chars().skip(column + 1).collect();
            let inner = inner.strip_suffix('│').unwrap_or(&inner);
            let rest = inner.strip_prefix('<')?;
            let (offset, text) = rest.split_once(' ')?;
            let offset = u64::from_str_radix(offset, 16).ok()?;
            Some((offset, text.trim_end_matches(' ').to_string()))
        })
        .collect()
}

/// The bytes an escaped row stands for. Spaces at its end were trimmed with the padding, so
/// the caller compares them apart.
fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            continue;
        }
        match chars.next().expect("escape") {
            '\\' => out.push(b'\\'),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&hex, 16).expect("\\xNN"));
            }
            'u' => {
                assert_eq!(chars.next(), Some('{'));
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let c = char::from_u32(u32::from_str_radix(&hex, 16).expect("hex")).expect("char");
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            }
            other => panic!("unknown escape \\{other} in {text:?}"),
        }
    }
    out
}

fn focus_data(app: &mut App) {
    while app.focus() != Panel::Data {
        app.perform(Action::FocusNextPanel);
    }
}

#[test]
fn every_byte_is_drawn_exactly_once_at_every_width() {
    let stream = corpus();
    for width in [60, 100, 160, 250] {
        let mut app = app_receiving(&stream);
        focus_data(&mut app);
        app.perform(Action::ScrollToTop);
        let mut rows: BTreeMap<u64, String> = BTreeMap::new();
        for page in 0.. {
            assert!(page < 10_000, "paging never reached the end at width {width}");
            for (offset, text) in data_rows(&screen(&mut app, width, 40)) {
                // The corpus has these marks only after an escape: drawn raw, they would
                // merge with the escape's last digit.
                assert!(!text.contains(['\u{941}', '\u{659}']), "a bare mark in {text:?}");
                let earlier = rows.insert(offset, text.clone());
                assert!(earlier.is_none_or(|seen| seen == text), "row {offset:#x} changed");
            }
            if app.data_top(Dir::In) == PaneTop::Follow {
                break;
            }
            app.perform(Action::ScrollPageDown);
        }
        let mut rebuilt = Vec::new();
        for (offset, text) in &rows {
            assert_eq!(*offset, rebuilt.len() as u64, "row at {offset:#x} (width {width})");
            let mut bytes = unescape(text);
            // Trailing spaces were trimmed with the padding: take them back from the stream.
            let end = rebuilt.len() + bytes.len();
            let spaces = stream[end..].iter().take_while(|&&byte| byte == b' ').count();
            let next = rows.range(offset + 1..).next().map_or(stream.len(), |(&at, _)| at as usize);
            bytes.extend(std::iter::repeat_n(b' ', spaces.min(next.saturating_sub(end))));
            if let Some(at) = bytes.iter().position(|&byte| byte == b'\n') {
                assert_eq!(at + 1, bytes.len(), "a row ends after its line feed: {text:?}");
            }
            rebuilt.extend(bytes);
        }
        assert_eq!(rebuilt.len(), stream.len(), "bytes drawn at width {width}");
        assert!(rebuilt == stream, "the rows rebuild the stream at width {width}");
    }
}
