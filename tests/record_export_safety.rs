//! `export` never destroys what it reads: an output that is the recording itself (the same
//! name, or another name for the same file) is refused before anything is written.

mod support;

use std::path::Path;
use std::process::Stdio;
use support::sockscope;

const GOLDEN: &str = "tests/golden/all-kinds-v2.0.sscope";

/// Runs `export` on `input` into `output` with `--force`: the exit code and stderr.
fn export_forced(input: &Path, output: &Path) -> (Option<i32>, String) {
    let out = sockscope()
        .args(["export", "--format", "jsonl", "--force", "-o"])
        .arg(output)
        .arg(input)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn export_refuses_to_write_over_the_recording_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("session.sscope");
    std::fs::copy(GOLDEN, &recording).unwrap();
    let original = std::fs::read(&recording).unwrap();
    let other_name = dir.path().join("same-file.sscope");
    std::fs::hard_link(&recording, &other_name).unwrap();

    for output in [&recording, &other_name] {
        let (code, stderr) = export_forced(&recording, output);
        assert_eq!(code, Some(2), "{}: {stderr}", output.display());
        assert!(stderr.contains("is the recording being read"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert_eq!(std::fs::read(&recording).unwrap(), original, "the recording is intact");
        assert_eq!(std::fs::read(&other_name).unwrap(), original, "its other name too");
    }

    // Another file is still replaced as --force says.
    let elsewhere = dir.path().join("export.jsonl");
    std::fs::write(&elsewhere, b"old").unwrap();
    let (code, stderr) = export_forced(&recording, &elsewhere);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(std::fs::read_to_string(&elsewhere).unwrap().starts_with("{\"ev\":\"session\""));
}
