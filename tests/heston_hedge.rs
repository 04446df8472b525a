//! The hedger that knows the model (`price=heston`, `price=heston-mv`):
//! its premium and Greeks against the semi-analytic Heston price and delta and
//! finite differences of them; the table's hedge targets against the exact
//! delta along paths; the P&L identity of its ledger; and, on the same Heston
//! paths, the minimum-variance delta hedging with a smaller spread than the
//! Black–Scholes delta (and the model's delta doing so when ρ = 0).
//!
//! References: the minimum-variance delta `∂V/∂S + (ρξ/S)∂V/∂v` is Bakshi,
//! Cao & Chen (1997), *Empirical Performance of Alternative Option Pricing
//! Models*, J. Finance 52, eq. (14); Alexander & Nogueira (2007).

use hedge_explorer::engine::montecarlo::{Engine, RunSummary};
use hedge_explorer::hedging::heston_pricer::{HedgePricing, HestonBookPricer};
use hedge_explorer::paths::Jumps;
use hedge_explorer::plan::Plan;
use hedge_explorer::pricing::black_scholes::OptionKind;
use hedge_explorer::pricing::heston::{heston_delta, heston_price, HestonParams, Market};
use hedge_explorer::pricing::normal;
use hedge_explorer::Scenario;

fn plan(query: &str) -> Plan {
    Plan::new(&Scenario::parse(query).expect("a valid link"))
}

/// The book pricer of `p` (a link with Heston paths) for `pricing`.
fn pricer(p: &Plan, pricing: HedgePricing) -> HestonBookPricer {
    let hedge = pricing
        .heston_hedge(p.heston.expect("Heston paths"))
        .expect("a Heston hedge");
    HestonBookPricer::new(&p.book, &p.model, &p.grid, hedge)
}

const PARAMS: HestonParams = HestonParams {
    v0: 0.04,
    kappa: 2.0,
    theta: 0.04,
    xi: 0.5,
    rho: -0.7,
};

/// The pricing module's Heston call (strike 100, τ = 0.25) at spot `spot`
/// and variance `v0`, the other parameters [`PARAMS`].
fn call_price(spot: f64, v0: f64) -> f64 {
    heston_price(
        OptionKind::Call,
        &market(spot),
        &HestonParams { v0, ..PARAMS },
        &Jumps::NONE,
    )
}

fn market(spot: f64) -> Market {
    Market {
        spot,
        strike: 100.0,
        tau: 0.25,
        rate: 0.03,
        dividend: 0.01,
    }
}

#[test]
fn the_premium_and_opening_greeks_are_hestons() {
    // 100 short calls K = 100, t = 0.25, r = 3 %, q = 1 %, the default Heston
    // parameters: the plan's opening value is −100 × the Heston price, its
    // delta −100 × the Heston delta; gamma and vega against central
    // differences of the semi-analytic formulas taken here independently.
    let p = plan("v=1&model=heston&price=heston&r=0.03&q=0.01&t=0.25&k=100&s=100");
    let call = heston_price(OptionKind::Call, &market(100.0), &PARAMS, &Jumps::NONE);
    let delta = heston_delta(OptionKind::Call, &market(100.0), &PARAMS, &Jumps::NONE);
    assert!(
        (p.opening.price + 100.0 * call).abs() < 1e-9,
        "{}",
        p.opening.price
    );
    assert!((p.opening.delta + 100.0 * delta).abs() < 1e-9);
    assert!((p.premium() - 100.0 * call).abs() < 1e-9);
    let h = 0.05;
    let gamma = (call_price(100.0 + h, 0.04) - 2.0 * call + call_price(100.0 - h, 0.04)) / (h * h);
    assert!((p.opening.gamma + 100.0 * gamma).abs() < 1e-4 * 100.0 * gamma);
    // Vega per 1.00 of √v: dV/d√v = 2√v·dV/dv.
    let dv = 1e-4;
    let vega =
        2.0 * 0.2 * (call_price(100.0, 0.04 + dv) - call_price(100.0, 0.04 - dv)) / (2.0 * dv);
    assert!((p.opening.vega + 100.0 * vega).abs() < 1e-4 * 100.0 * vega);
    // Black–Scholes at √v0 prices differently (the smile): the premium moves.
    let bs = plan("v=1&model=heston&r=0.03&q=0.01&t=0.25&k=100&s=100");
    assert!((bs.premium() - p.premium()).abs() > 0.01);
}

