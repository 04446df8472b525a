//! The run plan (`src/run_plan.rs`) against the analysis it feeds: each part's
//! rules are the ones `analysis` builds its results from, and results assembled
//! from the parts' outcomes are byte for byte the ones `analysis` computes itself.

use hedge_explorer::engine::montecarlo::RunSummary;
use hedge_explorer::plan::runs::{Part, PlannedPart, RunPlan, FRONTIER_PATHS, OWN_RULE_ROW};
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

fn scenario(query: &str) -> Scenario {
    Scenario::parse(query).expect("a valid test scenario")
}

/// Outcomes of every path of `part`, one vector per hedger.
fn outcomes(part: Part, s: &Scenario) -> Vec<Vec<hedge_explorer::hedging::hedger::PathOutcome>> {
    part.engine(&Plan::new(s))
        .run(part.paths(&Plan::new(s)), analysis::DEFAULT_CHUNK)
        .by_hedger
}

#[test]
fn each_part_runs_the_rules_analysis_builds_its_results_from() {
    for query in QUERIES {
        let s = scenario(query);
        assert_eq!(
            Part::Rule.rules(&Plan::new(&s)),
            vec![Plan::new(&s).rule],
            "{query}"
        );
        assert_eq!(
            Part::Main.rules(&Plan::new(&s)),
            Plan::new(&s).comparison_rules().to_vec(),
            "{query}"
        );
        assert_eq!(
            Part::Sweep.rules(&Plan::new(&s)),
            Plan::new(&s).sweep.rules,
            "{query}"
        );
        assert_eq!(
            Plan::new(&s).comparison_rules()[OWN_RULE_ROW],
            Plan::new(&s).rule,
            "the own-rule row holds the scenario's rule: {query}"
        );
    }
}

#[test]
fn the_own_rule_row_gives_the_summary_of_the_rule_alone() {
    for query in QUERIES {
        let s = scenario(query);
        let main = outcomes(Part::Main, &s);
        let from_main =
            ScenarioSummary::from_run(&Plan::new(&s), RunSummary::of(&main[OWN_RULE_ROW]));
        assert_eq!(
            report::summary_json(&from_main),
            report::summary_json(&ScenarioSummary::run(&Plan::new(&s))),
            "{query}"
        );
        let alone = outcomes(Part::Rule, &s);
        let from_rule = ScenarioSummary::from_run(&Plan::new(&s), RunSummary::of(&alone[0]));
        assert_eq!(
            report::summary_json(&from_rule),
            report::summary_json(&ScenarioSummary::run(&Plan::new(&s))),
            "{query}"
        );
    }
}

#[test]
fn main_and_sweep_give_the_comparison_and_the_frontier() {
    for query in QUERIES {
        // Below FRONTIER_PATHS, analysis' frontier covers the same paths as the sweep.
        let s = scenario(query);
        let comparison = Comparison::from_outcomes(&Plan::new(&s), &outcomes(Part::Main, &s));
        assert_eq!(
            report::comparison_json(&comparison),
            report::comparison_json(&analysis::compare(&Plan::new(&s))),
            "{query}"
        );
        let frontier = Frontier::from_outcomes(&Plan::new(&s), &outcomes(Part::Sweep, &s));
        assert_eq!(
            report::frontier_json(&frontier),
            report::frontier_json(&analysis::frontier(&Plan::new(&s))),
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
        let s = scenario(&format!("v=1&paths={paths}"));
        assert_eq!(Part::Main.paths(&Plan::new(&s)), paths);
        assert_eq!(Part::Rule.paths(&Plan::new(&s)), paths);
        assert_eq!(Part::Sweep.paths(&Plan::new(&s)), sweep, "{paths} paths");
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
