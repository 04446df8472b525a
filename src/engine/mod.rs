//! The Monte Carlo engine: many paths, several hedgers on the same paths, in
//! chunks ([`montecarlo`]); the formulas written once over scalars and lanes
//! ([`lanes`]) and the two-lane vectors they run on ([`simd`]).
//!
//! **Tested by** `tests/montecarlo.rs`, `tests/simd.rs` and `tests/threads.rs`.

pub mod lanes;
pub mod montecarlo;
pub mod runner;
pub mod simd;
