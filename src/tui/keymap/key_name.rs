//! Keys written as text, for the config file: the same names the help and the README show
//! ([`Key::label`]), read back. `x`, `G`, `Space`, `Ctrl-r`, `Alt-b`, `F4`, `PageDown` (or
//! `PgDn`), `Up` (or `↑`), `Shift-Tab`, `Esc`, `Enter`, `Backspace`, `Del`, `Home`, `End`, `Tab`.

use super::Key;
use crossterm::event::{KeyCode, KeyModifiers};

impl Key {
    /// The key `text` names, or why it names none.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut rest = text;
        let mut mods = KeyModifiers::NONE;
        'prefixes: loop {
            for (prefix, flag) in [
                ("ctrl-", KeyModifiers::CONTROL),
                ("alt-", KeyModifiers::ALT),
                ("shift-", KeyModifiers::SHIFT),
            ] {
                let head = rest.get(..prefix.len()).map(str::to_ascii_lowercase);
                if rest.len() > prefix.len() && head.as_deref() == Some(prefix) {
                    mods |= flag;
                    rest = &rest[prefix.len()..];
                    continue 'prefixes;
                }
            }
            break;
        }
        let code = named_code(rest).or_else(|| single_char(rest)).ok_or_else(|| {
            format!("'{text}' is not a key (write x, G, Space, Ctrl-r, Alt-b, F4, PageDown, Up, Esc, ...)")
        })?;
        Self::with_mods(code, mods).ok_or_else(|| match code {
            KeyCode::Char(c) => format!(
                "'{text}': write the character itself ('{c}' or its capital), without Shift"
            ),
            _ => format!("'{text}' is not a key"),
        })
    }

    /// The key as [`Key::from_event`] would report it, or `None` for a Shift that the
    /// character already says.
    fn with_mods(code: KeyCode, mut mods: KeyModifiers) -> Option<Self> {
        let shift = mods.contains(KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(_) if shift => return None,
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Tab if shift => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            code => code,
        };
        Some(Self { code, mods })
    }
}

/// A key with a name, in any case: `PageDown`, `pgdn`, `F4`, `↑`.
fn named_code(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "space" => KeyCode::Char(' '),
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "backspace" => KeyCode::Backspace,
        "del" | "delete" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "up" | "↑" => KeyCode::Up,
        "down" | "↓" => KeyCode::Down,
        "left" | "←" => KeyCode::Left,
        "right" | "→" => KeyCode::Right,
        _ => {
            let number: u8 = lower.strip_prefix('f')?.parse().ok()?;
            return (1..=24).contains(&number).then_some(KeyCode::F(number));
        }
    })
}

/// One printable character: `x`, `G`, `?`.
fn single_char(text: &str) -> Option<KeyCode> {
    let mut chars = text.chars();
    let c = chars.next()?;
    (chars.next().is_none() && !c.is_control() && !c.is_whitespace()).then_some(KeyCode::Char(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::BINDINGS;

    #[test]
    fn every_label_reads_back_as_its_key() {
        for binding in BINDINGS {
            assert_eq!(
                Key::parse(&binding.key.label()),
                Ok(binding.key),
                "{}",
                binding.key.label()
            );
        }
    }

    #[test]
    fn the_documented_spellings_parse() {
        let alt_b = Key { code: KeyCode::Char('b'), mods: KeyModifiers::ALT };
        assert_eq!(Key::parse("x"), Ok(Key::char('x')));
        assert_eq!(Key::parse("Ctrl-r"), Ok(Key::ctrl('r')));
        assert_eq!(Key::parse("ctrl-R"), Ok(Key::ctrl('r')));
        assert_eq!(Key::parse("Alt-b"), Ok(alt_b));
        assert_eq!(Key::parse("F4"), Ok(Key::plain(KeyCode::F(4))));
        assert_eq!(Key::parse("PageDown"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(Key::parse("Shift-Tab"), Ok(Key::plain(KeyCode::BackTab)));
        assert_eq!(Key::parse("-"), Ok(Key::char('-')));
        assert_eq!(Key::parse("Ctrl--"), Ok(Key::ctrl('-')));
    }

    #[test]
    fn what_is_not_a_key_says_so() {
        for text in ["", "xy", "F0", "F25", "Hyper-x", "Shift-g", "Ctrl-", "\t"] {
            assert!(Key::parse(text).is_err(), "{text:?}");
        }
    }
}
