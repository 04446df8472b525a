//! A precomputed table of the Heston (Bates) delta and price of one option at
//! every hedge date of a scenario, for a hedge loop that needs `Δ(ln S, v)` and
//! `V(ln S, v)` at every step of every path.
//!
//! **Coordinates.** One slice per date (time to expiry `τ`). In a slice the
//! option is tabulated against
//! - `k = ln S − x_c`, `x_c = ln K − (r − q)τ` (`k = ln(F/K)`), on nodes equally
//!   spaced in `ζ`, `k = a·sinh ζ`, `a = ¼√(θ(τ − b))`, `b = (1 − e^{−κτ})/κ`
//!   (a quarter of the standard deviation of `ln S_τ` from zero variance): dense
//!   at the money, where a collapsing variance makes the delta a narrow S-curve,
//!   and about `|k|·Δζ` apart in the wings, over `|k| ≤` the spec's range;
//! - `w = √v` (the option is an even, smooth function of `w`), rows equally spaced
//!   in `η = asinh(w/w_k)`, `w_k = √(θ(τ − b)/b)`, the variance at which the
//!   path's own variance starts to dominate the long-run one.
//!
//! **Interpolation.** Quintic Hermite in `ζ` and in `η` from the exact value
//! and its derivatives up to `∂⁴/∂ζ²∂η²` at the four corners of the cell (error
//! `O(h⁶)` in each direction): a lookup is two `asinh`, a square root and
//! about forty products.
//!
//! **Building a row** (one `τ`, one `v`): the Lewis (2001) integrals of
//! [`crate::pricing::heston`] with the Black–Scholes control variate of the row's
//! expected total variance `T = θ(τ − b) + b·v + λτ(m² + s²)`, by the trapezoidal
//! rule on a uniform grid `u_j = jΔu`, the same grid for every node of the row.
//! With `Φ = φ − φ_BS`, `a(u) = 1/(u² + ¼)`, `c = e^{−(r+q)τ/2}/π·√(K/S)` and
//! `φ = exp(A + D·v)` (the characteristic function's affine parts, computed once
//! per `u` and row):
//!
//! ```text
//! V       = V_BS − c·S·∫ Re[e^{iuk} Φ a]
//! Δ       = Δ_BS − c·∫ Re[e^{iuk} Φ (½ + iu) a]
//! ∂Δ/∂x   = S·Γ_BS + c·∫ Re[e^{iuk} Φ]
//! ∂²Δ/∂x² = ∂(S·Γ_BS)/∂x + c·∫ Re[e^{iuk} Φ (iu − ½)]
//! ```
//!
//! (`x = ln S`, `∂V/∂x = S·Δ`), and the `n`-th derivatives in `v` (n = 1, 2)
//! the same integrals with `Dⁿφ` for `Φ` and no control term: the control's vol
//! is a constant of the row, so it drops out of them: twelve integrals per node.
//! `e^{iu_j k}` at each node comes from `e^{iΔu k}` by complex multiplication, so a term costs a few multiplications
//! and no trigonometry. The trapezoidal rule's error is aliasing (Poisson
//! summation): the node at `k` picks up the integrand's transform at `k ± 2π/Δu`.
//! The control makes that transform vanish beyond the distribution's reach
//! `R = 12√T + 6ξτ·min(1, 1/κτ)` (+ `n·|m| + 7s√n` with jumps,
//! `n = λτ + 6√(λτ) + 1`), so the row is evaluated on `|k| ≤ min(range, R)` with
//! `2π/Δu = min(range, R) + 1.25R`, and beyond `R` is the control itself (flat to
//! far below 1e−9). The grid stops where `|φ|` and `φ_BS` fall below 1e−10.
//! Rows that would need more than [`MAX_TERMS`] terms (a variance near
//! zero one or two steps before expiry with the Feller condition badly violated:
//! the delta is then nearly a step) are not tabulated.
//!
//! This is the Fourier-cosine idea of Fang & Oosterlee (2008) — one
//! characteristic function per frequency shared by every spot, no trigonometry
//! per term — applied to Lewis's contour integral: F. Fang and C. W. Oosterlee,
//! *A novel pricing method for European options based on Fourier-cosine series
//! expansions*, SIAM J. Sci. Comput. 31(2), 826–848 (2008); A. Lewis, *A Simple
//! Option Formula for General Jump-Diffusion and Other Exponential Lévy
//! Processes* (2001); L. N. Trefethen and J. A. C. Weideman, *The exponentially
//! convergent trapezoidal rule*, SIAM Review 56(3), 385–458 (2014).
//!
//! **Outside the table** — a variance above its range, `|k|` beyond its range, or
//! a cell touching an untabulated row — the lookup computes [`heston_delta`] or
//! [`heston_price`] itself: slower, never wrong. `τ ≤ 0` gives the payoff.
//!
//! **Measured** (native, release, on a shared 2-core machine under a load of 3–5,
//! so times are upper bounds; `cargo test --release --test heston -- --ignored
//! --nocapture table_timing`), K = 100, r = 3 %, q = 1 %,
//! [`HestonTableSpec::for_model`], a quarter (T = 0.25):
//!
//! | model | Δ error | price error / K | tabulated | build, 63 dates | 252 dates | lookup |
//! |---|---|---|---|---|---|---|
//! | Heston κ = 1.5, θ = 0.04, ξ = 0.5, ρ = −0.7 | 1.7e−7 | 4.1e−8 | 99.9 % | 0.6–0.9 s | 2.1–3.2 s | 140–230 ns |
//! | the same + jumps λ = 1, m = −0.1, s = 0.15 | 1.2e−7 | 4.1e−8 | 99.1 % | 2.2–3.6 s | 9–16 s | 170–230 ns |
//! | κ = 0.5, θ = 0.04, ξ = 1, ρ = −0.9 (Feller far off) | 1.5e−7 | 4.2e−8 | 95.2 % | 5.3–8.4 s | 24–29 s | 180–300 ns |
//!
//! Errors: the largest over 25 random points at each of the 64 dates (spots
//! 0.25K–4K, the table's whole range, `√v` uniform up to [`variance_bound`])
//! against [`heston_delta`] and [`heston_price`]; over a two-year monthly
//! schedule they are 1.8e−7, 1.2e−7 and 3.1e−7 (the delta). "Tabulated": the
//! share of those points the table answers itself (the rest are variances near
//! zero a few steps before expiry). Lookups date by date over in-range points
//! (at random dates, 1.5–2.5 times slower: the table no longer fits in cache).
//! The build's time goes to rows of variances near zero, which need hundreds
//! of terms (a narrow core with heavy tails), and with jumps to one grid
//! spanning both the narrow no-jump core and the wide jumps.
//! So rows are built **on first use**: one path's hedge (a ledger, the page's
//! one-path charts) touches a few rows a date and costs milliseconds; a Monte
//! Carlo run touches most of them and pays about the build above once (the
//! times above are [`HestonTable::tabulate_all`], on one thread; natively the
//! rows are built by whichever of rayon's threads first needs them).
//!
//! **Tested by** `tests/heston.rs`: the table against [`heston_delta`] and
//! [`heston_price`] at random points between the nodes at every date (Heston,
//! Bates and a Feller-violated set), at its corners, and at the nodes where
//! the docs above put them (to 1e−9: a grid anywhere else shows); put–call
//! parity in the table, and the fallback outside it; [`variance_bound`],
//! [`distribution_reach`] and the spec written out from their docs.

