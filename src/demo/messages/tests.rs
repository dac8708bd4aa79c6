use super::*;
use crate::demo::script::{Act, Call};
use crate::framing::{DEFAULT_MAX_MESSAGE, frame_all};

/// Every byte the client is told to send, in order, and whether it then shuts down writing.
fn scripted_bytes() -> (Vec<u8>, bool) {
    let (mut bytes, mut shut_down) = (Vec::new(), false);
    for step in plan().steps {
        let Step::Do(acts) = step else { continue };
        for act in acts {
            match act {
                Act::On(Client(0), Call::Send(data)) => bytes.extend_from_slice(&data),
                Act::On(Client(0), Call::Shutdown(How::Write)) => shut_down = true,
                Act::Connect(None) => {}
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    (bytes, shut_down)
}

#[test]
fn the_script_is_a_valid_length_prefixed_stream_then_a_shutdown() {
    let (bytes, shut_down) = scripted_bytes();
    assert!(shut_down, "the client ends by shutting down writing");
    let (messages, partial) = frame_all(&plan().framing, &bytes, DEFAULT_MAX_MESSAGE);
    assert!(partial.is_none(), "nothing left over at the end");
    let bodies: Vec<Vec<u8>> = messages.into_iter().map(|m| m.body).collect();
    let mut integers = 8080_u16.to_be_bytes().to_vec();
    integers.extend(0xC0A8_0001_u32.to_be_bytes());
    integers.extend((-2_i32).to_be_bytes());
    let expected: Vec<Vec<u8>> = [
        b"hello, server".to_vec(),
        IN_TWO.as_bytes().to_vec(),
        b"two messages".to_vec(),
        b"in one send".to_vec(),
        integers,
        b"goodbye".to_vec(),
    ]
    .to_vec();
    assert_eq!(bodies, expected);
}

/// The message in two pieces: the first send ends inside its body.
#[test]
fn the_first_piece_holds_the_length_and_part_of_the_body() {
    let pieces: Vec<Vec<u8>> = (plan().steps.iter())
        .filter_map(|step| match step {
            Step::Do(acts) => match &acts[..] {
                [Act::On(_, Call::Send(data))] => Some(data.to_vec()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let (complete, partial) = frame_all(&plan().framing, &pieces[1], DEFAULT_MAX_MESSAGE);
    assert!(complete.is_empty() && partial.is_some(), "{pieces:?}");
}
