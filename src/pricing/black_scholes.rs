//! Black–Scholes–Merton price and Greeks of European calls and puts on a stock with
//! a continuous dividend yield.
//!
//! With spot `S`, strike `K`, time left `τ`, rate `r`, dividend yield `q`, vol `σ`:
//!
//! ```text
//! d1 = [ln(S/K) + (r − q + σ²/2)τ] / (σ√τ),   d2 = d1 − σ√τ
//! call = S e^{−qτ} N(d1) − K e^{−rτ} N(d2)     put = K e^{−rτ} N(−d2) − S e^{−qτ} N(−d1)
//! delta: call e^{−qτ} N(d1), put e^{−qτ}(N(d1) − 1)
//! gamma = e^{−qτ} n(d1) / (S σ √τ)              vega = S e^{−qτ} n(d1) √τ   (per 1.00 of vol)
//! theta (per year, ∂V/∂t) and rho (per 1.00 of rate) as in Hull, ch. 19.
//! ```
//!
//! **Limits** are handled explicitly, never by letting NaN or ∞ through:
//! `τ = 0` gives the payoff and a step delta (½ exactly at the money);
//! `σ√τ → 0` gives the discounted intrinsic value of the forward;
//! `S = 0` gives the values of a worthless share. Deep in or out of the money the
//! formulas saturate smoothly because `N` is computed with `erfc`.
//!
//! **Tested by** `tests/pricing.rs`: Hull's published examples, put–call parity,
//! every Greek against central finite differences of the price, and the limits.

use crate::pricing::normal;

/// Call or put.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptionKind {
    /// The right to buy at the strike.
    Call,
    /// The right to sell at the strike.
    Put,
}

impl OptionKind {
    /// The payoff at expiry of one option: `max(S − K, 0)` or `max(K − S, 0)`.
    #[inline]
    pub fn payoff(self, spot: f64, strike: f64) -> f64 {
        match self {
            OptionKind::Call => (spot - strike).max(0.0),
            OptionKind::Put => (strike - spot).max(0.0),
        }
    }

    /// The delta of the payoff at expiry (what a physically settled option
    /// delivers, in shares per option): call 1 in the money, put −1 in the money,
    /// ½ of that exactly at the money.
    #[inline]
    pub fn payoff_delta(self, spot: f64, strike: f64) -> f64 {
        let step = if spot > strike {
            1.0
        } else if spot < strike {
            0.0
        } else {
            0.5
        };
        match self {
            OptionKind::Call => step,
            OptionKind::Put => step - 1.0,
        }
    }
}

/// The market inputs of one valuation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Inputs {
    /// Spot price `S ≥ 0`.
    pub spot: f64,
    /// Strike `K > 0`.
    pub strike: f64,
    /// Time left to expiry `τ ≥ 0`, in years.
    pub tau: f64,
    /// Risk-free rate `r`, continuously compounded.
    pub rate: f64,
    /// Dividend yield `q`, continuously compounded.
    pub dividend: f64,
    /// Volatility `σ ≥ 0`, annualised.
    pub vol: f64,
}

/// Price and Greeks of one option (or of a position, summed). Serialized as the
/// summary's `greeks` member, where the price is the position's `value`.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize)]
pub struct Greeks {
    /// Value.
    #[serde(rename = "value")]
    pub price: f64,
    /// ∂V/∂S.
    pub delta: f64,
    /// ∂²V/∂S².
    pub gamma: f64,
    /// ∂V/∂σ per 1.00 of vol (divide by 100 for "per vol point").
    pub vega: f64,
    /// ∂V/∂t per year of calendar time (usually negative for a long option).
    pub theta: f64,
    /// ∂V/∂r per 1.00 of rate.
    pub rho: f64,
}

/// Below this `σ√τ` the option is valued as the deterministic limit (the
/// discounted intrinsic value of the forward) instead of dividing by `σ√τ`.
pub const MIN_TOTAL_VOL: f64 = 1e-12;

