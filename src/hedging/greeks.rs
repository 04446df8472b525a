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

    /// The rows of the system: for each Greek to neutralise, its value in a
    /// [`Greeks`].
    fn rows(self) -> &'static [fn(&Greeks) -> f64] {
        const GAMMA: fn(&Greeks) -> f64 = |g| g.gamma;
        const VEGA: fn(&Greeks) -> f64 = |g| g.vega;
        match self {
            GreekTargets::Delta => &[],
            GreekTargets::DeltaGamma => &[GAMMA],
            GreekTargets::DeltaVega => &[VEGA],
            GreekTargets::DeltaGammaVega => &[GAMMA, VEGA],
        }
    }
}

/// The hedge's holdings that neutralise `targets` of a book with Greeks `book`,
/// given one option of each hedge instrument (`options[j]`: Greeks per option).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NeutralHedge {
    /// Options of each hedge instrument to hold (`w_j`; + long, − short); the
    /// entries past the number of hedge options are 0.
    pub options: [f64; MAX_HEDGE_OPTIONS],
    /// Shares to hold: `−(Δ_B + Σ_j w_j Δ_j)`.
    pub shares: f64,
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
    let options = &options[..options.len().min(MAX_HEDGE_OPTIONS)];
    let rows = targets.rows();
    let column = |row: fn(&Greeks) -> f64| {
        let mut a = [0.0; MAX_HEDGE_OPTIONS];
        for (x, g) in a.iter_mut().zip(options) {
            *x = row(g);
        }
        a
    };
    let dot = |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(p, q)| p * q).sum::<f64>();
    let mut quantities = [0.0; MAX_HEDGE_OPTIONS];
    match rows.len() {
        0 => {}
        _ if options.len() < rows.len() => return None,
        1 => {
            // w = a (a·a)⁻¹ b, a_j = row(option j), b = −row(book).
            let row = rows[0];
            let a = column(row);
            let norm = dot(&a, &a);
            let scale = a.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            let solvable = norm > SINGULAR * scale * scale && norm.is_finite();
            if !solvable {
                return None;
            }
            let b = -row(book);
            for (w, x) in quantities.iter_mut().zip(a) {
                *w = x * b / norm;
            }
        }
        _ => {
            // Two rows: w = Aᵀ (AAᵀ)⁻¹ b with the 2×2 Gram matrix AAᵀ.
            let (r1, r2) = (rows[0], rows[1]);
            let (a1, a2) = (column(r1), column(r2));
            let (g11, g12, g22) = (dot(&a1, &a1), dot(&a1, &a2), dot(&a2, &a2));
            let det = g11 * g22 - g12 * g12;
            let solvable = det.abs() > SINGULAR * g11 * g22 && det.is_finite();
            if !solvable {
                return None;
            }
            let (b1, b2) = (-r1(book), -r2(book));
            // (AAᵀ)⁻¹ b
            let y1 = (g22 * b1 - g12 * b2) / det;
            let y2 = (g11 * b2 - g12 * b1) / det;
            for ((w, p), q) in quantities.iter_mut().zip(a1).zip(a2) {
                *w = p * y1 + q * y2;
            }
        }
    }
    let options_delta: f64 = quantities
        .iter()
        .zip(options)
        .map(|(w, g)| w * g.delta)
        .sum();
    let shares = -(book.delta + options_delta);
    Some(NeutralHedge {
        options: quantities,
        shares,
    })
}
