//! Monte Carlo runs: the same numbers whatever the chunking; comparisons and
//! frontiers on the same paths.

// Independent references may use the platform's math: only the engine must be
// bit-identical across targets.
#![allow(clippy::disallowed_methods)]

use hedge_explorer::engine::montecarlo::{Engine, RunSummary};
use hedge_explorer::hedging::rules::RebalanceRule;
use hedge_explorer::plan::Plan;
use hedge_explorer::results::analysis::{compare, frontier, ScenarioSummary};
use hedge_explorer::Scenario;

fn scenario(query: &str) -> Scenario {
    Scenario::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"))
}

#[test]
fn results_do_not_depend_on_chunking() {
    let s = scenario("v=1&paths=523&steps=17&jumps=3&cost=0.002&rule=band&band=0.03");
    let plan = Plan::new(&s);
    let engine = Engine::new(&plan, &[RebalanceRule::None, plan.rule]);
    let reference = engine.run(s.paths, 1);
    for chunk in [2, 7, 64, 100, 523, 10_000] {
        assert_eq!(engine.run(s.paths, chunk), reference, "chunk {chunk}");
    }
    // Chunks run out of order (as Web Workers finish) and stitched by index.
    let mut stitched = vec![Vec::new(); 2];
    let mut parts: Vec<_> = [(300u64, 523u64), (0, 150), (150, 300)]
        .iter()
        .map(|&(a, b)| (a, engine.run_chunk(a..b)))
        .collect();
    parts.sort_by_key(|(start, _)| *start);
    for (_, part) in parts {
        for (all, p) in stitched.iter_mut().zip(part) {
            all.extend(p);
        }
    }
    assert_eq!(stitched, reference.by_hedger);
}

#[test]
fn the_same_link_gives_the_same_bits_and_a_new_seed_new_paths() {
    let a = ScenarioSummary::run(&Plan::new(&scenario("v=1&paths=300&seed=5")));
    let b = ScenarioSummary::run(&Plan::new(&scenario("v=1&paths=300&seed=5")));
    let c = ScenarioSummary::run(&Plan::new(&scenario("v=1&paths=300&seed=6")));
    assert_eq!(a, b);
    assert_eq!(a.run.pnl.mean.to_bits(), b.run.pnl.mean.to_bits());
    assert_ne!(a.run.pnl.mean, c.run.pnl.mean);
}

#[test]
fn comparison_runs_the_three_strategies_on_the_same_paths() {
    let s = scenario("v=1&paths=2000&steps=50&cost=0.0005");
    let c = compare(&Plan::new(&s));
    let names: Vec<&str> = c.rows.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["none", "static", "every 1"]);
    let sd: Vec<f64> = c.rows.iter().map(|(_, r)| r.pnl.sd).collect();
    // Dynamic hedging carries far less risk than static, static less than none.
    assert!(sd[2] < 0.3 * sd[1] && sd[1] < sd[0], "{sd:?}");
    // And it costs more.
    let costs: Vec<f64> = c.rows.iter().map(|(_, r)| r.mean_costs).collect();
    assert!(costs[0] == 0.0 && costs[1] < costs[2], "{costs:?}");
    // The rule's row is exactly the scenario's own summary.
    let own = ScenarioSummary::run(&Plan::new(&s));
    assert_eq!(c.rows[2].1, own.run);
}

