//! The UI's [`Look`], built from `--color` and the environment: the runner receives plain
//! settings and never reads `NO_COLOR` or the config file itself.

use super::args::ColorChoice;
use super::config_file::FileSettings;
use crate::locale::Lang;
use crate::tui::Look;
use std::ffi::OsStr;
use std::io::IsTerminal;

/// The look for this process: `--color`, `NO_COLOR`, whether standard output is a terminal,
/// the config file's keys, theme and `why`, and the language: `--lang`, else the file's
/// `lang`, else the locale's.
#[must_use]
pub fn from_env(choice: ColorChoice, lang: Option<Lang>, file: FileSettings) -> Look {
    let no_color = std::env::var_os("NO_COLOR");
    Look {
        colour: colour_wanted(choice, no_color.as_deref(), std::io::stdout().is_terminal()),
        keymap: file.keymap,
        theme: file.theme,
        why_notes: file.why_notes,
        lang: lang.or(file.lang).unwrap_or_else(Lang::from_env),
    }
}

/// Whether the UI draws colour. `auto` follows <https://no-color.org>: a `NO_COLOR` that is
/// set and not empty turns colour off, and so does an output that is not a terminal.
#[must_use]
pub fn colour_wanted(choice: ColorChoice, no_color: Option<&OsStr>, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && no_color.is_none_or(OsStr::is_empty),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_follows_no_color_and_the_terminal() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(colour_wanted(ColorChoice::Auto, None, true));
        assert!(colour_wanted(ColorChoice::Auto, empty, true), "an empty NO_COLOR is unset");
        assert!(!colour_wanted(ColorChoice::Auto, set, true));
        assert!(!colour_wanted(ColorChoice::Auto, None, false));
        assert!(colour_wanted(ColorChoice::Always, set, false));
        assert!(!colour_wanted(ColorChoice::Never, None, true));
    }

    #[test]
    fn the_lang_flag_wins_over_the_files_lang() {
        let file = FileSettings { lang: Some(Lang::ZhTw), ..FileSettings::default() };
        assert_eq!(from_env(ColorChoice::Never, Some(Lang::En), file.clone()).lang, Lang::En);
        assert_eq!(from_env(ColorChoice::Never, None, file).lang, Lang::ZhTw);
    }
}
