//! Tests that need a tool or a privilege this machine may lack: skipped loudly where it is
//! missing, except under CI (`CI=true`), where that fails the test, so that a green run means
//! the test ran. Included by path into each helper module that checks for one.

/// Whether `test` can run (`present`); `missing` says what is missing and how to get it.
pub fn present_or_skip(test: &str, present: bool, missing: &str) -> bool {
    if !present {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test}: {missing}; under CI it must run"
        );
        eprintln!("\n*** {test}: SKIPPED: {missing} ***\n");
    }
    present
}

/// Whether the command-line tool `tool` runs (`tool --version`): skipped loudly where it is
/// missing, a failure under CI (which installs it, `.ci/run`).
pub fn tool_or_skip(test: &str, tool: &str) -> bool {
    let runs = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    present_or_skip(test, runs, &format!("{tool} is not installed (apt-get install {tool})"))
}
