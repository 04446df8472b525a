//! One strategy's outcomes summed up beside the unprotected portfolio's on the
//! same paths:
//!
//! - **breach**: the share of paths ending below the floor, `V_T < F` (by more
//!   than [`BREACH_TOLERANCE`] of `F`: the bought put ends on its floor to
//!   rounding whenever it is exercised);
//! - **shortfall**: the mean of `F − V_T` over the breaching paths, in money at
//!   the horizon; `None` when no path breaches (there is nothing to average);
//! - **upside**: the mean `V_T` ÷ the unprotected mean `V_T`, what insurance
//!   leaves of the unprotected portfolio's expected outcome; `None` when the
//!   unprotected portfolio ends with nothing (its mean `V_T` is 0 to rounding,
//!   as after jumps that take the price to 1e−150: there is no ratio to give);
//! - the mean costs (money at the horizon), share trades and option trades.
//!
//! Sums run in path order, so a sample gives the same bits however it was
//! produced.
//!
//! **Tested by** `tests/insurance.rs`: breach and shortfall counted by hand on
//! constructed outcomes; with jumps, the bought put's breach is 0 and its
//! shortfall `None`; an unprotected portfolio ending with nothing gives no
//! upside. `tests/extremes.rs`: every figure finite over an extreme grid.

use crate::insurance::{InsuranceOutcome, BREACH_TOLERANCE};

/// A strategy's outcomes summed up (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct InsuranceSummary {
    /// Number of paths.
    pub paths: usize,
    /// The floor `F`, in money at the horizon.
    pub floor: f64,
    /// Share of paths with `V_T` below the floor.
    pub breach: f64,
    /// Mean `F − V_T` over the paths below the floor; `None` when there are none.
    pub shortfall: Option<f64>,
    /// Mean `V_T` ÷ the unprotected portfolio's mean `V_T`; `None` when that
    /// mean is not above 0 (the ratio would be infinite or meaningless).
    pub upside: Option<f64>,
    /// Mean `V_T`.
    pub mean_terminal: f64,
    /// The unprotected portfolio's mean `V_T` on the same paths.
    pub unprotected_mean_terminal: f64,
    /// Mean of the costs paid, in money at the horizon.
    pub mean_costs: f64,
    /// Mean number of share trades.
    pub mean_trades: f64,
    /// Mean number of option trades.
    pub mean_option_trades: f64,
}

/// Whether a horizon value `terminal` is below the floor `floor` (beyond the
/// tolerance of [`BREACH_TOLERANCE`]).
#[inline]
pub fn is_breach(terminal: f64, floor: f64) -> bool {
    terminal < floor - BREACH_TOLERANCE * floor.abs()
}

/// The summary of `outcomes` against the `unprotected` ones on the same paths,
/// for the floor `floor`; `None` when there are no paths or the two samples
/// differ in length.
pub fn summarize(
    floor: f64,
    outcomes: &[InsuranceOutcome],
    unprotected: &[InsuranceOutcome],
) -> Option<InsuranceSummary> {
    if outcomes.is_empty() || outcomes.len() != unprotected.len() {
        return None;
    }
    let paths = outcomes.len() as f64;
    let mean = |of: &dyn Fn(&InsuranceOutcome) -> f64, sample: &[InsuranceOutcome]| {
        sample.iter().map(of).sum::<f64>() / paths
    };
    let (breaches, shortfall_sum) = outcomes
        .iter()
        .filter(|o| is_breach(o.terminal, floor))
        .fold((0_usize, 0.0), |(count, sum), o| {
            (count + 1, sum + (floor - o.terminal))
        });
    let mean_terminal = mean(&|o| o.terminal, outcomes);
    let unprotected_mean_terminal = mean(&|o| o.terminal, unprotected);
    Some(InsuranceSummary {
        paths: outcomes.len(),
        floor,
        breach: breaches as f64 / paths,
        shortfall: (breaches > 0).then(|| shortfall_sum / breaches as f64),
        // No ratio to an unprotected mean of 0 (infinite, or 0/0) or below it
        // (a sign that says nothing).
        upside: Some(mean_terminal / unprotected_mean_terminal)
            .filter(|ratio| ratio.is_finite() && unprotected_mean_terminal.is_sign_positive()),
        mean_terminal,
        unprotected_mean_terminal,
        mean_costs: mean(&|o| o.costs, outcomes),
        mean_trades: mean(&|o| f64::from(o.trades), outcomes),
        mean_option_trades: mean(&|o| f64::from(o.option_trades), outcomes),
    })
}
