//! Charts of one path's ledger: the spot path with its trades, the hedge (target vs
//! held shares, and hedge options held) and the cumulative P&L with its
//! attribution. The position's Greeks along the path are in `greeks.rs`.
//!
//! Time runs along the horizontal axis in calendar days, `time × 365`.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{self, Legend, Marker, Swatch, XAxis};
use super::{ChartResult, Theme};
use crate::hedging::hedger::LedgerRow;

/// Days per year on the time axis.
const DAYS_PER_YEAR: f64 = 365.0;

/// The time axis of a ledger's charts over `days` ([`frame::time_axis`] of the
/// first row's date), and its title.
pub(crate) fn time_axis<'a>(
    rows: impl IntoIterator<Item = &'a LedgerRow>,
    days: std::ops::Range<f64>,
) -> (XAxis, &'static str) {
    frame::time_axis(rows.into_iter().next().and_then(|r| r.date), days)
}

fn day(row: &LedgerRow) -> f64 {
    row.time * DAYS_PER_YEAR
}

fn finite(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite())
}

/// The time-axis range of a ledger: its days, padded a little so end markers show.
fn time_range(days: impl IntoIterator<Item = f64>) -> std::ops::Range<f64> {
    frame::padded(frame::bounds(days), 0.015)
}

/// Spot against time, with a marker on every date the hedge traded — an upward
/// triangle for a buy, a downward one for a sell — and each of the book's
/// `strikes` as a dashed horizontal line.
///
/// One line of `rows.len()` points (rows with a non-finite time or spot are
/// skipped); one marker per row with a non-zero `trade`, the closing trade at
/// expiry included.
///
/// When the paths' variance moves along the path (Heston), a panel below
/// shows the instantaneous vol `√v` (the hedger prices at one flat vol).
pub fn draw_spot_path<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[LedgerRow],
    strikes: &[f64],
    theme: &Theme,
) -> ChartResult<DB> {
    let moving = rows
        .windows(2)
        .any(|w| w[0].variance != w[1].variance && w[1].variance.is_finite());
    if !moving {
        return spot_panel(area, rows, strikes, theme);
    }
    let height = area.dim_in_pixel().1;
    let (top, bottom) = area.split_vertically(height * 2 / 3);
    spot_panel(&top, rows, strikes, theme)?;
    vol_panel(&bottom, rows, theme)
}

/// The path's instantaneous vol `√v_i` (in %) against time.
fn vol_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[LedgerRow],
    theme: &Theme,
) -> ChartResult<DB> {
    let line: Vec<(f64, f64)> = rows
        .iter()
        .filter(|r| finite(&[r.time, r.variance]) && r.variance >= 0.0)
        .map(|r| (day(r), 100.0 * libm::sqrt(r.variance)))
        .collect();
    let x = time_range(line.iter().map(|p| p.0));
    let y = frame::padded(frame::bounds(line.iter().map(|p| p.1).chain([0.0])), 0.08);
    let (x_axis, x_title) = time_axis(rows, x);
    let (mut chart, sizes) = frame::build(area, theme, x_axis, y, x_title, "vol √v (%)")?;
    let color = theme.series[4];
    chart.draw_series(LineSeries::new(
        line.iter().copied(),
        color.stroke_width(sizes.line),
    ))?;
    let mut legend = Legend::default();
    legend.push(
        "the path's instantaneous vol",
        Swatch::Line(color, sizes.line),
    );
    frame::draw_legend(&chart, &sizes, theme, &legend, &[line])
}