#[test]
fn the_ledger_hedges_to_the_heston_delta_and_keeps_the_pnl_identity() {
    // Along a recorded path the target is minus the Heston delta at that
    // date's spot and variance (computed here from the pricing module; the
    // hedger reads it from its table, within 1e−6 a share, so 1e−4 for 100
    // options), and the final cumulative P&L is the path's outcome.
    let p = plan("v=1&model=heston&price=heston&paths=4&steps=21&t=0.25&xi=0.8&cost=0.001");
    // The plan's own hedger is the engine's only one.
    let engine = Engine::for_plan(&p);
    let (spots, rows, outcome) = engine.ledger(0, 2);
    for (i, row) in rows.iter().enumerate().take(rows.len() - 1) {
        let tau = 0.25 - p.grid.time(i);
        let delta = heston_delta(
            OptionKind::Call,
            &Market {
                spot: spots[i],
                strike: 100.0,
                tau,
                rate: p.model.rate,
                dividend: p.model.dividend,
            },
            &HestonParams {
                v0: row.variance,
                kappa: 2.0,
                theta: 0.04,
                xi: 0.8,
                rho: -0.7,
            },
            &Jumps::NONE,
        );
        // Short 100 calls: the hedge holds +100 Δ.
        assert!(
            (row.target - 100.0 * delta).abs() < 1e-4,
            "date {i}: {} vs {}",
            row.target,
            100.0 * delta
        );
    }
    let last = rows.last().expect("rows");
    let discount = libm::exp(-p.model.rate * p.grid.horizon);
    assert!((last.pnl * discount - outcome.pnl).abs() < 1e-9 * 100.0 * spots[0]);
    // The attribution's parts add up to each step's P&L (residual included).
    for w in rows.windows(2) {
        let parts = w[1].gamma_pnl
            + w[1].theta_pnl
            + w[1].hedge_pnl
            + w[1].financing_pnl
            + w[1].cost_pnl
            + w[1].residual_pnl;
        assert!((parts - (w[1].pnl - w[0].pnl)).abs() < 1e-8);
    }
}

#[test]
fn a_monte_carlo_path_and_its_ledger_agree_to_the_bit() {
    // The ledger reads the same tables as the run: the same path's P&L has
    // the same bits, under a band rule too (a histogram bar's path is the
    // path whose P&L fell in the bar).
    let p =
        plan("v=1&model=heston&price=heston-mv&paths=16&steps=63&cost=0.001&rule=band&band=0.05");
    let engine = Engine::for_plan(&p);
    let run = engine.run(16, 8);
    for index in [0u64, 5, 11] {
        let (_, _, ledger) = engine.ledger(0, index);
        let simulated = run.by_hedger[0][index as usize].pnl;
        assert_eq!(ledger.pnl.to_bits(), simulated.to_bits(), "path {index}");
    }
}

/// SD of the P&L of each comparison row, and the SD of the difference of two
/// rows' P&Ls path by path (for a paired standard error).
fn spreads(query: &str) -> (Plan, Vec<f64>, impl Fn(usize, usize) -> f64) {
    let p = plan(query);
    let outcomes = Engine::for_strategies(&p, &p.comparison()).run(p.paths, 500);
    let sds = outcomes
        .by_hedger
        .iter()
        .map(|o| RunSummary::of(o).pnl.sd)
        .collect();
    let by = outcomes.by_hedger.clone();
    let paired = move |a: usize, b: usize| {
        let d: Vec<f64> = by[a]
            .iter()
            .zip(&by[b])
            .map(|(x, y)| x.pnl * x.pnl - y.pnl * y.pnl)
            .collect();
        let mean = d.iter().sum::<f64>() / d.len() as f64;
        let var = d.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (d.len() - 1) as f64;
        (var / d.len() as f64).sqrt()
    };
    (p, sds, paired)
}

/// The comparison rows of the plan's rule hedged with the Black–Scholes, the
/// Heston and the minimum-variance delta, in that order.
fn delta_rows(p: &Plan) -> [usize; 3] {
    let rows = p.comparison();
    HedgePricing::ALL.map(|pricing| {
        rows.iter()
            .position(|s| s.pricing == pricing && s.rule == p.rule)
            .expect("a row of each delta")
    })
}

