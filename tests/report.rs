//! JSON and CSV output: well-formed, complete, exact (numbers read back to the
//! same bits), with the members and columns the schema in `src/report.rs` lists,
//! in that order; the summary's closed-form benchmarks and Greeks against their
//! formulas written out here.

// Independent references may use the platform's math: only the engine must be
// bit-identical across targets.
#![allow(clippy::disallowed_methods)]

mod common;
use hedge_explorer::engine::montecarlo::Engine;
use hedge_explorer::hedging::hedger::LedgerRow;
use hedge_explorer::plan::Plan;
use hedge_explorer::results::analysis::{
    compare, frontier, leland_vol, performance, ScenarioSummary,
};
use hedge_explorer::results::report;
use hedge_explorer::{OptionKind, Scenario};
use serde_json::Value;

/// The ledger's columns as documented (README, `src/report.rs`).
const LEDGER_COLUMNS: [&str; 21] = [
    "step",
    "time",
    "spot",
    "variance",
    "target",
    "held",
    "trade",
    "cost",
    "cash",
    "book_value",
    "marked",
    "pnl",
    "position_delta",
    "position_gamma",
    "position_vega",
    "gamma_pnl",
    "theta_pnl",
    "hedge_pnl",
    "financing_pnl",
    "cost_pnl",
    "residual_pnl",
];

/// The member names of every object at `depth` (1 = the top level) of a JSON
/// text, in the order written — a small reader of its own, because serde_json's
/// `Value` sorts members by name.
fn member_names(json: &str, depth: usize) -> Vec<String> {
    let mut names = Vec::new();
    let (mut level, mut in_string, mut escaped) = (0usize, false, false);
    let mut current = String::new();
    let mut last_string = None;
    for c in json.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => {
                    in_string = false;
                    last_string = Some(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
            current.push(c);
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => level += 1,
            '}' | ']' => level -= 1,
            ':' if level == depth => names.extend(last_string.take()),
            _ => last_string = None,
        }
    }
    names
}

#[test]
fn summary_json_is_complete_and_exact() {
    let s = Scenario::parse("v=1&paths=500&steps=30&cost=0.002&rule=every&every=2").expect("valid");
    let summary = ScenarioSummary::run(&Plan::new(&s));
    let text = report::summary_json(&summary);
    let json: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(json["scenario"], s.to_query());
    assert_eq!(json["paths"], 500);
    let number = |path: &[&str]| {
        let mut v = &json;
        for key in path {
            v = &v[*key];
        }
        v.as_f64().unwrap_or_else(|| panic!("{path:?} is a number"))
    };
    assert_eq!(number(&["premium"]), summary.premium);
    assert!(summary.premium > 0.0);
    let p = &summary.run.pnl;
    for (key, value) in [
        ("mean", p.mean),
        ("sd", p.sd),
        ("p5", p.p5),
        ("p50", p.p50),
        ("p95", p.p95),
        ("var95", p.var95),
        ("es95", p.es95),
    ] {
        assert_eq!(number(&["pnl", key]).to_bits(), value.to_bits(), "{key}");
    }
    assert_eq!(number(&["performance"]), summary.performance);
    assert_eq!(number(&["trades", "mean"]), summary.run.mean_trades);
    assert_eq!(number(&["costs", "mean"]), summary.run.mean_costs);
    // The defaults: short 100 calls, S = K = 100, T = 0.25, r = 2 %, σ = 20 %;
    // every 2 of 30 steps is N = 15 rehedges, Δt = T/15, round trip k = 2c.
    let expected = Benchmarks::of(-100.0, 0.2, 0.25, 15.0, 0.004);
    let dk = number(&["derman_kamal_sd"]);
    assert!((dk - expected.derman_kamal).abs() < 1e-12 * dk, "{dk}");
    let leland = number(&["leland_vol"]);
    assert!((leland - expected.leland).abs() < 1e-14, "{leland}");
    let counts = json["histogram"]["counts"].as_array().expect("counts");
    assert_eq!(counts.iter().filter_map(Value::as_u64).sum::<u64>(), 500);
    // Not applicable → null.
    let banded = ScenarioSummary::run(&Plan::new(
        &Scenario::parse("v=1&paths=50&rule=band&cost=0").expect("valid"),
    ));
    let json: Value = serde_json::from_str(&report::summary_json(&banded)).expect("valid JSON");
    assert!(json["derman_kamal_sd"].is_null() && json["leland_vol"].is_null());
}

