//! Keys: looked up in the keymap table, then performed. Navigation and overlays live here;
//! actions on connections are in `perform`.

use super::{
    App, Confirm, ConnectionsQuery, CopyTarget, Mode, Overlay, Prompt, PromptKind, Scroll,
};
use crate::inspect::literal::Format;
use crate::inspect::search::Direction;
use crate::tui::command::{self, DEFAULT_RECV};
use crate::tui::keymap::{Action, FollowAction, Key};
use crate::tui::layout;
use crate::tui::lineedit::LineEditor;
use crate::tui::msg::Effect;
use crate::tui::panels;
use crate::tui::panels::follow::Scrolling;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

impl App {
    pub(super) fn handle_key(&mut self, event: KeyEvent) -> Vec<Effect> {
        if event.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let key = Key::from_event(event);
        if let Some(action) = self.keymap.action_for(key, |context| self.context_active(context)) {
            self.note_key(key, action);
            return self.perform(action);
        }
        // Keys the table does not bind are typed into an open command line or prompt.
        let typed = !key.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if let (KeyCode::Char(c), true, Some(editor)) = (key.code, typed, self.editor_mut()) {
            editor.insert(c);
        }
        Vec::new()
    }

    /// Does what `action` asks, in the current state.
    pub fn perform(&mut self, action: Action) -> Vec<Effect> {
        if self.source == super::Source::Replay && action.needs_engine() {
            self.set_error("a replay has no sockets: Space plays or pauses, < > change the speed");
            return Vec::new();
        }
        if self.source == super::Source::Trace && action.needs_engine() {
            self.set_error(super::tracing::NOT_ON_A_TRACED_PROGRAM);
            return Vec::new();
        }
        match action {
            Action::Quit => return vec![Effect::Quit],
            Action::OpenHelp => self.overlay = Overlay::Help { scroll: 0 },
            Action::OpenCommandLine => {
                self.histories.commands.restart();
                self.overlay = Overlay::CommandLine { editor: LineEditor::default() };
            }
            Action::Cancel => self.overlay = Overlay::None,
            Action::FocusNextPanel => self.move_focus(panels::Panel::next),
            Action::FocusPrevPanel => self.move_focus(panels::Panel::prev),
            Action::SelectNextConnection => self.select_neighbour(1),
            Action::SelectPrevConnection => self.select_neighbour(-1),
            Action::ScrollPageUp => self.scroll_by_pages(-1),
            Action::ScrollPageDown => self.scroll_by_pages(1),
            Action::ScrollToTop => self.scroll_to_top(),
            Action::ScrollToEnd => self.scroll_to_end(),
            Action::CycleConnectionSort => {
                self.set_connection_order(self.connection_order().next_column());
            }
            Action::ReverseConnectionSort => {
                self.set_connection_order(self.connection_order().reversed());
            }
            Action::PromptConnectionFilter => {
                self.open_connections_prompt(ConnectionsQuery::Filter);
            }
            Action::ClearConnectionFilter => self.clear_connection_filter(),
            Action::PromptJumpToConnection => self.open_connections_prompt(ConnectionsQuery::Jump),
            Action::SelectFirstConnection => self.select_first_or_last_connection(false),
            Action::SelectLastConnection => self.select_first_or_last_connection(true),
            Action::SelectConnectionPageUp => self.select_by_pages(-1),
            Action::SelectConnectionPageDown => self.select_by_pages(1),
            Action::ScrollUp => self.scroll_help(-1),
            Action::ScrollDown => self.scroll_help(1),
            Action::ToggleDataView => self.toggle_data_view(),
            Action::ToggleLayer => self.toggle_layer(),
            Action::Follow(FollowAction::Toggle) => self.toggle_follow_view(),
            Action::Follow(FollowAction::SideBySide) => self.toggle_side_by_side(),
            Action::PromptSendText => self.open_prompt(PromptKind::SendText),
            Action::PromptSendHex => self.open_prompt(PromptKind::SendHex),
            Action::PromptRecv => self.open_prompt(PromptKind::Recv),
            Action::ConfirmReset => {
                if let Some(conn) = self.selected_or_complain() {
                    self.overlay = Overlay::Confirm(Confirm::Reset(conn));
                }
            }
            Action::Submit => return self.submit(),
            Action::Confirm => return self.confirm(),
            Action::CursorByteLeft => self.move_cursor_bytes(-1),
            Action::CursorByteRight => self.move_cursor_bytes(1),
            Action::CursorRowUp => self.move_cursor_rows(-1),
            Action::CursorRowDown => self.move_cursor_rows(1),
            Action::ToggleSelection => self.toggle_selection(),
            Action::ClearCursor => self.clear_cursor(),
            Action::SwitchCursorDirection => self.switch_cursor_direction(),
            Action::PromptGoTo => self.open_cursor_prompt(PromptKind::GoTo),
            Action::PromptSearchForward => self.open_cursor_prompt(PromptKind::SearchForward),
            Action::PromptSearchBackward => self.open_cursor_prompt(PromptKind::SearchBackward),
            Action::SearchNext => self.search_again(Direction::Forward),
            Action::SearchPrevious => self.search_again(Direction::Backward),
            Action::OpenCopyMenu => self.open_copy_menu(),
            Action::CopyHex => return self.copy_selection(Format::Hex, CopyTarget::SendLine),
            Action::CopyCArray => return self.copy_selection(Format::CArray, CopyTarget::SendLine),
            Action::CopyPython => return self.copy_selection(Format::Python, CopyTarget::SendLine),
            Action::CopyBase64 => return self.copy_selection(Format::Base64, CopyTarget::SendLine),
            Action::PickNextMessage => self.pick_message(1),
            Action::PickPreviousMessage => self.pick_message(-1),
            presenter if presenter.is_presenter_aid() => return self.perform_presenter(action),
            Action::ToggleRecording => return self.toggle_recording(),
            Action::TogglePlay
            | Action::StepEvent
            | Action::StepEventBack
            | Action::ReplayFaster
            | Action::ReplaySlower
            | Action::SeekStart
            | Action::SeekEnd
            | Action::PromptSeek => return self.perform_on_replay(action),
            Action::OpenScenarioPicker => self.open_scenario_picker(),
            Action::PickNextScenario => self.move_scenario_pick(1),
            Action::PickPrevScenario => self.move_scenario_pick(-1),
            Action::StartPickedScenario => return self.start_picked_scenario(),
            Action::OpenLessonFile => self.open_command_line_with("demo "),
            Action::Held(held) => return self.perform_held(held),
            _ => {
                if !self.edit_line(action) {
                    return self.perform_on_connection(action);
                }
            }
        }
        Vec::new()
    }

