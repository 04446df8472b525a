//! A precomputed table of the Heston (Bates) delta of one option, for a hedge
//! loop that needs `Δ(ln S, v, τ)` at every step of every path.
//!
//! **Coordinates.** One slice per time to expiry `τ` the table is built for (the
//! hedge dates: between them nothing is interpolated, see below). In a slice the
//! delta is tabulated against
//! - the standardised log-moneyness `z = (ln S − x_c)/σ(w)`, `x_c = ln K − (r − q)τ`
//!   (`z = 0` at the money forward), `σ(w)² = θ(τ − b) + b·w² + λτ(m² + s²)`,
//!   `b = (1 − e^{−κτ})/κ`: the expected total variance to expiry from variance
//!   `v = w²`, so that the delta is an S-curve of about unit width in `z` whatever
//!   `v` and `τ`. Nodes are equally spaced in `ζ`, `z = c·sinh ζ` (`c = ½`):
//!   dense at the money, where a collapsing variance (Feller violated) makes the
//!   curve much narrower than `σ(w)` suggests, sparse in the flat wings;
//! - `w = √v` (the delta is smooth in `√v` at 0, not in `v`), rows equally spaced
//!   in `asinh(w/w_k)`, `w_k = √(θ(τ − b)/b)` the variance at which the path's own
//!   variance starts to dominate the long-run one (dense near 0 before expiry).
//!
//! **Interpolation.** Along `ζ`, quintic Hermite from the exact `Δ`, `∂Δ/∂ζ`,
//! `∂²Δ/∂ζ²` at the nodes (error `O(h⁶)`); across rows, Lagrange through the six
//! nearest at the same `z` (degree 5). A lookup costs about 0.2 µs natively.
//!
//! **Building.** The characteristic function does not depend on the spot, so each
//! row (a slice and a `w`) is one adaptive integration
//! ([`crate::pricing::quadrature::integrate_half_line_many`]) giving all its nodes
//! together. Lewis's delta and its `x = ln S` derivatives, with
//! `c = √(K/S)e^{−(r+q)τ/2}/π`, `k = ln(F/K)`:
//!
//! ```text
//! Δ_call  = e^{−qτ} − c ∫₀^∞ Re[e^{iuk} φ(u − i/2)/(½ − iu)] du
//! ∂ⁿΔ/∂xⁿ = −c ∫₀^∞ Re[e^{iuk} φ(u − i/2)(iu − ½)ⁿ/(½ − iu)] du      (n = 1, 2)
//! Δ_put   = Δ_call − e^{−qτ}
//! ```
//!
//! (`φ` as in [`crate::pricing::heston`]; `∂/∂ζ = σz′(ζ)·∂/∂x`). About 12 ms
//! per row natively with 129 × 31 nodes: 0.4 s per slice, so a table for every
//! date of a 252-step scenario takes about 100 s — too slow for the page as it
//! stands (fewer slices with interpolation in τ would be the next step).
//!
//! **Accuracy** (maximum error against [`heston_delta`] between the nodes, spots
//! 60–160 with K = 100, `v` up to 0.25, τ from 0.004 to 0.5; `z_max` = 8):
//! κ = 1.5, θ = 0.04, ξ = 0.5, ρ = −0.7: 5e−7 with 129 × 31 nodes, 7e−8 with
//! 97 × 41; the same with jumps (λ = 1, m = −0.1, s = 0.15): 3e−6 with 97 × 41;
//! Feller violated (κ = 0.5, ξ = 1, ρ = −0.9): 2e−6 with 129 × 61. The rows
//! limit it: more `w` nodes for rougher models.
//!
//! **Outside the table** — a `τ` it was not built for, `|z| > z_max`, `v` above
//! its range, or rows whose `σ(w)` is below 1e−4 (no variance left just before
//! expiry) — the lookup computes [`heston_delta`] itself: slower, never wrong.
//!
//! **Tested by** `tests/heston.rs`: the table against [`heston_delta`] between the
//! nodes over a slice's whole range (≤ 1e−6), the put as the call less
//! `e^{−qτ}`, and the fallback outside the table.

use crate::paths::Jumps;
use crate::pricing::black_scholes::OptionKind;
use crate::pricing::heston::{
    decay_integral, heston_delta, jump_variance, CharacteristicFunction, Complex, HestonParams,
    Market,
};
use crate::pricing::quadrature::integrate_half_line_many;

