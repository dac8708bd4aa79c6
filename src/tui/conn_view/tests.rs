use super::*;
use crate::event::{Address, ClosedBy, Event, EventKind as K, How};
use bytes::Bytes;
use proptest::prelude::*;

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

/// What one accepted socket of a test session is like.
#[derive(Clone, Debug)]
struct Spec {
    port: u16,
    bytes_in: usize,
    bytes_out: usize,
    /// 0 open, 1 read-closed, 2 write-closed, 3 closed, 4 reset.
    fate: u8,
}

/// Listener #1 on 127.0.0.1:9000, then one accepted socket per spec (#2, #3, ...), each
/// receiving and sending its bytes and meeting its fate; the events of socket `n` are stamped
/// so that later sockets are more recently active.
fn session(specs: &[Spec]) -> Session {
    let mut session = Session::default();
    let mut apply = |t_us, kind| session.apply(&Event { kind, t_us });
    apply(0, K::Listen { conn: ConnId(1), local: ip("127.0.0.1:9000") });
    for (n, spec) in (2..).zip(specs) {
        let conn = ConnId(n);
        let t = n * 100;
        let peer = ip(&format!("127.0.0.1:{}", spec.port));
        let local = ip("127.0.0.1:9000");
        apply(t, K::Accept { conn, listener: ConnId(1), local, peer });
        if spec.bytes_in > 0 {
            let data = Bytes::from(vec![b'x'; spec.bytes_in]);
            apply(t + 1, K::Recv { conn, max: 65536, len: spec.bytes_in, data });
        }
        if spec.bytes_out > 0 {
            let data = Bytes::from(vec![b'y'; spec.bytes_out]);
            let len = spec.bytes_out;
            apply(t + 2, K::Send { conn, requested: len, len, data });
        }
        match spec.fate {
            1 => apply(t + 3, K::Eof { conn }),
            2 => apply(t + 3, K::Shutdown { conn, how: How::Write }),
            3 => apply(t + 3, K::Close { conn, by: ClosedBy::Peer }),
            4 => apply(t + 3, K::Close { conn, by: ClosedBy::Reset }),
            _ => {}
        }
    }
    session
}

fn spec(port: u16, bytes_in: usize, bytes_out: usize, fate: u8) -> Spec {
    Spec { port, bytes_in, bytes_out, fate }
}

fn ids(session: &Session, order: Order, filter: Option<&str>) -> Vec<u64> {
    let filter = filter.map(|text| Filter::parse(text).expect("filter").expect("not blank"));
    let mut out = Vec::new();
    ordered_ids(session, order, filter.as_ref(), &mut out);
    out.into_iter().map(|id| id.0).collect()
}

fn order(column: SortColumn, direction: SortDirection) -> Order {
    Order { column, direction }
}

/// #2 :40002 10 in, #3 :40003 500 in closed, #4 :30000 200 in 7 out read-closed, #5 reset.
fn sample() -> Session {
    session(&[
        spec(40002, 10, 0, 0),
        spec(40003, 500, 0, 3),
        spec(30000, 200, 7, 1),
        spec(40005, 0, 0, 4),
    ])
}

#[test]
fn each_column_sorts_its_way() {
    let s = sample();
    let asc = SortDirection::Ascending;
    let desc = SortDirection::Descending;
    assert_eq!(ids(&s, Order::default(), None), [1, 2, 3, 4, 5]);
    assert_eq!(ids(&s, order(SortColumn::Id, desc), None), [5, 4, 3, 2, 1]);
    assert_eq!(ids(&s, Order::by(SortColumn::BytesIn), None), [3, 4, 2, 1, 5], "biggest first");
    assert_eq!(ids(&s, order(SortColumn::BytesIn, asc), None), [1, 5, 2, 4, 3], "ties by id");
    assert_eq!(ids(&s, Order::by(SortColumn::BytesOut), None), [4, 1, 2, 3, 5]);
    // listening, open, read-closed, closed, reset.
    assert_eq!(ids(&s, Order::by(SortColumn::State), None), [1, 2, 4, 3, 5]);
    // :9000 (the listener's own), :30000, :40002, ... numerically, not as text.
    assert_eq!(ids(&s, Order::by(SortColumn::Peer), None), [1, 4, 2, 3, 5]);
    // Newest first; the listener's last call is the accept of #5, just before #5's close.
    assert_eq!(ids(&s, Order::by(SortColumn::Activity), None), [5, 1, 4, 3, 2]);
}

#[test]
fn the_sort_key_cycles_through_every_column() {
    let mut seen = vec![Order::default()];
    for _ in 0..SortColumn::ALL.len() {
        seen.push(seen.last().expect("one").next_column());
    }
    assert_eq!(seen.first(), seen.last());
    assert_eq!(
        seen[2],
        Order { column: SortColumn::BytesIn, direction: SortDirection::Descending }
    );
    assert_eq!(seen[2].reversed().direction, SortDirection::Ascending);
}

