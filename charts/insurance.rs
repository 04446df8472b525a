//! Chart of one path's insured portfolio ([`InsuranceRow`]s): its value against
//! the floor's present value, with the cushion between them, and below it the
//! exposure — the share of the value held in shares — which a dynamic strategy
//! (synthetic put, CPPI) cuts as the price falls: it sells into the fall.
//!
//! Time runs along the horizontal axis as in the hedge ledger's charts
//! ([`frame::time_axis`]): dates for recorded prices, else calendar days.
//!
//! **Tested by** `tests/charts.rs`: a CPPI run on a GBM path drawn in both
//! themes (the value line, the dashed floor, the exposure step line against the
//! rows, the legend and axis texts), a recorded-price ledger with dates, and
//! empty, single-row and non-finite ledgers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{self, Legend, Swatch};
use super::{ChartResult, Theme};
use crate::history::date::Date;
use crate::history::window::DAYS_PER_YEAR;
use crate::insurance::{InsuranceRow, BREACH_TOLERANCE};

fn day(row: &InsuranceRow) -> f64 {
    row.time * DAYS_PER_YEAR
}

/// Whether `row`'s value is on or below its floor (to [`BREACH_TOLERANCE`]):
/// the cushion is gone.
fn touches_floor(row: &InsuranceRow) -> bool {
    row.value <= row.floor + BREACH_TOLERANCE * row.floor.abs()
}

