//! Black–Scholes–Merton prices and Greeks against independently published values,
//! finite differences and put–call parity; the normal distribution against table
//! values; the limits.

// Independent references may use the platform's math: only the engine must be
// bit-identical across targets.
#![allow(clippy::disallowed_methods)]

use hedge_explorer::pricing::black_scholes::{greeks, price, Inputs};
use hedge_explorer::pricing::normal;
use hedge_explorer::OptionKind::{self, Call, Put};

fn inputs(spot: f64, strike: f64, tau: f64, rate: f64, dividend: f64, vol: f64) -> Inputs {
    Inputs {
        spot,
        strike,
        tau,
        rate,
        dividend,
        vol,
    }
}

fn close(actual: f64, expected: f64, tolerance: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: got {actual}, expected {expected} ± {tolerance}"
    );
}

#[test]
fn normal_cdf_matches_table_values() {
    // Values from a high-precision reference (R's pnorm / mpmath), 16 digits.
    let table = [
        (0.0, 0.5),
        (1.0, 0.841_344_746_068_542_9),
        (-1.0, 0.158_655_253_931_457_05),
        (1.96, 0.975_002_104_851_779_5),
        (3.0, 0.998_650_101_968_369_9),
        (-5.0, 2.866_515_718_791_939e-7),
        (-10.0, 7.619_853_024_160_527e-24),
        (-30.0, 4.906_713_927_148_187e-198),
    ];
    for (x, expected) in table {
        let got = normal::cdf_erfc(x);
        assert!(
            (got - expected).abs() <= 1e-15 && (got - expected).abs() <= 1e-13 * expected,
            "N({x}) = {got}, expected {expected}"
        );
        let table = normal::cdf(x);
        assert!(
            (table - expected).abs() <= 2e-15,
            "table N({x}) = {table}, expected {expected}"
        );
    }
}

#[test]
fn normal_cdf_symmetry_and_density_is_its_derivative() {
    let h = 1e-5;
    let mut x = -8.0;
    while x <= 8.0 {
        close(normal::cdf(x) + normal::cdf(-x), 1.0, 2e-16, "N(x)+N(-x)");
        let derivative = (normal::cdf(x + h) - normal::cdf(x - h)) / (2.0 * h);
        close(normal::pdf(x), derivative, 1e-9, "n = N'");
        x += 0.173;
    }
}

#[test]
fn inverse_cdf_inverts_the_cdf_on_a_dense_grid_and_in_the_tails() {
    for i in 1..10_000 {
        let p = i as f64 / 10_000.0;
        let x = normal::inverse_cdf(p);
        let back = normal::cdf_erfc(x);
        assert!((back - p).abs() <= 4e-16, "N(N⁻¹({p})) = {back}");
    }
    for exponent in 3..300 {
        let p = 10f64.powi(-exponent);
        let x = normal::inverse_cdf(p);
        assert!(x.is_finite() && x < 0.0);
        let back = normal::cdf_erfc(x);
        assert!(
            (back / p - 1.0).abs() < 1e-12,
            "tail p = {p}: N(x) = {back}"
        );
        // The upper tail: 1 − p is rounded, so compare with the tail it really has.
        let upper = 1.0 - p;
        let tail = 1.0 - upper;
        if tail > 0.0 {
            close(
                normal::inverse_cdf(upper),
                -normal::inverse_cdf(tail),
                1e-9,
                "symmetry",
            );
        }
    }
    assert_eq!(normal::inverse_cdf(0.5), 0.0);
    assert_eq!(normal::inverse_cdf(0.0), f64::NEG_INFINITY);
    assert_eq!(normal::inverse_cdf(1.0), f64::INFINITY);
    for outside in [1.5, -0.5, f64::NAN, f64::INFINITY] {
        assert!(normal::inverse_cdf(outside).is_nan(), "p = {outside}");
    }
}

#[test]
fn hull_black_scholes_example() {
    // Hull, Options, Futures and Other Derivatives, Example 15.6:
    // S = 42, K = 40, r = 10%, σ = 20%, T = 0.5: c = 4.76, p = 0.81.
    let x = inputs(42.0, 40.0, 0.5, 0.1, 0.0, 0.2);
    close(price(Call, &x), 4.76, 0.005, "call");
    close(price(Put, &x), 0.81, 0.005, "put");
}

