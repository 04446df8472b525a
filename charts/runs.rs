//! Charts of Monte Carlo results: the P&L histogram, the cost-vs-risk frontier and
//! the comparison of strategies.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{self, Legend, Swatch, XAxis};
use super::{ChartResult, Theme};
use crate::engine::montecarlo::RunSummary;
use crate::pricing::normal;
use crate::results::analysis::{Comparison, Frontier};

/// Title of P&L axes.
const PNL_AXIS: &str = "P&L at t=0 (money)";
/// An insured portfolio's outcome axis: its value less its start, at the horizon.
const INSURED_AXIS: &str = "value − start, at the horizon (money)";

// ---------------------------------------------------------------------------
// Histogram

/// The horizontal range `(lo, hi)` of [`draw_histogram`]'s P&L axis: the span of
/// the histogram's bins, `start … start + width·bins`, plus 3 % on each side.
///
/// To map a pointer to a bin, see [`histogram_pixel_range`].
pub fn histogram_x_range(run: &RunSummary) -> (f64, f64) {
    let h = &run.histogram;
    let end = h.start + h.width * h.counts.len() as f64;
    let range = frame::padded(frame::bounds([h.start, end]), 0.03);
    (range.start, range.end)
}

/// Where [`draw_histogram`] puts its P&L axis on `area`: `(x0, x1, lo, hi)`, the
/// plot's left and right pixel columns (relative to `area`; on a whole canvas,
/// canvas pixels) and the P&L there ([`histogram_x_range`]). A pointer at pixel
/// column `x` in `x0..=x1` is at P&L `lo + (x − x0)/(x1 − x0)·(hi − lo)`, in bin
/// `run.histogram.bin_of(pnl)`.
///
/// Lays the chart out exactly as [`draw_histogram`] does (with the same arguments
/// and area size) but draws nothing.
pub fn histogram_pixel_range<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    run: &RunSummary,
    derman_kamal_sd: Option<f64>,
    theme: &Theme,
) -> Result<(i32, i32, f64, f64), DrawingAreaErrorKind<DB::ErrorType>> {
    let (lo, hi) = histogram_x_range(run);
    let scale = HistogramScale::of(area, run, derman_kamal_sd, theme)?;
    let (chart, _) = frame::layout(area, theme, XAxis::Numeric(lo..hi), 0.0..scale.y_hi)?;
    let (base_x, _) = area.get_base_pixel();
    let x0 = chart.backend_coord(&(lo, 0.0)).0 - base_x;
    let x1 = chart.backend_coord(&(hi, 0.0)).0 - base_x;
    Ok((x0, x1, lo, hi))
}

/// `n · width · φ((x − mean)/sd)/sd`: a normal density scaled to histogram counts.
fn normal_count(x: f64, mean: f64, sd: f64, n: f64, width: f64) -> f64 {
    n * width * normal::pdf((x - mean) / sd) / sd
}

/// The vertical scale of a histogram chart.
struct HistogramScale {
    /// Paths in the histogram.
    n: f64,
    /// SD of the normal curve, when there is one to draw.
    normal: Option<f64>,
    /// Height of the tallest thing drawn (bar or curve).
    top: f64,
    /// Top of the axis: `top` plus room for the legend above it.
    y_hi: f64,
}

