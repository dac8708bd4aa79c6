//! README.md's key table is generated from the keymap; this fails when the two drift apart.
//! To fix it, replace the block between the markers with the table printed below.

const START: &str = "<!-- keys:start -->";
const END: &str = "<!-- keys:end -->";

#[test]
fn readme_key_table_matches_the_keymap() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md is readable");
    let expected = sockscope::tui::keymap::markdown_table();
    let block = readme
        .split_once(START)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(block, _)| block.trim());
    let Some(block) = block else {
        panic!("README.md has no {START} ... {END} block; add one holding:\n{expected}");
    };
    assert!(
        block == expected.trim(),
        "README.md's key table differs from the keymap; put this between the markers:\n\n{}",
        expected.trim()
    );
}

/// Every `:` command of the command table is named in the README as `:NAME`.
#[test]
fn readme_names_every_command() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md is readable");
    let missing: Vec<&str> = sockscope::tui::command::COMMANDS
        .iter()
        .map(|spec| spec.name)
        .filter(|name| {
            let named = format!("`:{name}");
            !readme.match_indices(&named).any(|(at, _)| {
                let next = readme[at + named.len()..].chars().next();
                next.is_none_or(|c| c == '`' || c == ' ')
            })
        })
        .collect();
    assert!(missing.is_empty(), "README.md does not name these commands: {missing:?}");
}
