//! The bindings themselves. Keys of the main view are single keys (no chords) so that a
//! workshop audience can follow along; capitals mark the rarer or more drastic calls.

use super::{Action as A, Binding, Context as C, FollowAction, HeldAction as H, Key};
use crossterm::event::KeyCode;

const fn bind(key: Key, context: C, action: A, description: &'static str) -> Binding {
    Binding { key, context, action, description }
}

const fn ch(c: char) -> Key {
    Key::char(c)
}

const fn code(code: KeyCode) -> Key {
    Key::plain(code)
}

/// Every binding, in the order the help overlay and the README list them within a context.
pub const BINDINGS: &[Binding] = &[
    bind(Key::ctrl('c'), C::Anywhere, A::Quit, "quit (the terminal is restored)"),
    // Main view: navigation.
    bind(ch('q'), C::Main, A::Quit, "quit"),
    bind(ch('?'), C::Main, A::OpenHelp, "show every key"),
    bind(ch(':'), C::Main, A::OpenCommandLine, "command line (:listen, :connect, :send, ...)"),
    bind(code(KeyCode::Tab), C::Main, A::FocusNextPanel, "focus the next panel"),
    bind(code(KeyCode::BackTab), C::Main, A::FocusPrevPanel, "focus the previous panel"),
    // A replay's timeline: before the main view's keys, so Space plays instead of stepping.
    bind(ch(' '), C::Replay, A::TogglePlay, "play or pause the replay"),
    bind(ch('.'), C::Replay, A::StepEvent, "apply one more event, then pause"),
    bind(ch(','), C::Replay, A::StepEventBack, "go back one event, then pause"),
    bind(ch('>'), C::Replay, A::ReplayFaster, "faster: 0.25x .. 16x, then as fast as possible"),
    bind(ch('<'), C::Replay, A::ReplaySlower, "slower"),
    bind(ch('^'), C::Replay, A::SeekStart, "back to the start"),
    bind(ch('$'), C::Replay, A::SeekEnd, "on to the end"),
    bind(ch('t'), C::Replay, A::PromptSeek, "seek to a time (12.5s, 1:02), an event (#N), +/-TIME"),
    // The follow view: before the panels' keys, which it replaces on screen; the Data
    // panel's cursor, search, go-to and copy keys work in it too.
    bind(code(KeyCode::Esc), C::Follow, A::Follow(FollowAction::Toggle), "back to the panels"),
    bind(ch('F'), C::Follow, A::Follow(FollowAction::Toggle), "back to the panels"),
    bind(
        ch('s'),
        C::Follow,
        A::Follow(FollowAction::SideBySide),
        "side by side: the sender's send calls beside the receiver's recv calls",
    ),
    bind(code(KeyCode::PageUp), C::Follow, A::ScrollPageUp, "scroll up a page"),
    bind(code(KeyCode::PageDown), C::Follow, A::ScrollPageDown, "scroll down a page"),
    bind(code(KeyCode::Home), C::Follow, A::ScrollToTop, "to the first turn"),
    bind(code(KeyCode::End), C::Follow, A::ScrollToEnd, "follow the newest turns again"),
    // Panel keys come before the main view's, so the arrows move within the focused panel.
    bind(ch('o'), C::ConnectionsPanel, A::CycleConnectionSort, "sort by the next column"),
    bind(ch('O'), C::ConnectionsPanel, A::ReverseConnectionSort, "reverse the sort order"),
    bind(
        ch('/'),
        C::ConnectionsPanel,
        A::PromptConnectionFilter,
        "filter: words in addresses or role, state:open, -word excludes",
    ),
    bind(code(KeyCode::Esc), C::ConnectionsPanel, A::ClearConnectionFilter, "clear the filter"),
    bind(
        ch('g'),
        C::ConnectionsPanel,
        A::PromptJumpToConnection,
        "go to a connection: #123, or text in its address",
    ),
    bind(
        code(KeyCode::Home),
        C::ConnectionsPanel,
        A::SelectFirstConnection,
        "select the first row",
    ),
    bind(code(KeyCode::End), C::ConnectionsPanel, A::SelectLastConnection, "select the last row"),
    bind(code(KeyCode::PageUp), C::ConnectionsPanel, A::SelectConnectionPageUp, "select a page up"),
    bind(
        code(KeyCode::PageDown),
        C::ConnectionsPanel,
        A::SelectConnectionPageDown,
        "select a page down",
    ),
    bind(code(KeyCode::Left), C::DataPanel, A::CursorByteLeft, "cursor one byte back"),
    bind(ch('h'), C::DataPanel, A::CursorByteLeft, "cursor one byte back"),
    bind(code(KeyCode::Right), C::DataPanel, A::CursorByteRight, "cursor one byte on"),
    bind(ch('l'), C::DataPanel, A::CursorByteRight, "cursor one byte on"),
    bind(code(KeyCode::Up), C::DataPanel, A::CursorRowUp, "cursor one row up"),
    bind(code(KeyCode::Down), C::DataPanel, A::CursorRowDown, "cursor one row down"),
    bind(
        code(KeyCode::Up),
        C::MessagesPanel,
        A::PickPreviousMessage,
        "pick the previous message (the Data cursor follows)",
    ),
    bind(
        code(KeyCode::Down),
        C::MessagesPanel,
        A::PickNextMessage,
        "pick the next message (the Data cursor follows)",
    ),
    // As in less and vim: n and N walk the matches (before manual mode's n, which steps).
    bind(ch('n'), C::DataPanel, A::SearchNext, "next match"),
    bind(ch(']'), C::DataPanel, A::SearchNext, "next match"),
    bind(ch('N'), C::DataPanel, A::SearchPrevious, "previous match"),
    bind(ch('['), C::DataPanel, A::SearchPrevious, "previous match"),
    bind(ch('j'), C::Main, A::SelectNextConnection, "select the next connection"),
    bind(code(KeyCode::Down), C::Main, A::SelectNextConnection, "select the next connection"),
    bind(ch('k'), C::Main, A::SelectPrevConnection, "select the previous connection"),
    bind(code(KeyCode::Up), C::Main, A::SelectPrevConnection, "select the previous connection"),
    bind(code(KeyCode::PageUp), C::Main, A::ScrollPageUp, "scroll the focused panel up a page"),
    bind(
        code(KeyCode::PageDown),
        C::Main,
        A::ScrollPageDown,
        "scroll the focused panel down a page",
    ),
    bind(code(KeyCode::Home), C::Main, A::ScrollToTop, "scroll the focused panel to the top"),
    bind(code(KeyCode::End), C::Main, A::ScrollToEnd, "follow the newest lines again"),
    // Main view: the selected connection. A key that changes the socket at once stays off
    // the keys pagers and vim use to move and search (w, B, N, p, f, ...); shutting down
    // asks first, as a reset does.
    bind(ch('s'), C::Main, A::PromptSendText, "send text; escapes such as \\n and \\xNN work"),
    bind(ch('S'), C::Main, A::PromptSendHex, "send bytes written in hex"),
    bind(ch('w'), C::Main, A::ShutdownWrite, "shutdown(write): send FIN, keep reading (asks)"),
    bind(ch('R'), C::Main, A::ShutdownRead, "shutdown(read) (asks)"),
    bind(ch('B'), C::Main, A::ShutdownBoth, "shutdown(both) (asks)"),
    bind(ch('c'), C::Main, A::Close, "close (orderly, FIN)"),
    bind(ch('X'), C::Main, A::ConfirmReset, "reset: close with linger 0, the peer sees RST"),
    bind(ch('A'), C::Main, A::ToggleNoDelay, "toggle TCP_NODELAY (Nagle's algorithm off/on)"),
    bind(ch('i'), C::Main, A::TogglePauseReading, "pause/resume automatic reading (input)"),
    bind(ch('m'), C::Main, A::ToggleManual, "switch automatic/manual mode"),
    bind(Key::ctrl('r'), C::Main, A::ToggleRecording, "start recording to a file, or stop"),
    // Presenter aids (workshops).
    bind(ch('L'), C::Main, A::ToggleLesson, "show or hide the lesson (demos)"),
    bind(ch('J'), C::Main, A::ScrollLessonDown, "scroll the lesson down"),
    bind(ch('K'), C::Main, A::ScrollLessonUp, "scroll the lesson up"),
    bind(ch('P'), C::Main, A::ToggleStepMode, "step mode: poll rounds wait for Space"),
    bind(ch(' '), C::Main, A::StepRound, "step mode: run one poll round with its calls"),
    bind(ch('+'), C::Main, A::SlowerRounds, "slow motion: more time between poll rounds"),
    bind(ch('-'), C::Main, A::FasterRounds, "slow motion: less time between poll rounds"),
    bind(
        code(KeyCode::F(2)),
        C::Main,
        A::ToggleKeyOverlay,
        "show each key pressed and what it did",
    ),
    bind(code(KeyCode::F(3)), C::Main, A::ToggleHighContrast, "high-contrast colours (projectors)"),
    bind(
        code(KeyCode::F(4)),
        C::Main,
        A::TogglePresentation,
        "presentation layout: the lesson, select()'s lists and the calls, large",
    ),
    bind(
        ch('F'),
        C::Main,
        A::Follow(FollowAction::Toggle),
        "follow view: the selected connection's conversation in time order (:follow)",
    ),
    bind(
        ch('D'),
        C::Main,
        A::OpenScenarioPicker,
        "pick a demo scenario to run instead of this one",
    ),
    bind(ch('H'), C::Main, A::Held(H::Open), "list the messages an intercept holds (:intercept)"),
    // A lesson that has run to its end: before manual mode's keys, since nothing is left to
    // read by hand.
    bind(ch('r'), C::LessonOver, A::RerunLesson, "run the lesson again, from the start"),
    // Manual mode: one call per key.
    bind(ch('r'), C::Manual, A::PromptRecv, "one recv() call (asks the size, 4096 by default)"),
    bind(ch('U'), C::Manual, A::SendQueued, "one send() call with the queued bytes"),
    bind(ch('a'), C::Manual, A::Accept, "one accept() call on the listener"),
    bind(ch('n'), C::Manual, A::Step, "step: one poll round"),
    // Data panel.
    bind(ch('x'), C::DataPanel, A::ToggleDataView, "show the data as hex or as text"),
    bind(
        ch('W'),
        C::Main,
        A::ToggleLayer,
        "TLS: show the plaintext or the wire bytes (ciphertext) (:layer)",
    ),
    bind(ch('v'), C::DataPanel, A::ToggleSelection, "start or drop a selection at the cursor"),
    bind(code(KeyCode::Esc), C::DataPanel, A::ClearCursor, "drop the cursor; follow new bytes"),
    bind(ch('o'), C::DataPanel, A::SwitchCursorDirection, "cursor to the other direction"),
    bind(ch('g'), C::DataPanel, A::PromptGoTo, "go to an offset (0x1f0, 496, +16, -16, ^, $)"),
    bind(
        ch('/'),
        C::DataPanel,
        A::PromptSearchForward,
        "search forward: text, hex:00 0a or re:REGEX",
    ),
    bind(ch('\\'), C::DataPanel, A::PromptSearchBackward, "search backward"),
    bind(ch('y'), C::DataPanel, A::OpenCopyMenu, "copy the selection (hex, C, Python, base64)"),
    // Copy menu: into the send line; `:copy FORMAT FILE` writes a file instead.
    bind(ch('h'), C::CopyMenu, A::CopyHex, "as hex, into the send-hex line"),
    bind(ch('c'), C::CopyMenu, A::CopyCArray, "as a C array, into the send line"),
    bind(ch('p'), C::CopyMenu, A::CopyPython, "as a Python bytes literal, into the send line"),
    bind(ch('b'), C::CopyMenu, A::CopyBase64, "as base64, into the send line"),
    bind(code(KeyCode::Esc), C::CopyMenu, A::Cancel, "cancel"),
    // Help overlay.
    bind(code(KeyCode::Esc), C::Help, A::Cancel, "close the help"),
    bind(ch('?'), C::Help, A::Cancel, "close the help"),
    bind(ch('q'), C::Help, A::Cancel, "close the help"),
    bind(ch('j'), C::Help, A::ScrollDown, "scroll down"),
    bind(code(KeyCode::Down), C::Help, A::ScrollDown, "scroll down"),
    bind(ch('k'), C::Help, A::ScrollUp, "scroll up"),
    bind(code(KeyCode::Up), C::Help, A::ScrollUp, "scroll up"),
    bind(code(KeyCode::PageDown), C::Help, A::ScrollPageDown, "scroll down a page"),
    bind(code(KeyCode::PageUp), C::Help, A::ScrollPageUp, "scroll up a page"),
    // Scenario picker: Enter replaces the session (its sockets close) with the chosen scenario.
    bind(ch('j'), C::ScenarioPicker, A::PickNextScenario, "highlight the next scenario"),
    bind(
        code(KeyCode::Down),
        C::ScenarioPicker,
        A::PickNextScenario,
        "highlight the next scenario",
    ),
    bind(ch('k'), C::ScenarioPicker, A::PickPrevScenario, "highlight the previous scenario"),
    bind(
        code(KeyCode::Up),
        C::ScenarioPicker,
        A::PickPrevScenario,
        "highlight the previous scenario",
    ),
    bind(
        code(KeyCode::Enter),
        C::ScenarioPicker,
        A::StartPickedScenario,
        "start the highlighted scenario",
    ),
    bind(ch('o'), C::ScenarioPicker, A::OpenLessonFile, "open a lesson file (:demo PATH)"),
    bind(code(KeyCode::Esc), C::ScenarioPicker, A::Cancel, "close the picker"),
    bind(ch('q'), C::ScenarioPicker, A::Cancel, "close the picker"),
    // Held messages: each decision goes to the engine at once; the bytes behind a held
    // message wait for it.
    bind(ch('j'), C::HeldList, A::Held(H::PickNext), "highlight the next held message"),
    bind(code(KeyCode::Down), C::HeldList, A::Held(H::PickNext), "highlight the next held message"),
    bind(ch('k'), C::HeldList, A::Held(H::PickPrev), "highlight the previous held message"),
    bind(
        code(KeyCode::Up),
        C::HeldList,
        A::Held(H::PickPrev),
        "highlight the previous held message",
    ),
    bind(code(KeyCode::Enter), C::HeldList, A::Held(H::Forward), "forward it as it came"),
    bind(
        ch('e'),
        C::HeldList,
        A::Held(H::EditText),
        "edit it as text with escapes, then forward the edit",
    ),
    bind(ch('x'), C::HeldList, A::Held(H::EditHex), "edit it as hex, then forward the edit"),
    bind(ch('D'), C::HeldList, A::Held(H::Drop), "drop it: it is never forwarded"),
    bind(
        ch('A'),
        C::HeldList,
        A::Held(H::ForwardAll),
        "forward all its pair holds; stop intercepting (the pair, new pairs too)",
    ),
    bind(code(KeyCode::Esc), C::HeldList, A::Cancel, "close the list"),
    bind(ch('q'), C::HeldList, A::Cancel, "close the list"),
    // Command line and prompts.
    bind(code(KeyCode::Enter), C::TextEntry, A::Submit, "run the command / send"),
    bind(code(KeyCode::Esc), C::TextEntry, A::Cancel, "cancel"),
    bind(code(KeyCode::Backspace), C::TextEntry, A::DeleteBackward, "delete before the cursor"),
    bind(code(KeyCode::Delete), C::TextEntry, A::DeleteForward, "delete at the cursor"),
    bind(code(KeyCode::Left), C::TextEntry, A::CursorLeft, "move the cursor left"),
    bind(code(KeyCode::Right), C::TextEntry, A::CursorRight, "move the cursor right"),
    bind(code(KeyCode::Home), C::TextEntry, A::CursorToStart, "move to the start"),
    bind(Key::ctrl('a'), C::TextEntry, A::CursorToStart, "move to the start"),
    bind(code(KeyCode::End), C::TextEntry, A::CursorToEnd, "move to the end"),
    bind(Key::ctrl('e'), C::TextEntry, A::CursorToEnd, "move to the end"),
    bind(Key::alt('b'), C::TextEntry, A::CursorWordLeft, "back one word"),
    bind(Key::alt('f'), C::TextEntry, A::CursorWordRight, "forward one word"),
    bind(Key::ctrl('w'), C::TextEntry, A::DeleteWordBackward, "delete the word before the cursor"),
    bind(Key::ctrl('u'), C::TextEntry, A::DeleteToStart, "delete to the start of the line"),
    bind(Key::ctrl('k'), C::TextEntry, A::DeleteToEnd, "delete to the end of the line"),
    bind(code(KeyCode::Tab), C::TextEntry, A::Complete, "complete a command or its argument"),
    bind(code(KeyCode::Up), C::TextEntry, A::HistoryPrev, "previous entry (commands, sends)"),
    bind(code(KeyCode::Down), C::TextEntry, A::HistoryNext, "next entry"),
    // Confirmation.
    bind(ch('y'), C::Confirm, A::Confirm, "yes"),
    bind(code(KeyCode::Enter), C::Confirm, A::Confirm, "yes"),
    bind(ch('n'), C::Confirm, A::Cancel, "no"),
    bind(code(KeyCode::Esc), C::Confirm, A::Cancel, "no"),
];
