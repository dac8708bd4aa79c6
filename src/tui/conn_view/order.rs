//! The order of the Connections panel's rows: a column and a direction.
//!
//! Comparisons read only fields the model keeps up to date in O(1) (byte totals, the last
//! call's time, addresses as values), so sorting 10 000 rows builds no string. Ties always fall
//! back to the id, lowest first, whatever the direction: rows that compare equal keep a stable
//! place instead of swapping when the order is reversed.

use crate::event::Address;
use crate::session::{ConnState, Connection};
use std::cmp::Ordering;

/// What the rows are sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortColumn {
    Id,
    /// Lifecycle order: listening, connecting, open, half-closed, closed, reset, error.
    State,
    BytesIn,
    BytesOut,
    /// The peer's address (a listener's own address, as the panel shows it).
    Peer,
    /// When the socket last made a call or had one reported (accept, `recv`, `WouldBlock`, ...).
    Activity,
}

/// Which end of a column's scale comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortDirection {
    Ascending,
    Descending,
}

impl SortDirection {
    #[must_use]
    pub fn reversed(self) -> Self {
        match self {
            Self::Ascending => Self::Descending,
            Self::Descending => Self::Ascending,
        }
    }

    /// The word `:sort` takes and the status line shows.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Ascending => "asc",
            Self::Descending => "desc",
        }
    }

    /// The word the status line uses.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Self::Ascending => "ascending",
            Self::Descending => "descending",
        }
    }

    /// The header's mark: `▲` ascending, `▼` descending (the UI's glyphs give ASCII forms).
    #[must_use]
    pub fn glyph(self) -> &'static str {
        match self {
            Self::Ascending => "▲",
            Self::Descending => "▼",
        }
    }

    /// `asc`/`ascending` or `desc`/`descending`, any case.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "asc" | "ascending" | "up" => Some(Self::Ascending),
            "desc" | "descending" | "down" => Some(Self::Descending),
            _ => None,
        }
    }
}

impl SortColumn {
    /// The order `o` cycles through.
    pub const ALL: [Self; 6] =
        [Self::Id, Self::State, Self::BytesIn, Self::BytesOut, Self::Peer, Self::Activity];

    /// The word `:sort` takes (the column's title in the table where there is one).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::State => "state",
            Self::BytesIn => "in",
            Self::BytesOut => "out",
            Self::Peer => "peer",
            Self::Activity => "activity",
        }
    }

    /// What the status line calls it.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::State => "state",
            Self::BytesIn => "bytes in",
            Self::BytesOut => "bytes out",
            Self::Peer => "peer address",
            Self::Activity => "last activity",
        }
    }

    /// A column by its name or a longer alias, any case.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "id" | "#" => Some(Self::Id),
            "state" => Some(Self::State),
            "in" | "bytes-in" | "rx" => Some(Self::BytesIn),
            "out" | "bytes-out" | "tx" => Some(Self::BytesOut),
            "peer" | "address" | "addr" => Some(Self::Peer),
            "activity" | "last" | "recent" => Some(Self::Activity),
            _ => None,
        }
    }

    /// The direction a column starts in: counts and times biggest/newest first (what one
    /// looks for among 10 000 rows), the others from the start of their scale.
    #[must_use]
    pub fn natural_direction(self) -> SortDirection {
        match self {
            Self::BytesIn | Self::BytesOut | Self::Activity => SortDirection::Descending,
            Self::Id | Self::State | Self::Peer => SortDirection::Ascending,
        }
    }

    /// Whether rows move in this order as bytes flow, not only when sockets open, close or
    /// change state: the view must then be rebuilt after traffic too.
    #[must_use]
    pub fn follows_traffic(self) -> bool {
        matches!(self, Self::BytesIn | Self::BytesOut | Self::Activity)
    }

    /// `a` against `b` on this column alone, ascending.
    #[must_use]
    pub fn compare(self, a: &Connection, b: &Connection) -> Ordering {
        match self {
            Self::Peer => compare_present_first(shown_peer(a), shown_peer(b)),
            _ => self.numeric_key(a).cmp(&self.numeric_key(b)),
        }
    }

    /// Whether the column's values are numbers ([`SortColumn::numeric_key`]): all but the
    /// peer's address.
    #[must_use]
    pub fn is_numeric(self) -> bool {
        self != Self::Peer
    }

    /// The column's value for `conn` as a number that sorts the same way; `None` for the
    /// peer's address.
    #[must_use]
    pub fn numeric_key(self, conn: &Connection) -> Option<u64> {
        use crate::event::Dir;
        match self {
            Self::Id => Some(conn.id.0),
            Self::State => Some(u64::from(state_rank(conn.state))),
            Self::BytesIn => Some(conn.bytes(Dir::In)),
            Self::BytesOut => Some(conn.bytes(Dir::Out)),
            Self::Activity => Some(last_activity_us(conn)),
            Self::Peer => None,
        }
    }
}

/// A column and a direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Order {
    pub column: SortColumn,
    pub direction: SortDirection,
}

impl Default for Order {
    /// Id order, as sockets were opened.
    fn default() -> Self {
        Self { column: SortColumn::Id, direction: SortDirection::Ascending }
    }
}

impl Order {
    /// `column` in its natural direction.
    #[must_use]
    pub fn by(column: SortColumn) -> Self {
        Self { column, direction: column.natural_direction() }
    }

    /// The next column of [`SortColumn::ALL`] (after the last, the first), in its natural
    /// direction.
    #[must_use]
    pub fn next_column(self) -> Self {
        let at = SortColumn::ALL.iter().position(|&c| c == self.column).unwrap_or(0);
        Self::by(SortColumn::ALL[(at + 1) % SortColumn::ALL.len()])
    }

    #[must_use]
    pub fn reversed(self) -> Self {
        Self { direction: self.direction.reversed(), ..self }
    }

    /// `a` against `b` in this order, ties broken by id (lowest first in both directions).
    #[must_use]
    pub fn compare(self, a: &Connection, b: &Connection) -> Ordering {
        let by_column = self.column.compare(a, b);
        let directed = match self.direction {
            SortDirection::Ascending => by_column,
            SortDirection::Descending => by_column.reverse(),
        };
        directed.then_with(|| a.id.cmp(&b.id))
    }

    /// Whether this order is just the session's own (id, ascending): no sorting needed.
    #[must_use]
    pub fn is_id_order(self) -> bool {
        self == Self::default()
    }
}

/// The session time of the socket's latest call (or reported change). Falls back to when it
/// closed or opened when no call is kept (a call log capped at 0).
#[must_use]
pub fn last_activity_us(conn: &Connection) -> u64 {
    conn.calls().last().map_or_else(|| conn.closed_us.unwrap_or(conn.opened_us), |call| call.t_us)
}

/// The address the panel shows for the far end: the peer, or a listener's own address.
fn shown_peer(conn: &Connection) -> Option<&Address> {
    conn.peer.as_ref().or(conn.local.as_ref())
}

/// Addresses in their natural order (IPv4 before IPv6, then address, then port, numerically:
/// `:9000` before `:10001`), and a socket with no address yet after all of them.
fn compare_present_first(a: Option<&Address>, b: Option<&Address>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Lifecycle order, as the states are declared in [`ConnState`].
fn state_rank(state: ConnState) -> u8 {
    match state {
        ConnState::Listening => 0,
        ConnState::Connecting => 1,
        ConnState::Open => 2,
        ConnState::ReadClosed => 3,
        ConnState::WriteClosed => 4,
        ConnState::Closed => 5,
        ConnState::Reset => 6,
        ConnState::Error => 7,
    }
}
