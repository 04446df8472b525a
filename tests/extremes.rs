//! No NaN or infinity in any output: a grid of extreme but valid scenarios
//! through every output the CLI and the page give — the summary, the
//! comparison, the frontier, one path's report and ledger — and through every
//! chart that applies.
//!
//! The grid takes each key of the table to its edges (vol 0, a hundred-millionth
//! and 5; one step and 10,000; spot and quantity a millionth and their largest;
//! rates −50 % and 100 %; fifty jumps a year of mean −2; every rule, settlement,
//! protection and model, books and hedge options, the bundled histories and a
//! bootstrap, the reader's own prices), choosing for each scenario a few keys at random (a fixed seed)
//! and keeping the scenarios the parser accepts, until `EXTREMES_SCENARIOS`
//! (10,000 unless the environment says otherwise) have run. For each:
//!
//! - nothing panics;
//! - every number of every JSON output is finite: serde_json writes a
//!   non-finite number as `null`, so a `null` is allowed only where a figure
//!   does not apply (`NULL_ALLOWED`), and those figures are checked finite
//!   where they are present;
//! - every cell of the insured ledger's CSV is a finite number (or a date);
//! - every chart that applies draws, without an error, on a probe backend that
//!   counts its drawing calls (plotters clips what it draws to the area, so
//!   where the numbers are finite the JSON checks above say it).
//!
//! The count and time are printed (`-- --nocapture`) and quoted in the README;
//! `EXTREMES_SLOW=1` also prints each scenario that took over 100 ms.
#![allow(clippy::disallowed_methods)]

use std::cell::RefCell;
use std::convert::Infallible;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::time::Instant;

use hedge_explorer::charts::{self, Theme, CHARTS};
use hedge_explorer::engine::montecarlo::Engine;
use hedge_explorer::history::link::encode_link;
use hedge_explorer::history::user_csv::parse_prices;
use hedge_explorer::plan::Plan;
use hedge_explorer::results::analysis::{compare, frontier, ScenarioSummary};
use hedge_explorer::results::report;
use hedge_explorer::scenario::{Allowed, Scenario, FIELDS};
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde_json::Value;

/// JSON members that are `null` where their figure does not apply: the
/// closed-form benchmarks outside their assumptions, the shortfall of a
/// portfolio that never breached its floor, the upside against an unprotected
/// portfolio that ends with nothing (or less: a dividend yield of −50 % paid
/// for 30 years at a rate of 100 %), the frontier's point of a rule that has
/// no parameter to sweep (`none`, `static`).
const NULL_ALLOWED: &[&str] = &[
    "derman_kamal_sd",
    "leland_vol",
    "shortfall",
    "upside",
    "current",
];

/// Books of legs and hedge options at the edges of their grammar.
const LEGS: &[&str] = &[
    "-100c100_-100p100",
    "100c95_-200c100_100c105",
    "-1e9c1e-3",
    "1e-3p1e6@30",
    "-100c100_100c100@0.5",
];
const WITH: &[&str] = &["c105@0.5", "p95@0.5_c105@0.5", "c1e-3", "p1e6@30"];
const DATES: &[&str] = &[
    "1950-01-03",
    "1987-10-16",
    "2008-09-12",
    "2018-12-31",
    "2020-02-14",
];

/// The reader's own prices at the edges: a crash to a cent and a rise to a
/// million, dated, as a `px` value.
fn reader_prices() -> &'static str {
    static PX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PX.get_or_init(|| {
        let csv = "date,close\n2020-01-02,100\n2020-01-03,0.01\n2020-01-06,0.01\n2020-01-07,1000000\n2020-01-08,99.5\n";
        let series = parse_prices(csv).expect("a valid CSV");
        encode_link(&series).expect("short enough for a link")
    })
}

/// A text for `key` at one of its edges (or a middle value now and then).
fn extreme(rng: &mut Xoshiro256PlusPlus, key: &str, allowed: &Allowed) -> Option<String> {
    let pick = |rng: &mut Xoshiro256PlusPlus, from: &[&str]| {
        from[(rng.next_u64() % from.len() as u64) as usize].to_string()
    };
    Some(match key {
        // Keep every run small: the grid is about values, not about work.
        "paths" => pick(rng, &["1", "2", "17"]),
        // The largest step count seldom: a run of 10,000 steps takes a second.
        "steps" if rng.next_u64() % 40 == 0 => "10000".to_string(),
        "steps" => pick(rng, &["1", "2", "21", "252", "2520"]),
        "every" => pick(rng, &["1", "2", "10000"]),
        "roll" => pick(rng, &["0", "63", "10000"]),
        "legs" => pick(rng, LEGS),
        "with" => pick(rng, WITH),
        "from" | "until" => pick(rng, DATES),
        "px" => reader_prices().to_string(),
        "s" | "k" => pick(rng, &["1e-6", "1000000", "100"]),
        "qty" => pick(rng, &["1e-6", "1000000000"]),
        "vol" | "hvol" => pick(rng, &["0", "1e-8", "5", "0.2"]),
        "t" => pick(rng, &["1e-6", "0.004", "30"]),
        _ => match allowed {
            Allowed::Number {
                min,
                max,
                min_exclusive,
            } => {
                let low = if *min_exclusive {
                    min + 1e-6 * min.abs().max(1.0)
                } else {
                    *min
                };
                [low, *max, (low + max) / 2.0][(rng.next_u64() % 3) as usize].to_string()
            }
            Allowed::Integer { min, max } => {
                [*min, *max][(rng.next_u64() % 2) as usize].to_string()
            }
            Allowed::Choice(choices) => choices[(rng.next_u64() % choices.len() as u64) as usize]
                .word
                .to_string(),
            _ => return None,
        },
    })
}

