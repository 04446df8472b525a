//! What the hedge neutralises, and the hedge options that make it possible.
//!
//! Shares have a delta of one and no gamma or vega, so they can neutralise the
//! book's delta only. To neutralise gamma or vega too, the hedger trades options
//! (the *hedge options*, `with=` in a link), whose Greeks are priced with the
//! hedging vol. With hedge options `j = 1…m` (per-option Greeks `Δ_j, Γ_j, ν_j`)
//! and the book's Greeks `Δ_B, Γ_B, ν_B`, the hedger holds `w_j` options with
//!
//! ```text
//! delta-gamma:        Σ_j w_j Γ_j = −Γ_B
//! delta-vega:         Σ_j w_j ν_j = −ν_B
//! delta-gamma-vega:   both (a 2×m system)
//! ```
//!
//! and then `−(Δ_B + Σ_j w_j Δ_j)` shares for the delta that is left (Hull,
//! *Options, Futures, and Other Derivatives*, ch. 19, "Gamma" and "Vega"). With
//! more hedge options than Greeks the system has many solutions; the hedger takes
//! the one with the fewest options in the least-squares sense (the minimum-norm
//! solution `w = Aᵀ(AAᵀ)⁻¹b`), which trades no option it does not need.
//!
//! **Tested by** `tests/greeks_hedge.rs`: Hull's worked example (position gamma
//! −5,000 and vega −8,000 hedged with two options → 400 and 6,000 options and
//! 3,240 shares sold), the minimum-norm choice, singular systems.

use crate::engine::lanes::Real;
use crate::pricing::black_scholes::Greeks;

/// Most hedge options a hedger trades (a link's `with` lists at most this many;
/// the ledger has columns for each).
pub const MAX_HEDGE_OPTIONS: usize = 3;

/// Which Greeks of the whole position the hedge brings to zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GreekTargets {
    /// Delta only, with shares (the classic delta hedge).
    Delta,
    /// Delta and gamma: one hedge option at least.
    DeltaGamma,
    /// Delta and vega: one hedge option at least.
    DeltaVega,
    /// Delta, gamma and vega: two hedge options at least.
    DeltaGammaVega,
}

impl GreekTargets {
    /// How many Greeks besides delta the hedge options must neutralise (the
    /// fewest hedge options this needs).
    pub fn option_greeks(self) -> usize {
        match self {
            GreekTargets::Delta => 0,
            GreekTargets::DeltaGamma | GreekTargets::DeltaVega => 1,
            GreekTargets::DeltaGammaVega => 2,
        }
    }

    /// The rows of the system: the Greeks to neutralise, in order.
    fn rows(self) -> &'static [Greek] {
        match self {
            GreekTargets::Delta => &[],
            GreekTargets::DeltaGamma => &[Greek::Gamma],
            GreekTargets::DeltaVega => &[Greek::Vega],
            GreekTargets::DeltaGammaVega => &[Greek::Gamma, Greek::Vega],
        }
    }
}

/// A Greek the hedge options neutralise: one row of the system.
#[derive(Clone, Copy, Debug)]
enum Greek {
    Gamma,
    Vega,
}

impl Greek {
    /// This Greek of `g`, lane-wise.
    #[inline(always)]
    fn of<R: Real>(self, g: &HedgeGreeks<R>) -> R {
        match self {
            Greek::Gamma => g.gamma,
            Greek::Vega => g.vega,
        }
    }
}

/// Value, delta, gamma and vega of one option or of a book, for one path
/// (`R = f64`) or a vector of lanes: what the option hedge reads (a book's
/// value is left at 0: hedging it does not need it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HedgeGreeks<R: Real = f64> {
    /// Value.
    pub price: R,
    /// ∂V/∂S.
    pub delta: R,
    /// ∂²V/∂S².
    pub gamma: R,
    /// ∂V/∂σ.
    pub vega: R,
}

impl<R: Real> HedgeGreeks<R> {
    /// All four 0.
    #[inline(always)]
    pub fn zero() -> HedgeGreeks<R> {
        let zero = R::splat(0.0);
        HedgeGreeks {
            price: zero,
            delta: zero,
            gamma: zero,
            vega: zero,
        }
    }
}

impl From<&Greeks> for HedgeGreeks {
    fn from(g: &Greeks) -> HedgeGreeks {
        HedgeGreeks {
            price: g.price,
            delta: g.delta,
            gamma: g.gamma,
            vega: g.vega,
        }
    }
}

/// The hedge's holdings that neutralise `targets` of a book with Greeks `book`,
/// given one option of each hedge instrument (`options[j]`: Greeks per option).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NeutralHedge<R: Real = f64> {
    /// Options of each hedge instrument to hold (`w_j`; + long, − short); the
    /// entries past the number of hedge options are 0.
    pub options: [R; MAX_HEDGE_OPTIONS],
    /// Shares to hold: `−(Δ_B + Σ_j w_j Δ_j)`.
    pub shares: R,
}

