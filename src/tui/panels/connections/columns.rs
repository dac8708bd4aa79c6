//! The Connections table's columns: which fit the panel's width, and each cell's text.
//!
//! A narrow panel (the left column of an 80-column terminal has 28 cells) cannot show every
//! column, so columns are taken in order of importance until the width is used, and the
//! addresses get what is left. They are drawn in a fixed order whatever was dropped.

use super::super::{kit, palette};
use crate::event::Address;
use crate::session::Connection;
use crate::tui::conn_view::{Order, SortColumn, role_label};
use crate::tui::render_context::RenderContext;
use crate::tui::text::peer_text_span;
use ratatui::style::Style;
use ratatui::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Column {
    Id,
    Role,
    State,
    In,
    Out,
    Queued,
    Interest,
    Pair,
    Addresses,
}

/// Most important first: what a narrow panel keeps.
const PRIORITY: [Column; 9] = [
    Column::Id,
    Column::State,
    Column::In,
    Column::Out,
    Column::Interest,
    Column::Addresses,
    Column::Pair,
    Column::Role,
    Column::Queued,
];

/// Left to right.
const ORDER: [Column; 9] = [
    Column::Id,
    Column::Role,
    Column::State,
    Column::In,
    Column::Out,
    Column::Queued,
    Column::Interest,
    Column::Pair,
    Column::Addresses,
];

/// Cells of the longest short size (`1023B`).
const SIZE_WIDTH: usize = 5;
/// Addresses narrower than this say too little to be worth a column; 15 cells hold a whole
/// `127.0.0.1:65535`, so a port is never cut in the common case.
const MIN_ADDRESSES: usize = 15;
/// Narrower than this, a stream shows only its peer (the local side is mostly the listener's
/// address, the same on every accepted row).
const BOTH_ADDRESSES: usize = 30;

impl Column {
    fn title(self, width: usize) -> &'static str {
        match self {
            Column::Addresses if width < BOTH_ADDRESSES => "peer",
            // `#`, as the ids are written: with the sort mark, `#▲` fits the narrowest ids.
            Column::Id => "#",
            Column::Role => "role",
            Column::State => "state",
            Column::In => "in",
            Column::Out => "out",
            Column::Queued => "queue",
            Column::Interest => "RW",
            Column::Pair => "pair",
            Column::Addresses => "local <-> peer",
        }
    }

    /// Cells the column needs; `id_width` is the widest id (`#` included). Each sortable
    /// column has room for its title and the sort mark (`#▲`, `in▼`).
    fn width(self, id_width: usize) -> usize {
        match self {
            Column::Id => id_width.max(2),
            Column::Role => 8,
            Column::State => 12,
            Column::In | Column::Out | Column::Queued => SIZE_WIDTH,
            Column::Interest => 2,
            Column::Pair => id_width + 3,
            Column::Addresses => MIN_ADDRESSES,
        }
    }

    /// The column that shows `sort`, if one does (last activity has none).
    fn showing(sort: SortColumn) -> Option<Self> {
        match sort {
            SortColumn::Id => Some(Column::Id),
            SortColumn::State => Some(Column::State),
            SortColumn::BytesIn => Some(Column::In),
            SortColumn::BytesOut => Some(Column::Out),
            SortColumn::Peer => Some(Column::Addresses),
            SortColumn::Activity => None,
        }
    }

    /// Sizes are right-aligned so their units line up.
    fn right_aligned(self) -> bool {
        matches!(self, Column::In | Column::Out | Column::Queued)
    }
}

/// The columns that fit `width` cells, left to right, with their widths.
pub(super) fn plan(width: usize, id_width: usize) -> Vec<(Column, usize)> {
    let mut chosen = Vec::new();
    let mut used = 0;
    for column in PRIORITY {
        let need = column.width(id_width) + usize::from(!chosen.is_empty());
        if used + need <= width {
            used += need;
            chosen.push(column);
        }
    }
    ORDER
        .into_iter()
        .filter(|column| chosen.contains(column))
        .map(|column| {
            let extra = if column == Column::Addresses { width - used } else { 0 };
            (column, column.width(id_width) + extra)
        })
        .collect()
}

