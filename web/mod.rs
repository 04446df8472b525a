//! The page's thin wasm layer (compiled for wasm32 only).
//!
//! Long-lived state stays here, behind one [`Explorer`] handle; only small things
//! cross to JavaScript: link strings, plain objects (results, the run plan, the
//! table of link keys: serde types sent through `serde-wasm-bindgen`, see
//! `to_js`), progress numbers, and canvas elements to draw on. The one string of
//! JSON is [`summary`]'s (and [`summary_from_chunks`]'), which must be the CLI's
//! bytes. The page drives the work in slices ([`Explorer::step`]) so the main
//! thread never blocks for long, and the Monte Carlo engine's chunking guarantees
//! the slicing does not change a single bit of the results.
//!
//! Which parts a run has, and how many hedgers and paths each covers, is the
//! core's [`crate::plan::runs`]; [`run_plan`] hands it to the page as an object so
//! the page can split the work among Web Workers without knowing what the parts
//! hold.
//!
//! When the module starts it installs a panic hook: the panic's message goes to
//! the console (`console_error_panic_hook`) and to the listener the page gives
//! [`on_panic`], which shows it on the page.
//!
//! **Tested by** `tests/web.rs` (wasm-bindgen-test in headless Chromium) and the
//! end-to-end browser tests in `e2e/`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use plotters::prelude::*;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

mod canvas;

use self::canvas::PageCanvas;
use crate::charts::{self, Theme};
use crate::engine::montecarlo::{Engine, LANES};
use crate::hedging::hedger::{LedgerRow, PathOutcome};
use crate::insurance::InsuranceRow;
use crate::plan::assembly::{pack, spread_order, ChunkedRun};
use crate::plan::runs::{Part, PlannedPart, RunPlan};
use crate::plan::Plan;
use crate::results::analysis::{Comparison, Frontier, ScenarioSummary};
use crate::results::report::{self, PathReport};
use crate::results::smile::{smile, SmilePoint};
use crate::scenario::{FieldSpec, Group, LinkWord, Scenario, Value, FIELDS};

pub use crate::plan::runs::FRONTIER_PATHS;

thread_local! {
    /// The page's function to call with a panic's message (see [`on_panic`]).
    static PANIC_LISTENER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Runs once when the module is instantiated (on the page and in every worker):
/// panics are reported to the console and to the [`on_panic`] listener.
#[wasm_bindgen(start)]
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let message = JsValue::from_str(&info.to_string());
        PANIC_LISTENER.with(|listener| {
            // A listener that itself panicked would hold the borrow: skip it.
            if let Ok(listener) = listener.try_borrow() {
                if let Some(listener) = listener.as_ref() {
                    // Nothing more can be done if the listener throws.
                    let _ = listener.call1(&JsValue::NULL, &message);
                }
            }
        });
    }));
}

/// Call `listener(message)` when the engine panics, just before the call that
/// panicked throws a `WebAssembly.RuntimeError` (the module must not be used
/// after that: reload it). Replaces any earlier listener.
#[wasm_bindgen]
pub fn on_panic(listener: js_sys::Function) {
    PANIC_LISTENER.with(|slot| *slot.borrow_mut() = Some(listener));
}

/// Panics with `message`: lets the end-to-end tests check how the page reports
/// a panic. Nothing in the page calls it.
#[wasm_bindgen]
pub fn panic_for_tests(message: &str) {
    panic!("{message}");
}

/// A fresh random seed in 0 … 2³² − 1 from the browser's cryptographic
/// generator (`crypto.getRandomValues`, through `getrandom`), for *New paths*.
/// The only randomness of the page: a run itself is fixed by its seed.
#[wasm_bindgen]
pub fn fresh_seed() -> Result<f64, JsError> {
    let mut bytes = [0u8; 4];
    getrandom::getrandom(&mut bytes).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(f64::from(u32::from_le_bytes(bytes)))
}

/// The bytes of linear memory this instance of the module holds (it grows,
/// never shrinks): what the page's load test watches for leaks.
#[wasm_bindgen]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) as f64) * 65_536.0
}