impl HistogramScale {
    fn of<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        run: &RunSummary,
        derman_kamal_sd: Option<f64>,
        theme: &Theme,
    ) -> Result<HistogramScale, DrawingAreaErrorKind<DB::ErrorType>> {
        let h = &run.histogram;
        let s = &run.pnl;
        let highest = h.counts.iter().map(|&c| f64::from(c)).fold(0.0, f64::max);
        let n: f64 = h.counts.iter().map(|&c| f64::from(c)).sum();
        let normal = derman_kamal_sd
            .filter(|sd| sd.is_finite() && *sd > 0.0)
            .filter(|_| n > 0.0 && s.mean.is_finite() && h.width.is_finite() && h.width > 0.0);
        let peak = normal.map_or(0.0, |sd| normal_count(s.mean, s.mean, sd, n, h.width));
        // A curve much taller than the bars is cut off rather than squashing them.
        let top = if highest > 0.0 {
            highest.max(peak.min(1.6 * highest))
        } else {
            peak.max(1.0)
        };
        // Headroom: the bars, curve and marks stay below the legend's band.
        let rows = usize::from(normal.is_some()) + if s.count > 0 { 3 } else { 0 };
        let share = frame::legend_share(area, theme, rows)?;
        Ok(HistogramScale {
            n,
            normal,
            top,
            y_hi: top * 1.04 / (1.0 - share),
        })
    }
}

/// The P&L distribution of a run: one bar per non-empty bin of `run.histogram`,
/// vertical lines at the mean, at the 5th percentile (`−VaR95`) and at `−ES95`,
/// and, when `derman_kamal_sd` is given, the dashed normal density
/// `N(mean, sd²)` scaled to counts (`count = n · bin width · pdf`) — what the P&L
/// would look like if it followed Derman and Kamal's formula.
///
/// An empty run draws empty axes. The horizontal range is [`histogram_x_range`];
/// [`histogram_pixel_range`] tells where it lands in pixels.
pub fn draw_histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    run: &RunSummary,
    derman_kamal_sd: Option<f64>,
    theme: &Theme,
) -> ChartResult<DB> {
    histogram(area, run, derman_kamal_sd, None, theme)
}

/// An insured portfolio's outcomes (value less start, at the horizon) as
/// [`draw_histogram`] draws a P&L, with its floor `floor` (`F − V₀`) as a
/// dashed line: the bars left of it are the paths that broke the floor.
pub fn draw_insured_histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    run: &RunSummary,
    floor: f64,
    theme: &Theme,
) -> ChartResult<DB> {
    histogram(area, run, None, Some(floor), theme)
}

fn histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    run: &RunSummary,
    derman_kamal_sd: Option<f64>,
    floor: Option<f64>,
    theme: &Theme,
) -> ChartResult<DB> {
    let h = &run.histogram;
    let s = &run.pnl;
    let (lo, hi) = histogram_x_range(run);
    let bars: Vec<(f64, f64, f64)> = h
        .counts
        .iter()
        .enumerate()
        .filter(|(_, &c)| c > 0)
        .map(|(i, &c)| (h.edge(i), h.edge(i) + h.width, f64::from(c)))
        .filter(|b| b.0.is_finite() && b.1.is_finite())
        .collect();
    let HistogramScale {
        n,
        normal,
        top,
        y_hi,
    } = HistogramScale::of(area, run, derman_kamal_sd, theme)?;

    let (mut chart, sizes) = frame::build(
        area,
        theme,
        XAxis::Numeric(lo..hi),
        0.0..y_hi,
        if floor.is_some() {
            INSURED_AXIS
        } else {
            PNL_AXIS
        },
        "paths",
    )?;
    let mut legend = Legend::default();
    let mut avoid: Vec<Vec<(f64, f64)>> = Vec::new();

    // Bars, with a pixel of air between them when they are wide enough.
    let plot_w = f64::from(chart.plotting_area().dim_in_pixel().0);
    let bar_px = plot_w * h.width / (hi - lo);
    let air = u32::from(bar_px >= 6.0);
    let fill = theme.series[0].mix(0.75).filled();
    chart.draw_series(bars.iter().map(|&(l, r, c)| {
        let mut bar = Rectangle::new([(l, 0.0), (r, c)], fill);
        bar.set_margin(0, 0, air, air);
        bar
    }))?;
    avoid.extend(
        bars.iter()
            .map(|&(l, r, c)| vec![(l, 0.0), (l, c), (r, c), (r, 0.0)]),
    );

    if let Some(sd) = normal {
        let points: Vec<(f64, f64)> = (0..=200)
            .map(|i| lo + (hi - lo) * f64::from(i) / 200.0)
            .map(|x| (x, normal_count(x, s.mean, sd, n, h.width).min(y_hi)))
            .collect();
        frame::draw_dashed(&mut chart, &sizes, &points, theme.series[2])?;
        legend.push(
            format!("normal, Derman–Kamal SD {}", frame::significant(sd, 3)),
            Swatch::Dashed(theme.series[2], sizes.line),
        );
        avoid.push(points);
    }

    if s.count > 0 {
        let marks = [
            ("mean", s.mean, theme.foreground),
            ("5th pct = −VaR95", s.p5, theme.series[1]),
            ("−ES95", -s.es95, theme.series[3]),
        ];
        for (label, x, color) in marks {
            if !x.is_finite() {
                continue;
            }
            let line = vec![(x, 0.0), (x, top * 1.04)];
            chart.draw_series(LineSeries::new(
                line.clone(),
                color.stroke_width(sizes.line),
            ))?;
            legend.push(
                format!("{label}  {}", frame::significant(x, 3)),
                Swatch::Line(color, sizes.line),
            );
            avoid.push(line);
        }
    }

    if let Some(f) = floor.filter(|f| f.is_finite() && *f >= lo && *f <= hi) {
        let line = vec![(f, 0.0), (f, top * 1.04)];
        draw_floor(&mut chart, &sizes, theme, f, line, &mut legend, &mut avoid)?;
    }

    frame::draw_legend(&chart, &sizes, theme, &legend, &avoid)
}

