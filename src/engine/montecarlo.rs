//! Monte Carlo: many paths, several hedgers on the *same* paths.
//!
//! A run is cut into chunks of path indices; each path is generated from its own
//! random stream `(seed, index)` into a reused buffer and every hedger of the run
//! is applied to it. Outcomes are stored by path index, and every summary reduces
//! them in index order — so the numbers are bit-identical whatever the chunk size,
//! the number of threads or Web Workers, or the order chunks finish in.
//!
//! Where it covers the run (GBM paths without jumps; books hedged with shares, or
//! with shares and options, priced by Black–Scholes; any rule but
//! Whalley–Wilmott) a chunk goes through the *lane kernel*: [`LANES`] paths at a
//! time, advanced and hedged date by date in two-lane vectors ([`crate::engine::simd`]),
//! each stage over all pairs before the next so that independent work
//! interleaves. Lane by lane it does exactly the operations of generating and
//! hedging that path alone, so it gives the same bits; the rest of a chunk (fewer
//! than [`LANES`] paths) and every other run go path by path.
//!
//! **Tested by** `tests/montecarlo.rs`: chunking invariance, the P&L identity on
//! every path, and the statistical properties in `tests/hedge.rs`;
//! `tests/threads.rs` (feature `parallel`): the same bytes on 1, 2 and 3 threads;
//! `tests/simd.rs` (natively and in headless Chromium): the lane kernel gives the
//! bits of path-by-path hedging; `tests/insurance_link.rs`: an insured path's
//! ledger, dated, in the hedge ledger's columns, its accounts adding up.

use core::ops::Range;
use std::borrow::Cow;

use crate::engine::lanes::Real;
use crate::engine::runner::{self, Runner};
use crate::engine::simd::F64x2;
use crate::engine::simd4::F64x4;
#[cfg(target_arch = "x86_64")]
use crate::engine::width::has_avx2;
use crate::engine::width::LaneWidth;
use crate::hedging::hedger::{Hedger, LedgerRow, PathOutcome};
use crate::hedging::rules::RebalanceRule;
use crate::history::date::Date;
use crate::insurance::{InsuranceOutcome, InsuranceRow, Insurer};
use crate::paths::model::PathModel;
use crate::paths::{PathBuffer, PathSource};
use crate::plan::{Plan, Strategy};
use crate::results::stats::{self, Histogram, Summary};

/// Paths the lane kernel advances together: eight vectors of two lanes, or
/// four of four.
pub const LANES: usize = 16;

/// Vectors of two lanes in a group of [`LANES`] paths.
const TWO_LANE_VECTORS: usize = LANES / 2;

/// Vectors of four lanes in a group of [`LANES`] paths (the AVX2 kernel and
/// its baseline fallback share it).
const FOUR_LANE_VECTORS: usize = LANES / 4;

/// Number of histogram bins used by summaries.
pub const HISTOGRAM_BINS: usize = 40;

/// Paths and hedgers of one Monte Carlo run.
#[derive(Clone, Debug)]
pub struct Engine {
    paths: PathModel,
    runners: Vec<Runner>,
}

/// The outcomes of a run: `outcomes[h][p]` for hedger `h` and path `p`.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcomes {
    /// One vector per hedger, indexed by path.
    pub by_hedger: Vec<Vec<PathOutcome>>,
}

impl Engine {
    /// An engine running the plan's paths with the given rebalancing rules (all
    /// on the same paths, with the plan's book, model and costs).
    pub fn new(plan: &Plan, rules: &[RebalanceRule]) -> Engine {
        let own = plan.own_strategy();
        let strategies: Vec<Strategy> =
            rules.iter().map(|&rule| Strategy { rule, ..own }).collect();
        Engine::for_strategies(plan, &strategies)
    }

    /// An engine running the plan's paths with the given strategies (rules and
    /// Greeks), all on the same paths.
    pub fn for_strategies(plan: &Plan, strategies: &[Strategy]) -> Engine {
        let runner = |strategy: &Strategy| {
            let insurance = strategy.insurance.and_then(|kind| {
                plan.insurance_setup(kind, strategy.rule, plan.grid.clone(), plan.model.vol)
            });
            match insurance {
                Some(setup) => Runner::insure(setup),
                None => Runner::Hedge(Hedger::new(plan.strategy_setup(*strategy))),
            }
        };
        Engine {
            paths: plan.path_model.clone(),
            runners: strategies.iter().map(runner).collect(),
        }
    }

