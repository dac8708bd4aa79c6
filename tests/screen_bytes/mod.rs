//! Reading bytes back from a drawn screen, for the tests that prove a view shows every byte
//! exactly once: a hostile corpus, chunkings of it, the whole screen as text, and the
//! unescaping of a row.
#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sockscope::tui::{App, Msg, view};
use std::collections::BTreeMap;
use unicode_width::UnicodeWidthChar;

/// The bytes a hostile or merely busy peer sends.
pub fn corpus() -> Vec<u8> {
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
pub fn chunks(bytes: &[u8]) -> Vec<&[u8]> {
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

/// The screen's lines, one `String` per row, the cell after a wide character dropped.
pub fn screen(app: &mut App, width: u16, height: u16) -> Vec<String> {
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

/// The bytes an escaped row stands for. Spaces at its end were trimmed with the padding, so
/// the caller compares them apart.
pub fn unescape(text: &str) -> Vec<u8> {
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

/// The stream that rows parsed back from screens (`offset` to escaped text) stand for.
/// Spaces at a row's end were trimmed with the padding: they are taken back from `stream`,
/// never more than the gap to the next row. A row never holds a byte after a line feed.
pub fn rebuild(rows: &BTreeMap<u64, String>, stream: &[u8]) -> Vec<u8> {
    let mut rebuilt = Vec::new();
    for (offset, text) in rows {
        assert_eq!(*offset, rebuilt.len() as u64, "row at {offset:#x}");
        let mut bytes = unescape(text);
        let end = rebuilt.len() + bytes.len();
        let spaces =
            stream.get(end..).unwrap_or_default().iter().take_while(|&&b| b == b' ').count();
        let next = rows.range(offset + 1..).next().map_or(stream.len(), |(&at, _)| at as usize);
        bytes.extend(std::iter::repeat_n(b' ', spaces.min(next.saturating_sub(end))));
        if let Some(at) = bytes.iter().position(|&byte| byte == b'\n') {
            assert_eq!(at + 1, bytes.len(), "a row ends after its line feed: {text:?}");
        }
        rebuilt.extend(bytes);
    }
    rebuilt
}
