//! Fields of one event that must agree with each other.
//!
//! A record can be well formed (its checksum matches, every field decodes) and still say
//! something no sockscope writes: a `recv` whose length says 5 while its payload holds 539
//! bytes, or payload parts in front of it that make it longer than it says. Taken at its word,
//! such a record shifts every byte after it, in the streams, the relay queues and every export,
//! so the reader reports it as damage at that record and keeps what came before.

use crate::event::EventKind;

/// What is inconsistent about `kind`, if anything. A traced program's `send` or `recv` (one
/// after a call site) may hold fewer bytes than it moved: `--snap` kept only the first.
pub(super) fn disagreement(kind: &EventKind, traced: bool) -> Option<String> {
    use EventKind as K;
    let counted = |what, len: usize, payload: usize| {
        if traced {
            (payload > len).then(|| carries(what, len, payload)).flatten()
        } else {
            carries(what, len, payload)
        }
    };
    match kind {
        K::Recv { max, len, data, .. } => counted("recv", *len, data.len()).or_else(|| {
            (len > max).then(|| format!("a recv returns {len} bytes into a {max}-byte buffer"))
        }),
        K::Send { requested, len, data, .. } => counted("send", *len, data.len()).or_else(|| {
            (len > requested).then(|| format!("a send accepts {len} of {requested} bytes"))
        }),
        K::Message { len, data, .. } => carries("message", *len, data.len()),
        K::Held { len, data, .. } => carries("held message", *len, data.len()),
        K::Released { len, data, .. } => carries("released message", *len, data.len()),
        K::Inject { len, data, .. } => carries("injection", *len, data.len()),
        K::RecvFrom { max, len, data, truncated, .. } => carries("recvfrom", *len, data.len())
            .or_else(|| (len > max).then(|| format!("a recvfrom returns {len} bytes into {max}")))
            .or_else(|| {
                truncated
                    .filter(|full| full <= len)
                    .map(|full| format!("a datagram of {full} bytes is truncated to {len}"))
            }),
        K::SendTo { requested, len, data, .. } => {
            carries("sendto", *len, data.len()).or_else(|| {
                (len > requested).then(|| format!("a sendto sends {len} of {requested} bytes"))
            })
        }
        K::TlsRead { len, data, .. } => carries("tls_read", *len, data.len()),
        K::TlsWrite { requested, len, data, .. } => {
            carries("tls_write", *len, data.len()).or_else(|| {
                (len > requested).then(|| format!("a tls_write accepts {len} of {requested} bytes"))
            })
        }
        K::PipeRead { max, len, data, .. } => carries("pipe_read", *len, data.len())
            .or_else(|| (len > max).then(|| format!("a pipe read returns {len} bytes into {max}"))),
        K::SpliceOut { requested, len, data, .. } => carries("splice_out", *len, data.len())
            .or_else(|| {
                (len > requested).then(|| format!("a splice moves {len} of {requested} bytes"))
            }),
        K::SpliceIn { max, len, .. } => {
            (len > max).then(|| format!("a splice moves {len} bytes of at most {max}"))
        }
        K::Session { .. }
        | K::Tee { .. }
        | K::Listen { .. }
        | K::Accept { .. }
        | K::Connect { .. }
        | K::Connected { .. }
        | K::Ready(_)
        | K::WouldBlock { .. }
        | K::Eof { .. }
        | K::Shutdown { .. }
        | K::Reset { .. }
        | K::Close { .. }
        | K::Error { .. }
        | K::Option { .. }
        | K::Interest { .. }
        | K::Blocked { .. }
        | K::Fault { .. }
        | K::Intercept { .. }
        | K::Tls { .. } => None,
    }
}

/// Whether an event's length field matches the payload it holds.
fn carries(what: &str, len: usize, payload: usize) -> Option<String> {
    (len != payload).then(|| format!("a {what} says {len} bytes but its payload holds {payload}"))
}
