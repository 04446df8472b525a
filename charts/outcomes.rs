//! A comparison as distributions: each row's outcomes on the same paths as
//! one step outline. For an insured portfolio the outcome is value less start
//! at the horizon and the floor a dashed line — the bought put's mass piles up
//! on the floor, the dynamic ones leak below it, the unprotected one spreads
//! widest; for the hedgers of Heston paths it is the hedge's P&L — the
//! minimum-variance delta's outline is the narrowest.
//!
//! **Tested by** `tests/charts.rs` (one outline per row, the floor and the
//! legend; no rows and non-finite counts draw without a panic).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{self, Legend, Swatch, XAxis};
use super::{ChartResult, Theme};
use crate::results::analysis::Comparison;

/// The density of each row of `comparison` (share of paths per unit of
/// outcome: `count / (n · bin width)`, so rows with different bins compare) as
/// a step outline over its histogram's bins, and `comparison.floor` dashed.
pub fn draw_outcome_histograms<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    comparison: &Comparison,
    theme: &Theme,
) -> ChartResult<DB> {
    let outlines: Vec<(String, Vec<(f64, f64)>)> = comparison
        .rows
        .iter()
        .map(|(name, run)| {
            let h = &run.histogram;
            let n: f64 = h.counts.iter().map(|&c| f64::from(c)).sum();
            let mut points = Vec::with_capacity(2 * h.counts.len() + 2);
            if n > 0.0 && h.width > 0.0 && h.width.is_finite() {
                points.push((h.edge(0), 0.0));
                for (i, &c) in h.counts.iter().enumerate() {
                    let density = f64::from(c) / (n * h.width);
                    points.push((h.edge(i), density));
                    points.push((h.edge(i) + h.width, density));
                }
                points.push((h.edge(h.counts.len()), 0.0));
            }
            points.retain(|p| p.0.is_finite() && p.1.is_finite());
            (name.clone(), points)
        })
        .collect();
    let floor = comparison.floor.filter(|f| f.is_finite());
    let x = frame::padded(
        outlines
            .iter()
            .map(|(_, p)| frame::bounds(p.iter().map(|q| q.0)))
            .chain([floor.map(|f| (f, f))])
            .fold(None, frame::union),
        0.02,
    );
    let top = outlines
        .iter()
        .flat_map(|(_, p)| p.iter().map(|q| q.1))
        .fold(0.0, f64::max);
    // Headroom above the tallest outline for the legend, a line per row (on a
    // narrow chart it would otherwise sit on the peaks).
    let headroom = 1.15 + 0.18 * outlines.len() as f64;
    let y = 0.0..if top > 0.0 { top * headroom } else { 1.0 };
    let (mut chart, sizes) = frame::build(
        area,
        theme,
        XAxis::Numeric(x),
        y.clone(),
        if floor.is_some() {
            "value − start, at the horizon (money)"
        } else {
            "P&L (present value)"
        },
        "share of paths per unit",
    )?;
    let mut legend = Legend::default();
    let mut avoid = Vec::new();
    for (i, (name, points)) in outlines.iter().enumerate() {
        if points.is_empty() {
            continue;
        }
        let color = theme.series[i % theme.series.len()];
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            color.stroke_width(sizes.line + 1),
        ))?;
        legend.push(name.clone(), Swatch::Line(color, sizes.line + 1));
        avoid.push(points.clone());
    }
    if let Some(f) = floor {
        let line = vec![(f, 0.0), (f, y.end)];
        super::runs::draw_floor(&mut chart, &sizes, theme, f, line, &mut legend, &mut avoid)?;
    }
    frame::draw_legend(&chart, &sizes, theme, &legend, &avoid)
}
