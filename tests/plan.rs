//! The plan: a scenario's fields become the engine's parts exactly once, the
//! frontier's sweep holds the scenario's own point, and the opening value and
//! Greeks are Black–Scholes' (checked against the closed form written out here),
//! an insured portfolio's those of its put position.

mod common;

use hedge_explorer::hedging::rules::{BandTarget, RebalanceRule};
use hedge_explorer::paths::model::PathModel;
use hedge_explorer::paths::Jumps;
use hedge_explorer::plan::Plan;
use hedge_explorer::Scenario;

fn plan(query: &str) -> Plan {
    Plan::new(&Scenario::parse(query).expect("valid"))
}

/// N(x) from the complementary error function (independent of the engine's table).
fn n(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

#[test]
fn the_parts_are_the_scenarios_fields() {
    let p = plan("v=1&s=50&k=55&t=0.5&r=0.03&q=0.01&mu=0.1&vol=0.3&hvol=0.25&type=put&side=long&qty=7&steps=20&rule=band&band=0.1&to=edge&fee=2&cost=0.003&impact=0.02&settle=physical&jumps=1.5&jmean=-0.2&jsd=0.05&paths=33&seed=9");
    assert_eq!(p.paths, 33);
    assert_eq!((p.grid.horizon, p.grid.steps), (0.5, 20));
    let PathModel::Diffusion(m) = &p.path_model else {
        panic!("GBM paths");
    };
    assert_eq!(
        (m.spot, m.drift, m.dividend, m.vol, m.seed),
        (50.0, 0.1, 0.01, 0.3, 9)
    );
    assert_eq!(
        (m.jumps.intensity, m.jumps.mean, m.jumps.sd),
        (1.5, -0.2, 0.05)
    );
    assert_eq!(
        (p.model.rate, p.model.dividend, p.model.vol),
        (0.03, 0.01, 0.25)
    );
    assert_eq!(
        (p.costs.fee, p.costs.proportional, p.costs.impact),
        (2.0, 0.003, 0.02)
    );
    assert_eq!(p.book.legs.len(), 1);
    assert_eq!(
        (p.book.legs[0].strike, p.book.legs[0].quantity),
        (55.0, 7.0)
    );
    assert!(!p.is_short());
    assert_eq!(
        p.rule,
        RebalanceRule::Band {
            half_width: 0.1,
            to: BandTarget::Edge
        }
    );
    assert_eq!(p.rule_label, "band 0.1 (edge)");
    let rules: Vec<RebalanceRule> = p.comparison().iter().map(|row| row.rule).collect();
    assert_eq!(rules, [RebalanceRule::None, RebalanceRule::Static, p.rule]);
    assert_eq!(p.comparison_names(), ["none", "static", "band 0.1 (edge)"]);
    assert_eq!(p.own_row(), 2);
    assert_eq!(
        p.query,
        Scenario::parse(&p.query).expect("canonical").to_query()
    );
    // No jumps unless asked for; hvol follows vol unless set.
    let d = plan("v=1&vol=0.4");
    assert_eq!(d.path_model.jumps(), Jumps::NONE);
    assert_eq!(d.model.vol, 0.4);
    assert!(d.is_short());
}

#[test]
fn the_sweep_holds_the_scenarios_own_point() {
    for (query, parameter, own) in [
        ("v=1&rule=band&band=0.04", "band", 0.04),
        ("v=1&rule=ww&aversion=3", "aversion", 3.0),
        ("v=1&rule=every&every=7&steps=50", "every", 7.0),
        ("v=1&rule=every&every=80&steps=50", "every", 50.0),
        ("v=1&rule=static&steps=50", "every", 50.0),
    ] {
        let sweep = plan(query).sweep;
        assert_eq!(sweep.parameter, parameter, "{query}");
        assert!(sweep.values.windows(2).all(|w| w[0] < w[1]), "{query}");
        assert_eq!(sweep.rules.len(), sweep.values.len(), "{query}");
        let current = sweep.current.expect("own point on the sweep");
        assert_eq!(sweep.values[current], own, "{query}");
    }
    assert_eq!(plan("v=1&rule=none").sweep.current, None);
    // The `every` sweep runs from every step to one rebalance over the life.
    let every = plan("v=1&steps=63").sweep;
    assert_eq!(
        (every.values[0], every.values[every.values.len() - 1]),
        (1.0, 63.0)
    );
}

#[test]
fn the_opening_value_is_black_scholes() {
    // Short 100 calls, S = K = 100, T = 0.25, r = 2 %, q = 0, σ = 20 %.
    let p = plan("v=1");
    let (s, k, t, r, vol) = (100.0, 100.0, 0.25, 0.02, 0.2);
    let d1 = (libm::log(s / k) + (r + 0.5 * vol * vol) * t) / (vol * libm::sqrt(t));
    let d2 = d1 - vol * libm::sqrt(t);
    let call = s * n(d1) - k * libm::exp(-r * t) * n(d2);
    assert!(
        (p.opening.price + 100.0 * call).abs() < 1e-9,
        "{}",
        p.opening.price
    );
    assert!((p.premium() - 100.0 * call).abs() < 1e-9);
    assert!((p.opening.delta + 100.0 * n(d1)).abs() < 1e-9);
}

#[test]
fn an_insured_plan_opens_with_its_put_position() {
    // The synthetic put (no costs): n shares and n puts of strike K = F/n,
    // with n·S₀ + n·P(K) = V₀ = qty·S₀ and F = floor·V₀, solved here by
    // bisection with the test's own Black–Scholes put. The plan opens with the
    // value V₀, the delta n·(1 + Δ_put) and a protection cost n·P(K).
    let p = plan("v=1&insure=synthetic&floor=0.9");
    let terms = p.insurance.expect("insured");
    let (s, t, r, vol) = (100.0, 0.25, 0.02, 0.2);
    let value = terms.quantity * s;
    let floor = 0.9 * value;
    let put = |k: f64| {
        let d1 = (libm::log(s / k) + (r + 0.5 * vol * vol) * t) / (vol * libm::sqrt(t));
        let d2 = d1 - vol * libm::sqrt(t);
        let price = k * libm::exp(-r * t) * n(-d2) - s * n(-d1);
        (price, n(d1) - 1.0)
    };
    let spend = |count: f64| count * (s + put(floor / count).0);
    let count = common::bisect(|count| spend(count) - value, 1e-9, terms.quantity);
    let (premium, put_delta) = put(floor / count);
    assert!(
        count > 0.9 * terms.quantity && count < terms.quantity,
        "{count}"
    );
    assert!(
        (terms.protection_cost - count * premium).abs() < 1e-6 * value,
        "{} vs {}",
        terms.protection_cost,
        count * premium
    );
    assert!(
        (p.opening.price - value).abs() < 1e-6 * value,
        "{}",
        p.opening.price
    );
    // Its P&L is measured against the floor as an outcome, F − V₀ at the
    // horizon; an option book has none.
    let floor_outcome = p.floor_outcome().expect("insured");
    assert!(
        (floor_outcome - (floor - value)).abs() < 1e-9 * value,
        "{floor_outcome}"
    );
    assert_eq!(plan("v=1").floor_outcome(), None);
    assert!(
        (p.opening.delta - count * (1.0 + put_delta)).abs() < 1e-6 * terms.quantity,
        "{} vs {}",
        p.opening.delta,
        count * (1.0 + put_delta)
    );
}

#[test]
fn which_comparison_rows_compare_as_distributions() {
    use hedge_explorer::hedging::heston_pricer::HedgePricing;
    use hedge_explorer::insurance::InsuranceKind;
    // An option book hedged at Black–Scholes: bars of spread, no distributions,
    // no unprotected portfolio, the own strategy last.
    let p = plan("v=1");
    assert!(!p.compares_pricing());
    assert_eq!(
        (p.outcome_rows(), p.own_row(), p.unprotected()),
        (None, 2, None)
    );
    // Black–Scholes hedging of Heston paths is compared as before.
    let bs_on_heston = plan("v=1&model=heston");
    assert!(!bs_on_heston.compares_pricing());
    assert_eq!(bs_on_heston.outcome_rows(), None);
    // Heston pricing: the rows with the scenario's rule, one per model the
    // hedger prices with (the last three of none, static, BS, min-variance,
    // Heston), side by side as distributions.
    let heston = plan("v=1&model=heston&price=heston");
    assert!(heston.compares_pricing());
    assert_eq!(heston.outcome_rows(), Some(vec![2, 3, 4]));
    let pricings: Vec<_> = heston.comparison().iter().map(|s| s.pricing).collect();
    assert_eq!(
        pricings,
        [
            HedgePricing::Heston,
            HedgePricing::Heston,
            HedgePricing::BlackScholes,
            HedgePricing::HestonMinimumVariance,
            HedgePricing::Heston
        ]
    );
    // Insurance: all four protections, the portfolio's own (CPPI) at its place
    // among them, and the unprotected portfolio first.
    let insured = plan("v=1&insure=cppi");
    assert_eq!(insured.outcome_rows(), Some(vec![0, 1, 2, 3]));
    assert_eq!(insured.own_row(), 3);
    assert_eq!(plan("v=1&insure=put").own_row(), 1);
    for (row, strategy) in insured.comparison().iter().enumerate() {
        let kind = strategy.insurance.expect("a protection");
        assert_eq!(InsuranceKind::ALL[kind.index()], kind);
        assert_eq!(kind.index(), row);
    }
    let unprotected = insured.unprotected().expect("insured");
    assert_eq!(unprotected.insurance, Some(InsuranceKind::Unprotected));
    assert_eq!(unprotected.rule, insured.rule);
    // The frontier: each rule of the sweep with the plan's Greeks and pricing.
    let sweep = heston.sweep_strategies();
    assert_eq!(sweep.len(), heston.sweep.rules.len());
    assert!(sweep.len() > 2);
    for (strategy, &rule) in sweep.iter().zip(&heston.sweep.rules) {
        assert_eq!(strategy.rule, rule);
        assert_eq!(strategy.greeks, heston.greeks);
        assert_eq!(strategy.pricing, HedgePricing::Heston);
    }
}

#[test]
fn a_books_strikes_and_side_on_balance() {
    let butterfly = plan("v=1&legs=100c95_-200c100_100c105");
    assert_eq!(butterfly.strikes(), [95.0, 100.0, 105.0]);
    // Net quantity 0: not short on balance (Leland's vol is for the side a
    // book is on); written calls are short, bought ones are not.
    assert!(!butterfly.is_short());
    assert!(plan("v=1").is_short());
    assert!(!plan("v=1&side=long").is_short());
    assert!(plan("v=1&legs=100c95_-150c105").is_short());
}
