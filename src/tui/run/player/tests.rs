//! The player against real recording files: order, steps, seeks both ways, the end, damage.
//! The UI's side is played by [`Ui`], which applies batches and returns their credits.

use super::*;
use crate::event::{ConnId, EventKind};
use crate::record::Recorder;
use crate::tui::msg::Msg;
use crate::tui::run::sink::Credits;
use crate::tui::timeline::{SeekTarget, Speed, Timeline};
use bytes::Bytes;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// Long enough for a slow machine; conditions are waited for, never a fixed time.
const DEADLINE: Duration = Duration::from_secs(20);

/// `count` receive events, one every 10 ms of recorded time, carrying their number.
fn events(count: u64) -> Vec<Event> {
    (0..count)
        .map(|n| {
            let data = Bytes::from(n.to_be_bytes().to_vec());
            let kind = EventKind::Recv { conn: ConnId(1), max: 64, len: data.len(), data };
            Event { kind, t_us: n * 10_000 }
        })
        .collect()
}

fn recording(dir: &tempfile::TempDir, events: &[Event]) -> PathBuf {
    let path = dir.path().join("session.sscope");
    let recorder = Recorder::create(&path, false).expect("recording created");
    recorder.record(events).expect("recorded");
    recorder.finish().expect("closed");
    path
}

/// The UI loop's part: what it was sent, applied in order.
struct Ui {
    msgs: Receiver<Msg>,
    credits: Credits,
    applied: Vec<Event>,
    rewinds: usize,
    timeline: Option<Timeline>,
    /// The most events one batch brought.
    largest_batch: usize,
}

impl Ui {
    /// Receives until `done` holds, or fails at the deadline.
    fn until(&mut self, what: &str, done: impl Fn(&Self) -> bool) {
        let deadline = Instant::now() + DEADLINE;
        while !done(self) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.msgs.recv_timeout(left) {
                Ok(Msg::Replay { events, timeline, .. }) => {
                    self.largest_batch = self.largest_batch.max(events.len());
                    self.applied.extend(events);
                    self.timeline = Some(timeline);
                    self.credits.release();
                }
                Ok(Msg::Timeline(timeline)) => self.timeline = Some(timeline),
                Ok(Msg::Rewind) => {
                    self.applied.clear();
                    self.rewinds += 1;
                }
                Ok(other) => panic!("unexpected {other:?}"),
                Err(err) => panic!("{what}: not reached ({err}); timeline {:?}", self.timeline),
            }
        }
    }

    fn settled(&self) -> bool {
        self.timeline.as_ref().is_some_and(|t| !t.seeking && t.applied == self.applied.len() as u64)
    }
}

fn start(path: &Path) -> (Player, Ui) {
    let (tx, msgs) = mpsc::channel();
    let (outbox, credits) = Outbox::new(tx);
    let reader = Reader::open(path).expect("opens");
    let player = Player::start(path, reader, None, outbox).expect("player starts");
    (
        player,
        Ui { msgs, credits, applied: Vec::new(), rewinds: 0, timeline: None, largest_batch: 0 },
    )
}

#[test]
fn as_fast_as_possible_plays_every_event_in_order_then_stops_at_the_end() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recorded = events(3000);
    let (player, mut ui) = start(&recording(&dir, &recorded));
    assert!(player.send(PlayerCommand::SetSpeed(Speed::Max)));
    ui.until("the end", |ui| ui.timeline.as_ref().is_some_and(|t| t.at_end() && !t.playing));
    assert_eq!(ui.applied, recorded);
    let timeline = ui.timeline.clone().expect("reported");
    assert_eq!(
        (timeline.total, timeline.end_us, timeline.damage),
        (Some(3000), Some(29_990_000), None)
    );
}

#[test]
fn steps_apply_one_event_each_way() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recorded = events(50);
    let (player, mut ui) = start(&recording(&dir, &recorded));
    player.send(PlayerCommand::Pause);
    ui.until("paused", |ui| ui.timeline.as_ref().is_some_and(|t| !t.playing));
    player.send(PlayerCommand::Seek(SeekTarget::Start));
    ui.until("at the start", |ui| ui.settled() && ui.applied.is_empty() && ui.rewinds == 1);
    for n in 1..=3 {
        player.send(PlayerCommand::StepForward);
        ui.until("one step", |ui| ui.settled() && ui.applied.len() == n);
    }
    assert_eq!(ui.applied, recorded[..3]);
    player.send(PlayerCommand::StepBack);
    ui.until("one step back", |ui| ui.rewinds == 2 && ui.settled() && ui.applied.len() == 2);
    assert_eq!(ui.applied, recorded[..2], "rebuilt from the first event");
    assert!(!ui.timeline.as_ref().expect("reported").playing, "a step pauses");
}

