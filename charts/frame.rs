//! What every chart shares: axis ranges and tick labels, the frame (axes, grid,
//! tick labels and axis titles sized from the area), number formatting, markers
//! and a legend that goes where it hides the least data.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartResult, Theme};
use crate::history::date::Date;

/// The font family every chart asks for.
pub(crate) const FAMILY: &str = "sans-serif";

/// The error type of chart functions.
pub(crate) type Error<DB> = DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>;

/// A chart's drawing context: both axes are [`Axis`].
pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

// ---------------------------------------------------------------------------
// Ranges

/// Smallest and largest finite value, `None` when there is none.
pub(crate) fn bounds<I: IntoIterator<Item = f64>>(values: I) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Bounds covering both.
pub(crate) fn union(a: Option<(f64, f64)>, b: Option<(f64, f64)>) -> Option<(f64, f64)> {
    match (a, b) {
        (Some((a0, a1)), Some((b0, b1))) => Some((a0.min(b0), a1.max(b1))),
        (a, None) => a,
        (None, b) => b,
    }
}

/// An axis range around `bounds`, widened by `pad` × its span on each side. No data
/// gives `0..1`; a zero span is widened to ±5 % of the value (at least ±0.5), so a
/// constant series sits in the middle of a readable axis.
pub(crate) fn padded(bounds: Option<(f64, f64)>, pad: f64) -> Range<f64> {
    let Some((lo, hi)) = bounds else {
        return 0.0..1.0;
    };
    let span = hi - lo;
    if !span.is_finite() {
        // Finite values whose difference overflows: keep them, unpadded.
        return lo / 2.0..hi / 2.0;
    }
    let scale = lo.abs().max(hi.abs());
    let (lo, hi) = if span <= (scale * 1e-9).max(1e-12) {
        let half = (scale * 0.05).max(0.5);
        let mid = lo / 2.0 + hi / 2.0;
        (mid - half, mid + half)
    } else {
        (lo - span * pad, hi + span * pad)
    };
    if lo.is_finite() && hi.is_finite() && hi > lo {
        lo..hi
    } else {
        0.0..1.0
    }
}

// ---------------------------------------------------------------------------
// Axes

/// One axis: a value range, the ticks (grid lines and labels) and how to label
/// them — numbers with a common number of decimals, or category names at
/// 0, 1, 2, … (for one column per strategy).
#[derive(Clone, Debug)]
pub(crate) struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    decimals: usize,
    names: Vec<String>,
    /// Day 0 of a date axis (ticks labelled `YYYY-MM-DD`).
    first_date: Option<Date>,
    /// A logarithmic axis: values are `log10` of what the labels show.
    log10: bool,
}

impl Axis {
    /// A numeric axis over `range` with at most `max_ticks` "nice" ticks (1, 2, 5 × 10ⁿ
    /// steps, as plotters picks them).
    pub(crate) fn numeric(range: Range<f64>, max_ticks: usize) -> Axis {
        let (lo, hi) = (range.start, range.end);
        let ticks = if lo.is_finite() && hi.is_finite() && hi > lo {
            RangedCoordf64::from(lo..hi).key_points(max_ticks.max(1))
        } else {
            Vec::new()
        };
        let step = ticks
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(f64::INFINITY, f64::min);
        let step = if step.is_finite() && step > 0.0 {
            step
        } else {
            (hi - lo) / 4.0
        };
        Axis {
            lo,
            hi,
            ticks,
            decimals: decimals_for(step),
            names: Vec::new(),
            first_date: None,
            log10: false,
        }
    }

