//! What a scenario's history keys ask for: the windows of a back-test or the
//! source of a bootstrap, made from `hist`, `px`, `from`, `until`, `roll`,
//! `block`, `t`, `s`, `hvol`, `mu`, `q` and `seed`.
//!
//! One function, [`paths_of`], used twice: by the link's rules (an error names
//! the key at fault, and the link is refused before anything runs) and by the
//! plan (which builds the paths). The choices it makes:
//!
//! - **`hist` (replay).** One window from `from` lasting `t`, or with `roll=n`
//!   one every `n` trading days from `from` to `until`. `from` unset is the first
//!   day with 63 trading days before it (the default hedging vol's lookback);
//!   `until` unset is the latest start whose window fits in the series. Each
//!   window's hedging vol is `hvol`, or the realised vol of the 63 trading days
//!   before it — what a hedger could have known then.
//! - **`px` (the reader's prices).** The whole series is one window: on its
//!   dates' calendar clock, or spread evenly over `t` without dates. With
//!   nothing before it, the default hedging vol is the series' own realised vol
//!   (hindsight: a hedger who guessed the vol right).
//! - **`model=bootstrap`.** Daily returns of `hist` between `from` and `until`
//!   (unset: the whole series), shifted so that the expected log return is
//!   `(μ − q − σ²/2)·t` with σ² their variance per year; one step per trading day
//!   (`t` × the source's trading days a year, so `steps` does not apply); the
//!   default hedging vol is σ.
//!
//! **Tested by** `tests/backtest.rs`.

use std::sync::Arc;

use crate::history::bootstrap::{
    sample_variance, shift_to_log_drift, DailyReturns, StationaryBootstrap,
};
use crate::history::date::Date;
use crate::history::series::PriceSeries;
use crate::history::window::{
    error, latest_start, realised_vol, realised_vol_over, roll, window, years_between, FieldError,
    Window, VOL_LOOKBACK,
};
use crate::paths::replay::Replay;
use crate::paths::TimeGrid;
use crate::scenario::{PathModelKind, Scenario};

/// The paths a scenario's history keys make.
#[derive(Clone, Debug, PartialEq)]
pub enum HistoryPaths {
    /// Recorded windows replayed, one per path.
    Replay(Replay),
    /// Paths resampled from recorded returns, and the hedging vol they imply.
    Bootstrap(StationaryBootstrap, f64),
}

impl HistoryPaths {
    /// The hedger's vol on path `index` (each window's own in a replay).
    pub fn hedging_vol(&self, index: u64) -> f64 {
        match self {
            HistoryPaths::Replay(replay) => replay.hedging_vol(index),
            HistoryPaths::Bootstrap(_, vol) => *vol,
        }
    }
}

/// The history paths of `scenario`, `None` when it simulates (no `hist`, no
/// `px`), or an error naming the key at fault.
pub fn paths_of(scenario: &Scenario) -> Result<Option<HistoryPaths>, FieldError> {
    let bundled = scenario.series.bundled();
    if bundled.is_some() && !scenario.prices.is_empty() {
        return Err(error(
            "px",
            "cannot be given with hist: replay either a bundled series (hist) or your own prices (px)"
                .to_string(),
        ));
    }
    match (scenario.model, bundled) {
        (PathModelKind::Bootstrap, None) => Err(error(
            "model",
            "bootstrap resamples a bundled series: give hist=sp500 or hist=djia".to_string(),
        )),
        (PathModelKind::Bootstrap, Some(b)) => bootstrap(scenario, &b.shared()).map(Some),
        (PathModelKind::Heston, Some(_)) => Err(error(
            "model",
            "heston simulates; hist replays recorded prices: use model=gbm (the default) to replay, or model=bootstrap to resample"
                .to_string(),
        )),
        (PathModelKind::Heston, None) if !scenario.prices.is_empty() => Err(error(
            "model",
            "heston simulates; px replays your prices: use model=gbm (the default) with px".to_string(),
        )),
        (_, Some(b)) => replay(scenario, b.shared()).map(Some),
        (_, None) => match scenario.prices.series() {
            Some(series) => own_prices(scenario, series.clone()).map(Some),
            None if scenario.roll > 0 => Err(error(
                "roll",
                "rolls windows of a bundled series: give hist=sp500 or hist=djia".to_string(),
            )),
            None => Ok(None),
        },
    }
}

