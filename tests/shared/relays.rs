//! Proxy tests run once per relay path: `relay_tests!(name, ...)` turns each
//! `fn name(relay: Relay)` into the tests `name::copy` and `name::splice`, so that
//! backpressure, half-close, resets, faults and recording are checked for `--relay copy` and
//! `--relay splice` alike.

/// A relay path, as the engine takes it (`EngineConfig::relay`) and as `--relay` spells it
/// (`relay.name()`).
pub use sockscope::engine::RelayPath as Relay;

#[macro_export]
macro_rules! relay_tests {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[test]
            fn copy() {
                super::$name(sockscope::engine::RelayPath::Copy);
            }

            #[test]
            fn splice() {
                super::$name(sockscope::engine::RelayPath::Splice);
            }
        }
    )+};
}