/// The insured portfolio along one path, in two panels over a shared time axis:
///
/// - top: its value (money at each date) and the floor's present value
///   `F·e^{−r(T−t)}` as a dashed line, the cushion between them shaded, a dot
///   on the first date the value touches the floor, and, when `unprotected` is
///   given (`qty·S_i` at each row; empty for none), the unprotected
///   portfolio's value;
/// - bottom: the exposure `shares·S / value` (0: all cash, 1: all in shares) as
///   a step line, flat from each date's trade to the next.
///
/// Rows with a non-finite time, value or floor are left out of the top panel,
/// rows with a non-finite or non-positive value out of the bottom one. No rows
/// draw the two empty frames.
pub fn draw_insured_path<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[InsuranceRow],
    unprotected: &[f64],
    theme: &Theme,
) -> ChartResult<DB> {
    let finite = |values: &[f64]| values.iter().all(|v| v.is_finite());
    let rows: Vec<&InsuranceRow> = rows
        .iter()
        .filter(|r| finite(&[r.time, r.value, r.floor]))
        .collect();
    let value: Vec<(f64, f64)> = rows.iter().map(|r| (day(r), r.value)).collect();
    let floor: Vec<(f64, f64)> = rows.iter().map(|r| (day(r), r.floor)).collect();
    let bare: Vec<(f64, f64)> = rows
        .iter()
        .zip(unprotected)
        .filter(|(_, u)| u.is_finite())
        .map(|(r, &u)| (day(r), u))
        .collect();
    let exposure = frame::step_line(
        rows.iter()
            .filter(|r| r.value > 0.0)
            .map(|r| (day(r), r.shares * r.spot / r.value))
            .filter(|p| p.1.is_finite()),
    );
    let touch = rows.iter().find(|r| touches_floor(r)).copied();
    let first_date = rows.first().and_then(|r| r.date);

    // The value (and its legend) above, on three fifths of the height; both
    // plots span the same pixel columns, so a date is at the same place in both.
    let (_, height) = area.dim_in_pixel();
    let panels = area.split_vertically(height * 3 / 5);
    let sizes = frame::Sizes::of(&panels.0);
    let mut legend = Legend::default();
    legend.push(
        "insured value",
        Swatch::Line(theme.series[0], sizes.line + 1),
    );
    legend.push(
        "floor (present value)",
        Swatch::Dashed(theme.foreground, sizes.line),
    );
    if !bare.is_empty() {
        legend.push("unprotected", Swatch::Line(theme.series[1], sizes.line));
    }
    legend.push("cushion", Swatch::Block(theme.series[0]));
    if let Some(r) = touch {
        legend.push(
            format!("touches the floor {}", when(r, first_date)),
            Swatch::Dot(theme.sell),
        );
    }

    let x = frame::padded(frame::bounds(value.iter().map(|p| p.0)), 0.015);
    let y = frame::padded(
        frame::bounds(value.iter().chain(&floor).chain(&bare).map(|p| p.1)),
        0.06,
    );
    let exposure_y = frame::padded(
        frame::bounds(exposure.iter().map(|p| p.1).chain([0.0, 1.0])),
        0.06,
    );

    let share = frame::legend_band_share(
        &panels.0,
        theme,
        &mut legend,
        frame::time_axis(first_date, x.clone()).0,
        y.clone(),
    )?;
    let y = y.start..y.start + (y.end - y.start) / (1.0 - share);
    let columns = |panel: &DrawingArea<DB, Shift>, y: std::ops::Range<f64>| {
        frame::layout(panel, theme, frame::time_axis(first_date, x.clone()).0, y)
            .map(|(chart, _)| chart.plotting_area().get_pixel_range().0)
    };
    let (above, below) = (
        columns(&panels.0, y.clone())?,
        columns(&panels.1, exposure_y.clone())?,
    );
    let (start, end) = (above.start.max(below.start), above.end.min(below.end));
    let top = panels
        .0
        .margin(0, 0, start - above.start, (above.end - end).max(0));
    let bottom = panels
        .1
        .margin(0, 0, start - below.start, (below.end - end).max(0));

    // Top: value, floor, cushion.
    let (x_axis, _) = frame::time_axis(first_date, x.clone());
    let (mut chart, sizes) = frame::build(&top, theme, x_axis, y, "", "value (money)")?;
    let cushion: Vec<(f64, f64)> = value
        .iter()
        .zip(&floor)
        .map(|(&(t, v), &(_, f))| (t, v.max(f)))
        .chain(floor.iter().rev().copied())
        .collect();
    if value.len() >= 2 {
        chart.draw_series(std::iter::once(Polygon::new(
            cushion,
            theme.series[0].mix(0.15).filled(),
        )))?;
    }
    if !bare.is_empty() {
        chart.draw_series(LineSeries::new(
            bare.iter().copied(),
            theme.series[1].stroke_width(sizes.line),
        ))?;
    }
    frame::draw_dashed(&mut chart, &sizes, &floor, theme.foreground)?;
    chart.draw_series(LineSeries::new(
        value.iter().copied(),
        theme.series[0].stroke_width(sizes.line + 1),
    ))?;
    let mut avoid = vec![value, floor, bare];
    if let Some(r) = touch {
        let at = (day(r), r.value);
        chart.draw_series(std::iter::once(
            EmptyElement::at(at) + Circle::new((0, 0), sizes.marker() * 1.6, theme.sell.filled()),
        ))?;
        avoid.push(vec![at]);
    }
    frame::draw_legend(&chart, &sizes, theme, &legend, &avoid)?;

    // Bottom: the exposure; a short panel (a small chart) shortens its title
    // so that it stays beside its own axis.
    let (x_axis, x_title) = frame::time_axis(first_date, x);
    let title = "exposure (share of value)";
    let (title_w, _) = bottom.estimate_text_size(title, &frame::text_style(theme, sizes.font))?;
    let fits = f64::from(title_w) <= 0.85 * f64::from(bottom.dim_in_pixel().1);
    let title = if fits { title } else { "exposure" };
    let (mut chart, sizes) = frame::build(&bottom, theme, x_axis, exposure_y, x_title, title)?;
    chart.draw_series(LineSeries::new(
        exposure.iter().copied(),
        theme.series[2].stroke_width(sizes.line),
    ))?;
    let mut legend = Legend::default();
    legend.push(
        "shares × spot / value",
        Swatch::Line(theme.series[2], sizes.line),
    );
    frame::draw_legend(&chart, &sizes, theme, &legend, &[exposure])
}

/// When `row` is, for a legend: its date, else its day from the start.
fn when(row: &InsuranceRow, first_date: Option<Date>) -> String {
    match (row.date, first_date) {
        (Some(date), _) => date.to_string(),
        _ => format!("on day {}", frame::significant(day(row), 3)),
    }
}