    /// An engine for the plan's own strategy only.
    pub fn for_plan(plan: &Plan) -> Engine {
        Engine::for_strategies(plan, &[plan.own_strategy()])
    }

    /// The option hedgers among the runners, in order (none for an insured
    /// portfolio).
    pub fn hedgers(&self) -> Vec<&Hedger> {
        self.runners
            .iter()
            .filter_map(|r| match r {
                Runner::Hedge(h) => Some(h),
                Runner::Insure(_) => None,
            })
            .collect()
    }

    /// The strategies run on each path, in the order given.
    pub fn runners(&self) -> &[Runner] {
        &self.runners
    }

    /// The path generator.
    pub fn paths(&self) -> &PathModel {
        &self.paths
    }

    /// Run paths `range` and return `out[h][j]` for hedger `h` and path
    /// `range.start + j`. This is the unit of parallel work. The lane kernel runs
    /// at the processor's fastest width ([`LaneWidth::detected`]).
    pub fn run_chunk(&self, range: Range<u64>) -> Vec<Vec<PathOutcome>> {
        self.run_chunk_at(range, LaneWidth::detected())
    }

    /// [`Engine::run_chunk`] with the lane kernel at `width` (the same bits at
    /// every width: for tests and benchmarks).
    pub fn run_chunk_at(&self, range: Range<u64>, width: LaneWidth) -> Vec<Vec<PathOutcome>> {
        let steps = self.paths.grid().steps;
        let count = (range.end.saturating_sub(range.start)) as usize;
        let mut out: Vec<Vec<PathOutcome>> = self
            .runners
            .iter()
            .map(|_| Vec::with_capacity(count))
            .collect();
        // The lane kernel: LANES paths at a time, date by date, when it covers the
        // run (see the module docs: Black–Scholes hedgers, no Whalley–Wilmott).
        // Same bits as below.
        let lane_hedgers: Option<Vec<&Hedger>> =
            self.runners.iter().map(Runner::lane_hedger).collect();
        let index = match (lane_hedgers, width) {
            (Some(hedgers), LaneWidth::Two) => {
                self.lane_groups::<F64x2, TWO_LANE_VECTORS>(&hedgers, range.clone(), &mut out)
            }
            (Some(hedgers), LaneWidth::Four) => {
                self.four_lane_groups(&hedgers, range.clone(), &mut out)
            }
            (None, _) | (_, LaneWidth::One) => range.start,
        };
        let mut buffer = PathBuffer::new(steps);
        for index in index..range.end {
            self.paths.fill(index, &mut buffer);
            for (runner, results) in self.runners_at(index).iter().zip(out.iter_mut()) {
                results.push(runner.run(&buffer));
            }
        }
        out
    }

    /// The whole groups of [`LANES`] paths at the start of `range` through the
    /// lane kernel in vectors of `R` (`V` of them: `V × R::WIDTH = LANES`),
    /// each hedger's outcomes appended to `out`; returns the first path left
    /// (fewer than [`LANES`] remain, or the model has no lanes).
    #[inline(always)]
    fn lane_groups<R: Real, const V: usize>(
        &self,
        hedgers: &[&Hedger],
        range: Range<u64>,
        out: &mut [Vec<PathOutcome>],
    ) -> u64 {
        let steps = self.paths.grid().steps;
        // Every group opens with the same accounts (the premium at S₀).
        let opened: Vec<_> = hedgers
            .iter()
            .map(|h| h.open_lanes::<R, V>(self.paths.spot()))
            .collect();
        let mut index = range.start;
        while index + LANES as u64 <= range.end {
            let Some(mut lanes) = self.paths.lanes::<R, V>(index) else {
                break;
            };
            let mut accounts = opened.clone();
            for i in 0..=steps {
                for (hedger, lane_accounts) in hedgers.iter().zip(accounts.iter_mut()) {
                    hedger.date_lanes(i, steps, &lanes.spot, &lanes.log_spot, lane_accounts);
                }
                if i < steps {
                    lanes.advance();
                }
            }
            for ((hedger, lane_accounts), results) in
                hedgers.iter().zip(&accounts).zip(out.iter_mut())
            {
                results.extend(hedger.close_lanes(lane_accounts));
            }
            index += LANES as u64;
        }
        index
    }