/// The ranges and resolution of a [`HestonDeltaTable`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeltaTableSpec {
    /// The table covers `|z| ≤ z_max` standard deviations (8: beyond it the
    /// lookup computes the delta exactly).
    pub z_max: f64,
    /// Nodes in `z` (at least 2; 97 to 129 over ±8, see the module docs).
    pub z_nodes: usize,
    /// Largest variance covered (the range is `[0, max_variance]`).
    pub max_variance: f64,
    /// Rows in `√v` (at least 6; 31 to 61, see the module docs).
    pub vol_nodes: usize,
}

/// One slice of the table: a time to expiry and its rows.
#[derive(Clone, Debug)]
struct Slice {
    tau: f64,
    /// `θ(τ − b) + λτ(m² + s²)`: `σ(w)² = constant + b·w²`.
    variance_constant: f64,
    /// `b = (1 − e^{−κτ})/κ`.
    variance_slope: f64,
    /// `x_c = ln K − (r − q)τ`.
    centre: f64,
    /// `w_k`: rows are equally spaced in `asinh(w/w_k)`.
    knee: f64,
    /// Step of the rows in `asinh(w/w_k)`.
    row_step: f64,
    /// Per row `j`, whether it was tabulated (`σ(w_j)` not too small).
    usable: Vec<bool>,
    /// Per row `j` and node `i` (`j·z_nodes + i`): `[Δ, ∂Δ/∂z, ∂²Δ/∂z²]`.
    nodes: Vec<[f64; 3]>,
}

/// The delta of one option (kind, strike, rate, dividend, model) tabulated at a
/// set of times to expiry (see the module docs).
#[derive(Clone, Debug)]
pub struct HestonDeltaTable {
    kind: OptionKind,
    strike: f64,
    rate: f64,
    dividend: f64,
    params: HestonParams,
    jumps: Jumps,
    spec: DeltaTableSpec,
    /// `asinh(z_max/c)`: the grid covers `ζ ∈ [−ζ_max, ζ_max]`, `z = c·sinh ζ`.
    zeta_max: f64,
    /// Step of the grid in `ζ`.
    zeta_step: f64,
    slices: Vec<Slice>,
}

/// Absolute tolerance of each row's integrals.
const TOLERANCE: f64 = 1e-13;
/// Interval budget of one row's integration.
const MAX_INTERVALS: usize = 1000;
/// Rows whose `σ(w)` is below this are not tabulated (the delta is then nearly a
/// step in `ln S`).
const MIN_DEVIATION: f64 = 1e-4;

impl HestonDeltaTable {
    /// The table of the delta of a `kind` option of strike `strike`, rate `rate`,
    /// dividend yield `dividend`, under `params` (its `v0` is ignored: the
    /// variance is a coordinate) and `jumps`, at each `τ > 0` of `taus`. Cost: one
    /// adaptive integration per `τ` and `√v` node.
    #[allow(clippy::too_many_arguments)] // the option, its market, the model, the grid
    pub fn new(
        kind: OptionKind,
        strike: f64,
        rate: f64,
        dividend: f64,
        params: &HestonParams,
        jumps: &Jumps,
        taus: &[f64],
        spec: DeltaTableSpec,
    ) -> HestonDeltaTable {
        let spec = DeltaTableSpec {
            z_nodes: spec.z_nodes.max(2),
            vol_nodes: spec.vol_nodes.max(STENCIL),
            ..spec
        };
        let mut table = HestonDeltaTable {
            kind,
            strike,
            rate,
            dividend,
            params: *params,
            jumps: *jumps,
            spec,
            zeta_max: libm::asinh(spec.z_max / STRETCH),
            zeta_step: 2.0 * libm::asinh(spec.z_max / STRETCH) / (spec.z_nodes - 1) as f64,
            slices: Vec::with_capacity(taus.len()),
        };
        for &tau in taus.iter().filter(|&&tau| tau > 0.0) {
            let slice = table.slice(tau);
            table.slices.push(slice);
        }
        table
    }

