//! The config file from the command line: a bad file is one error naming file, line and
//! column with exit code 2, before anything starts; `--config FILE` must exist, the default
//! file need not; `sockscope config --default` prints a file sockscope reads back unchanged.

use std::path::Path;
use std::process::{Command, Output};

/// `sockscope ARGS` with `XDG_CONFIG_HOME` set to `config_home`.
fn sockscope(config_home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .output()
        .expect("sockscope runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_bad_file_is_one_error_with_file_line_and_column_and_exit_2() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[keys]\nopen-help = \"F1\"\ntoggle-data-view = \"q\"\n").expect("write");
    let path = file.to_str().expect("UTF-8 path");
    let output = sockscope(dir.path(), &["--config", path, "demo", "--headless"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: {path}:3:1: key 'q' would mean both 'quit' (main) and 'toggle-data-view' (data-panel)\n"
        )
    );
    assert!(output.stdout.is_empty(), "nothing ran");
}

#[test]
fn the_default_file_is_read_from_xdg_config_home() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let output = sockscope(dir.path(), &["config"]);
    assert_eq!(output.status.code(), Some(0), "no default file is fine: {}", stderr(&output));
    std::fs::create_dir(dir.path().join("sockscope")).expect("mkdir");
    let file = dir.path().join("sockscope/config.toml");
    std::fs::write(&file, "[options]\nretain = \"lots\"\n").expect("write");
    let output = sockscope(dir.path(), &["config"]);
    assert_eq!(output.status.code(), Some(2));
    let expected = format!("error: {}:2:10: retain: ", file.display());
    assert!(stderr(&output).starts_with(&expected), "{}", stderr(&output));
}

#[test]
fn a_missing_config_flag_file_is_an_error() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let output = sockscope(dir.path(), &["demo", "--list", "--config", "/nonexistent/x.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: /nonexistent/x.toml: cannot read"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_printed_default_file_reads_back_and_is_printed_even_when_the_file_is_bad() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let output = sockscope(dir.path(), &["config", "--default"]);
    assert!(output.status.success());
    let file = dir.path().join("default.toml");
    std::fs::write(&file, &output.stdout).expect("write");
    let path = file.to_str().expect("UTF-8 path");
    let check = sockscope(dir.path(), &["--config", path, "config"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert_eq!(String::from_utf8_lossy(&check.stdout), format!("{path}: valid\n"));

    std::fs::write(&file, "not toml at all").expect("write");
    let again = sockscope(dir.path(), &["--config", path, "config", "--default"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(again.stdout, output.stdout);
}

/// A broken default file stops what reads it, but not what could help mend it or what never
/// reads it: the manual, completions, converting files.
#[test]
fn commands_that_do_not_read_the_file_still_run_when_it_is_broken() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::create_dir_all(dir.path().join("sockscope")).expect("config dir");
    std::fs::write(dir.path().join("sockscope/config.toml"), "[keys\n").expect("write");
    let golden = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/all-kinds-v2.3.sscope");
    for args in [
        &["man"][..],
        &["completions", "bash"],
        &["export", golden, "--format", "jsonl"],
        &["config", "--default"],
    ] {
        let output = sockscope(dir.path(), args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(!output.stdout.is_empty(), "{args:?} printed nothing");
    }
    let output = sockscope(dir.path(), &["demo", "--list"]);
    assert_eq!(output.status.code(), Some(2), "a command that reads the file refuses it");
    assert!(stderr(&output).contains("config.toml:1:"), "{}", stderr(&output));
}
