//! The page's thin wasm layer (compiled for wasm32 only).
//!
//! Long-lived state stays here, behind one [`Explorer`] handle; only small things
//! cross to JavaScript: link strings, JSON summaries, progress numbers, and canvas
//! elements to draw on. The page drives the work in slices ([`Explorer::step`]) so
//! the main thread never blocks for long, and the Monte Carlo engine's chunking
//! guarantees the slicing does not change a single bit of the results.
//!
//! **Tested by** `tests/web.rs` (wasm-bindgen-test in headless Chromium) and the
//! end-to-end browser tests in `e2e/`.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::analysis::{self, Comparison, Frontier, ScenarioSummary};
use crate::charts::{self, Theme};
use crate::hedge::{LedgerRow, PathOutcome};
use crate::montecarlo::{Engine, RunSummary};
use crate::report;
use crate::scenario::{Scenario, Value, FIELDS};

/// Most paths used for the cost-vs-risk frontier (the sweep runs a dozen hedgers
/// per path; the first paths of the run are a fair sample and keep it quick).
pub const FRONTIER_PATHS: u64 = 1_000;

/// Row of the scenario's own rule in [`analysis::comparison_rules`].
const RULE_ROW: usize = 2;

/// The exact JSON string that `hedge-explorer summary '<query>'` prints (without
/// its final newline). Throws an error naming the field for a bad query.
#[wasm_bindgen]
pub fn summary(query: &str) -> Result<String, JsError> {
    let scenario = Scenario::parse(query).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(report::summary_json(&ScenarioSummary::run(&scenario)))
}

