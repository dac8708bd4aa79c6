//! Real `--json` output, live and exported, is valid against `docs/events.schema.json`: every
//! built-in scenario run headless, and every golden recording exported as JSON Lines.

mod support;

use serde_json::Value;
use support::{demo_output, sockscope};

fn schema() -> jsonschema::Validator {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/events.schema.json");
    let text = std::fs::read_to_string(path).expect("docs/events.schema.json");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

/// Checks every line of `output`; returns the event kinds seen.
fn check(validator: &jsonschema::Validator, what: &str, output: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    let mut kinds = Vec::new();
    for line in text.lines() {
        let event: Value = serde_json::from_str(line).expect("one JSON object per line");
        if let Err(error) = validator.validate(&event) {
            panic!("{what}: {line}\ndoes not match the schema: {error}");
        }
        kinds.push(event["ev"].as_str().unwrap_or_default().to_string());
    }
    kinds
}

#[test]
fn every_scenarios_log_matches_the_schema() {
    let validator = schema();
    let listing = sockscope().args(["demo", "--list"]).output().expect("demo --list");
    let names: Vec<String> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(String::from))
        .collect();
    assert!(names.len() >= 8, "{names:?}");
    let mut kinds: Vec<String> = Vec::new();
    for name in &names {
        kinds.extend(check(&validator, name, &demo_output(name)));
    }
    for kind in ["session", "listen", "accept", "ready", "recv", "send", "would_block", "eof"] {
        assert!(kinds.iter().any(|seen| seen == kind), "no {kind} event was checked");
    }
    for kind in ["shutdown", "reset", "close", "error", "option", "interest", "message"] {
        assert!(kinds.iter().any(|seen| seen == kind), "no {kind} event was checked");
    }
}

#[test]
fn exported_recordings_match_the_schema() {
    let validator = schema();
    let golden = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
    let mut checked = 0;
    for entry in std::fs::read_dir(golden).expect("tests/golden") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|ext| ext != "sscope") {
            continue;
        }
        let out = sockscope()
            .args(["export", path.to_str().unwrap(), "--format", "jsonl"])
            .output()
            .expect("export runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        check(&validator, &path.display().to_string(), &out.stdout);
        checked += 1;
    }
    assert!(checked >= 3, "golden recordings checked: {checked}");
}

#[test]
fn the_schema_refuses_what_the_contract_forbids() {
    let validator = schema();
    let bad = [
        r#"{"ev":"recv","conn":1,"max":4,"len":2,"data":"0G","t_us":1}"#,
        r#"{"ev":"recv","conn":"1","max":4,"len":1,"data":"00","t_us":1}"#,
        r#"{"ev":"close","conn":1,"by":"nobody","t_us":1}"#,
        r#"{"ev":"listen","conn":1,"local":"127.0.0.1:9000"}"#,
        r#"{"ev":"teleport","conn":1,"t_us":1}"#,
        r#"{"ev":"eof","conn":1,"t_us":1,"pid":"12","syscall":"recvfrom","fd":3}"#,
        r#"{"ev":"eof","conn":1,"t_us":1,"pid":12,"syscall":"recvfrom","fd":-0.5}"#,
    ];
    for line in bad {
        let event: Value = serde_json::from_str(line).expect("JSON");
        assert!(!validator.is_valid(&event), "accepted: {line}");
    }
    let good = r#"{"ev":"recv","conn":1,"max":4,"len":2,"data":"0a0d","t_us":1,"later":true}"#;
    assert!(validator.is_valid(&serde_json::from_str(good).expect("JSON")), "fields may be added");
    let traced = r#"{"ev":"eof","conn":1,"t_us":1,"pid":12,"syscall":"recvfrom","fd":3}"#;
    assert!(validator.is_valid(&serde_json::from_str(traced).expect("JSON")), "trace's fields");
}

/// The session line carries the wall-clock start, so a log lines up with a capture.
#[test]
fn the_session_line_says_when_the_session_started() {
    let before = std::time::SystemTime::now();
    let out = demo_output("echo");
    let first: Value = serde_json::from_str(String::from_utf8_lossy(&out).lines().next().unwrap())
        .expect("the session line");
    assert_eq!(first["ev"], "session");
    let start = first["start"].as_str().expect("a start time");
    let start = humantime::parse_rfc3339(start).expect("RFC 3339");
    let after = std::time::SystemTime::now();
    let slack = std::time::Duration::from_secs(1);
    assert!(start + slack >= before && start <= after + slack, "{start:?} not during the run");
}
