//! Price paths of the underlying under the real-world measure.
//!
//! **GBM**, exact log step over `Δt` (no discretisation bias):
//! `S_{t+Δt} = S_t · exp((μ − q − σ²/2 − λκ)Δt + σ√Δt·Z + J)`, `Z ~ N(0,1)`.
//!
//! **Merton jumps**: in each step the number of jumps is Poisson(λΔt) (drawn in
//! [`poisson`]) and each log-jump is N(m, s²), so the step's total log-jump
//! given `k` jumps is `J ~ N(k·m, k·s²)`. The drift is compensated by `λκ`,
//! `κ = e^{m + s²/2} − 1`, so the expected return stays μ − q whatever the jumps
//! (`λ = 0` gives plain GBM).
//!
//! `σ` here is the *realised* vol. The hedger's vol lives in [`crate::hedging::hedger`].
//!
//! Each step draws one normal (plus one uniform and one normal when jumps are on)
//! from the path's own stream, so a path's numbers depend only on `(seed, index)`,
//! never on how paths are split into chunks.
//!
//! Heston and Bates paths (Andersen's QE scheme) are in [`heston`]. Future models
//! (paths from a user's own price history) implement the same [`PathSource`] trait.
//!
//! **Tested by** `tests/paths.rs`: the mean and variance of `ln S_T` and the mean of
//! `S_T` against their closed forms, with and without jumps (also three jumps
//! per step, where several land at once); determinism
//! (`tests/heston.rs` for [`heston`]); `tests/link_numbers.rs`: a link of each
//! model keeps its numbers bit for bit.

pub mod heston;
pub mod model;
pub mod poisson;
pub mod replay;
pub mod rng;

use crate::engine::lanes::Real;
use crate::paths::poisson::PoissonCount;
use crate::paths::rng::{ziggurat, PathRng, PathRngLanes, Ziggurat};
use crate::pricing::fastmath::Exp;

use std::sync::Arc;

/// The dates of a hedge: `steps` steps from 0 to `horizon`, equal for simulated
/// paths ([`TimeGrid::even`]) or of their real lengths for recorded prices
/// ([`TimeGrid::dated`]: a weekend is three nights).
#[derive(Clone, Debug, PartialEq)]
pub struct TimeGrid {
    /// Horizon `T` in years.
    pub horizon: f64,
    /// Number of steps `N ≥ 1`.
    pub steps: usize,
    /// The time of every point, `t_0 = 0 … t_N = T`, when the steps are not
    /// equal; `None` for equal steps (computed, not stored, so that an even grid
    /// gives the bits it always has).
    times: Option<Arc<[f64]>>,
}

impl TimeGrid {
    /// `steps` equal steps over `horizon` years.
    pub fn even(horizon: f64, steps: usize) -> TimeGrid {
        TimeGrid {
            horizon,
            steps,
            times: None,
        }
    }

    /// Steps between the given times (years from the first, which must be 0,
    /// increasing; at least two). The horizon is the last time.
    pub fn dated(times: Vec<f64>) -> TimeGrid {
        TimeGrid {
            horizon: times.last().copied().unwrap_or(0.0),
            steps: times.len().saturating_sub(1),
            times: Some(times.into()),
        }
    }

    /// The mean step length `Δt = T/N` (every step's length on an even grid).
    #[inline]
    pub fn dt(&self) -> f64 {
        self.horizon / self.steps as f64
    }

    /// The length of step `i`, from `t_i` to `t_{i+1}` (`Δt` on an even grid, to
    /// the bit).
    #[inline]
    pub fn step_length(&self, i: usize) -> f64 {
        match &self.times {
            None => self.dt(),
            Some(times) => times[i + 1] - times[i],
        }
    }

    /// Time `t_i` of grid point `i` (`i·T/N` on an even grid; exactly `T` at
    /// `i = N`).
    #[inline]
    pub fn time(&self, i: usize) -> f64 {
        match &self.times {
            None => self.horizon * i as f64 / self.steps as f64,
            Some(times) => times[i.min(self.steps)],
        }
    }

    /// Time left `τ_i = T − t_i`, exactly 0 at expiry (on an even grid computed
    /// as `(N − i)·T/N`).
    #[inline]
    pub fn time_left(&self, i: usize) -> f64 {
        match &self.times {
            None => self.horizon * (self.steps - i.min(self.steps)) as f64 / self.steps as f64,
            Some(times) => self.horizon - times[i.min(self.steps)],
        }
    }
}

