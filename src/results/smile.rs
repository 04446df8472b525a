//! The implied-volatility smile of the scenario's price model at t = 0: for
//! strikes around the spot, the Black–Scholes vol at which each option's model
//! price is matched. Under GBM it is flat at `vol`; under Heston (Bates) it
//! slopes with ρ and curves with ξ — the smile a Black–Scholes hedger ignores.
//! Each strike prices its call: [`implied_vol`] moves a price to the
//! out-of-the-money side by put–call parity, which the model's prices obey
//! (the Bates pricer's correction to its Black–Scholes control is the same
//! for a call and a put), so a put would give the same vol.
//!
//! **Tested by** `tests/stochastic_vol.rs`: flat under GBM and under Heston
//! with ξ = 0; down-sloping for ρ < 0 and up-sloping for ρ > 0; every point
//! reprices to the model price; Merton's points reprice Merton's (1976) series
//! to 1e−12.

use crate::paths::model::PathModel;
use crate::plan::Plan;
use crate::pricing::black_scholes::OptionKind;
use crate::pricing::heston::{heston_price, Market};
use crate::pricing::implied::implied_vol;

/// One strike of the smile.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct SmilePoint {
    /// Strike.
    pub strike: f64,
    /// Black–Scholes implied vol of the model price at that strike.
    pub vol: f64,
}

/// Strikes from 60 % to 140 % of the spot.
const MONEYNESS: (f64, f64) = (0.6, 1.4);
/// Points across that range.
const POINTS: usize = 33;

/// The smile of `plan`'s price model at t = 0 for its horizon: `POINTS`
/// strikes from 60 % to 140 % of the spot; strikes where no vol matches the
/// price (far in the wings, where the price is at its bound) are left out.
pub fn smile(plan: &Plan) -> Vec<SmilePoint> {
    let spot = plan.path_model.spot();
    let tau = plan.grid.horizon;
    let (rate, dividend) = (plan.model.rate, plan.model.dividend);
    let kind = OptionKind::Call;
    (0..POINTS)
        .filter_map(|i| {
            let moneyness =
                MONEYNESS.0 + (MONEYNESS.1 - MONEYNESS.0) * i as f64 / (POINTS - 1) as f64;
            let strike = spot * moneyness;
            let market = Market {
                spot,
                strike,
                tau,
                rate,
                dividend,
            };
            let vol = match &plan.path_model {
                PathModel::Diffusion(m) if m.jumps.intensity == 0.0 => m.vol,
                PathModel::Diffusion(m) => {
                    // Merton's model is Bates without vol of variance (the
                    // variance stays at v0; θ = v0 too, though κ = 0 ignores it).
                    let variance = m.vol * m.vol;
                    let params = crate::pricing::heston::HestonParams {
                        v0: variance,
                        kappa: 0.0,
                        theta: variance,
                        xi: 0.0,
                        rho: 0.0,
                    };
                    let price = heston_price(kind, &market, &params, &m.jumps);
                    implied_vol(kind, price, &market.with_vol(m.vol)).ok()?
                }
                PathModel::Heston(m) => {
                    let price = heston_price(kind, &market, &m.params, &m.jumps);
                    implied_vol(kind, price, &market.with_vol(libm::sqrt(m.params.v0))).ok()?
                }
                // Recorded prices have no model to price with: no smile.
                PathModel::Replay(_) | PathModel::Bootstrap(_) => return None,
            };
            Some(SmilePoint { strike, vol })
        })
        .collect()
}
