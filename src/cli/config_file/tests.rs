use super::*;
use crate::tui::keymap::{Action, Context, Key};
use crate::tui::theme::Role;
use ratatui::style::{Color, Modifier, Style};

fn error(text: &str) -> String {
    parse("my.toml", text).expect_err("a bad file").to_string()
}

#[test]
fn the_default_file_reads_back_as_the_built_in_settings() {
    let settings = parse("default.toml", &default_file()).expect("the default file is valid");
    assert_eq!(settings.keymap, Keymap::default());
    assert_eq!(settings.theme, Theme::default());
    assert_eq!(settings.why_notes, None);
    assert_eq!(settings.lang, None, "the language stays the locale's");
    let options: Vec<(&str, &str)> =
        settings.option_defaults.iter().map(|(name, value)| (*name, value.as_str())).collect();
    assert_eq!(options, [("framing", "raw"), ("recv-chunk", "64KiB"), ("retain", "256MiB")]);
}

#[test]
fn the_default_options_are_the_command_lines_defaults() {
    let command = <crate::cli::Cli as clap::CommandFactory>::command();
    let listen = command.find_subcommand("listen").expect("listen");
    for (name, value, _) in default::OPTION_DEFAULTS {
        let id = name.replace('-', "_");
        let arg = listen.get_arguments().find(|arg| arg.get_id() == id.as_str()).expect(name);
        assert_eq!(arg.get_default_values(), [value], "--{name}");
    }
}

#[test]
fn an_empty_file_changes_nothing() {
    assert_eq!(parse("empty.toml", ""), Ok(FileSettings::default()));
}

#[test]
fn a_good_file_remaps_keys_restyles_roles_and_sets_options() {
    let text = r#"
[keys]
toggle-data-view = "T"
open-help = ["?", "F1"]

[keys.help]
cancel = ["Esc", "q"]

[theme]
border-focused = "magenta bold"
status-bar = "black on #ffaa00"

[options]
retain = "1GiB"
recv-chunk = 4096
why = false
lang = "zh-TW"
"#;
    let settings = parse("good.toml", text).expect("valid");
    let in_data = |c: Context| matches!(c, Context::Anywhere | Context::Main | Context::DataPanel);
    assert_eq!(settings.keymap.action_for(Key::char('T'), in_data), Some(Action::ToggleDataView));
    assert_eq!(settings.keymap.action_for(Key::char('x'), in_data), None);
    assert_eq!(
        settings.keymap.action_for(Key::plain(crossterm::event::KeyCode::F(1)), in_data),
        Some(Action::OpenHelp)
    );
    let help = |c: Context| matches!(c, Context::Anywhere | Context::Help);
    assert_eq!(
        settings.keymap.action_for(Key::char('?'), help),
        None,
        "? no longer closes the help"
    );
    assert_eq!(
        settings.theme.style(Role::BorderFocused),
        Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
    );
    assert_eq!(
        settings.theme.style(Role::StatusBar),
        Style::new().fg(Color::Black).bg(Color::Rgb(0xff, 0xaa, 0))
    );
    assert_eq!(settings.theme.style(Role::Key), Role::Key.builtin(), "untouched");
    assert_eq!(settings.why_notes, Some(false));
    assert_eq!(settings.lang, Some(crate::locale::Lang::ZhTw));
    assert_eq!(
        settings.option_defaults,
        [("recv-chunk", "4096".to_string()), ("retain", "1GiB".to_string())]
    );
}

#[test]
fn bad_toml_names_file_line_and_column() {
    assert_eq!(
        error("[keys]\nquit = \n"),
        "my.toml:2:8: string values must be quoted, expected literal string"
    );
}

#[test]
fn an_unknown_action_is_an_error_at_its_name() {
    assert_eq!(
        error("[keys]\n  toggle-everything = \"z\"\n"),
        "my.toml:2:3: unknown action 'toggle-everything' (`sockscope config --default` lists them)"
    );
}

