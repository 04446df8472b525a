//! Trading costs of the hedge.
//!
//! Trading `x` shares (either sign) at price `S` costs
//!
//! ```text
//! cost(x, S) = fee·1{x ≠ 0}  +  c·|x|·S  +  η·|x|·S·(|x| / 1,000)
//! ```
//!
//! - `fee`: a fixed commission per trade, in money;
//! - `c` (`cost` in the link): a fraction of traded notional — half the bid–ask
//!   spread plus commission in bps — so a round trip costs `2c` (Leland's `k`);
//! - `η` (`impact` in the link): market impact. The execution price is worse by
//!   `η·|x|/1,000` as a fraction of `S` (linear temporary impact), so the impact cost
//!   grows with the *square* of the trade size: 1,000 shares cost an extra `η` of
//!   their notional, 10,000 shares an extra `10η` of theirs. This is what makes
//!   splitting a big rebalance cheaper than one block.
//!
//! **Tested by** `tests/hedge.rs`: costs never raise P&L, the exact cost of a known
//! trade sequence, and that P&L with costs equals P&L without minus the costs'
//! future value when the trades are the same; `tests/simd.rs`: the cost at `f64`
//! and at two-lane vectors give the same bits.

use crate::engine::lanes::{Mask, Real};

/// Cost model of hedge trades.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct CostModel {
    /// Fixed fee per trade (money), charged when shares change hands.
    pub fee: f64,
    /// Proportional cost, a fraction of traded notional.
    pub proportional: f64,
    /// Market-impact coefficient η (fraction of price per 1,000 shares traded).
    pub impact: f64,
}

/// Shares per unit of the impact coefficient (see the module docs).
pub const IMPACT_SHARES: f64 = 1_000.0;

impl CostModel {
    /// No costs at all.
    pub const FREE: CostModel = CostModel {
        fee: 0.0,
        proportional: 0.0,
        impact: 0.0,
    };

    /// The cost of trading `shares` (either sign) at `spot`; zero when `shares` is 0.
    #[inline]
    pub fn cost(&self, shares: f64, spot: f64) -> f64 {
        self.cost_of(shares, shares.abs() * spot)
    }

    /// The cost of trading `shares` (either sign) of value `notional` =
    /// `|shares|·spot`, lane-wise (written once for `f64` and the lane kernel's
    /// [`F64x2`](crate::engine::simd::F64x2), see [`crate::engine::lanes`]); zero where `shares`
    /// is 0. A caller that has `shares·spot` may pass its absolute value: it is
    /// `|shares|·spot` to the bit for `spot ≥ 0`, as rounding is symmetric.
    #[inline(always)]
    pub fn cost_of<R: Real>(&self, shares: R, notional: R) -> R {
        // `+ 0.0` turns a proportional cost of −0 into +0, so that `fee + c·n`
        // with no fee is `c·n` to the bit and the add can be left out.
        let proportional = R::splat(self.proportional + 0.0) * notional;
        let impact = |cost: R| {
            if self.impact == 0.0 {
                // (Skipped when zero: the division sits on the hedge loop's critical path.)
                return cost;
            }
            cost + R::splat(self.impact) * notional * (shares.abs() / R::splat(IMPACT_SHARES))
        };
        if self.fee == 0.0 {
            // No fee: every term is +0 when no shares trade (spot finite, costs
            // not negative), so the test is not needed either.
            return impact(proportional);
        }
        let cost = impact(R::splat(self.fee) + proportional);
        shares.ne(R::splat(0.0)).select(cost, R::splat(0.0))
    }
}
