//! `--framing` adds derived `message` events to the headless log, in JSON and as text.

mod support;

use std::io::Write;
use std::net::{Shutdown, TcpStream};
use support::{Running, json_lines};

fn messages(events: &[serde_json::Value], dir: &str) -> Vec<Vec<u8>> {
    events
        .iter()
        .filter(|e| e["ev"] == "message" && e["dir"] == dir)
        .map(|e| {
            let data = hex::decode(e["data"].as_str().unwrap()).unwrap();
            assert_eq!(e["len"].as_u64(), Some(data.len() as u64));
            data
        })
        .collect()
}

#[test]
fn length_prefixed_messages_are_cut_whatever_the_chunking() {
    let args = [
        "listen",
        "127.0.0.1:0",
        "--headless",
        "--json",
        "--echo",
        "--framing",
        "len:u16be",
        "--recv-chunk",
        "3",
    ];
    let server = Running::listening(&args);
    let mut client = TcpStream::connect(server.addr).unwrap();
    let mut stream = Vec::new();
    for body in [&b"hello"[..], b"", b"a longer message, read three bytes at a time"] {
        stream.extend((body.len() as u16).to_be_bytes());
        stream.extend(body);
    }
    stream.extend([0, 9, b'p', b'a']);
    client.write_all(&stream).unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut echoed = Vec::new();
    std::io::Read::read_to_end(&mut client, &mut echoed).unwrap();
    let (code, out) = server.interrupt();
    assert_eq!(code, 0);
    let events = json_lines(&out);
    let expected: Vec<Vec<u8>> = vec![
        b"hello".to_vec(),
        Vec::new(),
        b"a longer message, read three bytes at a time".to_vec(),
    ];
    assert_eq!(messages(&events, "in"), expected, "the partial last message is not a message");
    assert_eq!(messages(&events, "out"), expected, "echoed bytes are framed as they are sent");
}

#[test]
fn text_log_shows_line_messages() {
    let server = Running::listening(&["listen", "127.0.0.1:0", "--headless", "--framing", "line"]);
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.write_all(b"first line\r\nsecond").unwrap();
    client.write_all(b" line\n").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut client, &mut rest).unwrap();
    let (_, out) = server.interrupt();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(r#"message in 10 "first line""#), "{text}");
    assert!(text.contains(r#"message in 11 "second line""#), "{text}");
}
