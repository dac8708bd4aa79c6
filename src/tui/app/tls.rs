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
