//! Black–Scholes implied volatility: the vol `σ` at which
//! [`black_scholes::price`] matches a given price (for the smile chart of a
//! model's prices).
//!
//! **Method**: the price is first moved to the out-of-the-money side by put–call
//! parity, `C − P = S e^{−qτ} − K e^{−rτ}` (an in-the-money price is mostly
//! intrinsic value, which carries no information about σ and loses digits). It must
//! then lie strictly between its no-arbitrage bounds, `0` (σ → 0, intrinsic value)
//! and `S e^{−qτ}` for a call or `K e^{−rτ}` for a put (σ → ∞); outside them no vol
//! fits and the answer says which side ([`ImpliedVolError`]). Inside, the price is
//! increasing in σ, and a safeguarded Newton iteration keeps a bracket
//! `[lo, hi]` with `price(lo) < target < price(hi)`: a Newton step
//! (`σ − (price − target)/vega`) is taken when it lands inside the bracket, a
//! bisection otherwise (flat vega far out of the money, a step overshooting), so it
//! converges from any start. It stops when the price matches to 1e−14 relative (or
//! 1e−300 absolute) or the bracket is narrower than 1e−15 relative.
//!
//! **Tested by** `tests/implied.rs`: round trips through [`black_scholes::price`]
//! over a grid of strikes, maturities and vols (deep in and out of the money), put
//! and call giving the same vol, the no-fit cases (a vol of 100 found, above it
//! refused), the iterations the Newton steps save (about 10, bisection ~50),
//! and the smile of a Heston model against its known shape.

use crate::pricing::black_scholes::{self, Inputs, OptionKind};

/// Why no vol reproduces a price.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ImpliedVolError {
    /// The price is at or below the option's value at zero vol (its
    /// intrinsic value, discounted): no vol is low enough.
    BelowIntrinsic,
    /// The price is at or above the option's value at infinite vol (the
    /// discounted share for a call, the discounted strike for a put).
    AboveMaximum,
    /// The inputs cannot be inverted: no time left, a non-positive spot or
    /// strike, or a non-finite number.
    Undefined,
}

impl core::fmt::Display for ImpliedVolError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            ImpliedVolError::BelowIntrinsic => "price below the intrinsic value: no vol fits",
            ImpliedVolError::AboveMaximum => "price above the value at infinite vol: no vol fits",
            ImpliedVolError::Undefined => "implied vol undefined (no time left or invalid inputs)",
        })
    }
}

/// The vol the iteration starts from when `inputs.vol` is not a usable guess.
const DEFAULT_GUESS: f64 = 0.2;
/// Vols above this are not searched (10,000 % a year).
const MAX_VOL: f64 = 100.0;
/// The bracket's narrowest ratio `lo/hi`: 1e−15 relative, a few ulp.
const NARROWEST: f64 = 1.0 - 1e-15;
/// Iteration budget (bisection alone halves the bracket each time: 200 steps is
/// far more than f64 can resolve).
const MAX_ITERATIONS: usize = 200;

/// The Black–Scholes vol at which an option of `kind` on `inputs` (spot, strike,
/// time, rate, dividend) is worth `price`; `inputs.vol` is the first guess (any
/// value out of `(0, 100]` starts from 0.2).
pub fn implied_vol(kind: OptionKind, price: f64, inputs: &Inputs) -> Result<f64, ImpliedVolError> {
    solve(kind, price, inputs).map(|found| found.vol)
}

/// An implied vol and the work it took.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImpliedVol {
    /// The vol found.
    pub vol: f64,
    /// How many prices the iteration computed (at most 200): a handful when
    /// the Newton steps converge, about 50 when only bisection narrows the
    /// bracket to the resolution of `f64`.
    pub iterations: usize,
}

/// [`implied_vol`], with the number of iterations it took (which shows that
/// the Newton steps do the work).
pub fn solve(kind: OptionKind, price: f64, inputs: &Inputs) -> Result<ImpliedVol, ImpliedVolError> {
    let Inputs {
        spot,
        strike,
        tau,
        rate,
        dividend,
        vol: guess,
    } = *inputs;
    let finite = [price, spot, strike, tau, rate, dividend]
        .iter()
        .all(|x| x.is_finite());
    if !finite || tau <= 0.0 || spot <= 0.0 || strike <= 0.0 {
        return Err(ImpliedVolError::Undefined);
    }
    let share_pv = spot * libm::exp(-dividend * tau);
    let strike_pv = strike * libm::exp(-rate * tau);
    // The out-of-the-money side: a call when the forward is below the strike.
    let (otm_kind, otm_price, ceiling) = match (kind, share_pv <= strike_pv) {
        (OptionKind::Call, true) => (OptionKind::Call, price, share_pv),
        (OptionKind::Call, false) => (OptionKind::Put, price - share_pv + strike_pv, strike_pv),
        (OptionKind::Put, false) => (OptionKind::Put, price, strike_pv),
        (OptionKind::Put, true) => (OptionKind::Call, price + share_pv - strike_pv, share_pv),
    };
    if otm_price <= 0.0 {
        return Err(ImpliedVolError::BelowIntrinsic);
    }
    if otm_price >= ceiling {
        return Err(ImpliedVolError::AboveMaximum);
    }
    let at = |vol: f64| black_scholes::greeks(otm_kind, &Inputs { vol, ..*inputs });
    let matched = |value: f64| (value - otm_price).abs() <= (1e-14 * otm_price).max(1e-300);
    let (mut lo, mut hi) = (0.0, MAX_VOL);
    if at(hi).price < otm_price {
        return Err(ImpliedVolError::AboveMaximum); // beyond any vol we search
    }
    let mut vol = if guess > 0.0 && guess <= MAX_VOL {
        guess
    } else {
        DEFAULT_GUESS
    };
    for done in 1..=MAX_ITERATIONS {
        let found = |vol| {
            Ok(ImpliedVol {
                vol,
                iterations: done,
            })
        };
        let greeks = at(vol);
        if matched(greeks.price) {
            return found(vol);
        }
        (lo, hi) = narrowed((lo, hi), vol, greeks.price, otm_price);
        // The bracket is as narrow as f64 resolves: lo within 1e−15 of hi.
        if lo >= hi * NARROWEST {
            return found(0.5 * (lo + hi));
        }
        // With no vega the step is infinite (the price is not matched, so
        // the numerator is not 0) and lands outside the bracket.
        let newton = vol - (greeks.price - otm_price) / greeks.vega;
        vol = if strictly_inside(newton, lo, hi) {
            newton
        } else {
            0.5 * (lo + hi)
        };
    }
    Ok(ImpliedVol {
        vol,
        iterations: MAX_ITERATIONS,
    })
}

/// Whether a Newton step lands strictly inside the bracket `(lo, hi)` (NaN
/// does not). On an end it would only price again a vol already priced.
fn strictly_inside(vol: f64, lo: f64, hi: f64) -> bool {
    lo < vol && vol < hi
}

/// The bracket after pricing `vol` at `price`: its new lower end when the
/// price is below the target, else its new upper end (the price is never the
/// target itself here: a match has returned already).
fn narrowed((lo, hi): (f64, f64), vol: f64, price: f64, target: f64) -> (f64, f64) {
    if price < target {
        (vol, hi)
    } else {
        (lo, vol)
    }
}
