//! The command-line tool end to end: output formats, exit codes, messages.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_hedge-explorer"))
        .args(args)
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!("could not start the CLI: {e}"),
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn summary_prints_the_documented_json() {
    let out = run(&["summary", "v=1&paths=300&steps=20&vol=0.25&seed=4"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(json["scenario"], "v=1&vol=0.25&steps=20&paths=300&seed=4");
    assert_eq!(json["paths"], 300);
    assert!(json["premium"].as_f64().expect("premium") > 0.0);
    for key in ["mean", "sd", "p5", "p50", "p95", "var95", "es95"] {
        assert!(json["pnl"][key].is_number(), "pnl.{key}");
    }
    assert!(json["performance"].is_number());
    assert!(json["trades"]["mean"].is_number());
    assert!(json["costs"]["mean"].is_number());
    // The same link in another order prints the same bytes.
    let again = run(&["summary", "?seed=4&steps=20&paths=300&vol=0.25"]);
    assert_eq!(stdout(&again), text);
}

#[test]
fn a_bad_query_exits_2_names_the_field_and_prints_nothing() {
    for (query, field) in [
        ("vol=-1", "vol"),
        ("k=0", "k"),
        ("paths=abc", "paths"),
        ("colour=red", "colour"),
        ("paths=100000&steps=10000", "paths"),
    ] {
        let out = run(&["summary", query]);
        assert_eq!(out.status.code(), Some(2), "{query}");
        assert!(out.stdout.is_empty(), "{query}: nothing on stdout");
        let message = stderr(&out);
        assert!(message.contains(field), "{query}: {message}");
    }
    let out = run(&["summary"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let out = run(&["frobnicate", "v=1"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["path", "v=1&paths=5", "--index", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--index"));
}

#[test]
fn path_csv_is_the_ledger() {
    let out = run(&[
        "path",
        "v=1&paths=10&steps=12&rule=band&band=0.1",
        "--index",
        "3",
        "--csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("step,time,spot,target,held,trade,cost,cash"));
    assert_eq!(lines.len(), 1 + 13);
    let out = run(&["path", "v=1&paths=10&steps=12", "--index", "3"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(json["index"], 3);
}

#[test]
fn compare_and_frontier_print_json_and_csv() {
    let out = run(&["compare", "v=1&paths=200&steps=20"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let rules: Vec<&str> = json["strategies"]
        .as_array()
        .expect("strategies")
        .iter()
        .filter_map(|s| s["rule"].as_str())
        .collect();
    assert_eq!(rules, ["none", "static", "every 1"]);
    let out = run(&["compare", "v=1&paths=200&steps=20", "--csv"]);
    assert_eq!(stdout(&out).lines().count(), 4);
    let out = run(&["frontier", "v=1&paths=200&steps=20&rule=band", "--csv"]);
    assert!(stdout(&out).starts_with("band,mean_costs,sd_pnl"));
    let out = run(&["frontier", "v=1&paths=200&steps=20"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(json["parameter"], "every");
}

#[test]
fn render_writes_svg_and_png_files() {
    let dir = std::env::temp_dir().join(format!("hedge-explorer-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let svg = dir.join("histogram.svg");
    let out = run(&[
        "render",
        "v=1&paths=300&steps=20",
        "--chart",
        "histogram",
        "-o",
        svg.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&svg).expect("svg written");
    assert!(text.starts_with("<svg") && text.contains("<rect"));
    let png = dir.join("spot.png");
    let out = run(&[
        "render",
        "v=1&paths=3&steps=20",
        "--chart",
        "spot",
        "-o",
        png.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&png).expect("png written");
    assert_eq!(&bytes[1..4], b"PNG");
    let out = run(&[
        "render",
        "v=1",
        "--chart",
        "nope",
        "-o",
        svg.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