/// One price path in structure-of-arrays form: the spot and its logarithm at every
/// grid point. The hedge loop needs both (`ln S` for `d1`, `S` for money), and the
/// generator has both for free, so no `ln` is ever taken in the hot loop.
#[derive(Clone, Debug, PartialEq)]
pub struct PathBuffer {
    /// `S_i`, `i = 0 … steps`.
    pub spot: Vec<f64>,
    /// `ln S_i`.
    pub log_spot: Vec<f64>,
    /// The variance `v_i` of a stochastic-volatility path (Heston, Bates) at
    /// each point, which a hedger that knows the model prices with; empty for
    /// paths whose volatility does not move.
    pub variance: Vec<f64>,
}

impl PathBuffer {
    /// A buffer for paths of `steps` steps.
    pub fn new(steps: usize) -> PathBuffer {
        PathBuffer {
            spot: vec![0.0; steps + 1],
            log_spot: vec![0.0; steps + 1],
            variance: Vec::new(),
        }
    }

    /// A buffer holding the given spots (for paths that come from elsewhere, such
    /// as a user's price history); spots must be positive.
    pub fn from_spots(spots: &[f64]) -> PathBuffer {
        PathBuffer {
            spot: spots.to_vec(),
            log_spot: spots.iter().map(|&s| libm::log(s)).collect(),
            variance: Vec::new(),
        }
    }
}

/// Something that fills price paths: `spot[0] = S_0`, `spot[i]` the spot at `t_i`.
pub trait PathSource {
    /// The time grid the paths are sampled on.
    fn grid(&self) -> TimeGrid;
    /// Fill `out` (made by `PathBuffer::new(steps)`) with path number `path_index`.
    fn fill(&self, path_index: u64, out: &mut PathBuffer);
}

/// Parameters of compound-Poisson log-normal jumps (Merton 1976).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Jumps {
    /// Expected number of jumps per year λ (0 turns jumps off).
    pub intensity: f64,
    /// Mean of the log-jump `m`.
    pub mean: f64,
    /// Standard deviation of the log-jump `s`.
    pub sd: f64,
}

impl Jumps {
    /// No jumps.
    pub const NONE: Jumps = Jumps {
        intensity: 0.0,
        mean: 0.0,
        sd: 0.0,
    };

    /// `κ = E[e^J] − 1 = e^{m + s²/2} − 1`, the mean relative size of one jump.
    pub fn mean_relative_jump(&self) -> f64 {
        libm::expm1(self.mean + 0.5 * self.sd * self.sd)
    }

    /// `λκ`, the drift's compensation that keeps the expected return whatever
    /// the jumps (0 without them: λ = 0, κ finite).
    pub fn compensation(&self) -> f64 {
        self.intensity * self.mean_relative_jump()
    }
}

/// Geometric Brownian motion with optional Merton jumps.
#[derive(Clone, Debug, PartialEq)]
pub struct JumpDiffusion {
    /// Starting spot `S_0 > 0`.
    pub spot: f64,
    /// Real-world drift μ (expected total return, per year).
    pub drift: f64,
    /// Dividend yield q (the price drifts at μ − q).
    pub dividend: f64,
    /// Realised volatility σ of the diffusion part.
    pub vol: f64,
    /// Jumps (use [`Jumps::NONE`] for plain GBM).
    pub jumps: Jumps,
    /// Time grid.
    pub grid: TimeGrid,
    /// Seed of the run; path `i` uses the stream `(seed, i)`.
    pub seed: u64,
}

impl PathSource for JumpDiffusion {
    fn grid(&self) -> TimeGrid {
        self.grid.clone()
    }

    fn fill(&self, path_index: u64, out: &mut PathBuffer) {
        let dt = self.grid.dt();
        let (log_drift, diffusion) = self.step_constants();
        let jumps = JumpSampler::new(&self.jumps, dt);

        let mut rng = PathRng::for_path(self.seed, path_index);
        let exp = Exp::new();
        let zig = ziggurat();
        let mut log_spot = libm::log(self.spot);
        let points = out.spot.len().min(out.log_spot.len());
        if points == 0 {
            return;
        }
        out.spot[0] = self.spot;
        out.log_spot[0] = log_spot;
        for (slot, log_slot) in out.spot[1..points]
            .iter_mut()
            .zip(&mut out.log_spot[1..points])
        {
            let mut step = log_drift + diffusion * rng.normal_with(zig);
            if let Some(jump) = jumps.draw(&mut rng, zig) {
                step += jump;
            }
            // Accumulate in log space and exponentiate once per point: no drift of
            // rounding errors through repeated multiplication.
            log_spot += step;
            *log_slot = log_spot;
            *slot = exp.exp(log_spot);
        }
    }
}