#[test]
fn json_numbers_and_strings() {
    assert_eq!(report::to_json(&f64::NAN), "null");
    assert_eq!(report::to_json(&1.0), "1.0");
    assert_eq!(report::to_json(&1e-7), "1e-7");
    let s: Value = serde_json::from_str(&report::to_json("a\"b\\c\n<")).expect("valid");
    assert_eq!(s, "a\"b\\c\n<");
}

#[test]
fn compare_and_frontier_json_and_csv() {
    let s = Scenario::parse("v=1&paths=200&steps=20").expect("valid");
    let plan = Plan::new(&s);
    let c = compare(&plan);
    let json: Value = serde_json::from_str(&report::comparison_json(&c)).expect("valid");
    assert_eq!(json["strategies"].as_array().map(Vec::len), Some(3));
    assert_eq!(report::comparison_csv(&c).lines().count(), 4);
    let f = frontier(&plan);
    let json: Value = serde_json::from_str(&report::frontier_json(&f)).expect("valid");
    assert_eq!(
        json["points"].as_array().map(Vec::len),
        Some(f.points.len())
    );
    assert_eq!(report::frontier_csv(&f).lines().count(), f.points.len() + 1);
}

#[test]
fn ledger_csv_has_a_row_per_date() {
    let s = Scenario::parse("v=1&paths=3&steps=25").expect("valid");
    let (_, rows, _) = Engine::for_plan(&Plan::new(&s)).ledger(0, 2);
    let csv = report::ledger_csv(&rows);
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    assert_eq!(header, LEDGER_COLUMNS.join(","));
    let body: Vec<&str> = lines.collect();
    assert_eq!(body.len(), 26);
    assert!(body
        .iter()
        .all(|l| l.split(',').count() == LEDGER_COLUMNS.len()));
    // The JSON ledger has the same members in the same order, row after row.
    let json = report::ledger_json(&rows);
    let names = member_names(&json, 2);
    assert_eq!(names.len(), 26 * LEDGER_COLUMNS.len());
    for row in names.chunks(LEDGER_COLUMNS.len()) {
        assert_eq!(row, LEDGER_COLUMNS);
    }
    let parsed: Vec<Value> = serde_json::from_str(&json).expect("valid JSON");
    for (value, row) in parsed.iter().zip(&rows) {
        assert_eq!(value["residual_pnl"].as_f64(), Some(row.residual_pnl));
        assert_eq!(value["step"].as_u64(), Some(row.step as u64));
    }
}

/// Magnitudes where serde_json's and the csv crate's own float formatting and
/// Rust's `{:?}` / `Display` choose different notations (`0.00005` vs `5e-5`,
/// `1e+16` vs `1e16`, `1e16` vs `10000000000000000`, `1.0` vs `1`), and signed zero.
const AWKWARD: [f64; 12] = [
    5e-5,
    1e-7,
    1e15,
    1e16,
    1e17,
    1.2345678901234568e17,
    1e22,
    f64::MIN_POSITIVE,
    f64::MAX,
    -0.0,
    1.0,
    0.1 + 0.2,
];

#[test]
fn json_numbers_are_rusts_debug_and_read_back_exactly() {
    for x in AWKWARD {
        let text = report::to_json(&x);
        assert_eq!(text, format!("{x:?}"));
        let back: f64 = serde_json::from_str(&text).expect("a JSON number");
        assert_eq!(back.to_bits(), x.to_bits(), "{text}");
    }
    for x in [f64::INFINITY, f64::NEG_INFINITY, -f64::NAN] {
        assert_eq!(report::to_json(&x), "null");
    }
    assert_eq!(
        report::to_json("tab\tnew\nline\u{1}"),
        r#""tab\u0009new\u000aline\u0001""#
    );
}

