//! The hooks by which a TLS socket's bytes pass through rustls: ciphertext a `recv` returned
//! is decrypted and reported (`tls_read`, the handshake's stages), plaintext on its way out is
//! encrypted before it joins the send queue (`tls_write`), and our `shutdown(write)` is
//! preceded by a `close_notify`.

use super::Core;
use crate::engine::endpoint::Role;
use crate::engine::tls::{self, State, TlsConn};
use crate::event::{ClosedBy, ConnId, ErrorKind, EventKind, Op, TlsBy, TlsStage};
use bytes::Bytes;
use std::io::{Read, Write};

/// Largest plaintext gathered into one `tls_read` event.
const READ_PIECE: usize = 64 * 1024;

impl Core {
    /// Queues `data` for sending on `to`: as it is, or encrypted when `to` speaks TLS.
    pub(super) fn enqueue(&mut self, to: ConnId, data: Bytes) {
        // Bytes waiting in the splice relay's pipe were read earlier: they go first.
        self.unsplice(to);
        let Some(ep) = self.endpoints.get_mut(&to) else { return };
        let Some(conn) = ep.tls.as_mut() else {
            ep.queue.push(data);
            return;
        };
        let requested = data.len();
        let len = match &mut conn.state {
            State::Accepting { pending, .. } => {
                pending.push(data.clone());
                requested
            }
            State::Open(c) => c.writer().write(&data).unwrap_or(0),
        };
        let out = conn.take_output();
        ep.queue.push(Bytes::from(out));
        self.emit(EventKind::TlsWrite { conn: to, requested, len, data: data.slice(..len) });
    }

    /// A socket that has just connected speaks TLS as a client, if asked: it starts the
    /// handshake and reports what its `ClientHello` offers.
    pub(super) fn start_tls_client(&mut self, id: ConnId) {
        let Some((config, name)) = self.config.tls.client.clone() else { return };
        let Some(ep) = self.endpoints.get_mut(&id) else { return };
        if !matches!(ep.role, Role::Outgoing) {
            return;
        }
        match TlsConn::client(config.clone(), name.clone()) {
            Ok(mut conn) => {
                let hello = conn.take_output();
                let versions = tls::offered_versions(&hello);
                ep.queue.push(Bytes::from(hello));
                ep.tls = Some(Box::new(conn));
                let sni = match name {
                    rustls::pki_types::ServerName::DnsName(n) => Some(n.as_ref().to_owned()),
                    _ => None,
                };
                let alpn = config.alpn_protocols.iter().map(|p| tls::lossy(p)).collect();
                self.emit_stage(id, TlsStage::ClientHello { sni, alpn, versions });
            }
            Err(e) => self.tls_failed(id, &e, Vec::new()),
        }
    }

    /// An accepted socket speaks TLS as a server, if asked.
    pub(super) fn start_tls_server(&mut self, id: ConnId) {
        let Some(config) = self.config.tls.server.clone() else { return };
        if let Some(ep) = self.endpoints.get_mut(&id) {
            ep.tls = Some(Box::new(TlsConn::server(config)));
        }
    }

    /// Ciphertext a `recv` returned on a TLS socket; returns `false` when `id` is not one
    /// (the bytes are then the plaintext, relayed as they are).
    pub(super) fn tls_received(&mut self, id: ConnId, wire: &Bytes) -> bool {
        let Some(ep) = self.endpoints.get_mut(&id) else { return false };
        let Some(conn) = ep.tls.as_mut() else { return false };
        if conn.failed {
            return true;
        }
        if let State::Accepting { .. } = conn.state {
            self.tls_accept(id, wire);
        } else if let Err(e) = self.tls_feed(id, wire) {
            let alert = self.take_tls_output(id);
            self.tls_failed(id, &e, alert);
            return true;
        }
        self.tls_after_progress(id);
        true
    }

