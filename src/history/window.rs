//! Windows of a dated series as price paths: where a window starts and ends, its
//! rolling siblings, its path scaled to a spot, its clock, and the realised vol
//! before it.
//!
//! A window runs from the first trading day on or after `from` to the last
//! trading day within `t` years of it, a year being 365 calendar days (the clock
//! below). Its path is the window's closes scaled so the first equals the
//! scenario's spot `s`; a window of a roll is computed by the very function that
//! computes a window alone, so the two are identical.
//!
//! A window starts at its first day's *close*: to live through the crash of
//! Monday 1987-10-19, start on Friday the 16th (from the 19th, the path starts
//! after the fall, and the vol before it includes the fall).
//!
//! **Clock: calendar time.** Step `i` lasts `(date_{i+1} − date_i)/365` years, so
//! Friday → Monday is 3/365 and a holiday adds its day. An option's time value and
//! interest accrue over calendar days, and the market does move over weekends
//! (news still arrives; Monday's gap carries it), so calendar time keeps the
//! option's clock and the carry right. Trading-day time (1/252 a step) would
//! instead say a weekend carries no variance; it is closer for variance alone
//! (weekend variance is far less than three nights'), but breaks the carry and
//! theta, and needs a holiday calendar per market. The price of the choice: the
//! hedger's Black–Scholes variance accrues evenly over calendar time, so
//! weekends look quiet and Mondays loud to it — one more real-world effect to
//! teach, not to hide.
//!
//! **Realised vol** of the [`VOL_LOOKBACK`] = 63 daily log returns ending at the
//! window's first close, annualised on the same clock: `σ² = Σ r² / Σ Δt`, the sum
//! of squared log returns over the calendar years they span (about 91 days, so
//! the factor is about 252 per mean square return, the familiar number). It is
//! the default hedging vol; no mean is subtracted (a daily mean is noise next to
//! the moves).
//!
//! **Tested by** `tests/history.rs`: step lengths over weekends and holidays, the
//! 1987 crash window, the vol against a hand computation, a window alone against
//! the same window in a roll, every error naming its field, the edges (the last
//! day, a roll of one window, a roll's step past the end, the smallest inputs
//! to the vol).

use core::fmt;

use crate::history::date::Date;
use crate::history::series::PriceSeries;
use crate::paths::PathBuffer;
use crate::scenario::shown_number;

/// Calendar days in a year of the history clock.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// The years of the history clock from `earlier` to `later`: calendar days/365.
pub fn years_between(earlier: Date, later: Date) -> f64 {
    f64::from(later.days_since(earlier)) / DAYS_PER_YEAR
}

/// The log returns `ln(u_{i+1}/u_i)` of consecutive prices (units or prices:
/// only ratios count).
pub fn log_returns(units: &[u64]) -> impl Iterator<Item = f64> + '_ {
    units
        .windows(2)
        .map(|pair| libm::log(pair[1] as f64 / pair[0] as f64))
}

/// The number of daily returns the default hedging vol is measured over (a
/// quarter of trading days).
pub const VOL_LOOKBACK: usize = 63;

/// A window or a bootstrap that cannot be made, naming the field at fault
/// (`from`, `t`, `until`, `roll`, `block`) and saying what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field at fault.
    pub field: &'static str,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

pub(crate) fn error(field: &'static str, message: String) -> FieldError {
    FieldError { field, message }
}

/// A window of a dated series: indices `start ..= end` and their dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Index of the first trading day.
    pub start: usize,
    /// Index of the last trading day (`> start`).
    pub end: usize,
    /// Date of the first trading day.
    pub first_date: Date,
    /// Date of the last trading day.
    pub last_date: Date,
}

/// The dates of `series`, or an error naming `from`: windows need dates.
fn dates_of(series: &PriceSeries) -> Result<&[Date], FieldError> {
    match &series.dates {
        Some(dates) if dates.len() >= 2 => Ok(dates),
        _ => Err(error(
            "from",
            "the series has no dates (or fewer than two): it has no calendar to start a window in"
                .to_string(),
        )),
    }
}

/// The number of whole calendar days in `years` (a hair of tolerance so that
/// `t = 0.25` is 91 days whatever the float's rounding).
fn days_in(years: f64) -> i64 {
    libm::floor(years * DAYS_PER_YEAR + 1e-9) as i64
}

