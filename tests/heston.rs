//! Heston/Bates: semi-analytic prices against published reference values and
//! independent limits; the QE paths against the prices and martingale checks.

// Independent references may use the platform's math: only the engine must be
// bit-identical across targets.
#![allow(clippy::disallowed_methods)]

use hedge_explorer::paths::Jumps;
use hedge_explorer::pricing::heston::{
    heston_delta, heston_price, validate_jumps, HestonParams, Market,
};
use hedge_explorer::OptionKind::{self, Call, Put};

/// Alan Lewis's reference parameters: S = 100, r = 0.01, q = 0.02, κ = 4,
/// θ = 0.25, ξ = 1, ρ = −0.5 (v₀ and T vary by table).
fn lewis(v0: f64) -> HestonParams {
    HestonParams {
        v0,
        kappa: 4.0,
        theta: 0.25,
        xi: 1.0,
        rho: -0.5,
    }
}

fn market(spot: f64, strike: f64, tau: f64, rate: f64, dividend: f64) -> Market {
    Market {
        spot,
        strike,
        tau,
        rate,
        dividend,
    }
}

/// The largest absolute error of the model's prices against `table` of
/// (strike, kind, reference price).
fn max_error(params: &HestonParams, tau: f64, table: &[(f64, OptionKind, f64)]) -> f64 {
    table
        .iter()
        .map(|&(strike, kind, reference)| {
            let price = heston_price(
                kind,
                &market(100.0, strike, tau, 0.01, 0.02),
                params,
                &Jumps::NONE,
            );
            println!(
                "K={strike} {kind:?}: {price:.15} ref {reference:.15} err {:.2e}",
                price - reference
            );
            (price - reference).abs()
        })
        .fold(0.0, f64::max)
}

#[test]
fn lewis_reference_prices_one_year() {
    // Alan Lewis, "Heston model reference prices", financepress.com/2019/02/15/
    // heston-model-reference-prices/ (v₀ = 0.04, T = 1), as copied digit for digit
    // into QuantLib's test-suite/multiprecisionhestonengine.cpp (and hestonmodel.cpp).
    #[allow(clippy::excessive_precision)]
    let table = [
        (
            80.0,
            Put,
            7.958878113256768285213263077598987193482161301733,
        ),
        (
            80.0,
            Call,
            26.774758743998854221382195325726949201687074848341,
        ),
        (
            90.0,
            Put,
            12.017966707346304987709573290236471654992071308187,
        ),
        (
            90.0,
            Call,
            20.933349000596710388139445766564068085476194042256,
        ),
        (
            100.0,
            Put,
            17.055270961270109413522653999411000974895436309183,
        ),
        (
            100.0,
            Call,
            16.070154917028834278213466703938231827658768230714,
        ),
        (
            110.0,
            Put,
            23.017825898442800538908781834822560777763225722188,
        ),
        (
            110.0,
            Call,
            12.132211516709844867860534767549426052805766831181,
        ),
        (
            120.0,
            Put,
            29.811026202682471843340682293165857439167301370697,
        ),
        (
            120.0,
            Call,
            9.024913483457835636553375454092357136489051667150,
        ),
    ];
    let error = max_error(&lewis(0.04), 1.0, &table);
    println!("max abs error {error:.2e}");
    assert!(error < 1e-8, "max abs error {error:e}");
}

#[test]
fn lewis_reference_prices_short_maturity() {
    // The same source's second table (v₀ = 0.01, T = 0.01), also in QuantLib's
    // test-suite/multiprecisionhestonengine.cpp.
    #[allow(clippy::excessive_precision)]
    let table = [
        (90.0, Put, 4.5183603586861772614990106188215872180542e-8),
        (
            90.0,
            Call,
            9.989001595065276544935948045293485530832966049263,
        ),
        (
            95.0,
            Put,
            0.000461954855653851579672612557018857858641926937,
        ),
        (
            95.0,
            Call,
            4.989963479738160122154264702582719627807098780529,
        ),
        (
            100.0,
            Put,
            0.477781171629504680023239655436072890669645669297,
        ),
        (
            100.0,
            Call,
            0.467782671512844263098248405184095087949465507760,
        ),
        (
            105.0,
            Put,
            5.009501052563650299130635110520904481889436667608,
        ),
        (105.0, Call, 2.527447823194706060519991248106500619490942e-6),
        (
            110.0,
            Put,
            10.008998550115123724684210555728039829315964456261,
        ),
        (110.0, Call, 1.29932760052624920704881258510264466e-13),
    ];
    let error = max_error(&lewis(0.01), 0.01, &table);
    println!("max abs error {error:.2e}");
    assert!(error < 1e-8, "max abs error {error:e}");
}

