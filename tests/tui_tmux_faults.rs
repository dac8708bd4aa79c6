//! Faults in the terminal UI, as a person would use them: `sockscope proxy --fault up:slice=1`
//! in tmux shows the pair's active fault in the Calls panel's header; `:fault up:off` removes
//! it (the header says so at once, and the Calls list keeps the `fault ... off` line), and the
//! client's bytes still reach the server.
//!
//! Needs tmux: under `CI=true` a missing tmux fails the test; elsewhere it is skipped loudly.

mod tmux;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use tmux::{Tmux, free_port, tmux_or_skip};

#[test]
fn a_fault_is_shown_while_active_and_removed_live() {
    if !tmux_or_skip("a_fault_is_shown_while_active_and_removed_live") {
        return;
    }
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = server.local_addr().unwrap();
    let port = free_port();
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command =
        format!("'{binary}' proxy 127.0.0.1:{port} {upstream} --fault up:slice=1; read -r _");
    let tmux = Tmux::start(140, 45, &command);
    tmux.wait_for_screen("the listener", |s| s.contains(&format!("127.0.0.1:{port}")));
    let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (mut upstream_side, _) = server.accept().unwrap();
    tmux.wait_for_screen("the active fault in the Calls header", |s| {
        s.contains("faults: up slice=1")
    });
    tmux.type_text(":fault up:off");
    tmux.send_keys("Enter");
    tmux.wait_for_screen("the fault removed", |s| {
        !s.contains("faults: up") && s.contains("fault up slice off: slice=1")
    });
    client.write_all(b"ping").unwrap();
    let mut got = [0u8; 4];
    upstream_side.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping");
    tmux.send_keys("q");
}
