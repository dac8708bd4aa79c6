//! Bad input gets one clear line on stderr and exit 2; network failures exit 1; never a panic.

mod support;

use std::net::TcpListener;
use std::process::{Output, Stdio};
use support::sockscope;

fn run(args: &[&str]) -> Output {
    sockscope().args(args).stdin(Stdio::null()).output().expect("binary runs")
}

fn assert_usage_error(args: &[&str], mentions: &str) {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?} → exit 2; stderr: {stderr}");
    assert!(
        stderr.to_lowercase().contains(&mentions.to_lowercase()),
        "{args:?}: stderr names '{mentions}': {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
}

#[test]
fn bad_input_is_exit_2_with_a_clear_line() {
    let cases: &[(&[&str], &str)] = &[
        (&["listen", "99999", "--headless"], "99999"),
        (&["listen", "not an address", "--headless"], "not an address"),
        (&["connect", "[::1:80", "--headless"], "[::1:80"),
        (&["listen", "9000", "--json"], "--headless"),
        (&["listen", "0", "--headless", "--recv-chunk", "0"], "recv-chunk"),
        (&["listen", "0", "--headless", "--sndbuf", "lots"], "lots"),
        (&["listen", "0", "--headless", "--retain", "0"], "--retain"),
        (&["listen", "0", "--headless", "--retain", "64MB"], "unknown unit 'MB'"),
        (&["listen", "0", "--headless", "--connect-timeout", "-1"], "timeout"),
        (&["frobnicate"], "frobnicate"),
        (&["connect", "22100:22100", "--headless"], "'22100' is a number, not a host"),
        (&["proxy", "0", "0", "--headless"], "port 0, which only a listener may use"),
        (&["connect", "127.0.0.1:0", "--headless"], "port 0"),
        (&["listen", "0", "--headless", "--framing", "len:u24"], "u24"),
        (&["listen", "0", "--headless", "--framing", "fixed:0"], "fixed:0"),
        (&["listen", "0", "--headless", "--framing", "delim:zz"], "zz"),
        (&["listen", "0", "--headless", "--framing", "ascii:0"], "ascii:0"),
        (
            &["listen", "0", "--headless", "--framing", "fixed:99", "--max-message", "10"],
            "fixed:99",
        ),
    ];
    for (args, mentions) in cases {
        assert_usage_error(args, mentions);
    }
}

/// `--force` replaces a file, never a directory: the message says what the name is instead
/// of suggesting it.
#[test]
fn a_directory_to_record_into_is_named_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    for force in [&[][..], &["--force"][..]] {
        let mut args = vec!["listen", "0", "--headless", "--record", path];
        args.extend_from_slice(force);
        assert_usage_error(&args, "is a directory");
        let stderr = String::from_utf8_lossy(&run(&args).stderr).into_owned();
        assert!(!stderr.contains("--force"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_port_in_use_is_exit_2() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    assert_usage_error(&["listen", &port, "--headless"], &port);
}

#[test]
fn a_refused_connect_is_exit_1() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let out = run(&["connect", &port, "--headless", "--json"]);
    assert_eq!(out.status.code(), Some(1), "refused is a network failure");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(r#""kind":"refused""#), "the event log says why: {text}");
}

#[test]
fn help_and_version_exit_0() {
    for args in [&["--help"][..], &["--version"][..], &["listen", "--help"][..]] {
        assert_eq!(run(args).status.code(), Some(0), "{args:?}");
    }
}
