//! One strace-like line per event, for a person reading the headless log.
//!
//! Time comes first (seconds since the session started, microsecond precision) so that lines
//! line up and gaps are visible. Only ASCII is used around the data (`->`, `<-`, `...`), which is
//! safe in every locale; peer bytes appear only as an escaped preview.

use crate::event::{Address, ConnId, Event, EventKind, Readiness, SocketType};
use crate::inspect::escape::{escape_bytes, escape_str};
use std::fmt::Write as _;

/// Most payload bytes shown in one line by default; the rest is marked with `...`.
pub const PREVIEW_BYTES: usize = 48;

/// How much of each chunk a line shows (`--bytes N|all`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preview {
    /// At most this many bytes, then `...`.
    Bytes(usize),
    /// Every byte, so that a whole payload can be read from the text log.
    All,
}

impl Default for Preview {
    fn default() -> Self {
        Self::Bytes(PREVIEW_BYTES)
    }
}

impl std::str::FromStr for Preview {
    type Err = String;

    /// `all`, or a number of bytes (`0` shows none).
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim() {
            "all" => Ok(Self::All),
            number => number
                .parse()
                .map(Self::Bytes)
                .map_err(|_| format!("'{number}' is not a number of bytes or 'all'")),
        }
    }
}

/// The human-readable line for `event`, without a newline, showing the default preview.
#[must_use]
pub fn human_line(event: &Event) -> String {
    human_line_showing(event, Preview::default())
}

/// The human-readable line for `event`, showing `shown` of each chunk's bytes.
#[must_use]
pub fn human_line_showing(event: &Event, shown: Preview) -> String {
    human_line_on(event, shown, SocketType::Stream)
}

/// The same, for an event on a socket of type `socket`: on a datagram socket a read or write
/// that would block or failed is named by the call made, `recvfrom` or `sendto` (the JSON
/// `op` stays `recv`/`send`).
#[must_use]
pub fn human_line_on(event: &Event, shown: Preview, socket: SocketType) -> String {
    format!("{} {}", timestamp(event.t_us), describe(&event.kind, shown, socket))
}

/// `t_us` as seconds with six decimals, right-aligned: `  0.000120`.
fn timestamp(t_us: u64) -> String {
    format!("{:>3}.{:06}", t_us / 1_000_000, t_us % 1_000_000)
}

fn describe(kind: &EventKind, shown: Preview, socket: SocketType) -> String {
    use EventKind as K;
    match kind {
        K::Session { version, tool, start_unix_us } => match start_unix_us {
            Some(us) => format!(
                "session {} (schema {version}) started {}",
                safe(tool),
                crate::event::rfc3339_of(*us)
            ),
            None => format!("session {} (schema {version})", safe(tool)),
        },
        K::Listen { conn, local } => format!("{conn} listen {}", address(local)),
        K::Accept { conn, listener, local, peer } => {
            format!("{conn} accept on {listener} {} <- {}", address(local), address(peer))
        }
        K::Connect { conn, peer, pair, client } => connect(*conn, peer, *pair, client.as_ref()),
        K::Connected { conn, local, peer } => {
            format!("{conn} connected {} -> {}", address(local), address(peer))
        }
        K::Ready(readiness) => ready(readiness),
        K::Recv { conn, max, len, data } => {
            format!("{conn} recv({max}) -> {len} {}", preview(data, shown))
        }
        K::Send { conn, requested, len, data } => send(*conn, (*requested, *len), data, shown),
        K::RecvFrom { conn, peer, max, len, data, truncated } => {
            let lost = truncated.map_or(String::new(), |full| {
                format!(" (truncated: {full} bytes, {} lost)", full.saturating_sub(*len))
            });
            format!(
                "{conn} recvfrom({max}) <- {} {len}{lost} {}",
                address(peer),
                preview(data, shown)
            )
        }
        K::SendTo { conn, peer, requested, len, data } => {
            format!(
                "{conn} sendto -> {} {requested} -> {len} {}",
                address(peer),
                preview(data, shown)
            )
        }
        K::SpliceIn { conn, max, len } => format!("{conn} splice({max}) socket -> pipe {len}"),
        K::Tee { conn, len } => format!("{conn} tee pipe -> pipe {len}"),
        K::PipeRead { conn, max, len, data } => {
            format!("{conn} read pipe({max}) -> {len} {}", preview(data, shown))
        }
        K::SpliceOut { conn, requested, len, data } => {
            let partial = if len < requested { " (partial)" } else { "" };
            let data = if *len == 0 { String::new() } else { format!(" {}", preview(data, shown)) };
            format!("{conn} splice pipe -> socket {requested} -> {len}{partial}{data}")
        }
        K::WouldBlock { conn, op } => format!("{conn} {} -> WouldBlock", op.call_on(socket)),
        K::Eof { conn } => format!("{conn} recv -> 0 (EOF)"),
        K::Shutdown { conn, how } => format!("{conn} shutdown({})", how.name()),
        K::Reset { conn } => format!("{conn} reset (SO_LINGER 0)"),
        K::Close { conn, by } => format!("{conn} close (by {})", by.name()),
        K::Error { conn, op, kind, message } => {
            format!("{conn} error {}: {}: {}", op.call_on(socket), kind.name(), safe(message))
        }
        K::Option { conn, option } => format!("{conn} option {option}"),
        K::Interest { conn, read, write } => format!("{conn} interest {}", interest(*read, *write)),
        K::Blocked { conn, waited_us } => {
            let waited = format!("{}.{:03} s", waited_us / 1_000_000, waited_us % 1_000_000 / 1000);
            match conn {
                Some(conn) => format!("{conn} blocked for {waited}, not returned yet"),
                None => format!("blocked for {waited}, not returned yet"),
            }
        }
        K::Fault { conn, dir, kind, state, detail } => format!(
            "{conn} fault {} {} {}: {}",
            dir.name(),
            kind.name(),
            state.name(),
            safe(detail)
        ),
        K::Intercept { conn, dir, state, framing, pattern } => {
            let pattern = if pattern.is_empty() { "every message" } else { pattern };
            let (dir, state) = (dir.name(), state.name());
            format!("{conn} intercept {dir} {state}: {} {}", safe(framing), safe(pattern))
        }
        K::Held { conn, dir, id, len, data } => {
            format!("{conn} held {} {id} {len} {}", dir.name(), preview(data, shown))
        }
        K::Released { conn, dir, id, action, len, data } => {
            let (dir, action) = (dir.name(), action.name());
            format!("{conn} released {dir} {id} {action} {len} {}", preview(data, shown))
        }
        K::Inject { conn, dir, len, data } => {
            format!("{conn} inject {} {len} {}", dir.name(), preview(data, shown))
        }
        K::Message { conn, dir, len, data } => {
            format!("{conn} message {} {len} {}", dir.name(), preview(data, shown))
        }
        K::Tls { conn, stage } => format!("{conn} tls {}", safe(&stage.describe())),
        K::TlsRead { conn, len, data } => {
            format!("{conn} tls_read -> {len} {}", preview(data, shown))
        }
        K::TlsWrite { conn, requested, len, data } => {
            format!("{conn} tls_write {requested} -> {len} {}", preview(data, shown))
        }
    }
}

