//! Filling a run in chunks: any order, repeats and slicing give exactly the
//! outcomes of one run; packed chunks round-trip; bad chunks are refused; the work
//! left counts down to zero.

use hedge_explorer::engine::montecarlo::{Engine, LANES};
use hedge_explorer::hedging::hedger::PathOutcome;
use hedge_explorer::plan::assembly::{pack, spread_order, ChunkError, ChunkedRun, PACKED_FIELDS};
use hedge_explorer::plan::runs::Part;
use hedge_explorer::plan::Plan;
use hedge_explorer::Scenario;

fn plan(query: &str) -> Plan {
    Plan::new(&Scenario::parse(query).expect("valid"))
}

/// The bits of every outcome, to compare runs exactly.
fn bits(outcomes: &[Vec<PathOutcome>]) -> Vec<(u64, u32, u64)> {
    outcomes
        .iter()
        .flatten()
        .map(|o| (o.pnl.to_bits(), o.trades, o.costs.to_bits()))
        .collect()
}

/// The part's outcomes from one uninterrupted run of its engine.
fn one_run(part: Part, plan: &Plan) -> Vec<Vec<PathOutcome>> {
    let engine: Engine = part.engine(plan);
    engine.run(part.paths(plan), 1_000_000).by_hedger
}

#[test]
fn chunks_in_any_order_and_repeated_give_one_runs_outcomes() {
    let p = plan("v=1&paths=100&steps=12&rule=band&band=0.02&jumps=3");
    let expected = one_run(Part::Main, &p);
    let engine = Part::Main.engine(&p);
    let mut run = ChunkedRun::new(Part::Main, &p);
    assert_eq!(run.work_left(), (100 * 12 * 3) as f64);
    for range in [70..100, 0..30, 30..70, 30..70, 0..5] {
        let start = range.start;
        run.accept(start, &pack(&engine.run_chunk(range)))
            .expect("a chunk inside the run");
    }
    assert!(run.complete());
    assert_eq!(run.work_left(), 0.0);
    assert_eq!(bits(run.outcomes()), bits(&expected));
}

/// Before the run is complete, the outcomes received are one run's on exactly
/// the paths in (in path order), which `received` counts.
#[test]
fn the_outcomes_received_so_far_are_the_runs_on_those_paths() {
    let p = plan("v=1&paths=100&steps=12&rule=band&band=0.02&jumps=3");
    let expected = one_run(Part::Main, &p);
    let engine = Part::Main.engine(&p);
    let mut run = ChunkedRun::new(Part::Main, &p);
    assert_eq!(run.received(), 0);
    assert!(run.received_outcomes().iter().all(Vec::is_empty));
    for range in [70..90, 10..25, 70..75] {
        run.accept(range.start, &pack(&engine.run_chunk(range)))
            .expect("a chunk inside the run");
    }
    let paths: Vec<usize> = (10..25).chain(70..90).collect();
    assert_eq!(run.received(), paths.len() as u64);
    assert!(!run.complete());
    let subset: Vec<Vec<PathOutcome>> = expected
        .iter()
        .map(|all| paths.iter().map(|&i| all[i]).collect())
        .collect();
    assert_eq!(bits(&run.received_outcomes()), bits(&subset));
}

#[test]
fn a_path_already_in_is_never_overwritten() {
    let p = plan("v=1&paths=20&steps=5");
    let mut run = ChunkedRun::new(Part::Rule, &p);
    let first = PathOutcome {
        pnl: 1.5,
        trades: 2,
        costs: 0.25,
        option_trades: 1,
        option_costs: 0.125,
    };
    let second = PathOutcome {
        pnl: -9.0,
        trades: 7,
        costs: 3.0,
        option_trades: 0,
        option_costs: 0.0,
    };
    run.store(4, &[vec![first]]);
    run.store(4, &[vec![second]]);
    assert_eq!(run.outcomes()[0][4], first);
    assert!(!run.complete());
    assert_eq!(run.work_left(), (19 * 5) as f64);
}

