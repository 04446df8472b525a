//! The chart functions, drawn into SVG strings from real scenarios computed by the
//! core: each test counts what was drawn (bars, markers, points of lines, circles,
//! legend and axis texts) against the data. Degenerate inputs (no rows, one row,
//! constant or non-finite values, an empty run, one path, a tiny area) must draw
//! without an error or a panic.
//!
//! Run with `cargo test --all-features --test charts`. The raster (PNG) check is a
//! unit test of the command-line tool (`cli/src/render.rs`), whose plotters has
//! `BitMapBackend`.

use hedge_explorer::charts::{self, ChartResult, Theme};
use hedge_explorer::engine::montecarlo::{Engine, RunSummary};
use hedge_explorer::hedging::hedger::LedgerRow;
use hedge_explorer::plan::Plan;
use hedge_explorer::results::analysis::{
    self, Comparison, Frontier, FrontierPoint, ScenarioSummary,
};
use hedge_explorer::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;

const SIZE: (u32, u32) = (900, 540);

/// Draw with `draw` on a `size` SVG filled with the background; the SVG text.
fn svg_sized<F>(size: (u32, u32), theme: &Theme, draw: F) -> String
where
    F: for<'a> FnOnce(&DrawingArea<SVGBackend<'a>, Shift>) -> ChartResult<SVGBackend<'a>>,
{
    charts::use_bundled_font();
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
        area.fill(&theme.background).expect("fill");
        draw(&area).expect("the chart draws without error");
        area.present().expect("present");
    }
    out
}

fn svg<F>(draw: F) -> String
where
    F: for<'a> FnOnce(&DrawingArea<SVGBackend<'a>, Shift>) -> ChartResult<SVGBackend<'a>>,
{
    svg_sized(SIZE, &Theme::LIGHT, draw)
}

/// The opening tags `<tag …>` of every `tag` element.
fn tags<'s>(svg: &'s str, tag: &str) -> Vec<&'s str> {
    let open = format!("<{tag} ");
    svg.match_indices(&open)
        .map(|(i, _)| {
            let rest = &svg[i..];
            &rest[..rest.find('>').map_or(rest.len(), |j| j + 1)]
        })
        .collect()
}