use std::sync::OnceLock;

use crate::paths::Jumps;
use crate::pricing::black_scholes::{self, Inputs, OptionKind};
use crate::pricing::complex::Complex;
use crate::pricing::heston::{
    decay_integral, expected_total_variance, heston_delta, heston_price, CharacteristicFunction,
    HestonParams, Market,
};

/// The ranges and resolution of a [`HestonTable`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HestonTableSpec {
    /// Largest variance covered (the range is `[0, max_variance]`); see
    /// [`variance_bound`].
    pub max_variance: f64,
    /// The table covers `|ln S − x_c| ≤ log_range` (`ln 4`: spots from a quarter
    /// to four times the strike).
    pub log_range: f64,
    /// Step of the spot nodes in `ζ` (0.1 meets 1e−6; see the module docs).
    pub zeta_step: f64,
    /// Step of the rows in `η = asinh(√v/w_k)` (see [`HestonTableSpec::for_model`]).
    pub row_step: f64,
}

impl HestonTableSpec {
    /// Spots from `K/4` to `4K`, variances up to [`variance_bound`] over
    /// `horizon`, and the resolution measured to meet 1e−6 in the delta: `ζ` steps
    /// of 0.1 and `η` steps of `0.06/ξ` within `[0.04, 0.12]` (the delta varies
    /// faster across variances the larger the vol of variance).
    pub fn for_model(params: &HestonParams, horizon: f64) -> HestonTableSpec {
        HestonTableSpec {
            max_variance: variance_bound(params, horizon),
            log_range: 2.0 * core::f64::consts::LN_2,
            zeta_step: 0.1,
            row_step: (0.06 / params.xi).clamp(0.04, 0.12),
        }
    }
}

