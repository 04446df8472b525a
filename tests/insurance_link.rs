//! Portfolio insurance through the link, the plan and the engine: the keys and
//! their errors, the comparison's four protections on the same paths, the
//! summary's `insurance` member against a count over the paths made
//! independently of the engine, and the floor rule of CPPI on Black Monday.

use hedge_explorer::engine::montecarlo::Engine;
use hedge_explorer::insurance::{InsuranceKind, Insurer};
use hedge_explorer::paths::{PathBuffer, PathSource};
use hedge_explorer::plan::Plan;
use hedge_explorer::results::analysis::{compare, ScenarioSummary};
use hedge_explorer::results::report::summary_json;
use hedge_explorer::Scenario;

fn plan(query: &str) -> Plan {
    Plan::new(&Scenario::parse(query).unwrap_or_else(|e| panic!("{query}: {e}")))
}

#[test]
fn insurance_keys_round_trip_and_grey_out_the_option_keys() {
    for query in [
        "v=1&insure=put",
        "v=1&rule=band&band=0.1&insure=synthetic&floor=0.95",
        "v=1&insure=cppi&floor=0.8&mult=5&cap=1.5",
    ] {
        let s = Scenario::parse(query).expect(query);
        assert_eq!(s.to_query(), query);
        let superseded = s.superseded_keys();
        for key in ["type", "side", "k", "legs", "greeks", "with", "settle"] {
            assert!(superseded.contains(&key), "{query}: {key}");
        }
        assert_eq!(
            superseded.contains(&"mult"),
            s.insure != InsuranceKind::Cppi,
            "{query}"
        );
    }
    assert!(Scenario::default().superseded_keys().contains(&"floor"));
}

#[test]
fn an_unaffordable_floor_names_floor() {
    let e = Scenario::parse("v=1&insure=put&floor=1.2").expect_err("a floor above V0·e^{rt}");
    assert_eq!(e.field, "floor");
    assert!(e.message.contains("lower the floor"), "{e}");
    let e = Scenario::parse("v=1&insure=straddle").expect_err("not a protection");
    assert_eq!(e.field, "insure");
    assert!(e.message.contains("put, synthetic, cppi"), "{e}");
    let (s, errors) = Scenario::parse_lenient("v=1&insure=synthetic&floor=1.5");
    assert_eq!(errors[0].field, "floor");
    assert!(s.validate().is_ok());
}

#[test]
fn the_summary_counts_breaches_and_upside_as_the_paths_do() {
    let query = "v=1&insure=synthetic&paths=400&steps=21&jumps=2&jmean=-0.15&jsd=0.05&cost=0.001";
    let p = plan(query);
    let summary = ScenarioSummary::run(&p);
    let insurance = summary.insurance.expect("an insurance member");
    // Independently: each path filled and insured outside the engine.
    let setup = |kind| {
        p.insurance_setup(kind, p.rule, p.grid.clone(), p.model.vol)
            .expect("an insured plan")
    };
    let own = Insurer::new(setup(InsuranceKind::SyntheticPut)).expect("affordable");
    let bare = Insurer::new(setup(InsuranceKind::Unprotected)).expect("valid");
    let floor = 0.9 * 100.0 * 100.0;
    let mut path = PathBuffer::new(p.grid.steps);
    let (mut breaches, mut below, mut sum, mut bare_sum) = (0usize, 0.0, 0.0, 0.0);
    for i in 0..p.paths {
        p.path_model.fill(i, &mut path);
        let terminal = own.run(&path).terminal;
        if terminal < floor * (1.0 - 1e-9) {
            breaches += 1;
            below += floor - terminal;
        }
        sum += terminal;
        bare_sum += bare.run(&path).terminal;
    }
    assert_eq!(insurance.floor, floor);
    assert_eq!(insurance.breach, breaches as f64 / 400.0);
    assert!(
        breaches > 0,
        "jumps of −15% break a daily synthetic put's floor"
    );
    let shortfall = insurance.shortfall.expect("some breaches");
    assert!((shortfall - below / breaches as f64).abs() < 1e-9 * floor);
    assert!(
        (insurance
            .upside
            .expect("an unprotected portfolio worth something")
            - sum / bare_sum)
            .abs()
            < 1e-12
    );
    // And the JSON carries the four members the README names.
    let json: serde_json::Value = serde_json::from_str(&summary_json(&summary)).expect("JSON");
    let member = &json["insurance"];
    for key in ["floor", "breach", "shortfall", "upside"] {
        assert!(member.get(key).is_some(), "{key} in {member}");
    }
}

