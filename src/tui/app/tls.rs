//! Switching a TLS connection's Data between its plaintext and its wire bytes (`W`,
//! `:layer`).

use super::{App, FollowLayout, FollowTop, PaneTop, Scroll};
use crate::session::Layer;
use crate::tui::panels::Panel;

impl App {
    /// `W`: the other layer.
    pub(super) fn toggle_layer(&mut self) {
        self.set_layer(self.session.layer().toggled());
    }

    /// Shows `layer` of every TLS connection. Positions are stream offsets of the bytes shown,
    /// which mean nothing in the other layer, so the cursor, the picked message and every
    /// pane's position start again from the newest bytes.
    pub(super) fn set_layer(&mut self, layer: Layer) {
        if layer != self.session.layer() {
            self.session.set_layer(layer);
            self.cursor = None;
            self.message_pick = None;
            self.data_tops = [PaneTop::Follow; 2];
            for panel in [Panel::Data, Panel::Messages, Panel::Inspector] {
                self.scroll[panel.index()] = Scroll::Follow;
            }
            if let Some(view) = &mut self.follow {
                view.top = FollowTop::Follow;
                if let FollowLayout::SideBySide { top, .. } = &mut view.layout {
                    *top = None;
                }
            }
        }
        let tls =
            self.selected().and_then(|id| self.session.connection(id)).and_then(|c| c.tls_state());
        let what = match (layer, tls) {
            (Layer::Plaintext, Some(_)) => "Data shows the plaintext TLS carries",
            (Layer::Wire, Some(_)) => "Data shows the wire bytes: TLS records, ciphertext",
            (Layer::Plaintext, None) => "TLS connections show their plaintext",
            (Layer::Wire, None) => "TLS connections show their wire bytes (ciphertext)",
        };
        self.set_info(what);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Address, ConnId, Event, EventKind};
    use crate::tui::msg::Msg;
    use crate::tui::{Mode, Source};
    use bytes::Bytes;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(app: &mut App, code: KeyCode) {
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    /// An app with one outgoing TLS connection (#1) that received ciphertext and its
    /// plaintext, selected.
    fn tls_app() -> App {
        let mut app = App::new(crate::tui::model::new_session(), Mode::Auto, Source::Live);
        app.update(Msg::Resize { width: 120, height: 40 });
        let conn = ConnId(1);
        let peer = Address::Ip("127.0.0.1:443".parse().expect("an address"));
        let wire = Bytes::from_static(&[0x17, 0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb]);
        let plain = Bytes::from_static(b"hi");
        let kinds = [
            EventKind::Connect { conn, peer: peer.clone(), pair: None, client: None },
            EventKind::Connected { conn, local: peer.clone(), peer },
            EventKind::Recv { conn, max: 65536, len: wire.len(), data: wire },
            EventKind::TlsRead { conn, len: plain.len(), data: plain },
        ];
        let events = (1..).zip(kinds).map(|(t_us, kind)| Event { kind, t_us }).collect();
        app.update(Msg::Engine(events));
        app
    }

    #[test]
    fn w_and_layer_switch_what_the_views_read_and_drop_the_cursor() {
        let mut app = tls_app();
        let shown = |app: &App| {
            let conn = app.session().connection(ConnId(1)).expect("the connection");
            conn.stream(crate::event::Dir::In).total()
        };
        assert_eq!(shown(&app), 2, "the plaintext first");
        while app.focus() != Panel::Data {
            key(&mut app, KeyCode::Tab);
        }
        key(&mut app, KeyCode::Right);
        assert!(app.cursor().is_some());
        key(&mut app, KeyCode::Char('W'));
        assert_eq!((app.session().layer(), shown(&app)), (Layer::Wire, 7));
        assert!(app.cursor().is_none(), "an offset of the plaintext means nothing on the wire");
        key(&mut app, KeyCode::Char(':'));
        for c in "layer plaintext".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        key(&mut app, KeyCode::Enter);
        assert_eq!((app.session().layer(), shown(&app)), (Layer::Plaintext, 2));
    }

    /// A replay that seeks back folds its events into a new session: the layer chosen stays.
    #[test]
    fn a_rewind_keeps_the_layer_shown() {
        let mut app = App::new(crate::tui::model::new_session(), Mode::Auto, Source::Replay);
        key(&mut app, KeyCode::Char('W'));
        assert_eq!(app.session().layer(), Layer::Wire);
        app.update(Msg::Rewind);
        assert_eq!(app.session().layer(), Layer::Wire);
    }
}