/// A variance the paths of `params` (from `params.v0`) exceed with probability
/// about 1e−4 or less at any time up to `horizon`: the largest over 17 times of
/// `E[v_t] + 6·sd(v_t) + 4.6·ξ²b_t/2` (and at least `v0`), the last term
/// 4.6 ≈ ln 100 scales of the CIR marginal's exponential tail (scale `ξ²b_t/2`,
/// `b_t = (1 − e^{−κt})/κ`), which matters when `2κθ/ξ²` is small and the
/// marginal is far from normal. The QE paths of the table's test models exceed
/// it at 0 to 9e−6 of their steps.
pub fn variance_bound(params: &HestonParams, horizon: f64) -> f64 {
    let HestonParams {
        v0,
        kappa,
        theta,
        xi,
        ..
    } = *params;
    (0..=16)
        .map(|i| {
            let t = horizon * i as f64 / 16.0;
            let b = decay_integral(kappa, t);
            let decay = libm::exp(-kappa * t);
            let mean = theta + (v0 - theta) * decay;
            let variance = v0 * xi * xi * decay * b + 0.5 * theta * xi * xi * kappa * b * b;
            mean + 6.0 * libm::sqrt(variance.max(0.0)) + 4.6 * 0.5 * xi * xi * b
        })
        .fold(v0, f64::max)
}

/// The reach `R` of `ln(S_τ/F)` over `tau` from a variance whose expected
/// total variance is `total_variance` (`T`): how far from the forward the
/// distribution still weighs (module docs), `R = 12√T + 6ξτ·min(1, 1/κτ)`, and
/// with jumps `+ n·|m| + 7s√n`, `n = λτ + 6√(λτ) + 1` (a count of jumps
/// rarely exceeded). Beyond it a row's nodes are the Black–Scholes control
/// alone, and the trapezoidal rule's period is sized from it.
pub fn distribution_reach(
    params: &HestonParams,
    jumps: &Jumps,
    tau: f64,
    total_variance: f64,
) -> f64 {
    let HestonParams { kappa, xi, .. } = *params;
    let vol_of_variance = 6.0 * xi * tau * (1.0 / (kappa * tau).max(1.0));
    let mut reach = 12.0 * libm::sqrt(total_variance) + vol_of_variance;
    let Jumps {
        intensity,
        mean,
        sd,
    } = *jumps;
    if intensity > 0.0 {
        let jumps = intensity * tau + 6.0 * libm::sqrt(intensity * tau) + 1.0;
        reach += jumps * mean.abs() + 7.0 * sd * libm::sqrt(jumps);
    }
    reach
}

/// The trapezoidal rule's period `2π/Δu` for nodes over `|k| ≤ evaluated` of
/// a distribution of reach `reach`: `evaluated + 1.25·reach`, so that each
/// node's aliased images (at `k ± period`) fall a quarter of the reach beyond
/// the reach, where the integrand's transform has vanished (module docs).
fn trapezoid_period(evaluated: f64, reach: f64) -> f64 {
    evaluated + 1.25 * reach
}

/// Rows that would need more terms than this are not tabulated (see the module
/// docs).
pub const MAX_TERMS: usize = 4096;

/// The grid stops once `|φ|` and `φ_BS` are below this (both decay
/// monotonically in `u` on the grid's scale).
const CUTOFF: f64 = 1e-10;

/// One node's value and derivatives in units of the cell (`h` the step in
/// `ζ`, `g` in `η`): element `3a + b` is `g^a·h^b·∂^{a+b}f/∂η^a∂ζ^b`
/// (`a, b ≤ 2`), for the delta and the price.
#[derive(Clone, Copy, Debug)]
struct Node {
    delta: [f64; 9],
    price: [f64; 9],
}

/// How many integrals a row takes: four weights (module docs) times `φ − φ_BS`,
/// `Dφ` and `D²φ` (the variance derivatives up to the second).
const INTEGRALS: usize = 12;