    /// The keys of the command line and the prompts; `false` for any other action.
    fn edit_line(&mut self, action: Action) -> bool {
        match action {
            Action::DeleteBackward => self.edit(LineEditor::delete_backward),
            Action::DeleteForward => self.edit(LineEditor::delete_forward),
            Action::CursorLeft => self.edit(LineEditor::move_left),
            Action::CursorRight => self.edit(LineEditor::move_right),
            Action::CursorToStart => self.edit(LineEditor::move_to_start),
            Action::CursorToEnd => self.edit(LineEditor::move_to_end),
            Action::CursorWordLeft => self.edit(LineEditor::move_word_left),
            Action::CursorWordRight => self.edit(LineEditor::move_word_right),
            Action::DeleteWordBackward => self.edit(LineEditor::delete_word_backward),
            Action::DeleteToStart => self.edit(LineEditor::delete_to_start),
            Action::DeleteToEnd => self.edit(LineEditor::delete_to_end),
            Action::Complete => self.complete_command(),
            Action::HistoryPrev => self.recall(-1),
            Action::HistoryNext => self.recall(1),
            _ => return false,
        }
        true
    }

    /// The editor of the open command line or prompt.
    pub(super) fn editor_mut(&mut self) -> Option<&mut LineEditor> {
        match &mut self.overlay {
            Overlay::CommandLine { editor, .. }
            | Overlay::Prompt(Prompt { editor, .. })
            | Overlay::ConnectionsPrompt { editor, .. } => Some(editor),
            _ => None,
        }
    }

