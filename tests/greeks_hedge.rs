//! Hedging with options: the Greek-neutral solver against Hull's worked example,
//! the engine's option hedge against an independent replay on the same path,
//! and what gamma hedging buys on the same paths.

#![allow(clippy::disallowed_methods)]

mod common;
use common::worse;
use hedge_explorer::engine::montecarlo::{Engine, RunSummary};
use hedge_explorer::hedging::greeks::{neutralise, GreekTargets};
use hedge_explorer::hedging::hedger::LedgerRow;
use hedge_explorer::hedging::rules::RebalanceRule;
use hedge_explorer::plan::{Plan, Strategy};
use hedge_explorer::pricing::black_scholes::Greeks;
use hedge_explorer::pricing::normal;
use hedge_explorer::Scenario;

fn plan(query: &str) -> Plan {
    Plan::new(&Scenario::parse(query).expect("a valid link"))
}

fn greeks(delta: f64, gamma: f64, vega: f64) -> Greeks {
    Greeks {
        delta,
        gamma,
        vega,
        ..Greeks::default()
    }
}

#[test]
fn hulls_gamma_vega_example() {
    // Hull, Options, Futures, and Other Derivatives (ch. 19, "Vega"): a
    // delta-neutral position with gamma −5,000 and vega −8,000; option 1 has
    // delta 0.6, gamma 0.5, vega 2.0; option 2 delta 0.5, gamma 0.8, vega 1.2.
    // Buying 400 of option 1 and 6,000 of option 2 makes the position gamma and
    // vega neutral, and 3,240 shares must then be sold to keep it delta neutral.
    let book = greeks(0.0, -5_000.0, -8_000.0);
    let options = [greeks(0.6, 0.5, 2.0), greeks(0.5, 0.8, 1.2)];
    let hedge = neutralise(&book, &options, GreekTargets::DeltaGammaVega).expect("solvable");
    assert!((hedge.options[0] - 400.0).abs() < 1e-9, "{hedge:?}");
    assert!((hedge.options[1] - 6_000.0).abs() < 1e-9, "{hedge:?}");
    assert!((hedge.shares + 3_240.0).abs() < 1e-9, "{hedge:?}");
}

#[test]
fn one_greek_with_one_option_and_the_fewest_options_with_more() {
    let book = greeks(-40.0, -3.0, -20.0);
    // Gamma only with option 1: w = 3/0.5 = 6, then shares −(−40 + 6·0.6).
    let one = neutralise(&book, &[greeks(0.6, 0.5, 2.0)], GreekTargets::DeltaGamma).expect("ok");
    assert!((one.options[0] - 6.0).abs() < 1e-12);
    assert!((one.shares - (40.0 - 3.6)).abs() < 1e-12);
    // Vega only: w = 20/2 = 10.
    let vega = neutralise(&book, &[greeks(0.6, 0.5, 2.0)], GreekTargets::DeltaVega).expect("ok");
    assert!((vega.options[0] - 10.0).abs() < 1e-12);
    // Two options for one Greek: the minimum-norm solution is proportional to
    // the options' gammas and neutralises gamma exactly.
    let two = [greeks(0.6, 0.5, 2.0), greeks(0.5, 0.8, 1.2)];
    let h = neutralise(&book, &two, GreekTargets::DeltaGamma).expect("ok");
    let gamma = book.gamma + h.options[0] * 0.5 + h.options[1] * 0.8;
    assert!(gamma.abs() < 1e-12, "{h:?}");
    assert!((h.options[0] / h.options[1] - 0.5 / 0.8).abs() < 1e-12);
    // Delta alone trades no option.
    let delta = neutralise(&book, &two, GreekTargets::Delta).expect("ok");
    assert_eq!(delta.options, [0.0; 3]);
    assert_eq!(delta.shares, 40.0);
}

