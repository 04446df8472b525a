//! One part of a run filled in chunks, in any order: the bookkeeping between the
//! engine and whoever splits the work (the page's Web Workers and main-thread
//! slices; a test). Pure Rust, so native tests reach it.
//!
//! A chunk is the outcomes of a range of paths for every hedger of the part. It
//! may arrive as [`PathOutcome`]s (computed here, in slices) or *packed* — a flat
//! `[hedger][path][P&L, trades, costs]` array of `f64`, the form that crosses from
//! a Web Worker ([`pack`]). Outcomes are stored by path index and a path already
//! in is ignored, so chunks delivered twice or out of order change nothing and the
//! result has the bits of a single run.
//!
//! Whoever splits the work takes it in [`spread_order`]: the chunks in first,
//! a first estimate's sample, then spread over the whole run. A back-test's
//! paths are its windows in date order, so chunks taken in order would make an
//! estimate of its first years alone.
//!
//! **Tested by** `tests/assembly.rs`: any order, duplicates and slicing give the
//! outcomes of one run; packing round-trips exactly; bad packed chunks are refused
//! with a message; progress counts work; the outcomes received so far are the
//! run's on exactly those paths; the spread order takes each chunk once and
//! leaves no wide gap, and main-thread slices follow it, path by path when a
//! path costs more than their budget.

use core::fmt;

use super::runs::Part;
use super::Plan;
use crate::engine::montecarlo::{Engine, LANES};
use crate::hedging::hedger::PathOutcome;

/// Values per path and hedger in a packed chunk: P&L, trades, costs.
pub const PACKED_FIELDS: usize = 5;

/// Pack a chunk's outcomes (`outcomes[h][j]`) for the trip from a worker:
/// `[h][j][P&L, trades, costs, option trades, option costs]`.
pub fn pack(outcomes: &[Vec<PathOutcome>]) -> Vec<f64> {
    let mut out = Vec::with_capacity(outcomes.iter().map(Vec::len).sum::<usize>() * PACKED_FIELDS);
    for hedger in outcomes {
        for o in hedger {
            out.extend_from_slice(&[
                o.pnl,
                f64::from(o.trades),
                o.costs,
                f64::from(o.option_trades),
                o.option_costs,
            ]);
        }
    }
    out
}

/// The order to take `count` chunks of a run in: by the bit-reversed index
/// (of 8: 0, 4, 2, 6, 1, 5, 3, 7), skipping those past `count`, so that the
/// first `k` taken leave no gap wider than about `2·count/k` chunks (van der
/// Corput's sequence). Any order gives the same final numbers.
pub fn spread_order(count: usize) -> Vec<usize> {
    let bits = count.next_power_of_two().trailing_zeros();
    (0..count.next_power_of_two())
        .map(|i| {
            if bits == 0 {
                0
            } else {
                i.reverse_bits() >> (usize::BITS - bits)
            }
        })
        .filter(|&index| index < count)
        .collect()
}

/// Why a packed chunk was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChunkError {
    /// Its length is not a whole number of paths for this part's hedgers.
    WrongLength,
    /// It reaches past the part's last path.
    OutsideRun,
}

impl fmt::Display for ChunkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChunkError::WrongLength => "a worker chunk has the wrong length",
            ChunkError::OutsideRun => "a worker chunk lies outside the run",
        })
    }
}

impl std::error::Error for ChunkError {}

/// One part of a run and the outcomes received so far.
#[derive(Clone, Debug)]
pub struct ChunkedRun {
    engine: Engine,
    paths: u64,
    steps: u64,
    /// The groups of [`LANES`] paths that slices computed here take, in
    /// [`spread_order`], how many of them are taken whole, and how many paths
    /// of the next one.
    groups: Vec<usize>,
    taken: usize,
    taken_in_group: u64,
    /// Paths whose outcomes are in.
    received: u64,
    filled: Vec<bool>,
    outcomes: Vec<Vec<PathOutcome>>,
}

impl ChunkedRun {
    /// The part `part` of `plan`'s run, with nothing received yet.
    pub fn new(part: Part, plan: &Plan) -> ChunkedRun {
        let engine = part.engine(plan);
        let paths = part.paths(plan);
        let outcomes = engine
            .runners()
            .iter()
            .map(|_| vec![PathOutcome::default(); paths as usize])
            .collect();
        ChunkedRun {
            engine,
            paths,
            steps: plan.grid.steps as u64,
            groups: spread_order(paths.div_ceil(LANES as u64) as usize),
            taken: 0,
            taken_in_group: 0,
            received: 0,
            filled: vec![false; paths as usize],
            outcomes,
        }
    }

