//! Whether a UI session succeeded, for the exit code. Quitting is success, except in
//! `connect`: as in a headless run, the session failed (exit 1) unless its connection was made
//! and then did not fail for a network reason (refused, reset, timed out).

use super::Outcome;
use crate::event::ClosedBy;
use crate::session::{Connection, Role, Session};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// `listen`, `proxy`, `demo`, `replay`, an empty session: quitting is success.
    QuitSucceeds,
    /// `connect`: success only if the session's first outgoing connection succeeded.
    ClientMustConnect,
}

impl Verdict {
    /// How the session ended, once the user quit.
    pub(super) fn judge(self, session: &Session) -> Outcome {
        match self {
            Self::QuitSucceeds => Outcome::Quit,
            Self::ClientMustConnect => {
                let client = session.connections().find(|c| c.role == Role::Outgoing);
                if client.is_some_and(connected_and_never_failed) {
                    Outcome::Quit
                } else {
                    Outcome::ConnectionFailed
                }
            }
        }
    }
}

/// The connect completed (only a `connected` event sets the local address of an outgoing
/// socket), and the socket was not closed by a reset or a failed call.
fn connected_and_never_failed(conn: &Connection) -> bool {
    let failed = match conn.closed_by {
        None | Some(ClosedBy::Local | ClosedBy::Peer) => false,
        Some(ClosedBy::Reset | ClosedBy::Error) => true,
    };
    conn.local.is_some() && !failed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Address, ConnId, ErrorKind, Event, EventKind, Op};
    use crate::session::SessionConfig;

    fn session(kinds: Vec<EventKind>) -> Session {
        let mut session = Session::new(SessionConfig::default());
        for (t_us, kind) in (1..).zip(kinds) {
            session.apply(&Event { kind, t_us });
        }
        session
    }

    fn addr(text: &str) -> Address {
        text.parse().unwrap()
    }

    const C: ConnId = ConnId(1);

    fn connect() -> EventKind {
        EventKind::Connect { conn: C, peer: addr("127.0.0.1:9"), pair: None, client: None }
    }

    fn connected() -> EventKind {
        EventKind::Connected { conn: C, local: addr("127.0.0.1:5000"), peer: addr("127.0.0.1:9") }
    }

    fn error(kind: ErrorKind, op: Op) -> EventKind {
        EventKind::Error { conn: C, op, kind, message: String::new() }
    }

    fn close(by: ClosedBy) -> EventKind {
        EventKind::Close { conn: C, by }
    }

    #[test]
    fn a_client_session_fails_unless_its_connection_was_made_and_held() {
        let cases = [
            (vec![], Outcome::ConnectionFailed),
            (vec![connect()], Outcome::ConnectionFailed),
            (vec![connect(), error(ErrorKind::Refused, Op::Connect), close(ClosedBy::Error)], {
                Outcome::ConnectionFailed
            }),
            (vec![connect(), connected()], Outcome::Quit),
            (vec![connect(), connected(), close(ClosedBy::Peer)], Outcome::Quit),
            (vec![connect(), connected(), close(ClosedBy::Local)], Outcome::Quit),
            (
                vec![
                    connect(),
                    connected(),
                    error(ErrorKind::Reset, Op::Recv),
                    close(ClosedBy::Reset),
                ],
                { Outcome::ConnectionFailed },
            ),
            (
                vec![connect(), error(ErrorKind::Refused, Op::Connect), connect(), connected()],
                Outcome::Quit,
            ),
        ];
        for (events, expected) in cases {
            let session = session(events.clone());
            assert_eq!(Verdict::ClientMustConnect.judge(&session), expected, "{events:?}");
            assert_eq!(Verdict::QuitSucceeds.judge(&session), Outcome::Quit, "{events:?}");
        }
    }
}
