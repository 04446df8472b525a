//! The two bundled series, embedded in the binary: S&P 500 daily closes
//! 1950–2018 and the Dow Jones Industrial Average 1885–2023, in the byte format
//! of [`crate::history::codec`] (data/README.md: provenance and sizes).
//!
//! Embedding adds about 147 kB (85 kB gzipped) to the wasm module; this file is
//! the one place to gate or replace with a fetch.
//!
//! **Tested by** `tests/history_data.rs`: each series decodes to its source CSV,
//! row for row.

use std::sync::{Arc, OnceLock};

use crate::history::codec::{self, DecodeError};
use crate::history::series::PriceSeries;

/// A bundled series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bundled {
    /// S&P 500 index, daily close, 1950-01-03 … 2018-12-07.
    Sp500,
    /// Dow Jones Industrial Average, daily close, 1885-02-16 … 2023-11-21.
    Djia,
}

impl Bundled {
    /// Every bundled series.
    pub const ALL: [Bundled; 2] = [Bundled::Sp500, Bundled::Djia];

    /// The series' name in links: `sp500` or `djia`.
    pub fn name(self) -> &'static str {
        match self {
            Bundled::Sp500 => "sp500",
            Bundled::Djia => "djia",
        }
    }

    /// The encoded bytes, as embedded.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Bundled::Sp500 => include_bytes!("../../data/sp500.bin"),
            Bundled::Djia => include_bytes!("../../data/djia.bin"),
        }
    }

    /// The decoded series (dates and closes to two decimals).
    pub fn series(self) -> Result<PriceSeries, DecodeError> {
        codec::decode(self.bytes())
    }

    /// The decoded series, decoded once per process and shared: links are
    /// checked against it on every parse. The embedded bytes are tested to
    /// decode (`tests/history_data.rs`), so the empty series of a failed decode
    /// is never met in practice; it would make every window an error naming
    /// `from`, not a panic.
    pub fn shared(self) -> Arc<PriceSeries> {
        static SP500: OnceLock<Arc<PriceSeries>> = OnceLock::new();
        static DJIA: OnceLock<Arc<PriceSeries>> = OnceLock::new();
        let cell = match self {
            Bundled::Sp500 => &SP500,
            Bundled::Djia => &DJIA,
        };
        cell.get_or_init(|| {
            Arc::new(self.series().unwrap_or(PriceSeries {
                decimals: 0,
                units: Vec::new(),
                dates: None,
            }))
        })
        .clone()
    }
}