#[test]
fn fang_oosterlee_reference_prices() {
    // Fang & Oosterlee (2008), "A novel pricing method for European options based
    // on Fourier-cosine series expansions", SIAM J. Sci. Comput. 31(2), 826–848,
    // eq. (53) and the "Reference val." of Tables 4 and 5 (Carr–Madan, N = 2^17):
    // S = K = 100, r = q = 0, κ = 1.5768, θ = 0.0398, ξ = 0.5751, ρ = −0.5711,
    // v₀ = 0.0175 (Feller violated). Published to 9 decimals, and itself computed
    // numerically: at T = 1 we get 5.7851554344, as a COS computation over a
    // wider range does (5.7851554344, also −1.6e−8 from the table) — hence 5e−8.
    let params = HestonParams {
        v0: 0.0175,
        kappa: 1.5768,
        theta: 0.0398,
        xi: 0.5751,
        rho: -0.5711,
    };
    let mut worst: f64 = 0.0;
    for (tau, reference) in [(1.0, 5.785_155_450), (10.0, 22.318_945_791)] {
        let price = heston_price(
            Call,
            &market(100.0, 100.0, tau, 0.0, 0.0),
            &params,
            &Jumps::NONE,
        );
        println!(
            "T={tau}: {price:.12} ref {reference} err {:.2e}",
            price - reference
        );
        worst = worst.max((price - reference).abs());
    }
    assert!(worst < 5e-8, "{worst:e}");
}

/// A grid of parameter sets: Lewis's, Feller violated, positive ρ, |ρ| near 1, slow and
/// fast mean reversion, zero variance at the start.
fn parameter_grid() -> Vec<HestonParams> {
    let p = |v0, kappa, theta, xi, rho| HestonParams {
        v0,
        kappa,
        theta,
        xi,
        rho,
    };
    vec![
        p(0.04, 4.0, 0.25, 1.0, -0.5),
        p(0.04, 1.5, 0.04, 0.3, -0.7),
        p(0.09, 0.5, 0.04, 1.2, -0.9),
        p(0.02, 2.0, 0.06, 0.8, 0.4),
        p(0.04, 1.0, 0.04, 0.5, -0.95),
        p(0.04, 1.0, 0.04, 0.5, 0.95),
        p(0.0, 3.0, 0.05, 0.4, -0.3),
        p(0.05, 0.0, 0.05, 0.3, -0.5),
        p(0.0175, 1.5768, 0.0398, 0.5751, -0.5711),
    ]
}

const STRIKES: [f64; 5] = [60.0, 90.0, 100.0, 110.0, 150.0];
const MATURITIES: [f64; 3] = [0.02, 0.5, 5.0];

#[test]
fn put_call_parity() {
    let bates = Jumps {
        intensity: 0.5,
        mean: -0.1,
        sd: 0.15,
    };
    let mut worst: f64 = 0.0;
    for params in parameter_grid() {
        for jumps in [Jumps::NONE, bates] {
            for tau in MATURITIES {
                for strike in STRIKES {
                    let m = market(100.0, strike, tau, 0.03, 0.01);
                    let call = heston_price(Call, &m, &params, &jumps);
                    let put = heston_price(Put, &m, &params, &jumps);
                    let parity = 100.0 * (-0.01 * tau).exp() - strike * (-0.03 * tau).exp();
                    worst = worst.max((call - put - parity).abs());
                    // No-arbitrage bounds.
                    assert!(
                        call >= (parity).max(0.0) - 1e-9,
                        "{params:?} {tau} {strike}: {call}"
                    );
                    assert!(
                        put >= (-parity).max(0.0) - 1e-9,
                        "{params:?} {tau} {strike}: {put}"
                    );
                    let call_delta = heston_delta(Call, &m, &params, &jumps);
                    let put_delta = heston_delta(Put, &m, &params, &jumps);
                    assert!(
                        (call_delta - put_delta - (-0.01 * tau).exp()).abs() < 1e-10,
                        "delta parity {params:?} {tau} {strike}"
                    );
                }
            }
        }
    }
    println!("worst parity error {worst:.2e}");
    assert!(worst < 1e-10, "{worst:e}");
}

