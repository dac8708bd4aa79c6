//! A lesson in a real terminal holds when the teacher holds it, and ends once.
//!
//! `sockscope demo partial-recv` in a detached tmux session: `P` right after the start, then
//! nothing on screen changes until a key is pressed; `Space`, one round at a time, shows the
//! line "sent in two halves" read as its first half alone (a 27-byte partial message) before
//! the rest arrives. `sockscope demo byte-order` runs once and says `lesson over: r runs it
//! again`; `r` runs it again. `--present` at a projector's 100×30 shows the lesson, `select()`'s
//! lists and the calls, and nothing else.
//!
//! Without tmux the tests are skipped with a message, except under `CI=true`, where they fail.

mod tmux;

use std::time::{Duration, Instant};
use tmux::{Tmux, assert_restored, tmux_or_skip};

/// The screen below the status bar: the status message there fades by design.
fn panels(screen: &str) -> String {
    screen.lines().skip(1).collect::<Vec<_>>().join("\n")
}

/// The latest poll round the Readiness panel shows (`round N @ ...`).
fn round(screen: &str) -> Option<u64> {
    let at = screen.find("round ")?;
    screen[at + 6..].split_whitespace().next()?.parse().ok()
}

fn start(scenario: &str) -> Tmux {
    let binary = env!("CARGO_BIN_EXE_sockscope");
    Tmux::start(
        140,
        45,
        &format!("'{binary}' demo {scenario}; echo \"exit=$?\"; stty -a; read -r _"),
    )
}

#[test]
fn stepped_right_after_the_start_the_lesson_waits_and_space_shows_the_half_line() {
    if !tmux_or_skip("stepped_right_after_the_start_the_lesson_waits_and_space_shows_the_half_line")
    {
        return;
    }
    let tmux = start("partial-recv");
    tmux.wait_for_screen("the lesson", |s| s.contains("partial-recv: a message arrives"));
    tmux.send_keys("P");
    let held = tmux.wait_for_screen("step mode", |s| s.contains("STEP: Space"));
    // Absence of change needs a window: more than two of the script's 1.5 s steps.
    let until = Instant::now() + Duration::from_millis(3500);
    while Instant::now() < until {
        std::thread::park_timeout(Duration::from_millis(100));
        let now = tmux.screen();
        assert_eq!(panels(&now), panels(&held), "the screen changed with no key pressed");
    }
    let mut partial_seen = false;
    for _ in 0..20 {
        let before = round(&tmux.screen()).unwrap_or(0);
        tmux.send_keys("Space");
        let screen = tmux.wait_for_screen("one more round", |s| round(s) > Some(before));
        if screen.contains("partial: 27 bytes") {
            partial_seen = true;
        }
        if screen.contains("this line is sent in two halves") {
            break;
        }
    }
    assert!(partial_seen, "the first half, alone, as a partial message:\n{}", tmux.screen());
    tmux.wait_for_screen("the whole line", |s| s.contains("this line is sent in two halves"));
    tmux.send_keys("q");
    assert_restored(&tmux);
}

#[test]
fn a_lesson_runs_once_and_r_runs_it_again() {
    if !tmux_or_skip("a_lesson_runs_once_and_r_runs_it_again") {
        return;
    }
    let tmux = start("byte-order");
    let over = |s: &str| s.contains("lesson over: r runs it again");
    // Eight steps 1.5 s apart: longer than one wait's deadline.
    let started = Instant::now();
    while !over(&tmux.screen()) {
        assert!(started.elapsed() < Duration::from_secs(60), "no end:\n{}", tmux.screen());
        std::thread::park_timeout(Duration::from_millis(200));
    }
    let ended = tmux.screen();
    assert!(ended.contains("#2 closed") && ended.contains("#3 closed"), "{ended}");
    let second_run =
        ["#4 open", "#4 closed", "#4 connecting"].iter().any(|row| ended.contains(row));
    assert!(!second_run, "no second run by itself:\n{ended}");
    tmux.send_keys("r");
    tmux.wait_for_screen("a fresh run", |s| !over(s) && s.contains("#1 listening"));
    tmux.send_keys("q");
    assert_restored(&tmux);
}

#[test]
fn present_starts_in_the_presentation_layout_at_projector_size() {
    if !tmux_or_skip("present_starts_in_the_presentation_layout_at_projector_size") {
        return;
    }
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command =
        format!("'{binary}' demo partial-recv --present; echo \"exit=$?\"; stty -a; read -r _");
    let tmux = Tmux::start(100, 30, &command);
    let screen = tmux.wait_for_screen("the lesson, select()'s lists and the calls", |s| {
        s.contains("┌ partial-recv")
            && s.contains("select() read")
            && s.contains("exceptional")
            && s.contains("← filled the 5-byte buffer")
    });
    for hidden in ["┌ Connections", "┌ Data", "┌ Messages", "┌ Inspector"] {
        assert!(!screen.contains(hidden), "{hidden} is left out:\n{screen}");
    }
    tmux.send_keys("F4");
    tmux.wait_for_screen("every panel again", |s| s.contains("┌ Inspector"));
    tmux.send_keys("q");
    assert_restored(&tmux);
}
