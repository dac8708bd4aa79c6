//! The Connections panel's rows: their order (`o`, `O`, `:sort`), their filter (`/`, `Esc`,
//! `:filter`), and moving the selection along them (`j`/`k`, `Home`/`End`, `PgUp`/`PgDn`,
//! `g`).
//!
//! The rows are a cached list of ids ([`Rows`]), rebuilt lazily when read after the session, the
//! order or the filter changed. Drawing only reads the `App`, so the cache sits in a `RefCell`:
//! whoever reads the rows first after a change (a key, or the next frame) pays for one rebuild,
//! and every other frame pays nothing, however many engine batches arrived in between.
//!
//! A selected connection the filter hides: a new filter (a user's act) moves the selection to
//! the nearest listed row, saying so. A socket that leaves the list by itself (a state filter,
//! and it closed) keeps the selection: a key meant for one socket must never land on another.
//! The panel's title then says the selection is hidden, and `j`/`k` go on from where it would
//! stand.

use super::{App, ConnectionsQuery, Overlay, Scroll, Selection};
use crate::event::ConnId;
use crate::tui::conn_view::{self, Filter, Order, Rows};
use crate::tui::layout;
use crate::tui::lineedit::LineEditor;
use crate::tui::panels::Panel;
use std::cell::{Ref, RefCell};
use std::fmt::Write as _;

/// The order, the filter, and the rows they give.
#[derive(Debug, Default)]
pub(super) struct ConnList {
    order: Order,
    filter: Option<Filter>,
    pub(super) rows: RefCell<Rows>,
}

