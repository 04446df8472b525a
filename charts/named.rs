//! Charts by name, from a plan: what `hedge-explorer render --chart NAME` draws.
//! Each chart's data is computed here with the core (a Monte Carlo run, one
//! path's ledger, the frontier sweep, the smile) and drawn by the chart
//! functions of this module's siblings, on whatever backend the caller holds:
//! the CLI's SVG or PNG file, a test's counting backend.
//!
//! **Tested by** `cli/src/render.rs`'s unit tests (every chart rasterised with
//! text) and `tests/extremes.rs` (every chart of thousands of extreme
//! scenarios draws without an error or a panic).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartResult, Theme};
use crate::engine::montecarlo::Engine;
use crate::plan::Plan;
use crate::results::analysis::{self, ScenarioSummary};
use crate::results::smile;

/// Chart names and what each shows (`hedge-explorer charts` prints them).
pub const CHARTS: &[(&str, &str)] = &[
    (
        "histogram",
        "P&L distribution over all paths: mean, VaR95, ES95, Derman-Kamal normal",
    ),
    (
        "spot",
        "one path's spot over time with its buys, sells and the book's strikes (--index)",
    ),
    (
        "hedge",
        "one path's delta-neutral target vs shares held, and hedge options held (--index)",
    ),
    (
        "greeks",
        "one path's hedged position: delta, gamma and vega after each date's trades (--index)",
    ),
    (
        "pnl",
        "one path's cumulative P&L and its attribution: gamma, theta, delta, costs (--index)",
    ),
    (
        "smile",
        "the price model's implied-vol smile at t = 0 (flat under GBM; Heston's slopes and curves)",
    ),
    (
        "frontier",
        "mean costs vs SD of P&L as the rule's parameter is swept",
    ),
    (
        "insured",
        "an insured portfolio's value against its floor, and its exposure, along one path (insure=…, --index)",
    ),
    (
        "outcomes",
        "the comparison as distributions on the same paths: an insured portfolio's four protections with the floor (insure=…), or the Black–Scholes, Heston and minimum-variance deltas (model=heston)",
    ),
    (
        "timeline",
        "the replayed series over its whole history with the windows on it (hist=…, --index highlights one)",
    ),
    (
        "compare",
        "no hedge vs static vs the rule (and delta only, with hedge options) on the same paths: p5-p95, mean ± SD",
    ),
];

/// Whether chart `chart` applies to `plan`: `Err` says why not (an unknown
/// name, or a chart of an insured portfolio, of the Heston deltas or of
/// recorded prices asked of a scenario without them).
pub fn check_named(plan: &Plan, chart: &str) -> Result<(), String> {
    if !CHARTS.iter().any(|(name, _)| *name == chart) {
        let names: Vec<&str> = CHARTS.iter().map(|(name, _)| *name).collect();
        return Err(format!(
            "unknown chart {chart:?}; the charts are: {}",
            names.join(", ")
        ));
    }
    if chart == "insured" && plan.insurance.is_none() {
        return Err(
            "the insured chart needs a portfolio to insure: add insure=put, synthetic or cppi to the query".to_string(),
        );
    }
    if chart == "outcomes" && plan.outcome_rows().is_none() {
        return Err(
            "the outcomes chart needs a portfolio to insure (insure=put, synthetic or cppi) or Heston paths (model=heston)".to_string(),
        );
    }
    let dated = plan
        .path_model
        .replay()
        .is_some_and(|r| r.series().dates.is_some());
    if chart == "timeline" && !dated {
        return Err(
            "the timeline needs dated recorded prices: add hist=sp500 or hist=djia (or px with dates) to the query".to_string(),
        );
    }
    Ok(())
}

/// Compute chart `chart`'s data for `plan` (path `index` for the per-path
/// charts) and draw it on `area` in `theme`. The caller fills the background
/// and presents the area; a chart [`check_named`] refuses draws nothing.
pub fn draw_named<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plan: &Plan,
    chart: &str,
    index: u64,
    theme: &Theme,
) -> ChartResult<DB> {
    let rows = || Engine::for_plan(plan).ledger(0, index).1;
    match chart {
        "histogram" => {
            let summary = ScenarioSummary::run(plan);
            match plan.floor_outcome() {
                Some(floor) => super::draw_insured_histogram(area, &summary.run, floor, theme),
                None => super::draw_histogram(area, &summary.run, summary.derman_kamal_sd, theme),
            }
        }
        // The spot chart marks the book's strikes.
        "spot" => super::draw_spot_path(area, &rows(), &plan.strikes(), theme),
        "hedge" => super::draw_hedge(area, &rows(), theme),
        "greeks" => super::draw_position_greeks(area, &rows(), theme),
        "pnl" => super::draw_pnl_attribution(area, &rows(), theme),
        "frontier" => super::draw_frontier(area, &analysis::frontier(plan), theme),
        "smile" => super::draw_smile(
            area,
            &smile::smile(plan),
            plan.path_model.spot(),
            plan.model.vol,
            theme,
        ),
        "compare" => super::draw_comparison(area, &analysis::compare(plan), theme),
        "outcomes" => {
            let rows = plan.outcome_rows().unwrap_or_default();
            super::draw_outcome_histograms(area, &analysis::compare(plan).with_rows(&rows), theme)
        }
        "insured" => {
            let rows = Engine::for_plan(plan).insurance_ledger(0, index);
            let quantity = plan.insurance.map_or(0.0, |terms| terms.quantity);
            let unprotected: Vec<f64> = rows.iter().map(|r| quantity * r.spot).collect();
            super::draw_insured_path(area, &rows, &unprotected, theme)
        }
        "timeline" => match plan.path_model.replay() {
            Some(replay) => {
                let series = replay.series();
                super::draw_timeline(
                    area,
                    series.dates.as_deref().unwrap_or_default(),
                    &series.prices(),
                    &replay.window_dates(),
                    usize::try_from(index).ok(),
                    theme,
                )
            }
            None => Ok(()),
        },
        _ => Ok(()),
    }
}