/// The next scenario of the grid: a few keys at their edges, small runs.
fn next_query(rng: &mut Xoshiro256PlusPlus) -> String {
    let mut query = String::from("v=1");
    let paths = FIELDS.iter().find(|f| f.key == "paths").expect("paths");
    query.push_str(&format!(
        "&paths={}",
        extreme(rng, "paths", &paths.allowed).unwrap_or_default()
    ));
    let keys = 2 + rng.next_u64() % 6;
    for _ in 0..keys {
        let spec = &FIELDS[(rng.next_u64() % FIELDS.len() as u64) as usize];
        if spec.key == "paths" || query.contains(&format!("&{}=", spec.key)) {
            continue;
        }
        // Heston pricing builds delta tables: seldom, to keep the grid quick.
        if spec.key == "price" && rng.next_u64() % 8 != 0 {
            continue;
        }
        if let Some(value) = extreme(rng, spec.key, &spec.allowed) {
            query.push_str(&format!("&{}={value}", spec.key));
        }
    }
    query
}

/// What a [`Probe`] was given: its drawing calls.
#[derive(Default)]
struct Seen {
    calls: usize,
}

/// A drawing backend that draws nothing and records what it is given (in a
/// cell the test keeps, as the drawing area owns the backend).
struct Probe {
    size: (u32, u32),
    seen: Rc<RefCell<Seen>>,
}

impl Probe {
    fn note(&mut self, _points: &[BackendCoord]) {
        self.seen.borrow_mut().calls += 1;
    }
}

type ProbeResult = Result<(), DrawingErrorKind<Infallible>>;

impl DrawingBackend for Probe {
    type ErrorType = Infallible;
    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> ProbeResult {
        Ok(())
    }
    fn present(&mut self) -> ProbeResult {
        Ok(())
    }
    fn draw_pixel(&mut self, point: BackendCoord, _: BackendColor) -> ProbeResult {
        self.note(&[point]);
        Ok(())
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        _: &S,
    ) -> ProbeResult {
        self.note(&[a, b]);
        Ok(())
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        _: &S,
        _: bool,
    ) -> ProbeResult {
        self.note(&[a, b]);
        Ok(())
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        _: &S,
    ) -> ProbeResult {
        let points: Vec<BackendCoord> = path.into_iter().collect();
        self.note(&points);
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        _: u32,
        _: &S,
        _: bool,
    ) -> ProbeResult {
        self.note(&[c]);
        Ok(())
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        _: &S,
    ) -> ProbeResult {
        let points: Vec<BackendCoord> = vert.into_iter().collect();
        self.note(&points);
        Ok(())
    }
    fn draw_text<S: BackendTextStyle>(&mut self, _: &str, _: &S, pos: BackendCoord) -> ProbeResult {
        self.note(&[pos]);
        Ok(())
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        _: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        Ok((6 * text.chars().count() as u32, 12))
    }
}

/// Every `null` of `json` sits at a member of `NULL_ALLOWED`; `Err` names it.
fn nulls_only_where_allowed(json: &Value, at: &str) -> Result<(), String> {
    match json {
        Value::Null if !NULL_ALLOWED.iter().any(|k| at.ends_with(&format!(".{k}"))) => {
            Err(format!("null (a non-finite number) at {at}"))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| nulls_only_where_allowed(v, &format!("{at}[{i}]"))),
        Value::Object(members) => members
            .iter()
            .try_for_each(|(k, v)| nulls_only_where_allowed(v, &format!("{at}.{k}"))),
        _ => Ok(()),
    }
}

fn check_json(what: &str, text: &str) -> Result<(), String> {
    let json: Value = serde_json::from_str(text).map_err(|e| format!("{what}: not JSON ({e})"))?;
    nulls_only_where_allowed(&json, what)
}

