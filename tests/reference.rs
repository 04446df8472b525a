//! The engine against a straightforward, independent implementation of the same
//! hedge (written here from the textbook recipe, with the platform's `exp`/`ln`,
//! `erfc`-based N and inverse-CDF normals from its own streams). The two use
//! different random numbers, so their Monte Carlo figures must agree within their
//! statistical errors — which is the accuracy requirement on every speed-up.

#![allow(clippy::disallowed_methods)]

use hedge_explorer::paths::rng::PathRng;
use hedge_explorer::plan::Plan;
use hedge_explorer::pricing::normal;
use hedge_explorer::results::analysis::ScenarioSummary;
use hedge_explorer::Scenario;

/// Final PV P&L of a short call hedged every step with proportional costs,
/// cash-settled, under GBM with drift μ (no dividends).
#[allow(clippy::too_many_arguments)]
fn straightforward_pnl(
    s0: f64,
    k: f64,
    r: f64,
    vol: f64,
    t: f64,
    mu: f64,
    qty: f64,
    cost: f64,
    steps: usize,
    rng: &mut PathRng,
) -> f64 {
    let dt = t / steps as f64;
    let price = |s: f64, tau: f64| {
        let d1 = ((s / k).ln() + (r + 0.5 * vol * vol) * tau) / (vol * tau.sqrt());
        s * normal::cdf_erfc(d1) - k * (-r * tau).exp() * normal::cdf_erfc(d1 - vol * tau.sqrt())
    };
    let delta = |s: f64, tau: f64| {
        normal::cdf_erfc(((s / k).ln() + (r + 0.5 * vol * vol) * tau) / (vol * tau.sqrt()))
    };
    let mut s = s0;
    let mut cash = qty * price(s0, t);
    let mut held = 0.0;
    for i in 0..steps {
        let tau = t - i as f64 * dt;
        let target = qty * delta(s, tau);
        let trade = target - held;
        cash -= trade * s + cost * trade.abs() * s;
        held = target;
        let z = normal::inverse_cdf(rng.uniform());
        s *= ((mu - 0.5 * vol * vol) * dt + vol * dt.sqrt() * z).exp();
        cash *= (r * dt).exp();
    }
    cash += held * s - cost * held.abs() * s;
    cash -= qty * (s - k).max(0.0);
    cash * (-r * t).exp()
}

#[test]
fn the_engine_agrees_with_a_straightforward_implementation() {
    let (s0, k, r, vol, t, mu, qty, cost, steps) = (
        49.0,
        50.0,
        0.05,
        0.2,
        20.0 / 52.0,
        0.13,
        100_000.0,
        0.001,
        52,
    );
    let paths = 20_000u64;
    let reference: Vec<f64> = (0..paths)
        .map(|i| {
            let mut rng = PathRng::for_path(987_654, i);
            straightforward_pnl(s0, k, r, vol, t, mu, qty, cost, steps, &mut rng)
        })
        .collect();
    let n = paths as f64;
    let mean = reference.iter().sum::<f64>() / n;
    let sd = (reference.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();

    let query = format!("v=1&s={s0}&k={k}&r={r}&vol={vol}&t={t}&mu={mu}&qty={qty}&cost={cost}&steps={steps}&paths={paths}");
    let engine = ScenarioSummary::run(&Plan::new(&Scenario::parse(&query).expect("valid")));
    let p = &engine.run.pnl;
    // Means: the difference of two independent means, within 4 standard errors.
    let se = (sd * sd / n + p.sd * p.sd / n).sqrt();
    assert!(
        (p.mean - mean).abs() < 4.0 * se,
        "engine mean {} vs reference {mean} (SE {se})",
        p.mean
    );
    // SDs: the SE of a sample SD is about SD/√(2n) for near-normal P&L; allow 5 of them.
    let sd_se = sd / (2.0 * n).sqrt();
    assert!(
        (p.sd - sd).abs() < 5.0 * sd_se * 2f64.sqrt(),
        "engine SD {} vs reference {sd}",
        p.sd
    );
}
