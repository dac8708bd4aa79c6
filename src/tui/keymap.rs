//! The one keymap table: it drives dispatch, the `?` help overlay, the footer hints and the
//! README key table (`tests/tui_keymap_readme.rs` fails when README.md drifts from it).

mod action;
mod derived;
mod held;
mod key_name;
mod names;
mod remap;
mod table;

pub use action::{Action, FollowAction};
pub use derived::{Group, Keymap};
pub use held::HeldAction;
pub use remap::{Rebinding, RemapError, RemapErrorKind};
pub use table::BINDINGS;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt::Write as _;

/// A key as the table names it: a code plus Ctrl/Alt (Shift is folded into the character).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    /// A key pressed without Ctrl or Alt.
    #[must_use]
    pub const fn plain(code: KeyCode) -> Self {
        Self { code, mods: KeyModifiers::NONE }
    }

    /// A character pressed without Ctrl or Alt.
    #[must_use]
    pub const fn char(c: char) -> Self {
        Self::plain(KeyCode::Char(c))
    }

    /// A character pressed with Ctrl.
    #[must_use]
    pub const fn ctrl(c: char) -> Self {
        Self { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
    }

    /// A character pressed with Alt.
    #[must_use]
    pub const fn alt(c: char) -> Self {
        Self { code: KeyCode::Char(c), mods: KeyModifiers::ALT }
    }

    /// The table's form of a terminal key event.
    ///
    /// Terminals disagree on whether `G` or Shift-Tab also carry the Shift modifier; the
    /// character (or `BackTab`) already says it, so Shift is dropped there. Ctrl letters are
    /// lower-cased, as some terminals report Ctrl-Shift-c as `C`.
    #[must_use]
    pub fn from_event(event: KeyEvent) -> Self {
        let mut mods = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Char(_) | KeyCode::BackTab => event.code,
            code => {
                mods |= event.modifiers & KeyModifiers::SHIFT;
                code
            }
        };
        Self { code, mods }
    }

    /// How the key is written in the help, the footer and the README.
    #[must_use]
    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            // Ctrl letters are written as terminals document them: Ctrl-C.
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut label = String::new();
        for (flag, prefix) in [
            (KeyModifiers::CONTROL, "Ctrl-"),
            (KeyModifiers::ALT, "Alt-"),
            (KeyModifiers::SHIFT, "Shift-"),
        ] {
            if self.mods.contains(flag) {
                label.push_str(prefix);
            }
        }
        label + &name
    }
}

/// When a binding applies. Overlay contexts exclude the main-view ones, so `q` closes the help
/// instead of quitting and is typed as a letter in the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// Always, whatever is open.
    Anywhere,
    /// The main view, no overlay open.
    Main,
    /// The main view in manual mode: each key makes one socket call.
    Manual,
    /// The main view of a replay: the timeline keys.
    Replay,
    /// The main view once a lesson has run to its end.
    LessonOver,
    /// The follow view (`F`): one connection's conversation over the whole width.
    Follow,
    /// The main view with the Connections panel focused.
    ConnectionsPanel,
    /// The main view with the Data panel focused.
    DataPanel,
    /// The main view with the Messages panel focused.
    MessagesPanel,
    /// The copy menu (`y` in the Data panel).
    CopyMenu,
    /// The help overlay.
    Help,
    /// The command line and the prompts (send text, send hex, recv size).
    TextEntry,
    /// A yes/no question.
    Confirm,
    /// The list of built-in scenarios (`D`, `:demo`).
    ScenarioPicker,
    /// The list of messages an intercept holds (`H`).
    HeldList,
}

impl Context {
    /// Reading order: the help overlay and the README list contexts this way.
    pub const ALL: [Self; 15] = [
        Self::Anywhere,
        Self::Main,
        Self::Manual,
        Self::Replay,
        Self::LessonOver,
        Self::Follow,
        Self::ConnectionsPanel,
        Self::DataPanel,
        Self::MessagesPanel,
        Self::CopyMenu,
        Self::Help,
        Self::ScenarioPicker,
        Self::HeldList,
        Self::TextEntry,
        Self::Confirm,
    ];

    /// Most specific first: the footer shows what only applies now before what always does.
    pub const MOST_SPECIFIC_FIRST: [Self; 15] = [
        Self::Confirm,
        Self::ScenarioPicker,
        Self::HeldList,
        Self::CopyMenu,
        Self::TextEntry,
        Self::Help,
        Self::Replay,
        Self::LessonOver,
        Self::Manual,
        Self::Follow,
        Self::ConnectionsPanel,
        Self::DataPanel,
        Self::MessagesPanel,
        Self::Main,
        Self::Anywhere,
    ];

    /// How the README and the help overlay name it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Anywhere => "anywhere",
            Self::Main => "main view",
            Self::Manual => "manual mode",
            Self::Replay => "replay",
            Self::LessonOver => "lesson over",
            Self::Follow => "follow view",
            Self::ConnectionsPanel => "Connections panel",
            Self::DataPanel => "Data panel",
            Self::MessagesPanel => "Messages panel",
            Self::CopyMenu => "copy menu",
            Self::Help => "help",
            Self::TextEntry => "command line, prompts",
            Self::Confirm => "confirmation",
            Self::ScenarioPicker => "scenario picker",
            Self::HeldList => "held messages",
        }
    }
}

/// One row of the keymap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binding {
    pub key: Key,
    pub context: Context,
    pub action: Action,
    /// One line for the help overlay and the README.
    pub description: &'static str,
}

/// The action `key` means in the built-in table where the contexts for which `active` is true
/// apply; the table's first match wins.
#[must_use]
pub fn action_for(key: Key, active: impl Fn(Context) -> bool) -> Option<Action> {
    Keymap::default().action_for(key, active)
}

/// The built-in table grouped by context and action ([`Keymap::groups`]).
#[must_use]
pub fn groups() -> Vec<Group> {
    Keymap::default().groups()
}

/// The footer's hints from the built-in table ([`Keymap::hints_where`]).
#[must_use]
pub fn hints(active: impl Fn(Context) -> bool) -> Vec<(String, &'static str)> {
    Keymap::default().hints_where(active, |_| true)
}

/// The README's key table, generated from [`BINDINGS`] (a config file changes the keys a
/// person has, not the documented defaults).
#[must_use]
pub fn markdown_table() -> String {
    let mut out = String::from("| Key | Where | Action |\n|---|---|---|\n");
    for group in groups() {
        let keys: Vec<String> = group.keys.iter().map(|key| format!("`{}`", key.label())).collect();
        // Writing into a String cannot fail.
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            keys.join(", "),
            group.context.label(),
            group.description
        );
    }
    out
}

#[cfg(test)]
mod tests;
