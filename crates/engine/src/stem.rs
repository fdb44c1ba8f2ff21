//! Stemming (being written).
