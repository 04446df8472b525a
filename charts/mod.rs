//! Charts of a scenario's results, drawn with [plotters].
//!
//! Every chart is a plain function generic over plotters' [`DrawingBackend`], in the
//! plotters style:
//!
//! ```text
//! pub fn draw_x<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, data…, theme: &Theme) -> ChartResult<DB>
//! ```
//!
//! This module never creates a backend: the command-line tool hands it an
//! `SVGBackend` or a `BitMapBackend`, the page its canvas backend (`web/canvas.rs`). The caller also
//! fills the background (`area.fill(&theme.background)`) and calls `present()`.
//! Charts have no title (the page and the file name say what they are); each one
//! has axis labels with units, a light grid and a legend placed in the emptiest
//! corner of the plot.
//!
//! | function | data | what it shows |
//! |---|---|---|
//! | [`draw_spot_path`] | one path's [`LedgerRow`](crate::hedging::hedger::LedgerRow)s | spot over time, buys and sells, the book's strikes |
//! | [`draw_hedge`] | one path's ledger rows | delta-neutral target vs shares held (a step line), and each hedge option held |
//! | [`draw_position_greeks`] | one path's ledger rows | the hedged position's delta, gamma and vega, one panel each |
//! | [`draw_pnl_attribution`] | one path's ledger rows | cumulative P&L and its parts (gamma, theta, …) |
//! | [`draw_histogram`] | a [`RunSummary`](crate::engine::montecarlo::RunSummary) | the P&L distribution, mean, −VaR95, −ES95, Derman–Kamal normal |
//! | [`draw_frontier`] | a [`Frontier`](crate::results::analysis::Frontier) | mean costs vs SD of P&L over the swept parameter |
//! | [`draw_comparison`] | a [`Comparison`](crate::results::analysis::Comparison) | p5–p95, mean ± SD and mean per strategy |
//! | [`draw_outcome_histograms`] | an insured portfolio's comparison | each protection's outcome density, the floor |
//! | [`draw_insured_path`] | one path's [`InsuranceRow`](crate::insurance::InsuranceRow)s (and the unprotected value) | the insured value against the floor's present value, the cushion, and the exposure (share of value in shares) as a step line |
//! | [`draw_timeline`] | a whole price series' dates and closes, back-test windows | the series on a log scale, the windows as bands, the selected one strong |
//! | [`draw_smile`] | the [`smile`](crate::results::smile::smile) of the price model | implied vol against strike at t = 0, the spot and the hedger's vol |
//!
//! [`draw_named`] computes a chart's data from a plan by its name in [`CHARTS`]
//! and draws it (the CLI's `render`; the extreme-scenario grid's test).
//!
//! [`histogram_x_range`] and [`histogram_pixel_range`] say where the histogram's
//! P&L axis lands, so a page can map a click to a bin; [`timeline_date_at`]
//! maps a click on the timeline to its trading day.
//!
//! **Degenerate data** never panics and never returns an error: empty ledgers, a
//! single row or path, all-equal values (a zero-width range is padded), non-finite
//! values (skipped) and tiny areas all draw a valid, if empty, chart.
//!
//! **Text.** Every chart asks for the `"sans-serif"` family, at even pixel sizes
//! scaled to the area's height. Natively the crate builds plotters with its
//! `ab_glyph` font engine, which has no system fonts: call `use_bundled_font()` (native only)
//! once before drawing, or the first label fails with a font error. In the
//! browser the canvas uses the page's fonts.
//!
//! **Tested by** `tests/charts.rs` (`cargo test --all-features --test charts`):
//! every chart is drawn into an SVG string from a real scenario computed by the
//! core, and the test checks what was drawn against the data — a bar per non-empty
//! bin with heights proportional to counts, a point of the spot line per ledger
//! row, a marker per trade sitting on the line, the step line of holdings, a dot
//! per frontier point and the highlighted current one, a box per strategy, legend
//! and axis texts, and that [`histogram_pixel_range`] locates the drawn bars;
//! the insured path's exposure step line is an affine image of the rows'
//! `shares·S/V` and its floor-touch dot sits on the first row at the floor; the
//! timeline's line keeps at most four points per pixel column, its log axis
//! puts every decade at the same height, and [`timeline_date_at`] maps the
//! drawn window band and year tick back to their trading days;
//! degenerate inputs (no rows, one row, constant or non-finite values, an empty
//! run, one path, 1×1 and 120×80 areas, both themes) must draw without error. The
//! raster path (PNG via `BitMapBackend`, text drawn with the bundled font) is
//! checked by the unit tests of `cli/src/render.rs`, whose plotters has the
//! bitmap backend.

