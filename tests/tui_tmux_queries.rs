//! End to end in a real terminal: a peer that sends terminal queries and terminal writes
//! (cursor position and device attributes, colour queries, an OSC 52 clipboard write, a title)
//! cannot make the terminal answer, set its clipboard or change its title, in the text view
//! or the hex view.
//!
//! tmux records every byte sockscope writes (`pipe-pane`), keeps OSC 52 writes as paste
//! buffers (`set-clipboard on`) and shows the title a program set (`#{pane_title}`). A control
//! test first shows that those checks do see a program that writes the sequences raw.
//!
//! Skipped, loudly, only when tmux is not installed and not under CI (which installs it).

mod tmux;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;
use tmux::{Tmux, assert_restored, free_port, listen_command, tmux_or_skip, wait_until};

/// The queries and writes, as a peer sends them.
const HOSTILE: &[&[u8]] = &[
    b"\x1b[6n",
    b"\x1b[c",
    b"\x1b[>c",
    b"\x1b]11;?\x1b\\",
    b"\x1b]10;?\x07",
    b"\x1b]52;c;aGVsbG8=\x07",
    b"\x1b]0;pwned\x07",
];

/// Raw sequences that must never leave sockscope: any OSC (title, clipboard, colour query),
/// the queries, and BEL (which ends an OSC).
const NEVER_WRITTEN: &[&[u8]] = &[b"\x1b]", b"\x1b[6n", b"\x1b[c", b"\x1b[>c", b"\x07"];

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

fn buffers(tmux: &Tmux) -> String {
    String::from_utf8_lossy(&tmux.run(&["list-buffers"]).stdout).into_owned()
}

/// Records every byte the pane's programs write into `file`.
fn record_output(tmux: &Tmux, file: &Path) {
    let pipe = format!("cat >> '{}'", file.display());
    let output = tmux.run(&["pipe-pane", "-o", "-t", "t", &pipe]);
    assert!(output.status.success(), "pipe-pane: {output:?}");
}

/// The checks below can fail: a program that writes the sequences raw sets the title and
/// creates a paste buffer, and `pipe-pane` records the raw bytes.
#[test]
fn the_checks_see_raw_sequences() {
    if !tmux_or_skip("tui_tmux_queries") {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("output");
    let tmux = Tmux::start(
        80,
        20,
        "read -r _; printf '\\033]52;c;aGVsbG8=\\007\\033]0;pwned\\007'; read -r _",
    );
    tmux.run(&["set-option", "-s", "set-clipboard", "on"]);
    record_output(&tmux, &file);
    tmux.send_keys("Enter");
    tmux.wait_for_format("#{pane_title}", "pwned");
    wait_until("a paste buffer", || !buffers(&tmux).is_empty());
    wait_until("the raw OSC in the recording", || {
        find(&std::fs::read(&file).unwrap_or_default(), b"\x1b]52;c;").is_some()
    });
}

#[test]
fn peer_queries_never_reach_the_terminal() {
    if !tmux_or_skip("tui_tmux_queries") {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("output");
    let port = free_port();
    let tmux = Tmux::start(120, 40, &listen_command(port, "", true));
    tmux.run(&["set-option", "-s", "set-clipboard", "on"]);
    let title = tmux.format("#{pane_title}");
    record_output(&tmux, &file);
    tmux.send_keys("Enter");
    tmux.wait_for_screen("the listener", |s| s.contains(&format!("listening on 127.0.0.1:{port}")));

    let hostile = HOSTILE.concat();
    let mut peer = TcpStream::connect(("127.0.0.1", port)).expect("the peer connects");
    peer.write_all(&hostile).expect("the peer writes");
    tmux.wait_for_screen("the escaped bytes in the text view", |screen| {
        screen.contains("Data (text)") && screen.contains(r"\x1b[6n\x1b[c\x1b[>c\x1b]11;?")
    });
    // Tab to the Data panel, then `x` shows hex; the peer sends everything again.
    for key in ["Tab", "Tab", "Tab", "x"] {
        tmux.send_keys(key);
    }
    tmux.wait_for_screen("the hex view", |screen| screen.contains("Data (hex)"));
    peer.write_all(&hostile).expect("the peer writes again");
    let total = format!("in {} B", 2 * hostile.len());
    tmux.wait_for_screen("the second copy in the hex view", |screen| {
        screen.contains(&total) && screen.contains("1b 5b 36 6e")
    });

    // Any answer typed into sockscope's input would have been drawn or acted on by now; the
    // peer must not have been sent a byte.
    peer.set_read_timeout(Some(Duration::from_millis(500))).expect("read timeout");
    let mut buf = [0_u8; 256];
    match peer.read(&mut buf) {
        Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("the peer got something: {other:?} {:?}", &buf[..16]),
    }
    assert_eq!(tmux.format("#{pane_title}"), title, "the title is unchanged");
    assert_eq!(buffers(&tmux), "", "no paste buffer was created");

    tmux.send_keys("q");
    assert_restored(&tmux);
    wait_until("the whole run in the recording", || {
        find(&std::fs::read(&file).unwrap_or_default(), b"exit=0").is_some()
    });
    let output = std::fs::read(&file).expect("the recording");
    assert!(find(&output, br"\x1b[6n").is_some(), "the recording holds the escaped bytes");
    for needle in NEVER_WRITTEN {
        if let Some(at) = find(&output, needle) {
            let around = &output[at.saturating_sub(60)..(at + 60).min(output.len())];
            panic!("{needle:?} reached the terminal: {:?}", String::from_utf8_lossy(around));
        }
    }
}