#[test]
fn two_greeks_neutralised_whatever_the_gram_determinant_and_the_scale() {
    // Hull's example has a Gram determinant of exactly 1: here it is not.
    let book = greeks(-40.0, -3.0, -20.0);
    let two = [greeks(0.6, 0.5, 2.0), greeks(0.5, 0.3, 2.5)];
    for scale in [1.0, 1e-7, 1e7] {
        // Options with tiny (or huge) Greeks are as good a hedge: the
        // singularity test is relative to their size.
        let options = two.map(|g| greeks(g.delta * scale, g.gamma * scale, g.vega * scale));
        let h = neutralise(&book, &options, GreekTargets::DeltaGammaVega).expect("solvable");
        let gamma = book.gamma + h.options[0] * options[0].gamma + h.options[1] * options[1].gamma;
        let vega = book.vega + h.options[0] * options[0].vega + h.options[1] * options[1].vega;
        let delta = book.delta
            + h.options[0] * options[0].delta
            + h.options[1] * options[1].delta
            + h.shares;
        assert!(
            gamma.abs() < 1e-12 && vega.abs() < 1e-11 && delta.abs() < 1e-11,
            "{scale}: {h:?}"
        );
        let one = neutralise(&book, &options[..1], GreekTargets::DeltaGamma).expect("solvable");
        assert!(
            (one.options[0] * scale - 6.0).abs() < 1e-9,
            "{scale}: {one:?}"
        );
    }
    // How many options each choice needs beside the shares.
    assert_eq!(
        [
            GreekTargets::Delta,
            GreekTargets::DeltaGamma,
            GreekTargets::DeltaVega,
            GreekTargets::DeltaGammaVega
        ]
        .map(GreekTargets::option_greeks),
        [0, 1, 1, 2]
    );
}

#[test]
fn unsolvable_systems_say_so() {
    let book = greeks(1.0, -2.0, -3.0);
    // Too few options, an option without gamma, two options that cannot tell
    // gamma from vega.
    assert!(neutralise(
        &book,
        &[greeks(0.5, 0.1, 0.2)],
        GreekTargets::DeltaGammaVega
    )
    .is_none());
    assert!(neutralise(&book, &[greeks(1.0, 0.0, 0.0)], GreekTargets::DeltaGamma).is_none());
    let parallel = [greeks(0.5, 0.1, 0.2), greeks(0.4, 0.2, 0.4)];
    assert!(neutralise(&book, &parallel, GreekTargets::DeltaGammaVega).is_none());
    // Options with neither gamma nor vega (deep out of the money at expiry):
    // a zero determinant is not solvable (it would divide by zero).
    let spent = [greeks(0.0, 0.0, 0.0), greeks(1.0, 0.0, 0.0)];
    assert!(neutralise(&book, &spent, GreekTargets::DeltaGammaVega).is_none());
}

/// The sum of a ledger row's attribution parts, the options' included (the
/// residual is what the others leave of the step's P&L: the sum checks that it
/// is formed so).
fn attribution(row: &LedgerRow) -> f64 {
    row.gamma_pnl
        + row.theta_pnl
        + row.hedge_pnl
        + row.financing_pnl
        + row.cost_pnl
        + row.options_pnl.expect("an options column")
        + row.residual_pnl
}

/// Black–Scholes call value, delta and gamma written out here (erfc-based N),
/// independent of the engine's pricing module.
fn call(s: f64, k: f64, tau: f64, r: f64, q: f64, vol: f64) -> (f64, f64, f64) {
    let sd = vol * tau.sqrt();
    let d1 = ((s / k).ln() + (r - q + 0.5 * vol * vol) * tau) / sd;
    let d2 = d1 - sd;
    let density = (-0.5 * d1 * d1).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let value =
        s * (-q * tau).exp() * normal::cdf_erfc(d1) - k * (-r * tau).exp() * normal::cdf_erfc(d2);
    (
        value,
        (-q * tau).exp() * normal::cdf_erfc(d1),
        (-q * tau).exp() * density / (s * sd),
    )
}

