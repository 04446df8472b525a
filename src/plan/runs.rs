//! What a run computes: its parts, the hedgers of each, and how many paths each
//! covers.
//!
//! The page's run has two parts on the same paths: the **main** part hedges every
//! path with [`Plan::comparison`]'s strategies (no hedge, static, delta only
//! when the scenario hedges more Greeks, the scenario's own strategy last) —
//! the summary, histogram and comparison come from it — and the **sweep**
//! hedges the first [`FRONTIER_PATHS`] paths with the plan's sweep of its rule for
//! the cost-vs-risk frontier. A summary alone (the CLI's `summary`, the page's
//! `hedgeExplorer.summary`) needs only the **rule** part: the scenario's own rule
//! on every path. Web Workers receive a part's name and a range of paths, so the
//! page splits the work without knowing what the parts contain.
//!
//! **Tested by** `tests/run_plan.rs`: each part's strategies are exactly the
//! plan's comparison and sweep, the own row ([`Plan::own_row`]) of the main part gives
//! the bytes of the one-rule summary, the paths and work per part.

use crate::engine::montecarlo::Engine;
use crate::plan::{Plan, Strategy};

/// Most paths used for the cost-vs-risk frontier (the sweep runs a dozen hedgers
/// per path; the first paths of the run are a fair sample and keep it quick).
pub const FRONTIER_PATHS: u64 = 1_000;

/// One part of a run: which hedgers it runs on which paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The scenario's own strategy only (what a summary needs).
    Rule,
    /// The comparison's strategies, in [`Plan::comparison`] order.
    Main,
    /// The frontier's sweep, in order of the plan's [`crate::plan::Sweep`].
    Sweep,
}

impl Part {
    /// Every part.
    pub const ALL: [Part; 3] = [Part::Rule, Part::Main, Part::Sweep];

    /// The part's name, as pages and workers spell it: `rule`, `main` or `sweep`.
    pub fn name(self) -> &'static str {
        match self {
            Part::Rule => "rule",
            Part::Main => "main",
            Part::Sweep => "sweep",
        }
    }

    /// The part called `name` (see [`Part::name`]), if any.
    pub fn from_name(name: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|part| part.name() == name)
    }

    /// The strategies this part hedges every path with, in row order.
    pub fn strategies(self, plan: &Plan) -> Vec<Strategy> {
        match self {
            // An insured portfolio is summarised beside the unprotected one.
            Part::Rule => [Some(plan.own_strategy()), plan.unprotected()]
                .into_iter()
                .flatten()
                .collect(),
            Part::Main => plan.comparison(),
            Part::Sweep => plan.sweep_strategies(),
        }
    }

    /// Paths this part covers: the first `paths(plan)` of the plan's.
    pub fn paths(self, plan: &Plan) -> u64 {
        match self {
            Part::Rule | Part::Main => plan.paths,
            Part::Sweep => plan.paths.min(FRONTIER_PATHS),
        }
    }

    /// The engine that computes this part (any range of its paths).
    pub fn engine(self, plan: &Plan) -> Engine {
        Engine::for_strategies(plan, &self.strategies(plan))
    }
}

/// A part of a run with its sizes worked out for one scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannedPart {
    /// Which part.
    pub part: Part,
    /// Paths it covers (the scenario's first ones).
    pub paths: u64,
    /// Hedgers run on each path.
    pub hedgers: u64,
    /// Its work in hedged path-steps: paths × steps × hedgers.
    pub hedged_path_steps: u64,
}

impl PlannedPart {
    /// `part`'s sizes for `plan`.
    pub fn new(part: Part, plan: &Plan) -> PlannedPart {
        let paths = part.paths(plan);
        let hedgers = part.strategies(plan).len() as u64;
        PlannedPart {
            part,
            paths,
            hedgers,
            hedged_path_steps: paths * plan.grid.steps as u64 * hedgers,
        }
    }
}

/// The parts of the page's run (main, then sweep) and of a summary alone (rule).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunPlan {
    /// Dates per path.
    pub steps: u64,
    /// What the explorer computes, in the order it completes them: main, sweep.
    pub explorer: Vec<PlannedPart>,
    /// Which of `explorer`'s parts the summary, histogram and comparison need.
    pub summary_part: Part,
    /// What a summary alone computes: the rule part.
    pub summary_only: Vec<PlannedPart>,
}

impl RunPlan {
    /// The runs of `plan`.
    pub fn for_plan(plan: &Plan) -> RunPlan {
        RunPlan {
            steps: plan.grid.steps as u64,
            explorer: vec![
                PlannedPart::new(Part::Main, plan),
                PlannedPart::new(Part::Sweep, plan),
            ],
            summary_part: Part::Main,
            summary_only: vec![PlannedPart::new(Part::Rule, plan)],
        }
    }
}
