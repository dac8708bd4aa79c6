//! Reading the config file's tables, each value checked where it stands: every error carries
//! the byte range it is about, which the caller turns into a line and a column.

use super::FileSettings;
use crate::tui::keymap::{Action, BINDINGS, Context, Key, Keymap, Rebinding};
use crate::tui::theme::{self, Role};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A problem and the bytes it is about.
pub type Problem = (Range<usize>, String);

/// A check of an option's value: the command line's own parser.
type Check = fn(&str) -> Result<(), String>;

/// The options `[options]` may set, with the command line's parser of each.
const OPTIONS: [(&str, Check); 3] = [
    ("retain", |text| crate::values::parse_nonzero_size(text).map(drop)),
    ("recv-chunk", |text| crate::values::parse_recv_chunk(text).map(drop)),
    ("framing", |text| text.parse::<crate::framing::Spec>().map(drop).map_err(|e| e.to_string())),
];

pub fn read(text: &str) -> Result<FileSettings, Problem> {
    let root = DeTable::parse(text).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        (span, err.message().trim_end().to_string())
    })?;
    let mut settings = FileSettings::default();
    for (name, value) in root.get_ref() {
        let table = as_table(value)?;
        match name.get_ref().as_ref() {
            "keys" => settings.keymap = keymap(table)?,
            "theme" => settings.theme = theme(table)?,
            "options" => options(table, &mut settings)?,
            other => {
                let message =
                    format!("unknown table '{other}' (the tables are keys, theme and options)");
                return Err((name.span(), message));
            }
        }
    }
    Ok(settings)
}

fn as_table<'a, 'i>(value: &'a Spanned<DeValue<'i>>) -> Result<&'a DeTable<'i>, Problem> {
    match value.get_ref() {
        DeValue::Table(table) => Ok(table),
        _ => Err((value.span(), "expected a table".into())),
    }
}

fn as_str<'a>(value: &'a Spanned<DeValue<'_>>, what: &str) -> Result<&'a str, Problem> {
    match value.get_ref() {
        DeValue::String(text) => Ok(text),
        _ => Err((value.span(), format!("expected {what} in quotes"))),
    }
}

/// `[keys]`: `action = "key"` or `["key", ...]`; `[keys.CONTEXT]` for one context.
fn keymap(table: &DeTable<'_>) -> Result<Keymap, Problem> {
    let mut rebindings: Vec<(Range<usize>, Rebinding)> = Vec::new();
    for (name, value) in table {
        if let DeValue::Table(inner) = value.get_ref() {
            let Some(context) = Context::from_name(name.get_ref()) else {
                let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                let message = format!(
                    "unknown context '{}' (the contexts are {})",
                    name.get_ref(),
                    names.join(", ")
                );
                return Err((name.span(), message));
            };
            for (name, value) in inner {
                rebindings.push((name.span(), rebinding(name, value, Some(context))?));
            }
        } else {
            rebindings.push((name.span(), rebinding(name, value, None)?));
        }
    }
    // Applied in the file's order, so an error points at the later of two bindings.
    rebindings.sort_by_key(|(span, _)| span.start);
    let (spans, rebindings): (Vec<_>, Vec<_>) = rebindings.into_iter().unzip();
    Keymap::remapped(&rebindings).map_err(|err| (spans[err.index].clone(), err.to_string()))
}

fn rebinding(
    name: &Spanned<std::borrow::Cow<'_, str>>,
    value: &Spanned<DeValue<'_>>,
    context: Option<Context>,
) -> Result<Rebinding, Problem> {
    let action = action_named(name.get_ref()).ok_or_else(|| {
        (
            name.span(),
            format!(
                "unknown action '{}' (`sockscope config --default` lists them)",
                name.get_ref()
            ),
        )
    })?;
    let texts: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
        DeValue::Array(items) => items.iter().collect(),
        _ => vec![value],
    };
    if texts.is_empty() {
        return Err((value.span(), "give at least one key".into()));
    }
    let mut keys = Vec::new();
    for text in texts {
        let key = Key::parse(as_str(text, "a key")?).map_err(|message| (text.span(), message))?;
        keys.push(key);
    }
    Ok(Rebinding { action, context, keys })
}

/// The action with this config-file name; only actions the table binds have keys to change.
fn action_named(name: &str) -> Option<Action> {
    BINDINGS.iter().map(|b| b.action).find(|action| action.name() == name)
}

/// `[theme]`: `role = "style"`.
fn theme(table: &DeTable<'_>) -> Result<theme::Theme, Problem> {
    let mut theme = theme::Theme::default();
    for (name, value) in table {
        let Some(role) = Role::from_name(name.get_ref()) else {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
            let message =
                format!("unknown role '{}' (the roles are {})", name.get_ref(), names.join(", "));
            return Err((name.span(), message));
        };
        let style = theme::parse_style(as_str(value, "a style")?).map_err(|m| (value.span(), m))?;
        theme = theme.with(role, style);
    }
    Ok(theme)
}

/// `[options]`: `why = true|false`, and defaults for command-line options.
fn options(table: &DeTable<'_>, settings: &mut FileSettings) -> Result<(), Problem> {
    for (name, value) in table {
        let name_text: &str = name.get_ref();
        if name_text == "why" {
            let DeValue::Boolean(on) = value.get_ref() else {
                return Err((value.span(), "expected true or false".into()));
            };
            settings.why_notes = Some(*on);
            continue;
        }
        if name_text == "lang" {
            let text = as_str(value, "en or zh-TW")?;
            settings.lang = Some(text.parse().map_err(|message| (value.span(), message))?);
            continue;
        }
        let Some(&(option, check)) = OPTIONS.iter().find(|(option, _)| *option == name_text) else {
            let message = format!(
                "unknown option '{name_text}' (the options are why, lang, retain, recv-chunk, framing)"
            );
            return Err((name.span(), message));
        };
        let text = match value.get_ref() {
            DeValue::String(text) => text.to_string(),
            DeValue::Integer(number) => u64::from_str_radix(number.as_str(), number.radix())
                .map(|n| n.to_string())
                .map_err(|_| (value.span(), format!("{option}: expected a number of bytes")))?,
            _ => return Err((value.span(), format!("expected a value for --{option} in quotes"))),
        };
        check(&text).map_err(|message| (value.span(), format!("{option}: {message}")))?;
        settings.option_defaults.push((option, text));
    }
    Ok(())
}
