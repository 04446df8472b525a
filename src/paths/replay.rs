//! Recorded prices as paths: a back-test replays real closes where the other
//! models simulate.
//!
//! A [`Replay`] holds a price series (a bundled one or the reader's) and the
//! windows cut from it; window `i` is path `i` of a run. Each window's path is
//! its closes scaled so that the first equals the scenario's spot
//! ([`crate::history::series::PriceSeries::scaled_path`]), so strikes and bands
//! keep their meaning, and each window has its own clock: the real dates'
//! calendar days / 365 ([`crate::history::window`] says why), or, for prices
//! without dates, equal steps over `t`. The option of window `i` expires at its
//! last close, and the hedger's vol is the window's own (the realised vol of the
//! 63 trading days before it, unless `hvol` is given).
//!
//! Unlike a simulated model, windows differ in length and clock, so the engine
//! prepares a hedger per window ([`crate::engine::montecarlo`]).
//!
//! **Tested by** `tests/backtest.rs`: Hull's weekly hedging table replayed from
//! its printed prices, a window of a roll against the same window alone, step
//! lengths over weekends, each window of a roll with its own dates, length and
//! realised variance, the link's keys and their errors;
//! `tests/link_numbers.rs`: a roll's link keeps its numbers bit for bit.

use std::sync::Arc;

use crate::history::date::Date;
use crate::history::series::PriceSeries;
use crate::history::window::{realised_vol_over, years_between, Window};
use crate::paths::{PathBuffer, TimeGrid};

/// Windows of one recorded series, each a path.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    series: Arc<PriceSeries>,
    windows: Vec<Span>,
    /// Prices without dates: the one window's points spread evenly over this
    /// many years. `None` for dated series (the calendar clock).
    even_horizon: Option<f64>,
    /// The hedger's vol on every window, or `None` for each window's own
    /// realised vol before it (computed when a window is run, not for every
    /// window of a roll whenever a link is read).
    hedging_vol: Option<f64>,
    spot: f64,
}

/// One window: indices into the series.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Span {
    start: usize,
    end: usize,
}

impl Replay {
    /// Windows of a dated series scaled to `spot`, hedged at `hedging_vol`
    /// or, when it is `None`, at each window's
    /// [`Window::realised_vol_before`] (which the caller has checked exists
    /// for the earliest window, and so for all).
    pub fn dated(
        series: Arc<PriceSeries>,
        windows: &[Window],
        hedging_vol: Option<f64>,
        spot: f64,
    ) -> Replay {
        Replay {
            series,
            windows: windows
                .iter()
                .map(|w| Span {
                    start: w.start,
                    end: w.end,
                })
                .collect(),
            even_horizon: None,
            hedging_vol,
            spot,
        }
    }

    /// The whole of a series as one window, its points spread evenly over
    /// `horizon` years when it has no dates.
    pub fn whole(series: Arc<PriceSeries>, horizon: f64, hedging_vol: f64, spot: f64) -> Replay {
        let dated = series.dates.is_some();
        let end = series.len().saturating_sub(1);
        Replay {
            series,
            windows: vec![Span { start: 0, end }],
            even_horizon: (!dated).then_some(horizon),
            hedging_vol: Some(hedging_vol),
            spot,
        }
    }

    /// The series the windows are cut from.
    pub fn series(&self) -> &PriceSeries {
        &self.series
    }

    /// Each window's first and last date (none for prices without dates).
    pub fn window_dates(&self) -> Vec<(Date, Date)> {
        (0..self.windows.len() as u64)
            .filter_map(|i| {
                let dates = self.dates(i)?;
                Some((*dates.first()?, *dates.last()?))
            })
            .collect()
    }

    /// The number of windows (paths).
    pub fn windows(&self) -> usize {
        self.windows.len()
    }

    /// The spot every window starts from.
    pub fn spot(&self) -> f64 {
        self.spot
    }

    /// The window of path `index` (the last window for an index past the end,
    /// so that a lookup never fails).
    fn span(&self, index: u64) -> Span {
        let last = self.windows.len().saturating_sub(1);
        self.windows[usize::try_from(index).unwrap_or(last).min(last)]
    }

    /// The dates of window `index`, `None` for prices without dates.
    pub fn dates(&self, index: u64) -> Option<&[Date]> {
        let span = self.span(index);
        self.series
            .dates
            .as_deref()
            .and_then(|dates| dates.get(span.start..=span.end))
    }

    /// The clock of window `index`: calendar days / 365 from its first date, or
    /// equal steps over the horizon for prices without dates.
    pub fn grid(&self, index: u64) -> TimeGrid {
        let span = self.span(index);
        match (self.even_horizon, self.dates(index)) {
            (None, Some(dates)) => {
                TimeGrid::dated(dates.iter().map(|&d| years_between(dates[0], d)).collect())
            }
            (horizon, _) => TimeGrid::even(horizon.unwrap_or(0.0), span.end - span.start),
        }
    }

    /// The hedger's vol over window `index`: the one given, or the realised
    /// vol of the 63 trading days before the window. (0 where that lookback is
    /// missing, which [`Replay::dated`]'s caller has ruled out.)
    pub fn hedging_vol(&self, index: u64) -> f64 {
        if let Some(vol) = self.hedging_vol {
            return vol;
        }
        let span = self.span(index);
        let (Some(&first_date), Some(&last_date)) = (
            self.dates(index).and_then(<[Date]>::first),
            self.dates(index).and_then(<[Date]>::last),
        ) else {
            return 0.0;
        };
        let window = Window {
            start: span.start,
            end: span.end,
            first_date,
            last_date,
        };
        window.realised_vol_before(&self.series).unwrap_or(0.0)
    }

    /// Window `index`'s closes scaled to the spot, into `out` (resized to the
    /// window).
    pub fn fill(&self, index: u64, out: &mut PathBuffer) {
        let span = self.span(index);
        *out = self.series.scaled_path(span.start, span.end, self.spot);
    }

    /// The realised variance over window `index` per year of its clock (the
    /// variance column of its ledger: a replay has no model variance).
    pub fn realised_variance(&self, index: u64) -> f64 {
        let span = self.span(index);
        let units = &self.series.units[span.start..=span.end];
        let vol = realised_vol_over(units, self.grid(index).horizon).unwrap_or(0.0);
        vol * vol
    }
}
