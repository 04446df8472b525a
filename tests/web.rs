//! The web layer in a real browser (wasm-bindgen-test, headless Chromium):
//! `cargo test --target wasm32-unknown-unknown --test web`.
//! Natively this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

mod browser {
    use hedge_explorer::web::{summary, Explorer};
    use wasm_bindgen::JsCast;
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
            explorer.set_query(query);
            run_to_completion(&mut explorer, budget);
            assert_eq!(explorer.summary_json(), whole, "budget {budget}");
        }
    }

    #[wasm_bindgen_test]
    fn a_bad_query_is_an_error_naming_the_field() {
        let error = summary("vol=-1").expect_err("invalid");
        let text = format!("{:?}", wasm_bindgen::JsValue::from(error));
        assert!(text.contains("vol"), "{text}");
        let mut explorer = Explorer::new();
        let reply = explorer.set_query("vol=abc&k=90&bogus=1");
        assert!(reply.contains("\"field\":\"vol\""), "{reply}");
        assert!(reply.contains("bogus"), "{reply}");
        assert_eq!(
            explorer.query(),
            "v=1&k=90",
            "bad fields fall back, good ones stay"
        );
    }

    #[wasm_bindgen_test]
    fn every_chart_draws_visible_pixels() {
        let mut explorer = Explorer::new();
        explorer.set_query("v=1&paths=400&steps=40&rule=band&band=0.05");
        run_to_completion(&mut explorer, 1e9);
        let background = (255, 255, 255); // Theme::LIGHT
        let (w, h) = (600, 360);
        let area = f64::from(w * h);
        let spot = canvas(w, h);
        let hedge = canvas(w, h);
        let pnl = canvas(w, h);
        explorer
            .draw_path(&spot, &hedge, &pnl)
            .expect("path charts");
        let histogram = canvas(w, h);
        explorer.draw_histogram(&histogram).expect("histogram");
        let compare = canvas(w, h);
        explorer.draw_comparison(&compare).expect("comparison");
        let frontier = canvas(w, h);
        explorer.draw_frontier(&frontier).expect("frontier");
        for (name, c) in [
            ("spot", &spot),
            ("hedge", &hedge),
            ("pnl", &pnl),
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
        let summary: serde_json::Value =
            serde_json::from_str(&explorer.summary_json()).expect("summary JSON");
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
        let ledger: serde_json::Value =
            serde_json::from_str(&explorer.ledger_json()).expect("ledger JSON");
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
        explorer.set_query("v=1&paths=10&steps=12");
        explorer.set_path_index(7.0);
        assert_eq!(explorer.path_index(), 7.0);
        let ledger = explorer.ledger_json();
        assert!(ledger.starts_with("{\"index\":7,"), "{ledger}");
        assert_eq!(ledger.matches("],[").count() + 1, 13, "one row per date");
        explorer.set_path_index(1e9);
        assert_eq!(explorer.path_index(), 9.0, "clamped to the last path");
    }
}
