//! Results a user reads: the summary of a scenario, the comparison of no hedge vs
//! static vs the chosen rule on the same paths, the cost-vs-risk frontier, and the
//! closed-form benchmarks the simulation is read against.
//!
//! - **Performance** (Hull): SD of the PV P&L ÷ the position's Black–Scholes premium.
//! - **Derman–Kamal** (1999): with `N` equally spaced rehedges with shares, no costs and
//!   realised = hedging vol, `SD(P&L) ≈ √(π/4) · |vega| · σ / √N` (vega of the
//!   position per 1.00 of vol).
//! - **Leland** (1985): with proportional cost `c` per trade (round trip `k = 2c`)
//!   and rehedge interval `Δt`, a hedger should price with
//!   `σ̂² = σ²(1 ± √(2/π) · k / (σ√Δt))`, plus for a short position, minus for long.
//!
//! **Tested by** `tests/hedge.rs` (the simulated SD against Derman–Kamal and Hull's
//! table), `tests/report.rs` (Derman–Kamal, Leland and the Greeks against formulas
//! and finite differences written in the test), `tests/montecarlo.rs` (frontier
//! and comparison orderings) and `tests/run_plan.rs` (the same results from
//! chunks of the run's parts).

use crate::engine::montecarlo::{Engine, RunSummary};
use crate::hedging::greeks::GreekTargets;
use crate::hedging::hedger::PathOutcome;
use crate::hedging::rules::RebalanceRule;
use crate::insurance::{summarize, InsuranceOutcome, InsuranceSummary};
use crate::plan::runs::Part;
use crate::plan::Plan;
use crate::pricing::black_scholes::Greeks;

/// Paths per chunk when the native tools run a whole scenario.
pub const DEFAULT_CHUNK: u64 = 256;

/// The Monte Carlo summary of a scenario under its own rule. Serialized as the
/// `summary` JSON, whose shape [`crate::results::report`] gives.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioSummary {
    /// Canonical link of the scenario.
    pub scenario: String,
    /// Black–Scholes value of the whole position at t = 0 (positive).
    pub premium: f64,
    /// Value and Greeks of the position at t = 0 (signed: a short book has negative
    /// value and delta for calls).
    pub greeks: Greeks,
    /// Number of paths.
    pub paths: u64,
    /// Statistics of the outcomes.
    pub run: RunSummary,
    /// SD of P&L ÷ premium (Hull's hedge performance).
    pub performance: f64,
    /// Derman–Kamal SD for `rule=every` without jumps, else `None`.
    pub derman_kamal_sd: Option<f64>,
    /// Leland's cost-adjusted vol for `rule=every` with proportional costs.
    pub leland_vol: Option<f64>,
    /// Whether the hedge trades options (then the summary reports their trades
    /// and costs).
    pub hedges_options: bool,
    /// For an insured portfolio: the floor, how often and by how much it was
    /// breached, and the upside kept against the unprotected portfolio.
    pub insurance: Option<InsuranceSummary>,
}

/// Hedge performance: `sd / premium`, or 0 for a worthless position.
pub fn performance(sd: f64, premium: f64) -> f64 {
    if premium > 0.0 {
        sd / premium
    } else {
        0.0
    }
}

/// Derman–Kamal: `√(π/4)·|vega|·σ/√N`.
pub fn derman_kamal_sd(position_vega: f64, vol: f64, rehedges: f64) -> f64 {
    libm::sqrt(core::f64::consts::FRAC_PI_4) * position_vega.abs() * vol / libm::sqrt(rehedges)
}

/// Leland's cost-adjusted vol: `σ·√(1 ± √(2/π)·k/(σ√Δt))` (`short` takes +).
/// Returns 0 when the adjusted variance would be negative (the long hedger's
/// costs exceed the whole option's vol).
pub fn leland_vol(vol: f64, round_trip_cost: f64, interval: f64, short: bool) -> f64 {
    if vol <= 0.0 || interval <= 0.0 {
        return vol;
    }
    let leland_number =
        libm::sqrt(2.0 / core::f64::consts::PI) * round_trip_cost / (vol * libm::sqrt(interval));
    let factor = if short {
        1.0 + leland_number
    } else {
        1.0 - leland_number
    };
    vol * libm::sqrt(factor.max(0.0))
}

