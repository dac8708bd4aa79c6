//! The last line of `replay --to` for a datagram conversation: the replies compared datagram
//! by datagram, since the same bytes cut into other datagrams are another conversation.

use super::{EXIT_DIFFER, Outcome};
use crate::event::{Address, SocketType};
use crate::record::resend::Conversation;
use crate::record::resend::datagrams::{Verdict, compare, describe};
use bytes::Bytes;

/// Prints the verdict and returns its exit code: 0 identical (2 from a damaged recording),
/// [`EXIT_DIFFER`] when a datagram differs or is missing or extra.
pub(super) fn verdict(expected: &[Bytes], out: &Outcome, damaged: bool) -> u8 {
    let got = &out.got_datagrams;
    match compare(expected, got) {
        Verdict::Identical => {
            println!(
                "identical: sent {} bytes, received the {} recorded datagrams ({} bytes)",
                out.sent,
                got.len(),
                out.got.len()
            );
            if damaged { 2 } else { 0 }
        }
        Verdict::Differ { index, expected: wanted, got: came } => {
            println!(
                "replies differ at datagram {index} (received {}, recorded {}): expected {}, got {}",
                got.len(),
                expected.len(),
                describe(wanted.as_ref()),
                describe(came.as_ref())
            );
            if out.gave_up {
                eprintln!("note: no reply came for the reply timeout; stopped waiting");
            }
            EXIT_DIFFER
        }
    }
}

/// Datagrams re-sent over a stream (or a stream over datagrams) would compare nothing that
/// was recorded: said before anything is sent.
pub(super) fn kind_mismatch(talk: &Conversation, to: &[Address]) -> Option<String> {
    let recorded = if talk.datagrams.is_some() { SocketType::Datagram } else { SocketType::Stream };
    let wrong = to.iter().find(|addr| addr.socket_type() != recorded)?;
    Some(match recorded {
        SocketType::Datagram => format!(
            "connection {} is a datagram socket: re-send it to a datagram address \
             (udp:HOST:PORT or unixgram:PATH), not {wrong}",
            talk.conn
        ),
        SocketType::Stream => format!(
            "connection {} is a stream: re-send it to a stream address, not {wrong}",
            talk.conn
        ),
    })
}
