//! Random streams and price paths against closed-form moments; determinism and
//! chunk independence.

// Independent references may use the platform's math: only the engine must be
// bit-identical across targets.
#![allow(clippy::disallowed_methods)]

use hedge_explorer::paths::rng::PathRng;
use hedge_explorer::paths::{JumpDiffusion, Jumps, PathBuffer, PathSource, TimeGrid};

fn model(jumps: Jumps, steps: usize) -> JumpDiffusion {
    JumpDiffusion {
        spot: 100.0,
        drift: 0.08,
        dividend: 0.02,
        vol: 0.25,
        jumps,
        grid: TimeGrid::even(0.5, steps),
        seed: 42,
    }
}

/// Mean and variance of a sample.
fn moments(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

#[test]
fn uniforms_and_normals_have_the_right_moments() {
    let mut rng = PathRng::for_path(7, 3);
    let n = 200_000;
    let u: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
    assert!(u.iter().all(|&x| x > 0.0 && x < 1.0));
    let (mean, var) = moments(&u);
    assert!((mean - 0.5).abs() < 4.0 * (1.0 / 12.0f64 / n as f64).sqrt());
    assert!((var - 1.0 / 12.0).abs() < 0.002);
    let z: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let (mean, var) = moments(&z);
    assert!(mean.abs() < 4.0 / (n as f64).sqrt(), "mean {mean}");
    assert!((var - 1.0).abs() < 0.015, "var {var}");
    let kurtosis = z.iter().map(|x| x.powi(4)).sum::<f64>() / n as f64;
    assert!((kurtosis - 3.0).abs() < 0.08, "kurtosis {kurtosis}");
    let beyond = z.iter().filter(|x| x.abs() > 1.959_963_984_540_054).count() as f64 / n as f64;
    assert!((beyond - 0.05).abs() < 0.003, "two-sided 5% tail {beyond}");
}

#[test]
fn normals_follow_the_normal_cdf() {
    // Empirical CDF at fixed points against N(x): within 5 binomial SEs.
    let n = 2_000_000;
    let mut rng = PathRng::for_path(3, 9);
    let z: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    for x in [
        -4.0, -3.6, -3.0, -2.0, -1.0, -0.3, 0.0, 0.5, 1.5, 2.5, 3.7, 4.2,
    ] {
        let p = hedge_explorer::pricing::normal::cdf_erfc(x);
        let below = z.iter().filter(|&&v| v <= x).count() as f64 / n as f64;
        let se = (p * (1.0 - p) / n as f64).sqrt();
        assert!(
            (below - p).abs() < 5.0 * se + 1e-7,
            "P(Z ≤ {x}) = {below}, expected {p}"
        );
    }
}

#[test]
fn normals_beyond_the_ziggurat_follow_the_normal_tail() {
    // Beyond the base layer's edge r (Doornik's 256-layer value) every draw
    // comes from Marsaglia's tail algorithm. Given |Z| > r, |Z| has mean
    // φ(r)/Q(r) and variance 1 + r·m − m²; the sample's mean within 5 SEs.
    // (Accepting by y ≥ x, or y² ≥ x², instead of 2y ≥ x², would make the
    // mean excess over r 0.215 instead of 0.243: 8 SEs off here.)
    let r = 3.654_152_885_361_009_f64;
    let tail = hedge_explorer::pricing::normal::cdf_erfc(-r);
    let density = (-0.5 * r * r).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mean = density / tail;
    let sd = (1.0 + r * mean - mean * mean).sqrt();
    let mut rng = PathRng::for_path(11, 4);
    let beyond: Vec<f64> = (0..20_000_000)
        .map(|_| rng.normal().abs())
        .filter(|&z| z > r)
        .collect();
    let n = beyond.len() as f64;
    // About 2Q(r)·2e7 = 5,160 of them.
    assert!(
        (n - 2.0 * tail * 2e7).abs() < 5.0 * (2.0 * tail * 2e7).sqrt(),
        "{n}"
    );
    let sample_mean = beyond.iter().sum::<f64>() / n;
    assert!(
        (sample_mean - mean).abs() < 5.0 * sd / n.sqrt(),
        "E[|Z| | |Z| > r] = {sample_mean}, expected {mean} (SE {})",
        sd / n.sqrt()
    );
}

#[test]
fn streams_are_reproducible_and_distinct() {
    let draw = |seed, path| {
        let mut r = PathRng::for_path(seed, path);
        (0..4).map(|_| r.next_u64()).collect::<Vec<_>>()
    };
    assert_eq!(draw(1, 0), draw(1, 0));
    assert_ne!(draw(1, 0), draw(1, 1));
    assert_ne!(draw(1, 0), draw(2, 0));
    assert_ne!(draw(0, 1), draw(1, 0));
}

fn terminal_logs(m: &JumpDiffusion, paths: u64) -> (Vec<f64>, Vec<f64>) {
    let mut buffer = PathBuffer::new(m.grid.steps);
    let mut logs = Vec::new();
    let mut finals = Vec::new();
    for i in 0..paths {
        m.fill(i, &mut buffer);
        assert_eq!(buffer.spot[0], m.spot);
        logs.push((buffer.spot[m.grid.steps] / m.spot).ln());
        finals.push(buffer.spot[m.grid.steps]);
    }
    (logs, finals)
}

/// Over 40,000 paths of `m`: the mean of `ln(S_T/S_0)` within 4 standard errors
/// of `expected_mean`, its variance within `variance_tolerance` (relative) of
/// `expected_var`, and the mean of `S_T` within 4 standard errors of
/// `S_0 e^{(μ−q)T}` (jumps are compensated, so that holds with them too).
fn assert_terminal_moments(
    m: &JumpDiffusion,
    expected_mean: f64,
    expected_var: f64,
    variance_tolerance: f64,
) {
    let n = 40_000;
    let (logs, finals) = terminal_logs(m, n);
    let (mean, var) = moments(&logs);
    assert!(
        (mean - expected_mean).abs() < 4.0 * (expected_var / n as f64).sqrt(),
        "{mean} vs {expected_mean}"
    );
    assert!(
        (var / expected_var - 1.0).abs() < variance_tolerance,
        "{var} vs {expected_var}"
    );
    // E[S_T] = S_0 e^{(μ−q)T}
    let (mean_s, var_s) = moments(&finals);
    let expected = m.spot * ((m.drift - m.dividend) * m.grid.horizon).exp();
    assert!(
        (mean_s - expected).abs() < 4.0 * (var_s / n as f64).sqrt(),
        "{mean_s} vs {expected}"
    );
}

#[test]
fn gbm_matches_the_log_normal_closed_form() {
    let m = model(Jumps::NONE, 10);
    let t = m.grid.horizon;
    let expected_mean = (m.drift - m.dividend - 0.5 * m.vol * m.vol) * t;
    let expected_var = m.vol * m.vol * t;
    assert_terminal_moments(&m, expected_mean, expected_var, 0.03);
}

#[test]
fn merton_jumps_match_their_moments_and_keep_the_expected_return() {
    let jumps = Jumps {
        intensity: 3.0,
        mean: -0.08,
        sd: 0.12,
    };
    let m = model(jumps, 50);
    let t = m.grid.horizon;
    let kappa = (jumps.mean + 0.5 * jumps.sd * jumps.sd).exp() - 1.0;
    let expected_mean = (m.drift - m.dividend - 0.5 * m.vol * m.vol - jumps.intensity * kappa) * t
        + jumps.intensity * t * jumps.mean;
    let expected_var =
        m.vol * m.vol * t + jumps.intensity * t * (jumps.mean * jumps.mean + jumps.sd * jumps.sd);
    assert_terminal_moments(&m, expected_mean, expected_var, 0.04);
}

#[test]
fn zero_vol_paths_are_the_deterministic_forward() {
    let mut m = model(Jumps::NONE, 8);
    m.vol = 0.0;
    let mut buffer = PathBuffer::new(8);
    m.fill(5, &mut buffer);
    for (i, s) in buffer.spot.iter().enumerate() {
        let expected = 100.0 * ((m.drift - m.dividend) * m.grid.time(i)).exp();
        assert!(
            (s - expected).abs() < 1e-12 * expected,
            "{i}: {s} vs {expected}"
        );
    }
}

#[test]
fn the_time_grid_ends_exactly_at_the_horizon() {
    let grid = TimeGrid::even(20.0 / 52.0, 7);
    assert_eq!(grid.time(7), grid.horizon);
    assert_eq!(grid.time_left(7), 0.0);
    assert_eq!(grid.time_left(0), grid.horizon);
}

#[test]
fn several_jumps_in_a_step_add_their_variances() {
    // λΔt = 60 × 0.05 = 3 jumps expected per step, so most steps hold several:
    // their sum is k·m + √k·s·Z (k independent N(m, s²) jumps). Over T the
    // log-return has mean (μ − q − σ²/2 − λκ)T + λTm, κ = e^{m+s²/2} − 1, and
    // variance σ²T + λT(m² + s²) (compound Poisson: λT·E[J²]) — Merton's closed
    // form, written here independently of the sampler. Scaling the sizes by k
    // instead of √k would make the jump variance m²λT + s²T(λ + λ²Δt): 1.21
    // instead of 0.31 here.
    let jumps = Jumps {
        intensity: 60.0,
        mean: -0.02,
        sd: 0.1,
    };
    let m = model(jumps, 10);
    let t = m.grid.horizon;
    assert!((jumps.intensity * m.grid.dt() - 3.0).abs() < 1e-12);
    let kappa = (jumps.mean + 0.5 * jumps.sd * jumps.sd).exp() - 1.0;
    let expected_mean = (m.drift - m.dividend - 0.5 * m.vol * m.vol - jumps.intensity * kappa) * t
        + jumps.intensity * t * jumps.mean;
    let expected_var =
        m.vol * m.vol * t + jumps.intensity * t * (jumps.mean * jumps.mean + jumps.sd * jumps.sd);
    let n = 40_000;
    let (logs, finals) = terminal_logs(&m, n);
    let (mean, var) = moments(&logs);
    // Standard errors from the sample itself: of the mean √(var/n), of the
    // variance √((m₄ − var²)/n) (m₄ the fourth central moment). 5 of each.
    let fourth = logs.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n as f64;
    let var_se = ((fourth - var * var) / n as f64).sqrt();
    assert!(
        (mean - expected_mean).abs() < 5.0 * (var / n as f64).sqrt(),
        "mean {mean} vs {expected_mean}"
    );
    assert!(
        (var - expected_var).abs() < 5.0 * var_se,
        "variance {var} vs {expected_var} (SE {var_se})"
    );
    // The compensated drift keeps E[S_T] = S_0 e^{(μ−q)T}.
    let (mean_s, var_s) = moments(&finals);
    let expected = m.spot * ((m.drift - m.dividend) * t).exp();
    assert!(
        (mean_s - expected).abs() < 5.0 * (var_s / n as f64).sqrt(),
        "{mean_s} vs {expected}"
    );
}

#[test]
fn only_gbm_without_jumps_reaches_the_closed_forms_and_the_lane_kernel() {
    use hedge_explorer::paths::model::PathModel;
    use hedge_explorer::plan::Plan;
    use hedge_explorer::Scenario;
    let model_of = |link: &str| Plan::new(&Scenario::parse(link).expect("a valid link")).path_model;
    // Derman–Kamal's closed form assumes one constant realised vol: GBM's.
    let gbm = PathModel::Diffusion(model(Jumps::NONE, 12));
    assert_eq!(gbm.constant_vol(), Some(0.25));
    let merton = PathModel::Diffusion(model(
        Jumps {
            intensity: 1.0,
            mean: -0.1,
            sd: 0.1,
        },
        12,
    ));
    let others = [
        ("merton", merton),
        ("heston", model_of("v=1&model=heston")),
        ("replay", model_of("v=1&hist=sp500&from=1987-10-16")),
    ];
    for (name, other) in &others {
        assert_eq!(other.constant_vol(), None, "{name}");
        assert!(other.lanes::<f64, 2>(0).is_none(), "{name}");
    }
    // The lanes start at S₀ and step to the same bits as the scalar paths
    // (paths 4 and 5 here, one per lane).
    let mut lanes = gbm.lanes::<f64, 2>(4).expect("GBM runs in lanes");
    assert_eq!(lanes.spot, [100.0; 2]);
    let mut buffer = PathBuffer::new(12);
    for step in 1..=12 {
        lanes.advance();
        for (lane, &spot) in lanes.spot.iter().enumerate() {
            gbm.fill(4 + lane as u64, &mut buffer);
            assert_eq!(
                spot.to_bits(),
                buffer.spot[step].to_bits(),
                "lane {lane}, step {step}"
            );
        }
    }
}

#[test]
fn jump_counts_are_poisson_at_every_rate_a_link_allows() {
    // Every jump the same size m (s = 0) and no diffusion: a path's log-return
    // is its drift plus k·m, so the count k of one step reads off exactly.
    // Rates: 3, the last walked from k = 0 (600), and two from the mode, up to
    // a link's largest (250 jumps a year, 30 years, one step).
    for (rate, n) in [
        (3.0, 40_000),
        (600.0, 20_000),
        (1_500.0, 20_000),
        (7_500.0, 20_000),
    ] {
        let jumps = Jumps {
            intensity: rate / 0.5,
            mean: 1e-4,
            sd: 0.0,
        };
        let mut m = model(jumps, 1);
        m.vol = 0.0;
        let kappa = jumps.mean.exp_m1();
        let drift = (m.drift - m.dividend - jumps.intensity * kappa) * m.grid.horizon;
        let mut buffer = PathBuffer::new(1);
        let counts: Vec<u64> = (0..n)
            .map(|i| {
                m.fill(i, &mut buffer);
                let k = (buffer.log_spot[1] - buffer.log_spot[0] - drift) / jumps.mean;
                assert!((k - k.round()).abs() < 1e-6, "{rate}: {k}");
                k.round() as u64
            })
            .collect();
        let samples: Vec<f64> = counts.iter().map(|&k| k as f64).collect();
        let (mean, var) = moments(&samples);
        // SEs: √(λ/n) of the mean; of the variance √((μ₄ − λ²)/n), μ₄ = λ + 3λ².
        let n_f = n as f64;
        assert!(
            (mean - rate).abs() < 5.0 * (rate / n_f).sqrt(),
            "rate {rate}: mean {mean}"
        );
        assert!(
            (var - rate).abs() < 5.0 * ((rate + 2.0 * rate * rate) / n_f).sqrt(),
            "rate {rate}: variance {var}"
        );
        // The empirical CDF at the mean and a standard deviation either side,
        // against Poisson's, summed here from ln k! = Σ ln j.
        let sd = rate.sqrt();
        for at in [rate - sd, rate, rate + sd] {
            let at = at.floor() as u64;
            let mut log_factorial = 0.0;
            let mut cdf = 0.0;
            for k in 0..=at {
                if k > 0 {
                    log_factorial += (k as f64).ln();
                }
                cdf += (-rate + k as f64 * rate.ln() - log_factorial).exp();
            }
            let below = counts.iter().filter(|&&k| k <= at).count() as f64 / n_f;
            let se = (cdf * (1.0 - cdf) / n_f).sqrt();
            assert!(
                (below - cdf).abs() < 5.0 * se,
                "rate {rate}: P(k ≤ {at}) = {below}, Poisson's {cdf}"
            );
        }
    }
}
