//! Serde adapter: payload bytes as one lowercase hex string, as the JSON Lines schema says.

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serializer};

/// Encodes through `hex::encode_to_slice` (a table lookup per byte) rather than `hex::encode`,
/// whose char iterator made hex three quarters of the cost of `--json` output at high volume.
pub fn serialize<S: Serializer>(data: &Bytes, serializer: S) -> Result<S::Ok, S::Error> {
    let mut digits = vec![0; data.len() * 2];
    hex::encode_to_slice(data, &mut digits).map_err(serde::ser::Error::custom)?;
    let text = std::str::from_utf8(&digits).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(text)
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Bytes, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    hex::decode(text.as_bytes()).map(Bytes::from).map_err(serde::de::Error::custom)
}

/// The schema of a payload: lowercase hex, two digits a byte.
#[derive(schemars::JsonSchema)]
#[schemars(transparent)]
pub struct Hex(
    #[schemars(regex(pattern = "^([0-9a-f]{2})*$"))]
    #[allow(dead_code)]
    String,
);
