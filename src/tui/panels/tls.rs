//! What the panels show of a TLS connection: which layer the Data panel shows (its title),
//! and the handshake summary (SNI, version, cipher, ALPN, the peer's certificate).

use super::palette;
use crate::event::{Dir, TlsBy};
use crate::session::{Connection, Layer, TlsState};
use crate::tui::App;
use crate::tui::render_context::RenderContext;
use crate::tui::text::{peer_text_span, ui_span};
use ratatui::text::{Line, Span};

/// `, plaintext` or `, wire` for the Data panel's title when the selected connection speaks
/// TLS; nothing otherwise, since a plain socket has only its wire bytes.
#[must_use]
pub fn data_title_layer(app: &App) -> String {
    let conn = app.selected().and_then(|id| app.session().connection(id));
    match conn.and_then(Connection::shown_layer) {
        Some(Layer::Plaintext) => ", TLS plaintext".to_string(),
        Some(Layer::Wire) => ", TLS wire bytes".to_string(),
        None => String::new(),
    }
}

/// What the Data panel says of a TLS connection whose socket moved bytes but whose TLS gave
/// no plaintext yet (a handshake under way, a record incomplete): the wire bytes are there.
#[must_use]
pub fn no_plaintext_yet(conn: &Connection) -> Option<String> {
    let moved = conn.bytes(Dir::In) + conn.bytes(Dir::Out) > 0;
    (conn.shown_layer() == Some(Layer::Plaintext) && moved)
        .then(|| format!("no plaintext on {} yet: W shows the wire bytes", conn.id))
}

/// The handshake summary of `conn`, a few lines for a panel `width` cells wide (0: any
/// width); none for a connection without TLS. The certificate's expiry gets a line of its
/// own when one line would be cut.
#[must_use]
pub fn summary(conn: &Connection, width: usize, cx: &RenderContext) -> Vec<Line<'static>> {
    let Some(tls) = conn.tls_state() else { return Vec::new() };
    let mut lines = vec![agreed_line(tls, cx)];
    if let Some(agreed) = &tls.established {
        let field = |label: &'static str, value: Option<&str>| {
            let value = peer_text_span(cx.glyphs, value.unwrap_or("-"), cx.theme.dim());
            [Span::styled(label, palette::header()), value]
        };
        if agreed.subject.is_some() || agreed.issuer.is_some() {
            let mut cert = Line::from_iter(field("cert ", agreed.subject.as_deref()));
            cert.extend(field("  issuer ", agreed.issuer.as_deref()));
            let expires = field("  expires ", agreed.not_after.as_deref());
            let whole = cert.width() + expires.iter().map(Span::width).sum::<usize>();
            if width == 0 || whole <= width {
                cert.extend(expires);
                lines.push(cert);
            } else {
                lines.push(cert);
                lines.push(Line::from_iter(field("expires ", agreed.not_after.as_deref())));
            }
        } else {
            lines.push(ui_line("cert: the peer presented none", cx));
        }
    }
    if let Some(alert) = &tls.alert {
        let text = format!("alert {} {} (by {})", alert.level, alert.description, alert.by.name());
        lines.push(Line::from(peer_text_span(cx.glyphs, &text, palette::error_text())));
    }
    let ends: Vec<&str> = [TlsBy::Local, TlsBy::Peer]
        .into_iter()
        .filter(|by| tls.close_notify_by(*by).is_some())
        .map(TlsBy::name)
        .collect();
    if !ends.is_empty() {
        lines.push(ui_line(&format!("close_notify by {}", ends.join(" and ")), cx));
    }
    lines
}

/// `TLS TLSv1.3 TLS13_AES_256_GCM_SHA384 alpn h2 sni example.com`, or what was offered while
/// the handshake runs.
fn agreed_line(tls: &TlsState, cx: &RenderContext) -> Line<'static> {
    let text = if let Some(agreed) = &tls.established {
        let mut text = format!("TLS {} {}", agreed.version, agreed.cipher);
        for (label, value) in [(" alpn ", &agreed.alpn), (" sni ", &agreed.sni)] {
            if let Some(value) = value {
                text.push_str(label);
                text.push_str(value);
            }
        }
        text
    } else if let Some(offer) = &tls.offer {
        format!(
            "TLS handshake: client_hello sni {} offers {}",
            offer.sni.as_deref().unwrap_or("-"),
            offer.versions.join(",")
        )
    } else {
        "TLS handshake under way".to_string()
    };
    Line::from(vec![
        Span::styled(text[..3].to_string(), palette::header()),
        peer_text_span(cx.glyphs, &text[3..], cx.theme.dim()),
    ])
}

fn ui_line(text: &str, cx: &RenderContext) -> Line<'static> {
    Line::from(ui_span(cx.glyphs, text, cx.theme.dim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Address, ConnId, Event, EventKind, TlsStage};
    use crate::session::Session;
    use bytes::Bytes;

    /// #1 connected, its `ClientHello` sent: wire bytes, no plaintext.
    fn handshaking() -> Session {
        let mut session = Session::default();
        let conn = ConnId(1);
        let peer = Address::Ip("127.0.0.1:443".parse().expect("an address"));
        let hello = Bytes::from_static(&[0x16, 0x03, 0x01, 0x00, 0x00]);
        let versions = vec!["TLSv1.3".to_string()];
        let kinds = [
            EventKind::Connect { conn, peer: peer.clone(), pair: None, client: None },
            EventKind::Connected { conn, local: peer.clone(), peer },
            EventKind::Tls {
                conn,
                stage: TlsStage::ClientHello { sni: None, alpn: vec![], versions },
            },
            EventKind::Send { conn, requested: 5, len: 5, data: hello },
        ];
        for (t_us, kind) in (1..).zip(kinds) {
            session.apply(&Event { kind, t_us });
        }
        session
    }

    #[test]
    fn a_handshake_under_way_says_where_the_bytes_are() {
        let mut session = handshaking();
        let conn = session.connection(ConnId(1)).expect("#1");
        assert_eq!(
            no_plaintext_yet(conn).as_deref(),
            Some("no plaintext on #1 yet: W shows the wire bytes")
        );
        session.set_layer(Layer::Wire);
        assert_eq!(no_plaintext_yet(session.connection(ConnId(1)).expect("#1")), None);
    }
}
