//! An imported capture in the terminal UI, as a person opens one: `sockscope replay FILE`
//! plays it to its end, the connections are there with their bytes, and the gap the capture
//! has is shown in the calls, never as bytes. Under CI (which installs tmux) a missing tmux
//! fails the test.

#[path = "record_import_support/mod.rs"]
mod capture;
mod tmux;

use std::process::Command;
use tmux::{Tmux, tmux_installed};

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_sockscope")
}

#[test]
fn an_imported_capture_replays_in_the_terminal_ui() {
    if !tmux_installed() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "tmux is missing under CI");
        eprintln!("skipping: tmux is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (pcap, file) = (dir.path().join("bug.pcap"), dir.path().join("bug.sscope"));
    std::fs::write(&pcap, capture::built()).expect("capture written");
    let out =
        Command::new(binary()).arg("import").arg(&pcap).arg("-o").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let command =
        format!("'{}' replay '{}'; echo \"exit=$?\"; read -r _", binary(), file.display());
    let ui = Tmux::start(140, 40, &command);
    let screen = ui.wait_for_screen("the end of the replay", |s| {
        s.contains("REPLAY") && s.contains(" end ") && s.contains("#2 ")
    });
    assert!(screen.contains("#1 closed"), "the first connection ended with both FINs:\n{screen}");
    assert!(screen.contains("10.1.0.2:7000"), "its server:\n{screen}");
    // The second connection is selected (the UI follows new ones): its calls show the gap.
    assert!(screen.contains("capture gap: 10 bytes the client sent"), "the gap:\n{screen}");
    assert!(!screen.contains("LOST BYTES"), "the lost bytes are not invented:\n{screen}");
    assert!(screen.contains(r"before the loss|") && screen.contains("|after it"), "{screen}");
    ui.type_text("q");
    ui.wait_for_screen("the exit code", |s| s.contains("exit=0"));
}
