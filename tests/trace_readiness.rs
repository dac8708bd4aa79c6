//! The traced program's own readiness calls: each `select` (and `poll`, `epoll_wait`) it makes
//! is a `ready` event whose lists are the sockets it got back, as connection ids; each
//! `epoll_ctl` an `interest` event.

mod trace_support;

use serde_json::Value;
use std::collections::HashMap;
use trace_support::{PRELUDE, Run, python3, traced};

/// A listener, a client and the accepted socket; each has made a call naming its descriptor
/// (listen, connect, send), so the events tell which connection each descriptor is.
const PAIR: &str = r#"
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(7)
c = socket.create_connection(srv.getsockname()); a, _ = srv.accept()
c.send(b"x"); a.send(b"y")
"#;

/// Descriptor → connection, from the events that name both.
fn conn_of_fd(run: &Run) -> HashMap<i64, i64> {
    run.events
        .iter()
        .filter(|e| ["listen", "connect", "send"].contains(&e["ev"].as_str().unwrap()))
        .map(|e| (e["fd"].as_i64().unwrap(), e["conn"].as_i64().unwrap()))
        .collect()
}

/// The program's list of descriptors as sorted connection ids.
fn as_conns(fds: &Value, map: &HashMap<i64, i64>) -> Vec<i64> {
    let mut conns: Vec<i64> =
        fds.as_array().unwrap().iter().map(|fd| map[&fd.as_i64().unwrap()]).collect();
    conns.sort_unstable();
    conns
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|id| id.as_i64().unwrap()).collect()
}

#[test]
fn a_select_loop_s_three_lists_are_the_ones_the_program_got() {
    if !python3("a_select_loop_s_three_lists_are_the_ones_the_program_got") {
        return;
    }
    let program = format!(
        "{PRELUDE}{PAIR}{}",
        r#"
for i in range(3):
    r, w, x = select.select([a, c, srv], [a, c], [a, c], 5)
    report("round", lists=[[s.fileno() for s in l] for l in (r, w, x)],
           asked=dict(srv=srv.fileno(), a=a.fileno(), c=c.fileno()))
    for s in r:
        s.recv(10)
"#
    );
    let run = traced(&program, &[]);
    let log = run.log();
    let map = conn_of_fd(&run);
    let rounds: Vec<&Value> = run.reported.iter().filter(|r| r["what"] == "round").collect();
    let ready = run.of("ready");
    assert_eq!(ready.len(), rounds.len(), "{log}");
    for (event, seen) in ready.iter().zip(&rounds) {
        assert_eq!(event["call"], "select", "{log}");
        let view = &event["select"];
        for (i, list) in ["readable", "writable", "exceptional"].into_iter().enumerate() {
            assert_eq!(ids(&view[list]), as_conns(&seen["lists"][i], &map), "{list}: {log}");
        }
    }
    assert!(!ids(&ready[0]["select"]["readable"]).is_empty(), "the first round had data");
    // What the program asked is its interest: said once, before the first round, as the
    // sets stay the same.
    let asked: Vec<&Value> =
        run.of("interest").into_iter().filter(|e| e["call"] == "select").collect();
    let mut got: Vec<(i64, bool, bool)> = asked
        .iter()
        .map(|e| (e["conn"].as_i64().unwrap(), e["read"] == true, e["write"] == true))
        .collect();
    got.sort_unstable();
    let fds = &rounds[0]["asked"];
    let conn = |name: &str| map[&fds[name].as_i64().unwrap()];
    let mut expected =
        vec![(conn("srv"), true, false), (conn("a"), true, true), (conn("c"), true, true)];
    expected.sort_unstable();
    assert_eq!(got, expected, "{log}");
    let first_round = run.events.iter().position(|e| e["ev"] == "ready").unwrap();
    assert!(
        run.events[..first_round].iter().filter(|e| e["ev"] == "interest").count() == 3,
        "{log}"
    );
}

#[test]
fn epoll_interest_and_rounds_are_what_the_program_registered_and_got() {
    if !python3("epoll_interest_and_rounds_are_what_the_program_registered_and_got") {
        return;
    }
    let program = format!(
        "{PRELUDE}{PAIR}{}",
        r#"
sel = selectors.EpollSelector()
sel.register(a, selectors.EVENT_READ); sel.register(c, selectors.EVENT_WRITE)
got = sel.select(5)
report("epoll", readable=[k.fd for k, m in got if m & selectors.EVENT_READ],
       writable=[k.fd for k, m in got if m & selectors.EVENT_WRITE], a=a.fileno(), c=c.fileno())
p = select.poll(); p.register(a, select.POLLIN)
report("poll", readable=[fd for fd, m in p.poll(5000) if m & select.POLLIN])
"#
    )
    .replace("import json,", "import json, selectors,");
    let run = traced(&program, &[]);
    let log = run.log();
    let map = conn_of_fd(&run);
    let seen = run.report("epoll");
    let (interest, asked): (Vec<&Value>, Vec<&Value>) =
        run.of("interest").into_iter().partition(|e| e["syscall"] == "epoll_ctl");
    assert_eq!(interest.len(), 2, "{log}");
    // poll's own question, read from its pollfd array: `a` for reading.
    assert_eq!(asked.len(), 1, "{log}");
    assert_eq!(asked[0]["call"], "poll");
    assert_eq!(asked[0]["conn"], map[&seen["a"].as_i64().unwrap()]);
    assert_eq!((&asked[0]["read"], &asked[0]["write"]), (&Value::Bool(true), &Value::Bool(false)));
    assert_eq!(interest[0]["conn"], map[&seen["a"].as_i64().unwrap()]);
    assert_eq!(
        (&interest[0]["read"], &interest[0]["write"]),
        (&Value::Bool(true), &Value::Bool(false))
    );
    assert_eq!(
        (&interest[1]["read"], &interest[1]["write"]),
        (&Value::Bool(false), &Value::Bool(true))
    );
    let ready = run.of("ready");
    assert_eq!(ready.len(), 2, "{log}");
    assert_eq!(ready[0]["call"], "epoll_wait");
    assert_eq!(ids(&ready[0]["readable"]), as_conns(&seen["readable"], &map));
    assert_eq!(ids(&ready[0]["writable"]), as_conns(&seen["writable"], &map));
    assert_eq!(ready[1]["call"], "poll");
    assert_eq!(ids(&ready[1]["readable"]), as_conns(&run.report("poll")["readable"], &map));
}
