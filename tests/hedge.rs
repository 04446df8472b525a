//! The hedging loop: the P&L identity on every path, the attribution, convergence
//! of discrete hedging (Derman–Kamal, Hull's table), costs, and the rules.

// Independent references may use the platform's math: only the engine must be
// bit-identical across targets.
#![allow(clippy::disallowed_methods)]

mod common;
use common::closed_form_value;
use hedge_explorer::engine::montecarlo::Engine;
use hedge_explorer::hedging::hedger::{Hedger, LedgerRow, NoLedger, PathOutcome};
use hedge_explorer::hedging::rules::{
    whalley_wilmott_half_width, BandTarget, Context, RebalanceRule,
};
use hedge_explorer::instruments::book::{Book, OptionLeg};
use hedge_explorer::paths::{PathBuffer, PathSource};
use hedge_explorer::plan::Plan;
use hedge_explorer::pricing::black_scholes::{self, Inputs};
use hedge_explorer::results::analysis::{derman_kamal_sd, ScenarioSummary};
use hedge_explorer::results::stats;
use hedge_explorer::{OptionKind, Scenario};

fn scenario(query: &str) -> Scenario {
    match Scenario::parse(query) {
        Ok(s) => s,
        Err(e) => panic!("test scenario {query:?} is invalid: {e}"),
    }
}

/// Outcomes of the scenario's own rule over all its paths.
fn outcomes(s: &Scenario) -> Vec<PathOutcome> {
    Engine::for_plan(&Plan::new(s))
        .run(s.paths, 64)
        .by_hedger
        .remove(0)
}

fn pnls(s: &Scenario) -> Vec<f64> {
    outcomes(s).iter().map(|o| o.pnl).collect()
}

/// Replays a ledger's cash account from nothing but its spots, trades and costs,
/// and the scenario's constants — an independent check of the engine's cash.
fn replay_final_cash(s: &Scenario, rows: &[LedgerRow]) -> f64 {
    let dt = s.expiry / s.steps as f64;
    let premium = black_scholes::price(
        s.kind,
        &Inputs {
            spot: s.spot,
            strike: s.strike,
            tau: s.expiry,
            rate: s.rate,
            dividend: s.dividend,
            vol: s.hedging_vol(),
        },
    ) * s.signed_quantity();
    let mut cash = -premium;
    let mut held = 0.0;
    for row in rows {
        if row.step > 0 {
            cash *= (s.rate * dt).exp();
            cash += held * row.spot * ((s.dividend * dt).exp() - 1.0);
        }
        cash -= row.trade * row.spot + row.cost;
        held += row.trade;
    }
    let last = rows.last().expect("a ledger has rows");
    let payoff = match s.kind {
        OptionKind::Call => (last.spot - s.strike).max(0.0),
        OptionKind::Put => (s.strike - last.spot).max(0.0),
    };
    assert!(
        held.abs() < 1e-9 * s.quantity,
        "the hedge is closed at expiry"
    );
    cash + s.signed_quantity() * payoff
}

#[test]
fn pnl_identity_holds_on_every_path_with_jumps_and_costs() {
    let queries = [
        "v=1&paths=300&steps=40&jumps=4&jmean=-0.05&jsd=0.1&fee=2&cost=0.002&impact=0.001&q=0.03&r=0.04",
        "v=1&paths=300&steps=30&type=put&side=long&rule=band&band=0.1&to=edge&fee=1&cost=0.003&settle=physical",
        "v=1&paths=300&steps=25&rule=ww&aversion=0.5&cost=0.005&hvol=0.3&jumps=2",
        "v=1&paths=100&steps=12&rule=static&cost=0.01&q=0.05",
        "v=1&paths=100&steps=12&rule=none&r=0.1",
    ];
    for query in queries {
        let s = scenario(query);
        let engine = Engine::for_plan(&Plan::new(&s));
        let run = engine.run(s.paths, 37).by_hedger.remove(0);
        let discount = (-s.rate * s.expiry).exp();
        let model = engine.paths();
        let grid = model.grid();
        let mut buffer = PathBuffer::new(grid.steps);
        for index in 0..s.paths {
            let (path, rows, outcome) = engine.ledger(0, index);
            assert_eq!(outcome, run[index as usize], "ledger and Monte Carlo agree");
            model.fill(index, &mut buffer);
            assert_eq!(path, buffer.spot);
            // The log path is the log of the path.
            for (s, l) in buffer.spot.iter().zip(&buffer.log_spot) {
                assert!((s.ln() - l).abs() < 1e-12 * l.abs().max(1.0));
            }
            let scale = 1e-9 * (s.quantity * s.spot);
            // Replay of the cash account.
            let replayed = replay_final_cash(&s, &rows);
            assert!(
                (replayed * discount - outcome.pnl).abs() < scale,
                "{query} path {index}: replay {replayed} vs {}",
                outcome.pnl / discount
            );
            // The identity: premium + Σ h ΔS + financing − costs + payoff.
            let mut hedge_gains = 0.0;
            let mut financing = 0.0;
            let mut costs = 0.0;
            let mut held = 0.0;
            for (k, row) in rows.iter().enumerate() {
                if k > 0 {
                    hedge_gains += held * (row.spot - rows[k - 1].spot);
                    financing += row.financing_pnl;
                }
                costs += row.cost;
                held = row.held;
            }
            let last = rows.last().expect("rows");
            let premium_received = -rows[0].book_value; // V_0 of the book, signed
            let payoff = s.signed_quantity() * s.kind.payoff(last.spot, s.strike);
            let identity = premium_received + hedge_gains + financing - costs + payoff;
            assert!(
                (identity - last.cash).abs() < scale,
                "{query} path {index}: identity {identity} vs cash {}",
                last.cash
            );
            assert!((last.pnl - last.cash).abs() < scale);
            // The attribution adds up to the P&L.
            let parts: f64 = rows
                .iter()
                .map(|r| {
                    r.gamma_pnl
                        + r.theta_pnl
                        + r.hedge_pnl
                        + r.financing_pnl
                        + r.cost_pnl
                        + r.residual_pnl
                })
                .sum();
            assert!(
                (parts - last.pnl).abs() < scale,
                "attribution {parts} vs {}",
                last.pnl
            );
            // The costs in the outcome are the rows' costs in present value.
            let costs_pv: f64 = rows.iter().map(|r| r.cost * (-s.rate * r.time).exp()).sum();
            assert!((costs_pv - outcome.costs).abs() < scale);
        }
    }
}