    /// Paths of this part.
    pub fn paths(&self) -> u64 {
        self.paths
    }

    /// Hedgers run on every path.
    pub fn hedgers(&self) -> u64 {
        self.engine.runners().len() as u64
    }

    /// Hedged path-steps still to do.
    pub fn work_left(&self) -> f64 {
        ((self.paths - self.received) * self.steps * self.hedgers()) as f64
    }

    /// Whether every path's outcomes are in.
    pub fn complete(&self) -> bool {
        self.received >= self.paths
    }

    /// The outcomes, `[hedger][path]` (paths not yet in hold the default).
    pub fn outcomes(&self) -> &[Vec<PathOutcome>] {
        &self.outcomes
    }

    /// Paths whose outcomes are in.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The outcomes of the paths in so far, `[hedger][k]` over those paths in
    /// path order: before the run is complete, an estimate's sample (the paths
    /// are independent draws, whichever chunks arrived first).
    pub fn received_outcomes(&self) -> Vec<Vec<PathOutcome>> {
        self.outcomes
            .iter()
            .map(|all| {
                all.iter()
                    .zip(&self.filled)
                    .filter(|(_, &filled)| filled)
                    .map(|(outcome, _)| *outcome)
                    .collect()
            })
            .collect()
    }

    /// Store outcomes of paths `start …` (one vector per hedger); paths already
    /// in are ignored.
    pub fn store(&mut self, start: u64, chunk: &[Vec<PathOutcome>]) {
        let count = chunk.first().map_or(0, Vec::len);
        for j in 0..count {
            let index = start as usize + j;
            if index >= self.filled.len() || self.filled[index] {
                continue;
            }
            self.filled[index] = true;
            self.received += 1;
            for (all, part) in self.outcomes.iter_mut().zip(chunk) {
                all[index] = part[j];
            }
        }
    }

    /// Compute about `budget` hedged path-steps here: the paths it buys (one
    /// at least), taken from the groups of [`LANES`] paths (the lane kernel's
    /// width) in [`spread_order`], a group run whole when the budget allows
    /// and path by path when a path costs more than the budget, so that a
    /// slice stays near its budget however long the paths; returns the work
    /// done.
    pub fn advance(&mut self, budget: f64) -> f64 {
        let per_path = (self.steps * self.hedgers()).max(1) as f64;
        let wanted = ((budget / per_path) as u64).max(1);
        let mut done = 0;
        while done < wanted {
            let Some(&group) = self.groups.get(self.taken) else {
                break;
            };
            let group_start = (group * LANES) as u64;
            let group_end = (group_start + LANES as u64).min(self.paths);
            let start = group_start + self.taken_in_group;
            // (The subtraction first: a budget of ∞ wants u64::MAX paths.)
            let end = start + (wanted - done).min(group_end - start);
            let chunk = self.engine.run_chunk(start..end);
            self.store(start, &chunk);
            done += end - start;
            if end == group_end {
                self.taken += 1;
                self.taken_in_group = 0;
            } else {
                self.taken_in_group = end - group_start;
            }
        }
        done as f64 * per_path
    }

    /// Take a packed chunk (see [`pack`]) of paths `start …`.
    pub fn accept(&mut self, start: u64, data: &[f64]) -> Result<(), ChunkError> {
        let hedgers = self.hedgers() as usize;
        let per_path = hedgers * PACKED_FIELDS;
        if per_path == 0 || data.len() % per_path != 0 {
            return Err(ChunkError::WrongLength);
        }
        let count = data.len() / per_path;
        if start.saturating_add(count as u64) > self.paths {
            return Err(ChunkError::OutsideRun);
        }
        let chunk: Vec<Vec<PathOutcome>> = (0..hedgers)
            .map(|h| {
                (0..count)
                    .map(|j| {
                        let at = (h * count + j) * PACKED_FIELDS;
                        PathOutcome {
                            pnl: data[at],
                            trades: data[at + 1] as u32,
                            costs: data[at + 2],
                            option_trades: data[at + 3] as u32,
                            option_costs: data[at + 4],
                        }
                    })
                    .collect()
            })
            .collect();
        self.store(start, &chunk);
        Ok(())
    }
}
