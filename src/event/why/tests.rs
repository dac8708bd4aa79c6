use super::*;

/// Every surprise there is: each variant with each value of its field.
fn every_surprise() -> Vec<Surprise> {
    let ops = [
        Op::Listen,
        Op::Accept,
        Op::Connect,
        Op::Recv,
        Op::Send,
        Op::Shutdown,
        Op::Close,
        Op::Option,
        Op::Idle,
    ];
    let kinds = [ErrorKind::Refused, ErrorKind::Reset, ErrorKind::TimedOut, ErrorKind::BrokenPipe];
    let mut all = vec![
        Surprise::Eof { write_shut: false },
        Surprise::Eof { write_shut: true },
        Surprise::PartialSend,
        Surprise::FullRecv { max: 5 },
        Surprise::Accepted,
        Surprise::Reset,
        Surprise::ClosedByReset,
        Surprise::Error(ErrorKind::Other),
        Surprise::Truncated,
        Surprise::PortUnreachable,
        Surprise::TlsNoPlaintext { mid_record: true },
        Surprise::TlsNoPlaintext { mid_record: false },
        Surprise::TlsFinWithoutCloseNotify,
    ];
    for by in [TlsBy::Local, TlsBy::Peer] {
        all.push(Surprise::TlsCloseNotify(by));
        all.extend([true, false].map(|fatal| Surprise::TlsAlert { by, fatal }));
    }
    all.extend(ops.map(Surprise::WouldBlock));
    all.extend([How::Read, How::Write, How::Both].map(Surprise::Shutdown));
    all.extend(kinds.map(Surprise::Error));
    // A new variant does not compile until it is listed above.
    for surprise in &all {
        match surprise {
            Surprise::Eof { .. }
            | Surprise::WouldBlock(_)
            | Surprise::PartialSend
            | Surprise::FullRecv { .. }
            | Surprise::Accepted
            | Surprise::Shutdown(_)
            | Surprise::Reset
            | Surprise::ClosedByReset
            | Surprise::Error(_)
            | Surprise::Truncated
            | Surprise::PortUnreachable
            | Surprise::TlsNoPlaintext { .. }
            | Surprise::TlsAlert { .. }
            | Surprise::TlsCloseNotify(_)
            | Surprise::TlsFinWithoutCloseNotify => {}
        }
    }
    all
}

/// Whether `text` is written in Chinese characters (at least one).
fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn both_languages_have_the_same_messages_and_parse_cleanly() {
    assert!(NOTES.problems().is_empty(), "{:?}", NOTES.problems());
    let mut en = NOTES.ids(Lang::En).to_vec();
    let mut zh = NOTES.ids(Lang::ZhTw).to_vec();
    en.sort();
    zh.sort();
    assert!(!en.is_empty());
    assert_eq!(en, zh, "the message ids of en/why.ftl and zh-TW/why.ftl");
}

#[test]
fn every_surprise_with_a_note_has_it_written_in_both_languages() {
    let mut noted = 0;
    for surprise in every_surprise() {
        let Some(id) = surprise.message_id() else {
            assert_eq!(surprise.note(Lang::En), None, "{surprise:?}");
            continue;
        };
        noted += 1;
        for lang in Lang::ALL {
            assert!(NOTES.ids(lang).iter().any(|known| known == id), "{lang}: no {id}");
        }
        let en = surprise.note(Lang::En).expect("an English note");
        let zh = surprise.note(Lang::ZhTw).expect("a zh-TW note");
        assert!(!has_han(&en) && has_han(&zh), "{id}: {en} / {zh}");
        for note in [&en, &zh] {
            assert!(!note.contains(['\u{2068}', '\u{2069}']), "{id}: isolation marks in {note:?}");
        }
    }
    assert_eq!(noted, 28, "the notes there are");
    assert!(!has_han(&label(Lang::En)) && has_han(&label(Lang::ZhTw)));
}

#[test]
fn a_full_recv_names_its_buffer_size_in_both_languages() {
    let full = Surprise::FullRecv { max: 65536 };
    assert_eq!(
        full.note(Lang::En).as_deref(),
        Some("filled the 65536-byte buffer this call was given: more may be waiting")
    );
    assert!(full.note(Lang::ZhTw).is_some_and(|note| note.contains(" 65536 ")));
}

#[test]
fn an_eof_after_our_shutdown_does_not_invite_sending() {
    let open = Surprise::Eof { write_shut: false }.note(Lang::En).expect("a note");
    let done = Surprise::Eof { write_shut: true }.note(Lang::En).expect("a note");
    assert!(open.contains("you may still send") && !done.contains("may still send"));
}

/// A handout notes what a `tls` event's alert or `close_notify` means; the handshake's
/// stages are not surprises.
#[test]
fn tls_alerts_and_close_notify_are_noted_from_their_events() {
    use crate::event::{ConnId, TlsStage};
    let tls = |stage| EventKind::Tls { conn: ConnId(1), stage };
    let notify = tls(TlsStage::CloseNotify { by: TlsBy::Peer });
    assert_eq!(Surprise::of_event(&notify, false), Some(Surprise::TlsCloseNotify(TlsBy::Peer)));
    let alert = tls(TlsStage::Alert {
        level: "fatal".into(),
        description: "unknown_ca".into(),
        by: TlsBy::Local,
    });
    let surprise = Surprise::of_event(&alert, false);
    assert_eq!(surprise, Some(Surprise::TlsAlert { by: TlsBy::Local, fatal: true }));
    assert!(surprise.and_then(|s| s.note(Lang::En)).is_some_and(|n| n.contains("our TLS")));
    let hello = tls(TlsStage::ClientHello { sni: None, alpn: vec![], versions: vec![] });
    assert_eq!(Surprise::of_event(&hello, false), None);
}