#[test]
fn costs_are_charged_exactly_as_documented() {
    let s = scenario("v=1&paths=5&steps=10&fee=3&cost=0.002&impact=0.0005&qty=5000");
    let engine = Engine::for_plan(&Plan::new(&s));
    for index in 0..s.paths {
        let (_, rows, _) = engine.ledger(0, index);
        for row in rows.iter().filter(|r| r.step < s.steps as usize) {
            let x = row.trade.abs();
            let expected = if x == 0.0 {
                0.0
            } else {
                3.0 + 0.002 * x * row.spot + 0.0005 * x * row.spot * x / 1000.0
            };
            assert!(
                (row.cost - expected).abs() <= 1e-9 * expected.max(1.0),
                "{} vs {expected}",
                row.cost
            );
        }
    }
}

#[test]
fn whalley_wilmott_half_width_is_its_formula() {
    // (3λSe^{−rτ}Γ²/(2γ))^{1/3} worked by hand: λ = 0.003, S = 100,
    // e^{−rτ} = 0.99, Γ = 0.05, γ = 0.3: 3 × 0.003 × 100 × 0.99 × 0.0025 / 0.6
    // = 0.0037125, whose cube root is 0.15485…
    let h = whalley_wilmott_half_width(0.003, 100.0, 0.99, 0.05, 0.3);
    assert!((h - 0.154_842_017_318_455_1).abs() < 1e-12, "{h}");
    // Doubling the cost widens the band by 2^{1/3}; no cost or no gamma: none.
    let wider = whalley_wilmott_half_width(0.006, 100.0, 0.99, 0.05, 0.3);
    assert!((wider / h - 2f64.cbrt()).abs() < 1e-12);
    assert_eq!(whalley_wilmott_half_width(0.0, 100.0, 0.99, 0.05, 0.3), 0.0);
    assert_eq!(
        whalley_wilmott_half_width(0.003, 100.0, 0.99, 0.0, 0.3),
        0.0
    );
    // A risk aversion so small the band overflows: infinitely wide (the limit
    // γ → 0 never trades), not zero.
    assert_eq!(
        whalley_wilmott_half_width(0.003, 100.0, 0.99, 0.05, 1e-320),
        f64::INFINITY
    );
}

#[test]
fn a_negative_zero_cost_rate_costs_positive_zero() {
    // `cost=-0` reads as −0.0; without a fee the cost of a trade is then `+0`,
    // the bits of `fee + c·n` with no fee (the fast path leaves the add out),
    // not −0 (which would print as "-0" in a ledger).
    use hedge_explorer::hedging::costs::CostModel;
    let negative_zero = CostModel {
        fee: 0.0,
        proportional: -0.0,
        impact: 0.0,
    };
    for shares in [10.0, -10.0] {
        let cost = negative_zero.cost(shares, 100.0);
        assert_eq!(cost.to_bits(), 0.0f64.to_bits(), "{cost:?}");
    }
}

#[test]
fn costs_never_raise_pnl_and_cost_exactly_their_present_value() {
    for rule in [
        "rule=every&every=2",
        "rule=band&band=0.05",
        "rule=band&band=0.02&to=edge",
        "rule=static",
    ] {
        let free = scenario(&format!("v=1&paths=400&steps=50&cost=0&{rule}"));
        let costly = scenario(&format!(
            "v=1&paths=400&steps=50&cost=0.004&fee=1&impact=0.0002&{rule}"
        ));
        let a = outcomes(&free);
        let b = outcomes(&costly);
        for (x, y) in a.iter().zip(&b) {
            assert!(y.pnl <= x.pnl, "{rule}: costs raised P&L");
            assert_eq!(x.trades, y.trades, "same decisions");
            // Same trades, so the only difference is the costs, compounded then discounted.
            assert!((x.pnl - y.pnl - y.costs).abs() < 1e-8 * free.quantity * free.spot);
            assert!(y.costs > 0.0 || y.trades == 0);
        }
    }
    // Whalley–Wilmott changes its decisions with cost, so compare means.
    let free = scenario("v=1&paths=2000&steps=50&cost=0&rule=ww");
    let costly = scenario("v=1&paths=2000&steps=50&cost=0.004&rule=ww");
    assert!(stats::mean(&pnls(&costly)) < stats::mean(&pnls(&free)));
}

#[test]
fn static_equals_every_with_one_rebalance() {
    let a = outcomes(&scenario(
        "v=1&paths=300&steps=30&rule=static&cost=0.002&fee=1&jumps=2",
    ));
    let b = outcomes(&scenario(
        "v=1&paths=300&steps=30&rule=every&every=30&cost=0.002&fee=1&jumps=2",
    ));
    let c = outcomes(&scenario(
        "v=1&paths=300&steps=30&rule=every&every=10000&cost=0.002&fee=1&jumps=2",
    ));
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert!(a.iter().all(|o| o.trades == 1));
}

#[test]
fn a_zero_band_is_hedging_every_step() {
    let a = outcomes(&scenario(
        "v=1&paths=200&steps=30&rule=band&band=0&cost=0.002",
    ));
    let b = outcomes(&scenario(
        "v=1&paths=200&steps=30&rule=every&every=1&cost=0.002",
    ));
    assert_eq!(a, b);
}