    fn edit(&mut self, change: fn(&mut LineEditor)) {
        if let Some(editor) = self.editor_mut() {
            change(editor);
        }
    }

    fn scroll_by_pages(&mut self, pages: isize) {
        if matches!(self.overlay, Overlay::Help { .. }) {
            let page = usize::from(self.size.1.saturating_sub(5)).max(1);
            self.scroll_help(pages.saturating_mul(page.cast_signed()));
            return;
        }
        if self.follow.is_some() {
            let scroll = if pages > 0 { Scrolling::PageDown } else { Scrolling::PageUp };
            self.scroll_follow(scroll);
            return;
        }
        let panel = self.focus;
        let Some(len) = panels::line_count(panel, self) else {
            self.scroll_data_pages(pages);
            return;
        };
        let rows = layout::panel_rows(self.size.0, self.size.1, panel, self.arrangement());
        let page = rows.saturating_sub(1).max(1);
        let top = self.scroll(panel).top(len, rows);
        let last_top = len.saturating_sub(rows);
        let target = top.saturating_add_signed(pages.saturating_mul(page.cast_signed()));
        self.scroll[panel.index()] =
            if pages > 0 && target >= last_top { Scroll::Follow } else { Scroll::At(target) };
    }

    /// Scrolls the help, never past its last page (so `k` works at once after many `j`).
    fn scroll_help(&mut self, lines: isize) {
        let last_top =
            crate::tui::view::help_last_top(self.size.1, &self.keymap, &self.layout_context());
        if let Overlay::Help { scroll } = &mut self.overlay {
            *scroll = scroll.saturating_add_signed(lines).min(last_top);
        }
    }

    fn open_prompt(&mut self, kind: PromptKind) {
        if let Some(conn) = self.selected_or_complain() {
            if let Some(history) = self.send_history(kind) {
                history.restart();
            }
            self.overlay = Overlay::Prompt(Prompt { kind, conn, editor: LineEditor::default() });
        }
    }

    /// Enter in the command line or a prompt: close it and act on what was typed. A parse
    /// error keeps nothing and sends nothing; the status line says what was wrong.
    fn submit(&mut self) -> Vec<Effect> {
        match std::mem::replace(&mut self.overlay, Overlay::None) {
            Overlay::CommandLine { editor } => {
                let line = editor.text().to_string();
                self.histories.commands.remember(&line);
                match command::parse(&line) {
                    Ok(command) => self.execute(command),
                    Err(message) => {
                        self.set_error(message);
                        Vec::new()
                    }
                }
            }
            Overlay::Prompt(prompt @ Prompt { kind: PromptKind::EditHeld { id, hex }, .. }) => {
                self.submit_held_edit(prompt, hex, id)
            }
            Overlay::Prompt(Prompt { kind, conn, editor }) => {
                if let Some(history) = self.send_history(kind) {
                    history.remember(editor.text());
                }
                self.submit_prompt(kind, conn, editor.text())
            }
            Overlay::ConnectionsPrompt { kind, editor } => {
                self.submit_connections_prompt(kind, editor.text());
                Vec::new()
            }
            other => {
                self.overlay = other;
                Vec::new()
            }
        }
    }