/// One date of the table.
#[derive(Debug)]
struct Slice {
    tau: f64,
    /// `x_c = ln K − (r − q)τ`.
    centre: f64,
    /// `a`: spot nodes at `k = a·sinh ζ`.
    scale: f64,
    /// The nodes span `ζ ∈ [−ζ_max, ζ_max]`.
    zeta_max: f64,
    zeta_step: f64,
    columns: usize,
    /// `w_k`: rows at `w = w_k·sinh η`.
    knee: f64,
    row_step: f64,
    /// Row `j` at `w = w_k·sinh(j·row_step)`, computed the first time a
    /// lookup needs it (`None` inside: a row that cannot be tabulated).
    rows: Vec<OnceLock<Option<Row>>>,
}

/// One row's nodes, by column.
#[derive(Debug)]
struct Row {
    /// The delta's nodes (apart from the price's, so that a delta lookup reads
    /// only its own).
    delta: Vec<[f64; 9]>,
    /// The price's nodes.
    price: Vec<[f64; 9]>,
}

/// The Heston (Bates) delta and price of one option (kind, strike, rate,
/// dividend, model) tabulated at a list of times to expiry (see the module
/// docs). Each row is computed the first time a lookup needs it — one path's
/// hedge needs a few rows a date, a Monte Carlo run most of them — and a row
/// depends only on the table's inputs, so the order in which rows are built
/// (or which thread builds them) changes no bit. `Send + Sync`.
#[derive(Debug)]
pub struct HestonTable {
    kind: OptionKind,
    strike: f64,
    rate: f64,
    dividend: f64,
    params: HestonParams,
    jumps: Jumps,
    max_w: f64,
    log_range: f64,
    /// Per date: the slice, or `None` at and after expiry (`τ ≤ 0`).
    slices: Vec<Option<Slice>>,
    taus: Vec<f64>,
}

/// The per-term factors of the integrals (module docs), each times the
/// trapezoidal weight: for `M` = `φ − φ_BS`, `Dφ`, `D²φ` in turn,
/// `Ma, M(½ + iu)a, M, M(iu − ½)`.
struct Terms {
    factors: Vec<[Complex; INTEGRALS]>,
    step: f64,
}

impl HestonTable {
    /// The table of a `kind` option of strike `strike` at rate `rate` and
    /// dividend yield `dividend`, under `params` (its `v0` is not used: the
    /// variance is a coordinate) and `jumps`, at each time to expiry of `taus`
    /// (the scenario's dates; `τ ≤ 0` is the payoff).
    #[allow(clippy::too_many_arguments)] // the option, its market, the model, the dates, the grid
    pub fn new(
        kind: OptionKind,
        strike: f64,
        rate: f64,
        dividend: f64,
        params: &HestonParams,
        jumps: &Jumps,
        taus: &[f64],
        spec: HestonTableSpec,
    ) -> HestonTable {
        let mut table = HestonTable {
            kind,
            strike,
            rate,
            dividend,
            params: *params,
            jumps: *jumps,
            max_w: libm::sqrt(spec.max_variance.max(0.0)),
            log_range: spec.log_range,
            slices: Vec::with_capacity(taus.len()),
            taus: taus.to_vec(),
        };
        let slices = taus
            .iter()
            .map(|&tau| (tau > 0.0).then(|| table.slice(tau, &spec)))
            .collect();
        table.slices = slices;
        table
    }