#[test]
fn no_hedge_is_the_naked_option() {
    let s = scenario("v=1&paths=200&steps=20&rule=none&cost=0.01&fee=5&r=0.05");
    let engine = Engine::for_plan(&Plan::new(&s));
    let premium = Plan::new(&s).premium();
    for index in 0..s.paths {
        let (spots, _, outcome) = engine.ledger(0, index);
        let payoff = s.quantity * (spots[s.steps as usize] - s.strike).max(0.0);
        let expected = premium - payoff * (-s.rate * s.expiry).exp();
        assert_eq!(outcome.trades, 0);
        assert_eq!(
            outcome.costs, 0.0,
            "cash settlement of a naked option trades nothing"
        );
        assert!((outcome.pnl - expected).abs() < 1e-9 * premium);
    }
    // Physically settled, an exercised naked short call must buy the shares it
    // delivers: that one trade pays fee + proportional cost, nothing else.
    let physical =
        scenario("v=1&paths=200&steps=20&rule=none&cost=0.01&fee=5&r=0.05&settle=physical");
    let engine = Engine::for_plan(&Plan::new(&physical));
    for index in 0..physical.paths {
        let (spots, _, outcome) = engine.ledger(0, index);
        let last = spots[physical.steps as usize];
        let expected = if last > physical.strike {
            5.0 + 0.01 * 100.0 * last
        } else {
            0.0
        };
        assert!((outcome.costs - expected * (-0.05 * physical.expiry).exp()).abs() < 1e-9);
    }
}

#[test]
fn band_rebalances_keep_the_hedge_inside_the_band() {
    for to in ["target", "edge"] {
        let s = scenario(&format!(
            "v=1&paths=50&steps=60&rule=band&band=0.07&to={to}&qty=1000"
        ));
        let engine = Engine::for_plan(&Plan::new(&s));
        for index in 0..s.paths {
            let (_, rows, _) = engine.ledger(0, index);
            for row in rows.iter().filter(|r| r.step < s.steps as usize) {
                let gap = (row.held - row.target).abs();
                assert!(gap <= 0.07 * 1000.0 + 1e-9, "gap {gap} outside the band");
                if row.trade != 0.0 {
                    let expected_gap = if to == "target" { 0.0 } else { 70.0 };
                    assert!(
                        (gap - expected_gap).abs() < 1e-9,
                        "{to}: gap after a trade {gap}"
                    );
                }
            }
        }
    }
}

#[test]
fn whalley_wilmott_band_follows_its_formula() {
    // H = (3 λ S e^{−rτ} Γ² / (2γ))^{1/3}
    let h = whalley_wilmott_half_width(0.002, 100.0, 0.99, 0.04, 2.0);
    let expected = (3.0f64 * 0.002 * 100.0 * 0.99 * 0.04 * 0.04 / 4.0).powf(1.0 / 3.0);
    assert!((h - expected).abs() < 1e-15);
    assert_eq!(whalley_wilmott_half_width(0.0, 100.0, 1.0, 0.04, 1.0), 0.0);
    // In a run, after every trade the hedge sits on the band's edge.
    let s = scenario("v=1&paths=20&steps=40&rule=ww&aversion=0.3&cost=0.003&qty=1000");
    let engine = Engine::for_plan(&Plan::new(&s));
    for index in 0..s.paths {
        let (_, rows, _) = engine.ledger(0, index);
        for row in rows
            .iter()
            .filter(|r| r.step < s.steps as usize && r.trade != 0.0)
        {
            let band = ww_band_shares(&s, row);
            assert!(
                ((row.held - row.target).abs() - band).abs() < 1e-6,
                "on the edge"
            );
        }
    }
}

/// Whalley–Wilmott's half-width in shares on a ledger row of a one-call
/// scenario: the formula at the row's spot and time, with the call's gamma from
/// the pricing module at the scenario's vol (the hedging vol).
fn ww_band_shares(s: &Scenario, row: &LedgerRow) -> f64 {
    let tau = s.expiry - row.time;
    let gamma = black_scholes::greeks(
        OptionKind::Call,
        &Inputs {
            spot: row.spot,
            strike: s.strike,
            tau,
            rate: s.rate,
            dividend: s.dividend,
            vol: s.vol,
        },
    )
    .gamma;
    whalley_wilmott_half_width(s.cost, row.spot, (-s.rate * tau).exp(), gamma, s.aversion)
        * s.quantity
}

#[test]
fn denser_hedging_shrinks_the_error_like_one_over_root_n_and_its_mean_to_zero() {
    // Zero costs, r, q and μ all non-zero, realised = hedging vol.
    let base = "v=1&paths=4000&r=0.05&q=0.02&mu=0.11&vol=0.25&cost=0&t=0.5&seed=3";
    let mut previous_sd = f64::NAN;
    for steps in [16u64, 64, 256, 1024] {
        let s = scenario(&format!("{base}&steps={steps}"));
        let sample = pnls(&s);
        let summary = stats::summarize(&sample);
        let premium = Plan::new(&s).premium();
        // Mean within 4 standard errors of zero, and tiny against the premium.
        let standard_error = summary.sd / (sample.len() as f64).sqrt();
        assert!(
            summary.mean.abs() < 4.0 * standard_error + 1e-3 * premium,
            "N={steps}: mean {}",
            summary.mean
        );
        // Derman–Kamal: SD ≈ √(π/4)·vega·σ/√N.
        let vega = s.quantity
            * black_scholes::greeks(
                OptionKind::Call,
                &Inputs {
                    spot: 100.0,
                    strike: 100.0,
                    tau: 0.5,
                    rate: 0.05,
                    dividend: 0.02,
                    vol: 0.25,
                },
            )
            .vega;
        let dk = derman_kamal_sd(vega, 0.25, steps as f64);
        assert!(
            (summary.sd / dk - 1.0).abs() < 0.1,
            "N={steps}: sd {} vs Derman–Kamal {dk}",
            summary.sd
        );
        if previous_sd.is_finite() {
            let ratio = previous_sd / summary.sd; // 4× the rebalances → half the SD
            assert!((ratio - 2.0).abs() < 0.25, "N={steps}: ratio {ratio}");
        }
        previous_sd = summary.sd;
    }
}