    /// The server side before its `ClientHello` is whole: the `Acceptor` gathers it.
    fn tls_accept(&mut self, id: ConnId, wire: &Bytes) {
        let Some(conn) = self.endpoints.get_mut(&id).and_then(|ep| ep.tls.as_mut()) else {
            return;
        };
        let State::Accepting { acceptor, config, pending, hello: seen } = &mut conn.state else {
            return;
        };
        let room = tls::HELLO_LIMIT.saturating_sub(seen.len());
        seen.extend_from_slice(&wire[..wire.len().min(room)]);
        let mut rd = &wire[..];
        let _ = acceptor.read_tls(&mut rd);
        let accepted = match acceptor.accept() {
            Ok(None) => return,
            Ok(Some(accepted)) => accepted,
            Err((e, mut alert)) => {
                let mut out = Vec::new();
                let _ = alert.write_all(&mut out);
                return self.tls_failed(id, &e, out);
            }
        };
        let hello = accepted.client_hello();
        let sni = hello.server_name().map(str::to_owned);
        let alpn = hello.alpn().map(|list| list.map(tls::lossy).collect()).unwrap_or_default();
        let versions = tls::offered_versions(&std::mem::take(seen));
        let (config, pending) = (config.clone(), std::mem::take(pending));
        let stage = TlsStage::ClientHello { sni, alpn, versions };
        match accepted.into_connection(config) {
            Ok(mut server) => {
                server.set_buffer_limit(None);
                for data in pending {
                    let _ = server.writer().write_all(&data);
                }
                conn.state = State::Open(Box::new(server.into()));
                self.emit_stage(id, stage);
                if let Err(e) = self.tls_feed(id, &tls::rest_of(wire, rd)) {
                    let alert = self.take_tls_output(id);
                    self.tls_failed(id, &e, alert);
                }
            }
            Err((e, mut alert)) => {
                self.emit_stage(id, stage);
                let mut out = Vec::new();
                let _ = alert.write_all(&mut out);
                self.tls_failed(id, &e, out);
            }
        }
    }

    /// Hands ciphertext to rustls and reports the plaintext and stages it yields.
    fn tls_feed(&mut self, id: ConnId, wire: &[u8]) -> Result<(), rustls::Error> {
        let mut rd = wire;
        loop {
            let Some(conn) = self.open_tls(id) else { return Ok(()) };
            if !rd.is_empty() {
                // Plaintext is drained every pass, so rustls always has room; a refusal or a
                // read of nothing (records after `close_notify`) ends the pass, never spins.
                match conn.read_tls(&mut rd) {
                    Ok(0) => rd = &[],
                    Ok(_) => {}
                    Err(e) => return Err(rustls::Error::General(e.to_string())),
                }
            }
            let state = conn.process_new_packets()?;
            self.report_established(id);
            self.read_plaintext(id, state.plaintext_bytes_to_read());
            if state.peer_has_closed() {
                self.report_close_notify(id);
            }
            if rd.is_empty() {
                return Ok(());
            }
        }
    }

    fn open_tls(&mut self, id: ConnId) -> Option<&mut rustls::Connection> {
        match &mut self.endpoints.get_mut(&id)?.tls.as_mut()?.state {
            State::Open(conn) => Some(conn),
            State::Accepting { .. } => None,
        }
    }

    fn report_established(&mut self, id: ConnId) {
        let Some(ep) = self.endpoints.get_mut(&id) else { return };
        let Some(conn) = ep.tls.as_mut() else { return };
        let State::Open(c) = &conn.state else { return };
        if conn.established || c.is_handshaking() {
            return;
        }
        conn.established = true;
        let sni = match &**c {
            rustls::Connection::Server(s) => s.server_name().map(str::to_owned),
            rustls::Connection::Client(_) => match &self.config.tls.client {
                Some((_, rustls::pki_types::ServerName::DnsName(n))) => Some(n.as_ref().to_owned()),
                _ => None,
            },
        };
        let stage = tls::established(c, sni);
        self.emit_stage(id, stage);
    }

