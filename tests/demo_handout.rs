//! A lesson's headless text is a handout: the lesson first, then the log with each "why" note
//! under the call it explains. JSON Lines stay the event log alone.

mod support;

use std::io::Read;
use std::process::Stdio;
use support::{sockscope, wait_with_deadline};

/// Runs `sockscope demo NAME --headless [EXTRA]` to its end and returns its standard output,
/// in English: no locale variable names another language.
fn run(name: &str, extra: &[&str]) -> String {
    let mut child = sockscope()
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .args(["demo", name, "--headless"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut out = child.stdout.take().expect("stdout piped");
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        let _ = out.read_to_string(&mut all);
        all
    });
    assert_eq!(wait_with_deadline(&mut child), 0, "{name} exits 0");
    reader.join().expect("reader thread")
}

#[test]
fn the_handout_begins_with_the_lesson_and_notes_each_surprising_call() {
    for entry in sockscope::demo::scenarios() {
        let out = run(entry.name, &[]);
        let title = entry.lesson.title.text("en");
        assert!(out.starts_with(title), "{}: the lesson first:\n{out}", entry.name);
        let log = out.find("session sockscope").expect("then the log");
        assert!(out[..log].contains("Look at:"), "{}: the whole lesson before the log", entry.name);
        let lines: Vec<&str> = out[log..].lines().collect();
        let notes = lines.iter().filter(|line| line.trim_start().starts_with("why: ")).count();
        assert!(notes > 0, "{}: notes in the log", entry.name);
    }
    let out = run("partial-recv", &[]);
    let lines: Vec<&str> = out.lines().collect();
    let full = lines.iter().position(|l| l.contains("recv(5) -> 5 ")).expect("a full recv");
    assert_eq!(
        lines[full + 1].trim(),
        "why: filled the 5-byte buffer this call was given: more may be waiting",
        "the note right under its call"
    );
}

#[test]
fn json_lines_stay_the_event_log_alone() {
    let out = run("partial-recv", &["--json"]);
    assert!(out.starts_with("{\"ev\":\"session\""), "{out}");
    assert!(!out.contains("why:"));
    assert!(!out.contains("Look at:"));
}