    /// [`Engine::lane_groups`] in four-lane vectors: compiled for AVX2 and run
    /// so where the processor has it (x86-64), else the same code for the
    /// baseline.
    fn four_lane_groups(
        &self,
        hedgers: &[&Hedger],
        range: Range<u64>,
        out: &mut [Vec<PathOutcome>],
    ) -> u64 {
        #[cfg(target_arch = "x86_64")]
        if has_avx2() {
            // SAFETY: the processor runs AVX2 instructions (just detected), the
            // one requirement of calling a function compiled for them.
            #[allow(unsafe_code)]
            return unsafe { self.four_lane_groups_avx2(hedgers, range, out) };
        }
        self.lane_groups::<F64x4, FOUR_LANE_VECTORS>(hedgers, range, out)
    }

    /// [`Engine::lane_groups`] in four-lane vectors, compiled for AVX2 (its
    /// whole body is inlined here, so all of it is).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn four_lane_groups_avx2(
        &self,
        hedgers: &[&Hedger],
        range: Range<u64>,
        out: &mut [Vec<PathOutcome>],
    ) -> u64 {
        self.lane_groups::<F64x4, FOUR_LANE_VECTORS>(hedgers, range, out)
    }

    /// The strategies of path `index`: the run's own, or in a replay of
    /// recorded prices the same strategies on that window's clock and hedging
    /// vol (each window is an option or an insurance of its own, ending at the
    /// window's last close).
    fn runners_at(&self, index: u64) -> Cow<'_, [Runner]> {
        match self.paths.replay() {
            Some(replay) => {
                // The window's clock and vol once, for all its strategies.
                let (grid, vol) = (replay.grid(index), replay.hedging_vol(index));
                Cow::Owned(
                    self.runners
                        .iter()
                        .map(|r| r.on_window(grid.clone(), vol))
                        .collect(),
                )
            }
            None => Cow::Borrowed(&self.runners),
        }
    }

    /// Run paths `0..paths` in chunks of `chunk` paths (any chunk size gives the
    /// same result) and collect the outcomes in path order. With the `parallel`
    /// feature the chunks run on rayon's threads (every core by default); they
    /// are still assembled in path order, so the result has the same bits on any
    /// number of threads.
    pub fn run(&self, paths: u64, chunk: u64) -> Outcomes {
        let chunk = chunk.max(1);
        let ranges =
            (0..paths.div_ceil(chunk)).map(|c| c * chunk..paths.min((c + 1).saturating_mul(chunk)));
        #[cfg(feature = "parallel")]
        let parts: Vec<Vec<Vec<PathOutcome>>> = {
            use rayon::prelude::*;
            // An indexed parallel iterator collects in input order, whichever
            // thread ran each chunk and whenever it finished.
            let ranges: Vec<Range<u64>> = ranges.collect();
            ranges
                .into_par_iter()
                .map(|range| self.run_chunk(range))
                .collect()
        };
        // One chunk after the other, each appended as soon as it is done.
        #[cfg(not(feature = "parallel"))]
        let parts = ranges.map(|range| self.run_chunk(range));
        let mut by_hedger: Vec<Vec<PathOutcome>> = self
            .runners
            .iter()
            .map(|_| Vec::with_capacity(paths as usize))
            .collect();
        for part in parts {
            for (all, outcomes) in by_hedger.iter_mut().zip(part) {
                all.extend(outcomes);
            }
        }
        Outcomes { by_hedger }
    }

    /// The spot path `index` and its full ledger under hedger `hedger`, with
    /// the paths' variance at each date.
    pub fn ledger(&self, hedger: usize, index: u64) -> (Vec<f64>, Vec<LedgerRow>, PathOutcome) {
        let steps = self.paths.grid_of(index).steps;
        let mut path = PathBuffer::new(steps);
        let mut variance = vec![0.0; steps + 1];
        self.paths
            .fill_with_variance(index, &mut path, &mut variance);
        let mut rows = Vec::with_capacity(steps + 1);
        let outcome = match self.runners_at(index).get(hedger) {
            Some(Runner::Hedge(h)) => h.run(&path, &mut rows),
            Some(Runner::Insure(insurer)) => {
                let (insured, outcome) = self.insured_rows(insurer, &path, index);
                let start = insurer.setup().initial_value();
                rows.extend(insured.iter().map(|row| ledger_row_of(row, start)));
                runner::outcome_of(insurer, &outcome)
            }
            None => PathOutcome::default(),
        };
        for (row, &v) in rows.iter_mut().zip(&variance) {
            row.variance = v;
        }
        for (row, &date) in rows.iter_mut().zip(self.dates(index)) {
            row.date = Some(date);
        }
        (path.spot, rows, outcome)
    }

    /// Path `index`'s insured-portfolio ledger under runner `runner`, with its
    /// dates for recorded prices; empty when that runner hedges options.
    pub fn insurance_ledger(&self, runner: usize, index: u64) -> Vec<InsuranceRow> {
        let steps = self.paths.grid_of(index).steps;
        let mut path = PathBuffer::new(steps);
        self.paths.fill(index, &mut path);
        match self.runners_at(index).get(runner) {
            Some(Runner::Insure(insurer)) => self.insured_rows(insurer, &path, index).0,
            _ => Vec::new(),
        }
    }

    /// An insured portfolio's rows along `path` (path `index`), dated for
    /// recorded prices, and its outcome.
    fn insured_rows(
        &self,
        insurer: &Insurer,
        path: &PathBuffer,
        index: u64,
    ) -> (Vec<InsuranceRow>, InsuranceOutcome) {
        let mut rows = Vec::with_capacity(path.spot.len());
        let outcome = insurer.run_recorded(path, &mut rows);
        for (row, &date) in rows.iter_mut().zip(self.dates(index)) {
            row.date = Some(date);
        }
        (rows, outcome)
    }

    /// The dates of path `index`'s points: a dated window's, else none.
    fn dates(&self, index: u64) -> &[Date] {
        self.paths
            .replay()
            .and_then(|r| r.dates(index))
            .unwrap_or_default()
    }
}

