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
    /// A TLS connection's plaintext or its wire bytes, in every view.
    ToggleLayer,
    /// The follow view's keys.
    Follow(FollowAction),
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
    /// Runs the lesson that has ended again, on fresh sockets.
    RerunLesson,
    /// The presentation layout (lesson, `select()`'s lists, calls) or the usual one.
    TogglePresentation,
    /// Lists the built-in scenarios; choosing one replaces the running session.
    OpenScenarioPicker,
    // The scenario picker.
    PickNextScenario,
    PickPrevScenario,
    /// Start the highlighted scenario (asking first if live sockets would be closed).
    StartPickedScenario,
    /// The command line with `:demo ` typed, for the path of a lesson file.
    OpenLessonFile,
    /// The list of messages an intercept holds.
    Held(super::HeldAction),
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
    CursorWordLeft,
    CursorWordRight,
    DeleteWordBackward,
    DeleteToStart,
    DeleteToEnd,
    /// Tab in the command line: complete the command or its argument.
    Complete,
    HistoryPrev,
    HistoryNext,
}

/// What the follow view's keys ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FollowAction {
    /// The selected connection's conversation in time order, or back to the panels.
    Toggle,
    /// One direction's sends beside the other end's receives, or back.
    SideBySide,
}

impl FollowAction {
    /// The action's name in the config file.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Toggle => "toggle-follow-view",
            Self::SideBySide => "toggle-side-by-side",
        }
    }
}

impl Action {
    /// Whether the action only makes sense in a live session (a replay refuses it).
    #[must_use]
    pub fn live_only(self) -> bool {
        self.needs_engine() || self == Self::ToggleRecording
    }

    /// Whether the action is one of the presenter's: the lesson, the room's aids, the pace.
    #[must_use]
    pub fn is_presenter_aid(self) -> bool {
        matches!(
            self,
            Self::ToggleLesson
                | Self::ScrollLessonDown
                | Self::ScrollLessonUp
                | Self::ToggleKeyOverlay
                | Self::ToggleHighContrast
                | Self::TogglePresentation
                | Self::RerunLesson
                | Self::ToggleStepMode
                | Self::StepRound
                | Self::SlowerRounds
                | Self::FasterRounds
        )
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
        ) || matches!(self, Self::Held(held) if held.needs_engine())
    }

    /// Whether the action changes a live socket the moment its key is pressed: a call on it
    /// (shut, close, send, accept, a round of calls), an option, or whether it is read.
    /// Actions that first ask (a prompt, a confirmation) or that only look are not; the
    /// keymap keeps these off the keys a reader presses to move around.
    #[must_use]
    #[expect(clippy::too_many_lines, reason = "a table: one arm per action, exhaustive")]
    pub fn changes_a_socket_at_once(self) -> bool {
        match self {
            Self::Close
            | Self::ToggleNoDelay
            | Self::TogglePauseReading
            | Self::SendQueued
            | Self::Accept
            | Self::StepRound => true,
            Self::Held(held) => held.changes_a_socket_at_once(),
            // They ask first (a prompt or a yes/no question); the answer does the rest.
            Self::ShutdownWrite
            | Self::ShutdownRead
            | Self::ShutdownBoth
            | Self::ConfirmReset
            | Self::PromptSendText
            | Self::PromptSendHex
            | Self::PromptRecv
            | Self::Confirm
            | Self::Submit
            // The engine's mode and pace, not a socket: manual mode makes no call by itself,
            // and a manual step only reports the round.
            | Self::ToggleManual
            | Self::Step
            | Self::ToggleStepMode
            | Self::SlowerRounds
            | Self::FasterRounds
            | Self::Quit
            | Self::OpenHelp
            | Self::OpenCommandLine
            | Self::Cancel
            | Self::FocusNextPanel
            | Self::FocusPrevPanel
            | Self::SelectNextConnection
            | Self::SelectPrevConnection
            | Self::ScrollPageUp
            | Self::ScrollPageDown
            | Self::ScrollToTop
            | Self::ScrollToEnd
            | Self::CycleConnectionSort
            | Self::ReverseConnectionSort
            | Self::PromptConnectionFilter
            | Self::ClearConnectionFilter
            | Self::PromptJumpToConnection
            | Self::SelectFirstConnection
            | Self::SelectLastConnection
            | Self::SelectConnectionPageUp
            | Self::SelectConnectionPageDown
            | Self::ToggleDataView
            | Self::ToggleLayer
            | Self::Follow(_)
            | Self::CursorByteLeft
            | Self::CursorByteRight
            | Self::CursorRowUp
            | Self::CursorRowDown
            | Self::ToggleSelection
            | Self::ClearCursor
            | Self::SwitchCursorDirection
            | Self::PromptGoTo
            | Self::PromptSearchForward
            | Self::PromptSearchBackward
            | Self::SearchNext
            | Self::SearchPrevious
            | Self::OpenCopyMenu
            | Self::CopyHex
            | Self::CopyCArray
            | Self::CopyPython
            | Self::CopyBase64
            | Self::ToggleLesson
            | Self::ScrollLessonDown
            | Self::ScrollLessonUp
            | Self::ToggleKeyOverlay
            | Self::ToggleHighContrast
            | Self::TogglePresentation
            | Self::RerunLesson
            | Self::OpenScenarioPicker
            | Self::PickNextScenario
            | Self::PickPrevScenario
            | Self::StartPickedScenario
            | Self::OpenLessonFile
            | Self::PickNextMessage
            | Self::PickPreviousMessage
            | Self::ToggleRecording
            | Self::TogglePlay
            | Self::StepEvent
            | Self::StepEventBack
            | Self::ReplayFaster
            | Self::ReplaySlower
            | Self::SeekStart
            | Self::SeekEnd
            | Self::PromptSeek
            | Self::ScrollUp
            | Self::ScrollDown
            | Self::DeleteBackward
            | Self::DeleteForward
            | Self::CursorLeft
            | Self::CursorRight
            | Self::CursorToStart
            | Self::CursorToEnd
            | Self::CursorWordLeft
            | Self::CursorWordRight
            | Self::DeleteWordBackward
            | Self::DeleteToStart
            | Self::DeleteToEnd
            | Self::Complete
            | Self::HistoryPrev
            | Self::HistoryNext => false,
        }
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
            Self::ToggleLayer => "plain/wire",
            Self::Follow(FollowAction::Toggle) => "follow",
            Self::Follow(FollowAction::SideBySide) => "side by side",
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
            Self::RerunLesson => "run again",
            Self::StepRound => "round",
            Self::PickNextScenario => "move",
            Self::StartPickedScenario => "start",
            Self::OpenLessonFile => "open file",
            Self::Held(held) => return held.footer_label(),
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
