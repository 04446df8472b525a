//! The command-line tool end to end: output formats, exit codes, messages, and
//! the figures it prints against references written out here.

// Independent references may use the platform's math: only the engine must be
// bit-identical across targets.
#![allow(clippy::disallowed_methods)]

use std::process::{Command, Output};

use hedge_explorer::scenario::FIELDS;

fn run(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_hedge-explorer"))
        .args(args)
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!("could not start the CLI: {e}"),
    }
}

/// The CLI's output with `RAYON_NUM_THREADS` set to `threads`.
fn run_on_threads(args: &[&str], threads: usize) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_hedge-explorer"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads.to_string())
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

/// Black–Scholes value of one call (S, K, T, r, q = 0, σ), written out here
/// with N from erfc: the reference the CLI's premium is checked against.
fn call_value(spot: f64, strike: f64, t: f64, r: f64, vol: f64) -> f64 {
    let n = hedge_explorer::pricing::normal::cdf_erfc;
    let d1 = ((spot / strike).ln() + (r + 0.5 * vol * vol) * t) / (vol * t.sqrt());
    let d2 = d1 - vol * t.sqrt();
    spot * n(d1) - strike * (-r * t).exp() * n(d2)
}

/// The scenario the value checks run: short 100 at-the-money calls (the
/// defaults: S = K = 100, T = 0.25, r = 2 %), σ = 25 %, hedged at that vol
/// with no costs, and μ = r. Then the discounted share is a martingale, the
/// hedge's gains have mean zero whatever the rule, and the premium received is
/// the payoff's expectation: every strategy's mean P&L is exactly 0.
const FAIR: &str = "v=1&paths=1000&steps=20&vol=0.25&mu=0.02&cost=0&seed=4";

#[test]
fn summary_prints_the_documented_json() {
    let out = run(&["summary", FAIR]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        json["scenario"],
        "v=1&mu=0.02&vol=0.25&steps=20&cost=0&paths=1000&seed=4"
    );
    assert_eq!(json["paths"], 1000);
    let number = |path: &[&str]| {
        let mut v = &json;
        for key in path {
            v = &v[*key];
        }
        v.as_f64().unwrap_or_else(|| panic!("{path:?} is a number"))
    };
    // The premium: 100 × the closed-form call value (5.2245 each).
    let premium = number(&["premium"]);
    let expected = 100.0 * call_value(100.0, 100.0, 0.25, 0.02, 0.25);
    assert!(
        (premium - expected).abs() < 1e-9 * expected,
        "premium {premium} vs {expected}"
    );
    assert_eq!(number(&["greeks", "value"]), -premium);
    // The mean P&L within 4.5 standard errors of 0. Measured: −7.9 with SE 2.9
    // (−2.7 SE; with 20,000 paths on seeds 4 to 7 it is within 1 SE each).
    let (mean, sd) = (number(&["pnl", "mean"]), number(&["pnl", "sd"]));
    assert!(
        mean.abs() < 4.5 * sd / 1000f64.sqrt(),
        "mean {mean}, sd {sd}"
    );
    // Derman–Kamal's √(π/4)·vega·σ/√N for N = 20, from the closed-form vega;
    // the simulated SD within 15 % of it (the formula is the first term of
    // an expansion in 1/N; measured 5.6 % below at N = 20).
    let d1: f64 = (0.02 + 0.5 * 0.25 * 0.25) * 0.25 / (0.25 * 0.5);
    let vega = 100.0 * 100.0 * (-0.5 * d1 * d1).exp() / (2.0 * std::f64::consts::PI).sqrt() * 0.5;
    let dk = (std::f64::consts::PI / 4.0).sqrt() * vega * 0.25 / 20f64.sqrt();
    assert!((number(&["derman_kamal_sd"]) - dk).abs() < 1e-9 * dk);
    assert!((sd / dk - 1.0).abs() < 0.15, "sd {sd} vs Derman–Kamal {dk}");
    // The quantiles in order, VaR the negated 5th percentile, ES beyond it,
    // performance the SD over the premium; no costs were paid.
    let (p5, p50, p95) = (
        number(&["pnl", "p5"]),
        number(&["pnl", "p50"]),
        number(&["pnl", "p95"]),
    );
    assert!(
        number(&["pnl", "min"]) <= p5 && p5 <= p50 && p50 <= p95 && p95 <= number(&["pnl", "max"])
    );
    assert_eq!(number(&["pnl", "var95"]), -p5);
    assert!(number(&["pnl", "es95"]) >= -p5);
    assert_eq!(number(&["performance"]), sd / premium);
    assert_eq!(number(&["costs", "mean"]), 0.0);
    assert!(json["leland_vol"].is_null(), "no costs, no Leland");
    // The same link in another order prints the same bytes.
    let again = run(&[
        "summary",
        "?seed=4&cost=0&steps=20&mu=0.02&paths=1000&vol=0.25",
    ]);
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
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("--index"));
    // An option the command does not have, or a value that is not a number.
    for args in [
        &["summary", "v=1", "--csv"][..],
        &["path", "v=1", "--index", "two"],
        &["render", "v=1", "--chart", "spot"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(stderr(&out).starts_with("error:"), "{args:?}");
    }
}

