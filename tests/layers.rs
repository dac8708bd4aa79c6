//! The layers of `ARCHITECTURE.md` hold: each module names (`crate::NAME`) only the modules
//! its row of the layer table allows, the table lists exactly the modules `lib.rs` declares,
//! and `lib.rs`'s own summary names each of them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The layer table: each module and the crate modules (in backticks) it may use.
fn table() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).unwrap();
    let layers = text.split("## Layers").nth(1).expect("a Layers section");
    let mut rows = BTreeMap::new();
    for line in layers.lines().take_while(|line| !line.starts_with("## ")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, module, may_use, _, _] = cells.as_slice() else { continue };
        let Some(module) = module.strip_prefix('`').and_then(|m| m.strip_suffix('`')) else {
            continue;
        };
        rows.insert(module.to_string(), ticked(may_use));
    }
    rows
}

/// The words in backticks.
fn ticked(text: &str) -> BTreeSet<String> {
    text.split('`').skip(1).step_by(2).map(String::from).collect()
}

/// The crate modules `source` names: `crate::NAME` and `use crate::{A, B}`.
fn named(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in source.match_indices("crate::") {
        let rest = &source[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name = item.trim().split("::").next().unwrap_or_default();
                names.insert(name.to_string());
            }
        } else {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            names.insert(rest[..end.unwrap_or(rest.len())].to_string());
        }
    }
    names.retain(|name| !name.is_empty());
    names
}

/// The modules a module's files name that its row does not allow.
fn violations(module: &str, source: &str, allowed: &BTreeSet<String>) -> BTreeSet<String> {
    named(source).into_iter().filter(|name| name != module && !allowed.contains(name)).collect()
}

/// Every `.rs` file of module `name`: `src/NAME.rs` and everything under `src/NAME/`.
fn sources(name: &str) -> Vec<(String, String)> {
    let src = Path::new(ROOT).join("src");
    let mut files = vec![src.join(format!("{name}.rs"))];
    let mut dirs = vec![src.join(name)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            Some((path.display().to_string(), text))
        })
        .collect()
}

#[test]
fn every_module_uses_only_what_its_layer_allows() {
    let table = table();
    assert!(table.len() >= 10, "the layer table: {table:?}");
    let mut wrong = Vec::new();
    for (module, allowed) in &table {
        for (file, text) in sources(module) {
            for name in violations(module, &text, allowed) {
                wrong.push(format!("{file} uses `{name}`, which `{module}` may not"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_table_and_lib_rs_list_the_same_modules() {
    let lib = std::fs::read_to_string(Path::new(ROOT).join("src/lib.rs")).unwrap();
    let declared: BTreeSet<String> = lib
        .lines()
        .filter_map(|line| line.strip_prefix("pub mod "))
        .map(|name| name.trim_end_matches(';').to_string())
        .collect();
    let tabled: BTreeSet<String> = table().into_keys().collect();
    assert_eq!(declared, tabled, "lib.rs's modules and ARCHITECTURE.md's layer table");
    for module in &declared {
        assert!(lib.contains(&format!("[`{module}`]")), "lib.rs's summary misses {module}");
    }
}

#[test]
fn a_forbidden_use_is_caught() {
    let allowed: BTreeSet<String> = ["event".to_string()].into();
    let source =
        "use crate::event::Event;\nuse crate::{tui, event};\nfn f() { crate::cli::main(); }";
    let found = violations("engine", source, &allowed);
    assert_eq!(found, ["cli".to_string(), "tui".to_string()].into());
    assert!(violations("engine", "use crate::engine::x;\nuse super::y;", &allowed).is_empty());
}

/// The drawing code reads its glyphs and theme from the `RenderContext` it is given, never
/// from state hidden per thread: what a panel shows depends on its arguments alone.
#[test]
fn the_ui_keeps_no_per_thread_state() {
    let hidden: Vec<String> = sources("tui")
        .into_iter()
        .filter(|(_, text)| text.contains(concat!("thread", "_local!")))
        .map(|(file, _)| file)
        .collect();
    assert!(hidden.is_empty(), "per-thread state in {hidden:?}");
}
