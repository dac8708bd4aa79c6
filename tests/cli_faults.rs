//! `--fault` on the real binary: a bad spec is one clear line and exit 2; a good one is
//! reported as `fault` events in the JSON log and slices the relayed bytes.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Stdio;
use support::live::{Live, ev};
use support::sockscope;

#[test]
fn a_bad_fault_spec_is_one_line_and_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["proxy", "0", "127.0.0.1:9", "--fault", "up:jitter=1"], "'jitter' is not a fault kind"),
        (
            &["proxy", "0", "127.0.0.1:9", "--fault", "sideways:stall"],
            "'sideways' is not a direction",
        ),
        (&["proxy", "0", "127.0.0.1:9", "--fault", "up:slice=0"], "at least 1 byte"),
        (&["proxy", "0", "127.0.0.1:9", "--fault", "up:delay=soon"], "'soon' is not a time"),
        (&["proxy", "0", "127.0.0.1:9", "--fault", "up:rate=1KB"], "unknown unit 'KB'"),
        (&["listen", "0", "--fault", "down:stall"], "listen --echo"),
        (&["listen", "0", "--echo", "--fault", "up:stall"], "go down"),
    ];
    for (args, mentions) in cases {
        let args: Vec<&str> = args.iter().copied().chain(["--headless"]).collect();
        let out = sockscope().args(&args).stdin(Stdio::null()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(mentions), "{args:?}: {stderr}");
        let error_lines = stderr.lines().filter(|l| l.starts_with("error")).count();
        assert_eq!(error_lines, 1, "{args:?}: one line says what is wrong: {stderr}");
    }
}

#[test]
fn faults_from_the_command_line_are_reported_and_applied() {
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = server.local_addr().unwrap().to_string();
    let args = ["proxy", "127.0.0.1:0", &upstream, "--headless", "--json", "--fault", "up:slice=2"];
    let mut live = Live::start(&args);
    let listen = live.wait_for("listen", |e| ev(e) == "listen");
    let addr = listen["local"].as_str().unwrap().to_owned();
    let mut client = TcpStream::connect(addr).unwrap();
    let (mut upstream_side, _) = server.accept().unwrap();
    let fault = live.wait_for("the fault", |e| ev(e) == "fault");
    assert_eq!(
        (&fault["conn"], &fault["dir"], &fault["kind"], &fault["state"], &fault["detail"]),
        (&2.into(), &"up".into(), &"slice".into(), &"on".into(), &"slice=2".into())
    );
    client.write_all(b"12345").unwrap();
    let mut got = [0u8; 5];
    upstream_side.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"12345");
    live.wait_until("three sends of at most 2", |seen| {
        seen.iter().filter(|e| ev(e) == "send" && e["conn"] == 3).count() == 3
    });
    let sends = live.seen.iter().filter(|e| ev(e) == "send" && e["conn"] == 3);
    assert!(sends.into_iter().all(|e| e["requested"].as_u64() <= Some(2)));
}