#[test]
fn slices_of_any_budget_give_one_runs_outcomes() {
    let p = plan("v=1&paths=77&steps=9&rule=every&every=2&cost=0.004");
    let expected = one_run(Part::Sweep, &p);
    for budget in [1.0, 50.0, 1_000.0, 5_000.0, 1e9, f64::MAX, f64::INFINITY] {
        let mut run = ChunkedRun::new(Part::Sweep, &p);
        assert_eq!(run.paths(), 77);
        let total = run.work_left();
        // A path's work: its 9 steps for each hedger.
        let per_path = (9 * run.hedgers()) as f64;
        let mut done = 0.0;
        while !run.complete() {
            let (before, left) = (run.received(), run.work_left());
            let work = run.advance(budget);
            assert!(work > 0.0, "progress on every call");
            let paths = run.received() - before;
            assert_eq!(work, paths as f64 * per_path, "whole paths, each counted");
            // About the budget: no path less than it allows (or all that is
            // left; one at least), and none more unless one path costs more.
            assert!(work >= (budget - per_path).min(left), "{work} for {budget}");
            assert!(work <= budget.max(per_path), "{work} for {budget}");
            done += work;
        }
        assert_eq!(done, total, "the work done adds up to the part's work");
        assert_eq!(run.advance(budget), 0.0, "nothing left to do");
        assert_eq!(bits(run.outcomes()), bits(&expected), "budget {budget}");
    }
}

#[test]
fn packing_round_trips_exactly() {
    // A hedge with options: four strategies (none, static, delta only, delta-gamma).
    let p = plan("v=1&paths=16&steps=4&rule=band&greeks=delta-gamma&with=c105@0.5");
    let outcomes = one_run(Part::Main, &p);
    let packed = pack(&outcomes);
    assert_eq!(packed.len(), 4 * 16 * PACKED_FIELDS);
    // Layout `[hedger][path][P&L, trades, costs, option trades, option costs]`.
    let at = (3 * 16 + 1) * PACKED_FIELDS;
    let o = outcomes[3][1];
    assert!(o.option_trades > 0 && o.option_costs > 0.0, "{o:?}");
    assert_eq!(packed[at].to_bits(), o.pnl.to_bits());
    assert_eq!(packed[at + 1], f64::from(o.trades));
    assert_eq!(packed[at + 2].to_bits(), o.costs.to_bits());
    assert_eq!(packed[at + 3], f64::from(o.option_trades));
    assert_eq!(packed[at + 4].to_bits(), o.option_costs.to_bits());
    let mut run = ChunkedRun::new(Part::Main, &p);
    run.accept(0, &packed).expect("the whole run");
    assert_eq!(run.outcomes(), &outcomes[..]);
    assert_eq!(bits(run.outcomes()), bits(&outcomes));
}

#[test]
fn bad_packed_chunks_are_refused_and_change_nothing() {
    let p = plan("v=1&paths=10&steps=3");
    let mut run = ChunkedRun::new(Part::Main, &p);
    // Three hedgers × five values per path: 8 values are no whole path.
    let per_path = 3 * PACKED_FIELDS;
    assert_eq!(run.accept(0, &[0.0; 8]), Err(ChunkError::WrongLength));
    // Two paths starting at path 9 reach past the tenth.
    assert_eq!(
        run.accept(9, &vec![0.0; 2 * per_path]),
        Err(ChunkError::OutsideRun)
    );
    assert_eq!(
        run.accept(u64::MAX, &vec![0.0; per_path]),
        Err(ChunkError::OutsideRun)
    );
    assert_eq!(run.work_left(), (10 * 3 * 3) as f64);
    assert!(ChunkError::WrongLength.to_string().contains("wrong length"));
}

#[test]
fn the_spread_order_takes_each_chunk_once_and_leaves_no_wide_gap() {
    for count in 0..=100 {
        let mut order = spread_order(count);
        order.sort_unstable();
        assert_eq!(order, (0..count).collect::<Vec<_>>(), "{count}");
    }
    assert_eq!(spread_order(8), [0, 4, 2, 6, 1, 5, 3, 7]);
    assert_eq!(spread_order(5), [0, 4, 2, 1, 3]);
    // Of any count, the first k taken leave no gap wider than 2·count/k
    // chunks, rounded up (before the first, between two, after the last).
    for count in 2..=100 {
        let order = spread_order(count);
        for k in 2..=count {
            let mut first = order[..k].to_vec();
            first.sort_unstable();
            let widest = first
                .windows(2)
                .map(|pair| pair[1] - pair[0])
                .chain([first[0] + 1, count - first[k - 1]])
                .max()
                .unwrap();
            assert!(
                widest <= (2 * count).div_ceil(k),
                "{count} chunks, first {k}: {first:?} (widest gap {widest})"
            );
        }
    }
}

