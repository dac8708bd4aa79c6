//! Intercepting in the terminal UI, as a person would: `sockscope proxy` in tmux, `:intercept
//! up` with the listener selected (every pair it accepts from then on), a client connects and
//! sends a request, which is held and listed (`H`); the person edits it (`e`) and forwards the
//! edit, and the server receives the edited bytes; `:inject down` then sends the client bytes
//! the server never sent.
//!
//! Needs tmux: under `CI=true` a missing tmux fails the test; elsewhere it is skipped loudly.

mod tmux;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use tmux::{Tmux, free_port, tmux_or_skip};

#[test]
fn an_intercepted_request_is_edited_before_the_server_sees_it() {
    if !tmux_or_skip("an_intercepted_request_is_edited_before_the_server_sees_it") {
        return;
    }
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = server.local_addr().unwrap();
    let port = free_port();
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command = format!("'{binary}' proxy 127.0.0.1:{port} {upstream} --framing line; read -r _");
    let tmux = Tmux::start(140, 45, &command);
    tmux.wait_for_screen("the listener", |s| s.contains(&format!("127.0.0.1:{port}")));
    tmux.type_text(":intercept up");
    tmux.send_keys("Enter");
    tmux.wait_for_screen("the intercept badge", |s| s.contains("INTERCEPT 0 held"));
    let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (mut server_side, _) = server.accept().unwrap();
    tmux.wait_for_screen("the pair", |s| s.contains("#3"));
    client.write_all(b"GET /secret HTTP/1.0\r\n").unwrap();
    tmux.wait_for_screen("the request held", |s| s.contains("INTERCEPT 1 held"));
    tmux.send_keys("H");
    let list = tmux.wait_for_screen("the held list", |s| s.contains("Held messages"));
    assert!(list.contains("h1") && list.contains(r"GET /secret HTTP/1.0\r\n"), "{list}");
    tmux.send_keys("e");
    tmux.wait_for_screen("the editor", |s| s.contains("Edit h1"));
    // The editor holds `GET /secret HTTP/1.0\r\n`: replace the path.
    tmux.send_keys("C-u");
    tmux.type_text(r"GET /public HTTP/1.0\r\n");
    tmux.send_keys("Enter");
    tmux.wait_for_screen("nothing held any more", |s| s.contains("INTERCEPT 0 held"));
    let mut got = vec![0u8; 22];
    server_side.read_exact(&mut got).unwrap();
    assert_eq!(got, b"GET /public HTTP/1.0\r\n", "the server received the edit");
    tmux.send_keys("Escape");
    tmux.type_text(r":inject down HTTP/1.0 403 Forbidden\r\n");
    tmux.send_keys("Enter");
    let mut reply = vec![0u8; 24];
    client.read_exact(&mut reply).unwrap();
    assert_eq!(reply, b"HTTP/1.0 403 Forbidden\r\n");
    tmux.send_keys("q");
}
