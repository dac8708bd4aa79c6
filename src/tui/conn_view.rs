//! The Connections panel's rows: which sockets it lists ([`Filter`]) and in what order
//! ([`Order`]), kept as a list of ids ([`Rows`]) so that drawing a frame and walking with
//! `j`/`k` never sort or filter.
//!
//! With 10 000 sockets, sorting and filtering cost about a millisecond; a frame must cost far
//! less. The list is therefore rebuilt only when something it depends on changed: the order or
//! the filter (the app invalidates it), or the session's sockets. The session says cheaply
//! whether its sockets changed: [`Session::roster_generation`] moves when one opens or changes
//! state, role or address, and [`Session::events_applied`] with any event at all. Only orders
//! that follow traffic (bytes, last activity) look at the second, so a flood of `recv`s does
//! not rebuild an id- or state-sorted list.
//!
//! Pure: reads the session, knows nothing of the terminal.

mod filter;
mod order;

pub use filter::{Filter, address_contains, role_label, state_names};
pub use order::{Order, SortColumn, SortDirection, last_activity_us};

use crate::event::ConnId;
use crate::session::{Connection, Session};
use std::cmp::Ordering;

/// The ids the panel lists, in order, and what they were built from.
#[derive(Debug, Default)]
pub struct Rows {
    ids: Vec<ConnId>,
    /// The session's state the ids reflect; `None` until built, or after a change of order or
    /// filter.
    built_for: Option<Stamp>,
}

/// What a built list depends on in the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    roster: u64,
    /// The events applied, for orders that follow traffic; `None` for the others.
    traffic: Option<u64>,
}

impl Stamp {
    fn of(session: &Session, order: Order) -> Self {
        Self {
            roster: session.roster_generation(),
            traffic: order.column.follows_traffic().then(|| session.events_applied()),
        }
    }
}

impl Rows {
    /// The order or the filter changed: the next [`Rows::refresh`] rebuilds.
    pub fn invalidate(&mut self) {
        self.built_for = None;
    }

    /// Rebuilds the list if the session changed in a way that matters to `order` and
    /// `filter`, or after [`Rows::invalidate`]; otherwise costs two comparisons.
    pub fn refresh(&mut self, session: &Session, order: Order, filter: Option<&Filter>) {
        let stamp = Stamp::of(session, order);
        if self.built_for != Some(stamp) {
            ordered_ids(session, order, filter, &mut self.ids);
            self.built_for = Some(stamp);
        }
    }

    /// The listed ids, as last built.
    #[must_use]
    pub fn ids(&self) -> &[ConnId] {
        &self.ids
    }
}

/// Puts into `out` the ids of the sockets `filter` lets through (all without one), sorted by
/// `order`. One pass over the session plus, unless the order is the session's own id order, one
/// sort of references: no string is built per row (see [`Filter::matches`]).
pub fn ordered_ids(
    session: &Session,
    order: Order,
    filter: Option<&Filter>,
    out: &mut Vec<ConnId>,
) {
    out.clear();
    let mut scratch = String::new();
    let mut shown = |conn: &&Connection| filter.is_none_or(|f| f.matches(conn, &mut scratch));
    if order.is_id_order() {
        out.extend(session.connections().filter(|conn| shown(conn)).map(|conn| conn.id));
        return;
    }
    let mut rows: Vec<&Connection> = session.connections().filter(|conn| shown(conn)).collect();
    // The comparison breaks ties by id, so it is a total order: unstable sorting is
    // deterministic.
    rows.sort_unstable_by(|a, b| order.compare(a, b));
    out.extend(rows.iter().map(|conn| conn.id));
}

/// Where `id` would stand in `ids` (sorted by `order`): the index of the first listed row that
/// sorts after it. For a selected socket the filter hides, `j` goes to that row and `k` to the
/// one before it. O(log n).
#[must_use]
pub fn insertion_point(session: &Session, ids: &[ConnId], order: Order, id: ConnId) -> usize {
    let Some(conn) = session.connection(id) else { return 0 };
    ids.partition_point(|&other| {
        session.connection(other).is_some_and(|row| order.compare(row, conn) == Ordering::Less)
    })
}

#[cfg(test)]
mod tests;
