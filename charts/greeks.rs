//! Chart of the hedged position's Greeks along one path: delta, gamma and vega of
//! the whole position (book, hedge options and shares) after each date's trades,
//! one small panel each over a shared time axis.
//!
//! It shows the lesson of hedging with options: shares bring delta to zero at
//! every rebalance but leave gamma and vega as they are; hedge options bring
//! those to zero too (`greeks=delta-gamma`, `delta-vega`, …).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{self, Legend, Swatch};
use super::{ChartResult, Theme};
use crate::hedging::hedger::LedgerRow;

/// Days per year on the time axis (as the other path charts).
const DAYS_PER_YEAR: f64 = 365.0;

/// One panel: its title (the y axis), the Greek of a row, its colour index.
type Panel = (&'static str, fn(&LedgerRow) -> f64, usize);

/// The position's delta (in shares), gamma and vega (per vol point) against
/// time, in three panels stacked top to bottom, each with a zero line. Rows
/// with a non-finite value are skipped; the settled expiry row (all zero) too.
pub fn draw_position_greeks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[LedgerRow],
    theme: &Theme,
) -> ChartResult<DB> {
    let last = rows.len().saturating_sub(1);
    let rows: Vec<&LedgerRow> = rows
        .iter()
        .enumerate()
        .filter(|&(i, r)| {
            (i < last || rows.len() == 1)
                && [r.time, r.position_delta, r.position_gamma, r.position_vega]
                    .iter()
                    .all(|v| v.is_finite())
        })
        .map(|(_, r)| r)
        .collect();
    let panels: [Panel; 3] = [
        ("delta (shares)", |r| r.position_delta, 0),
        ("gamma", |r| r.position_gamma, 1),
        ("vega per vol pt", |r| r.position_vega / 100.0, 2),
    ];
    let x = frame::padded(
        frame::bounds(rows.iter().map(|r| r.time * DAYS_PER_YEAR)),
        0.015,
    );
    let areas = area.split_evenly((panels.len(), 1));
    for (i, ((title, greek, colour), panel_area)) in panels.iter().zip(&areas).enumerate() {
        let line: Vec<(f64, f64)> = rows
            .iter()
            .map(|r| (r.time * DAYS_PER_YEAR, greek(r)))
            .collect();
        let y = frame::padded(frame::bounds(line.iter().map(|p| p.1).chain([0.0])), 0.1);
        // Only the bottom panel names the time axis.
        let (x_axis, x_title) = super::ledger::time_axis(rows.iter().copied(), x.clone());
        let x_title = if i + 1 == panels.len() { x_title } else { "" };
        let (mut chart, sizes) = frame::build(panel_area, theme, x_axis, y, x_title, title)?;
        let zero = vec![(x.start, 0.0), (x.end, 0.0)];
        chart.draw_series(LineSeries::new(
            zero.iter().copied(),
            theme.grid.stroke_width(sizes.line),
        ))?;
        let color = theme.series[*colour];
        chart.draw_series(LineSeries::new(
            line.iter().copied(),
            color.stroke_width(sizes.line),
        ))?;
        let mut legend = Legend::default();
        legend.push(
            format!("position {}", title.split(' ').next().unwrap_or(title)),
            Swatch::Line(color, sizes.line),
        );
        frame::draw_legend(&chart, &sizes, theme, &legend, &[line, zero])?;
    }
    Ok(())
}
