//! Tests of the native format: exact round trips, and every kind of damage.

mod damage;
mod inconsistent;
mod roundtrip;
pub(crate) mod samples;