    /// Compute every row now (rather than on first use): for timing the
    /// whole table. With the `parallel` feature, on rayon's threads.
    pub fn tabulate_all(&self) {
        let rows: Vec<(&Slice, usize)> = self
            .slices
            .iter()
            .flatten()
            .flat_map(|slice| (0..slice.rows.len()).map(move |j| (slice, j)))
            .collect();
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            rows.par_iter().for_each(|&(slice, j)| {
                self.row_of(slice, j);
            });
        }
        #[cfg(not(feature = "parallel"))]
        for &(slice, j) in &rows {
            self.row_of(slice, j);
        }
    }

    /// The times to expiry the table was built for, by date index.
    pub fn taus(&self) -> &[f64] {
        &self.taus
    }

    fn slice(&self, tau: f64, spec: &HestonTableSpec) -> Slice {
        let b = decay_integral(self.params.kappa, tau);
        let long_run = self.params.theta * (tau - b);
        let scale = (0.25 * libm::sqrt(long_run)).max(1e-6);
        let zeta_max = libm::asinh(self.log_range / scale);
        let columns = (libm::ceil(2.0 * zeta_max / spec.zeta_step) as usize).max(1) + 1;
        let knee = libm::sqrt(long_run / b).max(1e-3);
        let eta_max = libm::asinh(self.max_w / knee);
        let rows = (libm::ceil(eta_max / spec.row_step) as usize).max(1) + 1;
        Slice {
            tau,
            centre: libm::log(self.strike) - (self.rate - self.dividend) * tau,
            scale,
            zeta_max,
            zeta_step: 2.0 * zeta_max / (columns - 1) as f64,
            columns,
            knee,
            row_step: eta_max / (rows - 1) as f64,
            rows: (0..rows).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Row `j` of `slice`, computed now if no lookup has needed it before.
    fn row_of<'a>(&self, slice: &'a Slice, j: usize) -> Option<&'a Row> {
        slice.rows[j]
            .get_or_init(|| {
                let eta = j as f64 * slice.row_step;
                let w = slice.knee * libm::sinh(eta);
                let cf = CharacteristicFunction::new(&self.params, &self.jumps, slice.tau);
                self.row(slice, &cf, w, eta).map(|nodes| Row {
                    delta: nodes.iter().map(|node| node.delta).collect(),
                    price: nodes.iter().map(|node| node.price).collect(),
                })
            })
            .as_ref()
    }

    /// The trapezoidal terms of row `v` with step `step`, or `None` if more than
    /// [`MAX_TERMS`] are needed.
    fn terms(
        &self,
        cf: &CharacteristicFunction,
        v: f64,
        total_variance: f64,
        step: f64,
    ) -> Option<Terms> {
        let mut factors = Vec::new();
        for j in 0..MAX_TERMS {
            let u = j as f64 * step;
            let shifted = u * u + 0.25;
            let (constant, slope) = cf.affine_parts(u);
            let phi = constant.add(slope.scale(v)).exp();
            let control = libm::exp(-0.5 * total_variance * shifted);
            if j >= 2 && phi.norm_sqr() < CUTOFF * CUTOFF && control < CUTOFF {
                return Some(Terms { factors, step });
            }
            let weight = if j == 0 { 0.5 * step } else { step };
            let difference = phi.sub(Complex::new(control, 0.0)).scale(weight);
            let slope_phi = slope.mul(phi).scale(weight);
            let curvature_phi = slope.mul(slope_phi);
            // (½ + iu)/(u² + ¼) = 1/(½ − iu).
            let delta_factor = Complex::new(0.5 / shifted, u / shifted);
            let x_factor = Complex::new(-0.5, u);
            let mut all = [Complex::new(0.0, 0.0); INTEGRALS];
            for (family, m) in [difference, slope_phi, curvature_phi]
                .into_iter()
                .enumerate()
            {
                all[4 * family] = m.scale(1.0 / shifted);
                all[4 * family + 1] = m.mul(delta_factor);
                all[4 * family + 2] = m;
                all[4 * family + 3] = m.mul(x_factor);
            }
            factors.push(all);
        }
        None
    }

    /// Row `w` (`η = asinh(w/w_k)`) of `slice`, or `None` if it cannot be
    /// tabulated.
    fn row(
        &self,
        slice: &Slice,
        cf: &CharacteristicFunction,
        w: f64,
        eta: f64,
    ) -> Option<Vec<Node>> {
        let tau = slice.tau;
        let v = w * w;
        let params = HestonParams {
            v0: v,
            ..self.params
        };
        let total_variance = expected_total_variance(&params, &self.jumps, tau);
        let control_vol = libm::sqrt(total_variance / tau);
        let reach = distribution_reach(&self.params, &self.jumps, tau, total_variance);
        let evaluated = self.log_range.min(reach);
        let period = trapezoid_period(evaluated, reach);
        let terms = self.terms(cf, v, total_variance, 2.0 * core::f64::consts::PI / period)?;
        let columns = slice.columns;
        let ks: Vec<f64> = (0..columns)
            .map(|i| slice.scale * libm::sinh(-slice.zeta_max + i as f64 * slice.zeta_step))
            .collect();
        // Within the reach, the integrals; beyond it, the control alone. The
        // test is against the reach, not `evaluated`: the end nodes are at
        // ±range only to rounding (a·sinh ζ_max can come out an ulp above it),
        // and treating one as beyond would put the control's value, off by the
        // whole Heston correction, at the table's edge.
        let inside: Vec<usize> = (0..columns).filter(|&i| ks[i].abs() <= reach).collect();
        let sums = fourier_sums(&terms, &inside.iter().map(|&i| ks[i]).collect::<Vec<_>>());
        let discount = libm::exp(-0.5 * (self.rate + self.dividend) * tau) / core::f64::consts::PI;
        let total_vol = libm::sqrt(total_variance);
        // v = w_k²·sinh²η: dv/dη = w_k²·sinh 2η, d²v/dη² = 2w_k²·cosh 2η.
        let knee2 = slice.knee * slice.knee;
        let (v1, v2) = (
            knee2 * libm::sinh(2.0 * eta),
            2.0 * knee2 * libm::cosh(2.0 * eta),
        );
        let (g, h) = (slice.row_step, slice.zeta_step);
        let mut nodes = Vec::with_capacity(columns);
        let mut next_inside = 0;
        for (i, &k) in ks.iter().enumerate() {
            let zeta = -slice.zeta_max + i as f64 * slice.zeta_step;
            // x = x_c + a·sinh ζ: dx/dζ = a·cosh ζ, d²x/dζ² = a·sinh ζ = k.
            let x1 = slice.scale * libm::cosh(zeta);
            let spot = libm::exp(slice.centre + k);
            let control = black_scholes::greeks(
                self.kind,
                &Inputs {
                    spot,
                    strike: self.strike,
                    tau,
                    rate: self.rate,
                    dividend: self.dividend,
                    vol: control_vol,
                },
            );
            let integrals: [f64; INTEGRALS] =
                if next_inside < inside.len() && inside[next_inside] == i {
                    next_inside += 1;
                    core::array::from_fn(|m| sums[m][next_inside - 1])
                } else {
                    [0.0; INTEGRALS] // beyond the reach: the control is the option
                };
            // c = e^{−(r+q)τ/2}/π·√(K/S).
            let c = discount * libm::sqrt(self.strike / spot);
            // ∂(S·Γ)/∂x = −S·Γ·d₁/(σ√τ) for the control.
            let control_gamma_x = if total_vol > black_scholes::MIN_TOTAL_VOL {
                let d1 = (k + 0.5 * total_variance) / total_vol;
                -spot * control.gamma * d1 / total_vol
            } else {
                0.0
            };
            // Per order a of ∂/∂v: [Δ, Δ_x, Δ_xx] and [V, V_x, V_xx]; the control
            // (a constant of the row) only in order 0.
            let mut delta = [[0.0; 3]; 3];
            let mut price = [[0.0; 3]; 3];
            for a in 0..3 {
                let [p, d, dx, dxx] = [0, 1, 2, 3].map(|m| integrals[4 * a + m]);
                let base = if a == 0 {
                    [control.delta, spot * control.gamma, control_gamma_x]
                } else {
                    [0.0; 3]
                };
                delta[a] = [base[0] - c * d, base[1] + c * dx, base[2] + c * dxx];
                let value = if a == 0 { control.price } else { 0.0 } - c * spot * p;
                // ∂V/∂x = S·Δ, ∂²V/∂x² = S·(Δ + Δ_x).
                price[a] = [
                    value,
                    spot * delta[a][0],
                    spot * (delta[a][0] + delta[a][1]),
                ];
            }
            nodes.push(Node {
                delta: in_cell(&delta, (x1, k, h), (v1, v2, g)),
                price: in_cell(&price, (x1, k, h), (v1, v2, g)),
            });
        }
        Some(nodes)
    }

    /// The exact delta or price (the fallback).
    fn exact(&self, log_spot: f64, variance: f64, tau: f64, price: bool) -> f64 {
        let market = Market {
            spot: libm::exp(log_spot),
            strike: self.strike,
            tau,
            rate: self.rate,
            dividend: self.dividend,
        };
        let params = HestonParams {
            v0: variance.max(0.0),
            ..self.params
        };
        if price {
            heston_price(self.kind, &market, &params, &self.jumps)
        } else {
            heston_delta(self.kind, &market, &params, &self.jumps)
        }
    }

    /// The cell of `(log_spot, variance)` at date `date`: its lower and
    /// upper rows, the column of its left nodes and the position `(t, s)` in
    /// it (rows computed now if needed); `None` outside the table or where a
    /// row cannot be tabulated.
    fn locate(&self, date: usize, log_spot: f64, variance: f64) -> Option<Cell<'_>> {
        let slice = self.slices[date].as_ref()?;
        let k = log_spot - slice.centre;
        let w = libm::sqrt(variance.max(0.0));
        if !(k.abs() <= self.log_range && w <= self.max_w) {
            return None;
        }
        let at = (libm::asinh(k / slice.scale) + slice.zeta_max) / slice.zeta_step;
        let column = libm::floor(at).clamp(0.0, (slice.columns - 2) as f64);
        let rows = slice.rows.len();
        let position = libm::asinh(w / slice.knee) / slice.row_step;
        let row = libm::floor(position).clamp(0.0, (rows - 2) as f64);
        let row_index = row as usize;
        Some(Cell {
            lower: self.row_of(slice, row_index)?,
            upper: self.row_of(slice, row_index + 1)?,
            column: column as usize,
            t: at - column,
            s: position - row,
        })
    }

    /// Whether the table answers at this point itself (else [`HestonTable::delta`]
    /// and [`HestonTable::price`] compute the formula; at `τ ≤ 0`, the payoff).
    pub fn is_tabulated(&self, date: usize, log_spot: f64, variance: f64) -> bool {
        self.taus[date] <= 0.0 || self.locate(date, log_spot, variance).is_some()
    }

    /// The delta `∂V/∂S` at date `date` (an index into the `taus` the table was
    /// built with), `ln S = log_spot` and variance `variance`: interpolated
    /// inside the table, else computed exactly; the payoff's delta at `τ ≤ 0`.
    pub fn delta(&self, date: usize, log_spot: f64, variance: f64) -> f64 {
        let tau = self.taus[date];
        if tau <= 0.0 {
            return self.kind.payoff_delta(libm::exp(log_spot), self.strike);
        }
        match self.locate(date, log_spot, variance) {
            Some(cell) => cell.interpolate(&cell.lower.delta, &cell.upper.delta),
            None => self.exact(log_spot, variance, tau, false),
        }
    }

    /// The value of one option at date `date`, `ln S = log_spot` and variance
    /// `variance` (as [`HestonTable::delta`]); the payoff at `τ ≤ 0`.
    pub fn price(&self, date: usize, log_spot: f64, variance: f64) -> f64 {
        let tau = self.taus[date];
        if tau <= 0.0 {
            return self.kind.payoff(libm::exp(log_spot), self.strike);
        }
        match self.locate(date, log_spot, variance) {
            Some(cell) => cell.interpolate(&cell.lower.price, &cell.upper.price),
            None => self.exact(log_spot, variance, tau, true),
        }
    }
}

