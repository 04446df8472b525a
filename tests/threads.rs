//! With the `parallel` feature the Monte Carlo runs its chunks on rayon's threads:
//! the summary, comparison and frontier must be the same bytes on 1, 2 or 3
//! threads, and the same outcomes as one chunk run path by path on this thread
//! (no rayon at all), the independent reference.

use hedge_explorer::engine::montecarlo::Engine;
use hedge_explorer::plan::Plan;
use hedge_explorer::results::analysis::{self, ScenarioSummary};
use hedge_explorer::results::report;
use hedge_explorer::Scenario;

/// Lane kernel and path by path (Whalley–Wilmott, jumps, a remainder of fewer
/// than 16 paths), with more paths than one chunk so that chunks are shared out.
const QUERIES: [&str; 4] = [
    "v=1&paths=1000&steps=20&cost=0.002&rule=band&band=0.05",
    "v=1&paths=777&steps=15&rule=ww&aversion=0.5&cost=0.005",
    "v=1&paths=600&steps=12&jumps=2&jmean=-0.2&jsd=0.15&type=put&side=long",
    "v=1&paths=530&steps=10&rule=every&every=3&qty=1000",
];

/// Every machine-readable output of a scenario, computed on the current pool.
fn outputs(query: &str) -> [String; 3] {
    let plan = Plan::new(&Scenario::parse(query).expect("valid scenario"));
    [
        report::summary_json(&ScenarioSummary::run(&plan)),
        report::comparison_json(&analysis::compare(&plan)),
        report::frontier_json(&analysis::frontier(&plan)),
    ]
}

fn on_threads<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
        .install(work)
}

#[test]
fn reports_are_the_same_bytes_on_1_2_and_3_threads() {
    for query in QUERIES {
        let one = on_threads(1, || outputs(query));
        for threads in [2, 3] {
            let many = on_threads(threads, || outputs(query));
            assert_eq!(one, many, "{query} on {threads} threads");
        }
    }
}

#[test]
fn parallel_chunks_give_the_outcomes_of_one_sequential_chunk() {
    for query in QUERIES {
        let scenario = Scenario::parse(query).expect("valid scenario");
        let plan = Plan::new(&scenario);
        let engine = Engine::new(&plan, &plan.sweep.rules);
        let sequential = engine.run_chunk(0..scenario.paths);
        for threads in [1, 2, 3] {
            // Chunks of 7 paths: many more chunks than threads, none lane-aligned.
            let run = on_threads(threads, || engine.run(scenario.paths, 7));
            assert_eq!(run.by_hedger.len(), sequential.len());
            for (parallel, reference) in run.by_hedger.iter().zip(&sequential) {
                assert_eq!(parallel.len(), reference.len(), "{query}");
                for (p, r) in parallel.iter().zip(reference) {
                    assert_eq!(p.pnl.to_bits(), r.pnl.to_bits(), "{query}");
                    assert_eq!(p.costs.to_bits(), r.costs.to_bits(), "{query}");
                    assert_eq!(p.trades, r.trades, "{query}");
                }
            }
        }
    }
}
