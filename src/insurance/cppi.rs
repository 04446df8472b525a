//! CPPI's target (Black & Jones 1987, Black & Perold 1992): with value `V`,
//! the floor's present value `F_t = F·e^{−r(T−t)}` and cushion `C = V − F_t`,
//! the exposure (money in shares) is
//!
//! ```text
//! E = min(m·C, cap·V)  when C > 0,      E = 0  when C ≤ 0,
//! ```
//!
//! and the insured value's gamma in continuous time — for the Whalley–Wilmott
//! band — is that of `C ∝ S^m` where the multiplier rules,
//! `∂²V/∂S² = m(m − 1)·C/S²`, and of `V ∝ S^cap` where the cap binds,
//! `cap(cap − 1)·V/S²`. The rule that the strategy stays in cash once its
//! cushion is gone lives in the loop ([`super::insurer`]).
//!
//! **Tested by** `tests/insurance.rs`: convergence to the continuous-time closed
//! form, the exact discrete recursion `C ← C·(1 + m(R − 1))` with `r = q = 0`,
//! the floor broken exactly on a step drop beyond `1/m`, and every share sold
//! for good once the cushion is gone, under every rule.

/// CPPI's exposure in money at value `value` with the floor's present value
/// `floor_pv`: `min(m·C, cap·V)` for a positive cushion `C`, else 0.
#[inline]
pub fn cppi_exposure(value: f64, floor_pv: f64, multiplier: f64, cap: f64) -> f64 {
    let cushion = value - floor_pv;
    if cushion > 0.0 {
        (multiplier * cushion).min(cap * value).max(0.0)
    } else {
        0.0
    }
}

/// The insured value's gamma `∂²V/∂S²` at `spot` (see the module docs): 0
/// without a cushion.
pub fn cppi_gamma(value: f64, floor_pv: f64, multiplier: f64, cap: f64, spot: f64) -> f64 {
    let cushion = value - floor_pv;
    if cushion <= 0.0 || spot <= 0.0 {
        0.0
    } else if multiplier * cushion <= cap * value {
        multiplier * (multiplier - 1.0) * cushion / (spot * spot)
    } else {
        cap * (cap - 1.0) * value / (spot * spot)
    }
}