#[test]
fn frontier_trades_cost_for_risk() {
    let s = scenario("v=1&paths=1500&steps=100&rule=band&band=0.05&cost=0.002");
    let f = frontier(&Plan::new(&s));
    assert_eq!(f.parameter, "band");
    let current = f.current.expect("the scenario's band is on the sweep");
    assert_eq!(f.points[current].value, 0.05);
    // Wider bands: fewer trades and lower costs; more risk at the wide end.
    for pair in f.points.windows(2) {
        assert!(pair[1].value > pair[0].value);
        assert!(pair[1].mean_trades <= pair[0].mean_trades, "{pair:?}");
    }
    let first = f.points.first().expect("points");
    let last = f.points.last().expect("points");
    assert!(last.mean_costs < first.mean_costs);
    assert!(last.sd_pnl > first.sd_pnl);
    // Every frontier point is the summary of that band run on its own.
    let alone = scenario("v=1&paths=1500&steps=100&rule=band&band=0.2&cost=0.002");
    let own = RunSummary::of(
        &Engine::for_plan(&Plan::new(&alone))
            .run(alone.paths, 99)
            .by_hedger[0],
    );
    let point = f
        .points
        .iter()
        .find(|p| p.value == 0.2)
        .expect("0.2 is swept");
    assert_eq!(point.sd_pnl, own.pnl.sd);
    assert_eq!(point.mean_costs, own.mean_costs);

    let every = frontier(&Plan::new(&scenario("v=1&paths=200&steps=40&every=3")));
    assert_eq!(every.parameter, "every");
    assert_eq!(
        every.points[every.current.expect("on the sweep")].value,
        3.0
    );
    assert_eq!(every.points.last().map(|p| p.value), Some(40.0));
}

#[test]
fn whalley_wilmott_frontier_sweeps_the_risk_aversion() {
    // rule=ww sweeps γ over 10^{k/2}, k = −4 … 4 (0.01 to 100), with the
    // scenario's own γ among them. μ = r and realised = hedging vol, so for
    // every γ the P&L plus the PV of the costs has mean exactly 0 (the hedge's
    // gains are a martingale and the premium is the payoff's expectation).
    let s = scenario("v=1&paths=400&steps=40&rule=ww&aversion=0.5&cost=0.003&mu=0.02");
    let plan = Plan::new(&s);
    let f = frontier(&plan);
    assert_eq!(f.parameter, "aversion");
    let mut expected: Vec<f64> = (-4..=4)
        .map(|k| 10f64.powf(f64::from(k) / 2.0))
        .chain([0.5])
        .collect();
    expected.sort_by(f64::total_cmp);
    let values: Vec<f64> = f.points.iter().map(|p| p.value).collect();
    assert_eq!(values.len(), expected.len());
    for (v, e) in values.iter().zip(&expected) {
        assert!((v / e - 1.0).abs() < 1e-12, "{values:?}");
    }
    assert_eq!(f.points[f.current.expect("on the sweep")].value, 0.5);
    // A more risk-averse hedger has a narrower band (H ∝ γ^{−1/3}): more
    // trades and more costs at each step up the sweep, on the same paths, and
    // less risk from the least to the most averse.
    for pair in f.points.windows(2) {
        assert!(pair[1].mean_trades >= pair[0].mean_trades, "{pair:?}");
        assert!(pair[1].mean_costs >= pair[0].mean_costs, "{pair:?}");
    }
    let (first, last) = (&f.points[0], &f.points[f.points.len() - 1]);
    assert!(last.sd_pnl < first.sd_pnl, "{first:?} {last:?}");
    // (Measured: 10.4 trades a path at γ = 0.01, 31.2 at γ = 100; SD of P&L
    // 293 and 62.)
    assert!(
        last.mean_trades > 2.0 * first.mean_trades,
        "{first:?} {last:?}"
    );
    // Each point against its paths: the mean of P&L + costs within 4.5
    // standard errors of 0 (measured: within 1 SE at every γ), and the
    // point's figures are those paths' means.
    let outcomes = Engine::new(&plan, &plan.sweep.rules)
        .run(s.paths, 64)
        .by_hedger;
    for (point, runs) in f.points.iter().zip(&outcomes) {
        let n = runs.len() as f64;
        let gross: Vec<f64> = runs.iter().map(|o| o.pnl + o.costs).collect();
        let mean = gross.iter().sum::<f64>() / n;
        let var = gross.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        assert!(
            mean.abs() < 4.5 * (var / n).sqrt(),
            "γ = {}: mean P&L + costs {mean}, SE {}",
            point.value,
            (var / n).sqrt()
        );
        let mean_costs = runs.iter().map(|o| o.costs).sum::<f64>() / n;
        assert!((point.mean_costs - mean_costs).abs() < 1e-9 * mean_costs.max(1.0));
        assert!((point.mean_pnl + point.mean_costs - mean).abs() < 1e-9 * s.quantity);
    }
}