/// The window from the first trading day on or after `from` to the last trading
/// day within `years` of it.
pub fn window(series: &PriceSeries, from: Date, years: f64) -> Result<Window, FieldError> {
    let dates = dates_of(series)?;
    let (first, last) = (dates[0], dates[dates.len() - 1]);
    if from < first || from > last {
        return Err(error(
            "from",
            format!(
                "{from} is outside the series, which runs {first} … {last}; allowed: {}",
                allowed_starts(first, last, years)
            ),
        ));
    }
    let start = dates.partition_point(|&d| d < from);
    if start == dates.len() - 1 {
        return Err(error(
            "from",
            format!(
                "a window from {from} would start on the series' last day, {last}, and \
                 have no step; allowed: {}",
                allowed_starts(first, last, years)
            ),
        ));
    }
    window_at(series, start, years)
}

/// The starts a `from` may take in a series running `first … last`: those
/// whose window of `years` fits, or the whole series when `years` is not a
/// valid `t` (its own error says so).
fn allowed_starts(first: Date, last: Date, years: f64) -> String {
    if years.is_finite() && years > 0.0 {
        let latest = start_ending(last, years).max(first);
        format!(
            "for t = {} years, from {first} to {latest}",
            shown_number(years)
        )
    } else {
        format!("{first} … {last}")
    }
}

/// The window starting at trading day `start` and lasting at most `years`: the
/// one function behind [`window`] and [`roll`].
fn window_at(series: &PriceSeries, start: usize, years: f64) -> Result<Window, FieldError> {
    let dates = dates_of(series)?;
    if !(years.is_finite() && years > 0.0) {
        return Err(error(
            "t",
            format!("{} years: t must be positive", shown_number(years)),
        ));
    }
    let first_date = dates[start];
    let last = dates[dates.len() - 1];
    let limit = i64::from(first_date.0) + days_in(years);
    if limit > i64::from(last.0) {
        let longest = years_between(first_date, last);
        return Err(error(
            "t",
            format!(
                "{} years from {first_date} runs past the series' last date {last}; \
                 from {first_date}, t can be at most {longest:.4} years",
                shown_number(years)
            ),
        ));
    }
    let end = dates.partition_point(|&d| i64::from(d.0) <= limit) - 1;
    if end <= start {
        return Err(error(
            "t",
            format!(
                "{} years from {first_date} ends before the next trading day {}; \
                 t must cover at least one step",
                shown_number(years),
                dates[start + 1]
            ),
        ));
    }
    Ok(Window {
        start,
        end,
        first_date,
        last_date: dates[end],
    })
}

/// Rolling windows: one starting every `every` trading days from the first
/// trading day on or after `from` while the start is on or before `until`, each
/// lasting at most `years` (each is [`window`] of its own start date).
pub fn roll(
    series: &PriceSeries,
    from: Date,
    until: Date,
    years: f64,
    every: usize,
) -> Result<Vec<Window>, FieldError> {
    if every == 0 {
        return Err(error(
            "roll",
            "0 trading days between windows: roll must be at least 1".to_string(),
        ));
    }
    let first = window(series, from, years)?;
    let dates = dates_of(series)?;
    let last = dates[dates.len() - 1];
    // The latest start whose window fits (t is valid: the first window fitted).
    let latest = latest_start(series, years).unwrap_or(last);
    if until < first.first_date || until > latest {
        return Err(error(
            "until",
            format!(
                "{until} is outside the starts allowed for {}-year windows from {from}: \
                 {} … {latest} (the series ends {last})",
                shown_number(years),
                first.first_date
            ),
        ));
    }
    let mut windows = Vec::new();
    let mut start = first.start;
    while start < dates.len() && dates[start] <= until {
        windows.push(window_at(series, start, years)?);
        start += every;
    }
    Ok(windows)
}

impl Window {
    /// The number of prices (`steps + 1`).
    pub fn points(&self) -> usize {
        self.end - self.start + 1
    }

    /// The number of steps.
    pub fn steps(&self) -> usize {
        self.end - self.start
    }

    /// The window's length in years: its calendar days / 365 (at most the `t`
    /// asked for; less when `t` ends on a weekend or holiday).
    pub fn horizon(&self) -> f64 {
        years_between(self.first_date, self.last_date)
    }