use plotters::prelude::*;

mod frame;
mod greeks;
mod insurance;
mod ledger;
mod named;
mod outcomes;
mod runs;
mod smile;
mod timeline;

pub use greeks::draw_position_greeks;
pub use insurance::draw_insured_path;
pub use ledger::{draw_hedge, draw_pnl_attribution, draw_spot_path};
pub use named::{check_named, draw_named, CHARTS};
pub use outcomes::draw_outcome_histograms;
pub use runs::{
    draw_comparison, draw_frontier, draw_histogram, draw_insured_histogram, histogram_pixel_range,
    histogram_x_range,
};
pub use smile::draw_smile;
pub use timeline::{draw_timeline, timeline_date_at};

/// What every chart function returns: plotters' drawing-area error of the backend.
pub type ChartResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Colours of a chart. Plain data: a caller may build its own.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// Background; the caller fills the area with it, legends are drawn on it.
    pub background: RGBColor,
    /// Text, axes and the total of a sum (e.g. the total P&L line).
    pub foreground: RGBColor,
    /// Grid lines and legend borders.
    pub grid: RGBColor,
    /// Colours of data series, in order of use (colour-blind-safe, after Okabe & Ito).
    pub series: [RGBColor; 7],
    /// Buy trades.
    pub buy: RGBColor,
    /// Sell trades.
    pub sell: RGBColor,
    /// Highlight (e.g. the current setting on the frontier).
    pub accent: RGBColor,
}

impl Theme {
    /// Dark text on white.
    pub const LIGHT: Theme = Theme {
        background: RGBColor(255, 255, 255),
        foreground: RGBColor(33, 37, 41),
        grid: RGBColor(225, 229, 234),
        series: [
            RGBColor(0, 114, 178),   // blue
            RGBColor(213, 94, 0),    // vermillion
            RGBColor(0, 158, 115),   // bluish green
            RGBColor(204, 121, 167), // reddish purple
            RGBColor(230, 159, 0),   // orange
            RGBColor(86, 180, 233),  // sky blue
            RGBColor(128, 128, 128), // grey
        ],
        buy: RGBColor(0, 150, 100),
        sell: RGBColor(200, 50, 40),
        accent: RGBColor(230, 120, 0),
    };

    /// Light text on near-black.
    pub const DARK: Theme = Theme {
        background: RGBColor(24, 26, 31),
        foreground: RGBColor(225, 228, 232),
        grid: RGBColor(56, 61, 70),
        series: [
            RGBColor(86, 180, 233),  // sky blue
            RGBColor(240, 128, 60),  // vermillion
            RGBColor(60, 200, 150),  // bluish green
            RGBColor(220, 150, 190), // reddish purple
            RGBColor(240, 190, 60),  // orange
            RGBColor(150, 160, 250), // periwinkle
            RGBColor(165, 165, 165), // grey
        ],
        buy: RGBColor(70, 205, 140),
        sell: RGBColor(245, 100, 85),
        accent: RGBColor(250, 175, 40),
    };
}

impl Default for Theme {
    /// [`Theme::LIGHT`].
    fn default() -> Self {
        Theme::LIGHT
    }
}

/// Register the bundled DejaVu Sans (`charts/fonts/DejaVuSans.ttf`, see its
/// licence file there) as plotters' `"sans-serif"` font, Normal and Bold.
///
/// **Why:** natively this crate builds plotters with the `ab_glyph` text engine
/// rather than `ttf` (which needs fontconfig and system fonts, and makes output
/// depend on the machine). `ab_glyph` knows no fonts until one is registered: without
/// this call every label fails with a font error, in PNG output and also in SVG
/// output (plotters measures text to lay out axes and legends). Bundling the font
/// makes PNGs look the same on every machine. SVG files still name the family
/// `sans-serif` and are displayed with the viewer's font.
///
/// Idempotent and cheap after the first call (a [`std::sync::Once`]); call it before
/// drawing. Not on wasm32, where the browser's canvas draws text with the page's fonts.
#[cfg(not(target_arch = "wasm32"))]
pub fn use_bundled_font() {
    static FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The font is a known-good file compiled in; a failure would leave text
        // unavailable and show up as a drawing error, so it is not an extra case.
        for style in [FontStyle::Normal, FontStyle::Bold] {
            let _ = plotters::style::register_font(frame::FAMILY, style, FONT);
        }
    });
}