/// Relative size below which the system's determinant counts as zero: the
/// hedge options cannot tell the Greeks apart (or have none left, as a deep
/// out-of-the-money option close to expiry).
const SINGULAR: f64 = 1e-12;

/// Solve for the holdings that neutralise `targets` (see the module docs).
/// `None` when the hedge options cannot neutralise them: fewer options than
/// Greeks, or a singular system (the hedger then keeps its option holdings).
/// Only the first [`MAX_HEDGE_OPTIONS`] options are used. Allocates nothing.
pub fn neutralise(
    book: &Greeks,
    options: &[Greeks],
    targets: GreekTargets,
) -> Option<NeutralHedge> {
    let mut units = [HedgeGreeks::zero(); MAX_HEDGE_OPTIONS];
    let count = options.len().min(MAX_HEDGE_OPTIONS);
    for (unit, option) in units.iter_mut().zip(options) {
        *unit = option.into();
    }
    let (solvable, neutral) = neutralise_lanes(&book.into(), &units[..count], targets);
    solvable.then_some(neutral)
}

/// [`neutralise`] lane-wise: the holdings, and in which lanes the system is
/// solvable (elsewhere the holdings are meaningless). The one form of the
/// solution, for one path (`R = f64`) and for the lane kernel.
#[inline(always)]
pub fn neutralise_lanes<R: Real>(
    book: &HedgeGreeks<R>,
    options: &[HedgeGreeks<R>],
    targets: GreekTargets,
) -> (R::Mask, NeutralHedge<R>) {
    let options = &options[..options.len().min(MAX_HEDGE_OPTIONS)];
    let rows = targets.rows();
    let zero = R::splat(0.0);
    let column = |row: Greek| {
        let mut a = [zero; MAX_HEDGE_OPTIONS];
        for (x, g) in a.iter_mut().zip(options) {
            *x = row.of(g);
        }
        a
    };
    // The products summed from the first (the bits of a sum from −0, the
    // identity of addition, as `Iterator::sum`; the columns are never empty).
    let dot = |x: &[R; MAX_HEDGE_OPTIONS], y: &[R; MAX_HEDGE_OPTIONS]| {
        x.iter()
            .zip(y)
            .map(|(&p, &q)| p * q)
            .reduce(|sum, term| sum + term)
            .unwrap_or(zero)
    };
    // Finite, and not NaN.
    let finite = |x: R| x.abs().lt(R::splat(f64::INFINITY));
    let mut quantities = [zero; MAX_HEDGE_OPTIONS];
    let solvable = match rows.len() {
        0 => zero.le(zero),
        _ if options.len() < rows.len() => zero.lt(zero),
        1 => {
            // w = a (a·a)⁻¹ b, a_j = row(option j), b = −row(book).
            let row = rows[0];
            let a = column(row);
            let norm = dot(&a, &a);
            // The largest |a_j| (a NaN makes the norm NaN: not solvable).
            let scale = a.iter().fold(zero, |m, x| x.abs().max_or_self(m));
            let solvable = norm.gt(R::splat(SINGULAR) * scale * scale) & finite(norm);
            let b = -row.of(book);
            for (w, x) in quantities.iter_mut().zip(a) {
                *w = x * b / norm;
            }
            solvable
        }
        _ => {
            // Two rows: w = Aᵀ (AAᵀ)⁻¹ b with the 2×2 Gram matrix AAᵀ.
            let (r1, r2) = (rows[0], rows[1]);
            let (a1, a2) = (column(r1), column(r2));
            let (g11, g12, g22) = (dot(&a1, &a1), dot(&a1, &a2), dot(&a2, &a2));
            let det = g11 * g22 - g12 * g12;
            let solvable = det.abs().gt(R::splat(SINGULAR) * g11 * g22) & finite(det);
            let (b1, b2) = (-r1.of(book), -r2.of(book));
            // (AAᵀ)⁻¹ b
            let y1 = (g22 * b1 - g12 * b2) / det;
            let y2 = (g11 * b2 - g12 * b1) / det;
            for ((w, p), q) in quantities.iter_mut().zip(a1).zip(a2) {
                *w = p * y1 + q * y2;
            }
            solvable
        }
    };
    let options_delta = quantities
        .iter()
        .zip(options)
        .fold(R::splat(-0.0), |sum, (&w, g)| sum + w * g.delta);
    let shares = -(book.delta + options_delta);
    (
        solvable,
        NeutralHedge {
            options: quantities,
            shares,
        },
    )
}
