//! The scenario's path model: GBM with optional Merton jumps, or Heston's
//! stochastic variance with optional jumps (Bates). One type the engine holds,
//! so a run, its chunks and its ledgers need not know which.
//!
//! **Tested by** `tests/stochastic_vol.rs` (Heston runs through the engine, its
//! link keys and limits) and, for each model, `tests/paths.rs` and
//! `tests/heston.rs`.

use crate::paths::heston::HestonPaths;
use crate::paths::{DiffusionLanes, JumpDiffusion, Jumps, PathBuffer, PathSource, TimeGrid};

/// The paths of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum PathModel {
    /// GBM (constant realised vol), with Merton jumps when their intensity > 0.
    Diffusion(JumpDiffusion),
    /// Heston's stochastic variance by the QE scheme, with jumps: Bates.
    Heston(HestonPaths),
}

impl PathModel {
    /// The spot every path starts from.
    pub fn spot(&self) -> f64 {
        match self {
            PathModel::Diffusion(m) => m.spot,
            PathModel::Heston(m) => m.spot,
        }
    }

    /// The price's jumps ([`Jumps::NONE`] without).
    pub fn jumps(&self) -> Jumps {
        match self {
            PathModel::Diffusion(m) => m.jumps,
            PathModel::Heston(m) => m.jumps,
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

    /// Paths `first … first + 2V` as lanes at t = 0 for the lane kernel, or
    /// `None` where it does not cover the model (jumps, Heston).
    pub fn lanes<const V: usize>(&self, first: u64) -> Option<DiffusionLanes<V>> {
        match self {
            PathModel::Diffusion(m) => m.lanes(first),
            PathModel::Heston(_) => None,
        }
    }

    /// Path `index` and its variance at every grid point (the square of the
    /// constant vol for GBM; the variance path for Heston).
    pub fn fill_with_variance(&self, index: u64, out: &mut PathBuffer, variance: &mut [f64]) {
        match self {
            PathModel::Diffusion(m) => {
                m.fill(index, out);
                variance.fill(m.vol * m.vol);
            }
            PathModel::Heston(m) => m.fill_with_variance(index, out, variance),
        }
    }
}

impl PathSource for PathModel {
    fn grid(&self) -> TimeGrid {
        match self {
            PathModel::Diffusion(m) => m.grid(),
            PathModel::Heston(m) => m.grid(),
        }
    }

    fn fill(&self, path_index: u64, out: &mut PathBuffer) {
        match self {
            PathModel::Diffusion(m) => m.fill(path_index, out),
            PathModel::Heston(m) => m.fill(path_index, out),
        }
    }
}