/// Paths the engine's lane kernel runs together: chunks of a multiple of this
/// many paths run fastest (any chunking gives the same numbers).
#[wasm_bindgen]
pub fn chunk_multiple() -> u32 {
    LANES as u32
}

/// The order the worker pool hands out a run's `count` chunks in
/// ([`spread_order`]: spread over the run, so that a first estimate's sample is
/// too).
#[wasm_bindgen]
pub fn spread_chunks(count: u32) -> Vec<u32> {
    spread_order(count as usize)
        .into_iter()
        .map(|index| index as u32)
        .collect()
}

/// The exact JSON string that `hedge-explorer summary '<query>'` prints (without
/// its final newline). Throws an error naming the field for a bad query.
#[wasm_bindgen]
pub fn summary(query: &str) -> Result<String, JsError> {
    let plan = plan_of(query)?;
    Ok(report::summary_json(&ScenarioSummary::run(&plan)))
}

/// The plan of a link parsed strictly (the page sends canonical links), or an
/// error naming the first bad field.
fn plan_of(query: &str) -> Result<Plan, JsError> {
    Scenario::parse(query)
        .map(|scenario| Plan::new(&scenario))
        .map_err(|e| JsError::new(&e.to_string()))
}

/// The reader's CSV as a `px` value (read in the page; nothing leaves the
/// machine): `{value, prices, shareable}`, `shareable` false when a link
/// cannot carry that many prices (the page then keeps them local); or an
/// error starting `px: ` that names the CSV's line and what is allowed.
#[wasm_bindgen]
pub fn prices_link(csv: &str) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct PricesForPage {
        value: String,
        prices: usize,
        shareable: bool,
    }
    let series = crate::history::user_csv::parse_prices(csv)
        .map_err(|e| JsError::new(&format!("px: {e}")))?;
    let prices = series.len();
    let local =
        crate::scenario::Prices::local(series).map_err(|e| JsError::new(&format!("px: {e}")))?;
    to_js(&PricesForPage {
        value: local.to_string(),
        prices,
        shareable: local.is_shareable(),
    })
}

/// The canonical form of a link, or an error naming the first bad field.
#[wasm_bindgen]
pub fn canonical_query(query: &str) -> Result<String, JsError> {
    Scenario::parse(query)
        .map(|s| s.to_query())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// `value` as a plain JavaScript value: structs and maps as objects, integers as
/// numbers, and non-finite numbers as `null`, as in the CLI's JSON. It goes through
/// serde_json's `Value` (which makes non-finite numbers `null`; serde-wasm-bindgen
/// alone would send `NaN`), then to JavaScript with the JSON-compatible serializer
/// (objects rather than `Map`s, numbers rather than `BigInt`s).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let value = serde_json::to_value(value).map_err(|e| JsError::new(&e.to_string()))?;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// A field's value as the link writes it (`""` for `hvol` following `vol`).
fn link_text(value: Value) -> String {
    match value {
        Value::Unset => String::new(),
        v => v.to_string(),
    }
}

/// One of the page's groups of controls, in [`fields`].
#[derive(Serialize)]
struct GroupForPage {
    group: Group,
    title: &'static str,
}

/// One row of the table of link keys, in [`fields`]: its [`FieldSpec`] and its
/// default as the link writes it.
#[derive(Serialize)]
struct FieldForPage {
    #[serde(flatten)]
    spec: &'static FieldSpec,
    default: String,
}

/// The table of link keys the page builds its controls from (see
/// [`crate::scenario::FIELDS`]): `{groups: [{group, title}], fields: [{key,
/// description, label, unit, allowed, group, control, help, default}]}`, groups in
/// the page's order and fields in canonical link order, `replaces: {legs: [type,
/// side, qty, k]}` (a non-empty `legs` replaces those keys: the page leaves them
/// out of the link). `allowed` is `{number: {min, max, min_exclusive}}`,
/// `{integer: {min, max}}`, `{choice: [{word, label}]}` or `{legs: {quantities}}`;
/// `control` is `{kind: "slider" | "number" | "select" | "text" | "prices", …}`.
#[wasm_bindgen]
pub fn fields() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Table {
        groups: Vec<GroupForPage>,
        fields: Vec<FieldForPage>,
        replaces: BTreeMap<&'static str, [&'static str; 4]>,
    }
    to_js(&Table {
        groups: Group::ALL
            .iter()
            .map(|&group| GroupForPage {
                group,
                title: group.title(),
            })
            .collect(),
        fields: FIELDS
            .iter()
            .map(|spec| FieldForPage {
                spec,
                default: link_text(spec.default_value()),
            })
            .collect(),
        replaces: BTreeMap::from([("legs", Scenario::SINGLE_OPTION_KEYS)]),
    })
}