#[test]
fn csv_cells_are_display_of_the_numbers() {
    let rows: Vec<LedgerRow> = AWKWARD
        .iter()
        .chain(&[f64::NAN, f64::INFINITY, -123.25])
        .enumerate()
        .map(|(step, &x)| LedgerRow {
            step,
            time: x,
            residual_pnl: -x,
            ..LedgerRow::default()
        })
        .collect();
    let csv = report::ledger_csv(&rows);
    let body: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(body.len(), rows.len());
    for (line, row) in body.iter().zip(&rows) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], row.step.to_string());
        assert_eq!(cells[1], format!("{}", row.time), "{line}");
        assert_eq!(cells[2], "0");
        assert_eq!(cells[20], format!("{}", row.residual_pnl), "{line}");
    }
    assert!(csv.ends_with('\n') && !csv.contains('\r'));
    assert_eq!(report::ledger_csv(&[]), "");
}

#[test]
fn members_and_columns_in_the_documented_order() {
    let plan =
        Plan::new(&Scenario::parse("v=1&paths=120&steps=10&rule=band&band=0.05").expect("valid"));
    let summary = report::summary_json(&ScenarioSummary::run(&plan));
    assert_eq!(
        member_names(&summary, 1),
        [
            "scenario",
            "premium",
            "paths",
            "pnl",
            "performance",
            "trades",
            "costs",
            "greeks",
            "derman_kamal_sd",
            "leland_vol",
            "histogram"
        ]
    );
    assert_eq!(
        member_names(&summary, 2),
        [
            "mean", "sd", "p5", "p50", "p95", "var95", "es95", "min", "max",  // pnl
            "mean", // trades
            "mean", // costs
            "value", "delta", "gamma", "vega", "theta", "rho", // greeks
            "start", "width", "counts" // histogram
        ]
    );
    let c = compare(&plan);
    let comparison = report::comparison_json(&c);
    assert_eq!(
        member_names(&comparison, 1),
        ["scenario", "premium", "strategies"]
    );
    let strategy = ["rule", "pnl", "performance", "trades", "costs"];
    assert_eq!(member_names(&comparison, 3), strategy.repeat(3));
    assert_eq!(
        report::comparison_csv(&c).lines().next(),
        Some("rule,mean,sd,p5,p50,p95,var95,es95,performance,mean_trades,mean_costs")
    );
    let f = frontier(&plan);
    let text = report::frontier_json(&f);
    assert_eq!(
        member_names(&text, 1),
        ["scenario", "parameter", "current", "points"]
    );
    let point = ["value", "mean_costs", "sd_pnl", "mean_pnl", "mean_trades"];
    assert_eq!(member_names(&text, 3), point.repeat(f.points.len()));
    let csv = report::frontier_csv(&f);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("band,mean_costs,sd_pnl,mean_pnl,mean_trades,current")
    );
    // One row flagged current: the scenario's own band.
    let current: Vec<&str> = lines.filter(|l| l.ends_with(",1")).collect();
    assert_eq!(current.len(), 1);
    assert!(current[0].starts_with("0.05,"), "{}", current[0]);
}

/// The summary's closed-form benchmarks for `quantity` at-the-money calls
/// (S = K = 100, r = 2 %, q = 0, realised = hedging vol `vol`), written out
/// from the formulas of Derman–Kamal (1999) and Leland (1985).
struct Benchmarks {
    derman_kamal: f64,
    leland: f64,
}

impl Benchmarks {
    fn of(quantity: f64, vol: f64, t: f64, rehedges: f64, round_trip: f64) -> Benchmarks {
        // Vega per 1.00 of vol: S·n(d1)·√T (q = 0), n(x) = e^{−x²/2}/√(2π).
        let d1 = (0.02 + 0.5 * vol * vol) * t / (vol * t.sqrt());
        let density = (-0.5 * d1 * d1).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let vega = quantity.abs() * 100.0 * density * t.sqrt();
        let derman_kamal = (std::f64::consts::PI / 4.0).sqrt() * vega * vol / rehedges.sqrt();
        let dt = t / rehedges;
        let leland_number = (2.0 / std::f64::consts::PI).sqrt() * round_trip / (vol * dt.sqrt());
        let sign = if quantity < 0.0 { 1.0 } else { -1.0 };
        Benchmarks {
            derman_kamal,
            leland: vol * (1.0 + sign * leland_number).sqrt(),
        }
    }
}