#[test]
fn help_of_every_command_says_what_it_does_and_names_its_options() {
    let commands: [(&str, &[&str]); 7] = [
        ("summary", &[]),
        ("path", &["--index <I>", "--csv"]),
        ("compare", &["--csv"]),
        ("frontier", &["--csv"]),
        (
            "render",
            &[
                "--chart <NAME>",
                "-o, --output <FILE>",
                "--index <I>",
                "--width <W>",
                "--height <H>",
            ],
        ),
        ("charts", &[]),
        ("keys", &[]),
    ];
    let top = run(&["--help"]);
    assert!(top.status.success());
    for (command, options) in commands {
        assert!(stdout(&top).contains(command), "--help lists {command}");
        let out = run(&[command, "--help"]);
        assert!(out.status.success(), "{command} --help: {}", stderr(&out));
        assert!(out.stderr.is_empty());
        let text = stdout(&out);
        let about = text.lines().next().unwrap_or_default();
        assert!(
            about.split(' ').count() >= 6,
            "{command}: a sentence, not {about:?}"
        );
        assert!(text.contains(&format!("Usage: hedge-explorer {command}")));
        for option in options.iter().chain(&["-h, --help"]) {
            assert!(
                text.contains(option),
                "{command} --help names {option}:\n{text}"
            );
        }
        if !["charts", "keys"].contains(&command) {
            assert!(
                text.contains("<QUERY>") && text.contains("link query"),
                "{text}"
            );
        }
    }
    // `render --help` names every chart `charts` lists.
    let render = stdout(&run(&["render", "--help"]));
    for line in stdout(&run(&["charts"])).lines() {
        let name = line.split_whitespace().next().expect("a chart name");
        assert!(render.contains(&format!("- {name}:")), "{name}");
    }
}

#[test]
fn version_and_no_arguments() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        format!("hedge-explorer {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("Usage: hedge-explorer <COMMAND>"));
}

