//! Chart of a whole price series on a log scale, with the back-test windows cut
//! from it as bands, so a reader sees where a back-test sits in history (1987,
//! 2008, 2020); and the inverse map from a pixel column to the trading day
//! under it, for a page that lets the reader click a start date.
//!
//! A series of decades (the DJIA's 35,000 closes) is drawn with at most two
//! points per pixel column, the lowest and highest close of the column, in
//! their order: the line looks the same as with every point and draws fast.
//!
//! The horizontal axis is in years (1 January of year `Y` at `Y`, a tick label
//! `1987`) for series of eight years or more, else in calendar days
//! labelled with their dates.
//!
//! **Tested by** `tests/charts.rs`: the S&P 500 with rolled windows and a
//! selected one in both themes (a decimated line, a band per window, the
//! selected band where its dates are, legend and year texts),
//! [`timeline_date_at`] mapping the selected band's edge and year ticks back
//! to their trading days at two widths, and empty and non-finite series.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{self, Legend, Swatch, XAxis, YAxis};
use super::{ChartResult, Theme};
use crate::history::date::Date;

/// Series spanning at least this many years get a year axis; shorter ones a
/// date axis (a year axis would tick at fractions of a year).
const YEAR_AXIS_SPAN: f64 = 8.0;

/// Mean days of a Gregorian year: day numbers to fractional years.
const DAYS_PER_GREGORIAN_YEAR: f64 = 365.2425;

/// How dates become positions along the horizontal axis.
#[derive(Clone, Copy, Debug)]
enum Clock {
    /// Fractional years, `1970 + day number / 365.2425` (1 January within a
    /// day of its year's number).
    Years,
    /// Calendar days since a first date.
    Days(Date),
}

impl Clock {
    fn x(self, date: Date) -> f64 {
        match self {
            Clock::Years => 1970.0 + f64::from(date.0) / DAYS_PER_GREGORIAN_YEAR,
            Clock::Days(first) => f64::from(date.days_since(first)),
        }
    }
}

/// The timeline's data and axes, shared by the drawing and the pixel map.
struct Timeline {
    clock: Clock,
    /// Trading days with a positive, finite close.
    dates: Vec<Date>,
    /// `(x, log10 close)` of each of `dates`.
    points: Vec<(f64, f64)>,
    x: Range<f64>,
    /// In `log10` of the closes.
    y: Range<f64>,
}

impl Timeline {
    fn of(dates: &[Date], closes: &[f64]) -> Timeline {
        let (dates, logs): (Vec<Date>, Vec<f64>) = dates
            .iter()
            .zip(closes)
            .filter(|(_, &c)| c.is_finite() && c > 0.0)
            .map(|(&d, &c)| (d, libm::log10(c)))
            .unzip();
        let span = match (dates.first(), dates.last()) {
            (Some(first), Some(last)) => f64::from(last.days_since(*first)),
            _ => 0.0,
        };
        let clock = match dates.first() {
            Some(&first) if span < YEAR_AXIS_SPAN * DAYS_PER_GREGORIAN_YEAR => Clock::Days(first),
            _ => Clock::Years,
        };
        let points: Vec<(f64, f64)> = dates
            .iter()
            .zip(&logs)
            .map(|(&d, &l)| (clock.x(d), l))
            .collect();
        Timeline {
            clock,
            x: frame::padded(frame::bounds(points.iter().map(|p| p.0)), 0.01),
            y: frame::padded(frame::bounds(logs), 0.04),
            dates,
            points,
        }
    }

    fn x_axis(&self) -> (XAxis, &'static str) {
        match self.clock {
            Clock::Years => (XAxis::Numeric(self.x.clone()), "year"),
            Clock::Days(first) => (XAxis::Dates(self.x.clone(), first), "date"),
        }
    }

    /// Lay the chart out on `area` as [`draw_timeline`] draws it.
    fn layout<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<(frame::Chart<'a, DB>, frame::Sizes), frame::Error<DB>> {
        frame::layout(area, theme, self.x_axis().0, YAxis::Log10(self.y.clone()))
    }
}