#[test]
fn knowing_the_model_narrows_the_hedged_pnl_on_the_same_paths() {
    // Daily hedging, no costs, 2,000 paths of the default Heston model
    // (ρ = −0.7): rows are none, static, BS delta, Heston delta, and the
    // scenario's own minimum-variance delta (last).
    let (p, sd, se) = spreads("v=1&model=heston&price=heston-mv&paths=2000&cost=0&fee=0&impact=0");
    let names = p.comparison_names();
    let [bs, model, mv] = delta_rows(&p);
    assert_eq!(mv, names.len() - 1, "{names:?}");
    // The second moments differ by more than 4 paired standard errors.
    let gap = sd[bs] * sd[bs] - sd[mv] * sd[mv];
    assert!(
        gap > 4.0 * se(bs, mv),
        "BS {} vs MV {}, gap {gap} SE {}",
        sd[bs],
        sd[mv],
        se(bs, mv)
    );
    // With ρ < 0 the model's own ∂V/∂S over-hedges a call: worse than both.
    assert!(sd[model] > sd[mv]);
    // With ρ = 0 the two Heston deltas coincide and beat Black–Scholes.
    let (p0, sd0, se0) =
        spreads("v=1&model=heston&price=heston&rho=0&paths=8000&cost=0&fee=0&impact=0");
    let [bs0, model0, mv0] = delta_rows(&p0);
    assert_eq!(sd0[model0], sd0[mv0]);
    let gap0 = sd0[bs0] * sd0[bs0] - sd0[model0] * sd0[model0];
    assert!(
        gap0 > 4.0 * se0(bs0, model0),
        "BS {} vs Heston {}, gap {gap0}, SE {}",
        sd0[bs0],
        sd0[model0],
        se0(bs0, model0)
    );
}

#[test]
fn heston_pricing_needs_heston_paths_and_names_price() {
    for (query, field) in [
        ("v=1&price=heston", "price"),
        (
            "v=1&model=heston&price=heston&greeks=delta-vega&with=c100@0.5",
            "price",
        ),
        (
            "v=1&model=heston&price=heston-mv&legs=-100c100_100c100@0.5",
            "price",
        ),
        ("v=1&model=heston&price=heston&insure=cppi", "price"),
        ("v=1&model=heston&price=sabr", "price"),
    ] {
        let error = Scenario::parse(query).expect_err(query);
        assert_eq!(error.field, field, "{query}: {error}");
        // The lenient reading keeps the rest and falls back to Black–Scholes.
        let (lenient, _) = Scenario::parse_lenient(query);
        assert_eq!(lenient.pricing, HedgePricing::BlackScholes, "{query}");
    }
    // A leg expiring exactly at t is at the horizon.
    Scenario::parse("v=1&model=heston&price=heston&legs=-100c100_100c105@0.25").expect("at t");
    let s = Scenario::parse("v=1&model=heston&price=heston-mv").expect("valid");
    assert_eq!(Scenario::parse(&s.to_query()), Ok(s.clone()));
    assert!(s.superseded_keys().contains(&"hvol"));
    assert!(Scenario::default().superseded_keys().contains(&"price"));
}

#[test]
fn the_books_greeks_are_the_documented_differences_of_the_pricing_module() {
    // 100 short calls: at expiry the payoff and its slope; before it, the
    // value and delta of the pricing module, gamma its delta's central
    // difference with the step the module documents (1e−3·S), and theta the
    // value's central difference in time to expiry with min(1e−4, τ/2).
    let p = plan("v=1&model=heston&price=heston&r=0.03&q=0.01&t=0.25&k=100&s=100");
    let pricer = pricer(&p, HedgePricing::Heston);
    // The opening's Greeks are those at its spot, kept for the next call at
    // that spot only.
    for spot in [100.0, 110.0, 100.0] {
        assert_eq!(
            pricer.opening(spot, 0.25),
            pricer.exact_greeks(spot, 0.04, 0.25)
        );
    }
    for (spot, payoff, slope) in [(110.0, 10.0, 1.0), (90.0, 0.0, 0.0)] {
        let g = pricer.exact_greeks(spot, 0.04, 0.0);
        assert_eq!(
            [g.price, g.delta, g.gamma, g.vega, g.theta],
            [-100.0 * payoff, -100.0 * slope, 0.0, 0.0, 0.0]
        );
    }
    for (spot, variance, tau) in [(100.0, 0.04, 0.25), (95.0, 0.09, 1e-4)] {
        let at = |s: f64, t: f64| Market {
            spot: s,
            tau: t,
            ..market(s)
        };
        let params = HestonParams {
            v0: variance,
            ..PARAMS
        };
        let value = |s, t| heston_price(OptionKind::Call, &at(s, t), &params, &Jumps::NONE);
        let delta = |s| heston_delta(OptionKind::Call, &at(s, tau), &params, &Jumps::NONE);
        let g = pricer.exact_greeks(spot, variance, tau);
        let h = 1e-3 * spot;
        let dt = f64::min(1e-4, 0.5 * tau);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        assert!(close(g.price, -100.0 * value(spot, tau)), "{spot} {tau}");
        assert!(close(g.delta, -100.0 * delta(spot)), "{spot} {tau}");
        let gamma = (delta(spot + h) - delta(spot - h)) / (2.0 * h);
        assert!(
            close(g.gamma, -100.0 * gamma),
            "{spot} {tau}: {} {gamma}",
            g.gamma
        );
        let theta = (value(spot, tau - dt) - value(spot, tau + dt)) / (2.0 * dt);
        assert!(
            close(g.theta, -100.0 * theta),
            "{spot} {tau}: {} {theta}",
            g.theta
        );
    }
}