    /// The window's dates in `series` (none if the series has no dates or is
    /// not the one the window was cut from).
    fn dates<'a>(&self, series: &'a PriceSeries) -> &'a [Date] {
        let dates = series.dates.as_deref().unwrap_or_default();
        dates.get(self.start..=self.end).unwrap_or_default()
    }

    /// The time of each point in years from the first: `t_i = days_i/365`.
    pub fn times(&self, series: &PriceSeries) -> Vec<f64> {
        self.dates(series)
            .iter()
            .map(|&d| years_between(self.first_date, d))
            .collect()
    }

    /// The length of each step in years: `(date_{i+1} − date_i)/365`.
    pub fn step_years(&self, series: &PriceSeries) -> Vec<f64> {
        self.dates(series)
            .windows(2)
            .map(|pair| years_between(pair[0], pair[1]))
            .collect()
    }

    /// The window's closes scaled so that the first is `spot`
    /// ([`PriceSeries::scaled_path`]).
    pub fn path(&self, series: &PriceSeries, spot: f64) -> PathBuffer {
        series.scaled_path(self.start, self.end, spot)
    }

    /// The whole of a dated series as one window (the reader's own dated
    /// prices), or `None` without dates or with fewer than two prices.
    pub fn whole(series: &PriceSeries) -> Option<Window> {
        let dates = series.dates.as_deref().filter(|d| d.len() >= 2)?;
        Some(Window {
            start: 0,
            end: dates.len() - 1,
            first_date: dates[0],
            last_date: dates[dates.len() - 1],
        })
    }

    /// The realised vol of the [`VOL_LOOKBACK`] daily log returns ending at the
    /// window's first close, per year of the calendar clock; an error naming
    /// `from` when the series has fewer days before the window.
    pub fn realised_vol_before(&self, series: &PriceSeries) -> Result<f64, FieldError> {
        let dates = dates_of(series)?;
        if self.start < VOL_LOOKBACK {
            return Err(error(
                "from",
                format!(
                    "{} leaves {} trading days before the window; the default hedging vol \
                     needs {VOL_LOOKBACK}: from must be on or after {} (or set the hedging vol)",
                    self.first_date,
                    self.start,
                    dates[VOL_LOOKBACK.min(dates.len() - 1)]
                ),
            ));
        }
        let begin = self.start - VOL_LOOKBACK;
        // Dates strictly increase, so the lookback spans at least 63 days.
        realised_vol(
            &series.units[begin..=self.start],
            &dates[begin..=self.start],
        )
        .ok_or_else(|| error("from", format!("{}: no vol before it", self.first_date)))
    }
}

/// The realised vol of consecutive prices (units or prices: only ratios count)
/// on their dates: `√(Σ r² / Σ Δt)`, `r` the log returns, `Δt` in years of the
/// calendar clock; `None` for fewer than two prices, mismatched lengths or no
/// time between the first and last date.
pub fn realised_vol(units: &[u64], dates: &[Date]) -> Option<f64> {
    if units.len() < 2 || units.len() != dates.len() || units.contains(&0) {
        return None;
    }
    realised_vol_over(units, years_between(dates[0], dates[dates.len() - 1]))
}

/// The realised vol of consecutive prices spanning `years`: `√(Σ r² / years)`;
/// `None` when they span no time.
pub fn realised_vol_over(units: &[u64], years: f64) -> Option<f64> {
    let squares: f64 = log_returns(units).map(|r| r * r).sum();
    (years > 0.0).then(|| libm::sqrt(squares / years))
}

/// The latest start of a `years`-long window that fits in `series` (`None`
/// without dates): the last date less the window's whole calendar days.
pub fn latest_start(series: &PriceSeries, years: f64) -> Option<Date> {
    let last = *series.dates.as_deref()?.last()?;
    Some(start_ending(last, years))
}

/// The start of a `years`-long window ending on `last`: `last` less the
/// window's whole calendar days (one rule for [`latest_start`] and the starts
/// an error message allows), saturating for a `years` no calendar holds.
fn start_ending(last: Date, years: f64) -> Date {
    let days = i64::from(last.0).saturating_sub(days_in(years));
    Date(days.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
}
