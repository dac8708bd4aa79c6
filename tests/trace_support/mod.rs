//! Running `sockscope trace --headless --json -- python3 SCRIPT` on a script written for the
//! test, which reports its own calls' results as JSON lines in a file, so the test compares
//! the events with what the program itself saw.

#![allow(dead_code)]

#[path = "../shared/required.rs"]
mod required;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Whether python3 can run here; under CI its absence fails the test.
pub fn python3(test: &str) -> bool {
    let present =
        Command::new("python3").arg("-c").arg("pass").output().is_ok_and(|o| o.status.success());
    required::present_or_skip(test, present, "python3 is not installed")
}

/// What one traced (or untraced) run of a script gave.
#[derive(Debug)]
pub struct Run {
    /// The JSON lines sockscope printed (empty for an untraced run).
    pub events: Vec<Value>,
    /// The lines the script wrote about its own calls.
    pub reported: Vec<Value>,
    pub output: Output,
}

impl Run {
    /// The events of kind `ev`.
    pub fn of(&self, ev: &str) -> Vec<&Value> {
        self.events.iter().filter(|e| e["ev"] == ev).collect()
    }

    /// The script's report named `what`.
    pub fn report(&self, what: &str) -> &Value {
        self.reported
            .iter()
            .find(|r| r["what"] == what)
            .unwrap_or_else(|| panic!("the script reported no {what}: {:#?}", self.reported))
    }

    pub fn status(&self) -> Option<i32> {
        self.output.status.code()
    }

    /// Every line sockscope printed, for a failure's message.
    pub fn log(&self) -> String {
        self.events.iter().map(|e| e.to_string() + "\n").collect()
    }
}

/// Runs `script` (Python source) traced, with `extra` before `--`; the script's first
/// argument is the file it reports into.
pub fn traced(script: &str, extra: &[&str]) -> Run {
    run(script, |python, report| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sockscope"));
        command.args(["trace", "--headless", "--json"]).args(extra).arg("--").arg("python3");
        command.arg(python).arg(report);
        command
    })
}

/// Runs `script` without sockscope, for comparison.
pub fn untraced(script: &str) -> Run {
    run(script, |python, report| {
        let mut command = Command::new("python3");
        command.arg(python).arg(report);
        command
    })
}

fn run(script: &str, command: impl Fn(&Path, &Path) -> Command) -> Run {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let python = dir.path().join("program.py");
    let report = dir.path().join("report.jsonl");
    std::fs::write(&python, script).expect("the script is written");
    std::fs::write(&report, "").expect("the report file is created");
    let output = command(&python, &report).output().expect("the command runs");
    let events = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let reported = std::fs::read_to_string(&report)
        .expect("the report is readable")
        .lines()
        .map(|line| serde_json::from_str(line).expect("the script reports JSON"))
        .collect();
    Run { events, reported, output }
}

/// Python that every script starts with: `report(what, **fields)` appends one JSON line.
pub const PRELUDE: &str = r#"
import json, os, select, socket, sys, threading, time
REPORT = sys.argv[1]
def report(what, **fields):
    with open(REPORT, "a") as f:
        f.write(json.dumps(dict(what=what, pid=os.getpid(), tid=threading.get_native_id(), **fields)) + "\n")
"#;

/// The hex of `text`, as events carry payloads.
pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}
