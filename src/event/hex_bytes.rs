//! Serde adapter: payload bytes as one lowercase hex string, as the JSON Lines schema says.

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(data: &Bytes, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&hex::encode(data))
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Bytes, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    hex::decode(text.as_bytes()).map(Bytes::from).map_err(serde::de::Error::custom)
}
