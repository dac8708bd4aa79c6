//! The two ways the App meets recordings: playing one back (keys and `:` commands become
//! [`PlayerCommand`]s; the player's reports and events come back as messages), and recording
//! the live session (`Ctrl-R`, `:record FILE`), where the App says what the recording must
//! begin with and the runner does the writing.

use super::{App, Overlay, Source};
use crate::event::{CallSite, ConnId, Event};
use crate::framing::Spec;
use crate::tui::keymap::Action;
use crate::tui::lineedit::LineEditor;
use crate::tui::msg::{Effect, RecordingNews};
use crate::tui::timeline::{PlayerCommand, SeekTarget, Speed, Timeline};
use std::path::PathBuf;

impl App {
    /// Where the replay stands, as the player last said; `None` in a live session.
    #[must_use]
    pub fn timeline(&self) -> Option<&Timeline> {
        self.playback.timeline.as_ref()
    }

    /// The file the live session is being recorded into, if any.
    #[must_use]
    pub fn recording(&self) -> Option<&std::path::Path> {
        self.playback.recording.as_deref()
    }

    /// The session is being recorded into `path` from the start (`--record`).
    pub fn set_recording(&mut self, path: Option<PathBuf>) {
        self.playback.recording = path;
    }

    /// Replay keys: each becomes one command for the player.
    pub(super) fn perform_on_replay(&mut self, action: Action) -> Vec<Effect> {
        let speed = self.timeline().map_or(Speed::Times(1.0), |timeline| timeline.speed);
        let command = match action {
            Action::TogglePlay => PlayerCommand::TogglePlay,
            Action::StepEvent => PlayerCommand::StepForward,
            Action::StepEventBack => PlayerCommand::StepBack,
            Action::ReplayFaster => PlayerCommand::SetSpeed(speed.faster()),
            Action::ReplaySlower => PlayerCommand::SetSpeed(speed.slower()),
            Action::SeekStart => PlayerCommand::Seek(SeekTarget::Start),
            Action::SeekEnd => PlayerCommand::Seek(SeekTarget::End),
            Action::PromptSeek => {
                self.open_command_line_with("seek ");
                return Vec::new();
            }
            _ => return Vec::new(),
        };
        self.command_player(command)
    }

    /// Sends `command` to the player, saying what was asked where it is not obvious.
    pub(super) fn command_player(&mut self, command: PlayerCommand) -> Vec<Effect> {
        if self.source != Source::Replay {
            self.set_error("that applies to a replay: sockscope replay FILE");
            return Vec::new();
        }
        if let PlayerCommand::SetSpeed(speed) = command {
            self.set_info(format!("replay speed {speed}"));
        }
        vec![Effect::Player(command)]
    }

    /// `Ctrl-R`: stops the recording, or asks where to start one.
    pub(super) fn toggle_recording(&mut self) -> Vec<Effect> {
        if self.source == Source::Replay {
            self.set_error("this is a replay: it is a recording already (export writes copies)");
            return Vec::new();
        }
        if self.playback.recording.is_some() {
            return self.stop_recording();
        }
        self.open_command_line_with("record ");
        Vec::new()
    }

    /// `:record FILE`: begins with the events that recreate the open sockets, so that the
    /// recording makes sense on its own.
    pub(super) fn start_recording(&mut self, path: String) -> Vec<Effect> {
        if let Some(current) = &self.playback.recording {
            let current = crate::inspect::escape::escape_str(&current.to_string_lossy());
            self.set_error(format!("already recording into {current} (Ctrl-R stops)"));
            return Vec::new();
        }
        let config = self.session.config();
        let framing = (config.framing.to_string(), config.max_message);
        let opening = self.session.opening_events(self.clock_us);
        vec![Effect::StartRecording { path: PathBuf::from(path), opening, framing }]
    }

    pub(super) fn stop_recording(&mut self) -> Vec<Effect> {
        if self.playback.recording.is_none() {
            self.set_error("not recording (Ctrl-R or :record FILE starts)");
            return Vec::new();
        }
        vec![Effect::StopRecording]
    }

