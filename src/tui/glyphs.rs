//! The symbols the UI draws itself, in the character set the terminal can show.
//!
//! A terminal in a UTF-8 locale gets box-drawing borders, `…`, `·` and arrows. In any other
//! locale (`LC_ALL=C`, a serial console, an old `screen`) those bytes would show as mojibake, so
//! the UI draws ASCII instead: `+`, `-`, `|` borders, `...`, words for the arrow keys, and peer
//! text escaped down to printable ASCII (`é` shows as `\u{e9}`).
//!
//! One table, [`SUBSTITUTES`], maps each non-ASCII glyph the UI uses to its ASCII stand-in, in
//! two forms: `text` for text that is still being laid out (may be longer: `↓` becomes
//! `Down`), `cell` for a glyph already placed in one screen cell (always one character, so the
//! layout is the same in both modes).
//!
//! The choice is made once, at start, from the locale ([`Glyphs::from_env`]), and reaches every
//! drawing function inside the [`crate::tui::render_context::RenderContext`] they are given;
//! panels build their spans through [`crate::tui::text`], which takes it as an argument.
//! Whatever still reaches the frame's buffer as a non-ASCII cell (block
//! borders, glyphs written directly) is replaced by [`to_ascii_cells`] after the draw, so an
//! ASCII terminal never receives a byte above 0x7f.

use ratatui::buffer::Buffer;
use std::borrow::Cow;

/// Which characters the UI may draw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Glyphs {
    /// The terminal's locale is UTF-8: Unicode symbols and printable Unicode peer text.
    #[default]
    Unicode,
    /// Any other locale: printable ASCII only.
    Ascii,
}

/// One non-ASCII glyph of the UI and how it is written in ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Substitute {
    pub glyph: char,
    /// In text still being laid out.
    pub text: &'static str,
    /// In a screen cell that already holds the glyph.
    pub cell: char,
}

const fn sub(glyph: char, text: &'static str, cell: char) -> Substitute {
    Substitute { glyph, text, cell }
}

/// The ellipsis: `...` in text, `~` where one cell marks a cut.
const ELLIPSIS: Substitute = sub('…', "...", '~');

/// Every non-ASCII glyph the UI draws (and those ratatui draws for it: block borders).
pub const SUBSTITUTES: &[Substitute] = &[
    ELLIPSIS,
    sub('·', "-", '-'),
    sub('—', "-", '-'),
    sub('–', "-", '-'),
    sub('×', "x", 'x'),
    sub('•', "*", '*'),
    sub('●', "*", '*'),
    sub('▶', ">", '>'),
    sub('◀', "<", '<'),
    sub('‖', "||", '|'),
    sub('←', "Left", '<'),
    sub('→', "Right", '>'),
    sub('↑', "Up", '^'),
    sub('↓', "Down", 'v'),
    sub('▲', "^", '^'),
    sub('▼', "v", 'v'),
    // Block borders: plain, rounded, thick and double sets.
    sub('─', "-", '-'),
    sub('━', "-", '-'),
    sub('═', "=", '='),
    sub('│', "|", '|'),
    sub('┃', "|", '|'),
    sub('║', "|", '|'),
    sub('┌', "+", '+'),
    sub('┐', "+", '+'),
    sub('└', "+", '+'),
    sub('┘', "+", '+'),
    sub('╭', "+", '+'),
    sub('╮', "+", '+'),
    sub('╰', "+", '+'),
    sub('╯', "+", '+'),
    sub('┏', "+", '+'),
    sub('┓', "+", '+'),
    sub('┗', "+", '+'),
    sub('┛', "+", '+'),
    sub('╔', "+", '+'),
    sub('╗', "+", '+'),
    sub('╚', "+", '+'),
    sub('╝', "+", '+'),
    sub('├', "+", '+'),
    sub('┤', "+", '+'),
    sub('┬', "+", '+'),
    sub('┴', "+", '+'),
    sub('┼', "+", '+'),
];

/// What a cell shows in ASCII mode when its symbol is in no table: never expected, but an
/// ASCII terminal must not receive the bytes.
const UNKNOWN_CELL: char = '?';

/// The ASCII stand-in for `glyph`, if the UI knows it.
#[must_use]
pub fn substitute(glyph: char) -> Option<&'static Substitute> {
    SUBSTITUTES.iter().find(|entry| entry.glyph == glyph)
}

impl Glyphs {
    /// From the process's locale variables (see [`Self::from_locale`]).
    #[must_use]
    pub fn from_env() -> Self {
        let var = |name| std::env::var_os(name).map(|value| value.to_string_lossy().into_owned());
        Self::from_locale(
            var("LC_ALL").as_deref(),
            var("LC_CTYPE").as_deref(),
            var("LANG").as_deref(),
        )
    }

    /// The character set of a locale given by `LC_ALL`, `LC_CTYPE` and `LANG`: the first that
    /// is set and not empty decides (POSIX precedence); none at all means the `C` locale.
    /// UTF-8 when its codeset (`en_US.UTF-8`, `C.utf8`, `de_DE.UTF-8@euro`) or the whole name
    /// (macOS sets `LC_CTYPE=UTF-8`) is `UTF-8` or `utf8`, in any case.
    #[must_use]
    pub fn from_locale(lc_all: Option<&str>, lc_ctype: Option<&str>, lang: Option<&str>) -> Self {
        let locale = [lc_all, lc_ctype, lang].into_iter().flatten().find(|v| !v.is_empty());
        let name = locale.unwrap_or("C");
        let without_modifier = name.split('@').next().unwrap_or_default();
        let codeset = without_modifier.rsplit_once('.').map_or(without_modifier, |(_, set)| set);
        if codeset.eq_ignore_ascii_case("utf-8") || codeset.eq_ignore_ascii_case("utf8") {
            Self::Unicode
        } else {
            Self::Ascii
        }
    }

    /// What ends text cut short to fit.
    #[must_use]
    pub fn ellipsis(self) -> &'static str {
        match self {
            Self::Unicode => "…",
            Self::Ascii => ELLIPSIS.text,
        }
    }

    /// What points from one value to the next (`9000 → 4096`): an arrow between numbers,
    /// where the key name `Right` would not read.
    #[must_use]
    pub fn arrow(self) -> &'static str {
        match self {
            Self::Unicode => "→",
            Self::Ascii => "->",
        }
    }

    /// The UI's own `text` in this character set: in ASCII, every glyph of [`SUBSTITUTES`]
    /// becomes its `text` form; other characters are left alone (escaping is
    /// [`crate::tui::text`]'s job).
    #[must_use]
    pub fn text(self, text: &str) -> Cow<'_, str> {
        if self == Self::Unicode || text.is_ascii() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match substitute(c) {
                Some(entry) => out.push_str(entry.text),
                None => out.push(c),
            }
        }
        Cow::Owned(out)
    }
}

/// Replaces every non-ASCII cell of `buffer` by its one-character ASCII stand-in (`?` for a
/// symbol in no table): the last step of a frame drawn for an ASCII terminal.
pub fn to_ascii_cells(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        if symbol.is_ascii() {
            continue;
        }
        let mut chars = symbol.chars();
        let replacement = match (chars.next(), chars.next()) {
            (Some(c), None) => substitute(c).map_or(UNKNOWN_CELL, |entry| entry.cell),
            _ => UNKNOWN_CELL,
        };
        cell.set_char(replacement);
    }
}

#[cfg(test)]
mod tests;