/// Whether the plan has a column showing `sort`.
pub(super) fn shows(plan: &[(Column, usize)], sort: SortColumn) -> bool {
    Column::showing(sort).is_some_and(|shown| plan.iter().any(|&(column, _)| column == shown))
}

/// The header row's cells; the sort column's title carries `▲` (ascending) or `▼`.
pub(super) fn titles(
    plan: &[(Column, usize)],
    order: Order,
    cx: &RenderContext,
) -> Vec<Span<'static>> {
    let sorted = Column::showing(order.column);
    let mark = cx.glyphs.text(order.direction.glyph());
    let cells = plan.iter().map(|&(column, width)| {
        let title = column.title(width);
        let title =
            if Some(column) == sorted { format!("{title}{mark}") } else { title.to_string() };
        vec![Span::styled(pad(&title, width, column.right_aligned()), palette::header())]
    });
    join(cells)
}

/// One connection's cells; `base` is the row's style (the selected row is reversed).
pub(super) fn cells(
    conn: &Connection,
    plan: &[(Column, usize)],
    base: Style,
    cx: &RenderContext,
) -> Vec<Span<'static>> {
    let cells = plan.iter().map(|&(column, width)| {
        let right = column.right_aligned();
        let cell = |text: String, style: Style| vec![Span::styled(pad(&text, width, right), style)];
        match column {
            Column::Id => cell(conn.id.to_string(), base),
            Column::Role => cell(role_label(conn.role).to_string(), base),
            Column::State => {
                cell(conn.state.to_string(), base.patch(palette::state(conn.state, &cx.theme)))
            }
            Column::In => cell(kit::short_size(conn.bytes(crate::event::Dir::In)), base),
            Column::Out => cell(kit::short_size(conn.bytes(crate::event::Dir::Out)), base),
            Column::Queued if conn.queued == 0 => cell("-".to_string(), base),
            Column::Queued => cell(kit::short_size(conn.queued), base),
            Column::Interest => cell(conn.interest.to_string(), base),
            Column::Pair => {
                cell(conn.pair.map(|pair| format!("<->{pair}")).unwrap_or_default(), base)
            }
            Column::Addresses => addresses(conn, width >= BOTH_ADDRESSES, base, cx),
        }
    });
    join(cells)
}

/// ` (2 peers, busiest udp:127.0.0.1:5000: 3 in 3 out)`: how many peers a bound datagram
/// socket heard from, and the busiest one's datagram counts. The address is peer text (a Unix
/// name may hold any byte): escaped.
fn peers_summary(conn: &Connection, base: Style, cx: &RenderContext) -> Vec<Span<'static>> {
    let count = conn.peers.len();
    let busiest = conn.peers.iter().max_by_key(|(_, t)| t.datagrams_in + t.datagrams_out);
    let Some((peer, tally)) = busiest else { return Vec::new() };
    let plural = if count == 1 { "" } else { "s" };
    vec![
        Span::styled(format!(" ({count} peer{plural}, busiest "), base),
        peer_text_span(cx.glyphs, &peer.to_string(), base),
        Span::styled(format!(": {} in {} out)", tally.datagrams_in, tally.datagrams_out), base),
    ]
}

/// `└ udp:127.0.0.1:40000 (3 in 1 out)`: a flow of the datagram socket on the row above, its
/// peer (escaped: peer text) and its datagrams each way.
fn flow_addresses(conn: &Connection, base: Style, cx: &RenderContext) -> Vec<Span<'static>> {
    let peer = conn.peer.as_ref().map_or_else(|| "?".to_string(), ToString::to_string);
    let tally = conn.peer.as_ref().and_then(|peer| conn.peers.tally(peer)).unwrap_or_default();
    vec![
        Span::styled(cx.glyphs.text("└ ").into_owned(), base),
        peer_text_span(cx.glyphs, &peer, base),
        Span::styled(format!(" ({} in {} out)", tally.datagrams_in, tally.datagrams_out), base),
    ]
}