    pub(super) fn hear_recording(&mut self, news: RecordingNews) {
        let shown =
            |path: &std::path::Path| crate::inspect::escape::escape_str(&path.to_string_lossy());
        match news {
            RecordingNews::Started { path } => {
                self.set_info(format!("recording into {} (Ctrl-R stops)", shown(&path)));
                self.playback.recording = Some(path);
            }
            RecordingNews::Failed { path, error } => {
                self.set_error(format!("recording {}: {error}", shown(&path)));
                self.playback.recording = None;
            }
            RecordingNews::Exists { path } => {
                self.say_the_name_is_taken(&path);
                self.playback.recording = None;
            }
            RecordingNews::Finished { path, result } => {
                match result {
                    Ok(summary) => self.set_info(format!("recorded {}: {summary}", shown(&path))),
                    Err(error) => self.set_error(format!("recording {}: {error}", shown(&path))),
                }
                self.playback.recording = None;
            }
        }
    }

    /// A file the UI was to create exists already. The UI has no `--force`: it says what to
    /// do instead.
    pub(super) fn say_the_name_is_taken(&mut self, path: &std::path::Path) {
        let shown = crate::inspect::escape::escape_str(&path.to_string_lossy());
        self.set_error(format!("{shown} exists: choose another name (the UI never overwrites)"));
    }

    /// Events from the recording: folded like the engine's, then the framings chosen for
    /// single connections are put back on connections the replay has just recreated.
    /// A traced program's events (those with a call site) are applied as the live trace
    /// applied them.
    pub(super) fn apply_replayed(
        &mut self,
        events: &[Event],
        sites: &[Option<CallSite>],
        timeline: Timeline,
    ) {
        for (index, event) in events.iter().enumerate() {
            match sites.get(index).copied().flatten() {
                Some(site) => self.apply_traced(&[(event.clone(), site)]),
                None => self.apply_event(event),
            }
        }
        self.playback.timeline = Some(timeline);
        for (conn, spec) in &self.playback.framings {
            if self.session.framing_of(*conn).is_some_and(|current| current != spec) {
                self.session.set_framing(Some(*conn), spec.clone());
            }
        }
    }

    /// The player starts again from the first event: an empty session with the same framing.
    pub(super) fn rewind(&mut self) {
        let layer = self.session.layer();
        self.session = crate::session::Session::new(self.session.config().clone());
        // Which layer of TLS connections is shown is the person's choice, as the framing is.
        self.session.set_layer(layer);
        // The new session counts its changes from zero again: the cached rows must not be
        // taken for current when its counters reach the old values.
        self.conns.rows.get_mut().invalidate();
        self.call_rows.get_mut().invalidate();
        self.clock_us = 0;
        self.cursor = None;
        self.message_pick = None;
        self.paused.clear();
        self.forget_statuses_about_the_session();
    }

    /// A replay keeps a framing chosen for one connection across rewinds, which recreate it.
    pub(super) fn remember_framing(&mut self, conn: Option<ConnId>, spec: &Spec) {
        if self.source != Source::Replay {
            return;
        }
        match conn {
            Some(conn) => {
                self.playback.framings.insert(conn, spec.clone());
            }
            None => self.playback.framings.clear(),
        }
    }

    pub(super) fn open_command_line_with(&mut self, text: &str) {
        let mut editor = LineEditor::default();
        editor.insert_str(text);
        self.histories.commands.restart();
        self.overlay = Overlay::CommandLine { editor };
    }
}

/// The App's part in recordings.
#[derive(Debug, Default)]
pub struct Playback {
    pub(super) timeline: Option<Timeline>,
    pub(super) recording: Option<PathBuf>,
    /// Framings the user chose for single connections during a replay.
    pub(super) framings: std::collections::BTreeMap<ConnId, Spec>,
}

#[cfg(test)]
mod tests;
