//! What the shell itself reads from the session model, in one place.

use crate::event::{Address, ConnId, SockOption};
use crate::session::{Session, SessionConfig};

/// A session for the UI with the model's defaults.
#[must_use]
pub fn new_session() -> Session {
    Session::new(SessionConfig::default())
}

/// A session that frames its streams as the command line (or a scenario) asks.
#[must_use]
pub fn framed_session(framing: crate::framing::Spec, max_message: usize) -> Session {
    Session::new(SessionConfig { framing, max_message, ..SessionConfig::default() })
}

/// Whether `id` is a listener that is still open.
#[must_use]
pub fn is_open_listener(session: &Session, id: ConnId) -> bool {
    session.connection(id).is_some_and(|conn| conn.is_listener() && !conn.is_closed())
}

/// The first listener still open.
#[must_use]
pub fn first_open_listener(session: &Session) -> Option<ConnId> {
    session.connections().find(|conn| conn.is_listener() && !conn.is_closed()).map(|c| c.id)
}

/// How many sockets are still open, listeners included.
#[must_use]
pub fn open_sockets(session: &Session) -> usize {
    session.connections().filter(|conn| !conn.is_closed()).count()
}

/// Open listeners bound to every interface (`0.0.0.0`, `[::]`): reachable from other machines.
#[must_use]
pub fn exposed_listeners(session: &Session) -> Vec<(ConnId, Address)> {
    session
        .connections()
        .filter(|conn| conn.is_listener() && !conn.is_closed())
        .filter_map(|conn| Some((conn.id, conn.local.clone()?)))
        .filter(|(_, local)| local.is_unspecified())
        .collect()
}

/// Whether `TCP_NODELAY` is on for `id`, as the engine last reported it.
#[must_use]
pub fn has_nodelay(session: &Session, id: ConnId) -> bool {
    session.connection(id).is_some_and(|conn| {
        conn.options.iter().any(|option| matches!(option, SockOption::NoDelay(true)))
    })
}

/// The status bar's summary: sockets and traffic.
#[must_use]
pub fn totals_text(session: &Session) -> String {
    let totals = session.totals();
    let size = compact_size;
    let mut text = format!(
        "{} open, {} listening │ in {} out {}",
        totals.open,
        totals.listeners,
        size(totals.bytes_in),
        size(totals.bytes_out)
    );
    if totals.queued > 0 {
        text = format!("{text} queued {}", size(totals.queued));
    }
    text
}

/// `999 B`, `1.5 KiB`, `12.0 MiB`: short enough for the status bar.
#[must_use]
pub fn compact_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes;
    let mut unit = 0;
    while value >= 1024 * 1024 && unit + 1 < UNITS.len() {
        value /= 1024;
        unit += 1;
    }
    // One decimal from integer arithmetic: tenths of the unit.
    let tenths = value * 10 / 1024;
    format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::compact_size;

    #[test]
    fn sizes_are_compact() {
        let cases = [
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1.0 KiB"),
            (1536, "1.5 KiB"),
            (1024 * 1024 - 1, "1023.9 KiB"),
            (5 << 20, "5.0 MiB"),
            (3 << 30, "3.0 GiB"),
            (u64::MAX, "16777215.9 TiB"),
        ];
        for (bytes, expected) in cases {
            assert_eq!(compact_size(bytes), expected, "{bytes}");
        }
    }
}
