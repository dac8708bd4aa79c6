//! Entering and leaving the terminal's UI state, on every way out.
//!
//! Entering sets raw mode, the alternate screen, bracketed paste and a hidden cursor (no mouse
//! capture: the UI does not use the mouse, and capturing it would take away text selection).
//! [`restore`] undoes all of it and is safe to call any number of times, from any thread. It
//! runs from the [`TerminalGuard`]'s `Drop` (normal quit, error returns), from the panic hook
//! (a panic on *any* thread restores the terminal, prints the panic and exits with 101, so an
//! engine-thread panic cannot leave a frozen UI behind), and before a second, forceful
//! SIGINT/SIGTERM/SIGHUP/SIGQUIT ends the process. The title and the clipboard are never
//! touched.
//!
//! The terminal may go away while the UI runs (its window closed, its tmux pane or ssh
//! session ended). Writing to it then fails with `EIO`: [`is_gone`] tells that apart from a
//! real failure, and nothing on the way out may panic over it, so the session still ends
//! normally (sockets closed, recording finished). Hence [`say`] instead of `eprintln!`, which
//! panics when standard error is that terminal, and a `Tui` that is never dropped.

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::fmt::Display;
use std::io::{self, IsTerminal, Stdout, Write, stdout};
use std::mem::ManuallyDrop;
use std::panic;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// The terminal type the UI draws on.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Whether the terminal is in the UI's state (so [`restore`] has something to undo).
static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// The terminal in UI state; dropping it restores the terminal.
#[derive(Debug)]
pub struct TerminalGuard {
    /// Never dropped: ratatui's `Drop` shows the cursor again (which [`restore`] has done) and
    /// reports a failure with `eprintln!`, a panic when the terminal has gone away. What it
    /// holds (a handle on stdout and two cell buffers) is freed when the process ends.
    pub terminal: ManuallyDrop<Tui>,
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Why the UI cannot start on this terminal.
#[derive(Debug)]
pub enum EnterError {
    /// Standard output is not a terminal (a pipe, a file).
    NotATerminal,
    Io(io::Error),
}

/// Puts the terminal in UI state. On failure anything half-done is undone.
pub fn enter() -> Result<TerminalGuard, EnterError> {
    if !stdout().is_terminal() {
        return Err(EnterError::NotATerminal);
    }
    install_panic_hook();
    ACTIVE.store(true, Ordering::SeqCst);
    let entered = enable_raw_mode()
        .and_then(|()| execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste, Hide))
        .and_then(|()| Terminal::new(CrosstermBackend::new(stdout())));
    match entered {
        Ok(terminal) => Ok(TerminalGuard { terminal: ManuallyDrop::new(terminal) }),
        Err(err) => {
            restore();
            Err(EnterError::Io(err))
        }
    }
}

/// Leaves the UI state: bracketed paste off, main screen back, cursor shown, raw mode off.
/// Harmless when the terminal is not in UI state; errors are ignored, as there is no better
/// place left to report them.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = execute!(stdout(), DisableBracketedPaste, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
}

/// Whether a failed write to the terminal means it has gone away (`EIO` from a terminal
/// whose other side closed), which ends the UI as normally as `q` does.
#[must_use]
pub fn is_gone(err: &io::Error) -> bool {
    matches!(err.raw_os_error(), Some(libc::EIO | libc::ENXIO))
}

/// Writes `line` and a newline to standard error, ignoring failure: once the UI has run,
/// standard error may be a terminal that has gone away, where `eprintln!` would panic.
pub fn say(line: impl Display) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// Restores the terminal before the panic message is printed (so it is readable), then ends
/// the process: a UI whose engine or input thread died would only look alive.
fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
            std::process::exit(101);
        }));
    });
}