#[test]
fn hull_textbook_performance_measures() {
    // Hull ch. 19: S=49, K=50, r=5%, σ=20%, 20 weeks, μ=13%, short 100,000 calls,
    // premium $240,053; performance (SD of cost ÷ premium) 0.42 rebalancing every
    // 5 weeks and 0.21 weekly (table of ch. 19; 1,000-path simulation).
    let base =
        "v=1&s=49&k=50&r=0.05&vol=0.2&t=0.38461538461538464&mu=0.13&qty=100000&cost=0&paths=10000";
    let weekly = ScenarioSummary::run(&Plan::new(&scenario(&format!("{base}&steps=20"))));
    assert!(
        (weekly.premium - 240_053.0).abs() < 1.0,
        "premium {}",
        weekly.premium
    );
    assert!(
        (weekly.performance - 0.21).abs() < 0.02,
        "weekly {}",
        weekly.performance
    );
    let five_weekly =
        ScenarioSummary::run(&Plan::new(&scenario(&format!("{base}&steps=20&every=5"))));
    assert!(
        (five_weekly.performance - 0.42).abs() < 0.04,
        "5-weekly {}",
        five_weekly.performance
    );
}

#[test]
fn perfect_foresight_world_hedges_exactly() {
    // σ = 0 and μ = r: the path is the forward and the deterministic hedge replicates.
    for query in ["k=95", "k=105", "type=put&k=105", "type=put&side=long&k=95"] {
        let s = scenario(&format!(
            "v=1&paths=3&steps=50&vol=0&hvol=0&mu=0.03&r=0.03&q=0.01&cost=0&{query}"
        ));
        for o in outcomes(&s) {
            assert!(
                o.pnl.abs() < 1e-9 * s.quantity * s.spot,
                "{query}: {}",
                o.pnl
            );
        }
    }
}

/// Mean and standard error of a sample of P&Ls.
fn mean_and_standard_error(sample: &[f64]) -> (f64, f64) {
    let summary = stats::summarize(sample);
    (summary.mean, summary.sd / (sample.len() as f64).sqrt())
}

#[test]
fn gamma_scalping_long_options_earn_the_vol_gap() {
    // Long calls hedged at 20 % while the stock moves at 30 %. With μ = r the
    // discounted share (with its dividends) is a martingale, so the hedge's
    // trading gains have mean zero whatever the hedge, discrete or not, and
    // E[PV P&L] = n·(e^{−rT}E[payoff] − C(σ_h)) = n·(C(σ_r) − C(σ_h)) exactly —
    // the expectation of ½∫ΓS²(σ_r² − σ_h²)dt. The sample mean must sit within
    // 4.5 standard errors of it (a deterministic seed; 4.5 SE would fail by
    // chance once in 150,000 seeds). Measured: mean 282.17, edge 280.98, SE 2.16
    // (0.55 SE off); the old window of 0.6–1.4 × the edge was ±52 SE.
    let s = scenario("v=1&paths=4000&side=long&vol=0.3&hvol=0.2&steps=250&cost=0&t=0.5&r=0&mu=0");
    let (mean, se) = mean_and_standard_error(&pnls(&s));
    let price_at = |vol| closed_form_value(OptionKind::Call, 100.0, 100.0, 0.5, 0.0, 0.0, vol);
    let edge = s.quantity * (price_at(0.3) - price_at(0.2));
    assert!(
        (mean - edge).abs() < 4.5 * se,
        "mean {mean} vs vol gap value {edge} (SE {se})"
    );
    assert!(se < 0.05 * edge, "the test can tell: SE {se}");
}

#[test]
fn a_short_book_sold_above_the_realised_vol_earns_the_price_gap() {
    // The same identity with a rate and a dividend yield and a short book:
    // puts written at 30 % while the stock moves at 20 %, μ = r = 5 %, q = 2 %,
    // E[PV P&L] = n·(P(σ_r) − P(σ_h)), a gain with n = −100. Hedged every step
    // and in a band (the identity holds for any rule), within 4.5 SE each.
    // Measured: expected 277.59; every step 278.22 (SE 2.12), band 277.80 (SE
    // 2.66). (This replaces a check that the short book loses what the long one
    // gains, which holds on every path by symmetry whatever the engine does.)
    for rule in ["rule=every", "rule=band&band=0.1"] {
        let s = scenario(&format!(
            "v=1&paths=3000&type=put&k=105&side=short&vol=0.2&hvol=0.3&steps=50&cost=0&t=0.5&r=0.05&mu=0.05&q=0.02&{rule}"
        ));
        let (mean, se) = mean_and_standard_error(&pnls(&s));
        let price_at = |vol| closed_form_value(OptionKind::Put, 100.0, 105.0, 0.5, 0.05, 0.02, vol);
        let expected = -s.quantity * (price_at(0.2) - price_at(0.3));
        assert!(
            (mean - expected).abs() < 4.5 * se,
            "{rule}: mean {mean} vs price gap {expected} (SE {se})"
        );
        assert!(se < 0.1 * expected, "{rule}: the test can tell: SE {se}");
    }
}

#[test]
fn a_two_leg_book_is_the_sum_of_its_legs_without_costs() {
    let s = scenario("v=1&paths=50&steps=30&cost=0&r=0.03&q=0.01");
    let legs = [
        OptionLeg {
            kind: OptionKind::Call,
            strike: 105.0,
            quantity: -300.0,
            beyond_horizon: 0.0,
        },
        OptionLeg {
            kind: OptionKind::Put,
            strike: 95.0,
            quantity: 200.0,
            beyond_horizon: 0.0,
        },
    ];
    let rule = RebalanceRule::Every { interval: 1 };
    let plan = Plan::new(&s);
    let hedger_of = |legs: Vec<OptionLeg>| {
        let mut setup = plan.hedge_setup(rule);
        setup.book = Book { legs };
        Hedger::new(setup)
    };
    let both = hedger_of(legs.to_vec());
    let first = hedger_of(vec![legs[0]]);
    let second = hedger_of(vec![legs[1]]);
    let model = plan.path_model.clone();
    let mut spots = PathBuffer::new(s.steps as usize);
    for index in 0..s.paths {
        model.fill(index, &mut spots);
        let whole = both.run(&spots, &mut NoLedger).pnl;
        let parts = first.run(&spots, &mut NoLedger).pnl + second.run(&spots, &mut NoLedger).pnl;
        assert!(
            (whole - parts).abs() < 1e-8 * 500.0 * 100.0,
            "{whole} vs {parts}"
        );
    }
    let _ = BandTarget::Edge;
}