#[test]
fn hull_greeks_example() {
    // Hull, ch. 19 (Examples 19.1, 19.4, 19.5, 19.6, 19.7): S = 49, K = 50,
    // r = 5%, σ = 20%, T = 20 weeks: c ≈ 2.40, Δ = 0.522, Θ = −4.31 per year,
    // Γ = 0.066, vega = 12.1, ρ = 8.91.
    let x = inputs(49.0, 50.0, 20.0 / 52.0, 0.05, 0.0, 0.2);
    let g = greeks(Call, &x);
    close(g.price, 2.4005, 0.0005, "price");
    close(g.delta, 0.522, 0.0005, "delta");
    close(g.gamma, 0.066, 0.0005, "gamma");
    close(g.vega, 12.1, 0.05, "vega");
    close(g.theta, -4.31, 0.005, "theta");
    close(g.rho, 8.91, 0.005, "rho");
}

#[test]
fn haug_examples_with_dividend_yield() {
    // Haug, The Complete Guide to Option Pricing Formulas (2nd ed.), ch. 1 and 2.
    // Merton (1973): S=100, K=95, T=0.5, r=10%, q=5%, σ=20%: put = 2.4648.
    close(
        price(Put, &inputs(100.0, 95.0, 0.5, 0.1, 0.05, 0.2)),
        2.4648,
        5e-5,
        "Merton put",
    );
    // Delta: S=105, K=100, T=0.5, r=10%, b=0 (q=10%), σ=36%: call 0.5946, put −0.3566.
    let d = inputs(105.0, 100.0, 0.5, 0.1, 0.1, 0.36);
    close(greeks(Call, &d).delta, 0.5946, 5e-5, "call delta");
    close(greeks(Put, &d).delta, -0.3566, 5e-5, "put delta");
    // Gamma: S=55, K=60, T=0.75, r=10%, b=10% (q=0), σ=30%: 0.0278.
    close(
        greeks(Call, &inputs(55.0, 60.0, 0.75, 0.1, 0.0, 0.3)).gamma,
        0.0278,
        5e-5,
        "gamma",
    );
    // Theta: S=430, K=405, T=0.0833, r=7%, b=2% (q=5%), σ=20%: put −31.1924.
    close(
        greeks(Put, &inputs(430.0, 405.0, 0.0833, 0.07, 0.05, 0.2)).theta,
        -31.1924,
        5e-4,
        "theta",
    );
    // Rho: S=72, K=75, T=1, r=9%, b=9% (q=0), σ=19%: call 38.7325.
    close(
        greeks(Call, &inputs(72.0, 75.0, 1.0, 0.09, 0.0, 0.19)).rho,
        38.7325,
        5e-4,
        "rho",
    );
}

/// A deterministic spread of inputs, including dividends and short and long dates.
fn grid_of_inputs() -> Vec<Inputs> {
    let mut out = Vec::new();
    for &spot in &[40.0, 80.0, 100.0, 125.0, 200.0] {
        for &tau in &[0.02, 0.25, 1.0, 3.0] {
            for &vol in &[0.05, 0.2, 0.6] {
                for &(rate, dividend) in &[(0.0, 0.0), (0.05, 0.02), (-0.01, 0.03)] {
                    out.push(inputs(spot, 100.0, tau, rate, dividend, vol));
                }
            }
        }
    }
    out
}

#[test]
fn put_call_parity_everywhere() {
    for x in grid_of_inputs() {
        let c = greeks(Call, &x);
        let p = greeks(Put, &x);
        let forward_pv = x.spot * (-x.dividend * x.tau).exp();
        let strike_pv = x.strike * (-x.rate * x.tau).exp();
        close(
            c.price - p.price,
            forward_pv - strike_pv,
            1e-10 * x.spot,
            "C − P",
        );
        close(
            c.delta - p.delta,
            (-x.dividend * x.tau).exp(),
            1e-12,
            "Δc − Δp",
        );
        close(c.gamma, p.gamma, 1e-12, "gamma");
        close(c.vega, p.vega, 1e-10, "vega");
    }
}

/// The central difference of the price of `kind` at `x` in the input that
/// `bump` moves by ±h.
fn central_difference(kind: OptionKind, x: Inputs, bump: &dyn Fn(&mut Inputs, f64), h: f64) -> f64 {
    let (mut up, mut down) = (x, x);
    bump(&mut up, h);
    bump(&mut down, -h);
    (price(kind, &up) - price(kind, &down)) / (2.0 * h)
}