    /// A logarithmic axis over `range` (in `log10` of the values) with at most
    /// `max_ticks` ticks at values 1, 2, 5 × 10ⁿ, or fewer mantissas per decade
    /// (1, 3 or 1 alone, then every few decades) when more would not fit. A range
    /// of less than a decade with fewer than three such ticks gets the "nice"
    /// ticks of a linear axis over the values instead.
    pub(crate) fn log10(range: Range<f64>, max_ticks: usize) -> Axis {
        let (lo, hi) = (range.start, range.end);
        let mut ticks = Vec::new();
        if lo.is_finite() && hi.is_finite() && hi > lo {
            let max_ticks = max_ticks.max(2);
            let (first, last) = (libm::floor(lo) as i32, libm::ceil(hi) as i32);
            let in_range = |mantissas: &[f64], every: i32| -> Vec<f64> {
                (first..=last)
                    .filter(|d| d.rem_euclid(every) == 0)
                    .flat_map(|d| {
                        mantissas
                            .iter()
                            .map(move |&m| f64::from(d) + libm::log10(m))
                    })
                    .filter(|t| (lo..=hi).contains(t))
                    .collect()
            };
            let sets: [&[f64]; 3] = [&[1.0, 2.0, 5.0], &[1.0, 3.0], &[1.0]];
            let mut found = sets
                .iter()
                .map(|set| in_range(set, 1))
                .find(|t| t.len() <= max_ticks);
            if found.is_none() {
                found = [2, 5, 10, 20, 50, 100]
                    .into_iter()
                    .map(|every| in_range(&[1.0], every))
                    .find(|t| t.len() <= max_ticks);
            }
            ticks = found.unwrap_or_default();
            if ticks.len() < 3 {
                let (a, b) = (libm::pow(10.0, lo), libm::pow(10.0, hi));
                ticks = Axis::numeric(a..b, max_ticks)
                    .ticks
                    .into_iter()
                    .filter(|&v| v > 0.0)
                    .map(libm::log10)
                    .collect();
            }
        }
        Axis {
            lo,
            hi,
            ticks,
            decimals: 0,
            names: Vec::new(),
            first_date: None,
            log10: true,
        }
    }

    /// A category axis: `names[i]` at `i`, the range `−0.5 … n − 0.5`.
    pub(crate) fn categories(names: Vec<String>) -> Axis {
        let n = names.len().max(1) as f64;
        Axis {
            lo: -0.5,
            hi: n - 0.5,
            ticks: (0..names.len()).map(|i| i as f64).collect(),
            decimals: 0,
            names,
            first_date: None,
            log10: false,
        }
    }

    /// Whether this is a category axis.
    pub(crate) fn is_categorical(&self) -> bool {
        !self.names.is_empty()
    }

