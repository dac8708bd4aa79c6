//! `NO_COLOR` and `--color` in a real terminal: tmux records every byte sockscope writes
//! (`pipe-pane`), and the bytes carry colour (SGR 30–37, 40–47, 90–97, 100–107, 38;…, 48;…)
//! exactly when they should. Emphasis (bold, reverse) is not colour and may stay.
//!
//! Needs tmux: skipped with a message when it is missing, but under `CI=true` that fails.

mod tmux;

use std::path::Path;
use tmux::{Tmux, assert_restored, tmux_or_skip};

/// Runs `sockscope ARGS` (after `env ENV`) in tmux from its first byte to its last, and
/// returns every byte it wrote to the terminal.
fn terminal_bytes(env: &str, args: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("output");
    let binary = env!("CARGO_BIN_EXE_sockscope");
    // Waits for Enter first, so the recording starts before sockscope writes anything.
    let command =
        format!("read -r _; env {env} '{binary}' {args}; echo \"exit=$?\"; stty -a; read -r _");
    let tmux = Tmux::start(140, 45, &command);
    record_output(&tmux, &file);
    tmux.send_keys("Enter");
    tmux.wait_for_screen("the echo demo", |screen| {
        screen.contains("#1 listening") && screen.contains("Connections")
    });
    tmux.send_keys("q");
    assert_restored(&tmux);
    std::fs::read(&file).expect("the recorded output")
}

fn record_output(tmux: &Tmux, file: &Path) {
    let pipe = format!("cat >> '{}'", file.display());
    let output = tmux.run(&["pipe-pane", "-o", "-t", "t", &pipe]);
    assert!(output.status.success(), "pipe-pane: {output:?}");
}

/// The parameter lists of every SGR sequence (`ESC [ params m`) in `bytes`.
fn sgr_parameters(bytes: &[u8]) -> Vec<Vec<u16>> {
    let mut found = Vec::new();
    let mut rest = bytes;
    while let Some(at) = rest.windows(2).position(|w| w == b"\x1b[") {
        rest = &rest[at + 2..];
        let len = rest.iter().position(|b| !(b.is_ascii_digit() || *b == b';'));
        let Some(len) = len else { break };
        if rest[len] == b'm' {
            let text = String::from_utf8_lossy(&rest[..len]).into_owned();
            found.push(text.split(';').map(|p| p.parse().unwrap_or(0)).collect());
        }
        rest = &rest[len..];
    }
    found
}

/// The first SGR colour parameter list, if any: a basic or bright colour, or an extended one.
fn first_colour(bytes: &[u8]) -> Option<Vec<u16>> {
    sgr_parameters(bytes).into_iter().find(|params| {
        let mut i = 0;
        while i < params.len() {
            match params[i] {
                30..=38 | 40..=48 | 90..=97 | 100..=107 => return true,
                // An underline colour (58;5;N or 58;2;R;G;B) is not one of the above.
                58 => i += if params.get(i + 1) == Some(&2) { 5 } else { 3 },
                _ => i += 1,
            }
        }
        false
    })
}

#[test]
fn no_color_leaves_no_colour_codes_and_without_it_there_are_some() {
    if !tmux_or_skip("no_color_leaves_no_colour_codes_and_without_it_there_are_some") {
        return;
    }
    let plain = terminal_bytes("NO_COLOR=1", "demo echo");
    assert!(!sgr_parameters(&plain).is_empty(), "the UI still sets attributes (bold, reverse)");
    assert_eq!(first_colour(&plain), None, "NO_COLOR=1: no colour parameters");

    let coloured = terminal_bytes("-u NO_COLOR", "demo echo");
    assert!(first_colour(&coloured).is_some(), "without NO_COLOR the UI has colour");
}

#[test]
fn color_flag_overrides_no_color_both_ways() {
    if !tmux_or_skip("color_flag_overrides_no_color_both_ways") {
        return;
    }
    let always = terminal_bytes("NO_COLOR=1", "--color always demo echo");
    assert!(first_colour(&always).is_some(), "--color always beats NO_COLOR");
    let never = terminal_bytes("-u NO_COLOR", "demo echo --color never");
    assert_eq!(first_colour(&never), None, "--color never");
}

#[test]
fn the_sgr_reader_tells_colour_from_emphasis() {
    assert_eq!(first_colour(b"\x1b[1m\x1b[7mx\x1b[0m\x1b[39m\x1b[49m"), None);
    assert_eq!(first_colour(b"\x1b[58;5;31mx"), None);
    assert_eq!(first_colour(b"\x1b[1;38;5;6mx"), Some(vec![1, 38, 5, 6]));
    assert_eq!(first_colour(b"a\x1b[2;97mx"), Some(vec![2, 97]));
    assert_eq!(first_colour(b"\x1b[104m"), Some(vec![104]));
}