/// Black–Scholes–Merton call, written out here from the textbook formula as an
/// independent reference (erfc from the platform).
fn bs_call(spot: f64, strike: f64, tau: f64, rate: f64, dividend: f64, vol: f64) -> f64 {
    let n = |x: f64| 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2);
    let total = vol * tau.sqrt();
    let d1 = ((spot / strike).ln() + (rate - dividend) * tau) / total + 0.5 * total;
    spot * (-dividend * tau).exp() * n(d1) - strike * (-rate * tau).exp() * n(d1 - total)
}

#[test]
fn black_scholes_when_the_variance_is_constant() {
    // ξ → 0 with v₀ = θ = σ²: the variance stays σ² and Heston is Black–Scholes.
    // The price moves by O(ρξ) and O(ξ²), so ξ = 1e−9 with ρ ≠ 0 and ξ = 1e−5
    // with ρ = 0 are within 1e−9 of the limit: what is tested is that the formula
    // does not lose digits as ξ → 0 (a naive (β − d)/ξ² would).
    let mut worst: f64 = 0.0;
    for vol in [0.1, 0.3, 0.8] {
        for (xi, rho) in [(0.0, -0.6), (1e-9, -0.6), (1e-5, 0.0)] {
            let params = HestonParams {
                v0: vol * vol,
                kappa: 2.0,
                theta: vol * vol,
                xi,
                rho,
            };
            for tau in MATURITIES {
                for strike in STRIKES {
                    let m = market(100.0, strike, tau, 0.03, 0.01);
                    let price = heston_price(Call, &m, &params, &Jumps::NONE);
                    let reference = bs_call(100.0, strike, tau, 0.03, 0.01, vol);
                    worst = worst.max((price - reference).abs());
                }
            }
        }
    }
    println!("worst difference to Black–Scholes {worst:.2e}");
    assert!(worst < 1e-8, "{worst:e}");
}

#[test]
fn delta_matches_central_differences_of_the_price() {
    let bates = Jumps {
        intensity: 0.8,
        mean: -0.05,
        sd: 0.2,
    };
    let mut worst: f64 = 0.0;
    for params in parameter_grid() {
        for jumps in [Jumps::NONE, bates] {
            for tau in [0.1, 1.0] {
                for strike in [80.0, 100.0, 125.0] {
                    for kind in [Call, Put] {
                        let at = |spot| {
                            heston_price(
                                kind,
                                &market(spot, strike, tau, 0.02, 0.01),
                                &params,
                                &jumps,
                            )
                        };
                        let h = 1e-3;
                        let difference = (at(100.0 + h) - at(100.0 - h)) / (2.0 * h);
                        let delta = heston_delta(
                            kind,
                            &market(100.0, strike, tau, 0.02, 0.01),
                            &params,
                            &jumps,
                        );
                        worst = worst.max((delta - difference).abs());
                    }
                }
            }
        }
    }
    println!("worst delta error {worst:.2e}");
    // The difference's own error: h²·|V'''|/6 plus rounding 1e−13/h.
    assert!(worst < 1e-7, "{worst:e}");
}