impl App {
    /// The ids the Connections panel lists, in its order (`j`/`k` walk these). Rebuilt here
    /// if the session, the order or the filter changed since the last read.
    #[must_use]
    pub fn connection_rows(&self) -> Ref<'_, [ConnId]> {
        // Only fails while a `Ref` from an earlier call is alive, which means it is current.
        if let Ok(mut rows) = self.conns.rows.try_borrow_mut() {
            rows.refresh(&self.session, self.conns.order, self.conns.filter.as_ref());
        }
        Ref::map(self.conns.rows.borrow(), Rows::ids)
    }

    /// How the Connections panel is sorted.
    #[must_use]
    pub fn connection_order(&self) -> Order {
        self.conns.order
    }

    /// The Connections panel's filter, if any.
    #[must_use]
    pub fn connection_filter(&self) -> Option<&Filter> {
        self.conns.filter.as_ref()
    }

    /// Whether the filter lets `conn` through (always, without a filter).
    pub(super) fn filter_shows(&self, conn: ConnId) -> bool {
        self.conns.filter.as_ref().is_none_or(|filter| {
            let mut scratch = String::new();
            self.session.connection(conn).is_some_and(|c| filter.matches(c, &mut scratch))
        })
    }

    pub(super) fn set_connection_order(&mut self, order: Order) {
        self.conns.order = order;
        self.conns.rows.get_mut().invalidate_order();
        self.set_info(format!(
            "connections sorted by {}, {} (o: next column, O: reverse)",
            order.column.description(),
            order.direction.description()
        ));
    }

    /// Applies a new filter (`None` clears it) and says how many rows it leaves. A selection
    /// it hides moves to the nearest listed row.
    pub(super) fn set_connection_filter(&mut self, filter: Option<Filter>) {
        self.conns.filter = filter;
        self.conns.rows.get_mut().invalidate();
        let total = self.session.connection_count();
        let Some(text) = self.conns.filter.as_ref().map(|f| crate::tui::payload::shown(f.text()))
        else {
            self.set_info(format!("filter cleared: all {total} connections listed"));
            return;
        };
        let listed = self.connection_rows().len();
        let mut message = format!("filter '{text}': {listed} of {total} connections listed");
        if listed == 0 {
            message.push_str(" (Esc in the panel clears it)");
        } else if let Some((hidden, nearest)) = self.nearest_listed_to_hidden_selection() {
            let selection = match self.selection {
                Selection::Following(_) => Selection::Following(nearest),
                _ => Selection::Chosen(nearest),
            };
            self.change_selection(selection);
            // Writing into a String cannot fail.
            let _ = write!(message, "; {hidden} is hidden, {nearest} selected");
        }
        self.set_info(message);
    }

    /// The selected connection if the rows leave it out, and the listed row nearest to
    /// where it would stand.
    fn nearest_listed_to_hidden_selection(&self) -> Option<(ConnId, ConnId)> {
        let selected = self.selected()?;
        let rows = self.connection_rows();
        if rows.is_empty() || rows.contains(&selected) {
            return None;
        }
        let at = conn_view::insertion_point(&self.session, &rows, self.conns.order, selected);
        Some((selected, rows[at.min(rows.len() - 1)]))
    }

    /// `Esc` in the panel: drops the filter if there is one.
    pub(super) fn clear_connection_filter(&mut self) {
        if self.conns.filter.is_some() {
            self.set_connection_filter(None);
        }
    }

    /// Opens the filter prompt (holding the current filter, to edit) or the go-to prompt.
    pub(super) fn open_connections_prompt(&mut self, kind: ConnectionsQuery) {
        let text = match kind {
            ConnectionsQuery::Filter => self.conns.filter.as_ref().map_or("", Filter::text),
            ConnectionsQuery::Jump => "",
        };
        self.overlay = Overlay::ConnectionsPrompt { kind, editor: LineEditor::with_text(text) };
    }

    /// Enter in a Connections prompt. A filter that does not parse keeps the previous one.
    pub(super) fn submit_connections_prompt(&mut self, kind: ConnectionsQuery, text: &str) {
        match kind {
            ConnectionsQuery::Filter => match Filter::parse(text) {
                Ok(filter) => self.set_connection_filter(filter),
                Err(message) => self.set_error(message),
            },
            ConnectionsQuery::Jump => self.jump_to_connection(text),
        }
    }

    /// Moves the selection `step` rows along the panel's list, stopping at either end; from a
    /// hidden selection, from where it would stand. The user's choice is kept from then on.
    pub(super) fn select_neighbour(&mut self, step: isize) {
        let target = {
            let rows = self.connection_rows();
            let Some(last) = rows.len().checked_sub(1) else { return };
            let at = self.selected().map(|id| {
                if let Some(at) = rows.iter().position(|&row| row == id) {
                    return at.saturating_add_signed(step);
                }
                // Hidden: it stands between rows `at - 1` and `at`, so one step down lands
                // on `at` and one step up on `at - 1`.
                let at = conn_view::insertion_point(&self.session, &rows, self.conns.order, id);
                if step > 0 {
                    at.saturating_add(step.unsigned_abs()).saturating_sub(1)
                } else {
                    at.saturating_add_signed(step)
                }
            });
            rows[at.unwrap_or(0).min(last)]
        };
        self.change_selection(Selection::Chosen(target));
    }

    /// `Home`/`End` in the panel: the first or last listed row, with the list scrolled to
    /// that end (so the top rows stay in view as a sorted list reorders).
    pub(super) fn select_first_or_last_connection(&mut self, last: bool) {
        let target = {
            let rows = self.connection_rows();
            if last { rows.last().copied() } else { rows.first().copied() }
        };
        if let Some(target) = target {
            self.change_selection(Selection::Chosen(target));
            self.scroll[Panel::Connections.index()] =
                if last { Scroll::Follow } else { Scroll::At(0) };
        }
    }

    /// `PgUp`/`PgDn` in the panel: as many rows as the panel shows at once.
    pub(super) fn select_by_pages(&mut self, pages: isize) {
        let (width, height) = self.size;
        let rows = layout::panel_rows(width, height, Panel::Connections, self.arrangement());
        // One row is the table's header.
        let page = rows.saturating_sub(1).max(1).cast_signed();
        self.select_neighbour(pages.saturating_mul(page));
    }

    /// `g`: `#123` or `123` selects that connection; other text, the first listed row whose
    /// local or peer address contains it (any case).
    fn jump_to_connection(&mut self, text: &str) {
        let text = text.trim();
        let digits = text.strip_prefix('#').unwrap_or(text);
        if text.is_empty() {
            return;
        }
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            let id = digits.parse().ok().map(ConnId);
            let known = id.filter(|&id| self.session.connection(id).is_some());
            let Some(id) = known else {
                self.set_error(format!("no connection #{digits}"));
                return;
            };
            if self.connection_rows().contains(&id) {
                self.change_selection(Selection::Chosen(id));
            } else {
                self.set_error(format!(
                    "{id} is hidden by the filter (Esc in the panel clears it)"
                ));
            }
            return;
        }
        let needle = text.to_lowercase();
        let found = {
            let mut scratch = String::new();
            let rows = self.connection_rows();
            rows.iter().copied().find(|&id| {
                self.session
                    .connection(id)
                    .is_some_and(|conn| conn_view::address_contains(conn, &needle, &mut scratch))
            })
        };
        match found {
            Some(id) => self.change_selection(Selection::Chosen(id)),
            None => self.set_error(format!(
                "no listed connection has '{}' in its address (#123 selects by id)",
                crate::tui::payload::shown(text)
            )),
        }
    }
}
