//! The player thread's state: where it is in the file, whether it plays, at what speed, and
//! how far a seek still has to go.

use super::{BATCH_BYTES, BATCH_EVENTS, Inbox};
use crate::event::{CallSite, Event};
use crate::record::{ReadStatus, Reader};
use crate::tui::msg::Msg;
use crate::tui::run::sink::Outbox;
use crate::tui::timeline::{PlayerCommand, SeekTarget, Speed, Timeline};
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How far a seek goes before normal playing resumes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Goal {
    Events(u64),
    Time(u64),
    End,
}

pub(super) struct State {
    path: PathBuf,
    reader: Reader<BufReader<File>>,
    /// The next event to apply, read ahead, and its call site (a traced program's).
    next: Option<Event>,
    next_site: Option<CallSite>,
    applied: u64,
    /// Time of the last event applied (of the first event before any).
    t_us: u64,
    playing: bool,
    speed: Speed,
    /// A moment in real time and the recorded time that corresponds to it.
    anchor: (Instant, u64),
    goal: Option<Goal>,
    index: Option<(u64, Option<u64>)>,
    damage: Option<String>,
    outbox: Outbox,
    reported: Option<Timeline>,
}

impl State {
    pub(super) fn new(
        path: PathBuf,
        mut reader: Reader<BufReader<File>>,
        first: Option<Event>,
        outbox: Outbox,
    ) -> Self {
        let next = first.or_else(|| reader.next().map(|(_, event)| event));
        let next_site = reader.site();
        let t_us = next.as_ref().map_or(0, |event| event.t_us);
        let mut state = Self {
            path,
            reader,
            next,
            next_site,
            applied: 0,
            t_us,
            playing: true,
            speed: Speed::Times(1.0),
            anchor: (Instant::now(), t_us),
            goal: None,
            index: None,
            damage: None,
            outbox,
            reported: None,
        };
        state.note_damage();
        state
    }