#[test]
fn the_ledger_target_is_minus_the_book_delta_with_its_dividend_discount() {
    // q = 6 % over a year: e^{−qτ} is 0.94 at the start, so a target that drops
    // the dividend factor is off by up to 0.03 shares per option — far outside
    // the tolerances below. One leg (the loop's single-leg branch), and a book
    // of three (its sum), long and short, calls and puts.
    for book in [
        "type=call",
        "type=put&side=long&k=110",
        "legs=-100c105_50p95_30c90",
    ] {
        let s = scenario(&format!(
            "v=1&paths=3&steps=20&t=1&q=0.06&r=0.03&vol=0.25&hvol=0.22&cost=0&{book}"
        ));
        let plan = Plan::new(&s);
        let engine = Engine::for_plan(&plan);
        let hvol = 0.22;
        let gross: f64 = plan.book.legs.iter().map(|l| l.quantity.abs()).sum();
        for index in 0..s.paths {
            let (_, rows, _) = engine.ledger(0, index);
            for row in rows.iter().filter(|r| r.step < s.steps as usize) {
                let tau = s.expiry - row.time;
                let inputs = |leg: &OptionLeg, spot: f64| Inputs {
                    spot,
                    strike: leg.strike,
                    tau,
                    rate: 0.03,
                    dividend: 0.06,
                    vol: hvol,
                };
                // −Σ n·Δ with the pricing module's delta (e^{−qτ}·N(±d1) form).
                let from_delta: f64 = -plan
                    .book
                    .legs
                    .iter()
                    .map(|leg| {
                        leg.quantity * black_scholes::greeks(leg.kind, &inputs(leg, row.spot)).delta
                    })
                    .sum::<f64>();
                // −Σ n·∂V/∂S by a central difference of the closed-form value. Step
                // h = 0.01: truncation h²/6·|∂³V/∂S³| < 1e-7 per option even at the
                // last date (τ = 0.05, ∂³V/∂S³ ≈ 0.02), rounding ε·V/h ≈ 1e-13.
                let h = 0.01;
                let from_price: f64 = -plan
                    .book
                    .legs
                    .iter()
                    .map(|leg| {
                        let v = |spot| {
                            closed_form_value(leg.kind, spot, leg.strike, tau, 0.03, 0.06, hvol)
                        };
                        leg.quantity * (v(row.spot + h) - v(row.spot - h)) / (2.0 * h)
                    })
                    .sum::<f64>();
                // The loop's N comes from a table accurate to 1e-14: 1e-12 per
                // option is rounding. The difference quotient: 1e-6 per option.
                assert!(
                    (row.target - from_delta).abs() < 1e-12 * gross,
                    "{book} path {index} step {}: target {} vs −Σ nΔ {from_delta}",
                    row.step,
                    row.target
                );
                assert!(
                    (row.target - from_price).abs() < 1e-6 * gross,
                    "{book} path {index} step {}: target {} vs −Σ n ∂V/∂S {from_price}",
                    row.step,
                    row.target
                );
                // Under `every 1` the hedge is the target after each rebalance.
                assert!((row.held - row.target).abs() < 1e-9 * gross);
            }
        }
    }
}

