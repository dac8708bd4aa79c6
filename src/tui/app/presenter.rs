//! Presenter aids for a workshop: the lesson text, step mode and slow motion (the engine's
//! pace), an overlay of the keys pressed and what they did, and a high-contrast theme.

use super::App;
use crate::event::{Command, Pace};
use crate::tui::keymap::{Action, Key};
use crate::tui::layout::Arrangement;
use crate::tui::msg::Effect;
use crate::tui::panels::Panel;
use std::collections::VecDeque;
use std::time::Duration;

/// Keys kept for the key overlay.
const KEY_LOG: usize = 4;

/// Slow-motion delays between poll rounds, `+` moving right and `-` left; zero is full speed.
const DELAYS_MS: [u64; 7] = [0, 100, 250, 500, 1000, 2000, 4000];

/// A scenario's lesson text, shown beside the panels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lesson {
    pub text: String,
    /// The note of the step that ran last, if it had one.
    pub note: Option<String>,
    pub shown: bool,
    /// First line shown, after wrapping.
    pub scroll: usize,
}

/// One key pressed and what it did, for the key overlay; `times` in a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyNote {
    pub key: String,
    pub what: String,
    pub times: u32,
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
    /// The scenario's script has run to its end (`r` runs it again).
    pub lesson_over: bool,
    /// Scenarios begin again when they end (`--loop`, a kiosk).
    pub kiosk: bool,
    /// The presentation layout (`F4`, `--present`).
    pub presenting: bool,
}

/// What a presenter set up for the room: kept when the picker replaces the session with
/// another scenario, so the projector's colours do not change back mid-workshop.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoomSettings {
    pub high_contrast: bool,
    pub key_overlay: bool,
    /// Scenarios begin again when they end (`--loop`).
    pub kiosk: bool,
    /// The presentation layout (`F4`, `--present`).
    pub presenting: bool,
}

impl Default for Presenter {
    fn default() -> Self {
        Self {
            lesson: None,
            pace: Pace::Free,
            delay: 0,
            key_log: None,
            high_contrast: false,
            lesson_over: false,
            kiosk: false,
            presenting: false,
        }
    }
}

impl App {
    /// Shows `text` as the lesson beside the panels (demos).
    pub fn set_lesson(&mut self, text: String) {
        self.presenter.lesson = Some(Lesson { text, note: None, shown: true, scroll: 0 });
    }

    /// A step ran with `note`: the lesson shows it first, until the next one.
    pub(super) fn show_lesson_note(&mut self, note: String) {
        if let Some(lesson) = self.presenter.lesson.as_mut() {
            lesson.note = Some(note);
            lesson.scroll = 0;
        }
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
            kiosk: self.presenter.kiosk,
            presenting: self.presenter.presenting,
        }
    }

    /// Takes over the room settings of the session this one replaces.
    pub fn apply_room_settings(&mut self, room: RoomSettings) {
        self.presenter.high_contrast = room.high_contrast;
        self.presenter.kiosk = room.kiosk;
        if room.presenting != self.presenter.presenting {
            self.toggle_presentation();
        }
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

    /// How the screen is laid out: what it makes room for, and whether it is the presentation
    /// layout.
    #[must_use]
    pub fn arrangement(&self) -> Arrangement {
        Arrangement {
            lesson: self.lesson().is_some(),
            key_log: self.key_log().is_some(),
            presentation: self.presenter.presenting,
        }
    }

    /// `F4`: the presentation layout (lesson, `select()`'s lists, calls) or the usual one. The
    /// focus moves to Calls, the panel that layout scrolls; panels it leaves out keep their
    /// state for when the usual layout returns.
    pub(super) fn toggle_presentation(&mut self) {
        self.presenter.presenting = !self.presenter.presenting;
        if self.presenter.presenting {
            self.focus = Panel::Calls;
        }
    }

    /// `Tab`, `Shift-Tab`: the focus moves to the next panel the layout shows (the presentation
    /// layout leaves some out).
    pub(super) fn move_focus(&mut self, step: fn(Panel) -> Panel) {
        let screen = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
        let areas = crate::tui::layout::areas(screen, self.arrangement());
        let shown = |panel: Panel| areas.is_none_or(|areas| !areas.panel(panel).is_empty());
        let mut panel = step(self.focus);
        for _ in 0..Panel::ALL.len() {
            if shown(panel) {
                break;
            }
            panel = step(panel);
        }
        self.focus = panel;
    }

    /// The presenter's keys: the lesson, the room's aids, and the pace.
    pub(super) fn perform_presenter(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::ToggleLesson => self.toggle_lesson(),
            Action::ScrollLessonDown => self.scroll_lesson(3),
            Action::ScrollLessonUp => self.scroll_lesson(-3),
            Action::ToggleKeyOverlay => self.toggle_key_overlay(),
            Action::ToggleHighContrast => self.toggle_high_contrast(),
            Action::TogglePresentation => self.toggle_presentation(),
            Action::RerunLesson => return self.rerun_lesson(),
            Action::ToggleStepMode => return self.toggle_step_mode(),
            Action::StepRound => return self.step_round(),
            Action::SlowerRounds => return self.change_slow_motion(true),
            Action::FasterRounds => return self.change_slow_motion(false),
            _ => {}
        }
        Vec::new()
    }

    /// Whether the scenario's script has run to its end.
    #[must_use]
    pub fn lesson_over(&self) -> bool {
        self.presenter.lesson_over
    }

    /// The script is done: its sockets stay on screen as they ended, and the selection where
    /// the person put it, until `r` runs the lesson again.
    pub(super) fn end_lesson(&mut self) {
        self.presenter.lesson_over = true;
    }

    /// `r` after the end: the same scenario again, on fresh sockets.
    pub(super) fn rerun_lesson(&mut self) -> Vec<Effect> {
        match self.running_scenario() {
            Some(pick) => vec![Effect::StartScenario(pick.clone())],
            None => Vec::new(),
        }
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
        let key = key.label();
        if let Some(last) = log.back_mut().filter(|last| last.key == key && last.what == what) {
            last.times = last.times.saturating_add(1);
            return;
        }
        if log.len() == KEY_LOG {
            log.pop_front();
        }
        log.push_back(KeyNote { key, what, times: 1 });
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
