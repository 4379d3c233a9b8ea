//! Synthetic demo banks (being written).
