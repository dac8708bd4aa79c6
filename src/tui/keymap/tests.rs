use super::*;

/// Contexts that can be active at the same moment (one panel has the focus at a time).
fn overlap(a: Context, b: Context) -> bool {
    use Context as C;
    let panels = [C::ConnectionsPanel, C::DataPanel, C::MessagesPanel];
    if a != b && panels.contains(&a) && panels.contains(&b) {
        return false;
    }
    a == b
        || matches!((a, b), (C::Anywhere, _) | (_, C::Anywhere))
        || matches!(
            (a, b),
            (
                C::Main
                    | C::Manual
                    | C::LessonOver
                    | C::ConnectionsPanel
                    | C::DataPanel
                    | C::MessagesPanel,
                C::Main
                    | C::Manual
                    | C::LessonOver
                    | C::ConnectionsPanel
                    | C::DataPanel
                    | C::MessagesPanel
            )
        )
}

/// A focused panel may give a main-view or manual-mode key (the arrows, `n`) a meaning of its
/// own: its binding comes first in the table, so it wins while that panel has the focus.
fn panel_overrides_main(first: &Binding, second: &Binding) -> bool {
    let panel = matches!(
        first.context,
        Context::ConnectionsPanel | Context::DataPanel | Context::MessagesPanel
    ) && matches!(second.context, Context::Main | Context::Manual);
    // Once a lesson is over, nothing is left to read by hand: `r` runs it again.
    let lesson_over = first.context == Context::LessonOver && second.context == Context::Manual;
    panel || lesson_over
}

#[test]
fn no_key_means_two_things_at_once() {
    for (i, a) in BINDINGS.iter().enumerate() {
        for b in &BINDINGS[i + 1..] {
            if a.key == b.key && overlap(a.context, b.context) && !panel_overrides_main(a, b) {
                assert_eq!(a.action, b.action, "{} in {:?} and {:?}", a.key.label(), a, b);
            }
        }
    }
}

#[test]
fn the_focused_panel_wins_over_the_main_view() {
    let in_data = |c: Context| matches!(c, Context::Anywhere | Context::Main | Context::DataPanel);
    let in_messages =
        |c: Context| matches!(c, Context::Anywhere | Context::Main | Context::MessagesPanel);
    let main = |c: Context| matches!(c, Context::Anywhere | Context::Main);
    let up = Key::plain(KeyCode::Up);
    assert_eq!(action_for(up, in_data), Some(Action::CursorRowUp));
    assert_eq!(action_for(up, in_messages), Some(Action::PickPreviousMessage));
    assert_eq!(action_for(up, main), Some(Action::SelectPrevConnection));
    assert_eq!(action_for(Key::char('j'), in_data), Some(Action::SelectNextConnection));
    let in_connections =
        |c: Context| matches!(c, Context::Anywhere | Context::Main | Context::ConnectionsPanel);
    let home = Key::plain(KeyCode::Home);
    assert_eq!(action_for(home, in_connections), Some(Action::SelectFirstConnection));
    assert_eq!(action_for(home, main), Some(Action::ScrollToTop));
    assert_eq!(action_for(Key::char('o'), in_connections), Some(Action::CycleConnectionSort));
    assert_eq!(action_for(Key::char('o'), in_data), Some(Action::SwitchCursorDirection));
    assert_eq!(action_for(Key::char('/'), main), None, "filtering needs the panel focused");
}

#[test]
fn lookup_respects_context() {
    let main = |c: Context| matches!(c, Context::Anywhere | Context::Main);
    let help = |c: Context| matches!(c, Context::Anywhere | Context::Help);
    let entry = |c: Context| matches!(c, Context::Anywhere | Context::TextEntry);
    assert_eq!(action_for(Key::char('q'), main), Some(Action::Quit));
    assert_eq!(action_for(Key::char('q'), help), Some(Action::Cancel));
    assert_eq!(action_for(Key::char('q'), entry), None, "typed as a letter");
    assert_eq!(action_for(Key::ctrl('c'), entry), Some(Action::Quit));
    assert_eq!(action_for(Key::char('n'), main), None, "step needs manual mode");
}