/// The integrals at each log-moneyness of `ks`: for node `k` and integral
/// `m`, `Σ_j Re[e^{iu_j k}·factor_{j,m}]`, with `e^{iu_j k}` advanced by one
/// complex multiplication per term. Returned per integral (`[m][node]`): the
/// loop over nodes runs over contiguous arrays.
fn fourier_sums(terms: &Terms, ks: &[f64]) -> [Vec<f64>; INTEGRALS] {
    let n = ks.len();
    let mut sums: [Vec<f64>; INTEGRALS] = core::array::from_fn(|_| vec![0.0; n]);
    // Nodes in blocks of `SUM_LANES`, each block's phases and sums held in
    // registers across all the terms (the factors stream from cache once per
    // block): a term costs a complex product per node for the phase and one
    // per integral, and no loads or stores of the sums. Each sum still adds its
    // terms in order, so the blocking changes no bit.
    for (block, block_ks) in ks.chunks(SUM_LANES).enumerate() {
        let mut rotation_re = [1.0; SUM_LANES];
        let mut rotation_im = [0.0; SUM_LANES];
        for (lane, &k) in block_ks.iter().enumerate() {
            let (sin, cos) = libm::sincos(terms.step * k);
            rotation_re[lane] = cos;
            rotation_im[lane] = sin;
        }
        let mut phase_re = [1.0; SUM_LANES];
        let mut phase_im = [0.0; SUM_LANES];
        let mut totals = [[0.0; SUM_LANES]; INTEGRALS];
        for factors in &terms.factors {
            for (total, factor) in totals.iter_mut().zip(factors) {
                for lane in 0..SUM_LANES {
                    total[lane] += phase_re[lane] * factor.re - phase_im[lane] * factor.im;
                }
            }
            for lane in 0..SUM_LANES {
                let (r, i) = (phase_re[lane], phase_im[lane]);
                phase_re[lane] = r * rotation_re[lane] - i * rotation_im[lane];
                phase_im[lane] = r * rotation_im[lane] + i * rotation_re[lane];
            }
        }
        for (sum, total) in sums.iter_mut().zip(&totals) {
            let start = block * SUM_LANES;
            sum[start..start + block_ks.len()].copy_from_slice(&total[..block_ks.len()]);
        }
    }
    sums
}