/// The first date of `series` with the hedging vol's lookback before it.
fn first_allowed(series: &PriceSeries) -> Option<Date> {
    let dates = series.dates.as_deref()?;
    dates
        .get(VOL_LOOKBACK.min(dates.len().saturating_sub(1)))
        .copied()
}

fn replay(scenario: &Scenario, series: Arc<PriceSeries>) -> Result<HistoryPaths, FieldError> {
    let Some(from) = scenario.from.or_else(|| first_allowed(&series)) else {
        return Err(error("hist", "the series has no dates".to_string()));
    };
    let windows: Vec<Window> = if scenario.roll == 0 {
        vec![window(&series, from, scenario.expiry)?]
    } else {
        let until = scenario
            .until
            .or_else(|| latest_start(&series, scenario.expiry))
            .unwrap_or(from);
        roll(
            &series,
            from,
            until,
            scenario.expiry,
            scenario.roll as usize,
        )?
    };
    // A roll has at most a window a trading day, and the bundled series have
    // fewer days than a run may have paths (tests/backtest.rs checks), so
    // no roll needs a limit of its own besides the work cap.
    if let (None, Some(first)) = (scenario.hedge_vol, windows.first()) {
        // Each window's default hedging vol needs 63 trading days before it:
        // windows start later and later, so if the first has them, all do.
        // (The vols themselves are computed as windows are run.)
        first.realised_vol_before(&series)?;
    }
    Ok(HistoryPaths::Replay(Replay::dated(
        series,
        &windows,
        scenario.hedge_vol,
        scenario.spot,
    )))
}

fn own_prices(scenario: &Scenario, series: Arc<PriceSeries>) -> Result<HistoryPaths, FieldError> {
    let no_time = || error("px", "the prices' dates span no time".to_string());
    if let Some(dates) = &series.dates {
        if years_between(dates[0], dates[dates.len() - 1]) <= 0.0 {
            return Err(no_time());
        }
    }
    let vol = match scenario.hedge_vol {
        Some(vol) => vol,
        None => match &series.dates {
            Some(dates) => realised_vol(&series.units, dates),
            None => realised_vol_over(&series.units, scenario.expiry),
        }
        .ok_or_else(no_time)?,
    };
    Ok(HistoryPaths::Replay(Replay::whole(
        series,
        scenario.expiry,
        vol,
        scenario.spot,
    )))
}

fn bootstrap(scenario: &Scenario, series: &PriceSeries) -> Result<HistoryPaths, FieldError> {
    let dates = series.dates.as_deref().unwrap_or_default();
    let (Some(&first), Some(&last)) = (dates.first(), dates.last()) else {
        return Err(error("hist", "the series has no dates".to_string()));
    };
    let source = DailyReturns::between(
        series,
        scenario.from.unwrap_or(first),
        scenario.until.unwrap_or(last),
    )?;
    let variance = sample_variance(&source.log_returns) * source.per_year();
    let steps = libm::round(scenario.expiry * source.per_year()).max(1.0) as usize;
    let grid = TimeGrid::even(scenario.expiry, steps);
    let log_drift = scenario.drift - scenario.dividend - 0.5 * variance;
    let shifted = shift_to_log_drift(&source.log_returns, log_drift, grid.dt());
    let paths =
        StationaryBootstrap::new(shifted, scenario.block, scenario.spot, grid, scenario.seed)?;
    Ok(HistoryPaths::Bootstrap(
        paths,
        scenario.hedge_vol.unwrap_or(libm::sqrt(variance)),
    ))
}
