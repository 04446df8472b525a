//! The hedge loop: when to trade ([`rules`]), what trading costs ([`costs`]), and
//! the self-financing loop with its ledger and P&L attribution ([`hedger`]).
//!
//! **Tested by** `tests/hedge.rs`.

pub mod costs;
pub mod hedger;
pub mod rules;
