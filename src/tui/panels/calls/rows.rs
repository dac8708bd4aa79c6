//! Where each kept call of the selected connection starts, in rows, so that the Calls panel
//! can scroll by rows although a wrapped call takes several.
//!
//! Measuring a call means laying it out ([`wrap::rows`]), so this is a cache: it measures
//! each call once, as it arrives, and drops the front as the bounded log drops old calls.
//! It starts over only when the shape changes (another connection, width, time column,
//! notes on or off, character set) or the log does not continue the one measured (a replay
//! rewound). A frame then costs a binary search, however many calls are kept.

use super::wrap::{self, Shape};
use crate::event::ConnId;
use crate::session::Calls;
use crate::tui::theme::Theme;
use std::collections::VecDeque;

/// Row positions of one connection's kept calls.
#[derive(Debug, Default)]
pub struct CallRows {
    measured: Option<(ConnId, Shape)>,
    /// First row of each measured call, counted from an origin fixed when measuring began;
    /// the front is the oldest call still kept.
    starts: VecDeque<u64>,
    /// The row after the last measured call, from the same origin.
    end: u64,
    /// Calls ever made on the connection when last measured (`Calls::total`).
    total: u64,
}

impl CallRows {
    /// Forgets every measurement (the session was replaced).
    pub fn invalidate(&mut self) {
        self.measured = None;
    }

    /// Brings the measurements up to date with `calls` of `conn` laid out in `shape`.
    pub fn refresh(&mut self, conn: ConnId, calls: &Calls, shape: Shape) {
        let first_measured = self.total - self.starts.len() as u64;
        let continues = self.measured == Some((conn, shape))
            && calls.total() >= self.total
            && calls.dropped() >= first_measured
            && calls.dropped() <= self.total;
        if !continues {
            self.measured = Some((conn, shape));
            self.starts.clear();
            self.end = 0;
            self.total = calls.dropped();
        }
        let first_measured = self.total - self.starts.len() as u64;
        for _ in first_measured..calls.dropped() {
            self.starts.pop_front();
        }
        for number in self.total..calls.total() {
            let index = usize::try_from(number - calls.dropped()).unwrap_or(usize::MAX);
            let rows =
                calls.get(index).map_or(1, |call| wrap::rows(call, shape, &Theme::default()).len());
            self.starts.push_back(self.end);
            self.end += rows as u64;
        }
        self.total = calls.total();
    }

    /// Rows the kept calls take.
    #[must_use]
    pub fn len(&self) -> u64 {
        self.end - self.starts.front().copied().unwrap_or(self.end)
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The kept call that row `row` belongs to (its index among the kept calls), and how many
    /// of its rows come before `row`.
    #[must_use]
    pub fn locate(&self, row: u64) -> Option<(usize, u64)> {
        let origin = self.starts.front().copied()?;
        let row = origin.checked_add(row).filter(|&row| row < self.end)?;
        let index = self.starts.partition_point(|&start| start <= row).checked_sub(1)?;
        Some((index, row - self.starts[index]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Address, Event, EventKind};
    use crate::locale::Lang;
    use crate::session::{Session, SessionConfig};
    use crate::tui::glyphs::Glyphs;

    fn shape(width: usize) -> Shape {
        Shape { width, time_width: 6, notes: true, lang: Lang::En, glyphs: Glyphs::Unicode }
    }

    /// A session whose connection #1 keeps at most `cap` calls.
    fn session(cap: usize) -> Session {
        let mut session =
            Session::new(SessionConfig { calls_per_conn: cap, ..SessionConfig::default() });
        let peer = Address::Ip("127.0.0.1:9000".parse().expect("address"));
        session.apply(&Event {
            kind: EventKind::Connect { conn: ConnId(1), peer, pair: None, client: None },
            t_us: 0,
        });
        session
    }

    /// One more `recv` on #1: a full one (it wraps, with its note) when `full`.
    fn recv(session: &mut Session, t_us: u64, full: bool) {
        let len = if full { 5 } else { 1 };
        let data = bytes::Bytes::from(vec![b'x'; len]);
        session
            .apply(&Event { kind: EventKind::Recv { conn: ConnId(1), max: 5, len, data }, t_us });
    }

    fn calls(session: &Session) -> &Calls {
        session.connection(ConnId(1)).expect("#1").calls()
    }

    /// A session whose #1 made `n` calls: the connect, then recvs, full and not in turn.
    fn log(n: u64) -> Session {
        let mut session = session(100);
        for t_us in 1..n {
            recv(&mut session, t_us, t_us % 2 == 1);
        }
        session
    }

    /// What measuring from scratch gives: the first row of each kept call.
    fn from_scratch(calls: &Calls, shape: Shape) -> Vec<u64> {
        let mut row = 0;
        calls
            .iter()
            .map(|call| {
                let start = row;
                row += wrap::rows(call, shape, &Theme::default()).len() as u64;
                start
            })
            .collect()
    }

    #[test]
    fn measuring_as_calls_arrive_matches_measuring_at_once() {
        let mut rows = CallRows::default();
        let mut session = session(50);
        for t_us in 1..200 {
            recv(&mut session, t_us, t_us % 3 == 0);
            rows.refresh(ConnId(1), calls(&session), shape(40));
            let origin = rows.starts.front().copied().unwrap_or(0);
            let now: Vec<u64> = rows.starts.iter().map(|start| start - origin).collect();
            assert_eq!(now, from_scratch(calls(&session), shape(40)), "after {t_us}");
        }
        assert_eq!(rows.starts.len(), 50);
    }

    #[test]
    fn rows_locate_their_call() {
        let session = log(4);
        let mut rows = CallRows::default();
        rows.refresh(ConnId(1), calls(&session), shape(40));
        let starts = from_scratch(calls(&session), shape(40));
        let total: usize = calls(&session)
            .iter()
            .map(|call| wrap::rows(call, shape(40), &Theme::default()).len())
            .sum();
        assert_eq!(rows.len(), total as u64);
        assert_eq!(rows.locate(0), Some((0, 0)));
        assert_eq!(rows.locate(starts[1]), Some((1, 0)));
        assert_eq!(rows.locate(starts[1] + 1), Some((1, 1)), "a full recv wraps");
        assert_eq!(rows.locate(rows.len()), None);
    }

    #[test]
    fn a_new_shape_or_connection_measures_again() {
        let session = log(10);
        let mut rows = CallRows::default();
        rows.refresh(ConnId(1), calls(&session), shape(40));
        let narrow = rows.len();
        rows.refresh(ConnId(1), calls(&session), shape(400));
        assert_eq!(rows.len(), 10, "one row each when wide");
        assert!(narrow > 10);
        rows.refresh(ConnId(1), calls(&log(3)), shape(400));
        assert_eq!(rows.len(), 3, "a log that went back (a rewind) is measured again");
    }
}
