//! A binary export never goes to a terminal: `export --format pcapng` with standard output a
//! terminal would hand it the recorded bytes raw (a peer's bytes could retitle it, write its
//! clipboard, type into the shell). Run as a person would: the real binary in a tmux pane.

mod tmux;

use tmux::{Tmux, tmux_or_skip};

const GOLDEN: &str = "tests/golden/all-kinds-v2.0.sscope";

fn in_a_terminal(arguments: &str) -> String {
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    let command = format!(
        "'{binary}' export '{}' {arguments}; echo \"exit=$?\"; read -r _",
        golden.display()
    );
    let tmux = Tmux::start(120, 30, &command);
    tmux.wait_for_screen("the exit code", |screen| screen.contains("exit="))
}

#[test]
fn a_pcapng_export_to_a_terminal_is_refused_naming_o() {
    if !tmux_or_skip("a_pcapng_export_to_a_terminal_is_refused_naming_o") {
        return;
    }
    let screen = in_a_terminal("--format pcapng");
    let lines: Vec<&str> = screen.lines().filter(|line| !line.trim().is_empty()).collect();
    assert_eq!(lines.len(), 2, "one error line, then the exit code:\n{screen}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains("-o FILE"), "{screen}");
    assert_eq!(lines[1], "exit=2", "{screen}");

    // Text formats still print, and a pipe still takes the capture.
    let screen = in_a_terminal("--format hexdump | head -n 3");
    assert!(screen.contains("accepted 127.0.0.1:9000"), "{screen}");
    let screen = in_a_terminal("--format pcapng | od -A n -t x1 -N 4");
    assert!(screen.contains("0a 0d 0d 0a"), "the pcapng magic went to the pipe:\n{screen}");
}
