//! The scenario picker (`D`, `:demo [NAME|PATH]`): the built-in scenarios, and asking the
//! runner to replace this session with one of them or with a lesson file.
//!
//! The app knows scenarios only by name and one-line summary (`demo::Entry` is plain data);
//! how they run is the runner's business. Starting one is an [`Effect::StartScenario`]: the
//! runner stops this engine, which closes every socket, and starts a new engine, session and
//! app for the scenario on the same terminal. Closing a live session's sockets cannot be taken
//! back, so that asks first; a demo's sockets belong to its script and go without a question.
//! A lesson file is read by the runner (the app does no I/O): one that cannot be used comes
//! back as `Msg::LessonUnreadable`, said in the status line, and this session goes on.

use super::{App, Confirm, Overlay, Source};
use crate::demo::{Entry, Pick};
use crate::tui::model;
use crate::tui::msg::Effect;
use crate::tui::payload::shown;

impl App {
    /// The scenarios the picker offers: the built-in ones unless [`Self::set_scenarios`] said
    /// otherwise.
    #[must_use]
    pub fn scenarios(&self) -> &'static [Entry] {
        self.scenarios
    }

    /// Offers `entries` in the picker instead of the built-in scenarios.
    pub fn set_scenarios(&mut self, entries: &'static [Entry]) {
        self.scenarios = entries;
    }

    /// The scenario this session runs, marked in the picker; `None` in a live session.
    #[must_use]
    pub fn running_scenario(&self) -> Option<&Pick> {
        self.scenario.as_ref()
    }

    /// Says that this session runs the scenario `name`: the picker marks it, and starting
    /// another one closes the script's sockets without asking.
    pub fn set_running_scenario(&mut self, pick: Pick) {
        self.scenario = Some(pick);
    }

    /// Sockets of this session that are still open, listeners included: what starting a
    /// scenario would close.
    #[must_use]
    pub fn open_sockets(&self) -> usize {
        model::open_sockets(&self.session)
    }

    /// `D`: the list, with the running scenario (or the first) highlighted.
    pub(super) fn open_scenario_picker(&mut self) {
        if !self.may_start_scenarios() {
            return;
        }
        if self.scenarios.is_empty() {
            self.set_error("no scenarios to pick from");
            return;
        }
        let running = match &self.scenario {
            Some(Pick::BuiltIn(name)) => self.scenario_index(name),
            Some(Pick::File(_)) | None => None,
        };
        self.overlay = Overlay::ScenarioPicker { at: running.unwrap_or(0) };
    }

    /// `j`/`k` in the picker: stops at either end.
    pub(super) fn move_scenario_pick(&mut self, step: isize) {
        let last = self.scenarios.len().saturating_sub(1);
        if let Overlay::ScenarioPicker { at } = &mut self.overlay {
            *at = at.saturating_add_signed(step).min(last);
        }
    }

    /// `Enter` in the picker.
    pub(super) fn start_picked_scenario(&mut self) -> Vec<Effect> {
        let Overlay::ScenarioPicker { at } = self.overlay else { return Vec::new() };
        self.overlay = Overlay::None;
        match self.scenarios.get(at) {
            Some(entry) => self.start_scenario(Pick::BuiltIn(entry.name)),
            None => Vec::new(),
        }
    }

    /// `:demo` opens the picker; `:demo NAME` starts that scenario, `:demo PATH` (a name with
    /// a `/` or ending in `.toml`) that lesson file.
    pub(super) fn demo_command(&mut self, name: Option<&str>) -> Vec<Effect> {
        let Some(name) = name else {
            self.open_scenario_picker();
            return Vec::new();
        };
        if let Some(at) = self.scenario_index(name) {
            return self.start_scenario(Pick::BuiltIn(self.scenarios[at].name));
        }
        let toml = std::path::Path::new(name).extension().is_some_and(|ext| ext == "toml");
        if name.contains('/') || toml {
            return self.start_scenario(Pick::File(name.into()));
        }
        let names: Vec<&str> = self.scenarios.iter().map(|entry| entry.name).collect();
        self.set_error(format!(
            "no scenario '{}'; the scenarios are: {} (or :demo PATH for a lesson file)",
            shown(name),
            names.join(", ")
        ));
        Vec::new()
    }

    /// Starts `name` at once, or asks first when live sockets would be closed.
    fn start_scenario(&mut self, pick: Pick) -> Vec<Effect> {
        if !self.may_start_scenarios() {
            return Vec::new();
        }
        if self.scenario.is_none() && self.open_sockets() > 0 {
            self.overlay = Overlay::Confirm(Confirm::StartScenario(pick));
            return Vec::new();
        }
        vec![Effect::StartScenario(pick)]
    }

    fn scenario_index(&self, name: &str) -> Option<usize> {
        self.scenarios.iter().position(|entry| entry.name == name)
    }

    /// A replay has no engine to replace: says so.
    fn may_start_scenarios(&mut self) -> bool {
        if self.source == Source::Replay {
            self.set_error("a replay cannot start a scenario: quit, then run sockscope demo NAME");
            return false;
        }
        true
    }
}