#[test]
fn a_gamma_hedge_matches_an_independent_replay_on_the_same_path() {
    // A short call gamma-hedged every step with a longer-dated call (marked to the
    // model at the horizon), with every kind of cost and a dividend yield.
    let (k, t, r, q, vol, qty, cost, fee, ocost, steps) = (
        100.0, 0.25, 0.02, 0.01, 0.25, 100.0, 0.001, 0.5, 0.02, 20usize,
    );
    let (hedge_k, hedge_t) = (105.0, 0.5);
    let p = plan(&format!(
        "v=1&k={k}&t={t}&r={r}&q={q}&vol={vol}&qty={qty}&cost={cost}&fee={fee}&ocost={ocost}&steps={steps}&paths=8&greeks=delta-gamma&with=c{hedge_k}@{hedge_t}"
    ));
    let engine = Engine::for_plan(&p);
    for index in 0..8 {
        let (spots, rows, outcome) = engine.ledger(0, index);
        let dt = t / steps as f64;
        let trade_cost = |x: f64, s: f64| {
            if x == 0.0 {
                0.0
            } else {
                fee + cost * x.abs() * s
            }
        };
        let mut cash = qty * call(spots[0], k, t, r, q, vol).0;
        let (mut held, mut options) = (0.0, 0.0);
        let mut option_value_before = 0.0;
        // Every cost in today's money: all of them, and the option trades'.
        let (mut costs_pv, mut option_costs_pv) = (0.0, 0.0);
        for (i, &s) in spots.iter().enumerate().take(steps) {
            let to_start = (-r * i as f64 * dt).exp();
            if i > 0 {
                cash = cash * (r * dt).exp() + held * s * ((q * dt).exp() - 1.0);
            }
            let tau = t - i as f64 * dt;
            let (_, book_delta, book_gamma) = call(s, k, tau, r, q, vol);
            let (value, delta, gamma) = call(s, hedge_k, tau + (hedge_t - t), r, q, vol);
            // The ledger's option columns for this date: the step's P&L on the
            // options held over it, then the value held after the trade, and
            // the position's Greeks (short book + options + shares): delta and
            // gamma neutral after every date's trades.
            let row = rows[i];
            let options_pnl = if i == 0 {
                0.0
            } else {
                options * (value - option_value_before)
            };
            option_value_before = value;
            let wanted = qty * book_gamma / gamma; // short qty calls: −Γ_B = qty·Γ
            let traded = wanted - options;
            let mut date_costs = 0.0;
            if traded != 0.0 {
                let option_cost = fee + ocost * (traded * value).abs();
                cash -= traded * value + option_cost;
                costs_pv += option_cost * to_start;
                option_costs_pv += option_cost * to_start;
                date_costs += option_cost;
            }
            options = wanted;
            let target = qty * book_delta - options * delta;
            cash -= (target - held) * s + trade_cost(target - held, s);
            costs_pv += trade_cost(target - held, s) * to_start;
            date_costs += trade_cost(target - held, s);
            // The costs' part of the P&L: every cost of the date, options' too;
            // and the parts add up to the step's P&L.
            assert!(
                (row.cost_pnl + date_costs).abs() < 1e-9 * qty * s,
                "path {index} row {i}: costs' part {} vs {}",
                row.cost_pnl,
                -date_costs
            );
            let parts = attribution(&row);
            let step_pnl = row.pnl - if i == 0 { 0.0 } else { rows[i - 1].pnl };
            assert!(
                (parts - step_pnl).abs() < 1e-9 * qty * s,
                "path {index} row {i}: parts {parts} vs the step's P&L {step_pnl}"
            );
            held = target;
            // The P&L so far: the replay's cash, the shares, the short calls
            // and the hedge options, each at its value.
            let marked_to_market =
                cash + held * s - qty * call(s, k, tau, r, q, vol).0 + options * value;
            assert!(
                (row.pnl - marked_to_market).abs() < 1e-9 * qty * s,
                "path {index} row {i}: P&L {} vs {marked_to_market}",
                row.pnl
            );
            let scale = qty * s;
            for (column, got, want, size) in [
                (
                    "options_pnl",
                    row.options_pnl.expect("a column"),
                    options_pnl,
                    scale,
                ),
                (
                    "options_value",
                    row.options_value.expect("a column"),
                    options * value,
                    scale,
                ),
                (
                    "position_delta",
                    row.position_delta,
                    -qty * book_delta + options * delta + held,
                    qty,
                ),
                (
                    "position_gamma",
                    row.position_gamma,
                    -qty * book_gamma + options * gamma,
                    qty * book_gamma,
                ),
                // Black–Scholes vega = Γ·S²·σ·τ, per 1.00 of vol.
                (
                    "position_vega",
                    row.position_vega,
                    (-qty * book_gamma * tau + options * gamma * (tau + hedge_t - t)) * s * s * vol,
                    scale,
                ),
            ] {
                assert!(
                    (got - want).abs() < 1e-9 * size,
                    "path {index} row {i}: {column} {got} vs {want}"
                );
            }
            assert!(row.position_delta.abs() < 1e-9 * qty && row.position_gamma.abs() < 1e-9 * qty);
        }
        // At the horizon everything is settled: no options held (the last row
        // closes the options held before it), no Greeks; the parts still add
        // up (the options' last part is their value at the horizon less before).
        let last = rows[steps];
        let parts = attribution(&last);
        let horizon_value = call(spots[steps], hedge_k, hedge_t - t, r, q, vol).0;
        assert!(
            (last.options_pnl.expect("a column") - options * (horizon_value - option_value_before))
                .abs()
                < 1e-9 * qty * spots[steps],
            "path {index}: the options' last part"
        );
        assert!((parts - (last.pnl - rows[steps - 1].pnl)).abs() < 1e-9 * qty * spots[steps]);
        assert_eq!(last.options_value, Some(0.0));
        assert_eq!(last.option1_held, Some(0.0));
        let closed = last.option1_trade.expect("a column");
        assert!(
            (closed + options).abs() < 1e-9 * qty,
            "closes {closed} of {options}"
        );
        assert_eq!(
            (last.position_delta, last.position_gamma, last.position_vega),
            (0.0, 0.0, 0.0)
        );
        let s = spots[steps];
        cash = cash * (r * dt).exp() + held * s * ((q * dt).exp() - 1.0);
        cash -= qty * (s - k).max(0.0);
        cash += options * call(s, hedge_k, hedge_t - t, r, q, vol).0;
        cash += held * s - trade_cost(-held, s);
        costs_pv += trade_cost(-held, s) * (-r * t).exp();
        let replay = cash * (-r * t).exp();
        let notional = qty * spots[0];
        assert!(
            (outcome.pnl - replay).abs() < 1e-9 * notional,
            "path {index}: engine {} vs replay {replay}",
            outcome.pnl
        );
        assert_eq!(
            outcome.option_trades as usize, steps,
            "one option trade a date"
        );
        assert!(
            (outcome.costs - costs_pv).abs() < 1e-9 * costs_pv,
            "path {index}: costs {} vs {costs_pv}",
            outcome.costs
        );
        assert!(
            (outcome.option_costs - option_costs_pv).abs() < 1e-9 * option_costs_pv,
            "path {index}: option costs {} vs {option_costs_pv}",
            outcome.option_costs
        );
        // The ledger holds the options: the last row before expiry holds `options`.
        let last = rows[steps - 1];
        assert!((last.option1_held.expect("a column") - options).abs() < 1e-9 * qty);
        assert!(rows.iter().all(|row| row.option2_held.is_none()));
    }
}

