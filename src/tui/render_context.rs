//! What every drawing function is given besides the state it draws: the terminal's character
//! set and the theme.
//!
//! Both are chosen once, at start (the locale, the config file), and never change during a
//! draw. Passing them in, rather than reading them from a global, keeps each panel a function
//! of its arguments: a test draws the same state in ASCII and in Unicode, or in two themes,
//! side by side, and nothing a panel shows depends on which thread draws it.

use crate::tui::glyphs::Glyphs;
use crate::tui::theme::Theme;

/// The character set and theme of one draw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderContext {
    pub glyphs: Glyphs,
    pub theme: Theme,
}
