//! The stable names of actions and contexts, as the config file writes them
//! (`toggle-data-view = "x"` in `[keys]`, `[keys.data-panel]`). One exhaustive `match` each:
//! a new action does not compile until it has its name, and a name never changes once
//! released, whatever the variant is called.

use super::{Action, Context};

impl Action {
    /// The action's name in the config file: kebab-case, stable.
    #[must_use]
    #[expect(clippy::too_many_lines, reason = "a table: one arm per action, exhaustive")]
    pub fn name(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::OpenHelp => "open-help",
            Self::OpenCommandLine => "open-command-line",
            Self::Cancel => "cancel",
            Self::FocusNextPanel => "focus-next-panel",
            Self::FocusPrevPanel => "focus-prev-panel",
            Self::SelectNextConnection => "select-next-connection",
            Self::SelectPrevConnection => "select-prev-connection",
            Self::ScrollPageUp => "scroll-page-up",
            Self::ScrollPageDown => "scroll-page-down",
            Self::ScrollToTop => "scroll-to-top",
            Self::ScrollToEnd => "scroll-to-end",
            Self::CycleConnectionSort => "cycle-connection-sort",
            Self::ReverseConnectionSort => "reverse-connection-sort",
            Self::PromptConnectionFilter => "prompt-connection-filter",
            Self::ClearConnectionFilter => "clear-connection-filter",
            Self::PromptJumpToConnection => "prompt-jump-to-connection",
            Self::SelectFirstConnection => "select-first-connection",
            Self::SelectLastConnection => "select-last-connection",
            Self::SelectConnectionPageUp => "select-connection-page-up",
            Self::SelectConnectionPageDown => "select-connection-page-down",
            Self::ToggleDataView => "toggle-data-view",
            Self::ToggleLayer => "toggle-tls-layer",
            Self::Follow(action) => action.name(),
            Self::CursorByteLeft => "cursor-byte-left",
            Self::CursorByteRight => "cursor-byte-right",
            Self::CursorRowUp => "cursor-row-up",
            Self::CursorRowDown => "cursor-row-down",
            Self::ToggleSelection => "toggle-selection",
            Self::ClearCursor => "clear-cursor",
            Self::SwitchCursorDirection => "switch-cursor-direction",
            Self::PromptGoTo => "prompt-go-to",
            Self::PromptSearchForward => "prompt-search-forward",
            Self::PromptSearchBackward => "prompt-search-backward",
            Self::SearchNext => "search-next",
            Self::SearchPrevious => "search-previous",
            Self::OpenCopyMenu => "open-copy-menu",
            Self::CopyHex => "copy-hex",
            Self::CopyCArray => "copy-c-array",
            Self::CopyPython => "copy-python",
            Self::CopyBase64 => "copy-base64",
            Self::ToggleLesson => "toggle-lesson",
            Self::ScrollLessonDown => "scroll-lesson-down",
            Self::ScrollLessonUp => "scroll-lesson-up",
            Self::ToggleStepMode => "toggle-step-mode",
            Self::StepRound => "step-round",
            Self::SlowerRounds => "slower-rounds",
            Self::FasterRounds => "faster-rounds",
            Self::ToggleKeyOverlay => "toggle-key-overlay",
            Self::ToggleHighContrast => "toggle-high-contrast",
            Self::RerunLesson => "rerun-lesson",
            Self::TogglePresentation => "toggle-presentation",
            Self::OpenScenarioPicker => "open-scenario-picker",
            Self::PickNextScenario => "pick-next-scenario",
            Self::PickPrevScenario => "pick-prev-scenario",
            Self::StartPickedScenario => "start-picked-scenario",
            Self::OpenLessonFile => "open-lesson-file",
            Self::Held(held) => held.name(),
            Self::PickNextMessage => "pick-next-message",
            Self::PickPreviousMessage => "pick-previous-message",
            Self::PromptSendText => "prompt-send-text",
            Self::PromptSendHex => "prompt-send-hex",
            Self::ShutdownWrite => "shutdown-write",
            Self::ShutdownRead => "shutdown-read",
            Self::ShutdownBoth => "shutdown-both",
            Self::Close => "close",
            Self::ConfirmReset => "confirm-reset",
            Self::ToggleNoDelay => "toggle-no-delay",
            Self::TogglePauseReading => "toggle-pause-reading",
            Self::ToggleManual => "toggle-manual",
            Self::PromptRecv => "prompt-recv",
            Self::SendQueued => "send-queued",
            Self::Accept => "accept",
            Self::Step => "step",
            Self::ToggleRecording => "toggle-recording",
            Self::TogglePlay => "toggle-play",
            Self::StepEvent => "step-event",
            Self::StepEventBack => "step-event-back",
            Self::ReplayFaster => "replay-faster",
            Self::ReplaySlower => "replay-slower",
            Self::SeekStart => "seek-start",
            Self::SeekEnd => "seek-end",
            Self::PromptSeek => "prompt-seek",
            Self::ScrollUp => "scroll-up",
            Self::ScrollDown => "scroll-down",
            Self::Submit => "submit",
            Self::Confirm => "confirm",
            Self::DeleteBackward => "delete-backward",
            Self::DeleteForward => "delete-forward",
            Self::CursorLeft => "cursor-left",
            Self::CursorRight => "cursor-right",
            Self::CursorToStart => "cursor-to-start",
            Self::CursorToEnd => "cursor-to-end",
            Self::CursorWordLeft => "cursor-word-left",
            Self::CursorWordRight => "cursor-word-right",
            Self::DeleteWordBackward => "delete-word-backward",
            Self::DeleteToStart => "delete-to-start",
            Self::DeleteToEnd => "delete-to-end",
            Self::Complete => "complete",
            Self::HistoryPrev => "history-prev",
            Self::HistoryNext => "history-next",
        }
    }
}