impl ScenarioSummary {
    /// Run the plan's own rule on its paths and summarise it.
    pub fn run(plan: &Plan) -> ScenarioSummary {
        let engine = Part::Rule.engine(plan);
        let outcomes = engine.run(plan.paths, DEFAULT_CHUNK);
        let own = &outcomes.by_hedger[0];
        ScenarioSummary::from_outcomes(plan, own, outcomes.by_hedger.get(1).map(Vec::as_slice))
    }

    /// Summarise outcomes already computed (the page computes runs in
    /// parallel chunks): the plan's own strategy's, and for an insured
    /// portfolio the unprotected one's on the same paths.
    pub fn from_outcomes(
        plan: &Plan,
        own: &[PathOutcome],
        unprotected: Option<&[PathOutcome]>,
    ) -> ScenarioSummary {
        let mut summary = ScenarioSummary::from_run(plan, RunSummary::of(own));
        summary.insurance = plan
            .insurance
            .zip(unprotected)
            .and_then(|(terms, unprotected)| {
                let start = terms.quantity * plan.path_model.spot();
                // An insured run's P&L is its terminal value less V₀ (engine::runner).
                let terminal = |outcomes: &[PathOutcome]| -> Vec<InsuranceOutcome> {
                    outcomes
                        .iter()
                        .map(|o| InsuranceOutcome {
                            terminal: o.pnl + start,
                            trades: o.trades,
                            option_trades: o.option_trades,
                            costs: o.costs,
                            option_costs: o.option_costs,
                        })
                        .collect()
                };
                summarize(terms.floor * start, &terminal(own), &terminal(unprotected))
            });
        summary
    }

    /// Wrap an already computed run of the plan's own strategy (without the
    /// insurance figures, which need the outcomes: [`Self::from_outcomes`]).
    pub fn from_run(plan: &Plan, run: RunSummary) -> ScenarioSummary {
        let greeks = plan.opening;
        let premium = plan.premium();
        let steps = plan.grid.steps as f64;
        // The closed forms hold for hedging with shares on a fixed schedule only.
        let every = match plan.rule {
            RebalanceRule::Every { interval }
                if plan.greeks == GreekTargets::Delta && plan.insurance.is_none() =>
            {
                Some(interval.min(plan.grid.steps) as f64)
            }
            _ => None,
        };
        let rehedges = |interval: f64| (steps / interval).max(1.0);
        // Derman–Kamal assumes one constant realised vol (GBM without jumps).
        let derman_kamal = every
            .zip(plan.path_model.constant_vol())
            .map(|(interval, vol)| derman_kamal_sd(greeks.vega, vol, rehedges(interval)));
        let leland = every
            .filter(|_| plan.costs.proportional > 0.0)
            .map(|interval| {
                leland_vol(
                    plan.model.vol,
                    2.0 * plan.costs.proportional,
                    plan.grid.horizon / rehedges(interval),
                    plan.is_short(),
                )
            });
        ScenarioSummary {
            scenario: plan.query.clone(),
            premium,
            greeks,
            paths: plan.paths,
            performance: performance(run.pnl.sd, premium),
            run,
            derman_kamal_sd: derman_kamal,
            leland_vol: leland,
            hedges_options: plan.greeks != GreekTargets::Delta || plan.insurance.is_some(),
            insurance: None,
        }
    }
}

/// The three ways to run an option book, on the same paths. Serialized as the
/// `compare` JSON, whose shape [`crate::results::report`] gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Canonical link.
    pub scenario: String,
    /// Premium of the position.
    pub premium: f64,
    /// `(name, summary)` for each of [`Plan::comparison`]'s strategies, in that
    /// order: `none`, `static`, (delta only,) the scenario's own.
    pub rows: Vec<(String, RunSummary)>,
    /// Whether the scenario's hedge trades options (then each row reports its
    /// option trades and costs).
    pub hedges_options: bool,
    /// For an insured portfolio, the floor as an outcome: `F − V₀`, in money at
    /// the horizon (the rows' P&L is the value less `V₀` there).
    pub floor: Option<f64>,
}

