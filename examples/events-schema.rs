//! Prints the JSON Schema of the event log: `cargo run --example events-schema >
//! docs/events.schema.json`.

fn main() {
    print!("{}", sockscope::event::json_schema());
}