    /// The label of a tick at `value`.
    pub(crate) fn label(&self, value: f64) -> String {
        if let Some(first) = self.first_date {
            return Date(first.0.saturating_add(libm::round(value) as i32)).to_string();
        }
        if self.log10 {
            // Six digits print a nice tick exactly (1,040 not 1,039.99…).
            return significant(libm::pow(10.0, value), 6);
        }
        if self.names.is_empty() {
            return number(value, self.decimals);
        }
        let i = value.round();
        if i >= 0.0 && (value - i).abs() < 1e-6 {
            self.names.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }

    /// The labels of every tick.
    pub(crate) fn labels(&self) -> Vec<String> {
        self.ticks.iter().map(|&t| self.label(t)).collect()
    }

    /// Number of ticks.
    pub(crate) fn tick_count(&self) -> usize {
        self.ticks.len()
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    /// Linear, as plotters' own `f64` axis.
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        let pixels = limit.1 - limit.0;
        if span <= 0.0 || !span.is_finite() || pixels == 0 {
            return limit.0 + pixels / 2;
        }
        let t = (value - self.lo) / span;
        if !t.is_finite() {
            return if t > 0.0 { limit.1 } else { limit.0 };
        }
        // `as i32` saturates: points far outside the range stay far outside.
        if pixels > 0 {
            limit
                .0
                .saturating_add((f64::from(pixels) * t + 1e-3).floor() as i32)
        } else {
            limit
                .0
                .saturating_add((f64::from(pixels) * t - 1e-3).ceil() as i32)
        }
    }

    /// The ticks for the grid and labels; no light lines.
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for Axis {
    fn format_ext(&self, value: &f64) -> String {
        self.label(*value)
    }
}

// ---------------------------------------------------------------------------
// Numbers

/// Fewest decimals (0 to 6) that print every multiple of `step` exactly.
fn decimals_for(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 2;
    }
    let mut d = (-libm::floor(libm::log10(step))).clamp(0.0, 6.0) as usize;
    while d < 6 {
        let scaled = step * libm::pow(10.0, d as f64);
        if (scaled - scaled.round()).abs() <= 1e-6 * scaled.max(1.0) {
            break;
        }
        d += 1;
    }
    d
}

/// `value` with `decimals` decimals, a typographic minus and, from 10,000 up,
/// thousands separators: `−12,345.6`. Never prints `−0`.
pub(crate) fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::from("–");
    }
    let digits = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits.as_str(), None),
    };
    let mut out = String::new();
    let is_zero = digits.bytes().all(|b| b == b'0' || b == b'.');
    if value < 0.0 && !is_zero {
        out.push('−');
    }
    if int.len() > 4 {
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
    } else {
        out.push_str(int);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// `value` to about `digits` significant digits, trailing zeros dropped:
/// `12.3`, `0.0316`, `1,235`.
pub(crate) fn significant(value: f64, digits: i32) -> String {
    if !value.is_finite() {
        return String::from("–");
    }
    if value == 0.0 {
        return String::from("0");
    }
    let magnitude = libm::floor(libm::log10(value.abs())) as i32;
    let decimals = (digits - 1 - magnitude).clamp(0, 8) as usize;
    let text = number(value, decimals);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

// ---------------------------------------------------------------------------
// Sizes and the frame

/// Sizes derived from the drawing area, so a chart reads the same at any size.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sizes {
    /// Font size of axis labels and titles (plotters' size, in pixels).
    pub font: f64,
    /// Font size of legends and annotations.
    pub small: f64,
    /// Width of data lines.
    pub line: u32,
    /// Length of tick marks.
    pub tick: i32,
}

/// The nearest even whole number of pixels. Font sizes are even: plotters' `ab_glyph`
/// text places each glyph at `size / 2 + top` truncated, so an odd or fractional
/// size makes letters jump up and down by a pixel.
fn even(size: f64) -> f64 {
    2.0 * (size / 2.0).round()
}

impl Sizes {
    pub(crate) fn of<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Sizes {
        let (w, h) = area.dim_in_pixel();
        let font = even(
            (f64::from(h) / 32.0)
                .min(f64::from(w) / 44.0)
                .clamp(12.0, 28.0),
        );
        Sizes {
            font,
            small: even(font * 0.88).max(12.0),
            line: ((font / 8.0).round() as u32).max(1),
            tick: ((font * 0.3).round() as i32).max(3),
        }
    }

    /// Radius of a data marker.
    pub(crate) fn marker(&self) -> f64 {
        self.font * 0.32
    }
}

/// Text in the theme's foreground colour.
pub(crate) fn text_style(theme: &Theme, size: f64) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&theme.foreground)
}

/// What the vertical axis shows.
pub(crate) enum YAxis {
    /// Numbers over a range.
    Linear(Range<f64>),
    /// Positive values on a logarithmic scale: the range, like the data drawn,
    /// is in `log10` of the values, and the ticks are labelled with the values.
    Log10(Range<f64>),
}

impl From<Range<f64>> for YAxis {
    fn from(range: Range<f64>) -> YAxis {
        YAxis::Linear(range)
    }
}

/// What the horizontal axis shows.
pub(crate) enum XAxis {
    /// Numbers over a range.
    Numeric(Range<f64>),
    /// Calendar days over a range, day 0 being the date given: ticks as for
    /// numbers, labelled with their dates.
    Dates(Range<f64>, Date),
    /// One category per name.
    Categories(Vec<String>),
}

/// The time axis of a path's charts over `days` (calendar days from the
/// path's start), and its title: calendar dates when the path has them
/// (recorded prices, `first` the date of day 0), else days from the start.
pub(crate) fn time_axis(first: Option<Date>, days: Range<f64>) -> (XAxis, &'static str) {
    match first {
        Some(first) => (XAxis::Dates(days, first), "date"),
        None => (XAxis::Numeric(days), "time (days)"),
    }
}

fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> Result<u32, Error<DB>> {
    if text.is_empty() {
        return Ok(0);
    }
    Ok(area.estimate_text_size(text, style)?.0)
}

