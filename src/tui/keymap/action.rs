//! What a key can ask for. Named by intent; the keymap table decides which key that is.

/// One thing the user can do with a key. [`crate::tui::App`] performs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    OpenHelp,
    OpenCommandLine,
    /// Close the open overlay without doing anything.
    Cancel,
    FocusNextPanel,
    FocusPrevPanel,
    SelectNextConnection,
    SelectPrevConnection,
    ScrollPageUp,
    ScrollPageDown,
    ScrollToTop,
    ScrollToEnd,
    // The Connections panel's rows.
    CycleConnectionSort,
    ReverseConnectionSort,
    PromptConnectionFilter,
    ClearConnectionFilter,
    PromptJumpToConnection,
    SelectFirstConnection,
    SelectLastConnection,
    SelectConnectionPageUp,
    SelectConnectionPageDown,
    ToggleDataView,
    // The Data cursor and selection.
    CursorByteLeft,
    CursorByteRight,
    CursorRowUp,
    CursorRowDown,
    ToggleSelection,
    ClearCursor,
    SwitchCursorDirection,
    PromptGoTo,
    PromptSearchForward,
    PromptSearchBackward,
    SearchNext,
    SearchPrevious,
    OpenCopyMenu,
    CopyHex,
    CopyCArray,
    CopyPython,
    CopyBase64,
    // Presenter aids.
    ToggleLesson,
    ScrollLessonDown,
    ScrollLessonUp,
    ToggleStepMode,
    StepRound,
    SlowerRounds,
    FasterRounds,
    ToggleKeyOverlay,
    ToggleHighContrast,
    /// Lists the built-in scenarios; choosing one replaces the running session.
    OpenScenarioPicker,
    // The scenario picker.
    PickNextScenario,
    PickPrevScenario,
    /// Start the highlighted scenario (asking first if live sockets would be closed).
    StartPickedScenario,
    // The Messages panel.
    PickNextMessage,
    PickPreviousMessage,
    // On the selected connection.
    PromptSendText,
    PromptSendHex,
    ShutdownWrite,
    ShutdownRead,
    ShutdownBoth,
    Close,
    /// Asks for confirmation first: a reset cannot be taken back.
    ConfirmReset,
    ToggleNoDelay,
    TogglePauseReading,
    ToggleManual,
    // Manual mode: one socket call each.
    PromptRecv,
    SendQueued,
    Accept,
    Step,
    // Recording and replay.
    ToggleRecording,
    TogglePlay,
    StepEvent,
    StepEventBack,
    ReplayFaster,
    ReplaySlower,
    SeekStart,
    SeekEnd,
    PromptSeek,
    // Overlays.
    ScrollUp,
    ScrollDown,
    Submit,
    /// Answer "yes" in a confirmation.
    Confirm,
    DeleteBackward,
    DeleteForward,
    CursorLeft,
    CursorRight,
    CursorToStart,
    CursorToEnd,
    ClearLine,
    HistoryPrev,
    HistoryNext,
}

impl Action {
    /// Whether the action only makes sense in a live session (a replay refuses it).
    #[must_use]
    pub fn live_only(self) -> bool {
        self.needs_engine() || self == Self::ToggleRecording
    }

    /// Whether the action asks something of live sockets or of the engine, which a replay
    /// does not have.
    #[must_use]
    pub fn needs_engine(self) -> bool {
        matches!(
            self,
            Self::PromptSendText
                | Self::PromptSendHex
                | Self::ShutdownWrite
                | Self::ShutdownRead
                | Self::ShutdownBoth
                | Self::Close
                | Self::ConfirmReset
                | Self::ToggleNoDelay
                | Self::TogglePauseReading
                | Self::ToggleManual
                | Self::PromptRecv
                | Self::SendQueued
                | Self::Accept
                | Self::Step
                | Self::ToggleStepMode
                | Self::StepRound
                | Self::SlowerRounds
                | Self::FasterRounds
        )
    }

    /// The word shown next to the key in the footer; `None` keeps the footer short by leaving
    /// out what the help overlay lists anyway.
    #[must_use]
    pub fn footer_label(self) -> Option<&'static str> {
        Some(match self {
            Self::Quit => "quit",
            Self::OpenHelp => "help",
            Self::OpenCommandLine => "command",
            Self::Cancel => "cancel",
            Self::FocusNextPanel => "panel",
            Self::SelectNextConnection => "select",
            Self::PromptConnectionFilter => "filter",
            Self::ToggleDataView => "hex/text",
            Self::CursorByteRight => "cursor",
            Self::ToggleSelection => "mark",
            Self::PromptGoTo => "go to",
            Self::PromptSearchForward => "search",
            Self::SearchNext => "next match",
            Self::OpenCopyMenu => "copy",
            Self::CopyHex => "hex",
            Self::CopyCArray => "C",
            Self::CopyPython => "Python",
            Self::CopyBase64 => "base64",
            Self::PickNextMessage => "message",
            Self::ToggleLesson => "lesson",
            Self::ToggleStepMode => "step mode",
            Self::StepRound => "round",
            Self::PickNextScenario => "move",
            Self::StartPickedScenario => "start",
            Self::PromptSendText => "send",
            Self::PromptSendHex => "send hex",
            Self::ShutdownWrite => "shut wr",
            Self::Close => "close",
            Self::ConfirmReset => "reset",
            Self::TogglePauseReading => "pause",
            Self::ToggleManual => "auto/manual",
            Self::PromptRecv => "recv",
            Self::SendQueued => "send queued",
            Self::Accept => "accept",
            Self::Step | Self::StepEvent => "step",
            Self::ToggleRecording => "record",
            Self::TogglePlay => "play/pause",
            Self::ReplayFaster => "faster",
            Self::ReplaySlower => "slower",
            Self::PromptSeek => "seek",
            Self::ScrollDown => "scroll",
            Self::Submit => "ok",
            Self::Confirm => "yes",
            _ => return None,
        })
    }
}
