use super::*;

fn rebind(action: Action, context: Option<Context>, keys: &[Key]) -> Rebinding {
    Rebinding { action, context, keys: keys.to_vec() }
}

fn in_data(c: Context) -> bool {
    matches!(c, Context::Anywhere | Context::Main | Context::DataPanel)
}

#[test]
fn no_rebinding_is_the_built_in_table() {
    assert_eq!(Keymap::remapped(&[]), Ok(Keymap::default()));
}

#[test]
fn a_remapped_key_replaces_the_old_one_in_place() {
    let map = Keymap::remapped(&[rebind(Action::ToggleDataView, None, &[Key::ctrl('t')])])
        .expect("t is free");
    assert_eq!(map.action_for(Key::ctrl('t'), in_data), Some(Action::ToggleDataView));
    assert_eq!(map.action_for(Key::char('x'), in_data), None, "the old key is gone");
    let group = map.groups().into_iter().find(|g| g.action == Action::ToggleDataView);
    let group = group.expect("still listed");
    assert_eq!(
        (group.keys_label("/"), group.description),
        ("Ctrl-T".into(), "show the data as hex or as text")
    );
    let hints = map.hints_where(in_data, |_| true);
    assert!(hints.contains(&("Ctrl-T".to_string(), "hex/text")), "{hints:?}");
}

#[test]
fn several_keys_and_one_context_only() {
    let keys = [Key::char('e'), Key::plain(KeyCode::F(9))];
    let map = Keymap::remapped(&[rebind(Action::Cancel, Some(Context::Help), &keys)])
        .expect("free in the help");
    let help = |c: Context| matches!(c, Context::Anywhere | Context::Help);
    let confirm = |c: Context| matches!(c, Context::Anywhere | Context::Confirm);
    assert_eq!(map.action_for(Key::char('e'), help), Some(Action::Cancel));
    assert_eq!(map.action_for(Key::plain(KeyCode::F(9)), help), Some(Action::Cancel));
    assert_eq!(map.action_for(Key::char('q'), help), None);
    assert_eq!(map.action_for(Key::char('n'), confirm), Some(Action::Cancel), "untouched");
}

#[test]
fn swapping_two_keys_is_no_collision() {
    let map = Keymap::remapped(&[
        rebind(Action::SelectNextConnection, None, &[Key::char('k')]),
        rebind(Action::SelectPrevConnection, None, &[Key::char('j')]),
    ])
    .expect("a swap");
    assert_eq!(map.action_for(Key::char('k'), in_data), Some(Action::SelectNextConnection));
}

#[test]
fn a_collision_names_both_actions() {
    let err = Keymap::remapped(&[
        rebind(Action::OpenHelp, None, &[Key::plain(KeyCode::F(5))]),
        rebind(Action::ToggleDataView, None, &[Key::char('q')]),
    ])
    .expect_err("q quits in the main view");
    assert_eq!(err.index, 1);
    assert_eq!(
        err.to_string(),
        "key 'q' would mean both 'quit' (main) and 'toggle-data-view' (data-panel)"
    );
}

#[test]
fn keys_in_contexts_that_never_meet_do_not_collide() {
    // The help overlay and the copy menu are never open together.
    Keymap::remapped(&[rebind(Action::CopyHex, None, &[Key::char('q')])]).expect("no clash");
}

#[test]
fn an_action_has_to_be_bound_in_the_context_named() {
    let err = Keymap::remapped(&[rebind(Action::Quit, Some(Context::Help), &[Key::char('x')])])
        .expect_err("quit has no key in the help");
    assert_eq!(err.to_string(), "'quit' has no key in 'help' to replace");
}

#[test]
fn a_letter_cannot_quit_from_anywhere() {
    let err = Keymap::remapped(&[rebind(Action::Quit, Some(Context::Anywhere), &[Key::char('x')])])
        .expect_err("x would never be typed");
    assert!(err.to_string().contains("could not be typed"), "{err}");
}

#[test]
fn every_action_in_the_table_has_a_distinct_name() {
    let mut names: Vec<&str> = BINDINGS.iter().map(|b| b.action.name()).collect();
    names.sort_unstable();
    names.dedup();
    let distinct = BINDINGS.iter().map(|b| b.action).fold(Vec::new(), |mut all, a| {
        if !all.contains(&a) {
            all.push(a);
        }
        all
    });
    assert_eq!(names.len(), distinct.len());
    for name in names {
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
            "{name}"
        );
    }
}
