//! What is held and hedged: option legs in one book. New instruments (a second
//! option as a hedge, a stock portfolio to insure) get a file here.
//!
//! **Tested by** `tests/hedge.rs` (a two-leg book equals its legs) and `tests/plan.rs`.

pub mod book;