    pub(super) fn run(mut self, inbox: &Receiver<Inbox>) {
        if !self.report() {
            return;
        }
        loop {
            let received = match self.wait() {
                None => inbox.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(wait) => inbox.recv_timeout(wait),
            };
            match received {
                Ok(message) => {
                    self.handle(message);
                    while let Ok(message) = inbox.try_recv() {
                        self.handle(message);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if !self.deliver_due() || !self.report() {
                return;
            }
        }
    }

    /// How long to wait for a command: `None` for as long as it takes (paused, or at the end).
    fn wait(&mut self) -> Option<Duration> {
        if self.goal.is_some() {
            return Some(Duration::ZERO);
        }
        if !self.playing {
            return None;
        }
        let Some(next) = &self.next else {
            self.playing = false;
            return None;
        };
        Some(self.due_at(next.t_us).saturating_duration_since(Instant::now()))
    }

    /// When, in real time, the event recorded at `t_us` is due.
    fn due_at(&self, t_us: u64) -> Instant {
        let (at, recorded) = self.anchor;
        self.speed.wall_time(t_us.saturating_sub(recorded)).map_or(at, |wait| at + wait)
    }

    fn handle(&mut self, message: Inbox) {
        match message {
            Inbox::Indexed(index) => self.index = Some((index.events, index.last_t_us)),
            Inbox::Command(command) => self.obey(command),
        }
    }

    fn obey(&mut self, command: PlayerCommand) {
        match command {
            PlayerCommand::TogglePlay if self.playing => self.playing = false,
            PlayerCommand::TogglePlay | PlayerCommand::Play => {
                if self.next.is_none() {
                    // Playing from the end starts again from the beginning.
                    self.rewind();
                }
                self.playing = true;
            }
            PlayerCommand::Pause => self.playing = false,
            // Steps count from where earlier steps not yet delivered will land, so that keys
            // pressed faster than the events arrive all count.
            PlayerCommand::StepForward => {
                self.playing = false;
                self.goal = Some(Goal::Events(self.landing() + 1));
            }
            PlayerCommand::StepBack => {
                self.playing = false;
                self.seek(SeekTarget::Event(self.landing().saturating_sub(1)));
            }
            PlayerCommand::Seek(target) => self.seek(target),
            PlayerCommand::SetSpeed(speed) => self.speed = speed,
        }
        self.reanchor();
    }

    /// How many events will have been applied once the seek under way ends.
    fn landing(&self) -> u64 {
        match self.goal {
            Some(Goal::Events(n)) => n,
            _ => self.applied,
        }
    }

    fn seek(&mut self, target: SeekTarget) {
        let goal = match target {
            SeekTarget::Start => {
                self.rewind();
                return;
            }
            SeekTarget::End => Goal::End,
            SeekTarget::Event(n) => {
                if n < self.applied {
                    self.rewind();
                }
                Goal::Events(n)
            }
            SeekTarget::Time(t) => self.seek_time(t),
            SeekTarget::Relative(delta) => self.seek_time(self.t_us.saturating_add_signed(delta)),
        };
        self.goal = Some(goal);
    }

    fn seek_time(&mut self, t_us: u64) -> Goal {
        if self.applied > 0 && t_us < self.t_us {
            self.rewind();
        }
        Goal::Time(t_us)
    }

    /// Starts again from the first event: the UI drops its session first.
    fn rewind(&mut self) {
        let reader = match Reader::open(&self.path) {
            Ok(reader) => reader,
            Err(err) => {
                self.damage = Some(format!("cannot read the file again: {err}"));
                return;
            }
        };
        let _ = self.outbox.notify(Msg::Rewind);
        self.reader = reader;
        self.next = self.reader.next().map(|(_, event)| event);
        self.next_site = self.reader.site();
        self.applied = 0;
        self.t_us = self.next.as_ref().map_or(0, |event| event.t_us);
        self.goal = None;
        self.note_damage();
    }

    /// Playing on from here, now.
    fn reanchor(&mut self) {
        self.anchor = (Instant::now(), self.t_us);
    }

    /// Whether the next event goes out now.
    fn is_due(&self, next: &Event, in_batch: u64, now: Instant) -> bool {
        match self.goal {
            Some(Goal::Events(n)) => self.applied + in_batch < n,
            Some(Goal::Time(t)) => next.t_us <= t,
            Some(Goal::End) => true,
            None => self.playing && self.due_at(next.t_us) <= now,
        }
    }

    /// Posts the events that are due; `false` once the UI has gone.
    fn deliver_due(&mut self) -> bool {
        let now = Instant::now();
        let mut events = Vec::new();
        let mut sites = Vec::new();
        let mut bytes = 0;
        while let Some(next) = &self.next {
            let room = events.len() < BATCH_EVENTS && bytes < BATCH_BYTES;
            if !room || !self.is_due(next, events.len() as u64, now) {
                break;
            }
            bytes += payload_len(next);
            self.t_us = next.t_us;
            events.extend(self.next.take());
            sites.push(self.next_site.take());
            self.next = self.reader.next().map(|(_, event)| event);
            self.next_site = self.reader.site();
        }
        // Sockscope's own sessions have no call sites: no list of nothing.
        if sites.iter().all(Option::is_none) {
            sites.clear();
        }
        self.applied += events.len() as u64;
        self.note_damage();
        let full = events.len() >= BATCH_EVENTS || bytes >= BATCH_BYTES;
        if self.goal.is_some() && !full {
            // Short of a full batch, the seek has reached its goal (or the end).
            self.goal = None;
            self.reanchor();
        }
        if events.is_empty() {
            return true;
        }
        let timeline = self.timeline();
        self.reported = Some(timeline.clone());
        self.outbox.post(Msg::Replay { events, sites, timeline })
    }

    /// Says where the replay is when that changed without events (pause, speed, index).
    fn report(&mut self) -> bool {
        let timeline = self.timeline();
        if self.reported.as_ref() == Some(&timeline) {
            return true;
        }
        self.reported = Some(timeline.clone());
        self.outbox.notify(Msg::Timeline(timeline))
    }

    fn timeline(&self) -> Timeline {
        Timeline {
            applied: self.applied,
            total: self.index.map(|(events, _)| events),
            t_us: self.t_us,
            end_us: self.index.and_then(|(_, end)| end),
            playing: self.playing && self.next.is_some(),
            speed: self.speed,
            seeking: self.goal.is_some(),
            damage: self.damage.clone(),
        }
    }

    /// Once the reader has stopped early, the timeline says why.
    fn note_damage(&mut self) {
        if self.next.is_some() || self.damage.is_some() {
            return;
        }
        if let Some(ending) = self.reader.ending()
            && ending.status != ReadStatus::Complete
        {
            self.damage = Some(ending.status.to_string());
        }
    }
}

/// The bytes `event` moved on a socket, whichever call (or relay path) moved them.
fn payload_len(event: &Event) -> usize {
    event.kind.bytes_moved().map_or(0, |(_, _, data)| data.len())
}
