//! A price series held exactly: integer prices in units of 10^−d, and the
//! trading dates when it has them.
//!
//! Prices are kept as the integers the text wrote (`2633.08` with `d = 2` is
//! `263308`), not as floats, so a series read from a CSV, a link or a bundled
//! file prints back to the same digits and encodes without loss. The float a
//! path uses, `units / 10^d`, is one correctly rounded division of two exact
//! floats (the units are below 2^53 and 10^d ≤ 10^15 is exact), so it is the very
//! float the decimal text parses to.
//!
//! **Tested by** `tests/history.rs` (prices against `str::parse`, printing back
//! to the text) and `tests/history_data.rs` (the bundled series against their
//! CSVs, row for row).

use crate::history::date::Date;
use crate::paths::PathBuffer;

/// The largest number of decimals a price may carry.
pub const MAX_DECIMALS: u32 = 15;

/// The largest price in units: 2^53, below which every integer is an exact
/// float.
pub const MAX_UNITS: u64 = 1 << 53;

/// A series of positive prices, exact to their decimals, with optional dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceSeries {
    /// Decimals `d` of every price (at most [`MAX_DECIMALS`]).
    pub decimals: u32,
    /// Each price × 10^d, every one in 1 … [`MAX_UNITS`].
    pub units: Vec<u64>,
    /// The date of each price, strictly increasing, or `None` for prices evenly
    /// spaced in time.
    pub dates: Option<Vec<Date>>,
}

impl PriceSeries {
    /// The number of prices.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether the series has no prices.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Price `i` as a float: the float nearest to its decimal text.
    pub fn price(&self, i: usize) -> f64 {
        self.units[i] as f64 / self.scale()
    }

    /// Every price as a float ([`PriceSeries::price`]).
    pub fn prices(&self) -> Vec<f64> {
        let scale = self.scale();
        self.units.iter().map(|&u| u as f64 / scale).collect()
    }

    /// `10^d` as a float (each power of ten up to 10^22 is exact).
    fn scale(&self) -> f64 {
        const POWERS: [f64; MAX_DECIMALS as usize + 1] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        ];
        POWERS[self.decimals.min(MAX_DECIMALS) as usize]
    }

    /// The prices `start ..= end` scaled so that the first is `spot`:
    /// `spot · (u_i/u_start)` (the ratio first, so the first point is exactly
    /// `spot`), as a path. The path of a window, or of the reader's whole series.
    pub fn scaled_path(&self, start: usize, end: usize, spot: f64) -> PathBuffer {
        let first = self.units[start] as f64;
        let spots: Vec<f64> = self.units[start..=end]
            .iter()
            .map(|&u| spot * (u as f64 / first))
            .collect();
        PathBuffer::from_spots(&spots)
    }

    /// Price `i` written with the series' `d` decimals (`263308`, `d = 2` →
    /// `2633.08`; `d = 0` has no point).
    pub fn price_text(&self, i: usize) -> String {
        let digits = self.units[i].to_string();
        let d = self.decimals as usize;
        if d == 0 {
            return digits;
        }
        let padded = format!("{digits:0>width$}", width = d + 1);
        let (whole, fraction) = padded.split_at(padded.len() - d);
        format!("{whole}.{fraction}")
    }

    /// The series as CSV text: `date,close` rows (or a `close` column alone when
    /// it has no dates) after a header, one line each, `\n`-terminated — the
    /// layout of the bundled series' source files.
    pub fn to_csv(&self) -> String {
        let mut out = String::with_capacity(self.len() * 20);
        match &self.dates {
            Some(dates) => {
                out.push_str("date,close\n");
                for (i, date) in dates.iter().enumerate() {
                    out.push_str(&format!("{date},{}\n", self.price_text(i)));
                }
            }
            None => {
                out.push_str("close\n");
                for i in 0..self.len() {
                    out.push_str(&self.price_text(i));
                    out.push('\n');
                }
            }
        }
        out
    }
}
