//! The web layer in a real browser (wasm-bindgen-test, headless Chromium):
//! `cargo test --target wasm32-unknown-unknown --test web`: slicing, drawing,
//! the ledger, the run plan the page splits its work by, worker chunks, fresh seeds.
//! The objects the page receives are checked against the CLI's JSON of the same
//! results (equal values, `null` where the CLI writes `null`). Natively this file
//! compiles to nothing.
#![cfg(target_arch = "wasm32")]

mod browser {
    use hedge_explorer::engine::montecarlo::Engine;
    use hedge_explorer::plan::runs::{Part, RunPlan};
    use hedge_explorer::plan::Plan;
    use hedge_explorer::results::report;
    use hedge_explorer::web::{
        fresh_seed, run_plan, summary, summary_from_chunks, Explorer, WorkerEngine,
    };
    use hedge_explorer::Scenario;
    use serde_json::Value;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::*;
    use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

    wasm_bindgen_test_configure!(run_in_browser);

    fn canvas(width: u32, height: u32) -> HtmlCanvasElement {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .expect("a document");
        let canvas: HtmlCanvasElement = document
            .create_element("canvas")
            .expect("canvas")
            .dyn_into()
            .expect("a canvas element");
        canvas.set_width(width);
        canvas.set_height(height);
        canvas
    }

