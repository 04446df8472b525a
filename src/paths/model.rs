//! The scenario's path model: GBM with optional Merton jumps, Heston's
//! stochastic variance with optional jumps (Bates), recorded prices replayed,
//! or recorded returns bootstrapped. One type the engine holds, so a run, its
//! chunks and its ledgers need not know which.
//!
//! **Tested by** `tests/stochastic_vol.rs` (Heston runs through the engine, its
//! link keys and limits) and, for each model, `tests/paths.rs` (only GBM
//! without jumps has a constant vol and runs in lanes, to the scalar paths'
//! bits) and `tests/heston.rs`; `tests/backtest.rs` (each window of a roll on
//! its own clock); `tests/link_numbers.rs` (a link of each model keeps its
//! numbers bit for bit).

use crate::engine::lanes::Real;
use crate::history::bootstrap::StationaryBootstrap;
use crate::paths::heston::HestonPaths;
use crate::paths::replay::Replay;
use crate::paths::{DiffusionLanes, JumpDiffusion, Jumps, PathBuffer, PathSource, TimeGrid};

/// The paths of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum PathModel {
    /// GBM (constant realised vol), with Merton jumps when their intensity > 0.
    Diffusion(JumpDiffusion),
    /// Heston's stochastic variance by the QE scheme, with jumps: Bates.
    Heston(HestonPaths),
    /// Windows of recorded prices, one per path, each on its own clock.
    Replay(Replay),
    /// Recorded daily returns resampled in blocks.
    Bootstrap(StationaryBootstrap),
}

impl PathModel {
    /// The spot every path starts from.
    pub fn spot(&self) -> f64 {
        match self {
            PathModel::Diffusion(m) => m.spot,
            PathModel::Heston(m) => m.spot,
            PathModel::Replay(m) => m.spot(),
            PathModel::Bootstrap(m) => m.spot,
        }
    }

    /// The price's jumps ([`Jumps::NONE`] without).
    pub fn jumps(&self) -> Jumps {
        match self {
            PathModel::Diffusion(m) => m.jumps,
            PathModel::Heston(m) => m.jumps,
            PathModel::Replay(_) | PathModel::Bootstrap(_) => Jumps::NONE,
        }
    }

    /// The realised vol when it is one constant (GBM without jumps), for the
    /// closed forms that assume it; `None` otherwise.
    pub fn constant_vol(&self) -> Option<f64> {
        match self {
            PathModel::Diffusion(m) if m.jumps.intensity == 0.0 => Some(m.vol),
            _ => None,
        }
    }

    /// Paths `first … first + V·R::WIDTH` as lanes at t = 0 for the lane
    /// kernel, or `None` where it does not cover the model (jumps, Heston,
    /// history).
    pub fn lanes<R: Real, const V: usize>(&self, first: u64) -> Option<DiffusionLanes<R, V>> {
        match self {
            PathModel::Diffusion(m) => m.lanes(first),
            _ => None,
        }
    }

    /// The windows of a replay, when the paths are recorded prices.
    pub fn replay(&self) -> Option<&Replay> {
        match self {
            PathModel::Replay(r) => Some(r),
            _ => None,
        }
    }

    /// The number of paths the model has of itself (a replay's windows), or
    /// `None` when it makes as many as asked.
    pub fn fixed_paths(&self) -> Option<u64> {
        self.replay().map(|r| r.windows() as u64)
    }

    /// The time grid of path `index` (the same for every path, except in a
    /// replay, where each window has its own clock).
    pub fn grid_of(&self, index: u64) -> TimeGrid {
        match self {
            PathModel::Replay(r) => r.grid(index),
            _ => self.grid(),
        }
    }

    /// Path `index` and its variance at every grid point (the square of the
    /// constant vol for GBM; the variance path for Heston; the realised
    /// variance over the window or the source for recorded prices).
    pub fn fill_with_variance(&self, index: u64, out: &mut PathBuffer, variance: &mut [f64]) {
        match self {
            PathModel::Diffusion(m) => {
                m.fill(index, out);
                variance.fill(m.vol * m.vol);
            }
            PathModel::Heston(m) => m.fill_with_variance(index, out, variance),
            PathModel::Replay(m) => {
                m.fill(index, out);
                variance.fill(m.realised_variance(index));
            }
            PathModel::Bootstrap(m) => {
                m.fill(index, out);
                variance.fill(m.variance_per_year());
            }
        }
    }
}

impl PathSource for PathModel {
    fn grid(&self) -> TimeGrid {
        match self {
            PathModel::Diffusion(m) => m.grid(),
            PathModel::Heston(m) => m.grid(),
            PathModel::Replay(m) => m.grid(0),
            PathModel::Bootstrap(m) => m.grid(),
        }
    }

    fn fill(&self, path_index: u64, out: &mut PathBuffer) {
        match self {
            PathModel::Diffusion(m) => m.fill(path_index, out),
            PathModel::Heston(m) => m.fill(path_index, out),
            PathModel::Replay(m) => m.fill(path_index, out),
            PathModel::Bootstrap(m) => m.fill(path_index, out),
        }
    }
}