/// Merton (1976) jump-diffusion call as the Poisson-weighted series of
/// Black–Scholes prices (Hull, *Options, Futures, and Other Derivatives*, ch. 27):
/// with `λ' = λ(1 + κ_J)`, `σ_n² = σ² + n s²/τ`, `r_n = r − λκ_J + n ln(1 + κ_J)/τ`,
/// `C = Σ_n e^{−λ'τ}(λ'τ)ⁿ/n! · BS(S, K, τ, r_n, q, σ_n)`.
fn merton_call(
    spot: f64,
    strike: f64,
    tau: f64,
    rate: f64,
    dividend: f64,
    vol: f64,
    jumps: &Jumps,
) -> f64 {
    let kappa_j = (jumps.mean + 0.5 * jumps.sd * jumps.sd).exp() - 1.0;
    let lambda = jumps.intensity * (1.0 + kappa_j);
    let mut total = 0.0;
    let mut weight = (-lambda * tau).exp();
    for n in 0..200 {
        if n > 0 {
            weight *= lambda * tau / n as f64;
        }
        let nf = n as f64;
        let vol_n = (vol * vol + nf * jumps.sd * jumps.sd / tau).sqrt();
        let rate_n = rate - jumps.intensity * kappa_j + nf * (1.0 + kappa_j).ln() / tau;
        // BS with rate r_n, discounted at r_n, then re-discounted at r: the series
        // as Hull writes it uses r_n throughout.
        total += weight * bs_call(spot, strike, tau, rate_n, dividend, vol_n);
    }
    total
}

#[test]
fn bates_without_vol_of_variance_is_merton() {
    let mut worst: f64 = 0.0;
    for jumps in [
        Jumps {
            intensity: 0.5,
            mean: -0.1,
            sd: 0.15,
        },
        Jumps {
            intensity: 3.0,
            mean: 0.05,
            sd: 0.05,
        },
    ] {
        let vol = 0.2;
        let params = HestonParams {
            v0: vol * vol,
            kappa: 1.0,
            theta: vol * vol,
            xi: 0.0,
            rho: 0.0,
        };
        for tau in [0.1, 1.0, 3.0] {
            for strike in STRIKES {
                let m = market(100.0, strike, tau, 0.03, 0.01);
                let price = heston_price(Call, &m, &params, &jumps);
                let reference = merton_call(100.0, strike, tau, 0.03, 0.01, vol, &jumps);
                worst = worst.max((price - reference).abs());
            }
        }
    }
    println!("worst difference to Merton's series {worst:.2e}");
    assert!(worst < 1e-8, "{worst:e}");
}

#[test]
fn quadrature_reproduces_closed_form_integrals() {
    use hedge_explorer::pricing::quadrature::integrate_half_line;
    use std::f64::consts::PI;
    // ∫₀^∞ e^{−u} du = 1; ∫₀^∞ du/(1 + u²) = π/2; ∫₀^∞ e^{−u²/2} cos(3u) du =
    // √(π/2)·e^{−9/2} (Gradshteyn & Ryzhik 3.896.4); ∫₀^∞ e^{−2u} sin(5u) du = 5/29.
    type Case<'a> = (&'a dyn Fn(f64) -> f64, f64, f64);
    let cases: [Case; 4] = [
        (&|u: f64| (-u).exp(), 1.0, 1.0),
        (&|u: f64| 1.0 / (1.0 + u * u), 1.0, PI / 2.0),
        (
            &|u: f64| (-0.5 * u * u).exp() * (3.0 * u).cos(),
            1.0,
            (PI / 2.0).sqrt() * (-4.5f64).exp(),
        ),
        (
            &|u: f64| (-2.0 * u).exp() * (5.0 * u).sin(),
            0.5,
            5.0 / 29.0,
        ),
    ];
    for (f, scale, exact) in cases {
        let integral = integrate_half_line(f, scale, 1e-14, 1000);
        assert!(integral.converged, "{integral:?}");
        assert!(
            (integral.value - exact).abs() < 1e-13,
            "{} vs {exact}",
            integral.value
        );
    }
}

#[test]
fn validation_names_the_parameter() {
    let good = lewis(0.04);
    assert_eq!(good.validate(), Ok(()));
    let bad = |p: HestonParams| p.validate().unwrap_err();
    assert_eq!(bad(HestonParams { xi: -0.1, ..good }), "xi must be ≥ 0");
    assert_eq!(bad(HestonParams { v0: -0.01, ..good }), "v0 must be ≥ 0");
    assert_eq!(
        bad(HestonParams {
            kappa: f64::NAN,
            ..good
        }),
        "kappa must be a finite number"
    );
    assert_eq!(
        bad(HestonParams { rho: 1.5, ..good }),
        "rho must be between −1 and 1"
    );
    // Lewis's set satisfies Feller (2·4·0.25 = 2 ≥ 1 = ξ²); ξ = 1.5 breaks it.
    assert!(good.feller_holds());
    assert!(!HestonParams { xi: 1.5, ..good }.feller_holds());
    let jumps = Jumps {
        intensity: 1.0,
        mean: -0.1,
        sd: 0.2,
    };
    assert_eq!(validate_jumps(&jumps), Ok(()));
    assert_eq!(
        validate_jumps(&Jumps { sd: -0.2, ..jumps }).unwrap_err(),
        "jump sd must be ≥ 0"
    );
    assert_eq!(
        validate_jumps(&Jumps {
            intensity: -1.0,
            ..jumps
        })
        .unwrap_err(),
        "jump intensity must be ≥ 0"
    );
}

