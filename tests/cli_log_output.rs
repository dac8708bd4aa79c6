//! Where the headless log goes wrong: a reader that goes away (`| head`) ends the run quietly
//! with exit 0; a log that cannot be written (a full disk) ends it with exit 1 and the reason.
//! Both for the text log, which the engine's thread writes, and for JSON Lines, which a thread
//! of their own writes.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Instant;
use support::{DEADLINE, sockscope, wait_with_deadline};

const OUTPUTS: [&[&str]; 2] = [&[], &["--json"]];

fn listen(output: &[&str], stdout: Stdio) -> Child {
    sockscope()
        .args(["listen", "127.0.0.1:0", "--headless"])
        .args(output)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts")
}

/// Collects stderr on a thread: its lines as they come, and all of it at the end.
fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (lines, inbox) = mpsc::channel();
    let err = child.stderr.take().expect("stderr piped");
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    inbox
}

fn listening_address(stderr: &mpsc::Receiver<String>) -> SocketAddr {
    loop {
        let line = stderr.recv_timeout(DEADLINE).expect("a 'listening on' line");
        if let Some(addr) = line.strip_prefix("listening on ") {
            return addr.parse().expect("a socket address");
        }
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_run_with_exit_0_and_no_complaint() {
    for output in OUTPUTS {
        let mut child = listen(output, Stdio::piped());
        let stderr = stderr_lines(&mut child);
        let addr = listening_address(&stderr);
        let mut log = BufReader::new(child.stdout.take().expect("stdout piped"));
        let mut first = String::new();
        log.read_line(&mut first).expect("the first line of the log");
        assert!(first.contains("session"), "{output:?}: {first}");
        drop(log);
        // Each client makes lines that can no longer be written; the run must notice and end.
        let end = Instant::now() + DEADLINE;
        while child.try_wait().expect("try_wait").is_none() {
            assert!(Instant::now() < end, "{output:?}: the run went on without its reader");
            if let Ok(mut client) = TcpStream::connect(addr) {
                let _ = client.write_all(b"hello\n");
            }
            std::thread::park_timeout(std::time::Duration::from_millis(20));
        }
        let code = wait_with_deadline(&mut child);
        let said: Vec<String> = stderr.try_iter().collect();
        assert_eq!(code, 0, "{output:?}: exit 0 when the reader went away; stderr: {said:?}");
        assert!(
            said.iter().all(|line| !line.contains("error") && !line.contains("panicked")),
            "{output:?}: {said:?}"
        );
    }
}

#[test]
fn a_log_that_cannot_be_written_is_exit_1_with_the_reason() {
    for output in OUTPUTS {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let mut child = listen(output, Stdio::from(full));
        let stderr = stderr_lines(&mut child);
        let code = wait_with_deadline(&mut child);
        let said: Vec<String> = stderr.iter().collect();
        assert_eq!(code, 1, "{output:?}: stderr: {said:?}");
        assert!(
            said.iter().any(|line| line.contains("writing the event log failed")
                && line.contains("No space left")),
            "{output:?}: the reason is said: {said:?}"
        );
        assert!(!said.iter().any(|line| line.contains("panicked")), "{output:?}: {said:?}");
    }
}
