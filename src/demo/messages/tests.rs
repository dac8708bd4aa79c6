use super::*;
use crate::framing::{DEFAULT_MAX_MESSAGE, frame_all};

fn ev(kind: EventKind, t_us: u64) -> Event {
    Event { kind, t_us }
}

/// Runs the script against hand-made events and returns every byte the client was told to send.
fn scripted_bytes(demo: &mut Messages) -> (Vec<u8>, bool) {
    let listen =
        ev(EventKind::Listen { conn: ConnId(1), local: "127.0.0.1:5000".parse().unwrap() }, 0);
    let connect = demo.on_event(&listen);
    assert!(
        matches!(&connect[..], [Command::Connect { candidates }] if candidates[0].to_string() == "127.0.0.1:5000")
    );
    let local = "127.0.0.1:40000".parse().unwrap();
    let peer = "127.0.0.1:5000".parse().unwrap();
    demo.on_event(&ev(EventKind::Connected { conn: ConnId(2), local, peer }, 10));
    let (mut bytes, mut shut_down) = (Vec::new(), false);
    for step in 0..20_u64 {
        for command in demo.on_tick(10 + step * 700_000) {
            match command {
                Command::Send { conn: ConnId(2), data } => bytes.extend_from_slice(&data),
                Command::Shutdown { conn: ConnId(2), how: How::Write } => shut_down = true,
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    (bytes, shut_down)
}

#[test]
fn the_script_is_a_valid_length_prefixed_stream_then_a_shutdown() {
    let mut demo = Messages::new(Repeat::Once);
    let (bytes, shut_down) = scripted_bytes(&mut demo);
    assert!(shut_down, "the client ends by shutting down writing");
    let (messages, partial) = frame_all(&demo.framing(), &bytes, DEFAULT_MAX_MESSAGE);
    assert!(partial.is_none(), "nothing left over at the end");
    let bodies: Vec<Vec<u8>> = messages.into_iter().map(|m| m.body).collect();
    let mut integers = 8080_u16.to_be_bytes().to_vec();
    integers.extend(0xC0A8_0001_u32.to_be_bytes());
    integers.extend((-2_i32).to_be_bytes());
    let expected: Vec<Vec<u8>> = [
        b"hello, server".to_vec(),
        b"this message arrives in two pieces".to_vec(),
        b"two messages".to_vec(),
        b"in one send".to_vec(),
        integers,
        b"goodbye".to_vec(),
    ]
    .to_vec();
    assert_eq!(bodies, expected);
}

#[test]
fn nothing_is_sent_before_its_time_and_once_runs_a_single_round() {
    let mut demo = Messages::new(Repeat::Once);
    assert!(demo.on_tick(1_000_000).is_empty(), "no client yet");
    let _ = scripted_bytes(&mut demo);
    assert!(!demo.is_finished());
    let again = demo
        .on_event(&ev(EventKind::Close { conn: ConnId(2), by: crate::event::ClosedBy::Peer }, 1));
    assert!(again.is_empty(), "Once does not reconnect");
    assert!(demo.is_finished());

    let mut forever = Messages::new(Repeat::Forever);
    let _ = scripted_bytes(&mut forever);
    let again = forever
        .on_event(&ev(EventKind::Close { conn: ConnId(2), by: crate::event::ClosedBy::Peer }, 1));
    assert!(matches!(&again[..], [Command::Connect { .. }]), "Forever starts a new round");
    assert!(!forever.is_finished());
}