/// A whole price series — `closes[i]` on trading day `dates[i]` — as a line on
/// a log scale, and each of `windows` (first and last trading day) as a
/// translucent band: light when there are many (a roll), the `selected` one
/// (an index into `windows`) strong and outlined.
///
/// Closes that are not finite and positive are left out; windows are clipped to
/// the plot and drawn at least two pixels wide. An empty series draws an empty
/// frame. [`timeline_date_at`] maps a pixel column back to its trading day.
pub fn draw_timeline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &[Date],
    closes: &[f64],
    windows: &[(Date, Date)],
    selected: Option<usize>,
    theme: &Theme,
) -> ChartResult<DB> {
    let timeline = Timeline::of(dates, closes);
    let (x_axis, x_title) = timeline.x_axis();
    let (mut chart, sizes) = frame::build(
        area,
        theme,
        x_axis,
        YAxis::Log10(timeline.y.clone()),
        x_title,
        "close (log scale)",
    )?;
    let plot = chart.plotting_area().strip_coord_spec();
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let column = |x: f64| chart.backend_coord(&(x, timeline.y.start)).0 - xs.start;
    let band = |&(from, to): &(Date, Date)| -> Option<(i32, i32)> {
        let (a, b) = (column(timeline.clock.x(from)), column(timeline.clock.x(to)));
        let (a, b) = (a.min(b).max(0), a.max(b).min(xs.end - xs.start));
        (a <= b).then_some((a, b.max(a + 2)))
    };
    let height = ys.end - ys.start;
    let selected = selected.filter(|&i| i < windows.len());

    // The other windows: light, so that where many overlap (a roll) the
    // overlap stays below about a third of full colour.
    let others: Vec<(i32, i32)> = windows
        .iter()
        .enumerate()
        .filter(|&(i, _)| Some(i) != selected)
        .filter_map(|(_, w)| band(w))
        .collect();
    let alpha = (0.3 / deepest_overlap(&others).max(1) as f64).clamp(0.03, 0.2);
    let fill = theme.series[0].mix(alpha).filled();
    for &(a, b) in &others {
        plot.draw(&Rectangle::new([(a, 0), (b, height)], fill))?;
    }
    let chosen = selected.and_then(|i| Some((windows[i], band(&windows[i])?)));
    if let Some((_, (a, b))) = chosen {
        plot.draw(&Rectangle::new(
            [(a, 0), (b, height)],
            theme.accent.mix(0.3).filled(),
        ))?;
        for edge in [a, b] {
            plot.draw(&PathElement::new(
                vec![(edge, 0), (edge, height)],
                theme.accent.stroke_width(sizes.line),
            ))?;
        }
    }

    let line = decimated(&timeline.points, column);
    chart.draw_series(LineSeries::new(
        line.iter().copied(),
        theme.foreground.stroke_width(sizes.line),
    ))?;

    let mut legend = Legend::default();
    legend.push("daily close", Swatch::Line(theme.foreground, sizes.line));
    if !others.is_empty() {
        let (count, other) = match selected {
            None => (windows.len(), ""),
            Some(_) => (windows.len() - 1, "other "),
        };
        let plural = if count == 1 { "" } else { "s" };
        let label = format!("{count} {other}window{plural}");
        legend.push(label, Swatch::Block(theme.series[0]));
    }
    if let Some(((from, to), _)) = chosen {
        legend.push(format!("window {from} – {to}"), Swatch::Block(theme.accent));
    }
    // The legend keeps off the line and the selected window.
    let mut avoid = vec![line];
    if let Some(((from, to), _)) = chosen {
        let (y0, y1) = (timeline.y.start, timeline.y.end);
        for x in [timeline.clock.x(from), timeline.clock.x(to)] {
            avoid.push(vec![(x, y0), (x, y1)]);
        }
    }
    frame::draw_legend(&chart, &sizes, theme, &legend, &avoid)
}