#[test]
fn seeks_go_to_an_event_or_a_time_in_either_direction() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recorded = events(2500);
    let (player, mut ui) = start(&recording(&dir, &recorded));
    player.send(PlayerCommand::Pause);
    player.send(PlayerCommand::Seek(SeekTarget::Event(2000)));
    ui.until("event 2000", |ui| ui.settled() && ui.applied.len() == 2000);
    assert_eq!(ui.applied, recorded[..2000]);
    // Back in time: the session is rebuilt up to the last event at or before 5.005 s.
    player.send(PlayerCommand::Seek(SeekTarget::Time(5_005_000)));
    ui.until("5.005 s", |ui| ui.rewinds >= 1 && ui.settled() && ui.applied.len() == 501);
    assert_eq!(ui.timeline.as_ref().expect("reported").t_us, 5_000_000);
    player.send(PlayerCommand::Seek(SeekTarget::Relative(1_000_000)));
    ui.until("+1 s", |ui| ui.settled() && ui.applied.len() == 601);
    player.send(PlayerCommand::Seek(SeekTarget::End));
    ui.until("the end", |ui| ui.settled() && ui.applied.len() == 2500);
    assert_eq!(ui.applied, recorded, "every event once, in order");
    // Play at the end starts again from the beginning.
    player.send(PlayerCommand::SetSpeed(Speed::Max));
    player.send(PlayerCommand::Play);
    ui.until("played again", |ui| ui.rewinds >= 2 && ui.settled() && ui.applied.len() == 2500);
}

#[test]
fn a_truncated_file_plays_what_it_holds_and_says_where_it_stops() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recorded = events(100);
    let path = recording(&dir, &recorded);
    let len = std::fs::metadata(&path).expect("size").len();
    let file = std::fs::OpenOptions::new().write(true).open(&path).expect("opens");
    file.set_len(len - 20).expect("cut");
    let (player, mut ui) = start(&path);
    player.send(PlayerCommand::SetSpeed(Speed::Max));
    ui.until("the damage", |ui| ui.timeline.as_ref().is_some_and(|t| t.damage.is_some()));
    ui.until("stopped", |ui| ui.timeline.as_ref().is_some_and(|t| !t.playing));
    let damage = ui.timeline.clone().and_then(|t| t.damage).expect("damage");
    assert!(damage.contains("truncated at byte"), "{damage}");
    assert!(!ui.applied.is_empty() && ui.applied.len() < 100, "{} events", ui.applied.len());
    assert_eq!(ui.applied, recorded[..ui.applied.len()], "the events before the cut");
}

#[test]
fn the_player_stops_when_the_ui_goes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (player, ui) = start(&recording(&dir, &events(5000)));
    player.send(PlayerCommand::SetSpeed(Speed::Max));
    // The player may be waiting for a credit: with the UI's ends gone, it ends, and the drop
    // (which joins the thread) returns.
    drop(ui);
    drop(player);
}

#[test]
fn steps_pressed_faster_than_events_arrive_all_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recorded = events(20);
    let (player, mut ui) = start(&recording(&dir, &recorded));
    player.send(PlayerCommand::Pause);
    player.send(PlayerCommand::Seek(SeekTarget::Start));
    for _ in 0..5 {
        player.send(PlayerCommand::StepForward);
    }
    player.send(PlayerCommand::StepBack);
    ui.until("four events", |ui| ui.rewinds >= 1 && ui.settled() && ui.applied.len() == 4);
    assert_eq!(ui.applied, recorded[..4]);
}

#[test]
fn a_splice_relays_bytes_count_toward_a_batchs_payload() {
    let dir = tempfile::tempdir().expect("temp dir");
    let quarter = BATCH_BYTES / 4;
    let data = Bytes::from(vec![0x5a; quarter]);
    let recorded: Vec<Event> = (0..12)
        .map(|n| {
            let kind = EventKind::PipeRead {
                conn: ConnId(1),
                max: quarter,
                len: quarter,
                data: data.clone(),
            };
            Event { kind, t_us: n }
        })
        .collect();
    let (player, mut ui) = start(&recording(&dir, &recorded));
    assert!(player.send(PlayerCommand::SetSpeed(Speed::Max)));
    ui.until("the end", |ui| ui.timeline.as_ref().is_some_and(|t| t.at_end() && !t.playing));
    assert_eq!(ui.applied, recorded);
    assert!(ui.largest_batch <= 4, "{} events of {quarter} bytes in one batch", ui.largest_batch);
}