/// Spot with trades and strikes: [`draw_spot_path`]'s main panel.
fn spot_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[LedgerRow],
    strikes: &[f64],
    theme: &Theme,
) -> ChartResult<DB> {
    let path: Vec<(f64, f64)> = rows
        .iter()
        .filter(|r| finite(&[r.time, r.spot]))
        .map(|r| (day(r), r.spot))
        .collect();
    let trades: Vec<(f64, f64, f64)> = rows
        .iter()
        .filter(|r| r.trade != 0.0 && finite(&[r.time, r.spot, r.trade]))
        .map(|r| (day(r), r.spot, r.trade))
        .collect();
    let mut strikes: Vec<f64> = strikes.iter().copied().filter(|k| k.is_finite()).collect();
    strikes.sort_by(f64::total_cmp);
    strikes.dedup();

    let x = time_range(path.iter().map(|p| p.0));
    let y = frame::padded(
        frame::union(
            frame::bounds(path.iter().map(|p| p.1)),
            frame::bounds(strikes.iter().copied()),
        ),
        0.06,
    );
    let (x_axis, x_title) = time_axis(rows, x.clone());
    let (mut chart, sizes) =
        frame::build(area, theme, x_axis, y, x_title, "spot (money per share)")?;
    let mut legend = Legend::default();
    let mut avoid = vec![path.clone()];

    if !strikes.is_empty() {
        let color = theme.series[6];
        for &k in &strikes {
            let line = vec![(x.start, k), (x.end, k)];
            frame::draw_dashed(&mut chart, &sizes, &line, color)?;
            avoid.push(line);
        }
        let shown: Vec<String> = strikes.iter().map(|&k| frame::significant(k, 4)).collect();
        let label = match shown.len() {
            1 => format!("strike {}", shown[0]),
            // A long list would crowd the legend: the lines say where they are.
            2..=3 => format!("strikes {}", shown.join(", ")),
            n => format!("{n} strikes"),
        };
        legend.push(label, Swatch::Dashed(color, sizes.line));
    }

    chart.draw_series(LineSeries::new(
        path.iter().copied(),
        theme.series[0].stroke_width(sizes.line),
    ))?;
    legend.push("spot", Swatch::Line(theme.series[0], sizes.line));

    // Markers: smaller when trades are dense, so they do not merge into a band.
    let plot_w = f64::from(chart.plotting_area().dim_in_pixel().0);
    let radius = (plot_w / trades.len().max(1) as f64 * 0.4).clamp(2.5, sizes.marker() * 1.2);
    for (marker, color, is_buy) in [
        (Marker::Up, theme.buy, true),
        (Marker::Down, theme.sell, false),
    ] {
        let points: Vec<(f64, f64)> = trades
            .iter()
            .filter(|t| (t.2 > 0.0) == is_buy)
            .map(|t| (t.0, t.1))
            .collect();
        if points.is_empty() {
            continue;
        }
        let shape = frame::marker_points(marker, radius);
        chart.draw_series(
            points
                .iter()
                .map(|&p| EmptyElement::at(p) + Polygon::new(shape.clone(), color.filled())),
        )?;
        let what = if is_buy { "buy" } else { "sell" };
        legend.push(
            format!("{what} ({} trades)", points.len()),
            Swatch::Marker(marker, color),
        );
        avoid.extend(points.into_iter().map(|p| vec![p]));
    }

    frame::draw_legend(&chart, &sizes, theme, &legend, &avoid)
}

/// The delta-neutral target `h* = −Σ nΔ` and the shares actually held, against time,
/// and, when the hedge trades options, the options held of each. Holdings are
/// step lines: they change only on trade dates and are flat in between, so the
/// gap between target and held shares is the delta left unhedged.
pub fn draw_hedge<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[LedgerRow],
    theme: &Theme,
) -> ChartResult<DB> {
    let rows: Vec<&LedgerRow> = rows
        .iter()
        .filter(|r| finite(&[r.time, r.target, r.held]))
        .collect();
    let target: Vec<(f64, f64)> = rows.iter().map(|r| (day(r), r.target)).collect();
    // A holding as a step line: flat from one date to the next.
    let steps = |holding: &dyn Fn(&LedgerRow) -> Option<f64>| -> Vec<(f64, f64)> {
        frame::step_line(
            rows.iter()
                .filter_map(|r| Some((day(r), holding(r).filter(|v| v.is_finite())?))),
        )
    };
    let held = steps(&|r| Some(r.held));
    let option_columns: [fn(&LedgerRow) -> Option<f64>; 3] =
        [|r| r.option1_held, |r| r.option2_held, |r| r.option3_held];
    let options: Vec<Vec<(f64, f64)>> = option_columns
        .iter()
        .map(|column| steps(column))
        .filter(|line| !line.is_empty())
        .collect();

    let x = time_range(target.iter().map(|p| p.0));
    let y = frame::padded(
        frame::bounds(
            target
                .iter()
                .chain(&held)
                .chain(options.iter().flatten())
                .map(|p| p.1),
        ),
        0.06,
    );
    let unit = if options.is_empty() {
        "shares"
    } else {
        "shares or options held"
    };
    let (x_axis, x_title) = time_axis(rows, x);
    let (mut chart, sizes) = frame::build(area, theme, x_axis, y, x_title, unit)?;
    let mut legend = Legend::default();

    chart.draw_series(LineSeries::new(
        target.iter().copied(),
        theme.series[0].stroke_width(sizes.line),
    ))?;
    legend.push(
        "target −Σ nΔ (delta-neutral)",
        Swatch::Line(theme.series[0], sizes.line),
    );
    chart.draw_series(LineSeries::new(
        held.iter().copied(),
        theme.series[1].stroke_width(sizes.line),
    ))?;
    legend.push(
        "held (after each date's trade)",
        Swatch::Line(theme.series[1], sizes.line),
    );
    for (j, line) in options.iter().enumerate() {
        let color = theme.series[(3 + j) % theme.series.len()];
        chart.draw_series(LineSeries::new(
            line.iter().copied(),
            color.stroke_width(sizes.line),
        ))?;
        legend.push(
            format!("hedge option {} held", j + 1),
            Swatch::Line(color, sizes.line),
        );
    }

    let mut avoid = vec![target, held];
    avoid.extend(options);
    frame::draw_legend(&chart, &sizes, theme, &legend, &avoid)
}

