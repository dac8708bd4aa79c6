//! Styles written as text in the config file: `"cyan bold"`, `"white on blue"`,
//! `"#ff8800 on black underlined"`, `"default"`. Words, in any order: at most one foreground
//! colour, `on` and one background colour, and modifiers (`bold`, `dim`, `italic`,
//! `underlined`, `reversed`). Colours: the 16 basic names, `default` (the terminal's own) or
//! `#rrggbb`. `plain` alone is no style of its own (what surrounds it shows through).

use ratatui::style::{Color, Modifier, Style};

const COLOURS: [(&str, Color); 17] = [
    ("default", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("dark-gray", Color::DarkGray),
    ("light-red", Color::LightRed),
    ("light-green", Color::LightGreen),
    ("light-yellow", Color::LightYellow),
    ("light-blue", Color::LightBlue),
    ("light-magenta", Color::LightMagenta),
    ("light-cyan", Color::LightCyan),
    ("white", Color::White),
];

const MODIFIERS: [(&str, Modifier); 5] = [
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
];

/// The style `text` describes, or why it describes none.
pub fn parse_style(text: &str) -> Result<Style, String> {
    if text.trim() == "plain" {
        return Ok(Style::new());
    }
    let mut style = Style::new();
    let (mut fg, mut bg) = (false, false);
    let mut words = text.split_whitespace();
    while let Some(word) = words.next() {
        if let Some(&(_, modifier)) = MODIFIERS.iter().find(|(name, _)| *name == word) {
            style = style.add_modifier(modifier);
        } else if word == "on" {
            let colour = words.next().ok_or("'on' needs a colour after it")?;
            if std::mem::replace(&mut bg, true) {
                return Err("two background colours".into());
            }
            style = style.bg(parse_colour(colour)?);
        } else {
            if std::mem::replace(&mut fg, true) {
                return Err(format!("two foreground colours ('{word}' is the second)"));
            }
            style = style.fg(parse_colour(word)?);
        }
    }
    Ok(style)
}

fn parse_colour(word: &str) -> Result<Color, String> {
    if let Some(&(_, colour)) = COLOURS.iter().find(|(name, _)| *name == word) {
        return Ok(colour);
    }
    let hex = word.strip_prefix('#').filter(|hex| hex.len() == 6);
    if let Some(rgb) = hex.and_then(|hex| u32::from_str_radix(hex, 16).ok()) {
        return Ok(Color::from_u32(rgb));
    }
    let names: Vec<&str> = COLOURS.iter().map(|(name, _)| *name).collect();
    Err(format!(
        "unknown colour or modifier '{word}' (colours: {}, #rrggbb; modifiers: bold, dim, italic, underlined, reversed)",
        names.join(", ")
    ))
}

/// `style` as [`parse_style`] reads it: the default config file writes each role this way.
#[must_use]
pub fn style_text(style: Style) -> String {
    let mut words: Vec<String> = Vec::new();
    if let Some(fg) = style.fg {
        words.push(colour_text(fg));
    }
    if let Some(bg) = style.bg {
        words.push(format!("on {}", colour_text(bg)));
    }
    for (name, modifier) in MODIFIERS {
        if style.add_modifier.contains(modifier) {
            words.push(name.to_string());
        }
    }
    if words.is_empty() { "plain".into() } else { words.join(" ") }
}

fn colour_text(colour: Color) -> String {
    match COLOURS.iter().find(|(_, known)| *known == colour) {
        Some((name, _)) => (*name).to_string(),
        None => match colour {
            Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
            other => format!("{other}").to_lowercase(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::theme::Role;

    #[test]
    fn every_builtin_style_reads_back() {
        for role in Role::ALL {
            let text = style_text(role.builtin());
            let back = parse_style(&text).expect("the written form parses");
            assert_eq!(back, role.builtin(), "{}: {text}", role.name());
        }
    }

    #[test]
    fn words_in_any_order() {
        let style = parse_style("bold on blue #ff8800 underlined").expect("valid");
        let expected = Style::new()
            .fg(Color::Rgb(0xff, 0x88, 0x00))
            .bg(Color::Blue)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        assert_eq!(style, expected);
    }

    #[test]
    fn bad_styles_say_why() {
        assert!(parse_style("purple").unwrap_err().contains("unknown colour or modifier 'purple'"));
        assert!(parse_style("red blue").unwrap_err().contains("two foreground"));
        assert!(parse_style("on").unwrap_err().contains("needs a colour"));
        assert!(parse_style("#12345").is_err());
    }
}