/// An insured portfolio's row as a hedge ledger's, for the charts and tables
/// both share: the shares held (and traded to), the cash, the puts' value as
/// the book's, and the P&L as the value less the starting value `start`.
fn ledger_row_of(row: &InsuranceRow, start: f64) -> LedgerRow {
    LedgerRow {
        step: row.step,
        time: row.time,
        spot: row.spot,
        target: row.shares,
        held: row.shares,
        trade: row.trade,
        cost: row.cost,
        cash: row.cash,
        book_value: row.value - row.shares * row.spot - row.cash,
        pnl: row.value - start,
        position_delta: row.shares,
        ..LedgerRow::default()
    }
}

/// Summary of one hedger's outcomes over all paths.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    /// Statistics of the present-value P&L.
    pub pnl: Summary,
    /// Histogram of the P&L.
    pub histogram: Histogram,
    /// Mean number of trades per path.
    pub mean_trades: f64,
    /// Mean present value of costs per path (option trades' included).
    pub mean_costs: f64,
    /// Mean number of hedge-option trades per path.
    pub mean_option_trades: f64,
    /// Mean present value of the hedge options' trading costs per path.
    pub mean_option_costs: f64,
}

impl RunSummary {
    /// Summarise outcomes (in path order).
    pub fn of(outcomes: &[PathOutcome]) -> RunSummary {
        let pnl: Vec<f64> = outcomes.iter().map(|o| o.pnl).collect();
        let trades: Vec<f64> = outcomes.iter().map(|o| f64::from(o.trades)).collect();
        let costs: Vec<f64> = outcomes.iter().map(|o| o.costs).collect();
        let option_trades: Vec<f64> = outcomes
            .iter()
            .map(|o| f64::from(o.option_trades))
            .collect();
        let option_costs: Vec<f64> = outcomes.iter().map(|o| o.option_costs).collect();
        RunSummary {
            pnl: stats::summarize(&pnl),
            histogram: Histogram::of(&pnl, HISTOGRAM_BINS),
            mean_trades: stats::mean(&trades),
            mean_costs: stats::mean(&costs),
            mean_option_trades: stats::mean(&option_trades),
            mean_option_costs: stats::mean(&option_costs),
        }
    }
}
