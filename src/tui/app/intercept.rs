//! Intercepting the selected proxy pair (`:intercept`, `:inject`) and the list of held
//! messages (`H`): each decision is a command to the engine, and the list follows the
//! `held` and `released` events, so what it shows is what the engine holds.

use super::{App, Overlay, Prompt, PromptKind};
use crate::event::{Command, ConnId, FaultDir, HoldId, InterceptRule, MatchPattern, Release};
use crate::session::Role;
use crate::tui::keymap::HeldAction;
use crate::tui::lineedit::LineEditor;
use crate::tui::msg::Effect;
use crate::tui::payload::{escape_for_editing, parse_escaped_text, parse_hex};
use bytes::Bytes;

/// Both directions of a pair.
const BOTH: [FaultDir; 2] = [FaultDir::Up, FaultDir::Down];

impl App {
    /// `:intercept [DIR] [PATTERN]` on the selected pair, with the framing its Messages panel
    /// uses; `None` stops (forwarding everything held).
    pub(super) fn intercept_selected(
        &mut self,
        dirs: &[FaultDir],
        pattern: Option<MatchPattern>,
    ) -> Vec<Effect> {
        let Some(conn) = self.selected_or_complain() else { return Vec::new() };
        let framing = (self.session.framing_of(conn).cloned())
            .unwrap_or_else(|| self.session.default_framing().clone());
        let names: Vec<&str> = dirs.iter().map(|dir| dir.name()).collect();
        let scope = if crate::tui::model::is_open_listener(&self.session, conn) {
            format!("every pair {conn} accepts from now on")
        } else {
            conn.to_string()
        };
        let text = match &pattern {
            None => format!("{scope}: intercept {} off, forwarding what is held", names.join("+")),
            Some(pattern) => format!(
                "{scope}: intercepting {} ({framing}, {}): H lists what is held",
                names.join("+"),
                described(pattern)
            ),
        };
        self.set_info(text);
        let rule = pattern.map(|pattern| InterceptRule { framing, pattern });
        let commands = dirs.iter().map(|&dir| Command::Intercept { conn, dir, rule: rule.clone() });
        commands.map(Effect::Engine).collect()
    }

    /// `:inject DIR TEXT` on the selected pair.
    pub(super) fn inject_selected(&mut self, dir: FaultDir, bytes: Vec<u8>) -> Vec<Effect> {
        let Some(conn) = self.selected_or_complain() else { return Vec::new() };
        let toward = match dir {
            FaultDir::Up => "the upstream server",
            FaultDir::Down => "the client",
        };
        self.set_info(format!("{conn}: {} bytes injected toward {toward}", bytes.len()));
        vec![Effect::Engine(Command::Inject { conn, dir, data: Bytes::from(bytes) })]
    }

    /// The held list's keys.
    pub(super) fn perform_held(&mut self, action: HeldAction) -> Vec<Effect> {
        match action {
            HeldAction::Open => self.open_held_list(),
            HeldAction::PickNext => self.move_held_pick(1),
            HeldAction::PickPrev => self.move_held_pick(-1),
            HeldAction::Forward => return self.release_highlighted(Release::Forward),
            HeldAction::Drop => return self.release_highlighted(Release::Drop),
            HeldAction::ForwardAll => return self.forward_all_held(),
            HeldAction::EditText => self.open_held_editor(false),
            HeldAction::EditHex => self.open_held_editor(true),
        }
        Vec::new()
    }

    /// `H`: the list of held messages, the oldest highlighted.
    fn open_held_list(&mut self) {
        self.overlay = Overlay::HeldList { at: 0 };
    }

    /// `j`/`k` in the list: stops at either end.
    fn move_held_pick(&mut self, step: isize) {
        let last = self.session.held_messages().len().saturating_sub(1);
        if let Overlay::HeldList { at } = &mut self.overlay {
            *at = at.saturating_add_signed(step).min(last);
        }
    }

    /// The highlighted held message: its pair's accepted socket, number and bytes.
    fn highlighted_held(&self) -> Option<(ConnId, HoldId, Bytes)> {
        let Overlay::HeldList { at } = self.overlay else { return None };
        let held = self.session.held_messages();
        let (conn, message) = held.get(at.min(held.len().saturating_sub(1)))?;
        Some((*conn, message.id, message.data.clone()))
    }