#[test]
fn key_events_are_normalised() {
    use crossterm::event::KeyEvent;
    let shifted_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(Key::from_event(shifted_g), Key::char('G'));
    let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(Key::from_event(backtab), Key::plain(KeyCode::BackTab));
    let ctrl_c = KeyEvent::new(KeyCode::Char('C'), KeyModifiers::CONTROL | KeyModifiers::SHIFT);
    assert_eq!(Key::from_event(ctrl_c), Key::ctrl('c'));
    assert_eq!(Key::ctrl('c').label(), "Ctrl-C");
    let shift_up = KeyEvent::new(KeyCode::Up, KeyModifiers::SHIFT);
    assert_eq!(Key::from_event(shift_up).label(), "Shift-↑");
}

#[test]
fn groups_join_keys_of_one_action() {
    let select =
        groups().into_iter().find(|g| g.action == Action::SelectNextConnection).expect("bound");
    assert_eq!(select.keys_label("/"), "j/↓");
    let table = markdown_table();
    assert!(table.starts_with("| Key | Where | Action |\n|---|---|---|\n"), "{table}");
    assert!(table.contains("| `j`, `↓` | main view | select the next connection |"), "{table}");
    assert!(!table.contains("||"), "no empty cells");
}

#[test]
fn footer_hints_follow_the_context() {
    let manual = |c: Context| matches!(c, Context::Anywhere | Context::Main | Context::Manual);
    let hints = hints(manual);
    assert_eq!(hints.first().map(|(_, label)| *label), Some("recv"), "{hints:?}");
    let quit = hints.iter().position(|(keys, _)| keys == "q");
    assert!(quit < hints.iter().position(|(keys, _)| keys == "Ctrl-C"), "{hints:?}");
    assert!(hints.iter().any(|(keys, label)| keys == "?" && *label == "help"), "{hints:?}");
}

#[test]
fn footer_hints_name_only_keys_that_do_the_action_now() {
    let data_panel =
        |c: Context| matches!(c, Context::Anywhere | Context::Main | Context::DataPanel);
    let hints = hints(data_panel);
    let select = hints.iter().find(|(_, label)| *label == "select").expect("select is offered");
    assert_eq!(select.0, "j", "↓ moves the Data cursor there: {hints:?}");
    let main = |c: Context| matches!(c, Context::Anywhere | Context::Main);
    let hints = super::hints(main);
    assert!(hints.iter().any(|(keys, label)| keys == "j/↓" && *label == "select"), "{hints:?}");
}

/// Keys a reader's habits give to navigation and search: less (paging, searching, marks,
/// repaint) and vim's motions.
const READER_KEYS: &str = "hjklwbeWBEfFtTnNgGHMLp%{}()[]0^$duzyrRm'`/?&<>;,*# ";

/// `n` and `N` walk the matches wherever a search exists (vim, less).
#[test]
fn n_and_capital_n_walk_the_matches_in_the_data_panel() {
    let in_data = |c: Context| matches!(c, Context::Anywhere | Context::Main | Context::DataPanel);
    assert_eq!(action_for(Key::char('n'), in_data), Some(Action::SearchNext));
    assert_eq!(action_for(Key::char('N'), in_data), Some(Action::SearchPrevious));
    let manual_in_data = |c: Context| {
        matches!(c, Context::Anywhere | Context::Main | Context::Manual | Context::DataPanel)
    };
    assert_eq!(action_for(Key::char('n'), manual_in_data), Some(Action::SearchNext));
}

/// A key that changes a live socket without asking never sits where a reader's habit puts
/// navigation: an accidental press while reading must not shut, close or reconfigure it.
#[test]
fn keys_that_change_a_socket_at_once_are_not_reader_keys() {
    for binding in BINDINGS {
        let KeyCode::Char(c) = binding.key.code else { continue };
        if !binding.key.mods.is_empty() || !binding.action.changes_a_socket_at_once() {
            continue;
        }
        // Space runs a round only in step mode, which `P` turns on: the presenter's "next".
        if binding.action == Action::StepRound {
            continue;
        }
        assert!(
            !READER_KEYS.contains(c),
            "{} ({:?}) changes a socket at once on a reader's key",
            binding.key.label(),
            binding.action
        );
    }
}