#[test]
fn main_thread_slices_take_the_lane_groups_in_spread_order() {
    // 77 paths are five groups of 16 (the last of 13), taken as 0, 4, 2, 1, 3:
    // a budget of exactly a group's work buys one group, so the slices come
    // in that order.
    let p = plan("v=1&paths=77&steps=9&rule=every&every=2&cost=0.004");
    let expected = one_run(Part::Main, &p);
    let mut run = ChunkedRun::new(Part::Main, &p);
    let path_work = (9 * run.hedgers()) as f64;
    let group_work = LANES as f64 * path_work;
    let mut received: Vec<u64> = Vec::new();
    for (group, budget) in [
        (0u64, group_work),
        (4, 13.0 * path_work),
        (2, group_work),
        (1, group_work),
        (3, group_work),
    ] {
        run.advance(budget);
        received.extend((group * 16..(group * 16 + 16).min(77)).collect::<Vec<_>>());
        received.sort_unstable();
        let want: Vec<Vec<u64>> = expected
            .iter()
            .map(|all| {
                received
                    .iter()
                    .map(|&i| all[i as usize].pnl.to_bits())
                    .collect()
            })
            .collect();
        let got: Vec<Vec<u64>> = run
            .received_outcomes()
            .iter()
            .map(|all| all.iter().map(|o| o.pnl.to_bits()).collect())
            .collect();
        assert_eq!(got, want, "after group {group}");
    }
    assert!(run.complete());
}

#[test]
fn a_path_costlier_than_the_budget_is_a_slice_of_its_own() {
    // When a path costs more than the budget (long paths, many hedgers), one
    // path is a slice, not a group of 16, so the page's main-thread fallback
    // keeps its frames short; the paths still come group by group in spread
    // order (0, 4, 2, 1, 3).
    let p = plan("v=1&paths=77&steps=252&rule=every&every=2&cost=0.004");
    let expected = one_run(Part::Sweep, &p);
    assert!(
        expected[0].iter().all(|o| o.trades > 0),
        "every path trades"
    );
    let mut run = ChunkedRun::new(Part::Sweep, &p);
    let per_path = (252 * run.hedgers()) as f64;
    let mut order = Vec::new();
    for budget in [1.0, per_path * 0.99, per_path, 3.5 * per_path] {
        let before: Vec<bool> = filled(&run);
        let work = run.advance(budget);
        let bought = (budget / per_path).floor().max(1.0);
        assert_eq!(work, bought * per_path, "budget {budget}");
        let after = filled(&run);
        order.extend((0..77).filter(|&i| after[i] && !before[i]));
    }
    assert_eq!(order, [0, 1, 2, 3, 4, 5], "the first group, path by path");
    let mut slices = 0;
    while !run.complete() {
        let before = filled(&run);
        assert_eq!(run.advance(per_path), per_path);
        let after = filled(&run);
        order.extend((0..77).filter(|&i| after[i] && !before[i]));
        slices += 1;
    }
    assert_eq!(slices, 77 - 6, "one path a slice");
    let groups: Vec<usize> = [0, 4, 2, 1, 3]
        .iter()
        .flat_map(|&g| g * 16..(g * 16 + 16).min(77))
        .collect();
    assert_eq!(order, groups, "group by group in spread order");
    assert_eq!(bits(run.outcomes()), bits(&expected));
}

/// Which paths' outcomes are in: those not holding the default (every path
/// of these runs trades, so none has the default's zero trades once in).
fn filled(run: &ChunkedRun) -> Vec<bool> {
    run.outcomes()[0]
        .iter()
        .map(|outcome| *outcome != PathOutcome::default())
        .collect()
}
