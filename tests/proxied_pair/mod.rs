//! The opening of a proxied pair as the engine reports it (a listener, the client leg it
//! accepts, the upstream leg it connects), for tests that draw a proxy's conversation.

use sockscope::event::{Address, ConnId, Event, EventKind as K};

pub const CLIENT: ConnId = ConnId(2);
pub const UPSTREAM: ConnId = ConnId(3);

pub fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("address"))
}

/// The session start, the listener #1, the accepted client leg [`CLIENT`] and the upstream
/// leg [`UPSTREAM`], at t = 0 to 3 µs.
pub fn opening() -> Vec<Event> {
    vec![
        Event::session_start(),
        Event { t_us: 1, kind: K::Listen { conn: ConnId(1), local: ip("127.0.0.1:8080") } },
        Event {
            t_us: 2,
            kind: K::Accept {
                conn: CLIENT,
                listener: ConnId(1),
                local: ip("127.0.0.1:8080"),
                peer: ip("127.0.0.1:40000"),
            },
        },
        Event {
            t_us: 3,
            kind: K::Connect {
                conn: UPSTREAM,
                peer: ip("127.0.0.1:9000"),
                pair: Some(CLIENT),
                client: None,
            },
        },
    ]
}
