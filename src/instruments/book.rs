//! Instruments: option legs held together as one book.
//!
//! A [`Book`] is a list of [`OptionLeg`]s on the same underlying, each expiring at
//! the hedge's horizon `T` or later. Its value and Greeks are the
//! quantity-weighted sums of the legs' Black–Scholes values, so a straddle, a
//! spread, a calendar or a market maker's whole inventory is hedged as one
//! position. At the horizon a leg that expires there pays its payoff; a leg that
//! lives on is *marked to the model*: valued at Black–Scholes with its time left
//! (as a book that is kept would be valued), with no closing cost.
//!
//! A leg's time left is the time to the horizon plus
//! [`OptionLeg::beyond_horizon`], so a leg expiring at the horizon uses the time
//! grid's own `τ` to the bit.
//!
//! **Tested by** `tests/legs.rs` (book Greeks are the sums of the legs' and
//! match finite differences; marking to model), `tests/hedge.rs` (a two-leg book
//! equals the sum of its legs hedged separately when no trade is netted) and
//! `tests/pricing.rs` (leg Greeks).

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
    /// Years the leg lives after the hedge's horizon (0: it expires there).
    pub beyond_horizon: f64,
}

impl OptionLeg {
    /// The leg's time left when the horizon is `tau` years away.
    #[inline]
    pub fn time_left(&self, tau: f64) -> f64 {
        tau + self.beyond_horizon
    }

    /// Whether the leg expires at the horizon (rather than being marked there).
    #[inline]
    pub fn expires_at_horizon(&self) -> bool {
        self.beyond_horizon == 0.0
    }

    /// Value and Greeks of *one* option of this leg (its quantity left out), at
    /// `spot` with `tau` years left to the horizon.
    pub fn unit_greeks(&self, model: &PricingModel, spot: f64, tau: f64) -> Greeks {
        black_scholes::greeks(self.kind, &leg_inputs(model, self, spot, tau))
    }

    /// What one option of this leg is worth at the horizon: its payoff when it
    /// expires there, else its Black–Scholes value (marked to the model).
    pub fn unit_horizon_value(&self, model: &PricingModel, spot: f64) -> f64 {
        if self.expires_at_horizon() {
            self.kind.payoff(spot, self.strike)
        } else {
            black_scholes::price(self.kind, &leg_inputs(model, self, spot, 0.0))
        }
    }

    /// Shares one option of this leg delivers at the horizon when physically
    /// settled (its payoff delta; 0 for a leg marked to the model).
    pub fn unit_delivery(&self, spot: f64) -> f64 {
        if self.expires_at_horizon() {
            self.kind.payoff_delta(spot, self.strike)
        } else {
            0.0
        }
    }
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
    /// `tau` years left to the horizon.
    pub fn greeks(&self, model: &PricingModel, spot: f64, tau: f64) -> Greeks {
        let mut total = Greeks::default();
        for leg in &self.legs {
            let g = leg.unit_greeks(model, spot, tau);
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

    /// The book's value at the horizon: Σ quantity × payoff over the legs that
    /// expire there, plus Σ quantity × Black–Scholes value over the legs marked
    /// to the model.
    pub fn horizon_value(&self, model: &PricingModel, spot: f64) -> f64 {
        self.legs
            .iter()
            .map(|leg| leg.quantity * leg.unit_horizon_value(model, spot))
            .sum()
    }

    /// Σ quantity × Black–Scholes value of the legs marked to the model at the
    /// horizon (0 when every leg expires there): what the ledger's `marked`
    /// column shows.
    pub fn marked_value(&self, model: &PricingModel, spot: f64) -> f64 {
        self.legs
            .iter()
            .filter(|leg| !leg.expires_at_horizon())
            .map(|leg| {
                leg.quantity * black_scholes::price(leg.kind, &leg_inputs(model, leg, spot, 0.0))
            })
            .sum()
    }

    /// Σ quantity × payoff delta over the legs that expire at the horizon: the
    /// shares they deliver (+) or take (−) when physically settled, seen from
    /// the holder. Legs marked to the model deliver nothing.
    pub fn payoff_delta(&self, spot: f64) -> f64 {
        self.legs
            .iter()
            .filter(|leg| leg.expires_at_horizon())
            .map(|leg| leg.quantity * leg.unit_delivery(spot))
            .sum()
    }
}

fn leg_inputs(model: &PricingModel, leg: &OptionLeg, spot: f64, tau: f64) -> Inputs {
    Inputs {
        spot,
        strike: leg.strike,
        tau: leg.time_left(tau),
        rate: model.rate,
        dividend: model.dividend,
        vol: model.vol,
    }
}