#[test]
fn greeks_match_finite_differences() {
    for x in grid_of_inputs() {
        for kind in [Call, Put] {
            let g = greeks(kind, &x);
            let bump = |f: &dyn Fn(&mut Inputs, f64), h: f64| central_difference(kind, x, f, h);
            let hs = 1e-5 * x.spot;
            let scale = 1.0 + g.price.abs();
            close(g.delta, bump(&|i, h| i.spot += h, hs), 1e-6, "delta");
            let delta_at = |s: f64| greeks(kind, &Inputs { spot: s, ..x }).delta;
            close(
                g.gamma,
                (delta_at(x.spot + hs) - delta_at(x.spot - hs)) / (2.0 * hs),
                1e-4 * g.gamma + 1e-9,
                "gamma",
            );
            close(g.vega, bump(&|i, h| i.vol += h, 1e-5), 1e-4 * scale, "vega");
            // θ = ∂V/∂t = −∂V/∂τ.
            let h_tau = 1e-6 * x.tau.max(1e-3);
            close(
                g.theta,
                -bump(&|i, h| i.tau += h, h_tau),
                2e-3 * scale,
                "theta",
            );
            close(g.rho, bump(&|i, h| i.rate += h, 1e-6), 1e-4 * scale, "rho");
        }
    }
}

#[test]
fn limits_give_finite_sensible_values() {
    let cases = [
        // (spot, tau, vol)
        (100.0, 0.0, 0.2),
        (100.0, 1e-20, 0.2),
        (100.0, 0.5, 0.0),
        (100.0, 0.5, 1e-15),
        (0.0, 0.5, 0.2),
        (1e-300, 0.5, 0.2),
        (1e6, 0.5, 0.2),
        (1e-3, 0.5, 0.2),
        (100.0, 30.0, 5.0),
        (100.0, 1e-12, 1e-12),
    ];
    for (spot, tau, vol) in cases {
        for kind in [Call, Put] {
            let x = inputs(spot, 100.0, tau, 0.05, 0.02, vol);
            let g = greeks(kind, &x);
            for (name, v) in [
                ("price", g.price),
                ("delta", g.delta),
                ("gamma", g.gamma),
                ("vega", g.vega),
                ("theta", g.theta),
                ("rho", g.rho),
            ] {
                assert!(
                    v.is_finite(),
                    "{kind:?} {name} at S={spot} τ={tau} σ={vol}: {v}"
                );
            }
            assert!(g.price >= -1e-12, "price is never negative");
            assert!(g.gamma >= 0.0);
            match kind {
                Call => assert!((-1e-12..=1.0).contains(&g.delta)),
                Put => assert!((-1.0..=1e-12).contains(&g.delta)),
            }
        }
    }
    // τ = 0: the payoff and a step delta.
    assert_eq!(
        price(Call, &inputs(110.0, 100.0, 0.0, 0.05, 0.0, 0.2)),
        10.0
    );
    assert_eq!(price(Put, &inputs(110.0, 100.0, 0.0, 0.05, 0.0, 0.2)), 0.0);
    assert_eq!(
        greeks(Call, &inputs(90.0, 100.0, 0.0, 0.05, 0.0, 0.2)).delta,
        0.0
    );
    assert_eq!(
        greeks(Put, &inputs(90.0, 100.0, 0.0, 0.05, 0.0, 0.2)).delta,
        -1.0
    );
    // σ → 0: the discounted intrinsic value of the forward, continuous in σ.
    let x = inputs(100.0, 95.0, 1.0, 0.05, 0.01, 0.0);
    let forward_intrinsic = 100.0 * (-0.01f64).exp() - 95.0 * (-0.05f64).exp();
    close(price(Call, &x), forward_intrinsic, 1e-12, "σ=0 call");
    close(
        price(Call, &Inputs { vol: 1e-6, ..x }),
        forward_intrinsic,
        1e-9,
        "σ→0 call",
    );
    close(price(Put, &x), 0.0, 1e-12, "σ=0 put");
    // S = 0: the put is worth the discounted strike.
    close(
        price(Put, &inputs(0.0, 100.0, 1.0, 0.05, 0.0, 0.2)),
        100.0 * (-0.05f64).exp(),
        1e-12,
        "S=0 put",
    );
    // Deep in the money: the call is worth the forward less the strike.
    let deep = inputs(1e6, 1.0, 1.0, 0.05, 0.0, 0.2);
    close(
        price(Call, &deep),
        1e6 - (-0.05f64).exp(),
        1e-6,
        "deep call",
    );
    close(greeks(Call, &deep).delta, 1.0, 1e-15, "deep call delta");
}