/// Run no hedge, static and the plan's rule on the same paths.
pub fn compare(plan: &Plan) -> Comparison {
    let engine = Engine::for_strategies(plan, &plan.comparison());
    let outcomes = engine.run(plan.paths, DEFAULT_CHUNK);
    Comparison::from_outcomes(plan, &outcomes.by_hedger)
}

impl Comparison {
    /// The same comparison with only the rows `rows` (indices, in the order
    /// given): what a chart of distributions draws ([`Plan::outcome_rows`]).
    pub fn with_rows(&self, rows: &[usize]) -> Comparison {
        Comparison {
            rows: rows
                .iter()
                .filter_map(|&i| self.rows.get(i).cloned())
                .collect(),
            ..self.clone()
        }
    }

    /// Build the comparison from outcomes of [`Plan::comparison`] (in that
    /// order), computed on the same paths — possibly in chunks elsewhere.
    pub fn from_outcomes(plan: &Plan, outcomes: &[Vec<PathOutcome>]) -> Comparison {
        let names = plan.comparison_names();
        Comparison {
            scenario: plan.query.clone(),
            premium: plan.premium(),
            rows: names
                .into_iter()
                .zip(outcomes.iter().map(|o| RunSummary::of(o)))
                .collect(),
            hedges_options: plan.greeks != GreekTargets::Delta || plan.insurance.is_some(),
            floor: plan.floor_outcome(),
        }
    }
}

/// One point of the cost-vs-risk frontier (its fields are the members of the
/// `frontier` JSON's points and the frontier CSV's columns).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct FrontierPoint {
    /// The swept parameter's value (band, interval or risk aversion).
    pub value: f64,
    /// Mean PV of costs per path.
    pub mean_costs: f64,
    /// SD of the PV P&L.
    pub sd_pnl: f64,
    /// Mean PV P&L.
    pub mean_pnl: f64,
    /// Mean trades per path.
    pub mean_trades: f64,
}

/// The chosen rule swept over a range of its parameter, on the same paths.
/// Serialized as the `frontier` JSON: its fields in this order.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Frontier {
    /// Canonical link.
    pub scenario: String,
    /// Which link key is swept: `band`, `every` or `aversion`.
    pub parameter: &'static str,
    /// Index of the point equal to the scenario's own setting (`None` for
    /// `rule=none`, which is not on the sweep).
    pub current: Option<usize>,
    /// Points in increasing order of the parameter.
    pub points: Vec<FrontierPoint>,
}

/// Sweep the plan's rule over its parameter on the same paths.
pub fn frontier(plan: &Plan) -> Frontier {
    let engine = Engine::new(plan, &plan.sweep.rules);
    let outcomes = engine.run(plan.paths, DEFAULT_CHUNK);
    Frontier::from_outcomes(plan, &outcomes.by_hedger)
}

impl Frontier {
    /// Build the frontier from outcomes of the plan's [`crate::plan::Sweep`]
    /// rules (in that order), computed on the same paths — possibly in chunks
    /// elsewhere.
    pub fn from_outcomes(plan: &Plan, outcomes: &[Vec<PathOutcome>]) -> Frontier {
        let points: Vec<FrontierPoint> = plan
            .sweep
            .values
            .iter()
            .zip(outcomes)
            .map(|(&value, o)| {
                let run = RunSummary::of(o);
                FrontierPoint {
                    value,
                    mean_costs: run.mean_costs,
                    sd_pnl: run.pnl.sd,
                    mean_pnl: run.pnl.mean,
                    mean_trades: run.mean_trades,
                }
            })
            .collect();
        Frontier {
            scenario: plan.query.clone(),
            parameter: plan.sweep.parameter,
            current: plan.sweep.current,
            points,
        }
    }
}
