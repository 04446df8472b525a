//! Rebalancing rules: when the hedger trades, and to what.
//!
//! At each rebalancing date `t_i` (every grid point before expiry) the hedger holds
//! `h` shares and the *target* is `h* = −(position delta)`, computed with the
//! hedging vol. A rule decides the new holding:
//!
//! | rule | trades when | trades to |
//! |---|---|---|
//! | `none` | never | — (h ≡ 0: the option is left naked) |
//! | `static` | at `t_0` only | `h*(t_0)`, held to expiry |
//! | `every` k | at steps 0, k, 2k, … | `h*` |
//! | `band` b | `|h − h*| > b·Σ|n|` | `h*` (`to=target`) or the nearer band edge (`to=edge`) |
//! | `ww` γ | `|h − h*| > H·Σ|n|` | the nearer band edge |
//!
//! Whalley–Wilmott (1997): the asymptotically optimal no-transaction band for
//! proportional cost `λ` and risk aversion `γ` has half-width per option
//! `H = (3 λ S e^{−rτ} Γ² / (2γ))^{1/3}`, where `Γ` is the book's gamma per option
//! (`|Σ nΓ| / Σ|n|`). It is narrow where gamma is small and widens near the money
//! close to expiry; with no proportional cost it is zero (hedge every step).
//!
//! **Tested by** `tests/hedge.rs`: `static` equals `every` with one rebalance, a
//! zero band equals `every 1`, band holdings never leave the band after a
//! rebalancing date, an edge trade lands on the near edge (by hand and in runs),
//! `ww` half-width against the formula; `tests/simd.rs`: the band
//! decision at `f64` and at two-lane vectors give the same bits.

use crate::engine::lanes::{Mask, Real};

/// Where a band rule trades to once the hedge has left the band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BandTarget {
    /// All the way back to the delta-neutral target.
    Target,
    /// Only to the nearer edge of the band (the least trading that restores it).
    Edge,
}

/// A rebalancing rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RebalanceRule {
    /// Never hedge.
    None,
    /// Hedge once at the start, then hold.
    Static,
    /// Trade to the target every `interval` steps (1 = every step).
    Every {
        /// Steps between rebalances, ≥ 1.
        interval: usize,
    },
    /// Trade when the hedge is more than `half_width` delta per option away from
    /// the target.
    Band {
        /// Band half-width in delta per option.
        half_width: f64,
        /// Where to trade to.
        to: BandTarget,
    },
    /// Whalley–Wilmott band.
    WhalleyWilmott {
        /// Risk aversion γ (> 0); larger means a narrower band.
        risk_aversion: f64,
    },
}

/// What a rule may look at on a rebalancing date.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    /// Grid index `i` of this date.
    pub step: usize,
    /// Spot `S`.
    pub spot: f64,
    /// Target holding `h*` in shares.
    pub target: f64,
    /// Book gamma (Σ nΓ).
    pub gamma: f64,
    /// Σ|n|, to turn per-option bands into shares.
    pub gross_quantity: f64,
    /// `e^{−rτ}` at this date.
    pub discount: f64,
    /// Proportional cost λ (fraction of notional).
    pub proportional_cost: f64,
}

impl RebalanceRule {
    /// Whether the rule needs the target (a delta evaluation) at `step`. Rules that
    /// cannot trade at a date skip the pricing work.
    #[inline]
    pub fn looks_at(&self, step: usize) -> bool {
        match *self {
            RebalanceRule::None => false,
            RebalanceRule::Static => step == 0,
            RebalanceRule::Every { interval } => step % interval.max(1) == 0,
            RebalanceRule::Band { .. } | RebalanceRule::WhalleyWilmott { .. } => true,
        }
    }

    /// Whether the rule needs the book's gamma (only Whalley–Wilmott does).
    #[inline]
    pub fn needs_gamma(&self) -> bool {
        matches!(self, RebalanceRule::WhalleyWilmott { .. })
    }

    /// The new holding in shares, given the current holding `held`, or `held`
    /// unchanged when the rule does not trade. Only called when
    /// [`looks_at`](Self::looks_at) is true.
    #[inline]
    pub fn decide(&self, held: f64, ctx: &Context) -> f64 {
        match *self {
            RebalanceRule::None => held,
            RebalanceRule::Static | RebalanceRule::Every { .. } => ctx.target,
            RebalanceRule::Band { half_width, to } => {
                band_decision(held, ctx.target, half_width * ctx.gross_quantity, to)
            }
            RebalanceRule::WhalleyWilmott { risk_aversion } => {
                let per_option_gamma = if ctx.gross_quantity > 0.0 {
                    ctx.gamma.abs() / ctx.gross_quantity
                } else {
                    0.0
                };
                let half_width = whalley_wilmott_half_width(
                    ctx.proportional_cost,
                    ctx.spot,
                    ctx.discount,
                    per_option_gamma,
                    risk_aversion,
                );
                band_decision(
                    held,
                    ctx.target,
                    half_width * ctx.gross_quantity,
                    BandTarget::Edge,
                )
            }
        }
    }
}

/// Whalley–Wilmott half-width in delta per option:
/// `(3 λ S e^{−rτ} Γ² / (2γ))^{1/3}`; infinite (never trade) where a risk
/// aversion near zero overflows it, the formula's limit, and 0 where the
/// product is undefined (`0·∞`: no gamma per option of an empty book).
pub fn whalley_wilmott_half_width(
    proportional_cost: f64,
    spot: f64,
    discount: f64,
    gamma_per_option: f64,
    risk_aversion: f64,
) -> f64 {
    let inner = 3.0 * proportional_cost * spot * discount * gamma_per_option * gamma_per_option
        / (2.0 * risk_aversion);
    if inner > 0.0 {
        libm::cbrt(inner)
    } else {
        0.0 // no cost or no gamma, or NaN
    }
}

/// Keep `held` if it is within `half_width_shares` of `target`; otherwise move to
/// the target or to the nearer edge. Lane-wise: written once for `f64` and the
/// lane kernel's [`F64x2`](crate::engine::simd::F64x2) (see [`crate::engine::lanes`]).
#[inline(always)]
pub fn band_decision<R: Real>(held: R, target: R, half_width_shares: R, to: BandTarget) -> R {
    let gap = held - target;
    let moved = match to {
        BandTarget::Target => target,
        BandTarget::Edge => target + half_width_shares.copysign(gap),
    };
    gap.abs().le(half_width_shares).select(held, moved)
}