/// Charts narrower than this (pixels) shorten the P&L attribution's legend.
const NARROW_CHART: u32 = 600;

/// The cumulative P&L (`pnl`, money at each date) and the running sums of its
/// parts: gamma `½ΓδS²`, theta `Θδt`, the unhedged delta `(h + Δ)δS`, financing
/// (interest and dividends), costs and the residual. The parts add up to the
/// total at every date. Rows with a non-finite value are skipped.
pub fn draw_pnl_attribution<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[LedgerRow],
    theme: &Theme,
) -> ChartResult<DB> {
    let rows: Vec<&LedgerRow> = rows
        .iter()
        .filter(|r| {
            finite(&[
                r.time,
                r.pnl,
                r.gamma_pnl,
                r.theta_pnl,
                r.hedge_pnl,
                r.financing_pnl,
                r.cost_pnl,
                r.residual_pnl,
            ])
        })
        .collect();
    type Part = fn(&LedgerRow) -> f64;
    // Narrow charts (embedded, phones) name the parts without their formulas, so
    // the legend fits in columns above the lines.
    let narrow = area.dim_in_pixel().0 < NARROW_CHART;
    let name = |full: &'static str, short: &'static str| if narrow { short } else { full };
    let has_options = rows.iter().any(|r| r.options_pnl.is_some());
    let mut parts: Vec<(&str, Part, RGBColor)> = vec![
        (
            name("gamma ½ΓδS²", "gamma"),
            |r| r.gamma_pnl,
            theme.series[0],
        ),
        (name("theta Θδt", "theta"), |r| r.theta_pnl, theme.series[1]),
        (
            name("unhedged delta (h+Δ)δS", "delta"),
            |r| r.hedge_pnl,
            theme.series[2],
        ),
        ("financing", |r| r.financing_pnl, theme.series[3]),
        ("costs", |r| r.cost_pnl, theme.series[4]),
        ("residual", |r| r.residual_pnl, theme.series[6]),
    ];
    if has_options {
        // Before the residual, which stays last (drawn first, underneath).
        parts.insert(
            parts.len() - 1,
            (
                name("hedge options Σ w δV", "options"),
                |r| r.options_pnl.unwrap_or(0.0),
                theme.series[5],
            ),
        );
    }
    let total: Vec<(f64, f64)> = rows.iter().map(|r| (day(r), r.pnl)).collect();
    let sums: Vec<Vec<(f64, f64)>> = parts
        .iter()
        .map(|(_, part, _)| {
            let mut sum = 0.0;
            rows.iter()
                .map(|r| {
                    sum += part(r);
                    (day(r), sum)
                })
                .collect()
        })
        .collect();

    let sizes = frame::Sizes::of(area);
    let thick = sizes.line + 1;
    let mut legend = Legend::default();
    legend.push(
        name("total P&L", "total"),
        Swatch::Line(theme.foreground, thick),
    );
    for (label, _, color) in &parts {
        legend.push(*label, Swatch::Line(*color, sizes.line));
    }

    let x = time_range(total.iter().map(|p| p.0));
    let y = frame::padded(
        frame::bounds(
            total
                .iter()
                .chain(sums.iter().flatten())
                .map(|p| p.1)
                .chain([0.0]),
        ),
        0.06,
    );
    // Headroom: seven legend entries would hide lines anywhere, so the lines stay
    // below a band at the top that the legend (in columns when it is wide) fills.
    let share = frame::legend_band_share(
        area,
        theme,
        &mut legend,
        time_axis(rows.iter().copied(), x.clone()).0,
        y.clone(),
    )?;
    let y = y.start..y.start + (y.end - y.start) / (1.0 - share);
    let (x_axis, x_title) = time_axis(rows, x);
    let (mut chart, sizes) =
        frame::build(area, theme, x_axis, y, x_title, "cumulative P&L (money)")?;
    // The residual (usually near zero) first, under the parts it would hide.
    let residual = parts.len() - 1;
    for i in std::iter::once(residual).chain(0..residual) {
        chart.draw_series(LineSeries::new(
            sums[i].iter().copied(),
            parts[i].2.stroke_width(sizes.line),
        ))?;
    }
    // The total on top of its parts.
    chart.draw_series(LineSeries::new(
        total.iter().copied(),
        theme.foreground.stroke_width(thick),
    ))?;

    let mut avoid = sums;
    avoid.push(total);
    frame::draw_legend(&chart, &sizes, theme, &legend, &avoid)
}
