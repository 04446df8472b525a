//! Shared by the integration tests: independent references that more than one
//! test file checks the engine against.

#![allow(clippy::disallowed_methods)]
// platform math: independent of the engine's libm
// Each test file compiles this module on its own, and not every one uses
// every helper.
#![allow(dead_code)]

use hedge_explorer::pricing::black_scholes::OptionKind;

/// Black–Scholes–Merton value of one option, written out here from the closed
/// form (with N from erfc, not the engine's table), so that the engine's targets
/// and Greeks are checked against a formula it does not share.
pub fn closed_form_value(
    kind: OptionKind,
    spot: f64,
    strike: f64,
    tau: f64,
    r: f64,
    q: f64,
    vol: f64,
) -> f64 {
    let n = hedge_explorer::pricing::normal::cdf_erfc;
    let total_vol = vol * tau.sqrt();
    let d1 = ((spot / strike).ln() + (r - q + 0.5 * vol * vol) * tau) / total_vol;
    let d2 = d1 - total_vol;
    let forward_part = spot * (-q * tau).exp();
    let strike_part = strike * (-r * tau).exp();
    match kind {
        OptionKind::Call => forward_part * n(d1) - strike_part * n(d2),
        OptionKind::Put => strike_part * n(-d2) - forward_part * n(-d1),
    }
}

/// The larger of two errors, a NaN error winning: `f64::max` drops a NaN, so
/// `worst.max(error)` would let a NaN result pass as exact.
pub fn worse(worst: f64, error: f64) -> f64 {
    if worst.is_nan() || error.is_nan() {
        f64::NAN
    } else {
        worst.max(error)
    }
}

/// The root of `f` between `low` and `high`, where `f` changes sign once, by
/// 200 halvings (past the last bit of an f64): the tests' own solver for a
/// size the engine finds its own way (an insured portfolio's put count or
/// strike), so that the two solves share nothing but the equation.
pub fn bisect(f: impl Fn(f64) -> f64, mut low: f64, mut high: f64) -> f64 {
    let positive_at_low = f(low) > 0.0;
    for _ in 0..200 {
        let middle = 0.5 * (low + high);
        if (f(middle) > 0.0) == positive_at_low {
            low = middle;
        } else {
            high = middle;
        }
    }
    0.5 * (low + high)
}