fn connect(conn: ConnId, peer: &Address, pair: Option<ConnId>, client: Option<&Address>) -> String {
    match (pair, client) {
        (Some(bound), Some(client)) => {
            format!("{conn} connect -> {} (flow of {bound} for {})", address(peer), address(client))
        }
        (Some(client), None) => {
            format!("{conn} connect -> {} (upstream of {client})", address(peer))
        }
        (None, _) => format!("{conn} connect -> {}", address(peer)),
    }
}

fn send(conn: ConnId, (requested, len): (usize, usize), data: &[u8], shown: Preview) -> String {
    let partial = if len < requested { " (partial)" } else { "" };
    let data = if len == 0 { String::new() } else { format!(" {}", preview(data, shown)) };
    format!("{conn} send {requested} -> {len}{partial}{data}")
}

/// `round 12: epoll readable [2 4] writable [] ...; select() readable [2 4] writable []
/// exceptional []`: epoll's edges named as epoll's, then what `select()` would return (absent
/// in recordings older than format 2.1). The level-triggered leftovers only when present, so
/// that the common case stays short.
fn ready(readiness: &Readiness) -> String {
    let mut line = format!(
        "round {}: epoll readable {} writable {} error {} read_closed {} write_closed {}",
        readiness.round,
        id_list(&readiness.readable),
        id_list(&readiness.writable),
        id_list(&readiness.error),
        id_list(&readiness.read_closed),
        id_list(&readiness.write_closed),
    );
    for (name, ids) in [
        ("still readable", &readiness.still_readable),
        ("still writable", &readiness.still_writable),
    ] {
        if !ids.is_empty() {
            let _ = write!(line, " {name} {}", id_list(ids));
        }
    }
    if let Some(select) = &readiness.select {
        let _ = write!(
            line,
            "; select() readable {} writable {} exceptional {}",
            id_list(&select.readable),
            id_list(&select.writable),
            id_list(&select.exceptional),
        );
    }
    line
}

/// A traced program's readiness call (`sockscope trace`): its lists, named by the call that
/// returned them (`call`: `select`, `poll`, `epoll_wait`), never as epoll's edges.
#[must_use]
pub fn traced_ready_line(t_us: u64, readiness: &Readiness, call: &str) -> String {
    let lists = match &readiness.select {
        Some(select) => format!(
            "select() readable {} writable {} exceptional {}",
            id_list(&select.readable),
            id_list(&select.writable),
            id_list(&select.exceptional),
        ),
        None => format!(
            "{call} readable {} writable {} error {} read_closed {} write_closed {}",
            id_list(&readiness.readable),
            id_list(&readiness.writable),
            id_list(&readiness.error),
            id_list(&readiness.read_closed),
            id_list(&readiness.write_closed),
        ),
    };
    format!("{} round {}: {lists}", timestamp(t_us), readiness.round)
}

fn id_list(ids: &[ConnId]) -> String {
    let numbers: Vec<String> = ids.iter().map(|id| id.0.to_string()).collect();
    format!("[{}]", numbers.join(" "))
}

/// The bytes `shown` allows, escaped and quoted; `...` after the quote if there were more.
fn preview(data: &[u8], shown: Preview) -> String {
    let limit = match shown {
        Preview::Bytes(limit) => limit,
        Preview::All => data.len(),
    };
    let shown = data.get(..limit).unwrap_or(data);
    let more = if data.len() > shown.len() { "..." } else { "" };
    format!("\"{}\"{more}", escape_bytes(shown))
}

/// Text that is normally plain but could carry terminal controls: a Unix socket path chosen by a
/// peer, an OS message naming such a path. Ordinary text passes unchanged.
fn safe(text: &str) -> String {
    escape_str(text)
}

fn address(addr: &Address) -> String {
    safe(&addr.to_string())
}

fn interest(read: bool, write: bool) -> &'static str {
    match (read, write) {
        (true, true) => "read write",
        (true, false) => "read",
        (false, true) => "write",
        (false, false) => "none",
    }
}

#[cfg(test)]
mod tests;