/// Physical settlement with hedge options that expire with the book: the
/// short calls deliver `−qty·1[S_T > K]` shares and the hedge calls
/// `n·1[S_T > K_h]`, and only the rest of the hedge is traded. On the same
/// paths, the P&L differs from cash settlement by exactly the costs of the
/// last trade, written out here: selling the `h` shares held (cash) against
/// trading `−(h + delivered)` (physical), in today's money.
#[test]
fn physically_settled_hedge_options_deliver_their_shares() {
    let (k, hedge_k, qty, fee, cost, r, t): (f64, f64, f64, f64, f64, f64, f64) =
        (100.0, 105.0, 100.0, 2.0, 0.003, 0.03, 0.25);
    let query = |settle: &str| {
        format!(
            "v=1&k={k}&t={t}&r={r}&vol=0.3&qty={qty}&fee={fee}&cost={cost}&steps=12&paths=24\
             &greeks=delta-gamma&with=c{hedge_k}&settle={settle}"
        )
    };
    let (cash, physical) = (plan(&query("cash")), plan(&query("physical")));
    let (cash_engine, physical_engine) = (Engine::for_plan(&cash), Engine::for_plan(&physical));
    let trade_cost = |shares: f64, spot: f64| {
        if shares == 0.0 {
            0.0
        } else {
            fee + cost * shares.abs() * spot
        }
    };
    let mut both_delivered = 0;
    for index in 0..24 {
        let (spots, rows, by_cash) = cash_engine.ledger(0, index);
        let (_, _, by_delivery) = physical_engine.ledger(0, index);
        let spot = spots[12];
        let before = &rows[11];
        let held = before.held;
        let options = before.option1_held.expect("a hedge option column");
        let delivered =
            -qty * f64::from(u8::from(spot > k)) + options * f64::from(u8::from(spot > hedge_k));
        if spot > hedge_k {
            both_delivered += 1;
        }
        let costs_saved = trade_cost(-held, spot) - trade_cost(-(held + delivered), spot);
        let expected = by_cash.pnl + costs_saved * (-r * t).exp();
        assert!(
            (by_delivery.pnl - expected).abs() < 1e-9 * qty * spots[0],
            "path {index}: S_T {spot}, held {held}, options {options}: physical {} vs {expected}",
            by_delivery.pnl
        );
    }
    assert!(
        both_delivered > 0,
        "some paths end with both legs delivering"
    );
}

