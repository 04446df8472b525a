//! `render`: compute what a chart needs with the core and draw it to an SVG or PNG
//! file with the library's chart functions (light theme, bundled font).

use std::path::Path;

use hedge_explorer::charts::{self, Theme};
use hedge_explorer::plan::Plan;
use plotters::coord::Shift;
use plotters::prelude::*;

pub use charts::CHARTS;

/// Smallest and largest width or height accepted, in pixels.
const SIZE_LIMITS: (u32, u32) = (64, 10_000);

/// Why a chart could not be rendered, and the exit status to report.
#[derive(Debug)]
pub struct RenderError {
    /// 2 for a usage error (chart name, file extension, size), 1 for I/O and drawing.
    pub status: u8,
    /// What went wrong, naming the file.
    pub message: String,
}

impl RenderError {
    fn usage(message: String) -> RenderError {
        RenderError { status: 2, message }
    }
}

/// The output format, from the file extension.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
}

/// Render chart `chart` of `plan` (path `index` for per-path charts) to `path`
/// (`.svg` or `.png`, by extension) at `size` pixels.
pub fn render(
    plan: &Plan,
    chart: &str,
    index: u64,
    path: &Path,
    size: (u32, u32),
) -> Result<(), RenderError> {
    charts::check_named(plan, chart).map_err(RenderError::usage)?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = match extension.as_deref() {
        Some("svg") => Format::Svg,
        Some("png") => Format::Png,
        _ => {
            return Err(RenderError::usage(format!(
                "cannot tell the format of {}: the file name must end in .svg or .png",
                path.display()
            )))
        }
    };
    let (lo, hi) = SIZE_LIMITS;
    if !(lo..=hi).contains(&size.0) || !(lo..=hi).contains(&size.1) {
        return Err(RenderError::usage(format!(
            "--width and --height must be between {lo} and {hi} pixels (got {}×{})",
            size.0, size.1
        )));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(RenderError {
                status: 1,
                message: format!(
                    "cannot write {}: the folder {} does not exist",
                    path.display(),
                    parent.display()
                ),
            });
        }
    }

    charts::use_bundled_font();
    let failed = |e: &dyn std::fmt::Display| RenderError {
        status: 1,
        message: format!("cannot render {}: {e}", path.display()),
    };
    match format {
        Format::Svg => {
            let mut svg = String::new();
            {
                let backend = SVGBackend::with_string(&mut svg, size);
                draw(backend.into_drawing_area(), plan, chart, index).map_err(|e| failed(&e))?;
            }
            std::fs::write(path, svg).map_err(|e| failed(&e))
        }
        Format::Png => {
            let backend = BitMapBackend::new(path, size);
            draw(backend.into_drawing_area(), plan, chart, index).map_err(|e| failed(&e))
        }
    }
}

