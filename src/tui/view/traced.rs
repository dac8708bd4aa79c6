//! What the status bar says in `sockscope trace`: where the program's output goes, the calls
//! blocked now with how long they have waited, and, once it is over, how the trace ended.

use crate::session::BlockedCall;
use crate::tui::App;
use std::fmt::Write as _;

/// The status bar's source text in a trace.
pub fn source_text(app: &App) -> String {
    let info = app.trace_info();
    let mut text = format!(" program output: {} ", info.output);
    for blocked in app.session().blocked_calls() {
        text.push_str(&blocked_text(blocked, app.clock_us()));
    }
    if let Some(ended) = &info.ended {
        let _ = write!(text, "│ {ended} ");
    }
    text
}

/// `│ pid 42 recvfrom fd 3 blocked 2.5s `: a call in progress and how long it has waited.
#[must_use]
pub fn blocked_text(blocked: &BlockedCall, now_us: u64) -> String {
    let site = &blocked.site;
    let fd = site.fd.map(|fd| format!(" fd {fd}")).unwrap_or_default();
    let waited = now_us.saturating_sub(blocked.began_us) / 100_000;
    let (secs, tenths) = (waited / 10, waited % 10);
    format!("│ pid {} {}{fd} blocked {secs}.{tenths}s ", site.pid, site.syscall)
}