/// The value of attribute `name` in an opening tag.
fn attr<'s>(tag: &'s str, name: &str) -> Option<&'s str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// A numeric attribute of an opening tag (NaN when absent).
fn number_attr(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The legend boxes drawn (`draw_legend` fills them at opacity 0.9), as
/// `(x0, y0, x1, y1)`.
fn legend_boxes(svg: &str) -> Vec<(f64, f64, f64, f64)> {
    tags(svg, "rect")
        .iter()
        .filter(|r| attr(r, "opacity") == Some("0.9"))
        .map(|r| {
            let (x, y) = (number_attr(r, "x"), number_attr(r, "y"));
            (
                x,
                y,
                x + number_attr(r, "width"),
                y + number_attr(r, "height"),
            )
        })
        .collect()
}

/// The `(x, y)` points of a polyline or polygon.
fn points(tag: &str) -> Vec<(f64, f64)> {
    attr(tag, "points")
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|p| {
            let (x, y) = p.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

/// Every text element drawn: its opening tag and its text, unescaped.
fn text_elements(svg: &str) -> Vec<(&str, String)> {
    svg.match_indices("<text ")
        .filter_map(|(i, _)| {
            let rest = &svg[i..];
            let open = rest.find('>')?;
            let body = &rest[open + 1..rest.find("</text>")?];
            Some((
                &rest[..open],
                body.trim()
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
            ))
        })
        .collect()
}

/// Every text drawn, unescaped.
fn texts(svg: &str) -> Vec<String> {
    text_elements(svg)
        .into_iter()
        .map(|(_, text)| text)
        .collect()
}

fn has_text(svg: &str, wanted: &str) -> bool {
    texts(svg).iter().any(|t| t.contains(wanted))
}

fn assert_texts(svg: &str, wanted: &[&str]) {
    let all = texts(svg);
    for w in wanted {
        assert!(
            all.iter().any(|t| t.contains(w)),
            "no text containing {w:?} among {all:?}"
        );
    }
}

/// The `#RRGGBB` an SVG uses for a colour.
fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

fn filled_with<'s>(svg: &'s str, tag: &str, color: RGBColor) -> Vec<&'s str> {
    let want = hex(color);
    tags(svg, tag)
        .into_iter()
        .filter(|t| attr(t, "fill") == Some(want.as_str()))
        .collect()
}

fn scenario(query: &str) -> Scenario {
    Scenario::parse(query).expect("valid scenario")
}

/// A small scenario: 200 paths of 20 steps.
const SMALL: &str = "v=1&paths=200&steps=20";

fn ledger(query: &str, index: u64) -> Vec<LedgerRow> {
    Engine::for_plan(&Plan::new(&scenario(query)))
        .ledger(0, index)
        .1
}

fn is_well_formed(svg: &str) -> bool {
    svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>")
}

// ---------------------------------------------------------------------------
// One path's ledger

#[test]
fn an_insured_run_marks_its_floor_on_the_histogram_and_the_comparison() {
    let s = scenario("v=1&insure=cppi&mult=5&paths=300&steps=21&jumps=1&jmean=-0.2");
    let plan = Plan::new(&s);
    let floor = plan.floor_outcome().expect("insured");
    assert_eq!(floor, -1_000.0); // 0.9 × 10,000 − 10,000
    let summary = ScenarioSummary::run(&plan);
    let out = svg(|a| charts::draw_insured_histogram(a, &summary.run, floor, &Theme::LIGHT));
    assert!(is_well_formed(&out));
    assert!(
        out.contains("floor  -1000") || out.contains("floor  −1000"),
        "floor legend"
    );
    assert!(out.contains("at the horizon"), "the insured axis title");
    let comparison = analysis::compare(&plan);
    assert_eq!(comparison.floor, Some(floor));
    let out = svg(|a| charts::draw_comparison(a, &comparison, &Theme::LIGHT));
    assert!(out.contains("floor"), "floor on the comparison");
    // The four protections as distributions: an outline and a legend entry each.
    let out = svg(|a| charts::draw_outcome_histograms(a, &comparison, &Theme::LIGHT));
    assert!(is_well_formed(&out));
    for name in [
        "none",
        "put",
        "synthetic, every 1",
        "cppi, every 1",
        "floor",
    ] {
        assert!(out.contains(name), "{name} in the legend");
    }
    let empty = Comparison {
        rows: Vec::new(),
        ..comparison.clone()
    };
    let out = svg(|a| charts::draw_outcome_histograms(a, &empty, &Theme::LIGHT));
    assert!(is_well_formed(&out));
    // A hedged option book has no floor.
    let plain = analysis::compare(&Plan::new(&scenario("v=1&paths=100&steps=10")));
    assert_eq!(plain.floor, None);
}

#[test]
fn a_moving_variance_gets_its_vol_panel_and_a_constant_one_does_not() {
    let heston = ledger("v=1&model=heston&xi=0.8&paths=50&steps=30", 2);
    let out = svg(|a| charts::draw_spot_path(a, &heston, &[100.0], &Theme::LIGHT));
    assert!(is_well_formed(&out));
    assert!(out.contains("instantaneous vol"), "Heston: a vol panel");
    // Its line has a point per row: √v of each.
    assert!(out.contains("vol √v (%)"));
    let gbm = ledger("v=1&paths=50&steps=30", 2);
    let out = svg(|a| charts::draw_spot_path(a, &gbm, &[100.0], &Theme::LIGHT));
    assert!(
        !out.contains("instantaneous vol"),
        "GBM: one constant vol, no panel"
    );
}

#[test]
fn spot_path_draws_every_row_and_a_marker_per_trade() {
    let s = scenario("v=1&paths=200&steps=20&rule=band&band=0.05");
    let rows = ledger(&s.to_query(), 3);
    assert_eq!(rows.len(), 21);
    let out = svg(|a| charts::draw_spot_path(a, &rows, &[s.strike], &Theme::LIGHT));
    assert!(is_well_formed(&out));

    // The spot line: the one polyline with a point per row.
    let lines = tags(&out, "polyline");
    let longest = lines.iter().map(|l| points(l).len()).max().unwrap_or(0);
    assert_eq!(longest, s.steps as usize + 1);
    let spot = lines
        .iter()
        .map(|l| points(l))
        .find(|p| p.len() == rows.len())
        .expect("spot line");
    // Time runs left to right, and higher spots are higher on the page.
    assert!(spot.windows(2).all(|w| w[1].0 > w[0].0));
    let (hi, lo) = rows.iter().enumerate().fold((0, 0), |(hi, lo), (i, r)| {
        (
            if r.spot > rows[hi].spot { i } else { hi },
            if r.spot < rows[lo].spot { i } else { lo },
        )
    });
    assert!(spot[hi].1 < spot[lo].1);

    // A marker per non-zero trade (+1 legend swatch per kind), on the line.
    let buys = rows.iter().filter(|r| r.trade > 0.0).count();
    let sells = rows.iter().filter(|r| r.trade < 0.0).count();
    assert!(buys > 0 && sells > 0, "the path should both buy and sell");
    let buy_marks = filled_with(&out, "polygon", Theme::LIGHT.buy);
    let sell_marks = filled_with(&out, "polygon", Theme::LIGHT.sell);
    assert_eq!(buy_marks.len(), buys + 1);
    assert_eq!(sell_marks.len(), sells + 1);
    assert_eq!(tags(&out, "polygon").len(), buys + sells + 2);
    let on_the_line = |mark: &&str| {
        let corners = points(mark);
        let cx = corners.iter().map(|p| p.0).sum::<f64>() / 3.0;
        let cy = corners.iter().map(|p| p.1).sum::<f64>() / 3.0;
        spot.iter()
            .any(|p| (p.0 - cx).abs() <= 1.5 && (p.1 - cy).abs() <= 2.5)
    };
    let on_line = buy_marks
        .iter()
        .chain(&sell_marks)
        .filter(|m| on_the_line(m))
        .count();
    assert_eq!(
        on_line,
        buys + sells,
        "every trade marker sits on the spot line"
    );

    assert_texts(
        &out,
        &[
            "time (days)",
            "spot (money per share)",
            "strike 100",
            &format!("buy ({buys} trades)"),
            &format!("sell ({sells} trades)"),
        ],
    );
}

#[test]
fn spot_path_without_strike_has_no_strike_line() {
    let rows = ledger(SMALL, 0);
    let out = svg(|a| charts::draw_spot_path(a, &rows, &[], &Theme::LIGHT));
    assert!(!has_text(&out, "strike"));
    // Every date trades under rule=every (a marker each, the close included).
    let trades = rows.iter().filter(|r| r.trade != 0.0).count();
    assert!(trades >= 20);
    let kinds = usize::from(rows.iter().any(|r| r.trade > 0.0))
        + usize::from(rows.iter().any(|r| r.trade < 0.0));
    assert_eq!(tags(&out, "polygon").len(), trades + kinds);
}

#[test]
fn hedge_draws_the_target_and_a_step_line_of_holdings() {
    let rows = ledger(SMALL, 1);
    let n = rows.len();
    let out = svg(|a| charts::draw_hedge(a, &rows, &Theme::LIGHT));
    assert!(is_well_formed(&out));
    let lines: Vec<Vec<(f64, f64)>> = tags(&out, "polyline").iter().map(|l| points(l)).collect();
    // The target: a point per row; the holding: a step per row after the first.
    assert!(lines.iter().any(|p| p.len() == n));
    let held = lines
        .iter()
        .find(|p| p.len() == 2 * n - 1)
        .expect("the step line of holdings");
    // Steps: alternately horizontal then vertical.
    for (k, w) in held.windows(2).enumerate() {
        if k % 2 == 0 {
            assert_eq!(w[0].1, w[1].1, "flat between dates");
        } else {
            assert_eq!(w[0].0, w[1].0, "a trade is a vertical jump");
        }
    }
    assert_texts(&out, &["time (days)", "shares", "target", "held"]);
}

/// A short call gamma-hedged with a listed call, every step.
const GAMMA_HEDGED: &str =
    "v=1&paths=5&steps=30&greeks=delta-gamma&with=c105@0.5&legs=-100c100_-50p95";

#[test]
fn hedge_with_options_draws_each_options_holding_as_a_step_line() {
    let rows = ledger(GAMMA_HEDGED, 0);
    let n = rows.len();
    let out = svg(|a| charts::draw_hedge(a, &rows, &Theme::LIGHT));
    let lines: Vec<Vec<(f64, f64)>> = tags(&out, "polyline").iter().map(|l| points(l)).collect();
    // Shares held and option 1 held: a step line each over every date, both
    // back to zero at expiry (closed or settled).
    let steps: Vec<&Vec<(f64, f64)>> = lines.iter().filter(|p| p.len() == 2 * n - 1).collect();
    assert_eq!(steps.len(), 2, "shares and one hedge option");
    for line in steps {
        for (k, w) in line.windows(2).enumerate() {
            if k % 2 == 0 {
                assert_eq!(w[0].1, w[1].1, "flat between dates");
            } else {
                assert_eq!(w[0].0, w[1].0, "a trade is a vertical jump");
            }
        }
    }
    let last = rows.last().expect("rows");
    assert_eq!(last.option1_held, Some(0.0));
    assert_eq!(last.option1_trade, rows[n - 2].option1_held.map(|w| -w));
    assert_texts(&out, &["shares or options held", "hedge option 1 held"]);
}

#[test]
fn position_greeks_draw_three_panels_with_the_ledgers_values() {
    for (query, gamma_hedged) in [(SMALL, false), (GAMMA_HEDGED, true)] {
        let rows = ledger(query, 0);
        let out = svg(|a| charts::draw_position_greeks(a, &rows, &Theme::LIGHT));
        assert!(is_well_formed(&out));
        assert_texts(
            &out,
            &["delta (shares)", "gamma", "vega per vol pt", "time (days)"],
        );
        // Three panels, each with a line of one point per date before expiry.
        let lines = tags(&out, "polyline")
            .iter()
            .filter(|l| points(l).len() == rows.len() - 1)
            .count();
        assert_eq!(lines, 3, "{query}");
        // What the ledger says the chart shows: shares hedge delta; only hedge
        // options hedge gamma.
        let before_expiry = &rows[..rows.len() - 1];
        let book_gamma = before_expiry
            .iter()
            .map(|r| r.position_gamma.abs())
            .fold(0.0, f64::max);
        if gamma_hedged {
            assert!(book_gamma < 1e-9, "gamma left: {book_gamma}");
        } else {
            assert!(book_gamma > 1.0, "a short call's gamma stays: {book_gamma}");
        }
        let every_step_delta = before_expiry
            .iter()
            .map(|r| r.position_delta.abs())
            .fold(0.0, f64::max);
        if query.contains("rule=every") || !query.contains("rule=") {
            assert!(
                every_step_delta < 1e-9,
                "{query}: delta left {every_step_delta}"
            );
        }
    }
}

#[test]
fn spot_path_marks_every_strike_of_a_book() {
    let rows = ledger("v=1&paths=3&steps=20&legs=100c95_-200c100_100c105", 0);
    let out =
        svg(|a| charts::draw_spot_path(a, &rows, &[95.0, 100.0, 105.0, 100.0], &Theme::LIGHT));
    assert!(has_text(&out, "strikes 95, 100, 105"));
}

#[test]
fn pnl_attribution_of_an_option_hedge_has_an_options_part() {
    let rows = ledger(GAMMA_HEDGED, 1);
    let out = svg(|a| charts::draw_pnl_attribution(a, &rows, &Theme::LIGHT));
    let full = tags(&out, "polyline")
        .iter()
        .filter(|l| points(l).len() == rows.len())
        .count();
    assert_eq!(full, 8, "total + six parts + hedge options");
    assert!(has_text(&out, "hedge options"));
}

#[test]
fn pnl_attribution_draws_the_total_and_six_parts() {
    let rows = ledger(SMALL, 2);
    let out = svg(|a| charts::draw_pnl_attribution(a, &rows, &Theme::LIGHT));
    assert!(is_well_formed(&out));
    let full = tags(&out, "polyline")
        .iter()
        .filter(|l| points(l).len() == rows.len())
        .count();
    assert_eq!(
        full, 7,
        "total + gamma, theta, delta, financing, costs, residual"
    );
    assert_texts(
        &out,
        &[
            "cumulative P&L (money)",
            "time (days)",
            "total P&L",
            "gamma",
            "theta",
            "unhedged delta",
            "financing",
            "costs",
            "residual",
        ],
    );
    // The total line is the thickest.
    let widths: Vec<u32> = tags(&out, "polyline")
        .iter()
        .filter(|l| points(l).len() == rows.len())
        .filter_map(|l| attr(l, "stroke-width")?.parse().ok())
        .collect();
    let thickest = widths.iter().max().copied().unwrap_or(0);
    assert_eq!(widths.iter().filter(|&&w| w == thickest).count(), 1);
}

#[test]
fn pnl_attribution_legend_hides_no_line_at_any_size() {
    // Seven legend entries: the chart keeps a band clear for them (in columns
    // when the chart is wide), so no vertex of any line falls under the box.
    let rows = ledger("v=1&paths=50&steps=60", 3);
    for size in [(300, 220), (420, 260), (640, 320), (900, 360), (1200, 500)] {
        let out = svg_sized(size, &Theme::LIGHT, |a| {
            charts::draw_pnl_attribution(a, &rows, &Theme::LIGHT)
        });
        let boxes = legend_boxes(&out);
        assert_eq!(boxes.len(), 1, "{size:?}: one legend box");
        let (x0, y0, x1, y1) = boxes[0];
        let hidden = tags(&out, "polyline")
            .iter()
            .filter(|l| points(l).len() == rows.len())
            .flat_map(|l| points(l))
            .filter(|&(x, y)| x >= x0 && x <= x1 && y >= y0 && y <= y1)
            .count();
        assert_eq!(hidden, 0, "{size:?}: line points under the legend box");
    }
}

// ---------------------------------------------------------------------------
// Monte Carlo results

#[test]
fn histogram_draws_a_bar_per_nonempty_bin_with_marks_and_normal() {
    let summary = ScenarioSummary::run(&Plan::new(&scenario(SMALL)));
    let run = &summary.run;
    assert!(summary.derman_kamal_sd.is_some());
    let out = svg(|a| charts::draw_histogram(a, run, summary.derman_kamal_sd, &Theme::LIGHT));
    assert!(is_well_formed(&out));

    let nonempty: Vec<u32> = run
        .histogram
        .counts
        .iter()
        .copied()
        .filter(|&c| c > 0)
        .collect();
    assert!(tags(&out, "rect").len() >= nonempty.len());
    let bars = filled_with(&out, "rect", Theme::LIGHT.series[0]);
    assert_eq!(bars.len(), nonempty.len());
    // Bar heights are proportional to the counts (to a pixel), in bin order.
    let heights: Vec<f64> = bars
        .iter()
        .filter_map(|b| attr(b, "height")?.parse().ok())
        .collect();
    // Heights are affine in the counts (pixel edges may cost one pixel): fit the
    // line through the lowest and highest bars and check every bar against it.
    let pairs: Vec<(f64, f64)> = heights
        .iter()
        .copied()
        .zip(nonempty.iter().map(|&c| f64::from(c)))
        .collect();
    let by_count = |a: &&(f64, f64), b: &&(f64, f64)| a.1.total_cmp(&b.1);
    let &(h_lo, c_lo) = pairs.iter().min_by(by_count).expect("bars");
    let &(h_hi, c_hi) = pairs.iter().max_by(by_count).expect("bars");
    assert!(c_hi > c_lo, "the sample has bins of different heights");
    let per_path = (h_hi - h_lo) / (c_hi - c_lo);
    assert!(per_path > 1.0);
    for &(h, c) in &pairs {
        assert!(
            (h - (h_lo + per_path * (c - c_lo))).abs() <= 1.5,
            "{h} px for {c} paths"
        );
    }
    // Bars left to right.
    let xs: Vec<f64> = bars
        .iter()
        .filter_map(|b| attr(b, "x")?.parse().ok())
        .collect();
    assert!(xs.windows(2).all(|w| w[1] > w[0]));

    // The dashed normal curve is many short polylines.
    assert!(filled_or_stroked(&out, "polyline", Theme::LIGHT.series[2]) > 10);
    assert_texts(
        &out,
        &[
            "P&L at t=0 (money)",
            "paths",
            "mean",
            "−VaR95",
            "−ES95",
            "Derman–Kamal",
        ],
    );
}

fn filled_or_stroked(svg: &str, tag: &str, color: RGBColor) -> usize {
    let want = hex(color);
    tags(svg, tag)
        .iter()
        .filter(|t| attr(t, "stroke") == Some(want.as_str()) || attr(t, "fill") == Some(&want))
        .count()
}

#[test]
fn histogram_without_derman_kamal_has_no_curve() {
    let summary = ScenarioSummary::run(&Plan::new(&scenario(SMALL)));
    let out = svg(|a| charts::draw_histogram(a, &summary.run, None, &Theme::LIGHT));
    assert!(!has_text(&out, "Derman"));
    assert_eq!(
        filled_or_stroked(&out, "polyline", Theme::LIGHT.series[2]),
        0
    );
}

#[test]
fn histogram_x_range_covers_every_bin() {
    let summary = ScenarioSummary::run(&Plan::new(&scenario(SMALL)));
    let h = &summary.run.histogram;
    let (lo, hi) = charts::histogram_x_range(&summary.run);
    assert!(lo < h.start && hi > h.edge(h.counts.len()));
    assert!(lo <= summary.run.pnl.min && hi >= summary.run.pnl.max);
    // A point inside maps back to a bin.
    let mid = lo / 2.0 + hi / 2.0;
    assert!(h.bin_of(mid) < h.counts.len());
}

#[test]
fn histogram_pixel_range_locates_the_drawn_bars() {
    let summary = ScenarioSummary::run(&Plan::new(&scenario(SMALL)));
    let run = &summary.run;
    let dk = summary.derman_kamal_sd;
    let mut range = None;
    let out = svg(|a| {
        range = Some(charts::histogram_pixel_range(a, run, dk, &Theme::LIGHT)?);
        charts::draw_histogram(a, run, dk, &Theme::LIGHT)
    });
    let (x0, x1, lo, hi) = range.expect("pixel range");
    assert_eq!((lo, hi), charts::histogram_x_range(run));
    assert!(0 < x0 && x0 < x1 && x1 < SIZE.0 as i32);
    let to_px = |pnl: f64| f64::from(x0) + (pnl - lo) / (hi - lo) * f64::from(x1 - x0);
    let h = &run.histogram;
    let bars = filled_with(&out, "rect", Theme::LIGHT.series[0]);
    let nonempty = (0..h.counts.len()).filter(|&i| h.counts[i] > 0);
    for (bar, i) in bars.iter().zip(nonempty) {
        let x: f64 = attr(bar, "x")
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN);
        let w: f64 = attr(bar, "width")
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN);
        assert!((x - to_px(h.edge(i))).abs() <= 2.5, "bin {i} starts at {x}");
        assert!(
            (x + w - to_px(h.edge(i + 1))).abs() <= 2.5,
            "bin {i} ends at {}",
            x + w
        );
        // …and a click in its middle maps back to it.
        let middle = lo + (x + w / 2.0 - f64::from(x0)) / f64::from(x1 - x0) * (hi - lo);
        assert_eq!(h.bin_of(middle), i);
    }
}