#[test]
fn the_comparison_names_each_delta() {
    // As the page's comparison and the CLI's `compare` label the rows.
    assert_eq!(
        plan("v=1&model=heston&price=heston").comparison_names(),
        [
            "none",
            "static, Heston delta",
            "every 1, BS delta",
            "every 1, Heston min-variance delta",
            "every 1, Heston delta"
        ]
    );
}

#[test]
fn outside_its_table_the_hedge_uses_the_documented_average_vol() {
    // A variance far above the table's bound (v = 5 at the money, a quarter
    // from expiry): the target is the Black–Scholes delta at σ̄, with
    // σ̄²τ = θ(τ − b) + b·v and b = (1 − e^{−κτ})/κ, plus for the
    // minimum-variance delta (ρξ/S)·vega(σ̄)·b/(2σ̄τ), all written out here.
    let p = plan("v=1&model=heston&price=heston&r=0.03&q=0.01&t=0.25&k=100&s=100");
    let (spot, variance, tau): (f64, f64, f64) = (100.0, 5.0, 0.25);
    let (rate, dividend): (f64, f64) = (0.03, 0.01);
    let b = (1.0 - libm::exp(-PARAMS.kappa * tau)) / PARAMS.kappa;
    let vol = ((PARAMS.theta * (tau - b) + b * variance) / tau).sqrt();
    let d1 =
        (libm::log(spot / 100.0) + (rate - dividend + 0.5 * vol * vol) * tau) / (vol * tau.sqrt());
    let delta = libm::exp(-dividend * tau) * normal::cdf_erfc(d1);
    let vega = spot * libm::exp(-dividend * tau) * normal::pdf(d1) * tau.sqrt();
    let slope = vega * b / (2.0 * vol * tau);
    for (pricing, expected) in [
        (HedgePricing::Heston, delta),
        (
            HedgePricing::HestonMinimumVariance,
            delta + PARAMS.rho * PARAMS.xi / spot * slope,
        ),
    ] {
        let pricer = pricer(&p, pricing);
        // Short 100 calls: the hedge holds +100 of the delta.
        let target = pricer.target(0, spot, libm::log(spot), variance);
        assert!(
            (target - 100.0 * expected).abs() < 1e-9 * 100.0,
            "{pricing:?}: {target} for {}",
            100.0 * expected
        );
    }
    // The ledger's Greeks there: the Black–Scholes ones at σ̄, for −100 calls.
    let pricer = pricer(&p, HedgePricing::Heston);
    let g = pricer.greeks_at(0, spot, libm::log(spot), variance);
    let d2 = d1 - vol * tau.sqrt();
    let call = spot * libm::exp(-dividend * tau) * normal::cdf_erfc(d1)
        - 100.0 * libm::exp(-rate * tau) * normal::cdf_erfc(d2);
    let gamma = libm::exp(-dividend * tau) * normal::pdf(d1) / (spot * vol * tau.sqrt());
    // Hull's call theta (per year, at σ̄ held): −S e^{−qτ} φ(d1) σ̄/(2√τ)
    // − rK e^{−rτ} N(d2) + qS e^{−qτ} N(d1).
    let theta = -spot * libm::exp(-dividend * tau) * normal::pdf(d1) * vol / (2.0 * tau.sqrt())
        - rate * 100.0 * libm::exp(-rate * tau) * normal::cdf_erfc(d2)
        + dividend * spot * libm::exp(-dividend * tau) * normal::cdf_erfc(d1);
    for (name, got, expected) in [
        ("value", g.price, call),
        ("delta", g.delta, delta),
        ("gamma", g.gamma, gamma),
        ("vega", g.vega, vega),
        ("theta", g.theta, theta),
    ] {
        assert!(
            (got + 100.0 * expected).abs() < 1e-9 * 100.0 * expected.abs(),
            "{name}: {got}"
        );
    }
}

