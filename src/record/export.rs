//! Exports of a recording for other tools.
