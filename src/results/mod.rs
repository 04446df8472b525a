//! From outcomes to what people read: statistics ([`stats`]), summaries,
//! comparisons, frontiers and closed-form benchmarks ([`analysis`]), the price
//! model's implied-volatility smile ([`smile`]), and their one machine-readable
//! form, JSON and CSV ([`report`]).
//!
//! **Tested by** `tests/stats.rs`, `tests/report.rs`, `tests/hedge.rs`.

pub mod analysis;
pub mod report;
pub mod smile;
pub mod stats;
