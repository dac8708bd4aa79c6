//! `sockscope config --default`: the complete default file, written from the keymap table,
//! the theme's roles and the options' defaults, so it cannot drift from them.

use crate::tui::keymap::{Context, Key, Keymap};
use crate::tui::theme::{Role, style_text};
use std::fmt::Write as _;

/// The options `[options]` sets, with their built-in values and what they are.
pub const OPTION_DEFAULTS: [(&str, &str, &str); 3] = [
    ("retain", "256MiB", "Memory the terminal UI keeps for its views (--retain)."),
    (
        "recv-chunk",
        "64KiB",
        "Largest single recv (--recv-chunk); set here, it replaces proxy's own 1MiB too.",
    ),
    ("framing", "raw", "How streams are cut into messages (--framing)."),
];

const HEADER: &str = "\
# sockscope configuration: $XDG_CONFIG_HOME/sockscope/config.toml (else
# ~/.config/sockscope/config.toml), or the file given with --config FILE.
# Everything below is the built-in default; keep only what you change.

# [keys]: an action's keys, by the action's name. Keys are written as the help shows them:
#   x  G  ?  Space  Tab  Shift-Tab  Enter  Esc  Backspace  Del  Home  End  PgUp  PgDn
#   Up  Down  Left  Right  F1 .. F24  Ctrl-r  Alt-b
# One key in quotes, or a list: [\"j\", \"Down\"]. The keys given replace all of the action's
# keys: in every context where it has keys when written directly under [keys], in one
# context under [keys.CONTEXT]. A key that would mean two things at once is an error.
";

const THEME_HEADER: &str = "
# [theme]: a style per role. Words in any order: a colour, `on` and a background colour,
# and modifiers (bold, dim, italic, underlined, reversed). Colours: black, red, green,
# yellow, blue, magenta, cyan, gray, dark-gray, light-red, light-green, light-yellow,
# light-blue, light-magenta, light-cyan, white, default (the terminal's own), #rrggbb.
# `plain` alone: no style of its own.
# With --color never or NO_COLOR, only the modifiers are drawn.
[theme]
";

const OPTIONS_HEADER: &str = "
# [options]: defaults for options; the command line overrides them.
[options]
";

const WHY: &str = "\
# The notes that explain surprising call results (:why on|off): on in demos, off elsewhere,
# unless set here.
# why = true
# The language of the lessons and the notes: \"en\" or \"zh-TW\" (--lang overrides it); unset,
# the locale's (LC_ALL, LC_MESSAGES, LANG: zh_TW is zh-TW, anything else en).
# lang = \"zh-TW\"
";

/// The whole default file.
#[must_use]
pub fn default_file() -> String {
    let mut out = String::from(HEADER);
    let groups = Keymap::default().groups();
    for context in Context::ALL {
        let _ = write!(out, "\n# {}\n[keys.{}]\n", context.label(), context.name());
        for group in groups.iter().filter(|group| group.context == context) {
            let keys: Vec<String> = group.keys.iter().map(|&key| quoted(&key_text(key))).collect();
            let value =
                if keys.len() == 1 { keys[0].clone() } else { format!("[{}]", keys.join(", ")) };
            let _ = writeln!(out, "# {}\n{} = {value}", group.description, group.action.name());
        }
    }
    out.push_str(THEME_HEADER);
    for role in Role::ALL {
        let text = quoted(&style_text(role.builtin()));
        let _ = writeln!(out, "# {}\n{} = {text}", role.description(), role.name());
    }
    out.push_str(OPTIONS_HEADER);
    for (name, value, what) in OPTION_DEFAULTS {
        let _ = writeln!(out, "# {what}\n{name} = {}", quoted(value));
    }
    out.push_str(WHY);
    out
}

/// A key as the file writes it: its label, with the arrows named.
fn key_text(key: Key) -> String {
    let label = key.label();
    [("↑", "Up"), ("↓", "Down"), ("←", "Left"), ("→", "Right")]
        .into_iter()
        .fold(label, |label, (arrow, name)| label.replace(arrow, name))
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