/// A band rule with hedge options: after every date the shares held are
/// within the band (`band` × the options held, 0.05 × 100 = 5 shares) of the
/// target, and options and shares trade only on the dates the shares had left
/// it — so on fewer dates than there are.
#[test]
fn a_band_rule_with_hedge_options_trades_only_when_the_shares_leave_the_band() {
    let p = plan("v=1&paths=12&steps=40&vol=0.3&band=0.05&rule=band&greeks=delta-gamma&with=c105@0.5&cost=0.001");
    let engine = Engine::for_plan(&p);
    let width = 0.05 * 100.0;
    let (mut dates, mut traded) = (0, 0);
    for index in 0..12 {
        let (_, rows, outcome) = engine.ledger(0, index);
        for row in rows.iter().take(40) {
            assert!(
                (row.held - row.target).abs() <= width * (1.0 + 1e-12),
                "path {index} step {}: held {} vs target {}",
                row.step,
                row.held,
                row.target
            );
            dates += 1;
            if row.trade != 0.0 {
                traded += 1;
            }
        }
        assert!(
            outcome.option_trades < 40,
            "path {index}: {} option trades",
            outcome.option_trades
        );
    }
    assert!(
        traded > 0 && traded < dates,
        "{traded} of {dates} dates traded"
    );
}

/// Delta-vega hedging with one option: after every date's trades the
/// position's delta and vega — the ledger's, from the pricing module — are 0,
/// though the hedge itself is sized from the loop's fast per-date Greeks.
#[test]
fn a_delta_vega_hedge_leaves_no_delta_and_no_vega() {
    let p = plan("v=1&paths=6&steps=30&vol=0.25&q=0.02&greeks=delta-vega&with=c110@1&cost=0.001");
    let engine = Engine::for_plan(&p);
    let mut largest_gamma = 0.0_f64;
    for index in 0..6 {
        let (_, rows, _) = engine.ledger(0, index);
        for row in rows.iter().take(30) {
            assert!(
                row.position_delta.abs() < 1e-9 * 100.0
                    && row.position_vega.abs() < 1e-9 * 100.0 * 40.0,
                "path {index} step {}: delta {} vega {}",
                row.step,
                row.position_delta,
                row.position_vega
            );
            largest_gamma = largest_gamma.max(row.position_gamma.abs());
        }
    }
    // Gamma is left alone: a vega hedge does not also neutralise it.
    assert!(largest_gamma > 0.1, "{largest_gamma}");
}

/// With a hedging vol of 0 every Greek is its deterministic limit and every
/// gamma 0, so the delta-gamma system has no solution: the hedge options are
/// never bought and the shares alone hedge the book's delta, the limit
/// `−n·e^{−qτ}·1{S·e^{(r−q)τ} > K}` written out here for the short 100 calls.
#[test]
fn a_singular_greek_system_leaves_the_shares_to_hedge_the_books_delta() {
    let p =
        plan("v=1&paths=5&steps=20&vol=0.3&hvol=0&r=0.03&q=0.02&greeks=delta-gamma&with=c105@1");
    let engine = Engine::for_plan(&p);
    let (t, r, q, strike) = (0.25, 0.03, 0.02, 100.0);
    let mut in_the_money = 0;
    for index in 0..5 {
        let (_, rows, outcome) = engine.ledger(0, index);
        assert_eq!(outcome.option_trades, 0, "path {index}");
        for row in rows.iter().take(20) {
            let tau = t - row.time;
            let forward = row.spot * ((r - q) * tau).exp();
            let expected = if forward > strike {
                100.0 * (-q * tau).exp()
            } else {
                0.0
            };
            in_the_money += usize::from(forward > strike);
            assert!(
                (row.target - expected).abs() < 1e-9,
                "path {index} step {}: target {} vs {expected}",
                row.step,
                row.target
            );
            assert_eq!(row.options_value, Some(0.0), "no hedge options held");
        }
    }
    assert!(in_the_money > 0, "some dates in the money");
}

