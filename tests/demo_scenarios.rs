//! Every built-in scenario runs to completion against the real engine on loopback.

mod common;

use common::{DEADLINE, Harness};
use sockscope::demo::{Repeat, SCENARIOS, scenario};
use sockscope::engine::EngineConfig;
use sockscope::event::{ConnId, EventKind};
use std::collections::BTreeSet;
use std::time::Instant;

#[test]
fn every_scenario_finishes_and_closes_every_connection_it_made() {
    for entry in SCENARIOS {
        let mut demo = scenario(Some(entry.name), Repeat::Once).expect("listed scenarios exist");
        let mut h = Harness::start(demo.engine_config(EngineConfig::default()));
        for command in demo.start() {
            h.send(command);
        }
        let started = Instant::now();
        let mut seen = 0;
        while !demo.is_finished() {
            assert!(
                started.elapsed() < DEADLINE,
                "{} did not finish; log:\n{}",
                entry.name,
                h.log()
            );
            h.pump();
            let fresh: Vec<_> = h.seen[seen..].to_vec();
            seen = h.seen.len();
            let now = u64::try_from(started.elapsed().as_micros()).unwrap();
            let mut commands: Vec<_> = fresh.iter().flat_map(|e| demo.on_event(e)).collect();
            commands.extend(demo.on_tick(now));
            for command in commands {
                h.send(command);
            }
            std::thread::park_timeout(std::time::Duration::from_millis(5));
        }
        let streams: BTreeSet<ConnId> = (h.seen.iter())
            .filter_map(|e| match e.kind {
                EventKind::Accept { conn, .. } | EventKind::Connected { conn, .. } => Some(conn),
                _ => None,
            })
            .collect();
        assert!(!streams.is_empty(), "{}", entry.name);
        common::eventually("every connection closed", || {
            h.pump();
            let closed: BTreeSet<ConnId> = (h.seen.iter())
                .filter_map(|e| match e.kind {
                    EventKind::Close { conn, .. } => Some(conn),
                    _ => None,
                })
                .collect();
            streams.is_subset(&closed)
        });
    }
}