    fn submit_prompt(
        &mut self,
        kind: PromptKind,
        conn: crate::event::ConnId,
        text: &str,
    ) -> Vec<Effect> {
        let parsed = match kind {
            PromptKind::GoTo => {
                self.go_to(text);
                return Vec::new();
            }
            PromptKind::Destination => return self.submit_destination(conn, text),
            PromptKind::SearchForward | PromptKind::SearchBackward => {
                let forward = kind == PromptKind::SearchForward;
                let direction = if forward { Direction::Forward } else { Direction::Backward };
                self.search_from_prompt(text, direction);
                return Vec::new();
            }
            PromptKind::SendText => crate::tui::payload::parse_escaped_text(text)
                .and_then(|bytes| non_empty(bytes, "nothing to send")),
            PromptKind::SendHex | PromptKind::EditHeld { hex: true, .. } => {
                crate::tui::payload::parse_hex(text)
            }
            PromptKind::EditHeld { hex: false, .. } => {
                crate::tui::payload::parse_escaped_text(text)
            }
            PromptKind::Recv => {
                let size = if text.trim().is_empty() {
                    Ok(DEFAULT_RECV)
                } else {
                    crate::values::parse_recv_chunk(text).map_err(|err| format!("recv size: {err}"))
                };
                return match size {
                    Ok(max) => self.recv_on(conn, max),
                    Err(message) => {
                        self.set_error(message);
                        Vec::new()
                    }
                };
            }
        };
        match parsed {
            Ok(bytes) => self.send_to(conn, bytes),
            Err(message) => {
                self.set_error(message);
                Vec::new()
            }
        }
    }

    fn confirm(&mut self) -> Vec<Effect> {
        match std::mem::replace(&mut self.overlay, Overlay::None) {
            Overlay::Confirm(Confirm::Reset(conn)) => self.reset(conn),
            Overlay::Confirm(Confirm::Shutdown(conn, how)) => Self::shut_down(conn, how),
            Overlay::Confirm(Confirm::StartScenario(pick)) => vec![Effect::StartScenario(pick)],
            other => {
                self.overlay = other;
                Vec::new()
            }
        }
    }

    /// ↑/↓ in the command line or a send prompt walk its history; past the newest entry the
    /// line is empty.
    fn recall(&mut self, step: isize) {
        let history = match &self.overlay {
            Overlay::CommandLine { .. } => &mut self.histories.commands,
            Overlay::Prompt(Prompt { kind, .. }) => match self.send_history(*kind) {
                Some(history) => history,
                None => return,
            },
            _ => return,
        };
        let Some(line) = history.recall(step).map(String::from) else { return };
        if let Some(editor) = self.editor_mut() {
            editor.replace(&line);
        }
    }

    /// The history of a send prompt (the others keep none).
    fn send_history(&mut self, kind: PromptKind) -> Option<&mut crate::tui::history::History> {
        match kind {
            PromptKind::SendText => Some(&mut self.histories.text_sends),
            PromptKind::SendHex => Some(&mut self.histories.hex_sends),
            PromptKind::Recv
            | PromptKind::Destination
            | PromptKind::EditHeld { .. }
            | PromptKind::GoTo
            | PromptKind::SearchForward
            | PromptKind::SearchBackward => None,
        }
    }

    /// Tab in the command line: the command or its first argument completed from the
    /// command table; the candidates, when several remain, in the status line.
    fn complete_command(&mut self) {
        let Overlay::CommandLine { editor } = &mut self.overlay else { return };
        let scenarios: Vec<&str> = self.scenarios.iter().map(|entry| entry.name).collect();
        let Some(done) = command::complete(editor.before_cursor(), &scenarios) else { return };
        editor.replace_before_cursor(&done.before);
        if !done.candidates.is_empty() {
            self.set_info(done.candidates.join("  "));
        }
    }

    pub(super) fn mode_label(mode: Mode) -> &'static str {
        match mode {
            Mode::Auto => "automatic mode: the engine reads, writes and accepts by itself",
            Mode::Manual => "manual mode: r recv, U send queued, a accept, n step one poll round",
        }
    }
}

fn non_empty(bytes: Vec<u8>, message: &str) -> Result<Vec<u8>, String> {
    if bytes.is_empty() { Err(message.to_string()) } else { Ok(bytes) }
}