/// The book's value and Greeks in each ledger row, and the attribution's gamma
/// and theta parts, against differences of the closed-form value (not the
/// pricing module): value `Σ n·V`, the position's delta `Σ n·∂V/∂S + h`, gamma
/// `Σ n·∂²V/∂S²`, vega `Σ n·∂V/∂σ` at each date before expiry (rebalanced
/// every third date, so that the position's delta is not simply 0); over each
/// step *gamma* `½·Γ·δS²` and *theta* `Θ·δt` with the Greeks of the step's
/// start (`Θ = −∂V/∂τ`); all zero once the book is settled. A leg that
/// outlives the horizon is marked there at its closed-form value.
#[test]
fn the_ledger_rows_carry_the_books_value_and_greeks_at_each_date() {
    let (r, q, hvol) = (0.03, 0.04, 0.22);
    let s = scenario(&format!(
        "v=1&paths=6&steps=20&t=1&q={q}&r={r}&vol=0.3&hvol={hvol}&cost=0.002&legs=-100c105_50p95\
         &rule=every&every=3"
    ));
    let plan = Plan::new(&s);
    let engine = Engine::for_plan(&plan);
    let legs = &plan.book.legs;
    let gross: f64 = legs.iter().map(|l| l.quantity.abs()).sum();
    // Σ n·V(S, τ, σ) from the closed form.
    let value = |spot: f64, tau: f64, vol: f64| -> f64 {
        legs.iter()
            .map(|l| l.quantity * closed_form_value(l.kind, spot, l.strike, tau, r, q, vol))
            .sum()
    };
    // Central differences; truncation and rounding are below 1e-7 per option
    // at these steps (the nearest date to expiry has τ = 0.05).
    let delta = |spot: f64, tau: f64| {
        let h = 0.01;
        (value(spot + h, tau, hvol) - value(spot - h, tau, hvol)) / (2.0 * h)
    };
    let gamma = |spot: f64, tau: f64| {
        let h = 0.05;
        (value(spot + h, tau, hvol) - 2.0 * value(spot, tau, hvol) + value(spot - h, tau, hvol))
            / (h * h)
    };
    let vega = |spot: f64, tau: f64| {
        let h = 1e-5;
        (value(spot, tau, hvol + h) - value(spot, tau, hvol - h)) / (2.0 * h)
    };
    let theta = |spot: f64, tau: f64| {
        let h = 1e-5;
        -(value(spot, tau + h, hvol) - value(spot, tau - h, hvol)) / (2.0 * h)
    };
    let tolerance = 1e-6 * gross;
    let mut largest_gamma = 0.0_f64;
    let mut delivering = 0;
    let mut largest_unhedged = 0.0_f64;
    for index in 0..s.paths {
        let (_, rows, _) = engine.ledger(0, index);
        assert_eq!(rows.len(), s.steps as usize + 1);
        for (k, row) in rows.iter().enumerate() {
            let tau = s.expiry - row.time;
            let label = format!("path {index} step {k}");
            if k == s.steps as usize {
                // Settled: the book's value is now in cash, and nothing is held.
                // The target is minus the payoff's delta: +100 shares when the
                // short 105 calls end in the money, +50 when the long 95 puts do.
                let payoff_target = 100.0 * f64::from(u8::from(row.spot > 105.0))
                    + 50.0 * f64::from(u8::from(row.spot < 95.0));
                assert_eq!(row.target, payoff_target, "{label}: spot {}", row.spot);
                delivering += usize::from(payoff_target != 0.0);
                assert_eq!(row.book_value, 0.0, "{label}");
                assert_eq!(row.position_delta, 0.0, "{label}");
                assert_eq!(row.position_gamma, 0.0, "{label}");
                assert_eq!(row.position_vega, 0.0, "{label}");
            } else {
                // The P&L so far: cash, shares and the book at its value.
                let marked_to_market = row.cash + row.held * row.spot + value(row.spot, tau, hvol);
                assert!(
                    (row.pnl - marked_to_market).abs() < 1e-9 * gross * s.spot,
                    "{label}: P&L {} vs {marked_to_market}",
                    row.pnl
                );
                let checks = [
                    (
                        "value",
                        row.book_value,
                        value(row.spot, tau, hvol),
                        1e-9 * gross * s.spot,
                    ),
                    (
                        "delta",
                        row.position_delta - row.held,
                        delta(row.spot, tau),
                        tolerance,
                    ),
                    ("gamma", row.position_gamma, gamma(row.spot, tau), tolerance),
                    ("vega", row.position_vega, vega(row.spot, tau), 1e-4 * gross),
                ];
                for (name, got, expected, within) in checks {
                    assert!(
                        (got - expected).abs() < within,
                        "{label}: {name} {got} vs {expected}"
                    );
                }
                largest_gamma = largest_gamma.max(row.position_gamma.abs());
                largest_unhedged = largest_unhedged.max(row.position_delta.abs());
            }
            // Costs: 0.2 % of each trade's value, a part of the P&L below 0.
            let cost = 0.002 * row.trade.abs() * row.spot;
            assert!((row.cost - cost).abs() < 1e-12 * gross * s.spot, "{label}");
            assert_eq!(row.cost_pnl, -row.cost, "{label}");
            if k > 0 {
                let before = &rows[k - 1];
                let (move_, dt) = (row.spot - before.spot, row.time - before.time);
                let tau_before = s.expiry - before.time;
                let gamma_part = 0.5 * gamma(before.spot, tau_before) * move_ * move_;
                let theta_part = theta(before.spot, tau_before) * dt;
                assert!(
                    (row.gamma_pnl - gamma_part).abs() < tolerance * move_ * move_,
                    "{label}: gamma P&L {} vs {gamma_part}",
                    row.gamma_pnl
                );
                assert!(
                    (row.theta_pnl - theta_part).abs() < 1e-4 * gross * dt,
                    "{label}: theta P&L {} vs {theta_part}",
                    row.theta_pnl
                );
                // *Hedge*: the delta left unhedged over the step, (h + Δ)·δS.
                let hedge_part = (before.held + delta(before.spot, tau_before)) * move_;
                assert!(
                    (row.hedge_pnl - hedge_part).abs() < tolerance * move_.abs(),
                    "{label}: hedge P&L {} vs {hedge_part}",
                    row.hedge_pnl
                );
            }
        }
    }
    assert!(
        largest_gamma > 1.0,
        "a gamma worth testing: {largest_gamma}"
    );
    assert!(delivering > 0, "some path ends in the money");
    assert!(
        largest_unhedged > 1.0,
        "a position delta worth testing: {largest_unhedged}"
    );

    // On a calendar clock (a back-test: a step over a weekend lasts three
    // nights) theta's part is Θ times that step's own length.
    let s = scenario(&format!(
        "v=1&hist=sp500&from=1987-10-16&hvol={hvol}&r={r}&q={q}&cost=0&rule=every&every=2"
    ));
    let plan = Plan::new(&s);
    let (_, rows, _) = Engine::for_plan(&plan).ledger(0, 0);
    let call = |spot: f64, tau: f64| {
        -s.quantity
            * closed_form_value(
                OptionKind::Call,
                spot,
                plan.book.legs[0].strike,
                tau,
                r,
                q,
                hvol,
            )
    };
    let horizon = rows.last().expect("rows").time;
    let lengths: Vec<f64> = rows.windows(2).map(|w| w[1].time - w[0].time).collect();
    assert!(lengths.iter().any(|&l| l > 2.5 / 365.0) && lengths.iter().any(|&l| l < 1.5 / 365.0));
    for w in rows[..rows.len() - 1].windows(2) {
        let (before, row) = (&w[0], &w[1]);
        let tau = horizon - before.time;
        let h = 1e-5;
        let theta = -(call(before.spot, tau + h) - call(before.spot, tau - h)) / (2.0 * h);
        let expected = theta * (row.time - before.time);
        assert!(
            (row.theta_pnl - expected).abs() < 1e-4 * s.quantity * (row.time - before.time),
            "step {}: theta P&L {} vs {expected}",
            row.step,
            row.theta_pnl
        );
    }

    // A put living a year past the horizon is marked there, not settled.
    let s = scenario(&format!(
        "v=1&paths=3&steps=10&t=1&q={q}&r={r}&hvol={hvol}&cost=0&legs=-100c105_50p95@2"
    ));
    let engine = Engine::for_plan(&Plan::new(&s));
    for index in 0..s.paths {
        let (_, rows, _) = engine.ledger(0, index);
        let last = rows.last().expect("rows");
        let marked = 50.0 * closed_form_value(OptionKind::Put, last.spot, 95.0, 1.0, r, q, hvol);
        assert!(
            (last.marked - marked).abs() < 1e-9 * 50.0 * s.spot,
            "path {index}: marked {} vs {marked}",
            last.marked
        );
        assert!(rows[..rows.len() - 1].iter().all(|row| row.marked == 0.0));
    }
}