#[test]
fn colliding_keys_are_an_error_naming_both() {
    let text = "[keys]\nopen-help = \"F1\"\ntoggle-data-view = \"q\"\n";
    assert_eq!(
        error(text),
        "my.toml:3:1: key 'q' would mean both 'quit' (main) and 'toggle-data-view' (data-panel)"
    );
}

#[test]
fn every_other_mistake_points_at_itself() {
    for (text, expected) in [
        ("[colours]\n", "my.toml:1:2: unknown table 'colours'"),
        ("[keys]\nquit = \"Hyper-q\"\n", "my.toml:2:8: 'Hyper-q' is not a key"),
        ("[keys]\nquit = []\n", "my.toml:2:8: give at least one key"),
        ("[keys.nowhere]\nquit = \"q\"\n", "my.toml:1:7: unknown context 'nowhere'"),
        ("[theme]\nborder = \"purple\"\n", "my.toml:2:10: unknown colour or modifier 'purple'"),
        ("[theme]\nhat = \"red\"\n", "my.toml:2:1: unknown role 'hat'"),
        ("[options]\nretain = \"5 parsecs\"\n", "my.toml:2:10: retain: unknown unit 'parsecs'"),
        ("[options]\nframing = \"lines\"\n", "my.toml:2:11: framing: "),
        ("[options]\nwhy = \"yes\"\n", "my.toml:2:7: expected true or false"),
        ("[options]\nlang = \"fr\"\n", "my.toml:2:8: unknown language 'fr' (the languages are"),
        ("[options]\nlang = 1\n", "my.toml:2:8: expected en or zh-TW in quotes"),
        ("[options]\ncolour = true\n", "my.toml:2:1: unknown option 'colour'"),
    ] {
        let message = error(text);
        assert!(message.starts_with(expected), "{text:?}: {message}");
    }
}

#[test]
fn a_missing_config_flag_file_is_an_error_but_a_missing_default_is_not() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let missing = dir.path().join("nope.toml");
    let err = load(Some(&missing)).expect_err("--config FILE must exist");
    assert!(err.to_string().starts_with(&format!("{}: cannot read", missing.display())), "{err}");
}

#[test]
fn the_config_flag_is_found_before_clap_parses() {
    let args = |list: &[&str]| list.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
    assert_eq!(config_flag(&args(&["s", "--config", "a.toml", "demo"])), Some("a.toml".into()));
    assert_eq!(config_flag(&args(&["s", "demo", "--config=b.toml"])), Some("b.toml".into()));
    assert_eq!(config_flag(&args(&["s", "--", "--config", "c"])), None);
}

#[test]
fn file_options_become_defaults_that_flags_override() {
    let defaults = [("retain", "1GiB".to_string()), ("framing", "line".to_string())];
    let parse = |list: &[&str]| {
        let command =
            with_option_defaults(<crate::cli::Cli as clap::CommandFactory>::command(), &defaults);
        let matches = command.try_get_matches_from(list).expect("valid");
        <crate::cli::Cli as clap::FromArgMatches>::from_arg_matches(&matches).expect("valid")
    };
    let opts = |cli: crate::cli::Cli| match cli.command {
        Some(crate::cli::Cmd::Listen { opts, .. }) => (opts.retain, opts.framing),
        other => panic!("{other:?}"),
    };
    assert_eq!(opts(parse(&["s", "listen", "0"])), (1 << 30, "line".to_string()));
    assert_eq!(
        opts(parse(&["s", "listen", "0", "--retain", "1MiB"])),
        (1 << 20, "line".to_string())
    );
    match parse(&["s", "replay", "x.rec"]).command {
        Some(crate::cli::Cmd::Replay(args)) => {
            assert_eq!(args.framing, None, "replay keeps the recorded framing");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn names_quoted_from_the_file_are_escaped() {
    let message = error("[keys]\n\"\\u001b[31mred\" = \"x\"\n");
    assert!(!message.contains('\u{1b}'), "{message:?}");
    assert!(message.starts_with("my.toml:2:1: unknown action '\\x1b[31mred'"), "{message}");
}
