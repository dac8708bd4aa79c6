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
    add_call_site(&mut schema);
    // Serialising a JSON value cannot fail.
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// The optional fields of a traced program's events ([`super::CallSite`]), which the
/// serialised types do not carry: `sockscope trace` adds them to each line it prints.
fn add_call_site(schema: &mut schemars::Schema) {
    let fields = serde_json::json!({
        "pid": {
            "description": "sockscope trace: the thread that made the call",
            "type": "integer",
            "format": "int32"
        },
        "syscall": {
            "description": "sockscope trace: the real system call (sendto, write, recvmsg, ...)",
            "type": "string"
        },
        "fd": {
            "description": "sockscope trace: the descriptor the call was made on",
            "type": "integer",
            "format": "int32"
        },
        "snapped": {
            "description": "sockscope trace, send and recv: data holds fewer bytes than len (--snap)",
            "type": "boolean"
        }
    });
    let properties = schema
        .ensure_object()
        .entry("properties")
        .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
    if let (Some(properties), serde_json::Value::Object(fields)) =
        (properties.as_object_mut(), fields)
    {
        properties.extend(fields);
    }
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