/// The trading day under pixel column `x_pixel` (relative to `area`; on a whole
/// canvas, canvas pixels) of [`draw_timeline`]'s chart of `dates` and `closes`
/// on `area`: the one of `dates` (with a finite, positive close) nearest to the
/// column's middle; `None` outside the plot or for an empty series.
///
/// Lays the chart out exactly as [`draw_timeline`] does (same series, theme and
/// area size) but draws nothing; the windows do not move the axes. A column
/// spans `(last − first) / plot width` of time: for the S&P 500's 69 years on a
/// 900-pixel chart, about 20 trading days.
pub fn timeline_date_at<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &[Date],
    closes: &[f64],
    x_pixel: i32,
    theme: &Theme,
) -> Result<Option<Date>, DrawingAreaErrorKind<DB::ErrorType>> {
    let timeline = Timeline::of(dates, closes);
    if timeline.dates.is_empty() {
        return Ok(None);
    }
    let (chart, _) = timeline.layout(area, theme)?;
    let (base_x, _) = area.get_base_pixel();
    let Range { start: lo, end: hi } = timeline.x.clone();
    let x0 = chart.backend_coord(&(lo, timeline.y.start)).0 - base_x;
    let x1 = chart.backend_coord(&(hi, timeline.y.start)).0 - base_x;
    if x1 <= x0 || x_pixel < x0 || x_pixel > x1 {
        return Ok(None);
    }
    // The chart puts `x` in column ⌊x0 + (x − lo)/(hi − lo)·(x1 − x0)⌋: the
    // middle of column `x_pixel` is half a pixel right of its left edge.
    let x = lo + (f64::from(x_pixel - x0) + 0.5) / f64::from(x1 - x0) * (hi - lo);
    let xs: Vec<f64> = timeline.points.iter().map(|p| p.0).collect();
    let after = xs.partition_point(|&d| d < x);
    let nearest = match (after.checked_sub(1), xs.get(after)) {
        (Some(before), Some(&next)) if x - xs[before] <= next - x => before,
        (Some(before), None) => before,
        _ => after,
    };
    Ok(timeline.dates.get(nearest).copied())
}

/// The largest number of `bands` (pixel spans `a..=b`) covering one column.
fn deepest_overlap(bands: &[(i32, i32)]) -> usize {
    let mut events: Vec<(i32, i32)> = bands
        .iter()
        .flat_map(|&(a, b)| [(a, 1), (b + 1, -1)])
        .collect();
    // Ends before starts at the same column: touching bands do not overlap.
    events.sort_unstable();
    let mut depth = 0i32;
    let mut deepest = 0i32;
    for (_, change) in events {
        depth += change;
        deepest = deepest.max(depth);
    }
    deepest as usize
}

/// `points` (in order of `x`) thinned to at most four per pixel column (the
/// "M4" aggregation of Jugel et al., VLDB 2014): of each run of points in one
/// `column`, the first, the lowest, the highest and the last, in their order.
/// Within a column these are joined by vertical strokes covering the run's
/// range, and each column's last point joins the next one's first as the
/// full line does, so the line covers the same pixels as the line through all.
fn decimated(points: &[(f64, f64)], column: impl Fn(f64) -> i32) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < points.len() {
        let here = column(points[start].0);
        let mut end = start + 1;
        while end < points.len() && column(points[end].0) == here {
            end += 1;
        }
        let by_y = |&a: &usize, &b: &usize| points[a].1.total_cmp(&points[b].1);
        let low = (start..end).min_by(by_y).unwrap_or(start);
        let high = (start..end).max_by(by_y).unwrap_or(start);
        let mut kept = [start, low, high, end - 1];
        kept.sort_unstable();
        let mut previous = None;
        for i in kept {
            if previous != Some(i) {
                out.push(points[i]);
                previous = Some(i);
            }
        }
        start = end;
    }
    out
}
