//! sockscope never sets the terminal's title or clipboard: no code outside tests writes an OSC
//! sequence or uses crossterm's `SetTitle`, and no clipboard crate is a dependency.
//!
//! The end-to-end test in `tui_tmux_queries.rs` checks the bytes of a real run; this one
//! covers the code paths no test runs.

use std::path::{Path, PathBuf};

/// Ways to write an OSC sequence (title: OSC 0/2, clipboard: OSC 52) or a title.
const FORBIDDEN: &[&str] =
    &["SetTitle", "set_title", r"\x1b]", r"\u{1b}]", r"\x9d", r"\u{9d}", r"\033]", r"\e]", "]52;"];

/// Crates whose purpose is the clipboard.
const CLIPBOARD_CRATES: &[&str] = &["arboard", "clipboard", "copypasta", "cli-clipboard"];

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read a source directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn no_code_writes_a_title_or_the_clipboard() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 50, "the sources were found: {}", files.len());
    let mut found = Vec::new();
    for path in files {
        // Test modules hold hostile sequences on purpose, as data to escape.
        if path.file_name().is_some_and(|name| name == "tests.rs" || name == "proptests.rs")
            || path.components().any(|part| part.as_os_str() == "tests")
        {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("read a source file");
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for pattern in FORBIDDEN.iter().filter(|pattern| line.contains(*pattern)) {
                found.push(format!("{}:{}: {pattern}", path.display(), number + 1));
            }
        }
    }
    assert!(found.is_empty(), "terminal title or clipboard writes:\n{}", found.join("\n"));
}

#[test]
fn no_clipboard_crate_is_a_dependency() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("read Cargo.toml");
    for line in manifest.lines().map(str::trim) {
        let name = line.split(['=', ' ']).next().unwrap_or_default();
        assert!(!CLIPBOARD_CRATES.contains(&name), "a clipboard crate: {line}");
    }
}