/// `local <-> peer`, or only the peer when narrow; a listener: its local address, marked when
/// it binds every interface. Addresses may come from a recording (a Unix path can hold any
/// byte): escaped.
fn addresses(conn: &Connection, both: bool, base: Style, cx: &RenderContext) -> Vec<Span<'static>> {
    let text =
        |addr: &Option<Address>| addr.as_ref().map_or_else(|| "?".to_string(), ToString::to_string);
    if let crate::session::Role::Flow { .. } = conn.role {
        return flow_addresses(conn, base, cx);
    }
    if conn.is_listener() || conn.role == crate::session::Role::Bound {
        let mut spans = vec![peer_text_span(cx.glyphs, &text(&conn.local), base)];
        if conn.local.as_ref().is_some_and(Address::is_unspecified) {
            spans.push(Span::styled(" (ALL interfaces)", base.patch(palette::warning_text())));
        }
        spans.extend(peers_summary(conn, base, cx));
        spans.extend(traced_by(conn, base));
        return spans;
    }
    let peer = peer_text_span(cx.glyphs, &text(&conn.peer), base);
    // What TLS agreed follows the peer (`[TLSv1.3 h2]`); the ALPN name came from a peer.
    let tls =
        conn.tls.as_ref().map(|agreed| peer_text_span(cx.glyphs, &format!(" [{agreed}]"), base));
    let mut spans = if both {
        vec![peer_text_span(cx.glyphs, &text(&conn.local), base), Span::styled(" <-> ", base), peer]
    } else {
        vec![peer]
    };
    spans.extend(tls);
    spans.extend(traced_by(conn, base));
    spans
}

/// A traced program's socket: ` pid 42 fd 3`, the process and descriptor of its latest call.
fn traced_by(conn: &Connection, base: Style) -> Option<Span<'static>> {
    conn.traced_by.map(|(pid, fd)| Span::styled(format!(" pid {pid} fd {fd}"), base))
}

fn pad(text: &str, width: usize, right: bool) -> String {
    if right { format!("{text:>width$}") } else { format!("{text:<width$}") }
}

/// The cells with one space between them.
fn join(cells: impl Iterator<Item = Vec<Span<'static>>>) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (index, cell) in cells.enumerate() {
        if index > 0 {
            spans.push(Span::raw(" "));
        }
        spans.extend(cell);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_panels_keep_the_important_columns() {
        let names = |width| plan(width, 3).into_iter().map(|(c, _)| c).collect::<Vec<_>>();
        assert_eq!(names(0), vec![]);
        assert_eq!(names(28), vec![Column::Id, Column::State, Column::In, Column::Out]);
        let wide = names(200);
        assert_eq!(wide, ORDER.to_vec());
        let total: usize = plan(200, 3).iter().map(|(_, w)| w + 1).sum::<usize>() - 1;
        assert_eq!(total, 200, "the addresses take what is left");
    }

    #[test]
    fn a_tls_connection_shows_its_version_and_alpn_after_the_peer() {
        use crate::event::{ConnId, Event, EventKind, TlsEstablished, TlsStage};
        let mut session = crate::session::Session::new(crate::session::SessionConfig::default());
        let addr = |text: &str| Address::Ip(text.parse().unwrap());
        let accept = EventKind::Accept {
            conn: ConnId(2),
            listener: ConnId(1),
            local: addr("127.0.0.1:8443"),
            peer: addr("127.0.0.1:50000"),
        };
        let agreed = TlsEstablished {
            version: "TLSv1.3".into(),
            alpn: Some("h2".into()),
            ..TlsEstablished::default()
        };
        let up = EventKind::Tls { conn: ConnId(2), stage: TlsStage::Established(Box::new(agreed)) };
        let row = |session: &crate::session::Session| {
            let conn = session.connection(ConnId(2)).expect("the connection");
            let spans = cells(conn, &plan(120, 3), Style::default(), &RenderContext::default());
            spans.iter().map(|s| s.content.to_string()).collect::<String>()
        };
        session.apply(&Event { kind: accept, t_us: 1 });
        assert!(!row(&session).contains("TLS"), "nothing before the handshake");
        session.apply(&Event { kind: up, t_us: 2 });
        assert!(row(&session).contains("127.0.0.1:50000 [TLSv1.3 h2]"), "{}", row(&session));
    }
}
