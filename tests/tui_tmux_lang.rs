//! The class's language in a real terminal: `sockscope demo partial-recv --lang zh-TW
//! --present` at a projector's 100×30 shows the lesson and the "why" notes in Traditional
//! Chinese, every row within the screen's 100 cells (tmux lays wide characters out as the
//! terminal would), and gives the terminal back intact.
//!
//! Without tmux the test is skipped with a message, except under `CI=true`, where it fails.

mod tmux;

use tmux::{Tmux, assert_restored, tmux_or_skip};
use unicode_width::UnicodeWidthStr;

#[test]
fn a_zh_tw_lesson_and_its_notes_show_in_chinese_at_projector_size() {
    if !tmux_or_skip("a_zh_tw_lesson_and_its_notes_show_in_chinese_at_projector_size") {
        return;
    }
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command = format!(
        "'{binary}' demo partial-recv --lang zh-TW --present; echo \"exit=$?\"; stty -a; read -r _"
    );
    let tmux = Tmux::start(100, 30, &command);
    let screen = tmux.wait_for_screen("the Chinese lesson and a Chinese why note", |s| {
        s.contains("┌ partial-recv: 一則訊息分段抵達")
            && s.contains("請看：")
            && s.contains("← 填滿了這次呼叫給的 5 位元組緩衝區")
    });
    assert!(screen.contains("select() read"), "the presentation layout:\n{screen}");
    assert!(!screen.contains("← filled the"), "no English note:\n{screen}");
    for row in screen.lines() {
        assert!(row.width() <= 100, "a row past the screen ({}):\n{row}", row.width());
    }
    // The lesson's border: every row of it as wide as its top, so no Chinese row pushed the
    // border out or left a half character before it.
    let prefix = |row: &str, end: char| -> usize {
        let at = row.char_indices().skip(1).find(|&(_, c)| c == end).map_or(row.len(), |(i, _)| i);
        row[..at].width()
    };
    let top = screen.lines().find(|row| row.starts_with("┌ partial-recv")).expect("its top");
    let lesson_width = prefix(top, '┐');
    for row in screen.lines().skip_while(|row| !row.starts_with('┌')).skip(1) {
        if row.starts_with('└') {
            break;
        }
        assert_eq!(prefix(row, '│'), lesson_width, "the lesson's right border:\n{screen}");
    }
    tmux.send_keys("q");
    assert_restored(&tmux);
}
