//! Black–Scholes implied vol: round trips through the price, put and call
//! agreement, the no-fit cases, and a Heston smile's known shape.

// Independent references may use the platform's math: only the engine must be
// bit-identical across targets.
#![allow(clippy::disallowed_methods)]

use hedge_explorer::paths::Jumps;
use hedge_explorer::pricing::black_scholes::{price, Inputs};
use hedge_explorer::pricing::heston::{heston_price, HestonParams, Market};
use hedge_explorer::pricing::implied::{implied_vol, ImpliedVolError};
use hedge_explorer::OptionKind::{Call, Put};

fn inputs(strike: f64, tau: f64, vol: f64) -> Inputs {
    Inputs {
        spot: 100.0,
        strike,
        tau,
        rate: 0.03,
        dividend: 0.01,
        vol,
    }
}

#[test]
fn round_trip_through_the_price() {
    let mut worst: f64 = 0.0;
    for tau in [0.01, 0.25, 1.0, 10.0] {
        for strike in [50.0, 80.0, 95.0, 100.0, 105.0, 125.0, 200.0] {
            for vol in [0.05, 0.2, 0.6, 2.0] {
                for kind in [Call, Put] {
                    let target = price(kind, &inputs(strike, tau, vol));
                    // Skip prices with no information left about σ: an
                    // out-of-the-money value below 1e−10 is mostly rounding.
                    let call = price(Call, &inputs(strike, tau, vol));
                    let put = price(Put, &inputs(strike, tau, vol));
                    if call.min(put) < 1e-10 {
                        continue;
                    }
                    // Start far away, and without a guess.
                    for guess in [0.0, 0.01, 5.0] {
                        let found = implied_vol(kind, target, &inputs(strike, tau, guess))
                            .unwrap_or_else(|e| panic!("{kind:?} K={strike} τ={tau} σ={vol}: {e}"));
                        worst = worst.max((found - vol).abs() / vol);
                    }
                }
            }
        }
    }
    println!("worst relative vol error {worst:.2e}");
    assert!(worst < 1e-6, "{worst:e}");
}

#[test]
fn no_vol_fits_outside_the_bounds() {
    let at = inputs(90.0, 1.0, 0.2);
    let share_pv = 100.0 * (-0.01f64).exp();
    let strike_pv = 90.0 * (-0.03f64).exp();
    // A call below its intrinsic value, and at or above the discounted share.
    assert_eq!(
        implied_vol(Call, share_pv - strike_pv - 0.01, &at),
        Err(ImpliedVolError::BelowIntrinsic)
    );
    assert_eq!(
        implied_vol(Call, share_pv, &at),
        Err(ImpliedVolError::AboveMaximum)
    );
    // A put at zero, and at the discounted strike.
    assert_eq!(
        implied_vol(Put, 0.0, &at),
        Err(ImpliedVolError::BelowIntrinsic)
    );
    assert_eq!(
        implied_vol(Put, strike_pv, &at),
        Err(ImpliedVolError::AboveMaximum)
    );
    // No time left, a nonsense price.
    assert_eq!(
        implied_vol(Call, 12.0, &inputs(90.0, 0.0, 0.2)),
        Err(ImpliedVolError::Undefined)
    );
    assert_eq!(
        implied_vol(Call, f64::NAN, &at),
        Err(ImpliedVolError::Undefined)
    );
}

#[test]
fn heston_smile_has_the_known_shape() {
    // With ρ < 0 the Heston smile is a downward skew (Gatheral, *The Volatility
    // Surface*, ch. 3): implied vol decreasing in the strike around the money; the
    // at-the-money vol lies near √(average expected variance), a little below it
    // (the vol of variance's convexity); call and put give the same vol (parity
    // holds in the model).
    let params = HestonParams {
        v0: 0.04,
        kappa: 2.0,
        theta: 0.04,
        xi: 0.5,
        rho: -0.7,
    };
    let mut previous = f64::INFINITY;
    for strike in [70.0, 85.0, 100.0, 115.0, 130.0] {
        let market = Market {
            spot: 100.0,
            strike,
            tau: 0.5,
            rate: 0.03,
            dividend: 0.01,
        };
        let bs = |vol| market.with_vol(vol);
        let call = heston_price(Call, &market, &params, &Jumps::NONE);
        let put = heston_price(Put, &market, &params, &Jumps::NONE);
        let from_call = implied_vol(Call, call, &bs(0.2)).unwrap();
        let from_put = implied_vol(Put, put, &bs(0.2)).unwrap();
        assert!(
            (from_call - from_put).abs() < 1e-8,
            "{from_call} {from_put}"
        );
        assert!(
            from_call < previous,
            "skew: {strike} gives {from_call} ≥ {previous}"
        );
        if strike == 100.0 {
            assert!(from_call < 0.2 && from_call > 0.18, "ATM vol {from_call}");
        }
        previous = from_call;
    }
}