/// The limits' values written out, not only finite: the step delta at expiry
/// on each side of the strike and at it, the Greeks of a put on a worthless
/// share from its value `K e^{−rτ}` (∂/∂t = −∂/∂τ), and the threshold below
/// which the deterministic limit replaces the formula.
#[test]
fn limits_give_the_written_out_values() {
    use hedge_explorer::pricing::black_scholes::MIN_TOTAL_VOL;
    // τ = 0: a call delivers one share in the money, none out of it, half at it.
    for (spot, call_delta) in [(101.0, 1.0), (99.0, 0.0), (100.0, 0.5)] {
        assert_eq!(
            Call.payoff_delta(spot, 100.0),
            call_delta,
            "call at S={spot}"
        );
        assert_eq!(
            Put.payoff_delta(spot, 100.0),
            call_delta - 1.0,
            "put at S={spot}"
        );
        let at_expiry = inputs(spot, 100.0, 0.0, 0.05, 0.02, 0.2);
        assert_eq!(greeks(Call, &at_expiry).delta, call_delta);
        assert_eq!(greeks(Put, &at_expiry).delta, call_delta - 1.0);
    }
    // S = 0: the put is a bond paying K at τ, plus its delta as S → 0⁺.
    let (rate, dividend, tau, strike): (f64, f64, f64, f64) = (0.05, 0.03, 0.75, 100.0);
    let bond = strike * (-rate * tau).exp();
    let g = greeks(Put, &inputs(0.0, strike, tau, rate, dividend, 0.2));
    close(g.price, bond, 1e-12, "S=0 put price");
    close(g.delta, -(-dividend * tau).exp(), 1e-15, "S=0 put delta");
    close(g.theta, rate * bond, 1e-12, "S=0 put theta");
    close(g.rho, -tau * bond, 1e-12, "S=0 put rho");
    let near_zero = greeks(Put, &inputs(1e-6, strike, tau, rate, dividend, 0.2));
    close(
        g.delta,
        near_zero.delta,
        1e-12,
        "S=0 put delta is the limit S → 0⁺",
    );
    close(
        g.theta,
        near_zero.theta,
        1e-6,
        "S=0 put theta is the limit S → 0⁺",
    );
    close(
        g.rho,
        near_zero.rho,
        1e-6,
        "S=0 put rho is the limit S → 0⁺",
    );
    // σ√τ exactly at the threshold still uses the formula (the limit is for
    // values below it): at the money forward, gamma = n(d1)/(S σ√τ), about 4e9.
    let at_threshold = inputs(100.0, 100.0, 1.0, 0.0, 0.0, MIN_TOTAL_VOL);
    let expected = normal::pdf(0.5 * MIN_TOTAL_VOL) / (100.0 * MIN_TOTAL_VOL);
    let gamma = greeks(Call, &at_threshold).gamma;
    close(gamma / expected, 1.0, 1e-12, "gamma at σ√τ = MIN_TOTAL_VOL");
    let below = Inputs {
        vol: 0.5 * MIN_TOTAL_VOL,
        ..at_threshold
    };
    assert_eq!(
        greeks(Call, &below).gamma,
        0.0,
        "below the threshold: the limit"
    );
    // σ = 0: the discounted intrinsic value of the forward, whose Greeks are
    // its central differences in S, t (= −τ) and r away from the kink…
    for (spot, kind) in [(110.0, Call), (90.0, Put), (90.0, Call), (110.0, Put)] {
        let x = inputs(spot, 100.0, 0.5, 0.05, 0.02, 0.0);
        let g = greeks(kind, &x);
        let diff = |f: &dyn Fn(&mut Inputs, f64)| central_difference(kind, x, f, 1e-4);
        let what = format!("{kind:?} at S={spot}, σ=0");
        let delta = diff(&|i, h| i.spot += h);
        close(g.delta, delta, 1e-9, &format!("{what}: delta"));
        let theta = -diff(&|i, h| i.tau += h);
        close(g.theta, theta, 1e-7, &format!("{what}: theta"));
        let rho = diff(&|i, h| i.rate += h);
        close(g.rho, rho, 1e-6, &format!("{what}: rho"));
        assert_eq!((g.gamma, g.vega), (0.0, 0.0), "{what}: no gamma, no vega");
    }
    // …and exactly at the forward, the average of the two sides: half the
    // share's and half the bond's sensitivities, signed by the kind.
    let (tau, carry): (f64, f64) = (0.5, 0.03);
    let at_forward = inputs(100.0, 100.0, tau, carry, carry, 0.0);
    for (kind, sign) in [(Call, 1.0), (Put, -1.0)] {
        let g = greeks(kind, &at_forward);
        let bond = 100.0 * (-carry * tau).exp();
        assert_eq!(g.price, 0.0, "{kind:?} at the forward");
        close(
            g.delta,
            sign * 0.5 * (-carry * tau).exp(),
            1e-15,
            "delta at the forward",
        );
        close(g.theta, 0.0, 1e-15, "theta at the forward (r = q)");
        close(g.rho, sign * 0.5 * tau * bond, 1e-12, "rho at the forward");
    }
}

