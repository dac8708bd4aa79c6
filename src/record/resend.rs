//! Re-sending.