/// The part named `name` (`rule`, `main` or `sweep`).
fn part_named(name: &str) -> Result<Part, JsError> {
    Part::from_name(name).ok_or_else(|| {
        JsError::new(&format!(
            "unknown run part {name:?}; expected rule, main or sweep"
        ))
    })
}

/// One planned part as the page reads it: the part by name.
#[derive(Serialize)]
struct PartForPage {
    part: &'static str,
    paths: u64,
    hedgers: u64,
    hedged_path_steps: u64,
}

/// The parts of a plan as the page reads them.
fn parts_for_page(parts: &[PlannedPart]) -> Vec<PartForPage> {
    parts
        .iter()
        .map(|planned| PartForPage {
            part: planned.part.name(),
            paths: planned.paths,
            hedgers: planned.hedgers,
            hedged_path_steps: planned.hedged_path_steps,
        })
        .collect()
}

/// The plan of a scenario link's runs as the page reads it.
#[derive(Serialize)]
struct PlanForPage {
    steps: u64,
    explorer: Vec<PartForPage>,
    summary_part: &'static str,
    summary_only: Vec<PartForPage>,
}

/// The plan of a scenario link's runs as an object (what a page needs to split
/// them into chunks for workers), or an error naming the first bad field:
/// `{steps, explorer: [part…], summary_part, summary_only: [part…]}`, each part
/// `{part, paths, hedgers, hedged_path_steps}`. `explorer` lists the parts of
/// [`Explorer`]'s run (for [`Explorer::accept`]), `summary_part` names the one
/// its summary needs, and `summary_only` the parts of [`summary_from_chunks`].
/// See [`crate::plan::runs`].
#[wasm_bindgen]
pub fn run_plan(query: &str) -> Result<JsValue, JsError> {
    let plan = RunPlan::for_plan(&plan_of(query)?);
    to_js(&PlanForPage {
        steps: plan.steps,
        explorer: parts_for_page(&plan.explorer),
        summary_part: plan.summary_part.name(),
        summary_only: parts_for_page(&plan.summary_only),
    })
}

/// The engine a Web Worker holds: one part of one scenario's run (see
/// [`run_plan`]). Workers receive `(query, part, start, end)` and send back [`WorkerEngine::run`]'s packed
/// outcomes, which the page hands to [`Explorer::accept`].
#[wasm_bindgen]
pub struct WorkerEngine {
    engine: Engine,
    paths: u64,
}

#[wasm_bindgen]
impl WorkerEngine {
    /// The engine for `part` (`rule`, `main` or `sweep`) of the scenario `query`
    /// (parsed strictly: the page only sends canonical links).
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, part: &str) -> Result<WorkerEngine, JsError> {
        let plan = plan_of(query)?;
        let part = part_named(part)?;
        Ok(WorkerEngine {
            engine: part.engine(&plan),
            paths: part.paths(&plan),
        })
    }

    /// Outcomes of paths `start … end` (clamped to the run), packed as
    /// `[hedger][path][P&L, trades, costs]`.
    pub fn run(&self, start: f64, end: f64) -> Vec<f64> {
        let start = (start.max(0.0) as u64).min(self.paths);
        let end = (end.max(0.0) as u64).clamp(start, self.paths);
        pack(&self.engine.run_chunk(start..end))
    }

    /// Number of paths of this part.
    pub fn paths(&self) -> f64 {
        self.paths as f64
    }
}

