//! Instruments: option legs held together as one book.
//!
//! A [`Book`] is a list of [`OptionLeg`]s on the same underlying, all expiring at
//! the scenario's horizon. Its value and Greeks are the quantity-weighted sums of
//! the legs' Black–Scholes values, so a straddle, a spread or a market maker's whole
//! inventory is hedged as one position. Today's link format builds a one-leg book;
//! the hedge loop already works on any number of legs.
//!
//! **Tested by** `tests/hedge.rs` (a two-leg book equals the sum of its legs hedged
//! separately when no trade is netted) and `tests/pricing.rs` (leg Greeks).

use crate::pricing::black_scholes::{self, Greeks, Inputs, OptionKind};

/// The market the hedger prices with (its model, not the simulated world).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PricingModel {
    /// Risk-free rate r.
    pub rate: f64,
    /// Dividend yield q.
    pub dividend: f64,
    /// The vol the hedger prices and hedges with (implied vol).
    pub vol: f64,
}

/// One option position: `quantity` options (long > 0, short < 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OptionLeg {
    /// Call or put.
    pub kind: OptionKind,
    /// Strike K.
    pub strike: f64,
    /// Signed number of options: positive long, negative short.
    pub quantity: f64,
}

/// Several legs hedged as one position.
#[derive(Clone, Debug, PartialEq)]
pub struct Book {
    /// The legs.
    pub legs: Vec<OptionLeg>,
}

impl Book {
    /// A book of one leg.
    pub fn single(leg: OptionLeg) -> Self {
        Book { legs: vec![leg] }
    }

    /// Σ|quantity|: the number of options, used to scale per-option bands.
    pub fn gross_quantity(&self) -> f64 {
        self.legs.iter().map(|leg| leg.quantity.abs()).sum()
    }

    /// Position value and Greeks: Σ quantity × leg Greeks, at spot `spot` with
    /// `tau` years left.
    pub fn greeks(&self, model: &PricingModel, spot: f64, tau: f64) -> Greeks {
        let mut total = Greeks::default();
        for leg in &self.legs {
            let g = black_scholes::greeks(leg.kind, &leg_inputs(model, leg, spot, tau));
            total.price += leg.quantity * g.price;
            total.delta += leg.quantity * g.delta;
            total.gamma += leg.quantity * g.gamma;
            total.vega += leg.quantity * g.vega;
            total.theta += leg.quantity * g.theta;
            total.rho += leg.quantity * g.rho;
        }
        total
    }

    /// Position delta only (the hedge loop's hot path).
    pub fn delta(&self, model: &PricingModel, spot: f64, tau: f64) -> f64 {
        self.legs
            .iter()
            .map(|leg| {
                leg.quantity * black_scholes::delta(leg.kind, &leg_inputs(model, leg, spot, tau))
            })
            .sum()
    }

    /// Σ quantity × payoff at expiry.
    pub fn payoff(&self, spot: f64) -> f64 {
        self.legs
            .iter()
            .map(|leg| leg.quantity * leg.kind.payoff(spot, leg.strike))
            .sum()
    }

    /// Σ quantity × payoff delta: the shares the book delivers (+) or takes (−) at
    /// expiry when physically settled, seen from the holder.
    pub fn payoff_delta(&self, spot: f64) -> f64 {
        self.legs
            .iter()
            .map(|leg| leg.quantity * leg.kind.payoff_delta(spot, leg.strike))
            .sum()
    }
}

fn leg_inputs(model: &PricingModel, leg: &OptionLeg, spot: f64, tau: f64) -> Inputs {
    Inputs {
        spot,
        strike: leg.strike,
        tau,
        rate: model.rate,
        dividend: model.dividend,
        vol: model.vol,
    }
}
