//! The synthetic put's target: the shares that replicate `n` shares plus `n`
//! puts of strike `K` (Rubinstein & Leland 1981),
//!
//! ```text
//! h* = n·(1 + Δ_put) = n·(1 − e^{−qτ}·N(−d1))      (n·e^{−qτ}·N(d1) when q = 0)
//! ```
//!
//! with `Δ_put` the Black–Scholes put delta at the hedging vol and `τ` the time
//! left to the horizon, and the gamma of that position, `n·Γ_put`, for the
//! Whalley–Wilmott band. Both come from [`crate::pricing::black_scholes`], with
//! its limits (`τ → 0`, `σ → 0`).
//!
//! **Tested by** `tests/insurance.rs`: the holdings against the test's own put
//! delta (exactly under `every 1`, within `band·n` under a band); with fine
//! rebalancing and no costs the synthetic put ends path by path where the
//! bought put does, within a tolerance that shrinks as `1/√steps`.

use crate::insurance::{InsuranceSetup, PutPosition};
use crate::pricing::black_scholes::{self, Inputs, OptionKind};

/// The Black–Scholes inputs of the replicated put at `spot` with `tau` left.
fn put_inputs(position: &PutPosition, setup: &InsuranceSetup, spot: f64, tau: f64) -> Inputs {
    Inputs {
        spot,
        strike: position.strike,
        tau,
        rate: setup.rate,
        dividend: setup.dividend,
        vol: setup.hedging_vol,
    }
}

/// Shares the synthetic put holds at `spot` with `tau` years left,
/// `n·(1 + Δ_put)` (`n` when there is no put: a floor of 0).
pub fn synthetic_shares(
    position: &PutPosition,
    setup: &InsuranceSetup,
    spot: f64,
    tau: f64,
) -> f64 {
    if position.strike <= 0.0 {
        return position.count;
    }
    let delta = black_scholes::delta(OptionKind::Put, &put_inputs(position, setup, spot, tau));
    position.count * (1.0 + delta)
}

/// Gamma of the replicated position, `n·Γ_put` (0 without a put).
pub fn synthetic_gamma(position: &PutPosition, setup: &InsuranceSetup, spot: f64, tau: f64) -> f64 {
    if position.strike <= 0.0 {
        return 0.0;
    }
    let greeks = black_scholes::greeks(OptionKind::Put, &put_inputs(position, setup, spot, tau));
    position.count * greeks.gamma
}

/// The value of the bought-put portfolio's puts, `n·P(S, τ)` at the hedging
/// vol (their payoff at `τ = 0`): the put part of a bought-put ledger row.
pub fn puts_value(position: &PutPosition, setup: &InsuranceSetup, spot: f64, tau: f64) -> f64 {
    if position.strike <= 0.0 {
        return 0.0;
    }
    let price = black_scholes::price(OptionKind::Put, &put_inputs(position, setup, spot, tau));
    position.count * price
}
