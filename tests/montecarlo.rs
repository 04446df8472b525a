//! Monte Carlo runs: the same numbers whatever the chunking; comparisons and
//! frontiers on the same paths.

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
