//! Bootstrapped paths: new price paths made of a real series' daily log returns,
//! resampled in blocks so their clustering and fat tails survive.
//!
//! The **stationary bootstrap** (Politis & Romano 1994): a path's first return
//! is a uniformly drawn day of the source; each next return is, with probability
//! `1/b`, another uniformly drawn day (a new block) and otherwise the day after
//! the previous one, wrapping from the last day to the first. Block lengths are
//! thus geometric with mean `b` days, and every step's return is, on its own, a
//! uniform draw from the source — so the paths keep the source's daily mean and
//! variance, and volatility clusters up to about `b` days long.
//!
//! Draws, per step: one uniform for "new block?" (not on the first step, which
//! always starts one), then for a new block one 64-bit word mapped to a day by
//! multiply-and-shift (`⌊w·n/2^64⌋`, bias below n/2^64). All from the path's own
//! stream [`PathRng::for_path`]`(seed, path index)`, so a path depends on nothing
//! else.
//!
//! **Drift.** The source's returns carry its own history's drift (the S&P 500
//! rose about 7 % a year in 1950–2018). [`shift_to_log_drift`] moves every return by
//! the same amount so their mean is `g·Δt` for a given log drift `g` per year;
//! the expected log return of a path of `T` years is then exactly `g·T` and the
//! variance and shape are untouched. For a scenario's expected return μ and
//! dividend yield q, `g = μ − q − σ²/2` with σ² the returns' variance per year,
//! as for GBM.
//!
//! The steps are daily: the grid's `Δt` should be one trading day of the source
//! on the calendar clock ([`DailyReturns::per_year`] trading days a year, about
//! 252), so the paths' vol per year is the source's.
//!
//! **Tested by** `tests/history.rs`: the paths' daily mean and variance against
//! the source's (within 4 standard errors over independent paths), the mean run
//! of consecutive source days against `b`, the drift shift, determinism per
//! `(seed, path index)`; `tests/link_numbers.rs`: a bootstrap link keeps its
//! numbers bit for bit.

use crate::history::date::Date;
use crate::history::series::PriceSeries;
use crate::history::window::{error, log_returns, years_between, FieldError};
use crate::paths::rng::PathRng;
use crate::paths::{PathBuffer, PathSource, TimeGrid};
use crate::scenario::shown_number;

/// The daily log returns of a dated series between two dates.
#[derive(Clone, Debug, PartialEq)]
pub struct DailyReturns {
    /// `ln(c_{i+1}/c_i)` for consecutive trading days.
    pub log_returns: Vec<f64>,
    /// The calendar years they span.
    pub years: f64,
}

impl DailyReturns {
    /// The returns of the trading days from the first on or after `from` to the
    /// last on or before `until`.
    pub fn between(
        series: &PriceSeries,
        from: Date,
        until: Date,
    ) -> Result<DailyReturns, FieldError> {
        let Some(dates) = series.dates.as_deref().filter(|d| d.len() >= 3) else {
            return Err(error(
                "from",
                "the series has no dates (or fewer than three)".to_string(),
            ));
        };
        let (first, last) = (dates[0], dates[dates.len() - 1]);
        if from < first || from > last {
            return Err(error(
                "from",
                format!("{from} is outside the series, which runs {first} … {last}"),
            ));
        }
        let start = dates.partition_point(|&d| d < from);
        let end = dates.partition_point(|&d| d <= until).saturating_sub(1);
        if until > last || end < start + 2 {
            return Err(error(
                "until",
                format!(
                    "{until}: allowed from two trading days after {} to {last} \
                     (at least two returns, within the series)",
                    dates[start]
                ),
            ));
        }
        Ok(DailyReturns {
            log_returns: log_returns(&series.units[start..=end]).collect(),
            years: years_between(dates[start], dates[end]),
        })
    }

    /// Trading days per calendar year: the number of returns over the years
    /// they span (about 252).
    pub fn per_year(&self) -> f64 {
        self.log_returns.len() as f64 / self.years
    }
}