#[test]
fn filters_match_words_states_and_negations() {
    let s = sample();
    let by_id = Order::default();
    assert_eq!(ids(&s, by_id, Some("state:open")), [2]);
    assert_eq!(ids(&s, by_id, Some("STATE:Open,listening")), [1, 2]);
    assert_eq!(ids(&s, by_id, Some("state:half-closed")), [4]);
    assert_eq!(ids(&s, by_id, Some("state:ended")), [3, 5]);
    assert_eq!(ids(&s, by_id, Some("-state:ended")), [1, 2, 4]);
    assert_eq!(ids(&s, by_id, Some(":4000")), [2, 3, 5], "a port prefix");
    assert_eq!(ids(&s, by_id, Some(":4000 -state:reset")), [2, 3], "terms are ANDed");
    assert_eq!(ids(&s, by_id, Some("LISTENER")), [1], "the role, any case");
    assert_eq!(ids(&s, by_id, Some("accepted :30000")), [4]);
    assert_eq!(ids(&s, by_id, Some("127.0.0.1:9000")), [1, 2, 3, 4, 5], "local addresses too");
    assert_eq!(ids(&s, by_id, Some("10.0.0.1")), Vec::<u64>::new());
}

#[test]
fn words_match_ipv6_and_unix_addresses_in_any_case() {
    let mut s = Session::default();
    let peers = [ip("[FE80::1:ABCD]:80"), Address::Unix("/tmp/Sock".into())];
    for (n, peer) in (1..).zip(peers) {
        s.apply(&Event {
            kind: K::Connect { conn: ConnId(n), peer, pair: None, client: None },
            t_us: n,
        });
    }
    let by_id = Order::default();
    assert_eq!(ids(&s, by_id, Some("fe80::1:abcd")), [1]);
    assert_eq!(ids(&s, by_id, Some("[FE80::1:ABCD]:80")), [1]);
    assert_eq!(ids(&s, by_id, Some("unix:/tmp/sock")), [2]);
    assert_eq!(ids(&s, by_id, Some("outgoing SOCK")), [2]);
}

#[test]
fn bad_filters_say_what_is_wrong() {
    let error = |text| Filter::parse(text).expect_err(text);
    assert!(error("state:opne").contains("unknown state 'opne'"), "{}", error("state:opne"));
    assert!(error("state:opne").contains("half-closed"), "lists the known states");
    assert!(error("state:").contains("needs a state"));
    assert!(error("state:open,").contains("unknown state ''"));
    assert!(error("x -").contains("'-' needs a term"));
    assert!(error("state:\u{1b}[2J").contains("\\x1b"), "escaped: {}", error("state:\u{1b}[2J"));
    assert_eq!(Filter::parse("   "), Ok(None), "blank clears");
    let tidy = Filter::parse("  a   b ").expect("parses").expect("not blank");
    assert_eq!(tidy.text(), "a b");
}

#[test]
fn jumping_text_looks_at_addresses_only() {
    let s = sample();
    let mut scratch = String::new();
    let conn = s.connection(ConnId(4)).expect("#4");
    assert!(address_contains(conn, ":30000", &mut scratch));
    assert!(!address_contains(conn, "accepted", &mut scratch), "not the role");
}

#[test]
fn the_cache_rebuilds_only_when_its_order_can_change() {
    let mut s = sample();
    let mut rows = Rows::default();
    let by_bytes = Order::by(SortColumn::BytesIn);
    rows.refresh(&s, Order::default(), None);
    assert_eq!(rows.ids().len(), 5);
    // Traffic does not move an id-ordered list: it stays as built.
    let recv =
        |n: usize| K::Recv { conn: ConnId(2), max: 65536, len: n, data: Bytes::from(vec![0; n]) };
    s.apply(&Event { kind: recv(1000), t_us: 10_000 });
    let built_for = rows.built_for;
    rows.refresh(&s, Order::default(), None);
    assert_eq!(rows.built_for, built_for, "no rebuild for traffic in id order");
    // Sorted by bytes it does.
    rows.invalidate();
    rows.refresh(&s, by_bytes, None);
    assert_eq!(rows.ids().first(), Some(&ConnId(2)), "#2 now has the most bytes in");
    s.apply(&Event {
        kind: K::Recv { conn: ConnId(5), max: 1, len: 0, data: Bytes::new() },
        t_us: 1,
    });
    let before = rows.built_for;
    rows.refresh(&s, by_bytes, None);
    assert_ne!(rows.built_for, before, "any event may move a bytes-sorted list");
    // A new socket moves every list.
    let accept = K::Accept {
        conn: ConnId(9),
        listener: ConnId(1),
        local: ip("127.0.0.1:9000"),
        peer: ip("127.0.0.1:1"),
    };
    s.apply(&Event { kind: accept, t_us: 20_000 });
    rows.refresh(&s, by_bytes, None);
    assert_eq!(rows.ids().len(), 6);
}