impl Context {
    /// The context's name in the config file (`[keys.data-panel]`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Anywhere => "anywhere",
            Self::Main => "main",
            Self::Manual => "manual",
            Self::Replay => "replay",
            Self::Follow => "follow",
            Self::ConnectionsPanel => "connections-panel",
            Self::DataPanel => "data-panel",
            Self::MessagesPanel => "messages-panel",
            Self::CopyMenu => "copy-menu",
            Self::Help => "help",
            Self::TextEntry => "text-entry",
            Self::Confirm => "confirm",
            Self::ScenarioPicker => "scenario-picker",
            Self::HeldList => "held-list",
            Self::LessonOver => "lesson-over",
        }
    }

    /// The context named `name` in the config file.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|context| context.name() == name)
    }

    /// Whether both contexts can apply at once, so one key cannot mean two things in them:
    /// `anywhere` meets every context, the main view's contexts meet each other (but only one
    /// panel has the focus), and an overlay meets only itself.
    #[must_use]
    pub fn overlaps(self, other: Self) -> bool {
        if self == other || self == Self::Anywhere || other == Self::Anywhere {
            return true;
        }
        let main_view = |c: Self| {
            matches!(
                c,
                Self::Main
                    | Self::Manual
                    | Self::Replay
                    | Self::Follow
                    | Self::ConnectionsPanel
                    | Self::DataPanel
                    | Self::MessagesPanel
            )
        };
        let panel =
            |c: Self| matches!(c, Self::ConnectionsPanel | Self::DataPanel | Self::MessagesPanel);
        // The follow view hides the panels but keeps the Data panel's keys.
        let hidden_by_follow = |a: Self, b: Self| {
            a == Self::Follow && matches!(b, Self::ConnectionsPanel | Self::MessagesPanel)
        };
        main_view(self)
            && main_view(other)
            && !(panel(self) && panel(other))
            && !hidden_by_follow(self, other)
            && !hidden_by_follow(other, self)
    }
}
