//! `sockscope trace --snap SIZE`: each call's `data` holds at most SIZE bytes, `len` stays
//! what the call moved, and a cut event says `"snapped":true`; without `--snap` every byte is
//! read and no event says it was cut.

mod trace_support;

use serde_json::Value;
use trace_support::{PRELUDE, Run, hex, python3, traced};

const PROGRAM: &str = r#"
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
c = socket.create_connection(srv.getsockname())
a, _ = srv.accept()
payload = bytes(range(256)) * 4
c.sendall(payload)
got = b""
while len(got) < len(payload):
    got += a.recv(4096)
report("calls", c=c.fileno(), a=a.fileno(), got=len(got))
"#;

fn program() -> String {
    format!("{PRELUDE}{PROGRAM}")
}

/// The `send` on the client's descriptor and the `recv`s on the accepted one.
fn calls(run: &Run) -> (Vec<&Value>, Vec<&Value>) {
    let seen = run.report("calls");
    let on = |ev, fd: &Value| run.of(ev).into_iter().filter(|e| &e["fd"] == fd).collect();
    (on("send", &seen["c"]), on("recv", &seen["a"]))
}

#[test]
fn snap_keeps_the_first_bytes_and_the_real_count() {
    if !python3("snap_keeps_the_first_bytes_and_the_real_count") {
        return;
    }
    let run = traced(&program(), &["--snap", "16"]);
    let log = run.log();
    assert_eq!(run.status(), Some(0), "{log}");
    let (sends, recvs) = calls(&run);
    assert_eq!(sends.len(), 1, "{log}");
    assert_eq!(sends[0]["len"], 1024);
    assert_eq!(sends[0]["data"], hex(&(0..16).collect::<Vec<u8>>()), "{log}");
    assert_eq!(sends[0]["snapped"], true);
    let received: u64 = recvs.iter().map(|e| e["len"].as_u64().unwrap()).sum();
    assert_eq!(received, 1024, "{log}");
    for recv in recvs {
        let kept = recv["data"].as_str().unwrap().len() / 2;
        assert!(kept <= 16, "{recv}");
        assert_eq!(recv["snapped"].as_bool(), Some(true).filter(|_| recv["len"] != 16));
    }
}

#[test]
fn without_snap_every_byte_is_read_and_nothing_says_snapped() {
    if !python3("without_snap_every_byte_is_read_and_nothing_says_snapped") {
        return;
    }
    let run = traced(&program(), &[]);
    let (sends, _) = calls(&run);
    let payload: Vec<u8> = (0..=255).cycle().take(1024).collect();
    assert_eq!(sends[0]["data"], hex(&payload));
    assert!(run.events.iter().all(|e| e.get("snapped").is_none()), "{}", run.log());
}