#[test]
fn the_comparison_runs_the_four_protections_and_only_the_bought_put_holds_through_jumps() {
    let p = plan("v=1&insure=cppi&paths=300&steps=21&jumps=3&jmean=-0.3&jsd=0.05");
    let comparison = compare(&p);
    let names: Vec<&str> = comparison.rows.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["none", "put", "synthetic, every 1", "cppi, every 1"]
    );
    assert_eq!(p.own_row(), 3);
    let floor_pnl = 0.9 * 10_000.0 - 10_000.0;
    let worst = |row: usize| comparison.rows[row].1.pnl.min;
    // The bought put's value at the horizon is never below its floor.
    assert!(worst(1) >= floor_pnl - 1e-6, "{}", worst(1));
    // Jumps of −30% take the dynamic ones through it.
    assert!(worst(2) < floor_pnl, "synthetic {}", worst(2));
    assert!(worst(3) < floor_pnl, "cppi {}", worst(3));
}

#[test]
fn cppi_on_black_monday_breaks_its_floor_with_multiplier_5_not_4() {
    // 1987-10-19: the S&P 500 fell 20.47 %, more than 1/5 and less than 1/4.
    // With daily rebalancing, no costs and no interest, CPPI breaks its floor
    // exactly when one step's drop exceeds 1/m.
    let base = "v=1&insure=cppi&hist=sp500&from=1987-10-09&t=0.1&r=0&cost=0&hvol=0.2";
    let breach = |m: f64| {
        let p = plan(&format!("{base}&mult={m}"));
        ScenarioSummary::run(&p).insurance.expect("insured").breach
    };
    assert_eq!(breach(5.0), 1.0);
    assert_eq!(breach(4.0), 0.0);
    // The day itself: the window's closes.
    let p = plan(&format!("{base}&mult=5"));
    let mut path = PathBuffer::new(p.path_model.grid().steps);
    p.path_model.fill(0, &mut path);
    let worst = path
        .spot
        .windows(2)
        .map(|w| 1.0 - w[1] / w[0])
        .fold(0.0, f64::max);
    assert!(worst > 0.2 && worst < 0.25, "{worst}");
}

#[test]
fn an_insured_paths_ledger_holds_its_accounts_date_by_date() {
    // A bought put and CPPI over the S&P 500 from 1987-10-09, as the page's
    // ledger and the CLI's path show them: every close's row, dated, in the
    // hedge ledger's columns (the shares as the position, the puts as the
    // book; CPPI holds cash and no puts).
    for how in ["put", "cppi"] {
        let p = plan(&format!(
            "v=1&insure={how}&hist=sp500&from=1987-10-09&t=0.1&qty=100"
        ));
        let engine = Engine::for_plan(&p);
        let rows = engine.insurance_ledger(0, 0);
        let (spot, ledger, outcome) = engine.ledger(0, 0);
        assert_eq!(rows.len(), p.grid.steps + 1, "a row per close");
        assert_eq!(ledger.len(), rows.len());
        assert_eq!(
            rows[0].date.map(|d| d.to_string()).as_deref(),
            Some("1987-10-09")
        );
        assert!(
            rows.windows(2).all(|w| w[0].date < w[1].date),
            "dates in order"
        );
        // The bought put holds shares and puts alone; CPPI moves into cash.
        let holds_cash = rows.iter().any(|row| row.cash.abs() > 1.0);
        assert_eq!(holds_cash, how == "cppi", "{how}");
        let start = 100.0 * spot[0]; // qty × S₀
        for (i, (row, line)) in rows.iter().zip(&ledger).enumerate() {
            assert_eq!((row.step, line.step), (i, i));
            assert_eq!((row.spot, line.spot), (spot[i], spot[i]));
            assert_eq!(line.date, row.date);
            assert_eq!(line.time, row.time);
            assert_eq!(
                [line.target, line.held, line.position_delta],
                [row.shares; 3]
            );
            assert_eq!(
                [line.trade, line.cost, line.cash],
                [row.trade, row.cost, row.cash]
            );
            // The accounts add up: the shares at the close, the cash and the
            // puts, which are the book (none under CPPI).
            let total = line.book_value + row.shares * row.spot + row.cash;
            assert!(
                (total - row.value).abs() <= 1e-9 * row.value,
                "{how} row {i}"
            );
            if row.puts == 0.0 {
                assert!(line.book_value.abs() <= 1e-9 * row.value, "{how} row {i}");
            } else {
                assert!(
                    line.book_value > 0.0,
                    "{how} row {i}: the puts are worth something"
                );
            }
            assert!(
                (line.pnl - (row.value - start)).abs() <= 1e-9 * start,
                "{how} row {i}"
            );
        }
        // The path's outcome is the Monte Carlo's on the same path.
        assert_eq!(outcome, engine.run(1, 1).by_hedger[0][0], "{how}");
    }
}
