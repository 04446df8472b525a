//! The run plan (`src/plan/runs.rs`) against the analysis it feeds: each part's
//! rules are the ones `analysis` builds its results from, and results assembled
//! from the parts' outcomes are byte for byte the ones `analysis` computes itself.

use hedge_explorer::engine::montecarlo::RunSummary;
use hedge_explorer::plan::runs::{Part, PlannedPart, RunPlan, FRONTIER_PATHS};
use hedge_explorer::plan::Plan;
use hedge_explorer::results::analysis::{self, Comparison, Frontier, ScenarioSummary};
use hedge_explorer::results::report;
use hedge_explorer::Scenario;

/// Small scenarios covering every rule kind, jumps and both sides.
const QUERIES: [&str; 6] = [
    "v=1&paths=120&steps=20&rule=none",
    "v=1&paths=120&steps=20&rule=static&side=long",
    "v=1&paths=120&steps=20&rule=every&every=3&cost=0.002",
    "v=1&paths=120&steps=20&rule=band&band=0.04&jumps=2",
    "v=1&paths=120&steps=20&rule=ww&aversion=0.5&type=put",
    "v=1&paths=100&steps=15&rule=band&band=0.07&to=edge",
];

fn plan(query: &str) -> Plan {
    Plan::new(&Scenario::parse(query).expect("a valid test scenario"))
}

/// Outcomes of every path of `part`, one vector per hedger.
fn outcomes(part: Part, p: &Plan) -> Vec<Vec<hedge_explorer::hedging::hedger::PathOutcome>> {
    part.engine(p)
        .run(part.paths(p), analysis::DEFAULT_CHUNK)
        .by_hedger
}

#[test]
fn each_part_runs_the_rules_analysis_builds_its_results_from() {
    for query in QUERIES {
        let p = plan(query);
        assert_eq!(Part::Rule.strategies(&p), vec![p.own_strategy()], "{query}");
        assert_eq!(Part::Main.strategies(&p), p.comparison(), "{query}");
        let sweep: Vec<_> = Part::Sweep.strategies(&p).iter().map(|s| s.rule).collect();
        assert_eq!(sweep, p.sweep.rules, "{query}");
        assert_eq!(
            p.comparison()[p.own_row()],
            p.own_strategy(),
            "the own row holds the scenario's strategy: {query}"
        );
    }
}

#[test]
fn the_own_rule_row_gives_the_summary_of_the_rule_alone() {
    for query in QUERIES {
        let p = plan(query);
        let main = outcomes(Part::Main, &p);
        let from_main = ScenarioSummary::from_run(&p, RunSummary::of(&main[p.own_row()]));
        assert_eq!(
            report::summary_json(&from_main),
            report::summary_json(&ScenarioSummary::run(&p)),
            "{query}"
        );
        let alone = outcomes(Part::Rule, &p);
        let from_rule = ScenarioSummary::from_run(&p, RunSummary::of(&alone[0]));
        assert_eq!(
            report::summary_json(&from_rule),
            report::summary_json(&ScenarioSummary::run(&p)),
            "{query}"
        );
    }
}

#[test]
fn main_and_sweep_give_the_comparison_and_the_frontier() {
    for query in QUERIES {
        // Below FRONTIER_PATHS, analysis' frontier covers the same paths as the sweep.
        let p = plan(query);
        let comparison = Comparison::from_outcomes(&p, &outcomes(Part::Main, &p));
        assert_eq!(
            report::comparison_json(&comparison),
            report::comparison_json(&analysis::compare(&p)),
            "{query}"
        );
        let frontier = Frontier::from_outcomes(&p, &outcomes(Part::Sweep, &p));
        assert_eq!(
            report::frontier_json(&frontier),
            report::frontier_json(&analysis::frontier(&p)),
            "{query}"
        );
    }
}

#[test]
fn the_sweep_covers_at_most_the_frontier_paths() {
    assert_eq!(
        FRONTIER_PATHS, 1_000,
        "the README promises the first 1,000 paths"
    );
    for (paths, sweep) in [
        (1, 1),
        (999, 999),
        (1_000, 1_000),
        (1_001, 1_000),
        (100_000, 1_000),
    ] {
        let p = plan(&format!("v=1&paths={paths}"));
        assert_eq!(Part::Main.paths(&p), paths);
        assert_eq!(Part::Rule.paths(&p), paths);
        assert_eq!(Part::Sweep.paths(&p), sweep, "{paths} paths");
    }
}

#[test]
fn the_plan_of_the_default_scenario() {
    // Defaults: 2,000 paths of 63 steps, rebalanced every step.
    let s = Scenario::default();
    let plan = RunPlan::for_plan(&Plan::new(&s));
    assert_eq!(plan.steps, 63);
    assert_eq!(plan.summary_part, Part::Main);
    let main = plan.explorer[0];
    assert_eq!(
        main,
        PlannedPart {
            part: Part::Main,
            paths: 2_000,
            hedgers: 3,
            hedged_path_steps: 3 * 2_000 * 63,
        }
    );
    let sweep = plan.explorer[1];
    assert_eq!((sweep.part, sweep.paths), (Part::Sweep, 1_000));
    // `every` swept over 1, 2, 3, 5, 8, 12, 18, 27, 41, 62 and 63 steps.
    assert_eq!(sweep.hedgers, 11);
    assert_eq!(sweep.hedged_path_steps, 11 * 1_000 * 63);
    assert_eq!(
        plan.summary_only,
        vec![PlannedPart {
            part: Part::Rule,
            paths: 2_000,
            hedgers: 1,
            hedged_path_steps: 2_000 * 63,
        }]
    );
    assert_eq!(plan.explorer.len(), 2, "the page runs main, then sweep");
}

#[test]
fn parts_are_found_by_name() {
    for part in Part::ALL {
        assert_eq!(Part::from_name(part.name()), Some(part));
    }
    assert_eq!(Part::from_name("main"), Some(Part::Main));
    assert_eq!(Part::from_name("Main"), None);
    assert_eq!(Part::from_name(""), None);
}