/// Lay out a chart — margins, and label areas sized from the actual tick labels —
/// without drawing anything: the chart's coordinates map data to the pixels
/// [`build`] draws them at.
pub(crate) fn layout<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    x: XAxis,
    y: impl Into<YAxis>,
) -> Result<(Chart<'a, DB>, Sizes), Error<DB>> {
    let sizes = Sizes::of(area);
    let font = sizes.font;
    let style = text_style(theme, font);
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (f64::from(w), f64::from(h));
    let text_h = f64::from(area.estimate_text_size("0", &style)?.1).max(font * 0.6);
    let tick = f64::from(sizes.tick);
    let gap = (font * 0.45).round();

    let margin = (font * 0.8).round();
    let margin_right = (font * 1.6).round();
    // Bottom: tick, gap, labels, gap, title.
    let x_area = (2.0 * tick + text_h + gap + text_h + gap * 0.5).round();
    let plot_h = (h - x_area - 2.0 * margin).max(1.0);
    let y_ticks = ((plot_h / (font * 2.8)) as usize).clamp(2, 10);
    let y_axis = match y.into() {
        YAxis::Linear(range) => Axis::numeric(range, y_ticks),
        YAxis::Log10(range) => Axis::log10(range, y_ticks),
    };
    let mut widest = 0u32;
    for label in y_axis.labels() {
        widest = widest.max(text_width(area, &label, &style)?);
    }
    // Left: title, gap, labels, tick.
    let y_area = (text_h + gap + f64::from(widest) + 2.0 * tick + gap * 0.5).round();
    let plot_w = (w - y_area - margin - margin_right).max(1.0);

    let (range, first_date, categories) = match x {
        XAxis::Categories(names) => (0.0..1.0, None, Some(Axis::categories(names))),
        XAxis::Numeric(range) => (range, None, None),
        XAxis::Dates(range, first) => (range, Some(first), None),
    };
    let x_axis = match categories {
        Some(axis) => axis,
        None => {
            let numeric = |n: usize| Axis {
                first_date,
                ..Axis::numeric(range.clone(), n)
            };
            let mut chosen = numeric(2);
            for n in (2..=12).rev() {
                let axis = numeric(n);
                let mut widest = 0u32;
                for label in axis.labels() {
                    widest = widest.max(text_width(area, &label, &style)?);
                }
                let needed = axis.tick_count() as f64 * (f64::from(widest) + font * 2.0);
                if needed <= plot_w {
                    chosen = axis;
                    break;
                }
            }
            chosen
        }
    };

    // Small areas: keep at least a sliver of plot.
    let fit = |size: f64, total: f64| size.min((total * 0.4).max(0.0)) as u32;
    let chart = ChartBuilder::on(area)
        .margin_top(fit(margin, h))
        .margin_bottom(fit(margin * 0.5, h))
        .margin_left(fit(margin * 0.5, w))
        .margin_right(fit(margin_right, w))
        .x_label_area_size(fit(x_area, h))
        .y_label_area_size(fit(y_area, w))
        .build_cartesian_2d(x_axis, y_axis)?;
    Ok((chart, sizes))
}

/// The step line through `points` (in order of `x`): flat from each point to
/// the next one's `x`, then a vertical jump to its value — a holding that
/// changes only on trade dates. `n` points give `2n − 1` vertices.
pub(crate) fn step_line(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut line: Vec<(f64, f64)> = Vec::new();
    for (x, y) in points {
        if let Some(&(_, before)) = line.last() {
            line.push((x, before));
        }
        line.push((x, y));
    }
    line
}

/// Draw `points` as a dashed line of `color` (dashes sized to the chart's
/// font, as every dashed reference line of the charts): the strike, the spot,
/// the hedger's vol, a predicted density.
pub(crate) fn draw_dashed<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    sizes: &Sizes,
    points: &[(f64, f64)],
    color: RGBColor,
) -> Result<(), Error<DB>> {
    let dash = (sizes.font * 0.5).round().max(2.0) as i32;
    chart.draw_series(DashedLineSeries::new(
        points.iter().copied(),
        dash,
        dash * 2 / 3,
        color.stroke_width(sizes.line),
    ))?;
    Ok(())
}

