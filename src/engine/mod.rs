//! The Monte Carlo engine: many paths, several hedgers on the same paths, in
//! chunks ([`montecarlo`]); the formulas written once over scalars and lanes
//! ([`lanes`]) and the vectors they run on: two lanes ([`simd`], the page's)
//! or four natively with AVX2 ([`simd4`]), at the width [`width`] picks.
//!
//! **Tested by** `tests/montecarlo.rs`, `tests/simd.rs` and `tests/threads.rs`.

pub mod lanes;
pub mod montecarlo;
pub mod runner;
pub mod simd;
pub mod simd4;
pub mod width;
