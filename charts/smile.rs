//! Chart of the price model's implied-volatility smile at t = 0
//! ([`crate::results::smile`]): Black–Scholes implied vol against strike, the
//! spot and the hedger's vol marked. Flat under GBM; under Heston it slopes
//! with ρ and curves with ξ.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{self, Legend, Swatch, XAxis};
use super::{ChartResult, Theme};
use crate::results::smile::SmilePoint;

/// Implied vol (in %) against strike, a dashed vertical line at `spot` and a
/// dashed horizontal one at the hedger's vol `hedging_vol`. Points with a
/// non-finite value are skipped.
pub fn draw_smile<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[SmilePoint],
    spot: f64,
    hedging_vol: f64,
    theme: &Theme,
) -> ChartResult<DB> {
    let line: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.strike.is_finite() && p.vol.is_finite())
        .map(|p| (p.strike, 100.0 * p.vol))
        .collect();
    let hedger = (100.0 * hedging_vol)
        .is_finite()
        .then_some(100.0 * hedging_vol);
    let x = frame::padded(
        frame::union(
            frame::bounds(line.iter().map(|p| p.0)),
            spot.is_finite().then_some((spot, spot)),
        ),
        0.02,
    );
    let y = frame::padded(
        frame::union(
            frame::bounds(line.iter().map(|p| p.1)),
            hedger.map(|v| (v, v)),
        ),
        0.15,
    );
    let (mut chart, sizes) = frame::build(
        area,
        theme,
        XAxis::Numeric(x.clone()),
        y.clone(),
        "strike (money)",
        "implied vol (%)",
    )?;
    let mut legend = Legend::default();
    let mut avoid = vec![line.clone()];
    if let Some(v) = hedger {
        let flat = vec![(x.start, v), (x.end, v)];
        let color = theme.series[1];
        frame::draw_dashed(&mut chart, &sizes, &flat, color)?;
        legend.push(
            format!("hedger's vol {}%", frame::significant(v, 3)),
            Swatch::Dashed(color, sizes.line),
        );
        avoid.push(flat);
    }
    if spot.is_finite() {
        let at_spot = vec![(spot, y.start), (spot, y.end)];
        let color = theme.series[6];
        frame::draw_dashed(&mut chart, &sizes, &at_spot, color)?;
        legend.push("spot", Swatch::Dashed(color, sizes.line));
        avoid.push(at_spot);
    }
    if line.is_empty() {
        // Recorded prices have no model to price strikes with: say so rather
        // than leave an empty frame.
        legend.push(
            "no model smile: recorded prices",
            Swatch::Line(theme.background, sizes.line),
        );
    } else {
        chart.draw_series(LineSeries::new(
            line.iter().copied(),
            theme.series[0].stroke_width(sizes.line + 1),
        ))?;
        legend.push(
            "model's smile",
            Swatch::Line(theme.series[0], sizes.line + 1),
        );
    }
    frame::draw_legend(&chart, &sizes, theme, &legend, &avoid)
}