/// Draws a step's Merton jumps from a path's stream: the step's total log-jump,
/// `k·m + √k·s·Z` for `k ~ Poisson(λΔt)` jumps, shared by every path model.
#[derive(Clone, Copy, Debug)]
pub(crate) struct JumpSampler {
    jumps: Jumps,
    /// The count's distribution, Poisson(λΔt).
    count: PoissonCount,
}

impl JumpSampler {
    /// The sampler of `jumps` over steps of `dt` years.
    pub(crate) fn new(jumps: &Jumps, dt: f64) -> JumpSampler {
        JumpSampler {
            jumps: *jumps,
            count: PoissonCount::new(jumps.intensity * dt),
        }
    }

    /// With jumps on, draw a uniform (the count) and a normal (the sizes) from
    /// `rng`, in that order, and return the step's log-jump, `None` when no jump
    /// landed; with jumps off, draw nothing and return `None`.
    #[inline]
    pub(crate) fn draw(&self, rng: &mut PathRng, zig: &Ziggurat) -> Option<f64> {
        if self.jumps.intensity <= 0.0 {
            return None;
        }
        let count = self.count.count(rng.uniform());
        let z = rng.normal_with(zig);
        (count > 0).then(|| {
            let k = f64::from(count);
            k * self.jumps.mean + libm::sqrt(k) * self.jumps.sd * z
        })
    }
}

/// `V × R::WIDTH` paths of a jump-free diffusion advanced together, one step at
/// a time: the Monte Carlo lane kernel's path generator. Vector `v`, lane `l` is
/// path `first + v·WIDTH + l`; each lane draws from its own path's stream and
/// does exactly the arithmetic of [`JumpDiffusion::fill`], in vectors of `R`
/// (two lanes, or four natively with AVX2), so it gives the same bits.
#[derive(Clone, Debug)]
pub struct DiffusionLanes<R: Real, const V: usize> {
    rng: [PathRngLanes<R>; V],
    /// `ln S` of each lane at the current date.
    pub log_spot: [R; V],
    /// `S` of each lane at the current date.
    pub spot: [R; V],
    log_drift: R,
    diffusion: R,
    exp: Exp,
    zig: &'static Ziggurat,
}

impl JumpDiffusion {
    /// The log step's drift `(μ − q − σ²/2 − λκ)Δt` and diffusion `σ√Δt`, shared by
    /// [`JumpDiffusion::fill`] and the lanes so that both take the same bits.
    fn step_constants(&self) -> (f64, f64) {
        let dt = self.grid.dt();
        let compensation = self.jumps.compensation();
        let log_drift =
            (self.drift - self.dividend - 0.5 * self.vol * self.vol - compensation) * dt;
        (log_drift, self.vol * libm::sqrt(dt))
    }

    /// Paths `first … first + V·R::WIDTH` as lanes at t = 0, or `None` when
    /// jumps are on (the lane kernel covers plain GBM only).
    pub fn lanes<R: Real, const V: usize>(&self, first: u64) -> Option<DiffusionLanes<R, V>> {
        if self.jumps.intensity > 0.0 {
            return None;
        }
        let (log_drift, diffusion) = self.step_constants();
        let stream =
            |v: usize, l: usize| PathRng::for_path(self.seed, first + (v * R::WIDTH + l) as u64);
        Some(DiffusionLanes {
            rng: core::array::from_fn(|v| PathRngLanes::new(|l| stream(v, l))),
            log_spot: [R::splat(libm::log(self.spot)); V],
            spot: [R::splat(self.spot); V],
            log_drift: R::splat(log_drift),
            diffusion: R::splat(diffusion),
            exp: Exp::new(),
            zig: ziggurat(),
        })
    }
}

impl<R: Real, const V: usize> DiffusionLanes<R, V> {
    /// Move every lane one step forward.
    #[inline(always)]
    pub fn advance(&mut self) {
        let z = PathRngLanes::normals(&mut self.rng, self.zig);
        for (log_spot, z) in self.log_spot.iter_mut().zip(z) {
            let step = self.log_drift + self.diffusion * z;
            *log_spot = *log_spot + step;
        }
        self.spot = self.exp.exp_lanes(&self.log_spot);
    }
}
