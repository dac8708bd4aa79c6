//! How the UI looks and which keys it answers to, decided once at start by the command line
//! (`--color`, `NO_COLOR`, the config file) and handed to the runner as plain settings: the
//! UI never reads the environment or the config file itself.

use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// The start settings of the UI's appearance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Look {
    /// Whether any colour reaches the terminal. Without it a last pass over each frame removes
    /// every colour; emphasis (bold, reverse) stays, so the cursor and the selection still show.
    pub colour: bool,
    /// The keys: the built-in table, or the one the config file's `[keys]` derived from it.
    pub keymap: Keymap,
    /// The style of each role (`[theme]`).
    pub theme: Theme,
    /// The "why" notes next to surprising call results from the start (`why` in
    /// `[options]`); `None`: on in demos, off otherwise.
    pub why_notes: Option<bool>,
}

impl Default for Look {
    /// Colour on, the built-in keys and theme.
    fn default() -> Self {
        Self { colour: true, keymap: Keymap::default(), theme: Theme::default(), why_notes: None }
    }
}