#[test]
fn summary_benchmarks_follow_derman_kamal_and_leland() {
    // `every` sets the number of rehedges N = steps/every (and Leland's Δt =
    // T/N); the side sets Leland's sign (a short hedger prices with more vol).
    for (side, every, quantity) in [
        ("short", 3, -100.0f64),
        ("long", 5, 250.0),
        ("short", 1, -40.0),
    ] {
        let query = format!(
            "v=1&paths=20&steps=30&t=0.5&vol=0.25&cost=0.002&rule=every&every={every}&side={side}&qty={}",
            quantity.abs()
        );
        let s = Scenario::parse(&query).expect("valid");
        let summary = ScenarioSummary::run(&Plan::new(&s));
        let expected = Benchmarks::of(quantity, 0.25, 0.5, 30.0 / every as f64, 0.004);
        let dk = summary
            .derman_kamal_sd
            .expect("Derman–Kamal for rule=every");
        assert!(
            (dk - expected.derman_kamal).abs() < 1e-12 * dk,
            "{query}: Derman–Kamal {dk} vs {}",
            expected.derman_kamal
        );
        let leland = summary.leland_vol.expect("Leland with costs");
        assert!(
            (leland - expected.leland).abs() < 1e-14,
            "{query}: Leland {leland} vs {}",
            expected.leland
        );
    }
}

#[test]
fn performance_and_leland_at_their_edges() {
    // Hull's performance measure: SD over the premium; a worthless position
    // (premium 0) has none to measure against, and reports 0, not ∞.
    assert_eq!(performance(3.0, 6.0), 0.5);
    assert_eq!(performance(3.0, 0.0), 0.0);
    // Leland with no vol or no interval leaves the vol as it is (the formula
    // would divide by zero).
    assert_eq!(leland_vol(0.0, 0.004, 0.01, true), 0.0);
    assert_eq!(leland_vol(0.2, 0.004, 0.0, true), 0.2);
    // Costs larger than the whole vol: a long hedger's adjusted variance
    // would be negative, and the vol is 0.
    assert_eq!(leland_vol(0.01, 1.0, 0.01, false), 0.0);
}

#[test]
fn an_insured_summary_counts_from_the_portfolios_start() {
    // An insured run's P&L is its value at the horizon less V₀ = n·S₀; the
    // summary's mean horizon value adds V₀ back: 100 × 100 here.
    for insure in ["synthetic", "cppi&mult=5", "put"] {
        let query = format!("v=1&insure={insure}&paths=300&jumps=2&jmean=-0.1&jsd=0.05");
        let plan = Plan::new(&Scenario::parse(&query).expect("valid"));
        let summary = ScenarioSummary::run(&plan);
        let insured = summary.insurance.as_ref().expect("an insured summary");
        let start = 100.0 * 100.0;
        assert!(
            (insured.mean_terminal - (summary.run.pnl.mean + start)).abs() < 1e-9 * start,
            "{insure}: mean V_T {} vs mean P&L {} + V₀ {start}",
            insured.mean_terminal,
            summary.run.pnl.mean
        );
        assert_eq!(
            insured.upside,
            Some(insured.mean_terminal / insured.unprotected_mean_terminal)
        );
        // The floor in money: 90 % (the default) of V₀. No closed-form
        // benchmark applies to a portfolio; it trades more than shares.
        assert_eq!(insured.floor, 0.9 * start);
        assert_eq!((summary.derman_kamal_sd, summary.leland_vol), (None, None));
        assert!(summary.hedges_options);
    }
}

