//! Lesson files in a real terminal: `sockscope run FILE` shows the file's lesson and each
//! step's note as the step runs; `:demo PATH` with a broken file says what is wrong in the
//! status line and the lesson goes on; `:demo PATH` with a good file replaces the session with
//! that lesson; `q` gives the terminal back intact.
//!
//! Skipped, loudly, only when tmux is not installed and not under CI (which installs it).

mod tmux;

use tmux::{Tmux, assert_restored, tmux_or_skip};

#[test]
fn a_lesson_file_runs_with_its_notes_and_a_broken_one_is_said_in_the_status_line() {
    if !tmux_or_skip("tui_tmux_lesson_file") {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let hello = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/lessons/hello.toml");
    let broken = dir.path().join("broken.toml");
    std::fs::write(
        &broken,
        "title = \"b\"\ntext = \"x\"\n\n[[steps]]\ndo = \"close\"\non = \"client 0\"\n",
    )
    .expect("written");
    let other = dir.path().join("other.toml");
    let source = "title = \"other: a second lesson\"\ntext = \"Look at:\\n- nothing\"\n\n\
                  [[steps]]\ndo = \"connect\"\nnote = \"a second lesson runs\"\n";
    std::fs::write(&other, source).expect("written");
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command = format!("'{binary}' run '{hello}'; echo \"exit=$?\"; stty -a; read -r _");
    let tmux = Tmux::start(140, 45, &command);
    tmux.wait_for_screen("the lesson and the first step's note", |screen| {
        screen.contains("hello: a request, an answer, an end")
            && screen.contains("Now: The client connects")
    });
    tmux.type_text(&format!(":demo {}", broken.display()));
    tmux.send_keys("Enter");
    let screen = tmux.wait_for_screen("the file's mistake in the status line", |screen| {
        screen.contains("broken.toml:6:6: unknown client 0")
    });
    assert!(screen.contains("hello: a request, an answer"), "the lesson goes on:\n{screen}");
    tmux.type_text(&format!(":demo {}", other.display()));
    tmux.send_keys("Enter");
    tmux.wait_for_screen("the other lesson and its note", |screen| {
        screen.contains("other: a second lesson") && screen.contains("Now: a second lesson runs")
    });
    tmux.send_keys("q");
    tmux.wait_for_screen("the exit code", |screen| screen.contains("exit=0"));
    assert_restored(&tmux);
}
