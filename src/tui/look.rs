//! How the UI looks and which keys it answers to, decided once at start by the command line
//! (`--color`, `NO_COLOR`, the config file) and handed to the runner as plain settings: the
//! UI never reads the environment or the config file itself.

use crate::locale::Lang;
use crate::tui::glyphs::Glyphs;
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
    /// The language of the "why" notes and the lesson (`--lang`, `lang` in `[options]`, else
    /// the locale).
    pub lang: Lang,
}

impl Look {
    /// Whether the "why" notes show from the start: as the config file says, else in a demo
    /// (a lesson) and not elsewhere.
    #[must_use]
    pub fn why_notes_at_start(&self, demo: bool) -> bool {
        self.why_notes.unwrap_or(demo)
    }

    /// The language the lesson and the notes can be shown in on a terminal of `glyphs`, and
    /// why it is not the one asked for, if it is not: Chinese on a terminal that shows only
    /// ASCII would be nothing but escapes, so it shows English there (and says so).
    #[must_use]
    pub fn lang_shown(&self, glyphs: Glyphs) -> (Lang, Option<String>) {
        match (self.lang, glyphs) {
            (lang, Glyphs::Unicode) | (lang @ Lang::En, Glyphs::Ascii) => (lang, None),
            (lang @ Lang::ZhTw, Glyphs::Ascii) => {
                let why = format!("lessons and notes in en: {lang} needs a UTF-8 locale");
                (Lang::En, Some(why))
            }
        }
    }
}

impl Default for Look {
    /// Colour on, the built-in keys and theme, English.
    fn default() -> Self {
        Self {
            colour: true,
            keymap: Keymap::default(),
            theme: Theme::default(),
            why_notes: None,
            lang: Lang::En,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Glyphs, Lang, Look};

    #[test]
    fn chinese_needs_a_terminal_that_shows_more_than_ascii() {
        let zh = Look { lang: Lang::ZhTw, ..Look::default() };
        assert_eq!(zh.lang_shown(Glyphs::Unicode), (Lang::ZhTw, None));
        let (lang, why) = zh.lang_shown(Glyphs::Ascii);
        assert_eq!(lang, Lang::En);
        assert!(why.is_some_and(|why| why.contains("zh-TW needs a UTF-8 locale")));
        assert_eq!(Look::default().lang_shown(Glyphs::Ascii), (Lang::En, None));
    }

    #[test]
    fn why_notes_follow_the_file_else_the_demo() {
        let unset = Look::default();
        assert!(unset.why_notes_at_start(true) && !unset.why_notes_at_start(false));
        let off = Look { why_notes: Some(false), ..Look::default() };
        assert!(!off.why_notes_at_start(true));
        let on = Look { why_notes: Some(true), ..Look::default() };
        assert!(on.why_notes_at_start(false));
    }
}
