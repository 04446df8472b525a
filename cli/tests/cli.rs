//! The command-line tool end to end: output formats, exit codes, messages.

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