/// Lay out a chart ([`layout`]) and draw its frame — the grid, the axes, tick
/// labels and axis titles — and return the chart to draw series on.
pub(crate) fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    x: XAxis,
    y: impl Into<YAxis>,
    x_desc: &str,
    y_desc: &str,
) -> Result<(Chart<'a, DB>, Sizes), Error<DB>> {
    let (mut chart, sizes) = layout(area, theme, x, y)?;
    let categorical = chart.as_coord_spec().x_spec().is_categorical();
    let style = text_style(theme, sizes.font);
    let mut mesh = chart.configure_mesh();
    mesh.bold_line_style(theme.grid.stroke_width(1))
        .axis_style(theme.foreground.mix(0.55).stroke_width(1))
        .label_style(style.clone())
        .axis_desc_style(style)
        .set_all_tick_mark_size(sizes.tick);
    if !x_desc.is_empty() {
        mesh.x_desc(x_desc);
    }
    if !y_desc.is_empty() {
        mesh.y_desc(y_desc);
    }
    if categorical {
        mesh.disable_x_mesh();
    }
    mesh.draw()?;
    Ok((chart, sizes))
}

// ---------------------------------------------------------------------------
// Markers

/// Shapes of data markers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    /// Triangle pointing up (buys).
    Up,
    /// Triangle pointing down (sells).
    Down,
}

/// Corners of a marker of radius `r` around (0, 0), in pixels (y down).
pub(crate) fn marker_points(marker: Marker, r: f64) -> Vec<(i32, i32)> {
    let sign = match marker {
        Marker::Up => 1.0,
        Marker::Down => -1.0,
    };
    let (dx, dy) = (r * 0.866, r * 0.5);
    vec![
        (0, (-sign * r).round() as i32),
        (dx.round() as i32, (sign * dy).round() as i32),
        ((-dx).round() as i32, (sign * dy).round() as i32),
    ]
}

// ---------------------------------------------------------------------------
// Legend

/// What a legend row shows next to its text.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    /// A solid line of this colour and width.
    Line(RGBColor, u32),
    /// A dashed line.
    Dashed(RGBColor, u32),
    /// A line through a dot.
    LineDot(RGBColor, u32),
    /// A filled dot.
    Dot(RGBColor),
    /// A filled marker shape.
    Marker(Marker, RGBColor),
    /// A translucent box with an outline.
    Block(RGBColor),
    /// A vertical bar (a whisker).
    Whisker(RGBColor, u32),
}

/// Legend rows.
#[derive(Default)]
pub(crate) struct Legend {
    entries: Vec<(String, Swatch)>,
    /// Columns fixed by [`legend_band_share`] (so the drawing matches the band it
    /// reserved); otherwise [`draw_legend`] chooses.
    columns: Option<usize>,
}

impl Legend {
    /// Add a row.
    pub(crate) fn push(&mut self, label: impl Into<String>, swatch: Swatch) {
        self.entries.push((label.into(), swatch));
    }
}

/// Points of `lines` (data coordinates) in plot pixels, one every few pixels
/// along each line, for measuring how much data a legend box would hide.
fn pixel_trace<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    lines: &[Vec<(f64, f64)>],
    origin: (i32, i32),
) -> Vec<(i32, i32)> {
    let mut out = Vec::new();
    for line in lines {
        let mut previous: Option<(i32, i32)> = None;
        for p in line.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
            let (x, y) = chart.backend_coord(p);
            let here = (x - origin.0, y - origin.1);
            if let Some(from) = previous {
                let dx = f64::from(here.0) - f64::from(from.0);
                let dy = f64::from(here.1) - f64::from(from.1);
                let steps = ((libm::hypot(dx, dy) / 3.0).ceil() as usize).clamp(1, 4000);
                for k in 1..steps {
                    let t = k as f64 / steps as f64;
                    out.push((
                        (f64::from(from.0) + dx * t).round() as i32,
                        (f64::from(from.1) + dy * t).round() as i32,
                    ));
                }
            }
            out.push(here);
            previous = Some(here);
        }
    }
    out
}

/// Layout of a legend box: padding, swatch width, row height.
struct LegendLayout {
    font: f64,
    pad: i32,
    swatch_w: i32,
    row_h: i32,
}

impl LegendLayout {
    fn of<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        sizes: &Sizes,
        theme: &Theme,
    ) -> Result<LegendLayout, Error<DB>> {
        let font = sizes.small;
        let style = text_style(theme, font);
        let text_h = f64::from(area.estimate_text_size("0", &style)?.1).max(font * 0.6);
        Ok(LegendLayout {
            font,
            pad: (font * 0.5).round() as i32,
            swatch_w: (font * 1.8).round() as i32,
            row_h: (text_h * 1.45).max(sizes.marker() * 2.6).round() as i32,
        })
    }

    /// Width of one column: swatch, gap, the widest label, gap.
    fn column_width(&self, widest: i32) -> i32 {
        self.swatch_w + self.pad + widest + self.pad
    }

    fn height(&self, rows: usize) -> i32 {
        self.pad + rows as i32 * self.row_h
    }

    fn inset(&self) -> i32 {
        (self.font * 0.4).round() as i32
    }
}