#[test]
fn frontier_marks_every_point_labels_it_and_highlights_the_current_one() {
    let s = scenario("v=1&paths=200&steps=20&rule=band&band=0.05");
    let frontier = analysis::frontier(&Plan::new(&s));
    let current = frontier.current.expect("band=0.05 is on the sweep");
    let out = svg(|a| charts::draw_frontier(a, &frontier, &Theme::LIGHT));
    assert!(is_well_formed(&out));
    // One dot per point, plus the legend's.
    let dots = filled_with(&out, "circle", Theme::LIGHT.series[0]);
    assert_eq!(dots.len(), frontier.points.len() + 1);
    // The current point: a bigger accent dot (plus the legend's).
    let accent = filled_with(&out, "circle", Theme::LIGHT.accent);
    assert_eq!(accent.len(), 2);
    let radius = |c: &&str| {
        attr(c, "r")
            .and_then(|r| r.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let big = accent.iter().map(radius).fold(0.0, f64::max);
    assert!(big > dots.iter().map(radius).fold(0.0, f64::max));
    // The line joins the points in order.
    assert!(tags(&out, "polyline")
        .iter()
        .any(|l| points(l).len() == frontier.points.len()));
    assert!(frontier.points[current].value == 0.05);
    assert_texts(
        &out,
        &[
            "mean costs per path (PV, money)",
            "SD of P&L (PV, money)",
            "current: band = 0.05",
            "0.5",
        ],
    );
}

#[test]
fn comparison_legend_covers_no_sd_label() {
    // The default scenario at the page's sizes: the short call unhedged has
    // the tallest box, so the legend's first choice (top right) would fall on
    // the static hedge's "SD …" label, which it must keep clear of.
    let comparison = analysis::compare(&Plan::new(&scenario("v=1")));
    for size in [(460, 280), (640, 320), (900, 360)] {
        let out = svg_sized(size, &Theme::LIGHT, |a| {
            charts::draw_comparison(a, &comparison, &Theme::LIGHT)
        });
        let boxes = legend_boxes(&out);
        assert_eq!(boxes.len(), 1, "{size:?}: one legend box");
        let (x0, y0, x1, y1) = boxes[0];
        let labels: Vec<(f64, f64, usize)> = text_elements(&out)
            .into_iter()
            .filter(|(_, text)| text.starts_with("SD "))
            .map(|(tag, text)| {
                (
                    number_attr(tag, "x"),
                    number_attr(tag, "y"),
                    text.chars().count(),
                )
            })
            .collect();
        assert_eq!(labels.len(), 3, "{size:?}: an SD label per strategy");
        for (x, y, chars) in labels {
            // The label's start and its approximate end (a character is
            // about half the 12 px font wide, or more).
            for px in [x, x + 6.0 * chars as f64] {
                let covered = px >= x0 && px <= x1 && y >= y0 && y <= y1;
                assert!(
                    !covered,
                    "{size:?}: the legend covers an SD label at ({px}, {y})"
                );
            }
        }
    }
}

#[test]
fn comparison_sd_labels_stay_on_the_canvas() {
    // The last column's "SD …" label goes beside its box on the right, unless
    // the canvas ends first (a phone's narrow chart): then centred above its
    // column. Each label's box from its anchor and its size in the bundled
    // font: on the canvas, and not under the legend.
    let comparison = analysis::compare(&Plan::new(&scenario("v=1")));
    let mut sides = Vec::new();
    for size in [(220, 260), (300, 260), (460, 280), (900, 360)] {
        let out = svg_sized(size, &Theme::LIGHT, |a| {
            charts::draw_comparison(a, &comparison, &Theme::LIGHT)
        });
        let mut measure = String::new();
        let probe = SVGBackend::with_string(&mut measure, size).into_drawing_area();
        let labels: Vec<(&str, String)> = text_elements(&out)
            .into_iter()
            .filter(|(_, text)| text.starts_with("SD "))
            .collect();
        assert_eq!(labels.len(), 3, "{size:?}: an SD label per strategy");
        for (tag, text) in labels {
            // plotters' SVG writes a font's size divided by 1.24.
            let size_px = number_attr(tag, "font-size") * 1.24;
            let font = TextStyle::from(("sans-serif", size_px).into_font());
            let (width, height) = probe.estimate_text_size(&text, &font).unwrap();
            let (width, height) = (f64::from(width), f64::from(height));
            let (x, y) = (number_attr(tag, "x"), number_attr(tag, "y"));
            let (start, end) = match attr(tag, "text-anchor") {
                Some("middle") => (x - 0.5 * width, x + 0.5 * width),
                Some("end") => (x - width, x),
                _ => (x, x + width),
            };
            // Centred on y (dy 0.5ex), or standing on it (dy −0.5ex).
            let (top, bottom) = match attr(tag, "dy") {
                Some("-0.5ex") => (y - height, y),
                _ => (y - 0.5 * height, y + 0.5 * height),
            };
            assert!(
                start >= 0.0 && end <= f64::from(size.0) && top >= 0.0,
                "{size:?}: {text:?} spans {start:.1}–{end:.1} × {top:.1}–{bottom:.1}"
            );
            for (x0, y0, x1, y1) in legend_boxes(&out) {
                let covered = start <= x1 && end >= x0 && top <= y1 && bottom >= y0;
                assert!(!covered, "{size:?}: the legend covers {text:?}");
            }
            sides.push(attr(tag, "text-anchor").unwrap_or("start").to_string());
        }
    }
    // The narrowest size moves a label above its column; the widest keep all
    // on the right.
    assert!(sides.iter().any(|s| s == "middle"), "{sides:?}");
    assert!(sides[9..].iter().all(|s| s == "start"), "{sides:?}");
}

#[test]
fn comparison_draws_a_column_per_strategy() {
    let comparison = analysis::compare(&Plan::new(&scenario(SMALL)));
    assert_eq!(comparison.rows.len(), 3);
    let out = svg(|a| charts::draw_comparison(a, &comparison, &Theme::LIGHT));
    assert!(is_well_formed(&out));
    let names: Vec<&str> = comparison.rows.iter().map(|(n, _)| n.as_str()).collect();
    assert_texts(&out, &names);
    assert_texts(
        &out,
        &[
            "P&L at t=0 (money)",
            "5th–95th percentile",
            "mean ± SD",
            "mean",
        ],
    );
    // Each strategy: a translucent box of mean ± SD in its colour, its SD beside it.
    for (i, (_, run)) in comparison.rows.iter().enumerate() {
        let color = Theme::LIGHT.series[i];
        assert!(
            !filled_with(&out, "rect", color).is_empty(),
            "box of row {i}"
        );
        let sd = format!("SD {}", significant3(run.pnl.sd));
        assert!(has_text(&out, &sd), "{sd}");
    }
    // Boxes are ordered left to right as the rows, and wider spreads are taller.
    let boxes: Vec<(f64, f64)> = (0..3)
        .map(|i| {
            let b = filled_with(&out, "rect", Theme::LIGHT.series[i])[0];
            let x: f64 = attr(b, "x").and_then(|v| v.parse().ok()).unwrap_or(0.0);
            let h: f64 = attr(b, "height")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0);
            (x, h)
        })
        .collect();
    assert!(boxes[0].0 < boxes[1].0 && boxes[1].0 < boxes[2].0);
    let sds: Vec<f64> = comparison.rows.iter().map(|(_, r)| r.pnl.sd).collect();
    for i in 0..3 {
        for j in 0..3 {
            if sds[i] > 1.2 * sds[j] {
                assert!(boxes[i].1 > boxes[j].1);
            }
        }
    }
}

/// Three significant digits, as the chart prints them.
#[allow(clippy::disallowed_methods)] // an independent reference
fn significant3(v: f64) -> String {
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).clamp(0, 8) as usize;
    let text = format!("{:.*}", decimals, v);
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text.len() > 4 && !text.contains('.') {
        // Thousands separators from 10,000 up.
        let mut out = String::new();
        for (i, c) in text.chars().enumerate() {
            if i > 0 && (text.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        text
    }
}

// ---------------------------------------------------------------------------
// Degenerate inputs

fn row(step: usize, spot: f64) -> LedgerRow {
    LedgerRow {
        step,
        time: step as f64 / 252.0,
        spot,
        ..LedgerRow::default()
    }
}

/// Every ledger chart on `rows`, light and dark, at the full size and tiny.
fn all_ledger_charts(rows: &[LedgerRow]) -> Vec<String> {
    let mut out = Vec::new();
    for theme in [Theme::LIGHT, Theme::DARK] {
        for size in [SIZE, (120, 80), (1, 1)] {
            out.push(svg_sized(size, &theme, |a| {
                charts::draw_spot_path(a, rows, &[100.0], &theme)
            }));
            out.push(svg_sized(size, &theme, |a| {
                charts::draw_spot_path(a, rows, &[], &theme)
            }));
            out.push(svg_sized(size, &theme, |a| {
                charts::draw_hedge(a, rows, &theme)
            }));
            out.push(svg_sized(size, &theme, |a| {
                charts::draw_pnl_attribution(a, rows, &theme)
            }));
            out.push(svg_sized(size, &theme, |a| {
                charts::draw_position_greeks(a, rows, &theme)
            }));
        }
    }
    out
}

#[test]
fn ledger_charts_draw_empty_single_and_constant_ledgers() {
    for svgs in [
        all_ledger_charts(&[]),
        all_ledger_charts(&[row(0, 100.0)]),
        all_ledger_charts(&(0..10).map(|i| row(i, 100.0)).collect::<Vec<_>>()),
        all_ledger_charts(&(0..10).map(|i| row(i, 0.0)).collect::<Vec<_>>()),
        all_ledger_charts(&[row(0, 1e300), row(1, -1e300)]),
    ] {
        assert!(svgs.iter().all(|s| is_well_formed(s)));
    }
    // An empty ledger still has its axes and titles.
    let out = svg(|a| charts::draw_spot_path(a, &[], &[100.0], &Theme::LIGHT));
    assert_texts(
        &out,
        &["time (days)", "spot (money per share)", "strike 100"],
    );
}

#[test]
fn ledger_charts_skip_non_finite_values() {
    let mut rows = ledger(SMALL, 0);
    rows[3].spot = f64::NAN;
    rows[4].time = f64::INFINITY;
    rows[5].pnl = f64::NEG_INFINITY;
    rows[6].held = f64::NAN;
    rows[7].trade = f64::NAN;
    all_ledger_charts(&rows);
    let out = svg(|a| charts::draw_spot_path(a, &rows, &[f64::NAN], &Theme::LIGHT));
    let longest = tags(&out, "polyline")
        .iter()
        .map(|l| points(l).len())
        .max()
        .unwrap_or(0);
    assert_eq!(
        longest,
        rows.len() - 2,
        "the NaN spot and the infinite time are skipped"
    );
    assert!(!has_text(&out, "strike"));
}

/// Every run chart of `run`, light and dark, full size and tiny.
fn all_run_charts(run: &RunSummary, dk: Option<f64>) {
    let comparison = Comparison {
        scenario: String::new(),
        premium: 0.0,
        rows: vec![("only".into(), run.clone())],
        hedges_options: false,
        floor: None,
    };
    for theme in [Theme::LIGHT, Theme::DARK] {
        for size in [SIZE, (120, 80), (1, 1)] {
            svg_sized(size, &theme, |a| charts::draw_histogram(a, run, dk, &theme));
            svg_sized(size, &theme, |a| {
                let (x0, x1, lo, hi) = charts::histogram_pixel_range(a, run, dk, &theme)?;
                assert!(x0 <= x1 && lo < hi && lo.is_finite() && hi.is_finite());
                Ok(())
            });
            svg_sized(size, &theme, |a| {
                charts::draw_comparison(a, &comparison, &theme)
            });
        }
    }
}

#[test]
fn run_charts_draw_an_empty_run_and_a_single_path() {
    let empty = RunSummary::of(&[]);
    all_run_charts(&empty, None);
    all_run_charts(&empty, Some(10.0));
    let (lo, hi) = charts::histogram_x_range(&empty);
    assert!(lo.is_finite() && hi.is_finite() && lo < hi);

    let one = scenario("v=1&paths=1&steps=5");
    let summary = ScenarioSummary::run(&Plan::new(&one));
    all_run_charts(&summary.run, summary.derman_kamal_sd);
    all_run_charts(&summary.run, Some(0.0));
    all_run_charts(&summary.run, Some(f64::NAN));
    all_run_charts(&summary.run, Some(1e-12));
    let out = svg(|a| charts::draw_histogram(a, &summary.run, None, &Theme::LIGHT));
    assert_eq!(filled_with(&out, "rect", Theme::LIGHT.series[0]).len(), 1);

    for query in ["v=1&paths=1&steps=5", "v=1&paths=1&steps=1&rule=band"] {
        let s = scenario(query);
        let plan = Plan::new(&s);
        let comparison = analysis::compare(&plan);
        let frontier = analysis::frontier(&plan);
        svg(|a| charts::draw_comparison(a, &comparison, &Theme::LIGHT));
        svg(|a| charts::draw_frontier(a, &frontier, &Theme::LIGHT));
    }
}

#[test]
fn frontier_and_comparison_draw_without_data() {
    let empty = Frontier {
        scenario: String::new(),
        parameter: "band",
        points: Vec::new(),
        current: None,
    };
    let point = FrontierPoint {
        value: 0.05,
        mean_costs: 3.0,
        sd_pnl: 3.0,
        mean_pnl: 0.0,
        mean_trades: 1.0,
    };
    let one = Frontier {
        points: vec![point],
        current: Some(0),
        ..empty.clone()
    };
    let same = Frontier {
        points: vec![point; 4],
        current: Some(7), // out of range: no highlight
        ..empty.clone()
    };
    let odd = Frontier {
        points: vec![
            FrontierPoint {
                sd_pnl: f64::NAN,
                ..point
            },
            FrontierPoint {
                mean_costs: f64::INFINITY,
                ..point
            },
            point,
        ],
        current: Some(0),
        ..empty.clone()
    };
    for frontier in [&empty, &one, &same, &odd] {
        for theme in [Theme::LIGHT, Theme::DARK] {
            for size in [SIZE, (120, 80), (1, 1)] {
                svg_sized(size, &theme, |a| charts::draw_frontier(a, frontier, &theme));
            }
        }
    }
    let out = svg(|a| charts::draw_frontier(a, &one, &Theme::LIGHT));
    assert_eq!(filled_with(&out, "circle", Theme::LIGHT.accent).len(), 2);
    let out = svg(|a| charts::draw_frontier(a, &same, &Theme::LIGHT));
    assert!(filled_with(&out, "circle", Theme::LIGHT.accent).is_empty());

    let nothing = Comparison {
        scenario: String::new(),
        premium: 0.0,
        rows: Vec::new(),
        hedges_options: false,
        floor: None,
    };
    let out = svg(|a| charts::draw_comparison(a, &nothing, &Theme::LIGHT));
    assert!(is_well_formed(&out));
}

#[test]
fn smile_draws_the_models_smile_with_the_spot_and_the_hedgers_vol() {
    use hedge_explorer::results::smile::smile;
    let p = hedge_explorer::plan::Plan::new(&scenario("v=1&model=heston&xi=0.6&rho=-0.7"));
    let strikes = smile(&p);
    let out = svg(|a| charts::draw_smile(a, &strikes, 100.0, p.model.vol, &Theme::LIGHT));
    assert!(is_well_formed(&out));
    let lines = tags(&out, "polyline");
    let curve = lines
        .iter()
        .map(|l| points(l))
        .find(|pts| pts.len() == strikes.len())
        .expect("a point per strike");
    // Strikes left to right; a down-sloping skew rises on the page to the left.
    assert!(curve.windows(2).all(|w| w[1].0 > w[0].0));
    assert!(curve[0].1 < curve[curve.len() / 2].1);
    assert_texts(
        &out,
        &[
            "strike (money)",
            "implied vol (%)",
            "spot",
            "hedger's vol 20%",
            "model's smile",
        ],
    );
    // Degenerate inputs draw without error.
    for size in [SIZE, (120, 80), (1, 1)] {
        svg_sized(size, &Theme::DARK, |a| {
            charts::draw_smile(a, &[], f64::NAN, f64::NAN, &Theme::DARK)
        });
    }
}

// ---------------------------------------------------------------------------
// Portfolio insurance

mod insured {
    use super::*;
    use hedge_explorer::hedging::costs::CostModel;
    use hedge_explorer::hedging::rules::RebalanceRule;
    use hedge_explorer::history::date::Date;
    use hedge_explorer::insurance::{InsuranceKind, InsuranceRow, InsuranceSetup, Insurer};
    use hedge_explorer::paths::{JumpDiffusion, Jumps, PathBuffer, PathSource, TimeGrid};

    const QUANTITY: f64 = 100.0;
    const MULTIPLIER: f64 = 4.0;

    fn cppi(steps: usize) -> Insurer {
        Insurer::new(InsuranceSetup {
            kind: InsuranceKind::Cppi,
            quantity: QUANTITY,
            spot: 100.0,
            floor: 0.9,
            multiplier: MULTIPLIER,
            cap: 1.0,
            rate: 0.03,
            dividend: 0.0,
            hedging_vol: 0.2,
            costs: CostModel::FREE,
            option_cost: 0.0,
            rule: RebalanceRule::Every { interval: 1 },
            grid: TimeGrid::even(1.0, steps),
        })
        .expect("a valid CPPI setup")
    }

    /// The rows of `insurer` on `path`.
    fn rows_on(insurer: &Insurer, path: &PathBuffer) -> Vec<InsuranceRow> {
        let mut rows = Vec::new();
        insurer.run_recorded(path, &mut rows);
        rows
    }

    /// A GBM path of `steps` steps (vol 25 %, no jumps).
    pub(super) fn gbm_rows(steps: usize, seed: u64) -> Vec<InsuranceRow> {
        let insurer = cppi(steps);
        let source = JumpDiffusion {
            spot: 100.0,
            drift: 0.05,
            dividend: 0.0,
            vol: 0.25,
            jumps: Jumps::NONE,
            grid: insurer.setup().grid.clone(),
            seed,
        };
        let mut path = PathBuffer::new(steps);
        source.fill(0, &mut path);
        rows_on(&insurer, &path)
    }

    /// A path that falls 1 % a step, then drops 30 % in one step at step 20:
    /// more than 1/m = 25 %, so CPPI's value goes through its floor there.
    pub(super) fn crash_rows() -> Vec<InsuranceRow> {
        let steps = 40;
        let mut path = PathBuffer::new(steps);
        let mut spot = 100.0;
        for i in 0..=steps {
            if i > 0 {
                spot *= if i == 20 { 0.7 } else { 0.99 };
            }
            path.spot[i] = spot;
            path.log_spot[i] = libm::log(spot);
        }
        rows_on(&cppi(steps), &path)
    }

    fn unprotected(rows: &[InsuranceRow]) -> Vec<f64> {
        rows.iter().map(|r| QUANTITY * r.spot).collect()
    }

    #[test]
    fn insured_path_draws_value_floor_unprotected_and_exposure() {
        let rows = gbm_rows(60, 7);
        let bare = unprotected(&rows);
        let n = rows.len();
        for theme in [Theme::LIGHT, Theme::DARK] {
            let out = svg_sized(SIZE, &theme, |a| {
                charts::draw_insured_path(a, &rows, &bare, &theme)
            });
            assert!(is_well_formed(&out));
            assert!(!out.contains("NaN"));
            assert_texts(
                &out,
                &[
                    "value (money)",
                    "exposure (share of value)",
                    "time (days)",
                    "insured value",
                    "floor (present value)",
                    "unprotected",
                    "cushion",
                    "shares × spot / value",
                ],
            );
            let lines: Vec<Vec<(f64, f64)>> =
                tags(&out, "polyline").iter().map(|l| points(l)).collect();
            // The value and the unprotected value: a point per row each, time
            // left to right; the value's line is the insured one (series 0).
            let full: Vec<&str> = tags(&out, "polyline")
                .into_iter()
                .filter(|l| points(l).len() == n)
                .collect();
            assert_eq!(full.len(), 2, "insured and unprotected values");
            for color in [theme.series[0], theme.series[1]] {
                assert!(full
                    .iter()
                    .any(|l| attr(l, "stroke") == Some(hex(color).as_str())));
            }
            // The exposure: a step line of 2n − 1 vertices whose heights are an
            // affine image of shares·S/V computed here from the rows.
            let step = lines
                .iter()
                .find(|p| p.len() == 2 * n - 1)
                .expect("the exposure's step line");
            let exposure: Vec<f64> = rows.iter().map(|r| r.shares * r.spot / r.value).collect();
            // Vertex 2i is row i; vertex 2i − 1 is row i's time at row i − 1's
            // level: vertex k is at row k / 2's level.
            let level = |k: usize| exposure[k / 2];
            let (lo, hi) = (0..step.len()).fold((0, 0), |(lo, hi), k| {
                (
                    if level(k) < level(lo) { k } else { lo },
                    if level(k) > level(hi) { k } else { hi },
                )
            });
            assert!(
                level(hi) - level(lo) > 0.05,
                "the exposure moves on this path"
            );
            let slope = (step[hi].1 - step[lo].1) / (level(hi) - level(lo));
            assert!(slope < 0.0, "more exposure is higher on the page");
            for (k, p) in step.iter().enumerate() {
                let expected = step[lo].1 + slope * (level(k) - level(lo));
                assert!(
                    (p.1 - expected).abs() <= 1.5,
                    "vertex {k}: {} vs {expected}",
                    p.1
                );
            }
            // CPPI with cap 1 never holds more than the value in shares.
            assert!(exposure.iter().all(|&e| e <= 1.0 + 1e-12));
        }
    }

    #[test]
    fn insured_path_marks_where_the_value_touches_the_floor() {
        let rows = crash_rows();
        // The reference: the first row whose value is at or below its floor.
        let first = rows
            .iter()
            .position(|r| r.value <= r.floor * (1.0 + 1e-9))
            .expect("a 30 % drop breaks a CPPI floor with m = 4");
        assert_eq!(first, 20);
        let out = svg(|a| charts::draw_insured_path(a, &rows, &[], &Theme::LIGHT));
        assert!(!has_text(&out, "unprotected"));
        let day = frame_day(rows[first].time);
        assert_texts(&out, &[&format!("touches the floor on day {day}")]);
        // One dot on the chart and one in the legend; the chart's is on the
        // value line's vertex of that row.
        let dots = filled_with(&out, "circle", Theme::LIGHT.sell);
        assert_eq!(dots.len(), 2);
        let value = tags(&out, "polyline")
            .into_iter()
            .filter(|l| attr(l, "stroke") == Some(hex(Theme::LIGHT.series[0]).as_str()))
            .map(points)
            .find(|p| p.len() == rows.len())
            .expect("the value line");
        let centre = |c: &&str| -> Option<(f64, f64)> {
            Some((attr(c, "cx")?.parse().ok()?, attr(c, "cy")?.parse().ok()?))
        };
        assert!(dots.iter().filter_map(centre).any(|(x, y)| {
            (x - value[first].0).abs() <= 1.0 && (y - value[first].1).abs() <= 1.0
        }));
        // After the breach CPPI is all cash: the step line ends at exposure 0,
        // which is the lowest level it reaches.
        let n = rows.len();
        let step = tags(&out, "polyline")
            .iter()
            .map(|l| points(l))
            .find(|p| p.len() == 2 * n - 1)
            .expect("the exposure's step line");
        let bottom = step.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        assert_eq!(step[step.len() - 1].1, bottom);
        assert!(rows[first..].iter().all(|r| r.shares == 0.0));
    }

    /// A day as the chart prints it: 3 significant digits of `t × 365`.
    fn frame_day(time: f64) -> String {
        significant3(time * 365.0)
    }

    #[test]
    fn insured_path_of_recorded_prices_has_a_date_axis() {
        let mut rows = gbm_rows(30, 3);
        let first = Date::from_ymd(2008, 9, 1).expect("a date");
        for r in &mut rows {
            r.date = Some(Date(first.0 + libm::round(r.time * 365.0) as i32));
        }
        let out = svg(|a| charts::draw_insured_path(a, &rows, &[], &Theme::DARK));
        assert_texts(&out, &["date", "2008-"]);
        assert!(!has_text(&out, "time (days)"));
    }

    #[test]
    fn insured_path_draws_empty_single_and_non_finite_ledgers() {
        let mut odd = gbm_rows(20, 1);
        odd[3].value = f64::NAN;
        odd[4].time = f64::INFINITY;
        odd[5].floor = f64::NEG_INFINITY;
        odd[6].spot = f64::NAN;
        odd[7].value = 0.0;
        let mut bare = unprotected(&odd);
        bare[8] = f64::NAN;
        let one = vec![odd[0]];
        let cases: [(&[InsuranceRow], &[f64]); 5] = [
            (&[], &[]),
            (&one, &[]),
            (&odd, &bare),
            (&odd, &bare[..3]),
            (&crash_rows(), &[f64::NAN; 3]),
        ];
        for (rows, bare) in cases {
            for theme in [Theme::LIGHT, Theme::DARK] {
                for size in [SIZE, (120, 80), (1, 1)] {
                    let out = svg_sized(size, &theme, |a| {
                        charts::draw_insured_path(a, rows, bare, &theme)
                    });
                    assert!(is_well_formed(&out));
                    assert!(!out.contains("NaN"));
                }
            }
        }
        // The empty chart still has its titles.
        let out = svg(|a| charts::draw_insured_path(a, &[], &[], &Theme::LIGHT));
        assert_texts(&out, &["value (money)", "exposure (share of value)"]);
        // Non-finite rows are left out of the value line.
        let out = svg(|a| charts::draw_insured_path(a, &odd, &[], &Theme::LIGHT));
        let longest = tags(&out, "polyline")
            .iter()
            .filter(|l| attr(l, "stroke") == Some(hex(Theme::LIGHT.series[0]).as_str()))
            .map(|l| points(l).len())
            .max()
            .unwrap_or(0);
        assert_eq!(longest, odd.len() - 3);
    }
}

// ---------------------------------------------------------------------------
// Price history timeline

mod timeline {
    use super::*;
    use hedge_explorer::history::bundled::Bundled;
    use hedge_explorer::history::date::Date;
    use hedge_explorer::history::window;

    fn sp500() -> (Vec<Date>, Vec<f64>) {
        let series = Bundled::Sp500.shared();
        let dates = series.dates.clone().expect("the S&P 500 has dates");
        (dates, series.prices())
    }

    fn date(text: &str) -> Date {
        Date::parse(text).expect("a date")
    }

    /// Yearly one-year windows 1985–2010, and the index of the one from 2008.
    fn yearly_windows(dates: &[Date], closes: &[f64]) -> (Vec<(Date, Date)>, usize) {
        let series = hedge_explorer::history::series::PriceSeries {
            decimals: 2,
            units: closes
                .iter()
                .map(|c| libm::round(c * 100.0) as u64)
                .collect(),
            dates: Some(dates.to_vec()),
        };
        let windows: Vec<(Date, Date)> =
            window::roll(&series, date("1985-01-02"), date("2010-01-04"), 1.0, 252)
                .expect("windows")
                .iter()
                .map(|w| (w.first_date, w.last_date))
                .collect();
        let crisis = windows
            .iter()
            .position(|w| w.0.ymd().0 == 2008)
            .expect("a window starting in 2008");
        (windows, crisis)
    }

    /// Texts with their anchor `(x, y)`.
    fn texts_at(svg: &str) -> Vec<(String, f64, f64)> {
        let all = texts(svg);
        tags(svg, "text")
            .iter()
            .zip(all)
            .filter_map(|(tag, text)| {
                Some((
                    text,
                    attr(tag, "x")?.parse().ok()?,
                    attr(tag, "y")?.parse().ok()?,
                ))
            })
            .collect()
    }

    /// `(left, right, height)` of the rectangles filled with `color`.
    fn rects_filled(svg: &str, color: RGBColor) -> Vec<(f64, f64, f64)> {
        filled_with(svg, "rect", color)
            .iter()
            .filter_map(|r| {
                let x: f64 = attr(r, "x")?.parse().ok()?;
                let w: f64 = attr(r, "width")?.parse().ok()?;
                let h: f64 = attr(r, "height")?.parse().ok()?;
                Some((x, x + w, h))
            })
            .collect()
    }

    #[test]
    fn timeline_draws_the_series_on_a_log_scale_with_its_windows() {
        let (dates, closes) = sp500();
        let (windows, crisis) = yearly_windows(&dates, &closes);
        for theme in [Theme::LIGHT, Theme::DARK] {
            let out = svg_sized(SIZE, &theme, |a| {
                charts::draw_timeline(a, &dates, &closes, &windows, Some(crisis), &theme)
            });
            assert!(is_well_formed(&out));
            assert!(!out.contains("NaN"));
            let (from, to) = windows[crisis];
            assert_texts(
                &out,
                &[
                    "close (log scale)",
                    "year",
                    "1960",
                    "2000",
                    "daily close",
                    &format!("{} other windows", windows.len() - 1),
                    &format!("window {from} – {to}"),
                ],
            );
            // Decimated: at most four points per pixel column, still far more
            // than the years.
            let line = tags(&out, "polyline")
                .iter()
                .map(|l| points(l))
                .max_by_key(|p| p.len())
                .expect("the close line");
            assert!(line.len() <= 4 * SIZE.0 as usize, "{} points", line.len());
            assert!(line.len() > SIZE.0 as usize / 2, "{} points", line.len());
            assert!(line.len() * 4 < closes.len());
            assert!(line.windows(2).all(|w| w[1].0 >= w[0].0));
            // A band per window (plus a legend swatch each kind).
            assert_eq!(rects_filled(&out, theme.series[0]).len(), windows.len());
            assert_eq!(rects_filled(&out, theme.accent).len(), 2);
            // Log scale: ×10 is the same height anywhere on the axis.
            let at = texts_at(&out);
            let y_of = |label: &str| {
                at.iter()
                    .find(|(t, _, _)| t == label)
                    .map(|t| t.2)
                    .unwrap_or_else(|| panic!("no tick {label}"))
            };
            let decade = y_of("20") - y_of("200");
            assert!(decade > 50.0);
            assert!((y_of("100") - y_of("1000") - decade).abs() <= 1.5);
            assert!((y_of("50") - y_of("500") - decade).abs() <= 1.5);
        }
    }

    #[test]
    fn timeline_date_at_maps_drawn_pixels_back_to_their_trading_days() {
        let (dates, closes) = sp500();
        let (windows, crisis) = yearly_windows(&dates, &closes);
        let index = |d: Date| dates.partition_point(|&x| x < d) as i64;
        for size in [SIZE, (600, 360)] {
            let out = svg_sized(size, &Theme::LIGHT, |a| {
                charts::draw_timeline(a, &dates, &closes, &windows, Some(crisis), &Theme::LIGHT)
            });
            // The selected band (as tall as the plot, unlike the legend's
            // swatch): its left edge is the pixel of its first date.
            let bands = rects_filled(&out, Theme::LIGHT.accent);
            let band = bands
                .iter()
                .max_by(|a, b| a.2.total_cmp(&b.2))
                .expect("the selected band");
            let mut found = None;
            svg_sized(size, &Theme::LIGHT, |a| {
                found = charts::timeline_date_at(a, &dates, &closes, band.0 as i32, &Theme::LIGHT)?;
                Ok(())
            });
            let found = found.expect("a date under the band");
            // A pixel column spans this many trading days.
            let per_pixel = dates.len() as f64 / f64::from(size.0 - 100);
            let off = (index(found) - index(windows[crisis].0)).abs();
            assert!(
                off as f64 <= per_pixel.ceil() + 1.0,
                "{size:?}: {found} for {}",
                windows[crisis].0
            );

            // The year tick 1980 (a centred label; no close tick reads 1980) is
            // at 1 January 1980: the first trading day of 1980 is under it.
            let tick = texts_at(&out)
                .into_iter()
                .find(|t| t.0 == "1980")
                .expect("a tick 1980");
            let mut found = None;
            svg_sized(size, &Theme::LIGHT, |a| {
                found = charts::timeline_date_at(a, &dates, &closes, tick.1 as i32, &Theme::LIGHT)?;
                Ok(())
            });
            let off = (index(found.expect("a date")) - index(date("1980-01-01"))).abs();
            assert!(off as f64 <= per_pixel.ceil() + 1.0, "{size:?}: {found:?}");

            // A year's closes: about three pixels a trading day, so the band of
            // one day maps back to that very day (±1).
            let year = index(date("1987-01-01")) as usize..index(date("1988-01-01")) as usize;
            let (d, c) = (&dates[year.clone()], &closes[year]);
            let few = [(date("1987-10-19"), date("1987-10-19"))];
            let out = svg_sized(size, &Theme::LIGHT, |a| {
                charts::draw_timeline(a, d, c, &few, Some(0), &Theme::LIGHT)
            });
            assert_texts(&out, &["date", "1987-"]);
            let crash = rects_filled(&out, Theme::LIGHT.accent)
                .into_iter()
                .max_by(|a, b| a.2.total_cmp(&b.2))
                .expect("the one-day band");
            assert!(crash.1 - crash.0 <= 2.5, "a day is drawn 2 pixels wide");
            let mut found = None;
            svg_sized(size, &Theme::LIGHT, |a| {
                found = charts::timeline_date_at(a, d, c, crash.0 as i32, &Theme::LIGHT)?;
                Ok(())
            });
            let found = found.expect("a date");
            let crash_index = d.partition_point(|&x| x < date("1987-10-19")) as i64;
            let found_index = d.partition_point(|&x| x < found) as i64;
            assert!(
                (found_index - crash_index).abs() <= 1,
                "{size:?}: {found} for 1987-10-19"
            );
            // Outside the plot: no date.
            svg_sized(size, &Theme::LIGHT, |a| {
                assert_eq!(charts::timeline_date_at(a, d, c, 0, &Theme::LIGHT)?, None);
                assert_eq!(
                    charts::timeline_date_at(a, d, c, size.0 as i32 - 1, &Theme::LIGHT)?,
                    None
                );
                Ok(())
            });
        }
    }

    #[test]
    fn timeline_draws_empty_and_odd_series() {
        let (dates, closes) = sp500();
        let d = &dates[..300];
        let mut odd = closes[..300].to_vec();
        odd[10] = f64::NAN;
        odd[11] = 0.0;
        odd[12] = -5.0;
        odd[13] = f64::INFINITY;
        let constant = vec![100.0; 300];
        let strange_windows = [
            (date("1900-01-01"), date("1901-01-01")),
            (date("1951-01-01"), date("1950-06-01")),
            (date("1950-01-01"), date("2100-01-01")),
        ];
        let nan = [f64::NAN; 300];
        let cases: [(&[Date], &[f64]); 6] = [
            (&[], &[]),
            (&d[..1], &closes[..1]),
            (d, &odd),
            (d, &constant),
            (d, &nan),
            (&dates, &closes[..10]),
        ];
        for (dates, closes) in cases {
            for theme in [Theme::LIGHT, Theme::DARK] {
                for size in [SIZE, (120, 80), (1, 1)] {
                    for selected in [None, Some(0), Some(2), Some(99)] {
                        let out = svg_sized(size, &theme, |a| {
                            charts::draw_timeline(
                                a,
                                dates,
                                closes,
                                &strange_windows,
                                selected,
                                &theme,
                            )
                        });
                        assert!(is_well_formed(&out));
                        assert!(!out.contains("NaN"));
                    }
                    svg_sized(size, &theme, |a| {
                        for x in [-5, 0, 60, 1000] {
                            charts::timeline_date_at(a, dates, closes, x, &theme)?;
                        }
                        Ok(())
                    });
                }
            }
        }
        let two = [
            (date("1950-01-10"), date("1950-02-10")),
            (date("1950-03-01"), date("1950-09-01")),
        ];
        let out =
            svg(|a| charts::draw_timeline(a, d, &closes[..300], &two, Some(1), &Theme::LIGHT));
        assert_texts(&out, &["1 other window", "window 1950-03-01 – 1950-09-01"]);
        let out =
            svg(|a| charts::draw_timeline(a, d, &closes[..300], &two[1..], None, &Theme::LIGHT));
        assert_texts(&out, &["1 window"]);
        assert!(!has_text(&out, "windows"));
        let out = svg(|a| charts::draw_timeline(a, &[], &[], &[], None, &Theme::LIGHT));
        assert_texts(&out, &["close (log scale)"]);
        svg(|a| {
            assert_eq!(
                charts::timeline_date_at(a, &[], &[], 400, &Theme::LIGHT)?,
                None
            );
            Ok(())
        });
    }
}
