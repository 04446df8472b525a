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
//! future value when the trades are the same.

use crate::simd::F64x2;

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
        if shares == 0.0 {
            return 0.0;
        }
        let notional = shares.abs() * spot;
        let mut cost = self.fee + self.proportional * notional;
        if self.impact != 0.0 {
            // (Skipped when zero: the division sits on the hedge loop's critical path.)
            cost += self.impact * notional * (shares.abs() / IMPACT_SHARES);
        }
        cost
    }

    /// [`CostModel::cost`] on two lanes, from the shares and their value
    /// `shares·spot` (which the caller needs anyway): `|shares·spot|` is
    /// `|shares|·spot` to the bit for `spot ≥ 0`, as rounding is symmetric, so
    /// this gives the bits of `cost`.
    #[inline(always)]
    pub fn cost_x2(&self, shares: F64x2, value: F64x2) -> F64x2 {
        let size = shares.abs();
        let notional = value.abs();
        let proportional = F64x2::splat(self.proportional) * notional;
        let impact = |cost: F64x2| {
            if self.impact == 0.0 {
                return cost;
            }
            cost + F64x2::splat(self.impact) * notional * (size / F64x2::splat(IMPACT_SHARES))
        };
        if self.fee == 0.0 {
            // No fee: every term is +0 when no shares trade (spot > 0), and
            // `0 + c = c` for the non-negative c, so this is `cost` without the
            // test.
            return impact(proportional);
        }
        let cost = impact(F64x2::splat(self.fee) + proportional);
        shares.ne(F64x2::splat(0.0)).select(cost, F64x2::splat(0.0))
    }
}