#[test]
fn inside_its_table_the_ledgers_greeks_are_the_models() {
    // At the money, v = v₀, the first date of 63: the tables' value and delta
    // within their accuracy (1e−6 a share), gamma and vega within 1 %, and
    // theta the change of value to the next date, from the pricing module; the
    // hedge's gamma likewise.
    let p = plan("v=1&model=heston&price=heston&r=0.03&q=0.01&t=0.25&k=100&s=100");
    let pricer = pricer(&p, HedgePricing::Heston);
    let spot = 100.0;
    let g = pricer.greeks_at(0, spot, libm::log(spot), 0.04);
    let exact = pricer.exact_greeks(spot, 0.04, 0.25);
    let value = |tau: f64| {
        heston_price(
            OptionKind::Call,
            &Market {
                tau,
                ..market(spot)
            },
            &PARAMS,
            &Jumps::NONE,
        )
    };
    let dt = 0.25 / 63.0;
    let theta = -100.0 * (value(0.25 - dt) - value(0.25)) / dt;
    assert!(
        (g.price - exact.price).abs() < 1e-4,
        "{} {}",
        g.price,
        exact.price
    );
    assert!(
        (g.delta - exact.delta).abs() < 1e-4,
        "{} {}",
        g.delta,
        exact.delta
    );
    // The book's gamma as the hedger sees it (Whalley–Wilmott's band reads
    // it): the slope in spot of minus its target, −100 Γ for 100 short calls,
    // Γ from a central difference of the pricing module's delta.
    let delta_at = |s: f64| heston_delta(OptionKind::Call, &market(s), &PARAMS, &Jumps::NONE);
    let h = 1e-3 * spot;
    let gamma = (delta_at(spot + h) - delta_at(spot - h)) / (2.0 * h);
    let hedge_gamma = pricer.table_gamma(0, spot, libm::log(spot), 0.04);
    // The minimum-variance delta adds (ρξ/S)·∂V/∂v (∂V/∂v a central
    // difference of the price in v₀), and its gamma that term's slope too.
    let mv_delta_at = |s: f64| {
        let dv = 1e-4;
        let slope = (call_price(s, 0.04 + dv) - call_price(s, 0.04 - dv)) / (2.0 * dv);
        delta_at(s) + PARAMS.rho * PARAMS.xi / s * slope
    };
    let mv_gamma = (mv_delta_at(spot + h) - mv_delta_at(spot - h)) / (2.0 * h);
    let mv_hedge_gamma = self::pricer(&p, HedgePricing::HestonMinimumVariance).table_gamma(
        0,
        spot,
        libm::log(spot),
        0.04,
    );
    for (name, got, expected) in [
        ("gamma", g.gamma, exact.gamma),
        ("vega", g.vega, exact.vega),
        ("theta", g.theta, theta),
        ("the hedger's gamma", hedge_gamma, -100.0 * gamma),
        (
            "the minimum-variance hedger's",
            mv_hedge_gamma,
            -100.0 * mv_gamma,
        ),
    ] {
        assert!(
            (got - expected).abs() < 1e-2 * expected.abs(),
            "{name}: {got} for {expected}"
        );
    }
}

#[test]
fn legs_with_no_delta_leave_a_target_of_minus_zero() {
    // At expiry a call below its strike has the payoff's delta, +0, and the
    // target is −Σ n·Δ to the bit: −0 for long calls, as the share hedge's
    // (signs of zero show in the ledger's JSON, `-0.0`).
    let p = plan("v=1&model=heston&price=heston&side=long&steps=8&k=100");
    let pricer = pricer(&p, HedgePricing::Heston);
    let target = pricer.target(8, 50.0, libm::log(50.0), 0.04);
    assert_eq!(target.to_bits(), (-0.0_f64).to_bits(), "{target}");
    // In the money, the long calls' whole delta: −100 shares.
    assert_eq!(pricer.target(8, 150.0, libm::log(150.0), 0.04), -100.0);
}

#[test]
fn with_no_variance_left_the_minimum_variance_hedge_is_the_forwards() {
    // θ = 0 and v = 0: the variance stays 0 and the option is its discounted
    // intrinsic value. Far outside the table (ten times the strike) the hedge
    // is Black–Scholes at σ̄ = 0, a call's delta e^{−qτ}, with no variance
    // term (σ̄'s response to v would be 0/0): +100 e^{−qτ} for 100 short calls.
    let p = plan("v=1&model=heston&price=heston-mv&theta=0&v0=0&q=0.02&t=0.5&k=100");
    let pricer = pricer(&p, HedgePricing::HestonMinimumVariance);
    let target = pricer.target(0, 1_000.0, libm::log(1_000.0), 0.0);
    let expected = 100.0 * libm::exp(-0.02 * 0.5);
    assert!(
        (target - expected).abs() < 1e-12 * expected,
        "{target} vs {expected}"
    );
}