#[test]
fn the_same_bytes_on_one_thread_and_on_three() {
    for command in ["summary", "compare", "frontier"] {
        let args = [command, "v=1&paths=700&steps=16&cost=0.001&rule=band"];
        let one = run_on_threads(&args, 1);
        let three = run_on_threads(&args, 3);
        assert!(one.status.success() && three.status.success());
        assert!(!one.stdout.is_empty());
        assert_eq!(one.stdout, three.stdout, "{command}");
    }
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
    assert!(lines[0].starts_with("step,time,spot,variance,target,held,trade,cost,cash"));
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

#[test]
fn prices_from_a_file_go_into_the_link() {
    let dir = std::env::temp_dir().join(format!("hedge-explorer-prices-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let csv = "date,close\n2020-01-02,100\n2020-01-03,101.5\n2020-01-06,99.25\n2020-01-07,102\n";
    let file = dir.join("closes.csv");
    std::fs::write(&file, csv).expect("csv written");
    let file = file.to_str().expect("utf-8 path");
    // The file's prices are the link's px: the same summary as that link.
    let px = hedge_explorer::scenario::Prices::new(
        hedge_explorer::history::user_csv::parse_prices(csv).expect("a CSV"),
    )
    .expect("fits a link")
    .to_string();
    let with_link = run(&["summary", &format!("v=1&k=100&px={px}")]);
    assert!(with_link.status.success(), "{}", stderr(&with_link));
    let from_file = run(&["summary", "v=1&k=100", "--prices", file]);
    assert!(from_file.status.success(), "{}", stderr(&from_file));
    assert_eq!(stdout(&from_file), stdout(&with_link));
    assert!(stdout(&from_file).contains(&format!("px={px}")));
    // Prices given twice, a file that is not there, a bad line: each named.
    let twice = run(&["summary", &format!("v=1&px={px}"), "--prices", file]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        stderr(&twice).contains("give the prices once"),
        "{}",
        stderr(&twice)
    );
    let missing = dir.join("none.csv");
    let missing = run(&[
        "summary",
        "v=1",
        "--prices",
        missing.to_str().expect("utf-8"),
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("none.csv"),
        "{}",
        stderr(&missing)
    );
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "close\n100\nabc\n").expect("csv written");
    let bad = run(&["summary", "v=1", "--prices", bad.to_str().expect("utf-8")]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("line 3"), "{}", stderr(&bad));
    assert!(stdout(&bad).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn render_checks_the_folder_it_writes_to() {
    // A bare file name is written in the current folder; a missing folder is
    // named, and nothing is drawn.
    let dir = std::env::temp_dir().join(format!("hedge-explorer-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_hedge-explorer"))
        .args([
            "render",
            "v=1&paths=30&steps=10",
            "--chart",
            "spot",
            "-o",
            "here.svg",
        ])
        .current_dir(&dir)
        .output()
        .expect("the CLI starts");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(dir.join("here.svg")).is_ok_and(|t| t.starts_with("<svg")));
    let nowhere = dir.join("no-such-folder").join("x.svg");
    let out = run(&[
        "render",
        "v=1",
        "--chart",
        "spot",
        "-o",
        nowhere.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert!(!nowhere.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn keys_lists_every_key_with_its_default_and_range() {
    let out = run(&["keys"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    // One line per key, in canonical order, each naming its default and range.
    assert_eq!(lines.len(), FIELDS.len(), "{text}");
    assert!(
        lines[0].starts_with("s ") && lines[0].contains("default 100"),
        "{}",
        lines[0]
    );
    let vol = lines.iter().find(|l| l.starts_with("vol ")).expect("vol");
    assert!(
        vol.contains("default 0.2") && vol.contains("from 0 to 5"),
        "{vol}"
    );
    let hvol = lines.iter().find(|l| l.starts_with("hvol ")).expect("hvol");
    assert!(hvol.contains("default unset"), "{hvol}");
    let rule = lines.iter().find(|l| l.starts_with("rule ")).expect("rule");
    assert!(rule.contains("none, static, every, band, ww"), "{rule}");
    let legs = lines.iter().find(|l| l.starts_with("legs ")).expect("legs");
    assert!(
        legs.contains("default empty") && legs.contains("<signed quantity><c|p><strike>"),
        "{legs}"
    );
}

/// The page's presets: the `value` of every `<option>` of `#preset` in
/// www/index.html (`&amp;` written as `&`), so the CLI runs exactly what the
/// page offers.
fn page_presets() -> Vec<String> {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../www/index.html"))
        .expect("www/index.html is readable");
    let menu = html
        .split("<select id=\"preset\"")
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .expect("the preset menu");
    menu.split("<option value=\"")
        .skip(1)
        .filter_map(|option| option.split('"').next())
        .filter(|value| !value.is_empty())
        .map(|value| value.replace("&amp;", "&"))
        .collect()
}

#[test]
fn every_preset_of_the_page_runs_in_the_cli() {
    let presets = page_presets();
    assert!(presets.len() >= 12, "{presets:?}");
    let dir = std::env::temp_dir().join(format!("hedge-explorer-presets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    for (i, preset) in presets.iter().enumerate() {
        // Fewer paths keep the test quick; the link is otherwise the page's.
        let mut pairs: Vec<&str> = preset
            .split('&')
            .filter(|p| !p.starts_with("paths="))
            .collect();
        pairs.push("paths=200");
        let query = pairs.join("&");
        for args in [vec!["summary", &query], vec!["compare", &query, "--csv"]] {
            let out = run(&args);
            assert!(out.status.success(), "{args:?}: {}", stderr(&out));
            assert!(!stdout(&out).contains("NaN"), "{args:?}");
        }
        let svg = dir.join(format!("{i}.svg"));
        for chart in ["greeks", "hedge", "spot", "pnl", "compare"] {
            let out = run(&[
                "render",
                &query,
                "--chart",
                chart,
                "-o",
                svg.to_str().expect("utf-8 path"),
            ]);
            assert!(out.status.success(), "{preset} {chart}: {}", stderr(&out));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compare_csv_rows_have_the_expected_values() {
    // On the fair scenario every strategy's mean P&L is 0 (see `FAIR`): each
    // row's mean within 4.5 of its own standard errors. Trades per path are
    // known by hand (none 0, static 1, every step at most 20), no costs are paid,
    // and hedging more often leaves less risk.
    let out = run(&["compare", FAIR, "--csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("rule,mean,sd,p5,p50,p95,var95,es95,performance,mean_trades,mean_costs")
    );
    let premium = 100.0 * call_value(100.0, 100.0, 0.25, 0.02, 0.25);
    let rows: Vec<(String, Vec<f64>)> = lines
        .map(|line| {
            let mut cells = line.split(',');
            let rule = cells.next().expect("a rule").to_string();
            let numbers = cells.map(|c| c.parse().expect("a number")).collect();
            (rule, numbers)
        })
        .collect();
    let names: Vec<&str> = rows.iter().map(|(rule, _)| rule.as_str()).collect();
    assert_eq!(names, ["none", "static", "every 1"]);
    for (rule, v) in &rows {
        let [mean, sd, p5, _p50, _p95, var95, es95, performance, trades, costs] = v[..] else {
            panic!("{rule}: ten numbers");
        };
        assert!(
            mean.abs() < 4.5 * sd / 1000f64.sqrt(),
            "{rule}: mean {mean}, sd {sd}"
        );
        assert_eq!(var95, -p5, "{rule}");
        assert!(es95 >= var95, "{rule}");
        // performance = sd ÷ premium, the premium from the closed form.
        assert!(
            (performance - sd / premium).abs() < 1e-9 * performance,
            "{rule}"
        );
        assert_eq!(costs, 0.0, "{rule}");
        let expected_trades = match rule.as_str() {
            "none" => 0.0..=0.0,
            "static" => 1.0..=1.0,
            _ => 19.0..=20.0,
        };
        assert!(expected_trades.contains(&trades), "{rule}: {trades} trades");
    }
    // Risk falls as the hedge gets denser: none > static > every step.
    assert!(rows[0].1[1] > rows[1].1[1] && rows[1].1[1] > rows[2].1[1]);
    // The naked short call carries the payoff's whole spread: measured 8.9 ×
    // the SD hedged every step (means: −16.1, 16.7 and −7.9; −0.6, 1.4 and
    // −2.7 standard errors from 0).
    assert!(rows[0].1[1] > 5.0 * rows[2].1[1]);
    // The JSON says the same, to the bit.
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["compare", FAIR]))).expect("valid JSON");
    for (strategy, (rule, v)) in json["strategies"]
        .as_array()
        .expect("strategies")
        .iter()
        .zip(&rows)
    {
        assert_eq!(strategy["rule"], rule.as_str());
        assert_eq!(strategy["pnl"]["mean"].as_f64(), Some(v[0]));
        assert_eq!(strategy["pnl"]["sd"].as_f64(), Some(v[1]));
    }
}

#[test]
fn charts_lists_each_chart_once_and_render_draws_each_at_the_size_asked() {
    let out = run(&["charts"]);
    assert!(out.status.success() && out.stderr.is_empty());
    let listing = stdout(&out);
    let names: Vec<&str> = listing
        .lines()
        .map(|l| l.split_whitespace().next().expect("a chart name"))
        .collect();
    assert_eq!(
        names,
        [
            "histogram",
            "spot",
            "hedge",
            "greeks",
            "pnl",
            "smile",
            "frontier",
            "insured",
            "outcomes",
            "timeline",
            "compare"
        ]
    );
    // Each name is followed by what the chart shows: a sentence, not a word.
    assert!(listing.lines().all(|l| l.split_whitespace().count() >= 6));
    let dir = std::env::temp_dir().join(format!("hedge-explorer-charts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    for (i, name) in names.iter().enumerate() {
        // The insurance charts need an insured portfolio, the timeline dated prices.
        let query = match *name {
            "insured" | "outcomes" => "v=1&paths=40&steps=10&insure=cppi",
            "timeline" => "v=1&paths=5&hist=sp500&from=1987-10-09",
            _ => "v=1&paths=40&steps=10",
        };
        let (width, height) = (320 + 10 * i, 200 + 7 * i);
        let svg = dir.join(format!("{name}.svg"));
        let out = run(&[
            "render",
            query,
            "--chart",
            name,
            "-o",
            svg.to_str().expect("utf-8 path"),
            "--width",
            &width.to_string(),
            "--height",
            &height.to_string(),
        ]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let text = std::fs::read_to_string(&svg).expect("svg written");
        assert!(
            text.starts_with(&format!(
                "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\""
            )),
            "{name}: {}",
            &text[..text.len().min(120)]
        );
    }
    // A PNG's header (IHDR) holds the size asked, big-endian after byte 16.
    let png = dir.join("histogram.png");
    let out = run(&[
        "render",
        "v=1&paths=40&steps=10",
        "--chart",
        "histogram",
        "-o",
        png.to_str().expect("utf-8 path"),
        "--width",
        "333",
        "--height",
        "222",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&png).expect("png written");
    assert_eq!(&bytes[12..16], b"IHDR");
    assert_eq!(
        u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]),
        333
    );
    assert_eq!(
        u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]),
        222
    );
    // Sizes outside 64 … 10,000 pixels are a usage error naming the options.
    for (w, h) in [("63", "200"), ("320", "10001")] {
        let out = run(&[
            "render",
            "v=1&paths=40",
            "--chart",
            "histogram",
            "-o",
            png.to_str().expect("utf-8 path"),
            "--width",
            w,
            "--height",
            h,
        ]);
        assert_eq!(out.status.code(), Some(2), "{w}×{h}");
        assert!(
            stderr(&out).contains("--width and --height"),
            "{}",
            stderr(&out)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