/// The sample variance of returns (`n − 1` in the denominator; 0 for fewer
/// than two).
pub fn sample_variance(returns: &[f64]) -> f64 {
    let n = returns.len() as f64;
    if returns.len() < 2 {
        return 0.0;
    }
    let mean = returns.iter().sum::<f64>() / n;
    returns.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / (n - 1.0)
}

/// The returns moved by one amount so that their mean is `log_drift · dt`
/// (`log_drift` per year, `dt` the step in years).
pub fn shift_to_log_drift(log_returns: &[f64], log_drift: f64, dt: f64) -> Vec<f64> {
    let mean = log_returns.iter().sum::<f64>() / log_returns.len() as f64;
    let shift = log_drift * dt - mean;
    log_returns.iter().map(|r| r + shift).collect()
}

/// Paths resampled from daily log returns by the stationary bootstrap.
#[derive(Clone, Debug, PartialEq)]
pub struct StationaryBootstrap {
    /// The returns resampled, one per step (shift them first if need be:
    /// [`shift_to_log_drift`]).
    pub log_returns: Vec<f64>,
    /// Mean block length `b` in days (≥ 1).
    pub mean_block: f64,
    /// Starting spot `S_0 > 0`.
    pub spot: f64,
    /// The time grid: one step a trading day.
    pub grid: TimeGrid,
    /// Seed of the run; path `i` uses the stream `(seed, i)`.
    pub seed: u64,
}

impl StationaryBootstrap {
    /// A bootstrap of `log_returns` (at least one) in blocks of mean
    /// `mean_block ≥ 1` days; an error naming `block` otherwise.
    pub fn new(
        log_returns: Vec<f64>,
        mean_block: f64,
        spot: f64,
        grid: TimeGrid,
        seed: u64,
    ) -> Result<StationaryBootstrap, FieldError> {
        if log_returns.is_empty() {
            return Err(error("from", "no returns to resample".to_string()));
        }
        if !(mean_block.is_finite() && mean_block >= 1.0) {
            return Err(error(
                "block",
                format!(
                    "{} days: the mean block length must be at least 1 day",
                    shown_number(mean_block)
                ),
            ));
        }
        Ok(StationaryBootstrap {
            log_returns,
            mean_block,
            spot,
            grid,
            seed,
        })
    }

    /// The variance per year of the returns resampled (each step's return is
    /// a uniform draw from them): the sample variance over the grid's step.
    pub fn variance_per_year(&self) -> f64 {
        sample_variance(&self.log_returns) / self.grid.dt()
    }

    /// The source day of each step of path `path_index`, without end.
    pub fn source_days(&self, path_index: u64) -> SourceDays {
        SourceDays {
            rng: PathRng::for_path(self.seed, path_index),
            days: self.log_returns.len(),
            new_block: 1.0 / self.mean_block,
            day: None,
        }
    }
}

/// The source day of each step of one bootstrapped path
/// ([`StationaryBootstrap::source_days`]).
#[derive(Clone, Debug)]
pub struct SourceDays {
    rng: PathRng,
    days: usize,
    new_block: f64,
    day: Option<usize>,
}

impl Iterator for SourceDays {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let day = match self.day {
            Some(day) if self.rng.uniform() >= self.new_block => (day + 1) % self.days,
            _ => ((u128::from(self.rng.next_u64()) * self.days as u128) >> 64) as usize,
        };
        self.day = Some(day);
        Some(day)
    }
}

impl PathSource for StationaryBootstrap {
    fn grid(&self) -> TimeGrid {
        self.grid.clone()
    }

    fn fill(&self, path_index: u64, out: &mut PathBuffer) {
        let points = out.spot.len().min(out.log_spot.len());
        if points == 0 {
            return;
        }
        let mut log_spot = libm::log(self.spot);
        out.spot[0] = self.spot;
        out.log_spot[0] = log_spot;
        let days = self.source_days(path_index);
        for ((slot, log_slot), day) in out.spot[1..points]
            .iter_mut()
            .zip(&mut out.log_spot[1..points])
            .zip(days)
        {
            // Accumulate in log space: no drift of rounding through products.
            log_spot += self.log_returns[day];
            *log_slot = log_spot;
            *slot = libm::exp(log_spot);
        }
    }
}
