//! Results a user reads: the summary of a scenario, the comparison of no hedge vs
//! static vs the chosen rule on the same paths, the cost-vs-risk frontier, and the
//! closed-form benchmarks the simulation is read against.
//!
//! - **Performance** (Hull): SD of the PV P&L ÷ the position's Black–Scholes premium.
//! - **Derman–Kamal** (1999): with `N` equally spaced rehedges, no costs and
//!   realised = hedging vol, `SD(P&L) ≈ √(π/4) · |vega| · σ / √N` (vega of the
//!   position per 1.00 of vol).
//! - **Leland** (1985): with proportional cost `c` per trade (round trip `k = 2c`)
//!   and rehedge interval `Δt`, a hedger should price with
//!   `σ̂² = σ²(1 ± √(2/π) · k / (σ√Δt))`, plus for a short position, minus for long.
//!
//! **Tested by** `tests/hedge.rs` (the simulated SD against Derman–Kamal and Hull's
//! table) and `tests/analysis.rs` (frontier monotonicity, comparison ordering).

use crate::black_scholes::Greeks;
use crate::hedge::PathOutcome;
use crate::montecarlo::{Engine, RunSummary};
use crate::rules::RebalanceRule;
use crate::scenario::{RuleKind, Scenario, Side};

/// Paths per chunk when the native tools run a whole scenario.
pub const DEFAULT_CHUNK: u64 = 256;

/// The Monte Carlo summary of a scenario under its own rule. Serialized as the
/// `summary` JSON, whose shape [`crate::report`] gives.
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
    /// Run the scenario and summarise it.
    pub fn run(scenario: &Scenario) -> ScenarioSummary {
        let engine = Engine::for_scenario(scenario);
        let outcomes = engine.run(scenario.paths, DEFAULT_CHUNK);
        let run = RunSummary::of(&outcomes.by_hedger[0]);
        ScenarioSummary::from_run(scenario, run)
    }

    /// Wrap an already computed run (the page computes runs in parallel chunks).
    pub fn from_run(scenario: &Scenario, run: RunSummary) -> ScenarioSummary {
        let setup = scenario.hedge_setup(scenario.rebalance_rule());
        let greeks = setup
            .book
            .greeks(&setup.model, scenario.spot, scenario.expiry);
        let premium = position_premium(scenario);
        let every_interval = scenario.every.min(scenario.steps) as f64;
        let rehedges = (scenario.steps as f64 / every_interval).max(1.0);
        let derman_kamal = (scenario.rule == RuleKind::Every && scenario.jumps == 0.0)
            .then(|| derman_kamal_sd(greeks.vega, scenario.vol, rehedges));
        let leland = (scenario.rule == RuleKind::Every && scenario.cost > 0.0).then(|| {
            leland_vol(
                scenario.hedging_vol(),
                2.0 * scenario.cost,
                scenario.expiry / rehedges,
                scenario.side == Side::Short,
            )
        });
        ScenarioSummary {
            scenario: scenario.to_query(),
            premium,
            greeks,
            paths: scenario.paths,
            performance: performance(run.pnl.sd, premium),
            run,
            derman_kamal_sd: derman_kamal,
            leland_vol: leland,
        }
    }
}

/// The three ways to run an option book, on the same paths. Serialized as the
/// `compare` JSON, whose shape [`crate::report`] gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Canonical link.
    pub scenario: String,
    /// Premium of the position.
    pub premium: f64,
    /// `(name, summary)` for `none`, `static` and the scenario's rule, in that order.
    pub rows: Vec<(String, RunSummary)>,
}

/// The rules of a comparison, in its row order: no hedge, static, the scenario's.
pub fn comparison_rules(scenario: &Scenario) -> [RebalanceRule; 3] {
    [
        RebalanceRule::None,
        RebalanceRule::Static,
        scenario.rebalance_rule(),
    ]
}

/// Run no hedge, static and the scenario's rule on the same paths.
pub fn compare(scenario: &Scenario) -> Comparison {
    let engine = Engine::new(scenario, &comparison_rules(scenario));
    let outcomes = engine.run(scenario.paths, DEFAULT_CHUNK);
    Comparison::from_outcomes(scenario, &outcomes.by_hedger)
}