// ---------------------------------------------------------------------------
// Paths: Andersen's QE scheme.

use hedge_explorer::paths::heston::HestonPaths;
use hedge_explorer::paths::{PathBuffer, PathSource, TimeGrid};

fn heston_paths(
    params: HestonParams,
    jumps: Jumps,
    drift: f64,
    horizon: f64,
    steps: usize,
) -> HestonPaths {
    HestonPaths {
        spot: 100.0,
        drift,
        dividend: 0.02,
        params,
        jumps,
        grid: TimeGrid::even(horizon, steps),
        seed: 2008,
    }
}

/// Mean and standard error of a sample.
fn mean_and_error(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

#[test]
fn variance_is_never_negative() {
    // Feller violated by far (ξ = 4, κθ tiny), ρ = ±1, κ from 0 to 50, steps from
    // a day to two years, starting at zero variance.
    let mut out = PathBuffer::new(0);
    let mut variance = Vec::new();
    let mut checked = 0usize;
    for kappa in [0.0, 0.01, 1.0, 50.0] {
        for theta in [0.0, 0.01, 0.3] {
            for xi in [0.05, 1.0, 4.0] {
                for rho in [-1.0, 0.0, 1.0] {
                    for v0 in [0.0, 0.09] {
                        for (horizon, steps) in [(2.0, 1), (1.0, 4), (0.1, 25)] {
                            let params = HestonParams {
                                v0,
                                kappa,
                                theta,
                                xi,
                                rho,
                            };
                            let model = heston_paths(params, Jumps::NONE, 0.05, horizon, steps);
                            out = PathBuffer::new(steps);
                            variance.resize(steps + 1, 0.0);
                            for path in 0..8 {
                                model.fill_with_variance(path, &mut out, &mut variance);
                                for (&v, &s) in variance.iter().zip(&out.spot) {
                                    assert!(
                                        v >= 0.0 && v.is_finite(),
                                        "{params:?} Δ={}: v = {v}",
                                        horizon / steps as f64
                                    );
                                    assert!(s > 0.0 && s.is_finite(), "{params:?}: S = {s}");
                                    checked += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 10_000 && out.spot.len() == 26);
}

/// A set with Feller (2κθ = 0.12 ≥ ξ² = 0.09), one far from it (2κθ = 0.04 ≪ ξ² =
/// 1, Andersen's hard regime), and Merton jumps to add to either.
fn monte_carlo_cases() -> Vec<(&'static str, HestonParams, Jumps)> {
    let feller = HestonParams {
        v0: 0.04,
        kappa: 1.5,
        theta: 0.04,
        xi: 0.3,
        rho: -0.7,
    };
    let no_feller = HestonParams {
        v0: 0.04,
        kappa: 0.5,
        theta: 0.04,
        xi: 1.0,
        rho: -0.9,
    };
    let jumps = Jumps {
        intensity: 1.0,
        mean: -0.1,
        sd: 0.15,
    };
    vec![
        ("Feller", feller, Jumps::NONE),
        ("no Feller", no_feller, Jumps::NONE),
        ("Feller + jumps", feller, jumps),
        ("no Feller + jumps", no_feller, jumps),
    ]
}

#[test]
fn risk_neutral_paths_price_like_the_formula() {
    // Risk-neutral paths (drift r): the discounted mean of S_T is S₀e^{−qT}
    // (martingale correction), the mean of v_T is θ + (v₀ − θ)e^{−κT} (QE matches
    // the variance's conditional mean), and the discounted mean payoff is the
    // semi-analytic price — each within 4 standard errors.
    let (rate, tau, paths, steps) = (0.03, 1.0, 20_000u64, 16);
    for (name, params, jumps) in monte_carlo_cases() {
        let model = heston_paths(params, jumps, rate, tau, steps);
        let mut out = PathBuffer::new(steps);
        let mut variance = vec![0.0; steps + 1];
        let mut spots = Vec::with_capacity(paths as usize);
        let mut variances = Vec::with_capacity(paths as usize);
        for path in 0..paths {
            model.fill_with_variance(path, &mut out, &mut variance);
            spots.push(out.spot[steps]);
            variances.push(variance[steps]);
        }
        let discount = (-rate * tau).exp();
        let discounted: Vec<f64> = spots.iter().map(|s| s * discount).collect();
        let (mean, error) = mean_and_error(&discounted);
        let forward_pv = 100.0 * (-0.02 * tau).exp();
        assert!(
            (mean - forward_pv).abs() < 4.0 * error,
            "{name}: E[S_T]e^(−rT) = {mean} ± {error}, expected {forward_pv}"
        );
        let (mean_v, error_v) = mean_and_error(&variances);
        let expected_v = params.theta + (params.v0 - params.theta) * (-params.kappa * tau).exp();
        assert!(
            (mean_v - expected_v).abs() < 4.0 * error_v,
            "{name}: E[v_T] = {mean_v} ± {error_v}, expected {expected_v}"
        );
        for (kind, strike) in [(Call, 100.0), (Put, 90.0), (Call, 120.0)] {
            let payoffs: Vec<f64> = spots
                .iter()
                .map(|&s| kind.payoff(s, strike) * discount)
                .collect();
            let (mc, error) = mean_and_error(&payoffs);
            let exact = heston_price(
                kind,
                &market(100.0, strike, tau, rate, 0.02),
                &params,
                &jumps,
            );
            println!("{name} {kind:?} K={strike}: MC {mc:.4} ± {error:.4}, formula {exact:.4}");
            assert!(
                (mc - exact).abs() < 4.0 * error,
                "{name} {kind:?} K={strike}: MC {mc} ± {error}, formula {exact}"
            );
        }
    }
}

#[test]
fn paths_depend_only_on_seed_and_index() {
    let params = HestonParams {
        v0: 0.04,
        kappa: 0.5,
        theta: 0.04,
        xi: 1.0,
        rho: -0.9,
    };
    let jumps = Jumps {
        intensity: 2.0,
        mean: -0.05,
        sd: 0.1,
    };
    let model = heston_paths(params, jumps, 0.05, 1.0, 50);
    let fill = |index| {
        let mut out = PathBuffer::new(50);
        model.fill(index, &mut out);
        out
    };
    // Same stream, same bits, whatever was generated before (chunk order).
    let first = fill(7);
    let _ = fill(3);
    let again = fill(7);
    assert_eq!(
        first.spot.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        again.spot.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
    );
    assert_eq!(first, again);
    assert_ne!(fill(8).spot, first.spot);
    // Reversed order over a chunk gives the same paths.
    let forward: Vec<PathBuffer> = (0..6).map(fill).collect();
    let mut backward: Vec<PathBuffer> = (0..6).rev().map(fill).collect();
    backward.reverse();
    assert_eq!(forward, backward);
    // With the variance path: the same spots, bit for bit.
    let mut out = PathBuffer::new(50);
    let mut variance = vec![0.0; 51];
    model.fill_with_variance(7, &mut out, &mut variance);
    assert_eq!(out, first);
    assert_eq!(variance[0], 0.04);
    // The log spots are the logs of the spots.
    for (s, l) in out.spot.iter().zip(&out.log_spot) {
        assert!((s.ln() - l).abs() < 1e-12);
    }
}

#[test]
fn martingale_holds_with_long_steps() {
    // Half-year steps, Feller far off, ρ = −0.9: the martingale correction keeps
    // E[S_T]e^{−(r−q)T} = S₀ for the discrete scheme itself, not only as Δ → 0.
    let (rate, tau, paths) = (0.03, 2.0, 20_000u64);
    for (name, params, jumps) in monte_carlo_cases() {
        let model = heston_paths(params, jumps, rate, tau, 4);
        let mut out = PathBuffer::new(4);
        let discounted: Vec<f64> = (0..paths)
            .map(|path| {
                model.fill(path, &mut out);
                out.spot[4] * (-(rate - 0.02) * tau).exp()
            })
            .collect();
        let (mean, error) = mean_and_error(&discounted);
        assert!(
            (mean - 100.0).abs() < 4.0 * error,
            "{name}: {mean} ± {error}"
        );
    }
}

// ---------------------------------------------------------------------------
// The delta table.

use hedge_explorer::pricing::heston_delta::{DeltaTableSpec, HestonDeltaTable};

#[test]
fn delta_table_is_within_1e6_of_the_formula() {
    // Points between the nodes (irrational offsets) of a slice two weeks before
    // expiry (the hardest of those measured in the module docs), spots 60–160
    // around K = 100, variance 0 to 0.25.
    let params = HestonParams {
        v0: 0.04,
        kappa: 1.5,
        theta: 0.04,
        xi: 0.5,
        rho: -0.7,
    };
    let taus = [0.02];
    let spec = DeltaTableSpec {
        z_max: 8.0,
        z_nodes: 65,
        max_variance: 0.25,
        vol_nodes: 31,
    };
    let table = HestonDeltaTable::new(Call, 100.0, 0.03, 0.01, &params, &Jumps::NONE, &taus, spec);
    let mut worst: f64 = 0.0;
    for tau in taus {
        for a in 0..25 {
            let log_spot = 60f64.ln() + (160f64 / 60.0).ln() * (a as f64 + 0.37) / 25.0;
            for b in 0..8 {
                let w = 0.5 * (b as f64 + 0.41) / 8.0;
                let exact = heston_delta(
                    Call,
                    &market(log_spot.exp(), 100.0, tau, 0.03, 0.01),
                    &HestonParams {
                        v0: w * w,
                        ..params
                    },
                    &Jumps::NONE,
                );
                worst = worst.max((table.delta(log_spot, w * w, tau) - exact).abs());
            }
        }
    }
    println!("worst table error {worst:.2e}");
    assert!(worst <= 1e-6, "{worst:e}");
}

#[test]
fn delta_table_put_and_fallback() {
    let params = lewis(0.04);
    let jumps = Jumps {
        intensity: 0.5,
        mean: -0.1,
        sd: 0.1,
    };
    let spec = DeltaTableSpec {
        z_max: 6.0,
        z_nodes: 17,
        max_variance: 0.16,
        vol_nodes: 8,
    };
    let (rate, dividend, tau) = (0.02, 0.01, 0.5);
    let call = HestonDeltaTable::new(Call, 100.0, rate, dividend, &params, &jumps, &[tau], spec);
    let put = HestonDeltaTable::new(Put, 100.0, rate, dividend, &params, &jumps, &[tau], spec);
    // At the spot the table sees, e^{ln S} (libm's, as the table's).
    let exact = |spot: f64, v: f64, tau: f64| {
        heston_delta(
            Call,
            &market(libm::exp(spot.ln()), 100.0, tau, rate, dividend),
            &HestonParams { v0: v, ..params },
            &jumps,
        )
    };
    // Put–call parity of deltas holds in the table too.
    for (spot, v) in [(90.0, 0.01), (100.0, 0.04), (112.0, 0.1)] {
        let x = f64::ln(spot);
        let gap = call.delta(x, v, tau) - put.delta(x, v, tau) - (-dividend * tau).exp();
        assert!(gap.abs() < 1e-12, "{gap:e}");
    }
    // Outside the table: a date it was not built for, a variance above its range,
    // a spot beyond z_max: the exact delta, bit for bit.
    assert_eq!(
        call.delta(f64::ln(100.0), 0.04, 0.3),
        exact(100.0, 0.04, 0.3)
    );
    assert_eq!(call.delta(f64::ln(100.0), 0.5, tau), exact(100.0, 0.5, tau));
    assert_eq!(
        call.delta(f64::ln(1000.0), 0.04, tau),
        exact(1000.0, 0.04, tau)
    );
    // At expiry, the payoff's delta.
    assert_eq!(call.delta(f64::ln(101.0), 0.04, 0.0), 1.0);
}