/// Compute the chart's data, draw it on a light background and present it.
fn draw<DB: DrawingBackend>(
    area: DrawingArea<DB, Shift>,
    plan: &Plan,
    chart: &str,
    index: u64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let theme = Theme::LIGHT;
    area.fill(&theme.background)?;
    charts::draw_named(&area, plan, chart, index, &theme)?;
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hedge_explorer::Scenario;

    fn scenario() -> Plan {
        Plan::new(&Scenario::parse("v=1&paths=200&steps=20").expect("valid scenario"))
    }

    /// A scenario `chart` applies to: an insured portfolio for `insured`, a
    /// roll of recorded windows for `timeline`, else the small default.
    fn scenario_for(chart: &str) -> Plan {
        let query = match chart {
            "insured" | "outcomes" => "v=1&insure=cppi&mult=5&paths=200&steps=20",
            "timeline" => "v=1&hist=sp500&from=1987-01-02&until=1989-01-03&roll=21",
            _ => return scenario(),
        };
        Plan::new(&Scenario::parse(query).expect("valid scenario"))
    }

    /// A scratch file name in the temporary folder, unique to this test.
    fn scratch(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("hedge-explorer-{}-{name}", std::process::id()))
    }

    #[test]
    fn every_chart_rasterises_with_text() {
        charts::use_bundled_font();
        let (w, h) = (600u32, 360u32);
        let bg = Theme::LIGHT.background;
        let ink = Theme::LIGHT.foreground;
        for (chart, _) in CHARTS {
            let mut buffer = vec![0u8; (w * h * 3) as usize];
            {
                let area = BitMapBackend::with_buffer(&mut buffer, (w, h)).into_drawing_area();
                draw(area, &scenario_for(chart), chart, 0).expect("draws");
            }
            let pixels: Vec<&[u8]> = buffer.chunks(3).collect();
            let inked = pixels.iter().filter(|p| **p != [bg.0, bg.1, bg.2]).count();
            assert!(
                inked as f64 > 0.04 * f64::from(w * h),
                "{chart}: only {inked} pixels drawn"
            );
            // The x-axis title is rasterised text: the only ink in the bottom strip.
            let strip = pixels[((h - 20) * w) as usize..]
                .iter()
                .filter(|p| **p != [bg.0, bg.1, bg.2])
                .count();
            let dark = pixels[((h - 20) * w) as usize..]
                .iter()
                .filter(|p| {
                    p.iter()
                        .zip([ink.0, ink.1, ink.2])
                        .all(|(a, b)| a.abs_diff(b) < 80)
                })
                .count();
            assert!(
                strip > 100 && dark > 30,
                "{chart}: no axis title text ({strip} pixels, {dark} dark)"
            );
        }
    }

    #[test]
    fn writes_svg_and_png_files() {
        for (chart, _) in CHARTS {
            let s = scenario_for(chart);
            let svg = scratch(&format!("{chart}.svg"));
            render(&s, chart, 1, &svg, (640, 400)).expect("svg");
            let text = std::fs::read_to_string(&svg).expect("read svg");
            assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
            std::fs::remove_file(&svg).ok();

            let png = scratch(&format!("{chart}.PNG"));
            render(&s, chart, 1, &png, (640, 400)).expect("png");
            let bytes = std::fs::read(&png).expect("read png");
            assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
            std::fs::remove_file(&png).ok();
        }
    }

    #[test]
    fn usage_errors_have_status_2_and_io_errors_status_1() {
        let s = scenario();
        let e = render(&s, "pie", 0, Path::new("x.svg"), (640, 400)).unwrap_err();
        assert_eq!(e.status, 2);
        assert!(CHARTS.iter().all(|(name, _)| e.message.contains(name)));

        let e = render(&s, "spot", 0, Path::new("chart.jpg"), (640, 400)).unwrap_err();
        assert_eq!(e.status, 2);
        assert!(e.message.contains(".svg") && e.message.contains(".png"));
        assert!(e.message.contains("chart.jpg"));
        let e = render(&s, "spot", 0, Path::new("chart"), (640, 400)).unwrap_err();
        assert_eq!(e.status, 2);

        let e = render(&s, "spot", 0, Path::new("x.png"), (0, 400)).unwrap_err();
        assert_eq!(e.status, 2);

        // Charts of what the scenario does not have say what to add.
        let e = render(&s, "insured", 0, Path::new("x.png"), (640, 400)).unwrap_err();
        assert_eq!(e.status, 2);
        assert!(e.message.contains("insure="), "{}", e.message);
        let e = render(&s, "timeline", 0, Path::new("x.png"), (640, 400)).unwrap_err();
        assert_eq!(e.status, 2);
        assert!(e.message.contains("hist="), "{}", e.message);

        let missing = scratch("no-such-folder").join("out.png");
        let e = render(&s, "spot", 0, &missing, (640, 400)).unwrap_err();
        assert_eq!(e.status, 1);
        assert!(e.message.contains("out.png"), "{}", e.message);

        // A folder where the file should be: the write fails, naming the file.
        let folder = scratch("a-folder.svg");
        std::fs::create_dir_all(&folder).expect("mkdir");
        let e = render(&s, "hedge", 0, &folder, (640, 400)).unwrap_err();
        std::fs::remove_dir(&folder).ok();
        assert_eq!(e.status, 1);
        assert!(e.message.contains("a-folder.svg"), "{}", e.message);
    }
}
