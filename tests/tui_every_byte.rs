//! The text view shows every byte exactly once: a hostile corpus and line-protocol text,
//! received in chunks of many sizes, drawn on the whole screen at several widths and paged
//! from `Home` to the end; the rows are parsed back from the rendered buffer (offset, then
//! the escaped text, unescaped) and must rebuild the stream byte for byte.

mod screen_bytes;

use bytes::Bytes;
use screen_bytes::{chunks, corpus, rebuild, screen};
use sockscope::event::{Address, ConnId, Dir, Event, EventKind as K};
use sockscope::session::{Session, SessionConfig};
use sockscope::tui::{Action, App, Mode, Msg, PaneTop, Panel, Source};
use std::collections::BTreeMap;

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
        let rebuilt = rebuild(&rows, &stream);
        assert_eq!(rebuilt.len(), stream.len(), "bytes drawn at width {width}");
        assert!(rebuilt == stream, "the rows rebuild the stream at width {width}");
    }
}
