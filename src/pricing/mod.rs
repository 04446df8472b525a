//! Pricing: the normal distribution, Black–Scholes–Merton price and Greeks, and
//! the fast deterministic `exp` of the hot loop; Heston/Bates prices and deltas
//! from the characteristic function ([`heston`], in the complex arithmetic of
//! [`complex`], integrated by [`quadrature`]) and
//! a precomputed table of the Heston delta and price at every hedge date
//! ([`heston_delta`]);
//! Black–Scholes implied vol ([`implied`]). A new pricing engine gets a file here.
//!
//! **Tested by** `tests/pricing.rs`, `tests/fastmath.rs`, `tests/complex.rs`,
//! `tests/heston.rs` and `tests/implied.rs`.

pub mod black_scholes;
pub mod complex;
pub mod fastmath;
pub mod heston;
pub mod heston_delta;
pub mod implied;
pub mod normal;
pub mod quadrature;