#[test]
fn benchmarks_apply_to_share_hedges_on_a_schedule_with_costs_only() {
    let summary =
        |query: &str| ScenarioSummary::run(&Plan::new(&Scenario::parse(query).expect("valid")));
    let shares = summary("v=1&paths=20&cost=0.002");
    assert!(
        shares.derman_kamal_sd.is_some() && shares.leland_vol.is_some() && !shares.hedges_options
    );
    // Leland needs a cost; hedging with options leaves both closed forms.
    assert_eq!(summary("v=1&paths=20&cost=0").leland_vol, None);
    let gamma = summary("v=1&paths=20&cost=0.002&greeks=delta-gamma&with=c105@0.5");
    assert_eq!((gamma.derman_kamal_sd, gamma.leland_vol), (None, None));
    assert!(gamma.hedges_options);
    assert!(
        compare(&Plan::new(
            &Scenario::parse("v=1&paths=20&greeks=delta-gamma&with=c105@0.5").expect("valid")
        ))
        .hedges_options
    );
    assert!(
        compare(&Plan::new(
            &Scenario::parse("v=1&paths=20&insure=cppi").expect("valid")
        ))
        .hedges_options
    );
    assert!(!compare(&Plan::new(&Scenario::parse("v=1&paths=20").expect("valid"))).hedges_options);
}

#[test]
fn a_comparison_keeps_the_rows_asked_for_in_their_order() {
    let comparison = compare(&Plan::new(&Scenario::parse("v=1&paths=20").expect("valid")));
    let names: Vec<&str> = comparison
        .rows
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    let picked = comparison.with_rows(&[2, 0, 9]);
    let picked_names: Vec<&str> = picked.rows.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(picked_names, [names[2], names[0]]);
    assert_eq!(picked.rows[0].1.pnl.sd, comparison.rows[2].1.pnl.sd);
}

#[test]
fn summary_greeks_are_the_positions_by_finite_differences() {
    // Short 100 calls and long 70 puts, with r, q and a hedging vol off the
    // defaults. Each Greek of the position is checked against a central
    // difference of the closed-form value, within 1e-6 of the Greek's scale
    // (the steps keep truncation and rounding far below that, see each line).
    for (book, kind, quantity) in [
        ("type=call&side=short&qty=100", OptionKind::Call, -100.0f64),
        ("type=put&side=long&qty=70&k=95", OptionKind::Put, 70.0),
    ] {
        let query = format!("v=1&paths=10&steps=10&t=0.75&r=0.04&q=0.025&vol=0.3&hvol=0.27&{book}");
        let s = Scenario::parse(&query).expect("valid");
        let summary = ScenarioSummary::run(&Plan::new(&s));
        let g = summary.greeks;
        let value = |spot: f64, tau: f64, r: f64, vol: f64| {
            quantity * common::closed_form_value(kind, spot, s.strike, tau, r, 0.025, vol)
        };
        let (spot, tau, r, vol) = (100.0, 0.75, 0.04, 0.27);
        let v0 = value(spot, tau, r, vol);
        let close = |name: &str, got: f64, want: f64, scale: f64| {
            assert!(
                (got - want).abs() <= 1e-6 * scale,
                "{book} {name}: {got} vs {want}"
            );
        };
        close("value", g.price, v0, v0.abs());
        // The premium is the position's value, positive.
        close("premium", summary.premium, v0.abs(), v0.abs());
        // ∂V/∂S, step 0.01: truncation h²/6·|V'''| is about 1e-9 per option.
        let h = 0.01;
        let delta = (value(spot + h, tau, r, vol) - value(spot - h, tau, r, vol)) / (2.0 * h);
        close("delta", g.delta, delta, quantity.abs());
        // ∂²V/∂S², step 0.01: rounding ε·V/h² is about 1e-10 per option.
        let gamma =
            (value(spot + h, tau, r, vol) - 2.0 * v0 + value(spot - h, tau, r, vol)) / (h * h);
        close("gamma", g.gamma, gamma, quantity.abs() * 0.01);
        // ∂V/∂σ per 1.00 of vol, step 1e-4.
        let k = 1e-4;
        let vega = (value(spot, tau, r, vol + k) - value(spot, tau, r, vol - k)) / (2.0 * k);
        close("vega", g.vega, vega, quantity.abs() * 30.0);
        // θ = ∂V/∂t = −∂V/∂τ, per year.
        let theta = -(value(spot, tau + k, r, vol) - value(spot, tau - k, r, vol)) / (2.0 * k);
        close("theta", g.theta, theta, quantity.abs() * 10.0);
        // ρ = ∂V/∂r per 1.00 of rate.
        let rho = (value(spot, tau, r + k, vol) - value(spot, tau, r - k, vol)) / (2.0 * k);
        close("rho", g.rho, rho, quantity.abs() * 50.0);
        // The signs a reader checks at a glance: short calls and long puts both
        // have negative delta; gamma has the side's sign.
        assert!(g.delta < 0.0, "{book}: delta {}", g.delta);
        assert_eq!(g.gamma > 0.0, quantity > 0.0, "{book}: gamma {}", g.gamma);
        // And the JSON carries them as they are.
        let json: Value =
            serde_json::from_str(&report::summary_json(&summary)).expect("valid JSON");
        assert_eq!(json["greeks"]["delta"].as_f64(), Some(g.delta));
        assert_eq!(json["greeks"]["value"].as_f64(), Some(g.price));
    }
}