/// Nodes summed together by [`fourier_sums`] (two vector lanes' worth: their
/// sums and phases fit in the registers).
const SUM_LANES: usize = 2;

/// The derivatives `f[a][b] = ∂^{a+b}f/∂v^a∂x^b` (`a, b ≤ 2`) in units of the
/// cell (a [`Node`]'s nine numbers), by the chain rule with `x′ = x1`,
/// `x″ = x2` in `ζ` (step `h`) and `v′ = v1`, `v″ = v2` in `η` (step `g`).
fn in_cell(
    f: &[[f64; 3]; 3],
    (x1, x2, h): (f64, f64, f64),
    (v1, v2, g): (f64, f64, f64),
) -> [f64; 9] {
    // Along ζ first, for each order in v.
    let along: [[f64; 3]; 3] = core::array::from_fn(|a| {
        let [f0, f1, f2] = f[a];
        [f0, h * x1 * f1, h * h * (x1 * x1 * f2 + x2 * f1)]
    });
    core::array::from_fn(|index| {
        let (a, b) = (index / 3, index % 3);
        match a {
            0 => along[0][b],
            1 => g * v1 * along[1][b],
            _ => g * g * (v1 * v1 * along[2][b] + v2 * along[1][b]),
        }
    })
}

/// A lookup's cell: its two rows, the column of its left nodes, and the
/// position `(t, s)` in it (in `ζ` and `η`, each in `[0, 1]`).
struct Cell<'a> {
    lower: &'a Row,
    upper: &'a Row,
    column: usize,
    t: f64,
    s: f64,
}