    /// `Enter` (forward) or `D` (drop) in the list.
    fn release_highlighted(&mut self, release: Release) -> Vec<Effect> {
        let Some((conn, id, _)) = self.highlighted_held() else {
            self.set_error("nothing is held (:intercept holds a pair's messages)");
            return Vec::new();
        };
        self.set_info(format!("{id}: {}", release.action().name()));
        vec![Effect::Engine(Command::Release { conn, id, release })]
    }

    /// `A` in the list: the highlighted message's pair stops intercepting, in both
    /// directions, forwarding everything it holds in order; so does its listener, if it
    /// intercepts the pairs it accepts, so that nothing more is held.
    fn forward_all_held(&mut self) -> Vec<Effect> {
        let Some((conn, _, _)) = self.highlighted_held() else {
            self.set_error("nothing is held (:intercept holds a pair's messages)");
            return Vec::new();
        };
        self.overlay = Overlay::None;
        self.set_info(format!("{conn}: everything held forwarded, intercept off"));
        let listener = match self.session.connection(conn).map(|c| c.role) {
            Some(Role::Accepted { listener }) => self.session.connection(listener),
            Some(
                Role::Listener { .. }
                | Role::Outgoing
                | Role::Upstream { .. }
                | Role::Bound
                | Role::Flow { .. },
            )
            | None => None,
        };
        let listener_dirs = listener.map(|l| (l.id, l.intercepts.on.iter().map(|on| on.dir)));
        let listener_stops =
            listener_dirs.into_iter().flat_map(|(id, dirs)| dirs.map(move |dir| (id, dir)));
        let stops: Vec<(ConnId, FaultDir)> =
            BOTH.into_iter().map(|dir| (conn, dir)).chain(listener_stops).collect();
        let stop = |(conn, dir)| Effect::Engine(Command::Intercept { conn, dir, rule: None });
        stops.into_iter().map(stop).collect()
    }

    /// `e` (text) or `x` (hex) in the list: the message in an editor, for a changed copy.
    fn open_held_editor(&mut self, hex: bool) {
        let Some((conn, id, data)) = self.highlighted_held() else {
            self.set_error("nothing is held (:intercept holds a pair's messages)");
            return;
        };
        let text = if hex { hex::encode(&data) } else { escape_for_editing(&data) };
        let editor = LineEditor::with_text(&text);
        self.overlay =
            Overlay::Prompt(Prompt { kind: PromptKind::EditHeld { id, hex }, conn, editor });
    }

    /// Enter in the editor: the edit is forwarded in the message's place. A typing mistake
    /// keeps the message held and the editor open, so nothing typed is lost.
    pub(super) fn submit_held_edit(
        &mut self,
        prompt: Prompt,
        hex: bool,
        id: HoldId,
    ) -> Vec<Effect> {
        let text = prompt.editor.text();
        let parsed = if hex { parse_hex(text) } else { parse_escaped_text(text) };
        match parsed {
            Ok(bytes) => {
                self.overlay = Overlay::HeldList { at: 0 };
                self.set_info(format!("{id}: {} edited bytes forwarded", bytes.len()));
                let release = Release::Edit(Bytes::from(bytes));
                vec![Effect::Engine(Command::Release { conn: prompt.conn, id, release })]
            }
            Err(message) => {
                self.overlay = Overlay::Prompt(prompt);
                self.set_error(message);
                Vec::new()
            }
        }
    }

    /// Directions intercepted and messages held across the session, for the status bar.
    #[must_use]
    pub fn intercept_counts(&self) -> (usize, usize) {
        let on = (self.session.connections())
            .filter(|conn| !conn.is_closed())
            .map(|conn| conn.intercepts.on.len())
            .sum();
        (on, self.session.held_messages().len())
    }
}

/// The pattern as the status line says it.
fn described(pattern: &MatchPattern) -> String {
    match pattern {
        MatchPattern::Every => "every message".to_owned(),
        MatchPattern::Text(_) | MatchPattern::Hex(_) | MatchPattern::Regex(_) => {
            crate::tui::payload::shown(&pattern.to_string())
        }
    }
}

#[cfg(test)]
mod tests;