/// A path's JSON: the link, the index and the outcome's numbers, in the
/// documented order, with the option trades only when the plan hedges with
/// options.
#[test]
fn path_json_has_the_outcome_in_the_documented_order() {
    for (link, options) in [
        ("v=1&paths=4&steps=12", false),
        (
            "v=1&paths=4&steps=12&greeks=delta-gamma&with=c105@0.5",
            true,
        ),
    ] {
        let plan = Plan::new(&Scenario::parse(link).expect("valid"));
        let (_, _, outcome) = Engine::for_plan(&plan).ledger(0, 3);
        let json = report::path_json(&plan, 3, &outcome);
        let mut expected = vec!["scenario", "index", "pnl", "trades", "costs"];
        if options {
            expected.extend(["option_trades", "option_costs"]);
        }
        assert_eq!(member_names(&json, 1), expected, "{json}");
        let value: Value = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(value["scenario"].as_str(), Some(plan.query.as_str()));
        assert_eq!(value["index"].as_u64(), Some(3));
        assert_eq!(value["pnl"].as_f64(), Some(outcome.pnl));
        assert_eq!(value["trades"].as_u64(), Some(u64::from(outcome.trades)));
        assert_eq!(value["costs"].as_f64(), Some(outcome.costs));
        if options {
            assert!(outcome.option_trades > 0, "the hedge trades options");
            assert_eq!(
                value["option_trades"].as_u64(),
                Some(u64::from(outcome.option_trades))
            );
            assert_eq!(value["option_costs"].as_f64(), Some(outcome.option_costs));
        }
    }
}

/// An insured portfolio's ledger: the documented columns, a line per date,
/// each cell `Display` of its row's number.
#[test]
fn insurance_ledger_csv_has_the_documented_columns() {
    let plan =
        Plan::new(&Scenario::parse("v=1&paths=4&steps=10&insure=cppi&mult=5").expect("valid"));
    let rows = Engine::for_plan(&plan).insurance_ledger(0, 1);
    assert_eq!(rows.len(), 11, "a row per date");
    let csv = report::insurance_ledger_csv(&rows);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("step,time,spot,shares,puts,trade,cost,cash,value,floor")
    );
    let body: Vec<&str> = lines.collect();
    assert_eq!(body.len(), rows.len());
    for (line, row) in body.iter().zip(&rows) {
        let cells = [
            row.time, row.spot, row.shares, row.puts, row.trade, row.cost, row.cash, row.value,
            row.floor,
        ]
        .map(|x| x.to_string());
        assert_eq!(*line, format!("{},{}", row.step, cells.join(",")));
    }
    assert_eq!(report::insurance_ledger_csv(&[]), "");
}

/// `f32` goes through the same formatter as `f64`: Rust's `{:?}`.
#[test]
fn json_f32_is_rusts_debug() {
    for x in [5e-5_f32, 1e16, 0.1, -0.0] {
        assert_eq!(report::to_json(&x), format!("{x:?}"));
    }
}