#[test]
fn traffic_re_sorts_the_filtered_ids_without_filtering_again() {
    let mut s = sample();
    let mut rows = Rows::default();
    let filter = Filter::parse("state:open,read-closed").expect("parses");
    let by_bytes = Order::by(SortColumn::BytesIn);
    rows.refresh(&s, by_bytes, filter.as_ref());
    assert_eq!(rows.ids(), [ConnId(4), ConnId(2)]);
    let kept_for = rows.kept_for;
    let data = Bytes::from(vec![0; 1000]);
    s.apply(&Event { kind: K::Recv { conn: ConnId(2), max: 65536, len: 1000, data }, t_us: 9 });
    rows.refresh(&s, by_bytes, filter.as_ref());
    assert_eq!(rows.ids(), [ConnId(2), ConnId(4)], "sorted again");
    assert_eq!(rows.kept_for, kept_for, "not filtered again");
    s.apply(&Event { kind: K::Close { conn: ConnId(2), by: ClosedBy::Local }, t_us: 10 });
    rows.refresh(&s, by_bytes, filter.as_ref());
    assert_eq!(rows.ids(), [ConnId(4)], "a state change filters again");
    rows.invalidate_order();
    rows.refresh(&s, Order::default(), filter.as_ref());
    assert_eq!(rows.ids(), [ConnId(4)]);
}

#[test]
fn a_hidden_row_has_a_place_between_the_listed_ones() {
    let s = sample();
    let by_bytes = Order::by(SortColumn::BytesIn);
    let mut listed = Vec::new();
    let filter = Filter::parse("state:open,closed").expect("parses");
    ordered_ids(&s, by_bytes, filter.as_ref(), &mut listed);
    assert_eq!(listed, [ConnId(3), ConnId(2)]);
    // #4 (200 bytes) sorts between #3 (500) and #2 (10); #1 (0) after both.
    assert_eq!(insertion_point(&s, &listed, by_bytes, ConnId(4)), 1);
    assert_eq!(insertion_point(&s, &listed, by_bytes, ConnId(1)), 2);
    assert_eq!(insertion_point(&s, &listed, by_bytes, ConnId(99)), 0, "unknown: the top");
}

fn specs() -> impl Strategy<Value = Vec<Spec>> {
    let one = (1u16..2000, 0usize..3000, 0usize..3000, 0u8..5)
        .prop_map(|(port, bytes_in, bytes_out, fate)| spec(port, bytes_in, bytes_out, fate));
    prop::collection::vec(one, 0..40)
}

fn filters() -> impl Strategy<Value = Option<String>> {
    let term = prop::sample::select(vec![
        "state:open",
        "-state:open",
        "state:half-closed",
        "state:ended,listening",
        ":1",
        "-:2",
        "127",
        "accepted",
        "listener",
        "9000",
    ]);
    prop::option::of(prop::collection::vec(term, 1..4).prop_map(|terms| terms.join(" ")))
}

proptest! {
    /// The listed rows are the sockets the filter keeps, each once, in the order asked for.
    #[test]
    fn listed_rows_are_the_filtered_sockets_in_order(
        specs in specs(),
        filter in filters(),
        column in prop::sample::select(SortColumn::ALL.to_vec()),
        descending in any::<bool>(),
    ) {
        let s = session(&specs);
        let direction = if descending { SortDirection::Descending } else { SortDirection::Ascending };
        let order = Order { column, direction };
        let filter = filter.and_then(|text| Filter::parse(&text).expect("valid terms"));
        let mut listed = Vec::new();
        ordered_ids(&s, order, filter.as_ref(), &mut listed);
        let mut scratch = String::new();
        let kept: Vec<ConnId> = s
            .connections()
            .filter(|c| filter.as_ref().is_none_or(|f| f.matches(c, &mut scratch)))
            .map(|c| c.id)
            .collect();
        let mut sorted = listed.clone();
        sorted.sort_unstable();
        prop_assert_eq!(sorted, kept, "a permutation of the filtered sockets");
        for pair in listed.windows(2) {
            let (a, b) = (s.connection(pair[0]).expect("a"), s.connection(pair[1]).expect("b"));
            prop_assert_eq!(order.compare(a, b), Ordering::Less, "{:?} before {:?}", a.id, b.id);
            // The column's own values go the asked way; equal values go by id.
            let wrong_way = if descending { Ordering::Less } else { Ordering::Greater };
            let by_column = column.compare(a, b);
            prop_assert_ne!(by_column, wrong_way, "{:?} then {:?}", a.id, b.id);
            if by_column == Ordering::Equal {
                prop_assert!(a.id < b.id);
            }
        }
        let all = s.connection_count();
        prop_assert!(listed.len() <= all);
        // Every socket, listed or not, has a place in the list that keeps it ordered.
        for conn in s.connections() {
            let at = insertion_point(&s, &listed, order, conn.id);
            let before = listed[..at].iter().filter_map(|&id| s.connection(id));
            for row in before {
                prop_assert_ne!(order.compare(row, conn), Ordering::Greater);
            }
        }
    }
}
