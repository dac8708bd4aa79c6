//! The JSON Lines contract as a JSON Schema, derived from the types that are serialised.
//! `docs/events.schema.json` is this schema as committed; a test keeps the two equal, and
//! another validates real `--json` output against the file.

use super::Event;

/// The JSON Schema of one line of the event log, pretty-printed, ending with a newline.
#[must_use]
pub fn json_schema() -> String {
    let mut schema = schemars::schema_for!(Event);
    schema.insert("title".into(), "sockscope event".into());
    schema.insert(
        "description".into(),
        "One line of `sockscope ... --headless --json` and of `export --format jsonl`. \
         Fields may be added; consumers ignore kinds and fields they do not know."
            .into(),
    );
    // Serialising a JSON value cannot fail.
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_schema_is_the_generated_one() {
        let committed = include_str!("../../docs/events.schema.json");
        assert!(
            committed == super::json_schema(),
            "docs/events.schema.json is stale: run \
             `cargo run --example events-schema > docs/events.schema.json`"
        );
    }
}
