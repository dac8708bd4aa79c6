//! Every built-in scenario runs to completion against the real engine on loopback.

mod common;

use common::{DEADLINE, Harness};
use sockscope::demo::{Repeat, Tempo, scenario, scenarios};
use sockscope::engine::EngineConfig;
use sockscope::event::{Command, ConnId, EventKind, Pace};
use std::collections::BTreeSet;
use std::time::Instant;

/// Runs the scenario `name` to its end against an engine with `pace`; under
/// [`Pace::Stepped`] a `Step` is sent at every turn, as a presenter pressing Space would.
fn run_to_the_end(name: &str, pace: Pace) -> Harness {
    let mut demo = scenario(Some(name), Tempo::Log, Repeat::Once).expect("listed scenarios exist");
    let config = demo.engine_config(EngineConfig { pace, ..EngineConfig::default() });
    let mut h = Harness::start(config);
    for command in demo.start() {
        h.send(command);
    }
    let started = Instant::now();
    let mut seen = 0;
    while !demo.is_finished() {
        assert!(started.elapsed() < DEADLINE, "{name} did not finish; log:\n{}", h.log());
        h.pump();
        let fresh: Vec<_> = h.seen[seen..].to_vec();
        seen = h.seen.len();
        let now = u64::try_from(started.elapsed().as_micros()).unwrap();
        let mut commands: Vec<_> = fresh.iter().flat_map(|e| demo.on_event(e)).collect();
        commands.extend(demo.on_tick(now));
        if pace == Pace::Stepped {
            commands.push(Command::Step);
        }
        for command in commands {
            h.send(command);
        }
        std::thread::park_timeout(std::time::Duration::from_millis(5));
    }
    h
}

#[test]
fn select_runs_to_its_end_in_step_mode() {
    let h = run_to_the_end("select", Pace::Stepped);
    let most = (h.seen.iter())
        .filter_map(|e| match &e.kind {
            EventKind::Ready(r) => Some(r.readable.len()),
            _ => None,
        })
        .max();
    assert!(most >= Some(2), "several readable in one round; log:\n{}", h.log());
}

#[test]
fn every_scenario_finishes_and_closes_every_connection_it_made() {
    for entry in scenarios() {
        let mut h = run_to_the_end(entry.name, Pace::Free);
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
