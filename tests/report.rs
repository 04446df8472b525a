//! JSON and CSV output: well-formed, complete, and exact (numbers read back to
//! the same bits).

use hedge_explorer::analysis::{compare, frontier, ScenarioSummary};
use hedge_explorer::montecarlo::Engine;
use hedge_explorer::report;
use hedge_explorer::Scenario;
use serde_json::Value;

#[test]
fn summary_json_is_complete_and_exact() {
    let s = Scenario::parse("v=1&paths=500&steps=30&cost=0.002&rule=every&every=2").expect("valid");
    let summary = ScenarioSummary::run(&s);
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
    assert!(json["derman_kamal_sd"].is_number());
    assert!(json["leland_vol"].as_f64().expect("leland") > 0.2);
    let counts = json["histogram"]["counts"].as_array().expect("counts");
    assert_eq!(counts.iter().filter_map(Value::as_u64).sum::<u64>(), 500);
    // Not applicable → null.
    let banded =
        ScenarioSummary::run(&Scenario::parse("v=1&paths=50&rule=band&cost=0").expect("valid"));
    let json: Value = serde_json::from_str(&report::summary_json(&banded)).expect("valid JSON");
    assert!(json["derman_kamal_sd"].is_null() && json["leland_vol"].is_null());
}

#[test]
fn json_numbers_and_strings() {
    assert_eq!(report::json_number(f64::NAN), "null");
    assert_eq!(report::json_number(1.0), "1.0");
    assert_eq!(report::json_number(1e-7), "1e-7");
    let s: Value = serde_json::from_str(&report::json_string("a\"b\\c\n<")).expect("valid");
    assert_eq!(s, "a\"b\\c\n<");
}

#[test]
fn compare_and_frontier_json_and_csv() {
    let s = Scenario::parse("v=1&paths=200&steps=20").expect("valid");
    let c = compare(&s);
    let json: Value = serde_json::from_str(&report::comparison_json(&c)).expect("valid");
    assert_eq!(json["strategies"].as_array().map(Vec::len), Some(3));
    assert_eq!(report::comparison_csv(&c).lines().count(), 4);
    let f = frontier(&s);
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
    let (_, rows, _) = Engine::for_scenario(&s).ledger(0, 2);
    let csv = report::ledger_csv(&rows);
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    assert_eq!(header, report::LEDGER_COLUMNS);
    let columns = header.split(',').count();
    let body: Vec<&str> = lines.collect();
    assert_eq!(body.len(), 26);
    assert!(body.iter().all(|l| l.split(',').count() == columns));
}