/// Every check of one scenario; `Err` says what broke.
fn check_scenario(query: &str, theme: &Theme) -> Result<(), String> {
    let plan = Plan::new(&Scenario::parse(query).map_err(|e| e.to_string())?);
    let summary = ScenarioSummary::run(&plan);
    for (name, value) in [
        ("derman_kamal_sd", summary.derman_kamal_sd),
        ("leland_vol", summary.leland_vol),
        (
            "shortfall",
            summary.insurance.as_ref().and_then(|i| i.shortfall),
        ),
    ] {
        if value.is_some_and(|v| !v.is_finite()) {
            return Err(format!("summary {name} = {value:?}"));
        }
    }
    check_json("summary", &report::summary_json(&summary))?;
    check_json("compare", &report::comparison_json(&compare(&plan)))?;
    check_json("frontier", &report::frontier_json(&frontier(&plan)))?;
    let index = plan.paths - 1;
    let engine = Engine::for_plan(&plan);
    let (_, rows, outcome) = engine.ledger(0, index);
    check_json("path", &report::path_json(&plan, index, &outcome))?;
    check_json("ledger", &report::ledger_json(&rows))?;
    if plan.insurance.is_some() {
        let csv = report::insurance_ledger_csv(&engine.insurance_ledger(0, index));
        for (line, row) in csv.lines().skip(1).enumerate() {
            for cell in row.split(',') {
                let is_date = cell.len() == 10 && cell.as_bytes()[4] == b'-';
                if !is_date && !cell.parse::<f64>().is_ok_and(f64::is_finite) {
                    return Err(format!("insured ledger line {}: cell {cell:?}", line + 2));
                }
            }
        }
    }
    for (chart, _) in CHARTS {
        if charts::check_named(&plan, chart).is_err() {
            continue;
        }
        let seen = Rc::new(RefCell::new(Seen::default()));
        {
            let probe = Probe {
                size: (640, 400),
                seen: Rc::clone(&seen),
            };
            let area = probe.into_drawing_area();
            area.fill(&theme.background)
                .map_err(|e| format!("{chart}: {e}"))?;
            charts::draw_named(&area, &plan, chart, index, theme)
                .map_err(|e| format!("{chart}: {e}"))?;
        }
        let calls = seen.borrow().calls;
        if calls < 2 {
            return Err(format!("{chart}: drew nothing ({calls} drawing calls)"));
        }
    }
    Ok(())
}

#[test]
fn the_checks_see_what_they_look_for() {
    // serde_json writes a NaN as null: found anywhere but where allowed.
    let json = report::to_json(&serde_json::json!({"a": [1.0, f64::NAN], "leland_vol": f64::NAN}));
    assert_eq!(json, r#"{"a":[1.0,null],"leland_vol":null}"#);
    assert_eq!(
        check_json("x", &json),
        Err("null (a non-finite number) at x.a[1]".to_string())
    );
    assert_eq!(check_json("x", r#"{"leland_vol":null}"#), Ok(()));
    // The probe records what a chart is given.
    let seen = Rc::new(RefCell::new(Seen::default()));
    let area = Probe {
        size: (100, 80),
        seen: Rc::clone(&seen),
    }
    .into_drawing_area();
    area.draw(&PathElement::new(vec![(0, 0), (7, 50)], BLACK))
        .expect("draws");
    area.draw(&Circle::new((5, 5), 3, BLACK)).expect("draws");
    assert_eq!(seen.borrow().calls, 2);
}

#[test]
fn extreme_scenarios_give_finite_numbers_and_draw_every_chart() {
    let wanted: usize = std::env::var("EXTREMES_SCENARIOS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let start = Instant::now();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(14);
    // The grid's scenarios, drawn in order; then checked on every core.
    let mut queries = Vec::with_capacity(wanted);
    let mut refused = 0usize;
    while queries.len() < wanted {
        let query = next_query(&mut rng);
        match Scenario::parse(&query) {
            Ok(scenario) => queries.push(scenario.to_query()),
            Err(_) => refused += 1,
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut failures = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(query) = queries.get(i) else {
                            return failures;
                        };
                        let theme = if i % 2 == 0 {
                            Theme::LIGHT
                        } else {
                            Theme::DARK
                        };
                        let t0 = Instant::now();
                        let r = catch_unwind(AssertUnwindSafe(|| check_scenario(query, &theme)));
                        if std::env::var("EXTREMES_SLOW").is_ok() && t0.elapsed().as_millis() > 100
                        {
                            println!("slow {} ms {query}", t0.elapsed().as_millis());
                        }
                        match r {
                            Ok(Ok(())) => {}
                            Ok(Err(why)) => failures.push(format!("{query}: {why}")),
                            Err(_) => failures.push(format!("{query}: panicked")),
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a grid thread failed"))
            .collect()
    });
    println!(
        "extremes: {} scenarios ({refused} combinations refused by the parser) in {:.1} s on {threads} threads; {} failed",
        queries.len(),
        start.elapsed().as_secs_f64(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed; the first ten:\n{}",
        failures.len(),
        queries.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
