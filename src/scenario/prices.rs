//! The `px` key's value: the reader's own prices, carried in the link.
//!
//! Held decoded (a [`PriceSeries`], exact to the CSV's decimals) and printed
//! back in the link format of [`crate::history::link`], whose encoding of a
//! series is unique, so a link with `px` is canonical like any other.
//!
//! **Tested by** `tests/backtest.rs` (a CSV's link reopens to the same
//! numbers; bad values name `px`) and `tests/history.rs` (the format itself).

use core::fmt;
use std::sync::Arc;

use crate::history::link::{decode_link, encode_link, encode_local};
use crate::history::series::PriceSeries;

/// A price series in a link, or none (the key unused).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Prices(Option<Arc<PriceSeries>>);

impl Prices {
    /// The prices of `series`, when a link can carry them (at most
    /// [`crate::history::link::MAX_LINK_PRICES`], at least two).
    pub fn new(series: PriceSeries) -> Result<Prices, String> {
        encode_link(&series).map_err(|e| e.0)?;
        Prices::local(series)
    }

    /// The prices of `series` for this page only: up to
    /// [`crate::history::link::MAX_LOCAL_PRICES`] (at least two); a series
    /// longer than a link carries is then not [`Prices::is_shareable`].
    pub fn local(series: PriceSeries) -> Result<Prices, String> {
        if series.len() < 2 {
            return Err(format!(
                "{} price{}: a path needs at least two",
                series.len(),
                if series.len() == 1 { "" } else { "s" }
            ));
        }
        encode_local(&series).map_err(|e| e.0)?;
        Ok(Prices(Some(Arc::new(series))))
    }

    /// Whether a link can carry these prices (at most
    /// [`crate::history::link::MAX_LINK_PRICES`]).
    pub fn is_shareable(&self) -> bool {
        self.0
            .as_ref()
            .is_none_or(|s| s.len() <= crate::history::link::MAX_LINK_PRICES)
    }

    /// Read a `px` value (empty text: no prices).
    pub fn parse(text: &str) -> Result<Prices, String> {
        if text.is_empty() {
            return Ok(Prices::default());
        }
        let series = decode_link(text).map_err(|e| e.0)?;
        Prices::local(series)
    }

    /// The series, if any.
    pub fn series(&self) -> Option<&Arc<PriceSeries>> {
        self.0.as_ref()
    }

    /// Whether the key is unused.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

impl fmt::Display for Prices {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            // A series in here was encoded when it was made: it fits.
            Some(series) => f.write_str(&encode_local(series).unwrap_or_default()),
            None => Ok(()),
        }
    }
}