/// The summary JSON of a whole run assembled from packed worker chunks of the
/// `rule` part: exactly what [`summary`] returns for the same query.
#[wasm_bindgen]
pub fn summary_from_chunks(
    query: &str,
    starts: &[f64],
    data: Vec<f64>,
    lengths: &[f64],
) -> Result<String, JsError> {
    let plan = plan_of(query)?;
    let mut run = ChunkedRun::new(Part::Rule, &plan);
    let mut offset = 0usize;
    for (&start, &length) in starts.iter().zip(lengths) {
        let length = length as usize;
        let slice = data
            .get(offset..offset + length)
            .ok_or_else(|| JsError::new("chunk lengths exceed the data"))?;
        run.accept(start as u64, slice)
            .map_err(|e| JsError::new(&e.to_string()))?;
        offset += length;
    }
    if !run.complete() {
        return Err(JsError::new("some paths are missing from the chunks"));
    }
    let outcomes = run.outcomes();
    let summary =
        ScenarioSummary::from_outcomes(&plan, &outcomes[0], outcomes.get(1).map(Vec::as_slice));
    Ok(report::summary_json(&summary))
}

/// The explorer's state: the scenario, the path on show, and the Monte Carlo run.
#[wasm_bindgen]
pub struct Explorer {
    scenario: Scenario,
    /// The scenario's plan, made once per scenario.
    plan: Plan,
    theme: Theme,
    path_index: u64,
    ledger: Vec<LedgerRow>,
    /// The path on show's insured-portfolio ledger (empty unless insuring).
    insured: Vec<InsuranceRow>,
    path_outcome: PathOutcome,
    main: ChunkedRun,
    sweep: ChunkedRun,
    total_work: f64,
    summary: Option<ScenarioSummary>,
    comparison: Option<Comparison>,
    /// Paths behind `summary` and `comparison`: fewer than the main part's
    /// while they are an estimate ([`Explorer::estimate`]).
    summary_paths: u64,
    frontier: Option<Frontier>,
    histogram_pixels: Option<(i32, i32, f64, f64)>,
    /// The price model's implied-vol smile at t = 0 (made once per scenario).
    smile: Vec<SmilePoint>,
}

impl Default for Explorer {
    fn default() -> Self {
        Explorer::new()
    }
}

/// A problem with one field of a link, as [`Explorer::set_query`] reports it.
#[derive(Serialize)]
struct FieldProblem<'a> {
    field: &'a str,
    message: &'a str,
}

/// What [`Explorer::set_query`] returns.
#[derive(Serialize)]
struct Applied<'a> {
    query: String,
    errors: Vec<FieldProblem<'a>>,
    values: BTreeMap<&'static str, String>,
    superseded: Vec<&'static str>,
    book: Vec<BookLeg>,
}

/// One leg of the scenario's book, for the page's book editor.
#[derive(Serialize)]
struct BookLeg {
    quantity: f64,
    kind: &'static str,
    strike: f64,
    /// Years from now; `None` (null) expires at the horizon.
    expiry: Option<f64>,
}

/// The path on show and its outcome (the CLI's `path` JSON without the link),
/// and with `rows` its ledger.
#[derive(Serialize)]
struct PathOnShow<'a> {
    #[serde(flatten)]
    path: PathReport<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<&'a [LedgerRow]>,
}

/// `result` as a JavaScript object, or `null` while it is not ready.
fn object_or_null<T: Serialize>(result: Option<&T>) -> Result<JsValue, JsError> {
    result.map_or(Ok(JsValue::NULL), to_js)
}

