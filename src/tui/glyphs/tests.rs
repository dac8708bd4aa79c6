use super::*;
use ratatui::layout::Rect;
use std::path::Path;

/// `LC_ALL`, `LC_CTYPE`, `LANG` (`None`: unset) and the character set they mean.
type LocaleCase = (Option<&'static str>, Option<&'static str>, Option<&'static str>, Glyphs);

#[test]
fn the_locale_decides_by_posix_precedence() {
    let utf8 = Glyphs::Unicode;
    let ascii = Glyphs::Ascii;
    let cases: [LocaleCase; 17] = [
        (None, None, None, ascii),
        (None, None, Some(""), ascii),
        (None, None, Some("C"), ascii),
        (None, None, Some("POSIX"), ascii),
        (None, None, Some("en_US.UTF-8"), utf8),
        (None, None, Some("C.utf8"), utf8),
        (None, None, Some("de_DE.utf-8@euro"), utf8),
        (None, None, Some("en_US.ISO-8859-1"), ascii),
        (None, None, Some("en_US"), ascii),
        (None, Some("UTF-8"), None, utf8),
        (None, Some("C"), Some("en_US.UTF-8"), ascii),
        (None, Some(""), Some("en_US.UTF-8"), utf8),
        (Some("C"), Some("en_US.UTF-8"), Some("en_US.UTF-8"), ascii),
        (Some("POSIX"), None, Some("C.UTF-8"), ascii),
        (Some("C.UTF-8"), Some("C"), Some("C"), utf8),
        (Some(""), Some("C"), Some("C.UTF-8"), ascii),
        (Some("ja_JP.eucJP"), None, None, ascii),
    ];
    for (lc_all, lc_ctype, lang, expected) in cases {
        assert_eq!(
            Glyphs::from_locale(lc_all, lc_ctype, lang),
            expected,
            "LC_ALL={lc_all:?} LC_CTYPE={lc_ctype:?} LANG={lang:?}"
        );
    }
}

#[test]
fn ascii_text_replaces_the_ui_glyphs() {
    let ascii = Glyphs::Ascii;
    assert_eq!(ascii.text("j, ↓"), "j, Down");
    assert_eq!(ascii.text("Shift-↑ · ← →"), "Shift-Up - Left Right");
    assert_eq!(ascii.text("no sockets yet — `:listen 9000`"), "no sockets yet - `:listen 9000`");
    assert_eq!(ascii.text("1 open │ in 3 B…"), "1 open | in 3 B...");
    assert_eq!(ascii.text("plain"), "plain");
    assert_eq!(Glyphs::Unicode.text("j, ↓ …"), "j, ↓ …");
    assert_eq!((ascii.ellipsis(), Glyphs::Unicode.ellipsis()), ("...", "…"));
    for entry in SUBSTITUTES {
        assert!(!entry.glyph.is_ascii(), "{:?} needs no substitute", entry.glyph);
        assert!(entry.text.chars().all(|c| c.is_ascii_graphic()), "{entry:?}");
        assert!(entry.cell.is_ascii_graphic(), "{entry:?}");
    }
}

#[test]
fn cells_become_ascii_of_the_same_width() {
    let mut buffer = Buffer::empty(Rect::new(0, 0, 6, 1));
    buffer.set_string(0, 0, "┌─…é│x", ratatui::style::Style::new());
    to_ascii_cells(&mut buffer);
    let row: String = (0..6).map(|x| buffer[(x, 0)].symbol().to_string()).collect();
    assert_eq!(row, "+-~?|x");
}

/// Every non-ASCII character in the UI's code (outside comments and tests) has an ASCII
/// substitute, so a new glyph cannot slip into an ASCII terminal as `?`.
#[test]
fn every_glyph_in_the_ui_code_has_a_substitute() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut missing = Vec::new();
    let mut files = vec![root];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            let entries = std::fs::read_dir(&path).expect("read src/tui");
            files.extend(entries.map(|entry| entry.expect("dir entry").path()));
            continue;
        }
        let is_tests = path.file_name().is_some_and(|name| name == "tests.rs");
        if is_tests || path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("read a source file");
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in code.lines().enumerate() {
            let line = line.split(" // ").next().unwrap_or_default();
            if line.trim_start().starts_with("//") {
                continue;
            }
            for c in line.chars().filter(|c| !c.is_ascii() && substitute(*c).is_none()) {
                missing.push(format!("{}:{}: {c:?}", path.display(), number + 1));
            }
        }
    }
    assert!(missing.is_empty(), "glyphs without an ASCII substitute:\n{}", missing.join("\n"));
}