    fn read_plaintext(&mut self, id: ConnId, mut available: usize) {
        while available > 0 {
            let Some(conn) = self.open_tls(id) else { return };
            let mut buf = vec![0; available.min(READ_PIECE)];
            let len = match conn.reader().read(&mut buf) {
                Ok(len) if len > 0 => len,
                _ => return,
            };
            available = available.saturating_sub(len);
            buf.truncate(len);
            let data = Bytes::from(buf);
            self.emit(EventKind::TlsRead { conn: id, len, data: data.clone() });
            self.relay(id, data);
        }
    }

    fn report_close_notify(&mut self, id: ConnId) {
        let Some(conn) = self.endpoints.get_mut(&id).and_then(|ep| ep.tls.as_mut()) else {
            return;
        };
        if !std::mem::replace(&mut conn.close_seen, true) {
            self.emit_stage(id, TlsStage::CloseNotify { by: TlsBy::Peer });
        }
    }

    /// Queues what rustls wants sent (handshake replies, tickets) and sends it.
    fn tls_after_progress(&mut self, id: ConnId) {
        let out = self.take_tls_output(id);
        if let Some(ep) = self.endpoints.get_mut(&id) {
            ep.queue.push(Bytes::from(out));
        }
        if !self.manual {
            self.flush(id);
        }
    }

    fn take_tls_output(&mut self, id: ConnId) -> Vec<u8> {
        self.endpoints
            .get_mut(&id)
            .and_then(|ep| ep.tls.as_mut())
            .map(|conn| conn.take_output())
            .unwrap_or_default()
    }

    /// Before our `shutdown(write)` on a TLS socket: queue a `close_notify` (once). Returns
    /// whether the shutdown must wait: for the handshake to finish (the plaintext given
    /// meanwhile is sent after it), or for the `close_notify` to be sent. A handshake that
    /// can no longer finish (no `ClientHello` yet, or the peer sent EOF) does not hold the
    /// shutdown back: there is no session to close.
    pub(super) fn tls_close_notify_first(&mut self, id: ConnId) -> bool {
        let Some(ep) = self.endpoints.get_mut(&id) else { return false };
        let peer_ended = ep.read_closed;
        let Some(conn) = ep.tls.as_mut() else { return false };
        if conn.close_sent || conn.failed {
            return false;
        }
        let State::Open(c) = &mut conn.state else { return false };
        if c.is_handshaking() {
            ep.shutdown_when_flushed = !peer_ended;
            return !peer_ended;
        }
        conn.close_sent = true;
        c.send_close_notify();
        let out = conn.take_output();
        ep.queue.push(Bytes::from(out));
        ep.shutdown_when_flushed = true;
        self.emit_stage(id, TlsStage::CloseNotify { by: TlsBy::Local });
        true
    }

    /// A handshake or record failure: the alert we send (if any) goes out with one `send`,
    /// the failure is reported as an error, and the socket closes.
    fn tls_failed(&mut self, id: ConnId, error: &rustls::Error, alert: Vec<u8>) {
        let (message, received) = tls::failure(error);
        if let Some(description) = received {
            let level = "fatal".to_owned();
            self.emit_stage(id, TlsStage::Alert { level, description, by: TlsBy::Peer });
        } else if let Some(description) = tls::sent_alert(&alert).or_else(|| tls::alert_for(error))
        {
            let level = "fatal".to_owned();
            self.emit_stage(id, TlsStage::Alert { level, description, by: TlsBy::Local });
        }
        if let Some(ep) = self.endpoints.get_mut(&id) {
            if let Some(conn) = ep.tls.as_mut() {
                conn.failed = true;
            }
            ep.queue.clear();
            ep.queue.push(Bytes::from(alert));
        }
        while self.send_once(id) == super::io::Outcome::Progress {}
        self.emit(EventKind::Error { conn: id, op: Op::Recv, kind: ErrorKind::Tls, message });
        // A proxy's other side is reset, as after any failed call.
        self.close(id, ClosedBy::Error);
    }

    fn emit_stage(&mut self, conn: ConnId, stage: TlsStage) {
        self.emit(EventKind::Tls { conn, stage });
    }
}