/// Draw with `draw` on a canvas, after filling it with the theme's background.
fn on_canvas(
    canvas: &HtmlCanvasElement,
    theme: &Theme,
    draw: impl FnOnce(&DrawingArea<PageCanvas, plotters::coord::Shift>) -> Result<(), String>,
) -> Result<(), JsError> {
    let backend =
        PageCanvas::on(canvas).ok_or_else(|| JsError::new("this canvas has no 2D context"))?;
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
        let plan = Plan::new(&scenario);
        let (main, sweep) = runs_for(&plan);
        let mut explorer = Explorer {
            smile: smile(&plan),
            total_work: main.work_left() + sweep.work_left(),
            scenario,
            plan,
            theme: Theme::LIGHT,
            path_index: 0,
            ledger: Vec::new(),
            insured: Vec::new(),
            path_outcome: PathOutcome::default(),
            main,
            sweep,
            summary: None,
            comparison: None,
            summary_paths: 0,
            frontier: None,
            histogram_pixels: None,
        };
        explorer.compute_path();
        explorer
    }

    /// Apply a link leniently: bad fields take their defaults. Returns `{query:
    /// canonical link, errors: [{field, message}], values: {key: value as the
    /// link writes it}, superseded: [keys another key replaces], book: [{quantity,
    /// kind, strike, expiry}] (the single option as one leg)}` and restarts the
    /// Monte Carlo run.
    pub fn set_query(&mut self, query: &str) -> Result<JsValue, JsError> {
        let (scenario, errors) = Scenario::parse_lenient(query);
        self.plan = Plan::new(&scenario);
        self.scenario = scenario;
        self.path_index = self.path_index.min(self.scenario.paths - 1);
        let (main, sweep) = runs_for(&self.plan);
        self.total_work = main.work_left() + sweep.work_left();
        self.main = main;
        self.sweep = sweep;
        self.summary = None;
        self.comparison = None;
        self.summary_paths = 0;
        self.frontier = None;
        self.histogram_pixels = None;
        self.smile = smile(&self.plan);
        self.compute_path();
        to_js(&Applied {
            query: self.scenario.to_query(),
            errors: errors
                .iter()
                .map(|e| FieldProblem {
                    field: &e.field,
                    message: &e.message,
                })
                .collect(),
            values: FIELDS
                .iter()
                .map(|spec| (spec.key, link_text(self.scenario.get(spec.key))))
                .collect(),
            superseded: self.scenario.superseded_keys(),
            book: self
                .scenario
                .book_legs()
                .iter()
                .map(|leg| BookLeg {
                    quantity: leg.quantity.unwrap_or(0.0),
                    kind: leg.kind.word(),
                    strike: leg.strike,
                    expiry: leg.expiry,
                })
                .collect(),
        })
    }

    /// The canonical link of the current scenario.
    pub fn query(&self) -> String {
        self.scenario.to_query()
    }

    /// Every field of the current scenario as people read it (`{key: text}`,
    /// from the core's [`FieldSpec::shown`]): what the page shows beside each control.
    pub fn shown(&self) -> Result<JsValue, JsError> {
        let shown: BTreeMap<&str, String> = FIELDS
            .iter()
            .map(|spec| (spec.key, (spec.shown)(&self.scenario)))
            .collect();
        to_js(&shown)
    }

    /// Use the dark (true) or light (false) chart colours.
    pub fn set_dark(&mut self, dark: bool) {
        self.theme = if dark { Theme::DARK } else { Theme::LIGHT };
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

    /// The path on show's outcome: `{index, pnl, trades, costs}`.
    pub fn path_outcome(&self) -> Result<JsValue, JsError> {
        to_js(&PathOnShow {
            path: PathReport::new(&self.plan, self.path_index, &self.path_outcome),
            rows: None,
        })
    }

    /// The path on show with its ledger: `{index, pnl, trades, costs, rows}`, one
    /// row per date with [`LedgerRow`]'s members, the columns of the CLI's ledger
    /// CSV (money not discounted, time in years).
    pub fn ledger(&self) -> Result<JsValue, JsError> {
        to_js(&PathOnShow {
            path: PathReport::new(&self.plan, self.path_index, &self.path_outcome),
            rows: Some(&self.ledger),
        })
    }

    /// Whether the scenario insures a portfolio (the page then shows the
    /// insured value and exposure in place of the option hedge's charts).
    pub fn insures(&self) -> bool {
        self.plan.insurance.is_some()
    }

    /// Whether the comparison sets hedgers' models side by side (Heston
    /// pricing: the page then titles its comparison as the deltas').
    pub fn compares_pricing(&self) -> bool {
        self.plan.compares_pricing()
    }

    /// Whether the scenario replays a dated series (the page then shows the
    /// timeline of the series with the windows on it).
    pub fn has_timeline(&self) -> bool {
        self.plan
            .path_model
            .replay()
            .is_some_and(|r| r.series().dates.is_some())
    }

    /// Draw the timeline of the replayed series with its windows, the window
    /// on show highlighted.
    pub fn draw_timeline(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let theme = self.theme;
        let Some(replay) = self.plan.path_model.replay() else {
            return on_canvas(canvas, &theme, |_| Ok(()));
        };
        let series = replay.series();
        let dates = series.dates.as_deref().unwrap_or_default();
        let closes = series.prices();
        let windows = replay.window_dates();
        let selected = usize::try_from(self.path_index).ok();
        on_canvas(canvas, &theme, |a| {
            charts::draw_timeline(a, dates, &closes, &windows, selected, &theme)
                .map_err(|e| e.to_string())
        })
    }

    /// The trading day under pixel column `x` of the timeline canvas (as the
    /// canvas draws it), as `YYYY-MM-DD`, or `""` outside the plot.
    pub fn timeline_date_at(&self, canvas: &HtmlCanvasElement, x: f64) -> String {
        let Some(replay) = self.plan.path_model.replay() else {
            return String::new();
        };
        let series = replay.series();
        let dates = series.dates.as_deref().unwrap_or_default();
        let Some(backend) = PageCanvas::on(canvas) else {
            return String::new();
        };
        let area = backend.into_drawing_area();
        charts::timeline_date_at(&area, dates, &series.prices(), x as i32, &self.theme)
            .ok()
            .flatten()
            .map_or_else(String::new, |d| d.to_string())
    }

    /// Draw the one-path charts: spot with trades, target vs held, P&L attribution.
    pub fn draw_path(
        &self,
        spot: &HtmlCanvasElement,
        hedge: &HtmlCanvasElement,
        greeks: &HtmlCanvasElement,
        pnl: &HtmlCanvasElement,
    ) -> Result<(), JsError> {
        let theme = self.theme;
        let rows = &self.ledger;
        let strikes = self.plan.strikes();
        on_canvas(spot, &theme, |a| {
            charts::draw_spot_path(a, rows, &strikes, &theme).map_err(|e| e.to_string())
        })?;
        match self.plan.insurance {
            // An insured portfolio: its value against the floor and its exposure.
            Some(terms) => {
                let unprotected: Vec<f64> = self
                    .insured
                    .iter()
                    .map(|r| terms.quantity * r.spot)
                    .collect();
                on_canvas(hedge, &theme, |a| {
                    charts::draw_insured_path(a, &self.insured, &unprotected, &theme)
                        .map_err(|e| e.to_string())
                })?;
            }
            None => on_canvas(hedge, &theme, |a| {
                charts::draw_hedge(a, rows, &theme).map_err(|e| e.to_string())
            })?,
        }
        on_canvas(greeks, &theme, |a| {
            charts::draw_position_greeks(a, rows, &theme).map_err(|e| e.to_string())
        })?;
        on_canvas(pnl, &theme, |a| {
            charts::draw_pnl_attribution(a, rows, &theme).map_err(|e| e.to_string())
        })
    }

    /// Advance the Monte Carlo run by about `budget` hedger-path-steps (the page
    /// sizes it to a few milliseconds). Returns the progress in [0, 1].
    pub fn step(&mut self, budget: f64) -> f64 {
        let mut left = budget.max(1.0);
        while left > 0.0 && !self.main.complete() {
            left -= self.main.advance(left);
        }
        self.finish_parts();
        while left > 0.0 && self.main.complete() && !self.sweep.complete() {
            left -= self.sweep.advance(left);
        }
        self.finish_parts();
        self.progress()
    }

    /// Take a packed chunk from a Web Worker (`part` is `main` or `sweep`; chunks
    /// may arrive in any order). Returns the progress in [0, 1].
    pub fn accept(&mut self, part: &str, start: f64, data: &[f64]) -> Result<f64, JsError> {
        let run = match part_named(part)? {
            Part::Main => &mut self.main,
            Part::Sweep => &mut self.sweep,
            Part::Rule => return Err(JsError::new("the explorer runs main and sweep parts")),
        };
        run.accept(start as u64, data)
            .map_err(|e| JsError::new(&e.to_string()))?;
        self.finish_parts();
        Ok(self.progress())
    }

    /// Fraction of the run's work done.
    pub fn progress(&self) -> f64 {
        if self.total_work <= 0.0 {
            return 1.0;
        }
        1.0 - (self.main.work_left() + self.sweep.work_left()) / self.total_work
    }

    /// Whether the summary and the comparison of the whole run are ready.
    pub fn summary_ready(&self) -> bool {
        self.summary.is_some() && self.summary_paths == self.main.paths()
    }

    /// A first estimate while the run goes on: the summary and comparison of
    /// the main part's paths received so far (whichever chunks came first:
    /// simulated paths are independent draws; a back-test's windows come in
    /// blocks of neighbouring dates, which the workers and the main-thread
    /// slices alike take spread over the history, in [`spread_order`]), made
    /// when more paths are in than
    /// behind the summary on show. The whole run's replaces it once complete
    /// ([`Self::summary_ready`]). Returns the number of paths behind the
    /// summary now on show (0 when none are in yet).
    pub fn estimate(&mut self) -> f64 {
        let received = self.main.received();
        if received > self.summary_paths && !self.main.complete() {
            let (summary, comparison) = summarise(&self.plan, &self.main.received_outcomes());
            (self.summary, self.comparison) = (Some(summary), Some(comparison));
            self.summary_paths = received;
        }
        self.summary_paths as f64
    }

    /// Paths behind the summary and comparison on show.
    pub fn summary_paths(&self) -> f64 {
        self.summary_paths as f64
    }

    /// Whether the frontier is ready.
    pub fn frontier_ready(&self) -> bool {
        self.frontier.is_some()
    }

    /// Paths used by the frontier.
    pub fn frontier_paths(&self) -> f64 {
        self.sweep.paths() as f64
    }

    /// The summary (the members of the CLI's summary JSON): the whole run's,
    /// an estimate's while the run goes on ([`Self::estimate`]), or `null`
    /// before either.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        object_or_null(self.summary.as_ref())
    }

    /// The comparison (the members of the CLI's compare JSON): the whole run's,
    /// an estimate's while the run goes on, or `null` before either.
    pub fn comparison(&self) -> Result<JsValue, JsError> {
        object_or_null(self.comparison.as_ref())
    }

    /// The frontier (the members of the CLI's frontier JSON), or `null` before it
    /// is complete.
    pub fn frontier(&self) -> Result<JsValue, JsError> {
        object_or_null(self.frontier.as_ref())
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
            match self.plan.floor_outcome() {
                Some(floor) => charts::draw_insured_histogram(a, &summary.run, floor, &theme),
                None => charts::draw_histogram(a, &summary.run, summary.derman_kamal_sd, &theme),
            }
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
            // Insured portfolios and the hedgers of Heston paths compare best
            // as distributions on the same paths.
            match self.plan.outcome_rows() {
                Some(rows) => {
                    charts::draw_outcome_histograms(a, &comparison.with_rows(&rows), &theme)
                }
                None => charts::draw_comparison(a, comparison, &theme),
            }
            .map_err(|e| e.to_string())
        })
    }

    /// Draw the price model's implied-vol smile at t = 0, the spot and the
    /// hedger's vol marked.
    pub fn draw_smile(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let theme = self.theme;
        let (spot, vol) = (self.plan.path_model.spot(), self.plan.model.vol);
        on_canvas(canvas, &theme, |a| {
            charts::draw_smile(a, &self.smile, spot, vol, &theme).map_err(|e| e.to_string())
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
        self.paths_in_bar(pnl)
            .next()
            .map_or(-1.0, |(i, _)| i as f64)
    }

    /// The windows of recorded prices whose P&L falls in the histogram bin
    /// at P&L `pnl` (the first 12, in path order): `[{index,
    /// from, until, pnl}]`; empty for simulated paths or before the summary.
    pub fn windows_at_pnl(&self, pnl: f64) -> Result<JsValue, JsError> {
        let Some(replay) = self.plan.path_model.replay() else {
            return to_js::<[WindowInBar]>(&[]);
        };
        let windows: Vec<WindowInBar> = self
            .paths_in_bar(pnl)
            .filter_map(|(i, o)| {
                let dates = replay.dates(i as u64)?;
                Some(WindowInBar {
                    index: i as u64,
                    from: dates.first()?.to_string(),
                    until: dates.last()?.to_string(),
                    pnl: o.pnl,
                })
            })
            .take(WINDOWS_LISTED)
            .collect();
        to_js(&windows)
    }
}

/// One window of recorded prices under a histogram bar ([`Explorer::windows_at_pnl`]).
#[derive(Serialize)]
struct WindowInBar {
    index: u64,
    from: String,
    until: String,
    pnl: f64,
}

/// Most windows [`Explorer::windows_at_pnl`] lists.
const WINDOWS_LISTED: usize = 12;

impl Explorer {
    /// The paths (index and outcome, in path order) whose P&L falls in the
    /// histogram bin at P&L `pnl`; none before the whole run's summary.
    fn paths_in_bar(&self, pnl: f64) -> impl Iterator<Item = (usize, &PathOutcome)> {
        let histogram = self.summary.as_ref().map(|s| &s.run.histogram);
        let bin = histogram.map(|h| h.bin_of(pnl));
        // Not under an estimate: the paths behind it are not kept apart from
        // those received since.
        let outcomes: &[PathOutcome] = match histogram {
            Some(_) if self.summary_ready() => &self.main.outcomes()[self.plan.own_row()],
            _ => &[],
        };
        outcomes
            .iter()
            .enumerate()
            .filter(move |(_, o)| histogram.map(|h| h.bin_of(o.pnl)) == bin)
    }

    /// Summarise whichever parts have just completed.
    fn finish_parts(&mut self) {
        if self.main.complete() && self.summary_paths < self.main.paths() {
            let (summary, comparison) = summarise(&self.plan, self.main.outcomes());
            (self.summary, self.comparison) = (Some(summary), Some(comparison));
            self.summary_paths = self.main.paths();
        }
        if self.sweep.complete() && self.frontier.is_none() {
            self.frontier = Some(Frontier::from_outcomes(&self.plan, self.sweep.outcomes()));
        }
    }

    fn compute_path(&mut self) {
        let engine = Engine::for_plan(&self.plan);
        let (_, rows, outcome) = engine.ledger(0, self.path_index);
        self.ledger = rows;
        self.path_outcome = outcome;
        self.insured = if self.plan.insurance.is_some() {
            engine.insurance_ledger(0, self.path_index)
        } else {
            Vec::new()
        };
    }
}

/// The summary and comparison of the main part's `outcomes` (`[hedger][path]`,
/// all of its paths or those received so far).
fn summarise(plan: &Plan, outcomes: &[Vec<PathOutcome>]) -> (ScenarioSummary, Comparison) {
    // An insured portfolio's comparison starts with the unprotected one.
    let unprotected = plan.unprotected().map(|_| outcomes[0].as_slice());
    (
        ScenarioSummary::from_outcomes(plan, &outcomes[plan.own_row()], unprotected),
        Comparison::from_outcomes(plan, outcomes),
    )
}

/// The main run (no hedge, static and the rule on all paths) and the frontier
/// sweep (on the first [`FRONTIER_PATHS`] paths).
fn runs_for(plan: &Plan) -> (ChunkedRun, ChunkedRun) {
    (
        ChunkedRun::new(Part::Main, plan),
        ChunkedRun::new(Part::Sweep, plan),
    )
}
