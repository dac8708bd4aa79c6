//! The Connections panel's rows: which sockets it lists ([`Filter`]) and in what order
//! ([`Order`]), kept as a list of ids ([`Rows`]) so that drawing a frame and walking with
//! `j`/`k` never sort or filter.
//!
//! With 10 000 sockets, filtering by words costs about 1 ms and sorting 0.1-0.3 ms
//! (`cargo bench --bench render`); a frame as a whole costs under 1 ms. The list is therefore
//! rebuilt only when something it depends on changed: the order or the filter (the app
//! invalidates it), or the session's sockets. The session says cheaply whether its sockets
//! changed: [`Session::roster_generation`] moves when one opens or changes state, role or
//! address, and [`Session::events_applied`] with any event at all. The filter looks only at
//! the first, so traffic never filters again; only orders that follow traffic (bytes, last
//! activity) look at the second, and then re-sort the ids the filter kept.
//!
//! Pure: reads the session, knows nothing of the terminal.

mod filter;
mod nesting;
mod order;

pub use filter::{Filter, address_contains, role_label, state_names};
pub use order::{Order, SortColumn, SortDirection, last_activity_us};

use crate::event::ConnId;
use crate::session::{Connection, Session};
use std::cmp::Ordering;

/// The ids the panel lists, in order, and what they were built from.
///
/// Two stages, because they change at different rates: the ids the filter keeps depend only
/// on what the roster generation covers (state, role, addresses), so traffic never re-runs the
/// filter; the order of those ids depends on traffic too when sorting by bytes or activity, and
/// re-sorting a filtered list is cheap.
#[derive(Debug, Default)]
pub struct Rows {
    /// The ids the filter keeps, in id order (unused without a filter).
    kept: Vec<ConnId>,
    /// The roster generation `kept` reflects; `None` until built, or after a new filter.
    kept_for: Option<u64>,
    ids: Vec<ConnId>,
    /// The session's state `ids` reflect; `None` until built, or after a new order or filter.
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
    /// The filter changed: the next [`Rows::refresh`] filters and sorts again.
    pub fn invalidate(&mut self) {
        self.kept_for = None;
        self.built_for = None;
    }

    /// The order changed: the next [`Rows::refresh`] sorts again (the filter's ids stay).
    pub fn invalidate_order(&mut self) {
        self.built_for = None;
    }

    /// Rebuilds what the session's changes (or an invalidation) made stale: nothing, the
    /// order only, or the filter's ids and the order. Costs two comparisons when nothing is.
    pub fn refresh(&mut self, session: &Session, order: Order, filter: Option<&Filter>) {
        let stamp = Stamp::of(session, order);
        if self.built_for == Some(stamp) {
            return;
        }
        match filter {
            None => sort_ids(session, order, Candidates::All, &mut self.ids),
            Some(filter) => {
                if self.kept_for != Some(stamp.roster) {
                    filter_ids(session, filter, &mut self.kept);
                    self.kept_for = Some(stamp.roster);
                }
                sort_ids(session, order, Candidates::Only(&self.kept), &mut self.ids);
            }
        }
        self.built_for = Some(stamp);
    }

    /// The listed ids, as last built.
    #[must_use]
    pub fn ids(&self) -> &[ConnId] {
        &self.ids
    }
}

/// Puts into `out` the ids of the sockets `filter` lets through (all without one), sorted by
/// `order`: what [`Rows`] holds, built from scratch.
pub fn ordered_ids(
    session: &Session,
    order: Order,
    filter: Option<&Filter>,
    out: &mut Vec<ConnId>,
) {
    match filter {
        None => sort_ids(session, order, Candidates::All, out),
        Some(filter) => {
            let mut kept = Vec::new();
            filter_ids(session, filter, &mut kept);
            sort_ids(session, order, Candidates::Only(&kept), out);
        }
    }
}

/// The ids of the sockets `filter` lets through, in id order. One pass; no string is built per
/// row (see [`Filter::matches`]).
fn filter_ids(session: &Session, filter: &Filter, out: &mut Vec<ConnId>) {
    out.clear();
    let mut scratch = String::new();
    let kept = session.connections().filter(|conn| filter.matches(conn, &mut scratch));
    out.extend(kept.map(|conn| conn.id));
}

/// Which sockets to sort.
#[derive(Clone, Copy)]
enum Candidates<'a> {
    All,
    /// These ids (of sockets the session has), in id order.
    Only(&'a [ConnId]),
}

/// `candidates` sorted by `order` into `out`.
///
/// Numeric columns are sorted as `(key, id)` pairs, the key read once per socket (and turned
/// around for a descending order): sorting plain integers is several times faster than
/// comparing sockets, whose fields are spread over memory. Addresses are compared as values.
/// Either way the result is exactly [`Order::compare`]'s order (ties by id).
fn sort_ids(session: &Session, order: Order, candidates: Candidates<'_>, out: &mut Vec<ConnId>) {
    out.clear();
    sort_candidates(session, order, candidates, out);
    nesting::nest_flows(out);
}

fn sort_candidates(
    session: &Session,
    order: Order,
    candidates: Candidates<'_>,
    out: &mut Vec<ConnId>,
) {
    match candidates {
        Candidates::All => sort_connections(session.connections(), order, out),
        // Already in id order: no socket to look up.
        Candidates::Only(ids) if order.is_id_order() => out.extend_from_slice(ids),
        Candidates::Only(ids) => {
            let conns = ids.iter().filter_map(|&id| session.connection(id));
            sort_connections(conns, order, out);
        }
    }
}

fn sort_connections<'a>(
    conns: impl Iterator<Item = &'a Connection>,
    order: Order,
    out: &mut Vec<ConnId>,
) {
    if order.is_id_order() {
        out.extend(conns.map(|conn| conn.id));
        return;
    }
    if order.column.is_numeric() {
        let directed = |key: u64| match order.direction {
            SortDirection::Ascending => key,
            SortDirection::Descending => u64::MAX - key,
        };
        let mut keyed: Vec<(u64, ConnId)> = conns
            .map(|conn| (directed(order.column.numeric_key(conn).unwrap_or_default()), conn.id))
            .collect();
        keyed.sort_unstable();
        out.extend(keyed.into_iter().map(|(_, id)| id));
        return;
    }
    let mut rows: Vec<&Connection> = conns.collect();
    // The comparison breaks ties by id, so it is a total order: unstable sorting is
    // deterministic.
    rows.sort_unstable_by(|a, b| order.compare(a, b));
    out.extend(rows.into_iter().map(|conn| conn.id));
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