    fn slice(&self, tau: f64) -> Slice {
        let slope = decay_integral(self.params.kappa, tau);
        let jump_variance = jump_variance(&self.jumps, tau);
        let variance_constant = self.params.theta * (tau - slope) + jump_variance;
        // Where the variance's own contribution b·w² overtakes the long-run
        // variance's θ(τ − b) (the jumps' part does not depend on w).
        let knee = libm::sqrt(self.params.theta * (tau - slope) / slope).max(1e-3);
        let max_w = libm::sqrt(self.spec.max_variance);
        let mut slice = Slice {
            tau,
            variance_constant,
            variance_slope: slope,
            centre: libm::log(self.strike) - (self.rate - self.dividend) * tau,
            knee,
            row_step: libm::asinh(max_w / knee) / (self.spec.vol_nodes - 1) as f64,
            usable: Vec::with_capacity(self.spec.vol_nodes),
            nodes: Vec::with_capacity(self.spec.vol_nodes * self.spec.z_nodes),
        };
        for j in 0..self.spec.vol_nodes {
            let w = knee * libm::sinh(j as f64 * slice.row_step);
            let deviation = slice.deviation(w);
            let usable = deviation >= MIN_DEVIATION;
            slice.usable.push(usable);
            if usable {
                let row = self.row(&slice, w, deviation);
                slice.nodes.extend(row);
            } else {
                slice
                    .nodes
                    .extend(core::iter::repeat_n([f64::NAN; 3], self.spec.z_nodes));
            }
        }
        slice
    }

    /// `[Δ, h·∂Δ/∂ζ, h²·∂²Δ/∂ζ²]` at every node of row `w` of `slice`.
    fn row(&self, slice: &Slice, w: f64, deviation: f64) -> Vec<[f64; 3]> {
        let nz = self.spec.z_nodes;
        let tau = slice.tau;
        let params = HestonParams {
            v0: w * w,
            ..self.params
        };
        let cf = CharacteristicFunction::new(&params, &self.jumps, tau);
        // At node i: ζ_i, z_i = c·sinh ζ_i, k_i = ln(F/K) = σ·z_i, and
        // q_i = σ·z'(ζ_i)·h, the x-derivative's factor into h·∂/∂ζ.
        let h = self.zeta_step;
        let zetas: Vec<f64> = (0..nz).map(|i| -self.zeta_max + i as f64 * h).collect();
        let ks: Vec<f64> = zetas
            .iter()
            .map(|&zeta| deviation * STRETCH * libm::sinh(zeta))
            .collect();
        let qs: Vec<f64> = zetas
            .iter()
            .map(|&zeta| deviation * STRETCH * libm::cosh(zeta) * h)
            .collect();
        let integrand = |u: f64, out: &mut [f64]| {
            // φ(u − i/2)/(½ − iu) = φ·(½ + iu)/(u² + ¼).
            let shifted = u * u + 0.25;
            let weighted = cf
                .at_shifted(u)
                .mul(Complex::new(0.5 / shifted, u / shifted));
            let x_factor = Complex::new(-0.5, u); // iu − ½
            for ((node, &k), &q) in out.chunks_exact_mut(3).zip(&ks).zip(&qs) {
                // Each derivative times q, q²: in the units it enters the
                // interpolant with, so that one tolerance fits all three.
                let (sin, cos) = libm::sincos(u * k);
                let value = Complex::new(cos, sin).mul(weighted);
                let first = value.mul(x_factor).scale(q);
                node[0] = value.re;
                node[1] = first.re;
                node[2] = first.mul(x_factor).scale(q).re;
            }
        };
        let scale = (1.0 / deviation).clamp(1e-2, 1e8);
        let integrals =
            integrate_half_line_many(integrand, 3 * nz, scale, TOLERANCE, MAX_INTERVALS).values;
        let discount = libm::exp(-0.5 * (self.rate + self.dividend) * tau) / core::f64::consts::PI;
        let share_discount = libm::exp(-self.dividend * tau);
        let put_shift = match self.kind {
            OptionKind::Call => 0.0,
            OptionKind::Put => share_discount,
        };
        integrals
            .chunks_exact(3)
            .zip(ks.iter().zip(&qs))
            .map(|(integral, (&k, &q))| {
                // √(K/S) with ln S = x_c + k.
                let c = libm::exp(0.5 * (libm::log(self.strike) - slice.centre - k)) * discount;
                // h·∂Δ/∂ζ = q·∂Δ/∂x; h²·∂²Δ/∂ζ² = q²·∂²Δ/∂x² + h²σz''·∂Δ/∂x, z'' = z.
                let first = -c * integral[1];
                let x_derivative = first / q;
                let z = k / deviation;
                [
                    share_discount - put_shift - c * integral[0],
                    first,
                    -c * integral[2] + h * h * deviation * z * x_derivative,
                ]
            })
            .collect()
    }