/// With a hedging vol of 0 every date is degenerate (`σ√τ` = 0): the target is
/// the deterministic limit, `−Σ n·e^{−qτ}·1[F > K]` over calls and
/// `Σ n·e^{−qτ}·1[F < K]` over puts, `F = S·e^{(r−q)τ}` the forward, written out here.
/// And where every leg's delta is +0 (far out of the money at a small vol), the
/// target is `−Σ n·Δ` to the bit: −0. Signs of zero matter where they show: the
/// ledger's JSON writes `-0.0`.
#[test]
fn degenerate_dates_hedge_the_deterministic_limit_and_zero_deltas_sum_to_minus_zero() {
    let (r, q) = (0.03, 0.06);
    let s = scenario(&format!(
        "v=1&paths=4&steps=12&t=1&q={q}&r={r}&vol=0.25&hvol=0&cost=0&legs=-100c100_50p100_30c90"
    ));
    let plan = Plan::new(&s);
    let engine = Engine::for_plan(&plan);
    let mut in_and_out = [0usize; 2];
    for index in 0..s.paths {
        let (_, rows, _) = engine.ledger(0, index);
        // Nothing accrues before the first date: the financing there is +0, not
        // the premium paid (this book is long on balance) times a growth of 0, −0.
        assert!(rows[0].book_value > 0.0, "a premium paid");
        assert_eq!(rows[0].financing_pnl.to_bits(), 0.0_f64.to_bits());
        for row in rows.iter().filter(|r| r.step < s.steps as usize) {
            let tau = s.expiry - row.time;
            let forward = row.spot * ((r - q) * tau).exp();
            let carry = (-q * tau).exp();
            let expected: f64 = plan
                .book
                .legs
                .iter()
                .map(|leg| {
                    let in_the_money = match leg.kind {
                        OptionKind::Call => forward > leg.strike,
                        OptionKind::Put => forward < leg.strike,
                    };
                    in_and_out[usize::from(in_the_money)] += 1;
                    let sign = match leg.kind {
                        OptionKind::Call => -1.0,
                        OptionKind::Put => 1.0,
                    };
                    if in_the_money {
                        sign * leg.quantity * carry
                    } else {
                        0.0
                    }
                })
                .sum();
            assert!(
                (row.target - expected).abs() < 1e-12 * 180.0,
                "path {index} step {}: target {} vs the limit {expected}",
                row.step,
                row.target
            );
        }
    }
    assert!(
        in_and_out[0] > 0 && in_and_out[1] > 0,
        "legs in and out of the money: {in_and_out:?}"
    );

    // At the money forward (r = q, K = S₀): ln S + shift is exactly 0 at the
    // first date, where 0·(1/σ√τ) would be NaN; the limit is finite there, as
    // the pricing module's delta at vol 0.
    let s = scenario("v=1&paths=2&steps=6&r=0.02&q=0.02&k=100&hvol=0&vol=0.2&cost=0");
    let plan = Plan::new(&s);
    let (_, rows, outcome) = Engine::for_plan(&plan).ledger(0, 0);
    let inputs = Inputs {
        spot: s.spot,
        strike: s.strike,
        tau: s.expiry,
        rate: s.rate,
        dividend: s.dividend,
        vol: 0.0,
    };
    let limit = -s.signed_quantity() * black_scholes::greeks(s.kind, &inputs).delta;
    assert_eq!(rows[0].target, limit, "at the money forward");
    assert!(outcome.pnl.is_finite());

    // The threshold itself, σ√τ = 1e-12 exactly (σ = 1e-12, τ = 1), at the
    // money forward: the formula, −n·e^{−qτ}·N(σ√τ/2), and the limit, which
    // takes half at the forward, agree — half a share per call — so the
    // threshold can fall on either side of it.
    let s = scenario("v=1&paths=1&steps=4&t=1&r=0.02&q=0.02&k=100&hvol=1e-12&cost=0");
    let (_, rows, _) = Engine::for_plan(&Plan::new(&s)).ledger(0, 0);
    let half = s.quantity * (-0.02_f64).exp() * 0.5;
    assert!(
        (rows[0].target - half).abs() < 1e-9 * s.quantity,
        "at σ√τ = 1e-12: {} vs {half}",
        rows[0].target
    );

    // N(d1) = 0 exactly: d1 < −40 for both legs at a 1 % vol.
    let s =
        scenario("v=1&paths=1&steps=8&t=1&q=0.02&hvol=0.01&vol=0.01&cost=0&legs=100c150_50c160");
    let plan = Plan::new(&s);
    let (_, rows, _) = Engine::for_plan(&plan).ledger(0, 0);
    for row in rows.iter().filter(|r| r.step < s.steps as usize) {
        let tau = s.expiry - row.time;
        let minus_sum = -plan
            .book
            .legs
            .iter()
            .map(|leg| {
                let inputs = Inputs {
                    spot: row.spot,
                    strike: leg.strike,
                    tau,
                    rate: s.rate,
                    dividend: s.dividend,
                    vol: 0.01,
                };
                leg.quantity * black_scholes::greeks(leg.kind, &inputs).delta
            })
            .sum::<f64>();
        assert_eq!(
            minus_sum.to_bits(),
            (-0.0_f64).to_bits(),
            "the reference is −0"
        );
        assert_eq!(
            row.target.to_bits(),
            minus_sum.to_bits(),
            "step {}: target {:e}",
            row.step,
            row.target
        );
    }
}

