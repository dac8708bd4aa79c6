//! `sockscope completions SHELL` and `sockscope man` through the real binary.

use std::io::Write;
use std::process::{Command, Stdio};

fn sockscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sockscope")).args(args).output().expect("sockscope runs")
}

#[test]
fn every_shell_gets_a_completion_script() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = sockscope(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
        let script = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(script.contains("replay") && script.contains("retain"), "{shell}:\n{script}");
    }
    let out = sockscope(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "an unknown shell is bad usage");
}

#[test]
fn the_bash_script_is_valid_bash() {
    let script = sockscope(&["completions", "bash"]).stdout;
    let mut bash = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash runs");
    bash.stdin.take().expect("stdin").write_all(&script).expect("script written");
    let checked = bash.wait_with_output().expect("bash ends");
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
}

#[test]
fn man_prints_the_committed_page() {
    let out = sockscope(&["man"]);
    assert!(out.status.success());
    let committed = std::fs::read("assets/sockscope.1").expect("assets/sockscope.1");
    assert!(out.stdout == committed, "run `cargo run -- man > assets/sockscope.1`");
    let page = String::from_utf8(out.stdout).expect("UTF-8");
    for section in [".SH NAME", "SOCKSCOPE LISTEN", "SOCKSCOPE PROXY", "\\-\\-framing"] {
        assert!(page.contains(section), "no {section}");
    }
}

/// The crate ships its licences and sources, and none of the repository's pictures or
/// development scripts (`cargo package --list`).
#[test]
fn the_package_holds_the_licences_and_no_pictures() {
    let out = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let files = String::from_utf8(out.stdout).expect("UTF-8");
    for needed in
        ["LICENSE-MIT", "LICENSE-APACHE", "README.md", "src/main.rs", "assets/sockscope.1"]
    {
        assert!(files.lines().any(|file| file == needed), "{needed} missing:\n{files}");
    }
    let shipped = |prefix: &str| files.lines().any(|file| file.starts_with(prefix));
    for left_out in ["screenshots/", "scripts/", ".ci/"] {
        assert!(!shipped(left_out), "{left_out} shipped:\n{files}");
    }
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"), "cargo warned");
}