#[test]
fn the_fast_delta_is_the_full_delta() {
    // The grid, and the limits the fast delta hands to the full set: expiry,
    // a worthless share, no vol (at, above and below the forward), σ√τ below
    // the threshold.
    let limits = [
        inputs(100.0, 100.0, 0.0, 0.05, 0.02, 0.2),
        inputs(0.0, 100.0, 0.5, 0.05, 0.02, 0.2),
        inputs(100.0, 100.0, 0.5, 0.0, 0.0, 0.0),
        inputs(100.0, 95.0, 0.5, 0.05, 0.02, 0.0),
        inputs(95.0, 100.0, 0.5, 0.05, 0.02, 0.0),
        inputs(100.0, 100.0, 1.0, 0.0, 0.0, 1e-13),
        // Outside the documented domain both take the edge's values.
        inputs(-1.0, 100.0, 0.5, 0.05, 0.02, 0.2),
        inputs(100.0, 100.0, -1e-3, 0.05, 0.02, 0.2),
    ];
    for x in grid_of_inputs().into_iter().chain(limits) {
        for kind in [Call, Put] {
            assert_eq!(
                hedge_explorer::pricing::black_scholes::delta(kind, &x),
                greeks(kind, &x).delta
            );
        }
    }
}

#[test]
fn table_cdf_is_within_1_5e_minus_15_of_erfc_over_the_whole_line() {
    // Dense grid over the table's range and beyond, plus points just around every
    // node, against libm's erfc (itself accurate to about one ulp).
    let mut worst: (f64, f64) = (0.0, 0.0);
    let mut check = |x: f64| {
        let error = (normal::cdf(x) - normal::cdf_erfc(x)).abs();
        if error > worst.0 {
            worst = (error, x);
        }
    };
    let n = 2_000_000;
    for i in 0..=n {
        check(-12.0 + 24.0 * i as f64 / n as f64);
    }
    // The table's nodes are 1/1024 apart (error largest mid-interval).
    for node in -9 * 1024..=9 * 1024 {
        let x = node as f64 / 1024.0;
        for offset in [-1e-12, 0.0, 1e-12, 0.25 / 1024.0, 0.5 / 1024.0] {
            check(x + offset);
        }
    }
    for x in [
        -1e300,
        -40.0,
        -9.000001,
        9.000001,
        40.0,
        1e300,
        f64::MIN_POSITIVE,
        -0.0,
    ] {
        check(x);
    }
    // Measured: 1.4433e-15 at x ≈ 0.7173 (13 ulps of N there). libm and the
    // table are software, so the figure is the same on every platform: the
    // bound is the measurement with a small margin, not seven times it.
    assert!(
        worst.0 <= 1.5e-15,
        "max |N_table − N_erfc| = {:e} at x = {}",
        worst.0,
        worst.1
    );
    assert_eq!(normal::cdf(f64::NEG_INFINITY), 0.0);
    assert_eq!(normal::cdf(f64::INFINITY), 1.0);
    assert!(normal::cdf(f64::NAN).is_nan());
}

#[test]
fn cdf_and_density_match_a_50_digit_reference() {
    // tests/data/normal_reference.csv: mpmath at 50 digits (script beside it).
    let text = include_str!("data/normal_reference.csv");
    let mut rows = 0;
    let fast_exp = hedge_explorer::pricing::fastmath::Exp::new();
    let mut worst_fast: f64 = 0.0;
    for line in text.lines().skip(1) {
        let v: Vec<f64> = line
            .split(',')
            .map(|c| c.parse().expect("a number"))
            .collect();
        let (x, cdf, pdf) = (v[0], v[1], v[2]);
        let e_cdf = (normal::cdf(x) - cdf).abs();
        let e_pdf = (normal::pdf(x) - pdf).abs();
        // The hedge loop's density, with the engine's fast exp.
        let e_fast = (normal::pdf_with(&fast_exp, x) - pdf).abs();
        worst_fast = worst_fast.max(e_fast);
        // Measured maxima: 1.4433e-15 for N (at x = 0.69) and 5.55e-17 for n
        // (at x = −1.41); the bounds are those with a small margin.
        assert!(e_cdf <= 1.5e-15, "N({x}): error {e_cdf:e}");
        assert!(e_pdf <= 1e-16, "n({x}): error {e_pdf:e}");
        rows += 1;
    }
    assert!(rows > 8000);
    // Measured maximum 1.11e-16 (two ulp of n near its peak).
    assert!(
        worst_fast <= 1.2e-16,
        "n with the fast exp: error {worst_fast:e}"
    );
}