/// An insured portfolio's floor (`value`, as an outcome `F − V₀`) drawn as the
/// dashed `line`, with its legend entry: the one look of the floor on every
/// run chart.
pub(crate) fn draw_floor<DB: DrawingBackend>(
    chart: &mut frame::Chart<'_, DB>,
    sizes: &frame::Sizes,
    theme: &Theme,
    value: f64,
    line: Vec<(f64, f64)>,
    legend: &mut Legend,
    avoid: &mut Vec<Vec<(f64, f64)>>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    frame::draw_dashed(chart, sizes, &line, theme.sell)?;
    legend.push(
        format!("floor  {}", frame::significant(value, 3)),
        Swatch::Dashed(theme.sell, sizes.line),
    );
    avoid.push(line);
    Ok(())
}

// ---------------------------------------------------------------------------
// Frontier

/// What the swept parameter is, for the legend.
fn parameter_text(parameter: &str) -> String {
    match parameter {
        "band" => "band (delta per option)".into(),
        "every" => "every (steps between trades)".into(),
        "aversion" => "risk aversion γ".into(),
        other => other.into(),
    }
}

/// A parameter value as a short label: `5`, `0.05`, `0.0316`.
fn value_label(value: f64) -> String {
    if value.is_finite() && value == value.round() && value.abs() < 1e9 {
        format!("{value:.0}")
    } else {
        frame::significant(value, 3)
    }
}