    /// The semi-analytic delta (the fallback).
    fn exact(&self, log_spot: f64, variance: f64, tau: f64) -> f64 {
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
        heston_delta(self.kind, &market, &params, &self.jumps)
    }

    /// The delta at `ln S = log_spot`, variance `variance` and time to expiry
    /// `tau`: interpolated when `tau` is one of the table's times (to 1e−12
    /// relative) and the point inside its ranges, else computed exactly. `τ ≤ 0`
    /// gives the payoff's delta.
    pub fn delta(&self, log_spot: f64, variance: f64, tau: f64) -> f64 {
        let slice = self
            .slices
            .iter()
            .find(|s| (s.tau - tau).abs() <= 1e-12 * s.tau.max(1.0));
        let Some(slice) = slice else {
            return self.exact(log_spot, variance, tau);
        };
        let w = libm::sqrt(variance.max(0.0));
        let deviation = slice.deviation(w);
        let z = (log_spot - slice.centre) / deviation;
        let max_w = libm::sqrt(self.spec.max_variance);
        if !(z.abs() <= self.spec.z_max && w <= max_w && deviation >= MIN_DEVIATION) {
            return self.exact(log_spot, variance, tau);
        }
        // The STENCIL rows around w, and their Lagrange weights.
        let nw = self.spec.vol_nodes;
        let position = libm::asinh(w / slice.knee) / slice.row_step;
        let first =
            (libm::floor(position) - (STENCIL / 2 - 1) as f64).clamp(0.0, (nw - STENCIL) as f64);
        let s = position - first;
        let first = first as usize;
        if !slice.usable[first..first + STENCIL].iter().all(|&u| u) {
            return self.exact(log_spot, variance, tau);
        }
        let lagrange = lagrange_weights(s);
        // The z cell and the quintic Hermite basis across it.
        let nz = self.spec.z_nodes;
        let at = (libm::asinh(z / STRETCH) + self.zeta_max) / self.zeta_step;
        let i = libm::floor(at).clamp(0.0, (nz - 2) as f64);
        let t = at - i;
        let i = i as usize;
        let basis = quintic_hermite(t);
        let mut total = 0.0;
        for (row, weight) in (first..first + STENCIL).zip(lagrange) {
            let [f0, d0, s0] = slice.nodes[row * nz + i];
            let [f1, d1, s1] = slice.nodes[row * nz + i + 1];
            let value = basis[0] * f0
                + basis[1] * f1
                + basis[2] * d0
                + basis[3] * d1
                + basis[4] * s0
                + basis[5] * s1;
            total += weight * value;
        }
        total
    }
}

impl Slice {
    /// `σ(w) = √(θ(τ − b) + b·w² + λτ(m² + s²))`.
    fn deviation(&self, w: f64) -> f64 {
        libm::sqrt((self.variance_constant + self.variance_slope * w * w).max(0.0))
    }
}

/// `c` of the node spacing in `z`: nodes equally spaced in `ζ`, `z = c·sinh ζ`,
/// so `c`·Δζ apart at the money and `|z|`·Δζ apart in the wings, where the delta
/// is flat (and a collapsing variance can make the at-the-money part much
/// narrower than the mean variance's `σ` suggests).
const STRETCH: f64 = 0.5;

/// Rows in the interpolation across `w` (a polynomial of degree `STENCIL − 1`).
const STENCIL: usize = 6;

/// The Lagrange weights of the nodes `0, 1, …, STENCIL − 1` at `s`.
fn lagrange_weights(s: f64) -> [f64; STENCIL] {
    core::array::from_fn(|j| {
        (0..STENCIL).filter(|&m| m != j).fold(1.0, |product, m| {
            product * (s - m as f64) / (j as f64 - m as f64)
        })
    })
}

/// The quintic Hermite basis on `[0, 1]` at `t`: the weights of the values at 0
/// and 1, of the first derivatives (times `h`) at 0 and 1, and of the second
/// derivatives (times `h²`) at 0 and 1.
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
