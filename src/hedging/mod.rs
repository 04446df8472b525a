//! The hedge loop: when to trade ([`rules`]), what trading costs ([`costs`]),
//! which Greeks the hedge neutralises and with which options ([`greeks`]), the
//! option trades of such a hedge on a path ([`option_hedge`]), the self-financing
//! loop ([`hedger`]) and the ledger it writes, with the P&L attribution
//! ([`ledger`]).
//!
//! **Tested by** `tests/hedge.rs` and `tests/greeks_hedge.rs`.

pub mod costs;
pub mod greeks;
pub mod hedger;
pub mod heston_pricer;
pub mod ledger;
pub mod option_hedge;
pub mod rules;