/// The canonical form of a link, or an error naming the first bad field.
#[wasm_bindgen]
pub fn canonical_query(query: &str) -> Result<String, JsError> {
    Scenario::parse(query)
        .map(|s| s.to_query())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// A run of the engine, advanced in slices.
struct Run {
    engine: Engine,
    paths: u64,
    done: u64,
    outcomes: Vec<Vec<PathOutcome>>,
}

impl Run {
    fn new(engine: Engine, paths: u64) -> Run {
        let outcomes = engine.hedgers().iter().map(|_| Vec::new()).collect();
        Run {
            engine,
            paths,
            done: 0,
            outcomes,
        }
    }

    /// Path-steps × hedgers still to do.
    fn work_left(&self, steps: u64) -> f64 {
        ((self.paths - self.done) * steps * self.engine.hedgers().len() as u64) as f64
    }

    /// Run about `budget` hedger-path-steps (at least one path); returns the work done.
    fn advance(&mut self, budget: f64, steps: u64) -> f64 {
        if self.done >= self.paths {
            return 0.0;
        }
        let per_path = (steps * self.engine.hedgers().len() as u64).max(1) as f64;
        let count = ((budget / per_path) as u64).clamp(1, self.paths - self.done);
        let part = self.engine.run_chunk(self.done..self.done + count);
        for (all, chunk) in self.outcomes.iter_mut().zip(part) {
            all.extend(chunk);
        }
        self.done += count;
        count as f64 * per_path
    }

    fn complete(&self) -> bool {
        self.done >= self.paths
    }
}

/// The explorer's state: the scenario, the path on show, and the Monte Carlo run.
#[wasm_bindgen]
pub struct Explorer {
    scenario: Scenario,
    theme: Theme,
    path_index: u64,
    ledger: Vec<LedgerRow>,
    path_outcome: PathOutcome,
    main: Run,
    sweep: Run,
    total_work: f64,
    summary: Option<ScenarioSummary>,
    comparison: Option<Comparison>,
    frontier: Option<Frontier>,
    histogram_pixels: Option<(i32, i32, f64, f64)>,
}

impl Default for Explorer {
    fn default() -> Self {
        Explorer::new()
    }
}

fn json_error_list(errors: &[crate::ScenarioError]) -> String {
    let items: Vec<String> = errors
        .iter()
        .map(|e| {
            format!(
                "{{\"field\":{},\"message\":{}}}",
                report::json_string(&e.field),
                report::json_string(&e.message)
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// Draw with `draw` on a canvas, after filling it with the theme's background.
fn on_canvas(
    canvas: &HtmlCanvasElement,
    theme: &Theme,
    draw: impl FnOnce(&DrawingArea<CanvasBackend, plotters::coord::Shift>) -> Result<(), String>,
) -> Result<(), JsError> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| JsError::new("this canvas has no 2D context"))?;
    let area = backend.into_drawing_area();
    area.fill(&theme.background)
        .map_err(|e| JsError::new(&e.to_string()))?;
    draw(&area).map_err(|e| JsError::new(&e))?;
    area.present().map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen]
impl Explorer {
    /// An explorer on the default scenario.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Explorer {
        let scenario = Scenario::default();
        let (main, sweep) = runs_for(&scenario);
        let mut explorer = Explorer {
            total_work: main.work_left(scenario.steps) + sweep.work_left(scenario.steps),
            scenario,
            theme: Theme::LIGHT,
            path_index: 0,
            ledger: Vec::new(),
            path_outcome: PathOutcome::default(),
            main,
            sweep,
            summary: None,
            comparison: None,
            frontier: None,
            histogram_pixels: None,
        };
        explorer.compute_path();
        explorer
    }

    /// Apply a link leniently: bad fields take their defaults. Returns JSON
    /// `{"query": canonical link, "errors": [{"field", "message"}], "values":
    /// {key: value as text}}` and restarts the Monte Carlo run.
    pub fn set_query(&mut self, query: &str) -> String {
        let (scenario, errors) = Scenario::parse_lenient(query);
        self.scenario = scenario;
        self.path_index = self.path_index.min(self.scenario.paths - 1);
        let (main, sweep) = runs_for(&self.scenario);
        self.total_work =
            main.work_left(self.scenario.steps) + sweep.work_left(self.scenario.steps);
        self.main = main;
        self.sweep = sweep;
        self.summary = None;
        self.comparison = None;
        self.frontier = None;
        self.histogram_pixels = None;
        self.compute_path();
        let values: Vec<String> = FIELDS
            .iter()
            .map(|spec| {
                let text = match self.scenario.get(spec.key) {
                    Value::Unset => String::new(),
                    v => v.to_string(),
                };
                format!(
                    "{}:{}",
                    report::json_string(spec.key),
                    report::json_string(&text)
                )
            })
            .collect();
        format!(
            "{{\"query\":{},\"errors\":{},\"values\":{{{}}}}}",
            report::json_string(&self.scenario.to_query()),
            json_error_list(&errors),
            values.join(",")
        )
    }

    /// The canonical link of the current scenario.
    pub fn query(&self) -> String {
        self.scenario.to_query()
    }

    /// Use the dark (true) or light (false) chart colours.
    pub fn set_dark(&mut self, dark: bool) {
        self.theme = if dark { Theme::DARK } else { Theme::LIGHT };
    }

    /// The background colour of charts as CSS `rgb(…)`.
    pub fn background_css(&self) -> String {
        let RGBColor(r, g, b) = self.theme.background;
        format!("rgb({r},{g},{b})")
    }

    /// Show path `index` (clamped to the scenario's paths).
    pub fn set_path_index(&mut self, index: f64) {
        let index = if index.is_finite() && index > 0.0 {
            index as u64
        } else {
            0
        };
        self.path_index = index.min(self.scenario.paths - 1);
        self.compute_path();
    }

    /// The path on show.
    pub fn path_index(&self) -> f64 {
        self.path_index as f64
    }

    /// The path on show as JSON: `{"index", "pnl", "trades", "costs", "columns",
    /// "rows"}` where rows are arrays in the order of `columns` (money not
    /// discounted, time in days).
    pub fn ledger_json(&self) -> String {
        let rows: Vec<String> = self
            .ledger
            .iter()
            .map(|r| {
                let cells = [
                    r.step as f64,
                    r.time * 365.0,
                    r.spot,
                    r.target,
                    r.held,
                    r.trade,
                    r.cost,
                    r.cash,
                    r.book_value,
                    r.pnl,
                ];
                let cells: Vec<String> = cells.iter().map(|&c| report::json_number(c)).collect();
                format!("[{}]", cells.join(","))
            })
            .collect();
        format!(
            "{{\"index\":{},\"pnl\":{},\"trades\":{},\"costs\":{},\"columns\":[\"step\",\"day\",\"spot\",\"target\",\"held\",\"trade\",\"cost\",\"cash\",\"book\",\"pnl\"],\"rows\":[{}]}}",
            self.path_index,
            report::json_number(self.path_outcome.pnl),
            self.path_outcome.trades,
            report::json_number(self.path_outcome.costs),
            rows.join(",")
        )
    }

    /// Draw the one-path charts: spot with trades, target vs held, P&L attribution.
    pub fn draw_path(
        &self,
        spot: &HtmlCanvasElement,
        hedge: &HtmlCanvasElement,
        pnl: &HtmlCanvasElement,
    ) -> Result<(), JsError> {
        let theme = self.theme;
        let rows = &self.ledger;
        let strike = Some(self.scenario.strike);
        on_canvas(spot, &theme, |a| {
            charts::draw_spot_path(a, rows, strike, &theme).map_err(|e| e.to_string())
        })?;
        on_canvas(hedge, &theme, |a| {
            charts::draw_hedge(a, rows, &theme).map_err(|e| e.to_string())
        })?;
        on_canvas(pnl, &theme, |a| {
            charts::draw_pnl_attribution(a, rows, &theme).map_err(|e| e.to_string())
        })
    }

    /// Advance the Monte Carlo run by about `budget` hedger-path-steps (the page
    /// sizes it to a few milliseconds). Returns the progress in [0, 1].
    pub fn step(&mut self, budget: f64) -> f64 {
        let steps = self.scenario.steps;
        let mut left = budget.max(1.0);
        while left > 0.0 && !self.main.complete() {
            left -= self.main.advance(left, steps);
        }
        if self.main.complete() && self.summary.is_none() {
            let run = RunSummary::of(&self.main.outcomes[RULE_ROW]);
            self.summary = Some(ScenarioSummary::from_run(&self.scenario, run));
            self.comparison = Some(Comparison::from_outcomes(
                &self.scenario,
                &self.main.outcomes[..3],
            ));
        }
        while left > 0.0 && self.main.complete() && !self.sweep.complete() {
            left -= self.sweep.advance(left, steps);
        }
        if self.sweep.complete() && self.frontier.is_none() {
            self.frontier = Some(Frontier::from_outcomes(
                &self.scenario,
                &self.sweep.outcomes,
            ));
        }
        self.progress()
    }

    /// Fraction of the run's work done.
    pub fn progress(&self) -> f64 {
        if self.total_work <= 0.0 {
            return 1.0;
        }
        let steps = self.scenario.steps;
        1.0 - (self.main.work_left(steps) + self.sweep.work_left(steps)) / self.total_work
    }

    /// Whether the summary and the comparison are ready.
    pub fn summary_ready(&self) -> bool {
        self.summary.is_some()
    }

    /// Whether the frontier is ready.
    pub fn frontier_ready(&self) -> bool {
        self.frontier.is_some()
    }

    /// Paths used by the frontier.
    pub fn frontier_paths(&self) -> f64 {
        self.sweep.paths as f64
    }

    /// The summary JSON (as the CLI prints it), or an empty string before the run
    /// is complete.
    pub fn summary_json(&self) -> String {
        self.summary
            .as_ref()
            .map(report::summary_json)
            .unwrap_or_default()
    }

    /// The comparison JSON, or an empty string before the run is complete.
    pub fn comparison_json(&self) -> String {
        self.comparison
            .as_ref()
            .map(report::comparison_json)
            .unwrap_or_default()
    }

    /// The frontier JSON, or an empty string before it is complete.
    pub fn frontier_json(&self) -> String {
        self.frontier
            .as_ref()
            .map(report::frontier_json)
            .unwrap_or_default()
    }

    /// Draw the P&L histogram (with Derman–Kamal's curve where it applies), and
    /// remember where its plot sits on the canvas for [`Self::histogram_pixel_range`].
    pub fn draw_histogram(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let summary = self
            .summary
            .as_ref()
            .ok_or_else(|| JsError::new("the Monte Carlo run is not complete"))?;
        let theme = self.theme;
        let mut pixels = None;
        on_canvas(canvas, &theme, |a| {
            pixels =
                charts::histogram_pixel_range(a, &summary.run, summary.derman_kamal_sd, &theme)
                    .ok();
            charts::draw_histogram(a, &summary.run, summary.derman_kamal_sd, &theme)
                .map_err(|e| e.to_string())
        })?;
        self.histogram_pixels = pixels;
        Ok(())
    }

    /// `[x0, x1, lo, hi]`: the histogram's plot spans canvas pixels `x0 … x1`, which
    /// show P&L `lo … hi`. Empty before the histogram is drawn.
    pub fn histogram_pixel_range(&self) -> Vec<f64> {
        match self.histogram_pixels {
            Some((x0, x1, lo, hi)) => vec![f64::from(x0), f64::from(x1), lo, hi],
            None => Vec::new(),
        }
    }

    /// Draw no hedge vs static vs the rule.
    pub fn draw_comparison(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let comparison = self
            .comparison
            .as_ref()
            .ok_or_else(|| JsError::new("the Monte Carlo run is not complete"))?;
        let theme = self.theme;
        on_canvas(canvas, &theme, |a| {
            charts::draw_comparison(a, comparison, &theme).map_err(|e| e.to_string())
        })
    }

    /// Draw the cost-vs-risk frontier.
    pub fn draw_frontier(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let frontier = self
            .frontier
            .as_ref()
            .ok_or_else(|| JsError::new("the frontier is not complete"))?;
        let theme = self.theme;
        on_canvas(canvas, &theme, |a| {
            charts::draw_frontier(a, frontier, &theme).map_err(|e| e.to_string())
        })
    }

    /// The first path whose P&L falls in the histogram bin under a click at P&L
    /// value `pnl` (the page converts the pointer's position), or −1.
    pub fn path_at_pnl(&self, pnl: f64) -> f64 {
        let Some(summary) = &self.summary else {
            return -1.0;
        };
        let histogram = &summary.run.histogram;
        let bin = histogram.bin_of(pnl);
        self.main.outcomes[RULE_ROW]
            .iter()
            .position(|o| histogram.bin_of(o.pnl) == bin)
            .map_or(-1.0, |i| i as f64)
    }
}

impl Explorer {
    fn compute_path(&mut self) {
        let engine = Engine::for_scenario(&self.scenario);
        let (_, rows, outcome) = engine.ledger(0, self.path_index);
        self.ledger = rows;
        self.path_outcome = outcome;
    }
}

/// The main run (the rule, no hedge, static on all paths) and the frontier sweep
/// (on the first [`FRONTIER_PATHS`] paths).
fn runs_for(scenario: &Scenario) -> (Run, Run) {
    let main = Engine::new(scenario, &analysis::comparison_rules(scenario));
    let (_, _, rules) = analysis::frontier_rules(scenario);
    let sweep = Engine::new(scenario, &rules);
    (
        Run::new(main, scenario.paths),
        Run::new(sweep, scenario.paths.min(FRONTIER_PATHS)),
    )
}
