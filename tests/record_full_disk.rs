//! A full disk while recording, for real (a 1 MiB tmpfs): a headless run says so on stderr at
//! once, while the relay goes on; the file stays a readable prefix of the session; the run
//! ends with exit code 1.

mod small_disk;
mod support;

use small_disk::{SmallDisk, small_disk_or_skip};
use sockscope::record::{ReadStatus, Reader};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Instant;
use support::{DEADLINE, signal, wait_with_deadline};

/// Waits, with the deadline, until `file` holds a line containing `text`; returns the file.
fn wait_for_line(file: &std::path::Path, text: &str) -> String {
    let start = Instant::now();
    loop {
        let said = std::fs::read_to_string(file).unwrap_or_default();
        if said.lines().any(|line| line.contains(text)) {
            return said;
        }
        assert!(start.elapsed() < DEADLINE, "no line with {text:?}; stderr so far:\n{said}");
        std::thread::park_timeout(std::time::Duration::from_millis(20));
    }
}

fn echo(peer: &mut TcpStream, data: &[u8]) {
    peer.write_all(data).expect("the peer writes");
    let mut back = vec![0; data.len()];
    peer.read_exact(&mut back).expect("the echo comes back");
    assert_eq!(back, data);
}

#[test]
fn a_full_disk_is_said_at_once_while_the_relay_goes_on() {
    if !small_disk_or_skip("a_full_disk_is_said_at_once_while_the_relay_goes_on") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (kept, status, stderr) =
        (dir.path().join("kept.sscope"), dir.path().join("status"), dir.path().join("stderr"));
    let command = format!(
        "'{}' listen 127.0.0.1:0 --headless --echo --record \"$DISK/session.sscope\" \
         > /dev/null 2> '{}'",
        env!("CARGO_BIN_EXE_sockscope"),
        stderr.display()
    );
    let disk = SmallDisk::new(dir.path(), &command, &kept, &status);
    let mut script = disk.spawn();
    let said = wait_for_line(&stderr, "listening on ");
    let addr = said.lines().find_map(|l| l.strip_prefix("listening on ")).unwrap().to_string();
    let mut peer = TcpStream::connect(&addr).expect("the peer connects");
    peer.set_read_timeout(Some(DEADLINE)).unwrap();

    // Every byte is recorded twice (recv and send): 2 MiB echoed is four times the disk.
    let piece = vec![b'x'; 64 * 1024];
    for _ in 0..32 {
        echo(&mut peer, &piece);
    }
    let said = wait_for_line(&stderr, "No space left on device");
    let first = said.lines().find(|l| l.contains("No space left")).unwrap();
    assert!(first.contains("the session goes on without recording"), "{said}");
    echo(&mut peer, b"still relayed after the disk filled\n");

    let sockscope = script.command_pid().expect("sockscope runs under the script's shell");
    signal(sockscope, "TERM");
    assert_eq!(wait_with_deadline(&mut script.shell), 0, "the script ran to its end");
    let code = std::fs::read_to_string(&status).expect("the exit code");
    assert_eq!(code.trim(), "1", "a recording that failed makes the exit code 1");

    let (events, ending) = Reader::open(&kept).expect("the recording opens").read_all();
    assert!(
        matches!(ending.status, ReadStatus::Truncated { .. }),
        "a prefix of the session, cut where the disk filled: {}",
        ending.status
    );
    assert!(events.len() > 3, "what fitted is kept: {} events", events.len());
}
