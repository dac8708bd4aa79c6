//! The config file: `$XDG_CONFIG_HOME/sockscope/config.toml` (else `~/.config/…`), or
//! `--config FILE`. Three tables, each optional: `[keys]` (actions by their names, per context
//! in `[keys.CONTEXT]`), `[theme]` (a style per role) and `[options]` (defaults for options
//! the command line can still override). `sockscope config --default` prints the complete
//! default file with comments. Anything wrong is one error naming the file, line and column
//! (exit 2); a missing default file is no error, a missing `--config FILE` is.

mod default;
mod tables;

pub use default::default_file;

use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;
use std::path::{Path, PathBuf};

/// What a config file asks for, ready for the runners and the command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileSettings {
    pub keymap: Keymap,
    pub theme: Theme,
    /// `why` in `[options]`.
    pub why_notes: Option<bool>,
    /// `lang` in `[options]`: the language of lessons and notes, unless `--lang` says.
    pub lang: Option<crate::locale::Lang>,
    /// `[options]` that are command-line options: (the option's long name, its value as the
    /// command line would write it). They become the options' defaults.
    pub option_defaults: Vec<(&'static str, String)>,
}

/// One problem with the config file, with where it is when it has a place.
pub type ConfigError = crate::inspect::file_error::FileError;

/// The settings of `explicit` (`--config FILE`), else of the default file if there is one.
pub fn load(explicit: Option<&Path>) -> Result<FileSettings, ConfigError> {
    let (path, required) = match explicit {
        Some(path) => (path.to_path_buf(), true),
        None => match default_path() {
            Some(path) => (path, false),
            None => return Ok(FileSettings::default()),
        },
    };
    let file = path.display().to_string();
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&file, &text),
        Err(err) if !required && err.kind() == std::io::ErrorKind::NotFound => {
            Ok(FileSettings::default())
        }
        Err(err) => Err(ConfigError { file, at: None, message: format!("cannot read: {err}") }),
    }
}

/// `sockscope config`: which file applies (it has already been read without error by then).
#[must_use]
pub fn report(explicit: Option<&Path>) -> std::process::ExitCode {
    match explicit.map(Path::to_path_buf).or_else(default_path) {
        Some(path) if path.exists() => println!("{}: valid", path.display()),
        Some(path) => println!("{}: no such file; the built-in settings apply", path.display()),
        None => println!("no config file (neither XDG_CONFIG_HOME nor HOME is set)"),
    }
    std::process::ExitCode::SUCCESS
}

/// `$XDG_CONFIG_HOME/sockscope/config.toml`, or `$HOME/.config/sockscope/config.toml` when
/// `XDG_CONFIG_HOME` is unset, empty or relative (as the XDG base directory spec says).
#[must_use]
pub fn default_path() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from);
    let base = match xdg.filter(|dir| dir.is_absolute()) {
        Some(dir) => dir,
        None => {
            PathBuf::from(std::env::var_os("HOME").filter(|home| !home.is_empty())?).join(".config")
        }
    };
    Some(base.join("sockscope").join("config.toml"))
}

/// The settings `text` (the contents of `file`) asks for.
pub fn parse(file: &str, text: &str) -> Result<FileSettings, ConfigError> {
    let error_at = |span: std::ops::Range<usize>, message: String| {
        ConfigError::at_offset(file, text, span.start, message)
    };
    tables::read(text).map_err(|(span, message)| error_at(span, message))
}

/// The `--config FILE` among the process's arguments, read before clap parses them: the
/// file's option defaults become clap's defaults. Stops at `--`, as clap does.
#[must_use]
pub fn config_flag(args: &[std::ffi::OsString]) -> Option<PathBuf> {
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == "--" {
            return None;
        }
        if text == "--config" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = arg.to_str().and_then(|text| text.strip_prefix("--config=")) {
            return Some(PathBuf::from(path));
        }
    }
    None
}

/// `command` with the file's option values as the defaults of every subcommand's option of
/// that name that has a default: the command line still overrides them, `--help` shows them,
/// and clap's own parser reads them (the one grammar). An option without a default (replay's
/// `--framing`, which means "as recorded") is left alone.
#[must_use]
pub fn with_option_defaults(
    mut command: clap::Command,
    defaults: &[(&'static str, String)],
) -> clap::Command {
    let names: Vec<String> =
        command.get_subcommands().map(|sub| sub.get_name().to_string()).collect();
    for name in names {
        for (option, value) in defaults {
            let id = option.replace('-', "_");
            command = command.mut_subcommand(&name, |sub| {
                let has_default = sub
                    .get_arguments()
                    .any(|arg| arg.get_id() == id.as_str() && !arg.get_default_values().is_empty());
                if has_default {
                    sub.mut_arg(&id, |arg| arg.default_value(value.clone()))
                } else {
                    sub
                }
            });
        }
    }
    command
}

#[cfg(test)]
mod tests;