/// Legends of more entries than this are laid out in as many columns as fit.
const SINGLE_COLUMN_ENTRIES: usize = 4;

/// Columns of a legend of `entries` entries whose widest label is `widest` pixels,
/// in a plot `plot_w` pixels wide: one up to [`SINGLE_COLUMN_ENTRIES`], else as
/// many as fit.
fn legend_columns(layout: &LegendLayout, entries: usize, widest: i32, plot_w: i32) -> usize {
    if entries <= SINGLE_COLUMN_ENTRIES {
        return 1;
    }
    let room = plot_w - 2 * layout.inset() - layout.pad;
    let fit = room / layout.column_width(widest).max(1);
    (fit.max(1) as usize).min(entries)
}

/// The widest label of `legend`, in pixels.
fn widest_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    layout: &LegendLayout,
    legend: &Legend,
) -> Result<i32, Error<DB>> {
    let style = text_style(theme, layout.font);
    let mut widest = 0;
    for (label, _) in &legend.entries {
        widest = widest.max(text_width(area, label, &style)?);
    }
    Ok(widest as i32)
}

/// [`legend_share`] for `legend` laid out (in columns when it has many entries) on
/// the chart that [`layout`] makes of `x` and `y`, and the columns fixed for
/// [`draw_legend`]. The headroom this leaves changes the tick labels and so the
/// plot's width a little: the width is taken a font size narrower, so the fixed
/// columns still fit.
pub(crate) fn legend_band_share<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    legend: &mut Legend,
    x: XAxis,
    y: Range<f64>,
) -> Result<f64, Error<DB>> {
    let (probe, sizes) = layout(area, theme, x, y)?;
    let (xs, _) = probe.plotting_area().get_pixel_range();
    let plot_w = xs.end - xs.start - sizes.font.round() as i32;
    let layout = LegendLayout::of(area, &sizes, theme)?;
    let widest = widest_label(area, theme, &layout, legend)?;
    let columns = legend_columns(&layout, legend.entries.len(), widest, plot_w);
    legend.columns = Some(columns);
    legend_share(area, theme, legend.entries.len().div_ceil(columns))
}

/// The share of the plot's height (0 to 0.5) that a legend of `rows` rows takes at
/// the top, with a small gap below it: a chart that scales its values to
/// `1 − share` of the axis leaves the legend a clear band.
pub(crate) fn legend_share<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    rows: usize,
) -> Result<f64, Error<DB>> {
    let sizes = Sizes::of(area);
    let layout = LegendLayout::of(area, &sizes, theme)?;
    let (_, h) = area.dim_in_pixel();
    // The same estimate of the plot's height as `build` makes.
    let plot_h = f64::from(h) - sizes.font * 5.0;
    if plot_h <= 0.0 {
        return Ok(0.0);
    }
    let used = f64::from(layout.height(rows) + 2 * layout.inset());
    Ok((used / plot_h).clamp(0.0, 0.5))
}