/// Price and every Greek of one option.
pub fn greeks(kind: OptionKind, inputs: &Inputs) -> Greeks {
    let Inputs {
        spot,
        strike,
        tau,
        rate,
        dividend,
        vol,
    } = *inputs;
    if tau <= 0.0 {
        return Greeks {
            price: kind.payoff(spot, strike),
            delta: kind.payoff_delta(spot, strike),
            ..Greeks::default()
        };
    }
    let disc_q = libm::exp(-dividend * tau);
    let disc_r = libm::exp(-rate * tau);
    let total_vol = vol * libm::sqrt(tau);
    if spot <= 0.0 {
        // A share worth nothing stays worth nothing: the call is worthless and the
        // put is worth the discounted strike.
        return match kind {
            OptionKind::Call => Greeks::default(),
            OptionKind::Put => Greeks {
                price: strike * disc_r,
                delta: -disc_q,
                theta: rate * strike * disc_r,
                rho: -tau * strike * disc_r,
                ..Greeks::default()
            },
        };
    }
    if total_vol < MIN_TOTAL_VOL {
        return deterministic_limit(kind, inputs, disc_q, disc_r);
    }
    let d1 = (libm::log(spot / strike) + (rate - dividend + 0.5 * vol * vol) * tau) / total_vol;
    let d2 = d1 - total_vol;
    let density = normal::pdf(d1);
    let gamma = disc_q * density / (spot * total_vol);
    let vega = spot * disc_q * density * libm::sqrt(tau);
    let decay = -spot * disc_q * density * vol / (2.0 * libm::sqrt(tau));
    match kind {
        OptionKind::Call => {
            let n1 = normal::cdf(d1);
            let n2 = normal::cdf(d2);
            Greeks {
                price: spot * disc_q * n1 - strike * disc_r * n2,
                delta: disc_q * n1,
                gamma,
                vega,
                theta: decay - rate * strike * disc_r * n2 + dividend * spot * disc_q * n1,
                rho: strike * tau * disc_r * n2,
            }
        }
        OptionKind::Put => {
            let m1 = normal::cdf(-d1);
            let m2 = normal::cdf(-d2);
            Greeks {
                price: strike * disc_r * m2 - spot * disc_q * m1,
                delta: -disc_q * m1,
                gamma,
                vega,
                theta: decay + rate * strike * disc_r * m2 - dividend * spot * disc_q * m1,
                rho: -strike * tau * disc_r * m2,
            }
        }
    }
}

/// Value and Greeks when `σ√τ ≈ 0`: the share grows deterministically to the
/// forward `F = S e^{(r−q)τ}`, so the option is worth its discounted intrinsic value
/// `e^{−rτ} max(±(F − K), 0)`, which is linear in `S` on each side of the strike.
fn deterministic_limit(kind: OptionKind, inputs: &Inputs, disc_q: f64, disc_r: f64) -> Greeks {
    let Inputs {
        spot,
        strike,
        tau,
        rate,
        dividend,
        ..
    } = *inputs;
    let forward_pv = spot * disc_q; // e^{−rτ} F
    let strike_pv = strike * disc_r;
    let sign = match kind {
        OptionKind::Call => 1.0,
        OptionKind::Put => -1.0,
    };
    let moneyness = sign * (forward_pv - strike_pv);
    let weight = if moneyness > 0.0 {
        1.0
    } else if moneyness < 0.0 {
        0.0
    } else {
        0.5
    };
    // w·sign: how many forwards the option is worth holding (short for a put).
    let forwards = match kind {
        OptionKind::Call => weight,
        OptionKind::Put => -weight,
    };
    Greeks {
        price: weight * moneyness,
        delta: forwards * disc_q,
        gamma: 0.0,
        vega: 0.0,
        // V = w·sign·(S e^{−qτ} − K e^{−rτ}); ∂V/∂t = −∂V/∂τ.
        theta: forwards * (dividend * forward_pv - rate * strike_pv),
        rho: forwards * tau * strike_pv,
    }
}

/// The delta of one option alone, `e^{−qτ}N(d1)` (call) or `e^{−qτ}(N(d1) − 1)`
/// (put), with the same limits as [`greeks`] — about half the work of the full set,
/// which is what the hedge loop needs on most dates.
#[inline]
pub fn delta(kind: OptionKind, inputs: &Inputs) -> f64 {
    let Inputs {
        spot,
        strike,
        tau,
        rate,
        dividend,
        vol,
    } = *inputs;
    let total_vol = vol * libm::sqrt(tau);
    if tau <= 0.0 || spot <= 0.0 || total_vol < MIN_TOTAL_VOL {
        return greeks(kind, inputs).delta;
    }
    let d1 = (libm::log(spot / strike) + (rate - dividend + 0.5 * vol * vol) * tau) / total_vol;
    let disc_q = libm::exp(-dividend * tau);
    match kind {
        OptionKind::Call => disc_q * normal::cdf(d1),
        OptionKind::Put => -disc_q * normal::cdf(-d1),
    }
}

/// The value of one option (same limits as [`greeks`]).
#[inline]
pub fn price(kind: OptionKind, inputs: &Inputs) -> f64 {
    greeks(kind, inputs).price
}