impl Cell<'_> {
    /// The quintic Hermite interpolant of the nodes (`lower` and `upper`: the
    /// cell's rows of the delta's or the price's nodes) at the cell's
    /// position: along `ζ` on each row (the value and its two `η`-derivatives),
    /// then along `η`.
    fn interpolate(&self, lower: &[[f64; 9]], upper: &[[f64; 9]]) -> f64 {
        let [b0, b1, b2, b3, b4, b5] = quintic_hermite(self.t);
        let along = |nodes: &[[f64; 9]]| -> [f64; 3] {
            let (f, e) = (&nodes[self.column], &nodes[self.column + 1]);
            core::array::from_fn(|a| {
                let i = 3 * a;
                b0 * f[i]
                    + b1 * e[i]
                    + b2 * f[i + 1]
                    + b3 * e[i + 1]
                    + b4 * f[i + 2]
                    + b5 * e[i + 2]
            })
        };
        let [l0, l1, l2] = along(lower);
        let [u0, u1, u2] = along(upper);
        let [c0, c1, c2, c3, c4, c5] = quintic_hermite(self.s);
        c0 * l0 + c1 * u0 + c2 * l1 + c3 * u1 + c4 * l2 + c5 * u2
    }
}

/// The quintic Hermite basis on `[0, 1]` at `t`: the weights of the values at 0
/// and 1, of the first derivatives (times the step) at 0 and 1, and of the
/// second derivatives (times its square) at 0 and 1.
fn quintic_hermite(t: f64) -> [f64; 6] {
    let t2 = t * t;
    let t3 = t2 * t;
    let t4 = t3 * t;
    let t5 = t4 * t;
    [
        1.0 - 10.0 * t3 + 15.0 * t4 - 6.0 * t5,
        10.0 * t3 - 15.0 * t4 + 6.0 * t5,
        t - 6.0 * t3 + 8.0 * t4 - 3.0 * t5,
        -4.0 * t3 + 7.0 * t4 - 3.0 * t5,
        0.5 * (t2 - 3.0 * t3 + 3.0 * t4 - t5),
        0.5 * (t3 - 2.0 * t4 + t5),
    ]
}
