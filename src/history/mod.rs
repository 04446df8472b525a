//! Back-tests on real price history: recorded closes in place of simulated
//! paths.
//!
//! Three ways to get a path from history, all exact to the recorded digits:
//!
//! - **A bundled series** ([`bundled`]: S&P 500 1950–2018, DJIA 1885–2023) cut
//!   into a [`window::Window`] — from the first trading day on or after `from`,
//!   `t` years long — or into rolling windows every `n` trading days
//!   ([`window::roll`]), each window one path, scaled to the scenario's spot.
//!   The default hedging vol is the realised vol of the 63 trading days before.
//! - **The reader's own prices** from a CSV ([`user_csv`]), carried in a link as
//!   `px=` ([`link`]) when they are at most 2,000.
//! - **Bootstrapped paths** ([`bootstrap`]): a bundled series' daily returns
//!   resampled in blocks (Politis & Romano's stationary bootstrap), a
//!   [`crate::paths::PathSource`] like GBM.
//!
//! **The clock is calendar time**: a step lasts its calendar days / 365, so a
//! weekend is three times a night; [`window`] says why.
//!
//! Series are held as integers in units of their last decimal
//! ([`series::PriceSeries`]) and stored in a byte format ([`codec`], the bundled
//! files in `data/`, written by `scripts/history_data.py` from the source CSVs)
//! or its bit-packed version ([`packed`], the `px=` value), both read by
//! [`codec::decode`].
//!
//! **Tested by** `tests/history.rs` (dates, windows, vol, CSV, links, bootstrap)
//! and `tests/history_data.rs` (the bundled files against their CSVs).

pub mod bootstrap;
pub mod bundled;
pub mod codec;
pub mod date;
pub mod link;
pub mod packed;
pub mod series;
pub mod source;
pub mod user_csv;
pub mod window;
