use super::*;
use serde_json::{Value, json};

fn line(kind: EventKind) -> Value {
    let text = Event { kind, t_us: 42 }.to_json_line();
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn session_line_matches_the_contract() {
    let text = Event::session_start().to_json_line();
    assert!(text.starts_with(r#"{"ev":"session","version":1,"tool":"sockscope "#), "{text}");
    assert!(text.ends_with(r#","t_us":0}"#), "{text}");
}

#[test]
fn every_kind_serialises_to_the_documented_fields() {
    let a: Address = "127.0.0.1:9000".parse().unwrap();
    let b: Address = "[::1]:40000".parse().unwrap();
    let c = ConnId(3);
    let cases = [
        (
            EventKind::Listen { conn: c, local: a.clone() },
            json!({"ev":"listen","conn":3,"local":"127.0.0.1:9000","t_us":42}),
        ),
        (
            EventKind::Accept { conn: c, listener: ConnId(1), local: a.clone(), peer: b.clone() },
            json!({"ev":"accept","conn":3,"listener":1,"local":"127.0.0.1:9000","peer":"[::1]:40000","t_us":42}),
        ),
        (
            EventKind::Connect { conn: c, peer: b.clone(), pair: None, client: None },
            json!({"ev":"connect","conn":3,"peer":"[::1]:40000","t_us":42}),
        ),
        (
            EventKind::Connect { conn: c, peer: b.clone(), pair: Some(ConnId(2)), client: None },
            json!({"ev":"connect","conn":3,"peer":"[::1]:40000","pair":2,"t_us":42}),
        ),
        (
            EventKind::Recv { conn: c, max: 65536, len: 3, data: Bytes::from_static(b"\x00\xffA") },
            json!({"ev":"recv","conn":3,"max":65536,"len":3,"data":"00ff41","t_us":42}),
        ),
        (
            EventKind::Send { conn: c, requested: 10, len: 2, data: Bytes::from_static(b"hi") },
            json!({"ev":"send","conn":3,"requested":10,"len":2,"data":"6869","t_us":42}),
        ),
        (
            EventKind::WouldBlock { conn: c, op: Op::Recv },
            json!({"ev":"would_block","conn":3,"op":"recv","t_us":42}),
        ),
        (EventKind::Eof { conn: c }, json!({"ev":"eof","conn":3,"t_us":42})),
        (
            EventKind::Shutdown { conn: c, how: How::Write },
            json!({"ev":"shutdown","conn":3,"how":"write","t_us":42}),
        ),
        (EventKind::Reset { conn: c }, json!({"ev":"reset","conn":3,"t_us":42})),
        (
            EventKind::Close { conn: c, by: ClosedBy::Peer },
            json!({"ev":"close","conn":3,"by":"peer","t_us":42}),
        ),
        (
            EventKind::Error {
                conn: c,
                op: Op::Connect,
                kind: ErrorKind::TimedOut,
                message: "m".into(),
            },
            json!({"ev":"error","conn":3,"op":"connect","kind":"timed_out","message":"m","t_us":42}),
        ),
        (
            EventKind::Option { conn: c, option: SockOption::SndBuf(4608) },
            json!({"ev":"option","conn":3,"name":"sndbuf","value":4608,"t_us":42}),
        ),
        (
            EventKind::Option { conn: c, option: SockOption::Linger(None) },
            json!({"ev":"option","conn":3,"name":"linger","value":null,"t_us":42}),
        ),
        (
            EventKind::Message { conn: c, dir: Dir::In, len: 1, data: Bytes::from_static(b"x") },
            json!({"ev":"message","conn":3,"dir":"in","len":1,"data":"78","t_us":42}),
        ),
    ];
    for (kind, expected) in cases {
        assert_eq!(line(kind), expected);
    }
}

#[test]
fn ready_lists_every_set() {
    let ready = Readiness {
        round: 7,
        readable: vec![ConnId(2), ConnId(4)],
        error: vec![ConnId(5)],
        ..Readiness::default()
    };
    assert_eq!(
        line(EventKind::Ready(ready)),
        json!({"ev":"ready","round":7,"readable":[2,4],"writable":[],"error":[5],"read_closed":[],
               "write_closed":[],"still_readable":[],"still_writable":[],"t_us":42})
    );
}

#[test]
fn ready_adds_select_view_after_the_edges() {
    let ready = Readiness {
        round: 3,
        error: vec![ConnId(5)],
        select: Some(Box::new(SelectView {
            readable: vec![ConnId(5)],
            writable: vec![ConnId(5)],
            exceptional: vec![],
        })),
        ..Readiness::default()
    };
    assert_eq!(
        line(EventKind::Ready(ready)),
        json!({"ev":"ready","round":3,"readable":[],"writable":[],"error":[5],"read_closed":[],
               "write_closed":[],"still_readable":[],"still_writable":[],
               "select":{"readable":[5],"writable":[5],"exceptional":[]},"t_us":42})
    );
}

#[test]
fn events_round_trip_through_json() {
    let events = [
        Event {
            kind: EventKind::Option { conn: ConnId(1), option: SockOption::Linger(Some(0)) },
            t_us: 5,
        },
        Event {
            kind: EventKind::Listen { conn: ConnId(1), local: "unix:/tmp/s.sock".parse().unwrap() },
            t_us: 6,
        },
        Event {
            kind: EventKind::Recv {
                conn: ConnId(9),
                max: 3,
                len: 3,
                data: Bytes::from_static(b"abc"),
            },
            t_us: 7,
        },
    ];
    for event in events {
        let back: Event = serde_json::from_str(&event.to_json_line()).unwrap();
        assert_eq!(back, event);
    }
}

#[test]
fn addresses_display_as_they_parse() {
    for text in ["127.0.0.1:1", "[::1]:65535", "unix:/run/x.sock"] {
        assert_eq!(text.parse::<Address>().unwrap().to_string(), text);
    }
    assert!("localhost:80".parse::<Address>().is_err());
    assert!("[::]:80".parse::<Address>().unwrap().is_unspecified());
}
