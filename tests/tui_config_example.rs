//! The README's example config file, read as sockscope reads it and shown on ratatui's
//! `TestBackend`: its key opens the help (the old one no longer does), the footer and the help
//! show the new key, and the focused panel and the status bar take the new colours.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use sockscope::cli::config_file;
use sockscope::session::Session;
use sockscope::tui::glyphs::Glyphs;
use sockscope::tui::{App, Look, Mode, Msg, Overlay, Source, view};

const START: &str = "<!-- config-example:start -->";
const END: &str = "<!-- config-example:end -->";

/// The TOML between the README's markers.
fn readme_example() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable");
    let block = readme.split_once(START).and_then(|(_, rest)| rest.split_once(END));
    let block = block.expect("README.md has the config example").0;
    let toml = block.trim().strip_prefix("```toml").and_then(|b| b.strip_suffix("```"));
    toml.expect("a ```toml block").to_string()
}

fn draw(app: &App, look: &Look) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    terminal.draw(|frame| view::draw_looking(frame, app, Glyphs::Unicode, look)).expect("draw");
    terminal.backend().buffer().clone()
}

fn row(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect()
}

fn text(buffer: &Buffer) -> String {
    (0..buffer.area.height).map(|y| row(buffer, y) + "\n").collect()
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// The app and look `sockscope` would start with under `settings`.
fn started(settings: config_file::FileSettings) -> (App, Look) {
    let mut app = App::new(Session::default(), Mode::Auto, Source::Live);
    app.update(Msg::Resize { width: 120, height: 40 });
    app.set_keymap(settings.keymap.clone());
    let look = Look {
        colour: true,
        keymap: settings.keymap,
        theme: settings.theme,
        why_notes: None,
        lang: sockscope::locale::Lang::En,
    };
    (app, look)
}

#[test]
fn the_readme_example_remaps_a_key_and_changes_the_theme() {
    let settings =
        config_file::parse("README.md", &readme_example()).expect("the example is valid");
    let (mut app, look) = started(settings);
    let (mut builtin_app, builtin) = started(config_file::FileSettings::default());

    let screen = draw(&app, &look);
    let footer = row(&screen, 39);
    assert!(footer.contains("F1 help") && !footer.contains("? help"), "{footer}");
    assert!(row(&draw(&builtin_app, &builtin), 39).contains("? help"));
    // The status bar and the focused panel's border (the Connections panel, top left).
    assert_eq!(screen[(119, 0)].bg, Color::Green);
    assert_eq!(draw(&builtin_app, &builtin)[(119, 0)].bg, Color::Blue);
    assert_eq!(screen[(0, 1)].fg, Color::Magenta);
    assert_eq!(draw(&builtin_app, &builtin)[(0, 1)].fg, Color::Cyan);

    press(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.overlay(), Overlay::None), "? no longer opens the help");
    press(&mut builtin_app, KeyCode::Char('?'));
    assert!(matches!(builtin_app.overlay(), Overlay::Help { .. }));

    press(&mut app, KeyCode::F(1));
    assert!(matches!(app.overlay(), Overlay::Help { .. }), "F1 opens the help");
    let help = text(&draw(&app, &look));
    assert!(help.contains("F1") && help.contains("show every key"), "{help}");
}

#[test]
fn without_colour_the_example_theme_leaves_only_emphasis() {
    let settings = config_file::parse("README.md", &readme_example()).expect("valid");
    let (app, mut look) = started(settings);
    look.colour = false;
    let screen = draw(&app, &look);
    assert!(screen.content.iter().all(|cell| cell.fg == Color::Reset && cell.bg == Color::Reset));
    assert!(screen[(119, 0)].modifier.contains(ratatui::style::Modifier::REVERSED), "status bar");
}