    /// Pixels that differ visibly from the background colour.
    fn drawn_pixels(canvas: &HtmlCanvasElement, background: (u8, u8, u8)) -> usize {
        let context: CanvasRenderingContext2d = canvas
            .get_context("2d")
            .expect("context")
            .expect("a 2d context")
            .dyn_into()
            .expect("2d");
        let data = context
            .get_image_data(
                0.0,
                0.0,
                f64::from(canvas.width()),
                f64::from(canvas.height()),
            )
            .expect("image data")
            .data();
        data.chunks(4)
            .filter(|p| {
                let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).abs();
                p[3] > 0
                    && d(p[0], background.0) + d(p[1], background.1) + d(p[2], background.2) > 60
            })
            .count()
    }

    /// An object from the web layer as serde_json's `Value`.
    fn from_js(value: Result<JsValue, wasm_bindgen::JsError>) -> Value {
        let value = value.map_err(JsValue::from).expect("an object");
        serde_wasm_bindgen::from_value(value).expect("plain data")
    }

    /// Whether two JSON values hold the same data: numbers compared as `f64`
    /// (JavaScript has one number type, so `1.0` arrives as the integer `1`).
    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }

    /// Asserts that the object `got` holds the same data as the CLI's JSON `cli`.
    fn assert_same_as_cli(got: &Value, cli: &str, what: &str) {
        let cli: Value = serde_json::from_str(cli).expect("the CLI's JSON");
        assert!(
            same(got, &cli),
            "{what}: {got} differs from the CLI's {cli}"
        );
    }

    fn run_to_completion(explorer: &mut Explorer, budget: f64) {
        let mut guard = 0;
        while explorer.step(budget) < 1.0 {
            guard += 1;
            assert!(guard < 1_000_000, "the run never completes");
        }
        assert!(explorer.summary_ready() && explorer.frontier_ready());
    }

    #[wasm_bindgen_test]
    fn slicing_the_run_does_not_change_a_bit() {
        let query = "v=1&paths=300&steps=30&jumps=2&cost=0.002";
        let whole = summary(query).expect("valid");
        for budget in [1.0, 977.0, 50_000.0, 1e9] {
            let mut explorer = Explorer::new();
            explorer
                .set_query(query)
                .map_err(JsValue::from)
                .expect("applied");
            run_to_completion(&mut explorer, budget);
            assert_same_as_cli(
                &from_js(explorer.summary()),
                &whole,
                &format!("budget {budget}"),
            );
        }
    }

    #[wasm_bindgen_test]
    fn a_bad_query_is_an_error_naming_the_field() {
        let error = summary("vol=-1").expect_err("invalid");
        let text = format!("{:?}", wasm_bindgen::JsValue::from(error));
        assert!(text.contains("vol"), "{text}");
        let mut explorer = Explorer::new();
        let reply = from_js(explorer.set_query("vol=abc&k=90&bogus=1"));
        let fields: Vec<&str> = reply["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().expect("a field"))
            .collect();
        // An unknown key is the link's own text, so it comes quoted.
        assert_eq!(fields, ["vol", "\"bogus\""], "{reply}");
        assert_eq!(reply["query"], "v=1&k=90", "{reply}");
        assert_eq!(reply["values"]["k"], "90", "{reply}");
        assert_eq!(reply["values"]["vol"], "0.2", "the default: {reply}");
        assert_eq!(reply["values"]["hvol"], "", "unset: {reply}");
        assert_eq!(
            explorer.query(),
            "v=1&k=90",
            "bad fields fall back, good ones stay"
        );
    }

    #[wasm_bindgen_test]
    fn every_chart_draws_visible_pixels() {
        let mut explorer = Explorer::new();
        explorer
            .set_query("v=1&paths=400&steps=40&rule=band&band=0.05")
            .map_err(JsValue::from)
            .expect("applied");
        run_to_completion(&mut explorer, 1e9);
        let background = (255, 255, 255); // Theme::LIGHT
        let (w, h) = (600, 360);
        let area = f64::from(w * h);
        let spot = canvas(w, h);
        let hedge = canvas(w, h);
        let greeks = canvas(w, h);
        let pnl = canvas(w, h);
        explorer
            .draw_path(&spot, &hedge, &greeks, &pnl)
            .expect("path charts");
        let histogram = canvas(w, h);
        explorer.draw_histogram(&histogram).expect("histogram");
        let compare = canvas(w, h);
        explorer.draw_comparison(&compare).expect("comparison");
        let frontier = canvas(w, h);
        explorer.draw_frontier(&frontier).expect("frontier");
        let smile = canvas(w, h);
        explorer.draw_smile(&smile).expect("smile");
        for (name, c) in [
            ("spot", &spot),
            ("hedge", &hedge),
            ("greeks", &greeks),
            ("pnl", &pnl),
            ("smile", &smile),
            ("histogram", &histogram),
            ("compare", &compare),
            ("frontier", &frontier),
        ] {
            let share = drawn_pixels(c, background) as f64 / area;
            assert!(
                share > 0.01,
                "{name}: only {share:.4} of the canvas is drawn"
            );
        }
        // Clicking the middle of the histogram's plot picks a path in that bin.
        let range = explorer.histogram_pixel_range();
        assert_eq!(range.len(), 4);
        let summary = from_js(explorer.summary());
        let start = summary["histogram"]["start"].as_f64().expect("start");
        let width = summary["histogram"]["width"].as_f64().expect("width");
        let counts = summary["histogram"]["counts"].as_array().expect("counts");
        let fullest = (0..counts.len())
            .max_by_key(|&i| counts[i].as_u64().unwrap_or(0))
            .expect("bins");
        let clicked = start + width * (fullest as f64 + 0.5);
        assert!(
            range[2] <= clicked && clicked <= range[3],
            "the bin is on the plot"
        );
        let index = explorer.path_at_pnl(clicked);
        assert!(
            (0.0..400.0).contains(&index),
            "a path of the fullest bin: {index}"
        );
        explorer.set_path_index(index);
        let ledger = from_js(explorer.ledger());
        let pnl = ledger["pnl"].as_f64().expect("pnl");
        let bin_edges = (
            start + width * fullest as f64,
            start + width * (fullest as f64 + 1.0),
        );
        assert!(
            bin_edges.0 - 1e-9 <= pnl && pnl <= bin_edges.1 + 1e-9,
            "{pnl} in {bin_edges:?}"
        );
    }

    #[wasm_bindgen_test]
    fn the_ledger_follows_the_chosen_path() {
        let mut explorer = Explorer::new();
        explorer
            .set_query("v=1&paths=10&steps=12")
            .map_err(JsValue::from)
            .expect("applied");
        explorer.set_path_index(7.0);
        assert_eq!(explorer.path_index(), 7.0);
        let ledger = from_js(explorer.ledger());
        assert_eq!(ledger["index"], 7);
        // The CLI's ledger of the same path: the same rows, members and values.
        let scenario = Scenario::parse("v=1&paths=10&steps=12").expect("valid");
        let (_, rows, outcome) = Engine::for_plan(&Plan::new(&scenario)).ledger(0, 7);
        assert_eq!(rows.len(), 13, "one row per date");
        assert_same_as_cli(&ledger["rows"], &report::ledger_json(&rows), "ledger rows");
        let header = report::ledger_csv(&rows);
        let columns: Vec<&str> = header
            .lines()
            .next()
            .expect("a header")
            .split(',')
            .collect();
        let mut members: Vec<&str> = ledger["rows"][0]
            .as_object()
            .expect("a row")
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted_columns = columns.clone();
        sorted_columns.sort_unstable();
        members.sort_unstable();
        assert_eq!(
            members, sorted_columns,
            "a row's members are the CSV's columns"
        );
        let path = report::path_json(&Plan::new(&scenario), 7, &outcome);
        let mut expected: Value = serde_json::from_str(&path).expect("the CLI's path JSON");
        expected
            .as_object_mut()
            .expect("an object")
            .remove("scenario");
        assert!(same(&from_js(explorer.path_outcome()), &expected), "{path}");
        explorer.set_path_index(1e9);
        assert_eq!(explorer.path_index(), 9.0, "clamped to the last path");
    }

    /// The plan's parts as `(name, paths, hedgers)`, read from `run_plan`'s object.
    fn planned(plan: &serde_json::Value, key: &str) -> Vec<(String, u64, u64)> {
        plan[key]
            .as_array()
            .expect("a list of parts")
            .iter()
            .map(|p| {
                (
                    p["part"].as_str().expect("part").to_string(),
                    p["paths"].as_u64().expect("paths"),
                    p["hedgers"].as_u64().expect("hedgers"),
                )
            })
            .collect()
    }

    #[wasm_bindgen_test]
    fn the_run_plan_object_is_the_core_plan() {
        let query = "v=1&paths=1500&steps=30&rule=band&band=0.04";
        let plan = from_js(run_plan(query));
        let core = RunPlan::for_plan(&Plan::new(&Scenario::parse(query).expect("valid")));
        assert_eq!(plan["steps"].as_u64(), Some(30));
        assert_eq!(plan["summary_part"].as_str(), Some("main"));
        let as_tuples = |parts: &[hedge_explorer::plan::runs::PlannedPart]| {
            parts
                .iter()
                .map(|p| (p.part.name().to_string(), p.paths, p.hedgers))
                .collect::<Vec<_>>()
        };
        assert_eq!(planned(&plan, "explorer"), as_tuples(&core.explorer));
        assert_eq!(
            planned(&plan, "summary_only"),
            as_tuples(&core.summary_only)
        );
        // 1,500 paths: the sweep takes the first 1,000; a band sweep has 12 widths
        // (11 fixed ones and the scenario's 0.04).
        assert_eq!(
            planned(&plan, "explorer"),
            vec![
                ("main".to_string(), 1500, 3),
                ("sweep".to_string(), 1000, 12)
            ]
        );
        assert_eq!(
            plan["explorer"][0]["hedged_path_steps"].as_u64(),
            Some(3 * 1500 * 30)
        );
        let error = run_plan("paths=0").expect_err("invalid");
        let text = format!("{:?}", wasm_bindgen::JsValue::from(error));
        assert!(text.contains("paths"), "{text}");
    }

    #[wasm_bindgen_test]
    fn worker_chunks_of_the_planned_parts_complete_the_run() {
        let query = "v=1&paths=200&steps=20&rule=every&every=2&cost=0.001";
        let whole = summary(query).expect("valid");
        let plan = from_js(run_plan(query));
        // The explorer, fed chunks of 48 paths of each planned part, last first.
        let mut explorer = Explorer::new();
        explorer
            .set_query(query)
            .map_err(JsValue::from)
            .expect("applied");
        let mut progress = 0.0;
        for (part, paths, _) in planned(&plan, "explorer") {
            let engine = WorkerEngine::new(query, &part).expect("a planned part");
            assert_eq!(engine.paths(), paths as f64);
            let starts: Vec<u64> = (0..paths).step_by(48).collect();
            for &start in starts.iter().rev() {
                let data = engine.run(start as f64, (start + 48) as f64);
                progress = explorer
                    .accept(&part, start as f64, &data)
                    .expect("a chunk");
            }
        }
        assert_eq!(progress, 1.0);
        assert!(explorer.summary_ready() && explorer.frontier_ready());
        assert_same_as_cli(&from_js(explorer.summary()), &whole, "summary");
        // The comparison and the frontier: the CLI's JSON of a one-thread run.
        let scenario = Scenario::parse(query).expect("valid");
        assert_same_as_cli(
            &from_js(explorer.comparison()),
            &report::comparison_json(&hedge_explorer::results::analysis::compare(&Plan::new(
                &scenario,
            ))),
            "comparison",
        );
        // 200 paths: the sweep covers them all, as the CLI's frontier does.
        assert_same_as_cli(
            &from_js(explorer.frontier()),
            &report::frontier_json(&hedge_explorer::results::analysis::frontier(&Plan::new(
                &scenario,
            ))),
            "frontier",
        );
        // A summary alone from the rule part's chunks.
        let (mut starts, mut data, mut lengths) = (Vec::new(), Vec::new(), Vec::new());
        for (part, paths, _) in planned(&plan, "summary_only") {
            assert_eq!(Part::from_name(&part), Some(Part::Rule));
            let engine = WorkerEngine::new(query, &part).expect("a planned part");
            for start in (0..paths).step_by(64) {
                let chunk = engine.run(start as f64, (start + 64) as f64);
                starts.push(start as f64);
                lengths.push(chunk.len() as f64);
                data.extend(chunk);
            }
        }
        assert_eq!(
            summary_from_chunks(query, &starts, data, &lengths).expect("complete"),
            whole
        );
    }

    #[wasm_bindgen_test]
    fn fresh_seeds_are_valid_and_differ() {
        let seeds: Vec<f64> = (0..8).map(|_| fresh_seed().expect("a seed")).collect();
        for &seed in &seeds {
            assert!(
                seed.fract() == 0.0 && (0.0..4_294_967_296.0).contains(&seed),
                "{seed}"
            );
            let query = format!("v=1&seed={seed}");
            assert!(Scenario::parse(&query).is_ok(), "{query} is a valid link");
        }
        // Eight draws of 32 bits: a repeat has probability below 1e-8.
        let mut sorted = seeds.clone();
        sorted.sort_by(f64::total_cmp);
        sorted.dedup();
        assert_eq!(sorted.len(), seeds.len(), "{seeds:?}");
    }
}