/// Whether two pixel boxes `(x0, y0, x1, y1)` overlap.
fn overlaps(a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The cost-vs-risk frontier: mean costs per path against the SD of the P&L, one
/// point per swept value of the rule's parameter, joined in parameter order and
/// labelled with the value. The scenario's own setting (`frontier.current`) is
/// highlighted. Labels that would overlap another label or point are left out
/// (the current one is always drawn).
pub fn draw_frontier<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frontier: &Frontier,
    theme: &Theme,
) -> ChartResult<DB> {
    // (index in frontier.points, x, y)
    let points: Vec<(usize, f64, f64)> = frontier
        .points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.mean_costs.is_finite() && p.sd_pnl.is_finite() && p.value.is_finite())
        .map(|(i, p)| (i, p.mean_costs, p.sd_pnl))
        .collect();
    let x = frame::padded(frame::bounds(points.iter().map(|p| p.1)), 0.1);
    let y = frame::padded(frame::bounds(points.iter().map(|p| p.2)), 0.1);
    let (mut chart, sizes) = frame::build(
        area,
        theme,
        XAxis::Numeric(x),
        y,
        "mean costs per path (PV, money)",
        "SD of P&L (PV, money)",
    )?;
    let mut legend = Legend::default();
    let line: Vec<(f64, f64)> = points.iter().map(|p| (p.1, p.2)).collect();
    let color = theme.series[0];
    let r = sizes.marker();

    chart.draw_series(LineSeries::new(
        line.iter().copied(),
        color.stroke_width(sizes.line),
    ))?;
    chart.draw_series(
        line.iter()
            .map(|&p| EmptyElement::at(p) + Circle::new((0, 0), r, color.filled())),
    )?;
    legend.push(
        format!("swept: {}", parameter_text(frontier.parameter)),
        Swatch::LineDot(color, sizes.line),
    );

    let current = frontier
        .current
        .and_then(|c| points.iter().position(|p| p.0 == c));
    if let Some(c) = current {
        let p = (points[c].1, points[c].2);
        chart.draw_series(std::iter::once(
            EmptyElement::at(p) + Circle::new((0, 0), r * 1.9, theme.accent.filled()),
        ))?;
        legend.push(
            format!(
                "current: {} = {}",
                frontier.parameter,
                value_label(frontier.points[points[c].0].value)
            ),
            Swatch::Dot(theme.accent),
        );
    }

    // Value labels: the current point first, then the others in order; each takes
    // the first position around its point that is free, or is left out.
    let label_font = sizes.small;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let pixel: Vec<(i32, i32)> = line.iter().map(|p| chart.backend_coord(p)).collect();
    let dot = (r * 1.2).ceil() as i32;
    let mut taken: Vec<(i32, i32, i32, i32)> = pixel
        .iter()
        .map(|&(px, py)| (px - dot, py - dot, px + dot, py + dot))
        .collect();
    let mut order: Vec<usize> = (0..points.len()).collect();
    if let Some(c) = current {
        order.retain(|&i| i != c);
        order.insert(0, c);
    }
    for i in order {
        let is_current = Some(i) == current;
        let text = value_label(frontier.points[points[i].0].value);
        let style = frame::text_style(theme, label_font).color(if is_current {
            &theme.accent
        } else {
            &theme.foreground
        });
        let (tw, th) = area.estimate_text_size(&text, &style)?;
        let (tw, th) = (tw as i32, th as i32);
        let (px, py) = pixel[i];
        let off = if is_current { dot * 2 } else { dot + 2 };
        // (anchor point, anchor, box) candidates: right, upper right, left, above, below…
        let candidates = [
            ((px + off, py), HPos::Left, VPos::Center),
            ((px + off, py - off), HPos::Left, VPos::Bottom),
            ((px + off, py + off), HPos::Left, VPos::Top),
            ((px - off, py), HPos::Right, VPos::Center),
            ((px - off, py - off), HPos::Right, VPos::Bottom),
            ((px - off, py + off), HPos::Right, VPos::Top),
            ((px, py - off), HPos::Center, VPos::Bottom),
            ((px, py + off), HPos::Center, VPos::Top),
        ];
        let boxed = |(ax, ay): (i32, i32), h: HPos, v: VPos| {
            let x0 = match h {
                HPos::Left => ax,
                HPos::Center => ax - tw / 2,
                HPos::Right => ax - tw,
            };
            let y0 = match v {
                VPos::Top => ay,
                VPos::Center => ay - th / 2,
                VPos::Bottom => ay - th,
            };
            (x0, y0, x0 + tw, y0 + th)
        };
        let inside = |b: (i32, i32, i32, i32)| {
            b.0 >= xs.start && b.2 <= xs.end && b.1 >= ys.start && b.3 <= ys.end
        };
        let own = taken[i];
        let free = candidates.iter().find(|&&(a, h, v)| {
            let b = boxed(a, h, v);
            inside(b) && taken.iter().all(|&t| t == own || !overlaps(b, t))
        });
        let chosen = match (free, is_current) {
            (Some(c), _) => *c,
            (None, true) => candidates[0],
            (None, false) => continue,
        };
        let (anchor, h, v) = chosen;
        taken.push(boxed(anchor, h, v));
        // Draw in data coordinates with a pixel offset from the point.
        let offset = (anchor.0 - px, anchor.1 - py);
        chart.draw_series(std::iter::once(
            EmptyElement::at(line[i]) + Text::new(text, offset, style.pos(Pos::new(h, v))),
        ))?;
    }

    frame::draw_legend(&chart, &sizes, theme, &legend, &[line])
}

