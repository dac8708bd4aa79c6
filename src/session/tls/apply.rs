//! What the `tls`, `tls_read` and `tls_write` events change in the model, and what a TLS
//! connection's `recv` and EOF mean one layer up.

use super::{Alert, Layer, Offer, TlsCall, TlsState};
use crate::event::{ConnId, Dir, TlsBy, TlsStage};
use crate::session::Session;
use crate::session::call::CallKind;
use crate::session::connection::Connection;

impl Session {
    /// A `tls` event: the handshake's stages, an alert, a `close_notify`.
    pub(in crate::session) fn on_tls(&mut self, id: ConnId, stage: &TlsStage, t: u64) {
        let Some(conn) = self.tls_connection(id) else { return };
        let Some(tls) = conn.tls_state.as_deref_mut() else { return };
        let call = match stage {
            TlsStage::ClientHello { sni, alpn, versions } => {
                let offer =
                    Offer { sni: sni.clone(), alpn: alpn.clone(), versions: versions.clone() };
                tls.offer = Some(offer);
                TlsCall::Handshake(stage.describe())
            }
            TlsStage::Established(agreed) => {
                tls.established = Some(agreed.clone());
                let alpn = agreed.alpn.as_deref().map(|p| format!(" {p}")).unwrap_or_default();
                conn.tls = Some(format!("{}{alpn}", agreed.version));
                TlsCall::Handshake(stage.describe())
            }
            TlsStage::Alert { level, description, by } => {
                let (level, description, by) = (level.clone(), description.clone(), *by);
                tls.alert = Some(Alert {
                    t_us: t,
                    level: level.clone(),
                    description: description.clone(),
                    by,
                });
                TlsCall::Alert { level, description, by }
            }
            TlsStage::CloseNotify { by } => {
                let slot = match by {
                    TlsBy::Local => 0,
                    TlsBy::Peer => 1,
                };
                tls.close_notify[slot].get_or_insert(t);
                TlsCall::CloseNotify { by: *by }
            }
        };
        // The peer's alert (`close_notify` included) is what the `recv` before it carried.
        let from_peer = matches!(
            stage,
            TlsStage::Alert { by: TlsBy::Peer, .. } | TlsStage::CloseNotify { by: TlsBy::Peer }
        );
        if from_peer && awaits_plaintext(conn) {
            conn.replace_last_call(t, CallKind::Tls(call));
        } else {
            conn.record(t, CallKind::Tls(call));
        }
        if let TlsStage::CloseNotify { by } = stage {
            // After a `close_notify`, no more plaintext comes from its sender.
            let dir = match by {
                TlsBy::Local => Dir::Out,
                TlsBy::Peer => Dir::In,
            };
            self.end_plaintext(id, dir, t);
        }
    }

    /// Plaintext of a `tls_read` (`In`) or `tls_write` (`Out`). A `tls_read` answers the
    /// `recv` just before it, so it takes the place of the "nothing yet" line that `recv` left.
    pub(in crate::session) fn on_plaintext(
        &mut self,
        id: ConnId,
        dir: Dir,
        data: &[u8],
        call: TlsCall,
        t: u64,
    ) {
        let Some(conn) = self.tls_connection(id) else { return };
        if dir == Dir::In && awaits_plaintext(conn) {
            conn.replace_last_call(t, CallKind::Tls(call));
        } else {
            conn.record(t, CallKind::Tls(call));
        }
        let Self { connections, retention, .. } = self;
        let Some(conn) = connections.get_mut(&id) else { return };
        retention.track(conn, |conn| {
            if let Some(tls) = conn.tls_state.as_deref_mut() {
                tls.plaintext_mut(dir).push(data, t);
            }
        });
        if !data.is_empty() {
            retention.note_chunk(id, dir, Layer::Plaintext);
        }
        self.retention.enforce(&mut self.connections);
    }

    /// A TLS connection's `recv` moved ciphertext: follow its records, and say that no
    /// plaintext came of it (yet) until a `tls_read` says otherwise. Before the handshake
    /// completes, only a record cut short is worth the line: handshake records are expected
    /// to give no plaintext.
    pub(in crate::session) fn after_tls_recv(&mut self, id: ConnId, data: &[u8], t: u64) {
        let Some(conn) = self.connections.get_mut(&id) else { return };
        let Some(tls) = conn.tls_state.as_deref_mut() else { return };
        tls.scan.feed(data);
        let mid_record = tls.scan.mid_record();
        if mid_record || tls.established.is_some() {
            conn.record(t, CallKind::Tls(TlsCall::NoPlaintext { mid_record }));
        }
    }

    /// The peer's FIN on a TLS connection: one that came without `close_notify` is named,
    /// since TLS cannot tell it from a connection cut short.
    pub(in crate::session) fn after_tls_eof(&mut self, id: ConnId, t: u64) {
        let Some(conn) = self.connections.get_mut(&id) else { return };
        let Some(tls) = conn.tls_state.as_deref() else { return };
        if tls.close_notify_by(TlsBy::Peer).is_none() {
            conn.record(t, CallKind::Tls(TlsCall::FinWithoutCloseNotify));
        }
    }

    /// No more plaintext in this direction.
    pub(in crate::session) fn end_plaintext(&mut self, id: ConnId, dir: Dir, t: u64) {
        let Self { connections, retention, .. } = self;
        if let Some(conn) = connections.get_mut(&id) {
            retention.track(conn, |conn| {
                if let Some(tls) = conn.tls_state.as_deref_mut() {
                    tls.plaintext_mut(dir).end(t);
                }
            });
            retention.enforce(connections);
        }
    }

    /// The connection a TLS event names, given its TLS state if it has none yet. A server
    /// learns it speaks TLS only once the `ClientHello` has arrived, so the records scan
    /// catches up on the ciphertext already received.
    fn tls_connection(&mut self, id: ConnId) -> Option<&mut Connection> {
        let (max_message, retain) = (self.config.max_message, self.config.retain);
        let Self { connections, retention, .. } = self;
        let Some(conn) = connections.get_mut(&id) else {
            self.orphans += 1;
            return None;
        };
        if conn.tls_state.is_none() {
            retention.track(conn, |conn| {
                let mut tls = TlsState::new(conn.wire(Dir::In).spec().clone(), max_message, retain);
                let received = conn.wire(Dir::In);
                if received.retained().start == 0 {
                    let mut bytes = Vec::new();
                    received.read(0..received.total(), &mut bytes);
                    tls.scan.feed(&bytes);
                }
                conn.tls_state = Some(Box::new(tls));
            });
        }
        self.connections.get_mut(&id)
    }
}

/// The latest call is the "no plaintext" line a `recv` left, which what TLS made of that
/// `recv`'s bytes replaces.
fn awaits_plaintext(conn: &Connection) -> bool {
    matches!(conn.calls().last().map(|c| &c.kind), Some(CallKind::Tls(TlsCall::NoPlaintext { .. })))
}