/// Draw `legend` inside the plot, in the corner (or top/bottom middle) where it
/// covers the fewest points of `avoid` (polylines in data coordinates; a single
/// point stands for a marker).
pub(crate) fn draw_legend<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    sizes: &Sizes,
    theme: &Theme,
    legend: &Legend,
    avoid: &[Vec<(f64, f64)>],
) -> ChartResult<DB> {
    if legend.entries.is_empty() {
        return Ok(());
    }
    let plot = chart.plotting_area().strip_coord_spec();
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let (pw, ph) = (xs.end - xs.start, ys.end - ys.start);
    let layout = LegendLayout::of(&plot, sizes, theme)?;
    let font = layout.font;
    let style = text_style(theme, font);
    let widest = widest_label(&plot, theme, &layout, legend)?;
    let LegendLayout {
        pad,
        swatch_w,
        row_h,
        ..
    } = layout;
    // Many entries go in columns (row by row), as many as fit across the plot.
    let columns = legend
        .columns
        .unwrap_or_else(|| legend_columns(&layout, legend.entries.len(), widest, pw))
        .max(1);
    let column_w = layout.column_width(widest);
    let box_w = pad + columns as i32 * column_w;
    let box_h = layout.height(legend.entries.len().div_ceil(columns));

    let inset = layout.inset();
    let left = inset;
    let right = pw - inset - box_w;
    let centre = (pw - box_w) / 2;
    let top = inset;
    let bottom = ph - inset - box_h;
    let candidates = [
        (right, top),
        (left, top),
        (right, bottom),
        (left, bottom),
        (centre, top),
        (centre, bottom),
    ];
    let trace = pixel_trace(chart, avoid, (xs.start, ys.start));
    let covered = |(x0, y0): (i32, i32)| {
        let slack = 3;
        trace
            .iter()
            .filter(|(x, y)| {
                *x >= x0 - slack
                    && *x <= x0 + box_w + slack
                    && *y >= y0 - slack
                    && *y <= y0 + box_h + slack
            })
            .count()
    };
    let mut best = candidates[0];
    let mut best_score = covered(best);
    for &c in &candidates[1..] {
        let score = covered(c);
        if score < best_score {
            best = c;
            best_score = score;
        }
    }
    let (x0, y0) = best;

    plot.draw(&Rectangle::new(
        [(x0, y0), (x0 + box_w, y0 + box_h)],
        theme.background.mix(0.9).filled(),
    ))?;
    plot.draw(&Rectangle::new(
        [(x0, y0), (x0 + box_w, y0 + box_h)],
        theme.grid.stroke_width(1),
    ))?;
    let label_style = style.pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (label, swatch)) in legend.entries.iter().enumerate() {
        let (row, column) = ((i / columns) as i32, (i % columns) as i32);
        let y = y0 + pad / 2 + row * row_h + row_h / 2;
        let sx0 = x0 + pad + column * column_w;
        let sx1 = sx0 + swatch_w;
        let mid = (sx0 + sx1) / 2;
        let r = sizes.marker();
        match *swatch {
            Swatch::Line(color, width) => {
                plot.draw(&PathElement::new(
                    vec![(sx0, y), (sx1, y)],
                    color.stroke_width(width),
                ))?;
            }
            Swatch::Dashed(color, width) => {
                let dash = (font * 0.45).round().max(2.0) as i32;
                plot.draw(&DashedPathElement::new(
                    vec![(sx0, y), (sx1, y)],
                    dash,
                    (dash * 2) / 3,
                    color.stroke_width(width),
                ))?;
            }
            Swatch::LineDot(color, width) => {
                plot.draw(&PathElement::new(
                    vec![(sx0, y), (sx1, y)],
                    color.stroke_width(width),
                ))?;
                plot.draw(&Circle::new((mid, y), r, color.filled()))?;
            }
            Swatch::Dot(color) => {
                plot.draw(&Circle::new((mid, y), r * 1.4, color.filled()))?;
            }
            Swatch::Marker(marker, color) => {
                let points = marker_points(marker, r * 1.2)
                    .into_iter()
                    .map(|(dx, dy)| (mid + dx, y + dy))
                    .collect::<Vec<_>>();
                plot.draw(&Polygon::new(points, color.filled()))?;
            }
            Swatch::Block(color) => {
                let half = (row_h as f64 * 0.32).round() as i32;
                let corners = [(sx0 + 2, y - half), (sx1 - 2, y + half)];
                plot.draw(&Rectangle::new(corners, color.mix(0.3).filled()))?;
                plot.draw(&Rectangle::new(corners, color.stroke_width(1)))?;
            }
            Swatch::Whisker(color, width) => {
                let half = (row_h as f64 * 0.4).round() as i32;
                let cap = (swatch_w / 5).max(2);
                plot.draw(&PathElement::new(
                    vec![(mid, y - half), (mid, y + half)],
                    color.stroke_width(width),
                ))?;
                for end in [y - half, y + half] {
                    plot.draw(&PathElement::new(
                        vec![(mid - cap, end), (mid + cap, end)],
                        color.stroke_width(width),
                    ))?;
                }
            }
        }
        plot.draw(&Text::new(
            label.clone(),
            (sx1 + pad, y),
            label_style.clone(),
        ))?;
    }
    Ok(())
}