// ---------------------------------------------------------------------------
// Comparison

/// One column per strategy of `comparison.rows` (same paths): a whisker from the
/// A comparison row's name as short as a column allows: the Greeks a hedge
/// neutralises in their letters (`every 1, delta-gamma` → `every 1 ΔΓ`).
fn category_label(name: &str) -> String {
    let letters = [
        (", delta-gamma-vega", " ΔΓν"),
        (", delta-gamma", " ΔΓ"),
        (", delta-vega", " Δν"),
        (", delta", " Δ"),
    ];
    letters
        .iter()
        .find_map(|(words, short)| {
            name.strip_suffix(words)
                .map(|rule| format!("{rule}{short}"))
        })
        .unwrap_or_else(|| name.to_string())
}

/// 5th to the 95th percentile of the P&L, a box of mean ± SD and a dot at the mean,
/// the strategy's name under the column (the Greeks it neutralises as letters)
/// and its SD beside the box (on its right, or above the column where the
/// canvas ends first).
pub fn draw_comparison<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    comparison: &Comparison,
    theme: &Theme,
) -> ChartResult<DB> {
    let names: Vec<String> = comparison
        .rows
        .iter()
        .map(|(n, _)| category_label(n))
        .collect();
    let finite = |v: f64| v.is_finite().then_some(v);
    let spread = |s: &crate::results::stats::Summary| {
        let sd = if s.sd.is_finite() { s.sd } else { 0.0 };
        frame::bounds([s.p5, s.p95, s.mean - sd, s.mean + sd])
    };
    let y = frame::padded(
        comparison
            .rows
            .iter()
            .filter(|(_, r)| r.pnl.count > 0)
            .map(|(_, r)| spread(&r.pnl))
            .chain([comparison.floor.filter(|f| f.is_finite()).map(|f| (f, f))])
            .fold(None, frame::union),
        0.08,
    );
    let (mut chart, sizes) = frame::build(
        area,
        theme,
        XAxis::Categories(names),
        y.clone(),
        "strategy (same paths)",
        if comparison.floor.is_some() {
            INSURED_AXIS
        } else {
            PNL_AXIS
        },
    )?;
    let mut avoid: Vec<Vec<(f64, f64)>> = Vec::new();
    let ink = theme.foreground;
    let width = sizes.line;
    let label_style = frame::text_style(theme, sizes.small).pos(Pos::new(HPos::Left, VPos::Center));
    let label_above = label_style
        .clone()
        .pos(Pos::new(HPos::Center, VPos::Bottom));

    // Pixels per category, to turn a label's width into a length along x.
    let unit = chart.backend_coord(&(1.0, y.start)).0 - chart.backend_coord(&(0.0, y.start)).0;
    for (i, (_, run)) in comparison.rows.iter().enumerate() {
        let s = &run.pnl;
        if s.count == 0 {
            continue;
        }
        let x = i as f64;
        let color = theme.series[i % theme.series.len()];
        if let (Some(p5), Some(p95)) = (finite(s.p5), finite(s.p95)) {
            let cap = 0.1;
            chart.draw_series([
                PathElement::new(vec![(x, p5), (x, p95)], ink.stroke_width(width)),
                PathElement::new(vec![(x - cap, p5), (x + cap, p5)], ink.stroke_width(width)),
                PathElement::new(
                    vec![(x - cap, p95), (x + cap, p95)],
                    ink.stroke_width(width),
                ),
            ])?;
            avoid.push(vec![(x - cap, p95), (x, p95), (x, p5), (x + cap, p5)]);
        }
        if let (Some(mean), Some(sd)) = (finite(s.mean), finite(s.sd)) {
            let half = 0.22;
            let corners = [(x - half, mean - sd), (x + half, mean + sd)];
            chart.draw_series([
                Rectangle::new(corners, color.mix(0.3).filled()),
                Rectangle::new(corners, color.stroke_width(width)),
            ])?;
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, mean))
                    + Circle::new((0, 0), sizes.marker() * 1.3, ink.filled()),
            ))?;
            let label = format!("SD {}", frame::significant(sd, 3));
            let gap = (sizes.font * 0.4) as i32;
            // Beside the box on its right, or above the column where the
            // canvas ends first (the last column of a narrow chart: on the
            // left it would read as the next column's), moved left as far as
            // it must to stay on the canvas; kept clear of the legend, which
            // avoids the text's box (pixels turned into lengths on the axes).
            let (text_w, text_h) = area.estimate_text_size(&label, &label_style)?;
            let (text_w, text_h) = (text_w as i32, text_h as i32);
            let canvas_end = area.get_pixel_range().0.end;
            let box_right = chart.backend_coord(&(x + half, mean + sd)).0;
            let per_x = f64::from(unit.max(1));
            let per_y = f64::from(
                (chart.backend_coord(&(x, y.start)).1 - chart.backend_coord(&(x, y.end)).1).max(1),
            ) / (y.end - y.start);
            let (at, offset, style, text_box) = if text_w + gap <= canvas_end - box_right {
                let (left, right) = (x + half, x + half + f64::from(text_w + gap) / per_x);
                let (low, high) = (
                    mean + sd - 0.5 * f64::from(text_h) / per_y,
                    mean + sd + 0.5 * f64::from(text_h) / per_y,
                );
                (
                    (x + half, mean + sd),
                    (gap, 0),
                    label_style.clone(),
                    (left, right, low, high),
                )
            } else {
                let top = finite(s.p95).map_or(mean + sd, |p95| p95.max(mean + sd));
                let centre = chart.backend_coord(&(x, top)).0;
                let shift = (canvas_end - (centre + text_w / 2)).min(0);
                let left = x + f64::from(shift - text_w / 2) / per_x;
                let right = left + f64::from(text_w) / per_x;
                let low = top + f64::from(gap) / per_y;
                let high = low + f64::from(text_h) / per_y;
                (
                    (x, top),
                    (shift, -gap),
                    label_above.clone(),
                    (left, right, low, high),
                )
            };
            let (left, right, low, high) = text_box;
            avoid.push(vec![
                (left, low),
                (left, high),
                (right, high),
                (right, low),
                (left, low),
            ]);
            chart.draw_series(std::iter::once(
                EmptyElement::at(at) + Text::new(label, offset, style),
            ))?;
            avoid.push(vec![
                (x - half, mean - sd),
                (x - half, mean + sd),
                (x + half, mean + sd),
                (x + half, mean - sd),
                (x - half, mean - sd),
            ]);
        }
    }

    let mut legend = Legend::default();
    if let Some(f) = comparison.floor.filter(|f| f.is_finite() && y.contains(f)) {
        let n = comparison.rows.len() as f64;
        let line = vec![(-0.5, f), (n - 0.5, f)];
        draw_floor(&mut chart, &sizes, theme, f, line, &mut legend, &mut avoid)?;
    }
    legend.push("5th–95th percentile", Swatch::Whisker(ink, width));
    legend.push("mean ± SD", Swatch::Block(theme.series[0]));
    legend.push("mean", Swatch::Dot(ink));
    frame::draw_legend(&chart, &sizes, theme, &legend, &avoid)
}
