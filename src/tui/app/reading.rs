//! What the panels and the runner read from the App: plain accessors, no logic beyond
//! asking the model.

use super::{App, DataView, Mode, Overlay, PaneTop, Scroll, Selection, Source, Status, dir_index};
use crate::event::{Address, ConnId};
use crate::session::Session;
use crate::tui::model;
use crate::tui::panels::Panel;
use crate::tui::render_context::RenderContext;
use crate::tui::theme::Theme;

impl App {
    #[must_use]
    pub fn session(&self) -> &Session {
        &self.session
    }

    #[must_use]
    pub fn focus(&self) -> Panel {
        self.focus
    }

    #[must_use]
    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    #[must_use]
    pub fn selection(&self) -> Selection {
        self.selection
    }

    /// The connection the connection keys act on.
    #[must_use]
    pub fn selected(&self) -> Option<ConnId> {
        self.selection.conn()
    }

    #[must_use]
    pub fn data_view(&self) -> DataView {
        self.data_view
    }

    /// Where the Data panel's pane for `dir` is scrolled.
    #[must_use]
    pub fn data_top(&self, dir: crate::event::Dir) -> PaneTop {
        self.data_tops[dir_index(dir)]
    }

    /// The character set the UI is drawn in (the Data panel lays text out for it).
    #[must_use]
    pub fn glyphs(&self) -> crate::tui::glyphs::Glyphs {
        self.glyphs
    }

    /// The render context for counting and finding lines outside a draw (scrolling, paging):
    /// the glyphs the UI is drawn in, which change how text wraps, and the built-in theme,
    /// since no style changes how many lines there are.
    #[must_use]
    pub fn layout_context(&self) -> RenderContext {
        RenderContext { glyphs: self.glyphs, theme: Theme::default() }
    }

    #[must_use]
    pub fn scroll(&self, panel: Panel) -> Scroll {
        self.scroll[panel.index()]
    }

    /// The current status message, if it has not expired.
    #[must_use]
    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    #[must_use]
    pub fn mode(&self) -> Mode {
        self.mode
    }

    #[must_use]
    pub fn source(&self) -> Source {
        self.source
    }

    /// Session time in microseconds (newest event or tick).
    #[must_use]
    pub fn clock_us(&self) -> u64 {
        self.clock_us
    }

    /// Terminal size in cells (width, height), as last reported.
    #[must_use]
    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// Open listeners bound to every interface (`0.0.0.0`, `[::]`): reachable from other
    /// machines, so the status bar warns for as long as one is open.
    #[must_use]
    pub fn exposed_listeners(&self) -> Vec<(ConnId, Address)> {
        model::exposed_listeners(&self.session)
    }

    /// Whether the Calls panel explains surprising results (on in demos, `:why on|off`).
    #[must_use]
    pub fn why_notes(&self) -> bool {
        self.why_notes
    }

    /// Shows or hides the "why" notes; demos start with them shown.
    pub fn set_why_notes(&mut self, on: bool) {
        self.why_notes = on;
    }

    /// The language the "why" notes are shown in.
    #[must_use]
    pub fn lang(&self) -> crate::locale::Lang {
        self.lang
    }

    /// Shows the "why" notes in `lang` (chosen at start: `--lang`, the locale).
    pub fn set_lang(&mut self, lang: crate::locale::Lang) {
        self.lang = lang;
    }

    #[must_use]
    pub fn is_paused(&self, conn: ConnId) -> bool {
        self.paused.contains(&conn)
    }

    /// Whether `TCP_NODELAY` is on, as the engine last reported.
    #[must_use]
    pub fn has_nodelay(&self, conn: ConnId) -> bool {
        model::has_nodelay(&self.session, conn)
    }

    /// Command lines run so far, oldest first.
    #[must_use]
    pub fn history(&self) -> &[String] {
        self.histories.commands.entries()
    }
}
