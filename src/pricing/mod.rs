//! Pricing: the normal distribution, Black–Scholes–Merton price and Greeks, and
//! the fast deterministic `exp` of the hot loop. A new pricing engine (Heston's
//! characteristic function, say) gets a file here.
//!
//! **Tested by** `tests/pricing.rs` and `tests/fastmath.rs`.

pub mod black_scholes;
pub mod fastmath;
pub mod normal;
