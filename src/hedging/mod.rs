//! The hedge loop: when to trade ([`rules`]), what trading costs ([`costs`]),
//! which Greeks the hedge neutralises and with which options ([`greeks`]), the
//! option trades of such a hedge on a path ([`option_hedge`]), and the
//! self-financing loop with its ledger and P&L attribution ([`hedger`]).
//!
//! **Tested by** `tests/hedge.rs` and `tests/greeks_hedge.rs`.

pub mod costs;
pub mod greeks;
pub mod hedger;
pub mod option_hedge;
pub mod rules;