#[test]
fn gamma_hedging_cuts_the_risk_more_the_rarer_the_rebalancing() {
    // A short call, no costs, realised = hedging vol: on the same paths, hedging
    // gamma with a longer-dated call leaves a smaller SD than shares alone, and
    // the gap widens as rebalancing gets rarer (delta-only error grows like
    // √interval; the gamma-neutral book's much more slowly).
    let base =
        "v=1&paths=2000&steps=64&cost=0&ocost=0&t=0.25&vol=0.2&greeks=delta-gamma&with=c100@0.75";
    let mut gaps = Vec::new();
    for every in [1, 4, 16] {
        let p = plan(&format!("{base}&every={every}"));
        let strategies = [
            Strategy {
                rule: RebalanceRule::Every { interval: every },
                greeks: GreekTargets::Delta,
                ..p.own_strategy()
            },
            p.own_strategy(),
        ];
        let outcomes = Engine::for_strategies(&p, &strategies).run(p.paths, 256);
        let sd = |h: usize| RunSummary::of(&outcomes.by_hedger[h]).pnl.sd;
        let (delta_only, gamma_hedged) = (sd(0), sd(1));
        assert!(
            gamma_hedged < delta_only,
            "every {every}: delta-gamma SD {gamma_hedged} vs delta {delta_only}"
        );
        gaps.push(delta_only - gamma_hedged);
    }
    assert!(gaps[0] < gaps[1] && gaps[1] < gaps[2], "gaps {gaps:?}");
}

#[test]
fn the_comparison_adds_delta_only_beside_the_chosen_greeks() {
    let p = plan("v=1&paths=10&greeks=delta-vega&with=c110@1&rule=band&band=0.1");
    let names = p.comparison_names();
    assert_eq!(
        names,
        [
            "none",
            "static, delta-vega",
            "band 0.1 (target), delta",
            "band 0.1 (target), delta-vega"
        ]
    );
    assert_eq!(p.own_row(), 3);
    // Without hedge options, the comparison is as it always was.
    assert_eq!(
        plan("v=1").comparison_names(),
        ["none", "static", "every 1"]
    );
}

#[test]
fn per_date_greeks_match_black_scholes() {
    use hedge_explorer::hedging::option_hedge::InstrumentAtDate;
    use hedge_explorer::instruments::book::{OptionLeg, PricingModel};
    use hedge_explorer::pricing::black_scholes::{self, Inputs, OptionKind};
    use hedge_explorer::pricing::fastmath::Exp;

    let model = PricingModel {
        rate: 0.03,
        dividend: 0.015,
        vol: 0.35,
    };
    let (exp, cdf) = (Exp::new(), normal::cdf_table());
    let mut worst: f64 = 0.0;
    for kind in [OptionKind::Call, OptionKind::Put] {
        for strike in [60.0, 95.0, 100.0, 104.0, 160.0] {
            for beyond in [0.0, 0.5] {
                let leg = OptionLeg {
                    kind,
                    strike,
                    quantity: 1.0,
                    beyond_horizon: beyond,
                };
                for tau in [1.0, 0.25, 0.01, 1e-4] {
                    let at = InstrumentAtDate::new(&leg, &model, tau);
                    for spot in [50.0, 90.0, 100.0, 111.0, 200.0] {
                        let fast = at.greeks(spot, spot.ln(), (&exp, cdf), true, || {
                            panic!("not degenerate")
                        });
                        let exact = black_scholes::greeks(
                            kind,
                            &Inputs {
                                spot,
                                strike,
                                tau: tau + beyond,
                                rate: model.rate,
                                dividend: model.dividend,
                                vol: model.vol,
                            },
                        );
                        // Absolute error on the scale of the spot (value, vega),
                        // one share (delta) and 1/spot (gamma).
                        for (a, b, scale) in [
                            (fast.price, exact.price, spot),
                            (fast.delta, exact.delta, 1.0),
                            (fast.gamma, exact.gamma, 1.0 / spot),
                            (fast.vega, exact.vega, spot),
                        ] {
                            worst = worse(worst, (a - b).abs() / scale);
                        }
                    }
                }
            }
        }
    }
    assert!(worst < 1e-12, "worst scaled error {worst:e}");
}
