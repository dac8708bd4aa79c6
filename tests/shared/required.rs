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
