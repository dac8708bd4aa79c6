//! Presenter aids for a workshop: the lesson text, step mode and slow motion (the engine's
//! pace), an overlay of the keys pressed and what they did, and a high-contrast theme.

use super::App;
use crate::event::{Command, Pace};
use crate::tui::keymap::{Action, Key};
use crate::tui::msg::Effect;
use std::collections::VecDeque;
use std::time::Duration;

/// Keys kept for the key overlay.
const KEY_LOG: usize = 4;

/// Slow-motion delays between poll rounds, `+` moving right and `-` left; zero is full speed.
const DELAYS_MS: [u64; 7] = [0, 100, 250, 500, 1000, 2000, 4000];

/// A scenario's lesson text, shown beside the panels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lesson {
    pub text: &'static str,
    pub shown: bool,
    /// First line shown, after wrapping.
    pub scroll: usize,
}

/// One key pressed and what it did, for the key overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyNote {
    pub key: String,
    pub what: String,
}

/// The presenter's settings and what they need to remember.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presenter {
    pub lesson: Option<Lesson>,
    /// The engine's pace as last set from here (the engine does not report it).
    pub pace: Pace,
    /// Index into [`DELAYS_MS`]: the slow motion to return to when step mode ends.
    pub delay: usize,
    pub key_log: Option<VecDeque<KeyNote>>,
    pub high_contrast: bool,
}

/// What a presenter set up for the room: kept when the picker replaces the session with
/// another scenario, so the projector's colours do not change back mid-workshop.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoomSettings {
    pub high_contrast: bool,
    pub key_overlay: bool,
}

impl Default for Presenter {
    fn default() -> Self {
        Self { lesson: None, pace: Pace::Free, delay: 0, key_log: None, high_contrast: false }
    }
}

impl App {
    /// Shows `text` as the lesson beside the panels (demos).
    pub fn set_lesson(&mut self, text: &'static str) {
        self.presenter.lesson = Some(Lesson { text, shown: true, scroll: 0 });
    }

    /// The lesson, when there is one and it is shown.
    #[must_use]
    pub fn lesson(&self) -> Option<&Lesson> {
        self.presenter.lesson.as_ref().filter(|lesson| lesson.shown)
    }

    /// The settings a new session started from this one keeps.
    #[must_use]
    pub fn room_settings(&self) -> RoomSettings {
        RoomSettings {
            high_contrast: self.presenter.high_contrast,
            key_overlay: self.presenter.key_log.is_some(),
        }
    }

    /// Takes over the room settings of the session this one replaces.
    pub fn apply_room_settings(&mut self, room: RoomSettings) {
        self.presenter.high_contrast = room.high_contrast;
        if room.key_overlay != self.presenter.key_log.is_some() {
            self.toggle_key_overlay();
        }
    }

    /// The engine's pace as set from the UI.
    #[must_use]
    pub fn pace(&self) -> Pace {
        self.presenter.pace
    }

    /// The keys pressed lately, when the key overlay is on.
    #[must_use]
    pub fn key_log(&self) -> Option<&VecDeque<KeyNote>> {
        self.presenter.key_log.as_ref()
    }

    #[must_use]
    pub fn high_contrast(&self) -> bool {
        self.presenter.high_contrast
    }

    pub(super) fn toggle_lesson(&mut self) {
        match &mut self.presenter.lesson {
            Some(lesson) => lesson.shown = !lesson.shown,
            None => self.set_error("no lesson here: lessons come with sockscope demo NAME"),
        }
    }

    pub(super) fn scroll_lesson(&mut self, lines: isize) {
        if let Some(lesson) = self.presenter.lesson.as_mut().filter(|lesson| lesson.shown) {
            lesson.scroll = lesson.scroll.saturating_add_signed(lines);
        }
    }

    pub(super) fn toggle_key_overlay(&mut self) {
        self.presenter.key_log =
            if self.presenter.key_log.is_some() { None } else { Some(VecDeque::new()) };
    }

    pub(super) fn toggle_high_contrast(&mut self) {
        self.presenter.high_contrast = !self.presenter.high_contrast;
    }

    /// `P`: rounds wait for `Space` (step mode), or run again at the slow-motion speed.
    pub(super) fn toggle_step_mode(&mut self) -> Vec<Effect> {
        let pace = if self.presenter.pace == Pace::Stepped {
            self.set_info("step mode off");
            self.slow_motion()
        } else {
            self.set_info("step mode: Space runs one poll round with its calls (P ends it)");
            Pace::Stepped
        };
        self.set_pace(pace)
    }

    /// `Space`: one poll round, in step mode.
    pub(super) fn step_round(&mut self) -> Vec<Effect> {
        if self.presenter.pace != Pace::Stepped {
            self.set_error("Space runs one round in step mode: press P first");
            return Vec::new();
        }
        vec![Effect::Engine(Command::Step)]
    }

    /// `+` (slower) or `-` (faster): the delay between rounds, live.
    pub(super) fn change_slow_motion(&mut self, slower: bool) -> Vec<Effect> {
        let delay = &mut self.presenter.delay;
        *delay =
            if slower { (*delay + 1).min(DELAYS_MS.len() - 1) } else { delay.saturating_sub(1) };
        let ms = DELAYS_MS[self.presenter.delay];
        if self.presenter.pace == Pace::Stepped {
            self.set_info(format!("slow motion {ms} ms between rounds, once step mode ends"));
            return Vec::new();
        }
        self.set_info(if ms == 0 {
            "full speed".to_string()
        } else {
            format!("slow motion: {ms} ms between poll rounds")
        });
        let pace = self.slow_motion();
        self.set_pace(pace)
    }

    fn slow_motion(&self) -> Pace {
        match DELAYS_MS[self.presenter.delay] {
            0 => Pace::Free,
            ms => Pace::Delay(Duration::from_millis(ms)),
        }
    }

    fn set_pace(&mut self, pace: Pace) -> Vec<Effect> {
        self.presenter.pace = pace;
        vec![Effect::Engine(Command::SetPace(pace))]
    }

    /// Remembers `key` and what it did for the key overlay, when it is on.
    pub(super) fn note_key(&mut self, key: Key, action: Action) {
        let selected = self.selected();
        let Some(log) = self.presenter.key_log.as_mut() else { return };
        let Some(description) = self.keymap.description(action) else { return };
        let mut what = description.to_string();
        if let (Some(conn), true) = (selected, acts_on_connection(action)) {
            what = format!("{what} on {conn}");
        }
        if log.len() == KEY_LOG {
            log.pop_front();
        }
        log.push_back(KeyNote { key: key.label(), what });
    }
}

/// Whether `action` is a socket call on the selected connection.
fn acts_on_connection(action: Action) -> bool {
    matches!(
        action,
        Action::ShutdownWrite
            | Action::ShutdownRead
            | Action::ShutdownBoth
            | Action::Close
            | Action::ConfirmReset
            | Action::ToggleNoDelay
            | Action::TogglePauseReading
            | Action::PromptSendText
            | Action::PromptSendHex
            | Action::PromptRecv
            | Action::SendQueued
    )
}