impl Comparison {
    /// Build the comparison from outcomes of [`comparison_rules`] (in that order),
    /// computed on the same paths — possibly in chunks elsewhere.
    pub fn from_outcomes(scenario: &Scenario, outcomes: &[Vec<PathOutcome>]) -> Comparison {
        let names = [
            "none".to_string(),
            "static".to_string(),
            rule_label(scenario),
        ];
        Comparison {
            scenario: scenario.to_query(),
            premium: position_premium(scenario),
            rows: names
                .into_iter()
                .zip(outcomes.iter().map(|o| RunSummary::of(o)))
                .collect(),
        }
    }
}

/// Black–Scholes value of the whole position at t = 0, at the hedging vol
/// (positive).
pub fn position_premium(scenario: &Scenario) -> f64 {
    let setup = scenario.hedge_setup(scenario.rebalance_rule());
    setup
        .book
        .greeks(&setup.model, scenario.spot, scenario.expiry)
        .price
        .abs()
}

/// A short label of the scenario's rule, e.g. `every 5` or `band 0.05 (target)`.
pub fn rule_label(scenario: &Scenario) -> String {
    match scenario.rule {
        RuleKind::None => "none".into(),
        RuleKind::Static => "static".into(),
        RuleKind::Every => format!("every {}", scenario.every),
        RuleKind::Band => format!("band {} ({})", scenario.band, scenario.get("to")),
        RuleKind::WhalleyWilmott => format!("ww γ={}", scenario.aversion),
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

/// The values swept for each rule. `none` and `static` sweep the interval of
/// `every` (they are its two extremes).
fn sweep(scenario: &Scenario) -> (&'static str, Vec<f64>) {
    let mut values: Vec<f64>;
    let parameter;
    match scenario.rule {
        RuleKind::Band => {
            parameter = "band";
            values = vec![0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5];
            values.push(scenario.band);
        }
        RuleKind::WhalleyWilmott => {
            parameter = "aversion";
            values = (-4..=4)
                .map(|e| libm::pow(10.0, f64::from(e) / 2.0))
                .collect();
            values.push(scenario.aversion);
        }
        _ => {
            parameter = "every";
            let steps = scenario.steps;
            let mut k = 1u64;
            values = Vec::new();
            while k <= steps {
                values.push(k as f64);
                k = (k * 3).div_ceil(2).max(k + 1);
            }
            values.push(steps as f64);
            if scenario.rule == RuleKind::Every {
                values.push(scenario.every.min(steps) as f64);
            }
        }
    }
    values.sort_by(f64::total_cmp);
    values.dedup();
    (parameter, values)
}

/// The sweep of a frontier: the swept key, its values and the rules, in order.
pub fn frontier_rules(scenario: &Scenario) -> (&'static str, Vec<f64>, Vec<RebalanceRule>) {
    let (parameter, values) = sweep(scenario);
    let rules = values
        .iter()
        .map(|&v| match parameter {
            "band" => RebalanceRule::Band {
                half_width: v,
                to: scenario.band_target,
            },
            "aversion" => RebalanceRule::WhalleyWilmott { risk_aversion: v },
            _ => RebalanceRule::Every {
                interval: v as usize,
            },
        })
        .collect();
    (parameter, values, rules)
}

/// Sweep the scenario's rule over its parameter on the same paths.
pub fn frontier(scenario: &Scenario) -> Frontier {
    let (_, _, rules) = frontier_rules(scenario);
    let engine = Engine::new(scenario, &rules);
    let outcomes = engine.run(scenario.paths, DEFAULT_CHUNK);
    Frontier::from_outcomes(scenario, &outcomes.by_hedger)
}

impl Frontier {
    /// Build the frontier from outcomes of [`frontier_rules`] (in that order),
    /// computed on the same paths — possibly in chunks elsewhere.
    pub fn from_outcomes(scenario: &Scenario, outcomes: &[Vec<PathOutcome>]) -> Frontier {
        let (parameter, values, _) = frontier_rules(scenario);
        let points: Vec<FrontierPoint> = values
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
        let own = match scenario.rule {
            RuleKind::Band => scenario.band,
            RuleKind::WhalleyWilmott => scenario.aversion,
            RuleKind::Every => scenario.every.min(scenario.steps) as f64,
            RuleKind::Static => scenario.steps as f64,
            RuleKind::None => f64::NAN,
        };
        Frontier {
            scenario: scenario.to_query(),
            parameter,
            current: points.iter().position(|p| p.value == own),
            points,
        }
    }
}