/// A path of one price (no step: a window that ends where it starts) is
/// settled once, at that price: the premium less the payoff, and for the
/// physically settled put the cost of the 100 shares it delivers, all at the
/// horizon's discount (written out from the closed form). The Monte Carlo
/// loop, which takes the first and last dates out of its loop, gives the
/// ledger's outcome, and the ledger has one row, where everything held is closed.
#[test]
fn a_path_of_one_price_is_settled_once() {
    for (query, delivery_cost) in [
        ("v=1&k=90&cost=0.002&fee=1", 0.0),
        // The holder of 100 puts in the money delivers 100 shares it must buy:
        // 0.1 % of 100 × 100.
        (
            "v=1&type=put&side=long&k=110&settle=physical&cost=0.001",
            10.0,
        ),
    ] {
        let s = scenario(query);
        let plan = Plan::new(&s);
        let hedger = Hedger::new(plan.hedge_setup(plan.rule));
        let mut path = PathBuffer::new(0);
        path.spot[0] = s.spot;
        path.log_spot[0] = s.spot.ln();
        let fast = hedger.run(&path, &mut NoLedger);
        let mut rows: Vec<LedgerRow> = Vec::new();
        let detailed = hedger.run(&path, &mut rows);
        assert_eq!(fast, detailed, "{query}");
        assert_eq!(rows.len(), 1, "{query}");
        assert_eq!(
            (rows[0].held, fast.trades),
            (0.0, 0),
            "{query}: nothing to hedge"
        );
        let premium = closed_form_value(
            s.kind, s.spot, s.strike, s.expiry, s.rate, s.dividend, s.vol,
        );
        let payoff = s.kind.payoff(s.spot, s.strike);
        // The holder's cash: −(signed quantity)·(premium − payoff) − costs.
        let expected = (-s.signed_quantity() * (premium - payoff) - delivery_cost)
            * (-s.rate * s.expiry).exp();
        assert!(
            (fast.pnl - expected).abs() < 1e-9 * s.quantity * s.spot,
            "{query}: P&L {} vs {expected}",
            fast.pnl
        );
    }
}

#[test]
fn an_edge_trade_lands_on_the_near_edge_of_the_band() {
    // By hand: target −50 shares, band 0.1 per option on 100 options = ±10 shares,
    // so the band is [−60, −40]. Held below it (−70) the least trade restoring it
    // buys 10 to the lower edge −60; held above it (−30) sells 10 to the upper
    // edge −40; inside, nothing trades. `to=target` goes to −50 either way.
    let ctx = Context {
        step: 3,
        spot: 100.0,
        target: -50.0,
        gamma: -100.0 * 0.04,
        gross_quantity: 100.0,
        discount: 0.99,
        proportional_cost: 0.002,
    };
    let edge = RebalanceRule::Band {
        half_width: 0.1,
        to: BandTarget::Edge,
    };
    let to_target = RebalanceRule::Band {
        half_width: 0.1,
        to: BandTarget::Target,
    };
    assert_eq!(edge.decide(-70.0, &ctx), -60.0);
    assert_eq!(edge.decide(-30.0, &ctx), -40.0);
    assert_eq!(edge.decide(-55.0, &ctx), -55.0);
    assert_eq!(to_target.decide(-70.0, &ctx), -50.0);
    assert_eq!(to_target.decide(-30.0, &ctx), -50.0);
    // Whalley–Wilmott, γ = 2: half-width (3·0.002·100·0.99·0.04²/(2·2))^{1/3}
    // = 0.0619… per option, 6.19 shares on 100 options, written out here.
    let ww = RebalanceRule::WhalleyWilmott { risk_aversion: 2.0 };
    let half = (3.0f64 * 0.002 * 100.0 * 0.99 * 0.04 * 0.04 / (2.0 * 2.0)).cbrt() * 100.0;
    assert!((ww.decide(-70.0, &ctx) - (-50.0 - half)).abs() < 1e-12);
    assert!((ww.decide(-30.0, &ctx) - (-50.0 + half)).abs() < 1e-12);
    assert_eq!(ww.decide(-52.0, &ctx), -52.0);

    // In runs: after every trade the hedge sits on the edge on the side it came
    // from (the gap to the target keeps its sign, and its size is the band).
    let band_of = |s: &Scenario, row: &LedgerRow| -> f64 {
        if s.rule == hedge_explorer::scenario::RuleKind::Band {
            0.07 * s.quantity
        } else {
            ww_band_shares(s, row)
        }
    };
    for query in [
        "v=1&paths=30&steps=60&rule=band&band=0.07&to=edge&qty=1000&cost=0.003",
        "v=1&paths=30&steps=40&rule=ww&aversion=0.3&cost=0.003&qty=1000",
    ] {
        let s = scenario(query);
        let engine = Engine::for_plan(&Plan::new(&s));
        let mut below = 0;
        let mut above = 0;
        for index in 0..s.paths {
            let (_, rows, _) = engine.ledger(0, index);
            for row in rows
                .iter()
                .filter(|r| r.step < s.steps as usize && r.trade != 0.0)
            {
                let before = row.held - row.trade - row.target;
                let after = row.held - row.target;
                let band = band_of(&s, row);
                assert!(before.abs() > band, "{query}: traded inside the band");
                // (A band of zero width — no gamma left — lands on the target.)
                assert!(
                    after * before >= 0.0,
                    "{query} path {index} step {}: gap {before} before, {after} after",
                    row.step
                );
                assert!((after.abs() - band).abs() < 1e-6, "{query}: on the edge");
                if before < 0.0 {
                    below += 1;
                } else {
                    above += 1;
                }
            }
        }
        // Both sides were exercised.
        assert!(
            below > 20 && above > 20,
            "{query}: {below} below, {above} above"
        );
    }
}
