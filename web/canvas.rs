//! The page's drawing backend: plotters' `CanvasBackend`, with text measured
//! by the canvas itself (`measureText`) instead of by plotters' web font code,
//! which appends a `<span>` to the document for every label it measures and
//! reads its size back — a layout of the whole page each time, most of the
//! time a chart took to draw (55 ms for the four one-path charts, measured).
//! Lines, shapes and text are drawn here, as `CanvasBackend` draws them, but
//! with the context's state — stroke and fill colour, line width, font,
//! alignment, baseline — set only when it changes: each assignment crosses
//! from wasm as a string to decode and Chromium parses the CSS colour or font
//! on every one, while `CanvasBackend` assigns them for every segment and
//! label (about 550 colours and 550 widths a one-path redraw, counted, nearly
//! all repeats). Text sizes are measured once per font and text and kept
//! (the charts ask for the generic `sans-serif`, whose metrics cannot change
//! within a page's life): a redraw asks for the same tick labels again.
//!
//! **Tested by** `tests/web.rs` (every chart draws on a canvas; a histogram
//! click maps back to its bin) and the end-to-end tests in `e2e/` (charts
//! drawn, clicks on the histogram and the timeline).

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A canvas to draw charts on (see the module docs).
pub(super) struct PageCanvas {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
    /// The font this backend last set on the context ("" before the first).
    /// A backend lives for one drawing of one canvas, and nothing else sets the
    /// context's state meanwhile.
    font: RefCell<String>,
    /// The rest of the context's state as this backend last set it.
    state: ContextState,
    /// Whether a path of lines is begun and not yet stroked (see
    /// [`PageCanvas::open_lines`]).
    lines_open: bool,
}

/// A colour as the context's state keeps it: RGB and alpha.
type Colour = ((u8, u8, u8), f64);

/// `colour` as the context's state keeps it.
fn kept(colour: BackendColor) -> Colour {
    (colour.rgb, colour.alpha)
}

/// The context's state as this backend last set it; `None` where not set yet.
#[derive(Default)]
struct ContextState {
    baseline: Option<&'static str>,
    align: Option<&'static str>,
    fill: Option<Colour>,
    stroke: Option<Colour>,
    line_width: Option<u32>,
}

/// Why drawing on the canvas failed: the context's exception, as text.
#[derive(Debug)]
pub(super) struct CanvasError(String);

impl fmt::Display for CanvasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "canvas error: {}", self.0)
    }
}

impl std::error::Error for CanvasError {}

type Result<T = ()> = std::result::Result<T, DrawingErrorKind<CanvasError>>;

/// A context call's exception as a drawing error.
fn canvas_error(e: JsValue) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(format!("{e:?}")))
}

thread_local! {
    /// Text sizes measured so far, by font and text (see [`PageCanvas::measure`]).
    static TEXT_SIZES: RefCell<HashMap<String, (u32, u32)>> = RefCell::new(HashMap::new());
}

/// The most text sizes kept: a page's charts use a few hundred labels, so
/// this is reached only by labels that keep changing (then the sizes start
/// afresh).
const TEXT_SIZES_KEPT: usize = 4096;

/// The colour as a CSS string, as `CanvasBackend` writes it.
fn css(colour: BackendColor) -> String {
    let (r, g, b) = colour.rgb;
    format!("rgba({r},{g},{b},{})", colour.alpha)
}

/// A horizontal or vertical segment moved half a pixel, onto the pixels'
/// middles, so that a one-pixel line covers one row or column of pixels
/// rather than half of two (as `CanvasBackend` draws them).
fn on_pixels(from: BackendCoord, to: BackendCoord) -> ((f64, f64), (f64, f64)) {
    let mut from = (f64::from(from.0), f64::from(from.1));
    let mut to = (f64::from(to.0), f64::from(to.1));
    if from.0 == to.0 {
        from.0 -= 0.5;
        to.0 -= 0.5;
    }
    if from.1 == to.1 {
        from.1 -= 0.5;
        to.1 -= 0.5;
    }
    (from, to)
}

impl PageCanvas {
    /// The backend of `canvas`, or `None` when it has no 2D context.
    pub(super) fn on(canvas: &HtmlCanvasElement) -> Option<PageCanvas> {
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()?
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        Some(PageCanvas {
            canvas: canvas.clone(),
            context,
            font: RefCell::new(String::new()),
            state: ContextState::default(),
            lines_open: false,
        })
    }

    /// Make ready to add lines in `style` to the path being gathered: an
    /// opaque style goes on with the path of the lines drawn just before in
    /// the same style, which is stroked once (a chart's grid, ticks and
    /// dashed curves are hundreds of segments in a few styles). The pixels
    /// are the same where lines cross or touch with whole pixels covered, as
    /// the grid and ticks do (drawn along pixel rows and columns): an opaque
    /// colour painted once is the colour painted twice. Where anti-aliased
    /// edges of two segments overlap, their edge pixels are now painted once
    /// (a shade lighter than twice). A translucent colour would differ
    /// wherever its lines meet, so its lines are stroked one by one.
    fn open_lines<S: BackendStyle>(&mut self, style: &S) {
        let same = self.state.stroke == Some(kept(style.color()))
            && self.state.line_width == Some(style.stroke_width());
        if !(self.lines_open && same && style.color().alpha >= 1.0) {
            self.stroke_lines();
            self.use_stroke(style);
            self.context.begin_path();
            self.lines_open = true;
        }
    }

    /// Stroke the lines gathered so far, if any: before anything else is
    /// drawn, so that what is drawn later lies above them.
    fn stroke_lines(&mut self) {
        if self.lines_open {
            self.context.stroke();
            self.lines_open = false;
        }
    }

    /// The CSS font of `style`.
    fn font_of<S: BackendTextStyle>(style: &S) -> String {
        format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str(),
        )
    }

    /// Set `font` on the context, unless it is set already.
    fn use_font(&self, font: String) {
        let mut last = self.font.borrow_mut();
        if *last != font {
            self.context.set_font(&font);
            *last = font;
        }
    }

    /// Set the fill colour, unless it is set already.
    fn use_fill(&mut self, colour: BackendColor) {
        if self.state.fill != Some(kept(colour)) {
            self.context.set_fill_style_str(&css(colour));
            self.state.fill = Some(kept(colour));
        }
    }

    /// Set `style`'s stroke colour and width, unless they are set already.
    fn use_stroke<S: BackendStyle>(&mut self, style: &S) {
        let colour = style.color();
        if self.state.stroke != Some(kept(colour)) {
            self.context.set_stroke_style_str(&css(colour));
            self.state.stroke = Some(kept(colour));
        }
        let width = style.stroke_width();
        if self.state.line_width != Some(width) {
            self.context.set_line_width(f64::from(width));
            self.state.line_width = Some(width);
        }
    }

    /// The box of `text` in `font` as the canvas lays it out: `measureText`'s
    /// advance width, and the font's ascent plus descent for its height (what
    /// a line of it takes), rounded as the page's layout rounds. Measured once
    /// per font and text.
    fn measure(&self, font: String, text: &str) -> Result<(u32, u32)> {
        let key = format!("{font}\n{text}");
        if let Some(size) = TEXT_SIZES.with(|sizes| sizes.borrow().get(&key).copied()) {
            return Ok(size);
        }
        self.use_font(font);
        let metrics = self
            .context
            .measure_text(text)
            .map_err(|e| DrawingErrorKind::FontError(format!("{e:?}").into()))?;
        let width = metrics.width().round().max(0.0) as u32;
        let height = (metrics.font_bounding_box_ascent() + metrics.font_bounding_box_descent())
            .round()
            .max(0.0) as u32;
        TEXT_SIZES.with(|sizes| {
            let mut sizes = sizes.borrow_mut();
            if sizes.len() >= TEXT_SIZES_KEPT {
                sizes.clear();
            }
            sizes.insert(key, (width, height));
        });
        Ok((width, height))
    }
}

impl Drop for PageCanvas {
    /// A drawing that ends without `present` (a chart that failed half-way)
    /// still shows the segments it drew.
    fn drop(&mut self) {
        self.stroke_lines();
    }
}

impl DrawingBackend for PageCanvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        (self.canvas.width(), self.canvas.height())
    }
    fn ensure_prepared(&mut self) -> Result {
        Ok(())
    }
    fn present(&mut self) -> Result {
        self.stroke_lines();
        Ok(())
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result {
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.stroke_lines();
        self.use_fill(color);
        self.context
            .fill_rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
        Ok(())
    }
    /// A segment, as `CanvasBackend` draws it, but gathered into one path
    /// with the lines drawn just before it (see [`PageCanvas::open_lines`]).
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.open_lines(style);
        let (from, to) = on_pixels(from, to);
        self.context.move_to(from.0, from.1);
        self.context.line_to(to.0, to.1);
        Ok(())
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.stroke_lines();
        let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let width = f64::from(bottom_right.0 - upper_left.0);
        let height = f64::from(bottom_right.1 - upper_left.1);
        if fill {
            self.use_fill(style.color());
            self.context.fill_rect(x, y, width, height);
        } else {
            self.use_stroke(style);
            self.context.stroke_rect(x, y, width, height);
        }
        Ok(())
    }
    /// A polyline, as `CanvasBackend` draws it, but gathered into one path
    /// with the lines drawn just before it (see [`PageCanvas::open_lines`]).
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let mut path = path.into_iter();
        if let Some(start) = path.next() {
            self.open_lines(style);
            self.context.move_to(f64::from(start.0), f64::from(start.1));
            for next in path {
                self.context.line_to(f64::from(next.0), f64::from(next.1));
            }
        }
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.stroke_lines();
        if fill {
            self.use_fill(style.color());
        } else {
            self.use_stroke(style);
        }
        self.context.begin_path();
        self.context
            .arc(
                f64::from(center.0),
                f64::from(center.1),
                f64::from(radius),
                0.0,
                std::f64::consts::TAU,
            )
            .map_err(canvas_error)?;
        if fill {
            self.context.fill();
        } else {
            self.context.stroke();
        }
        Ok(())
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.stroke_lines();
        let mut vert = vert.into_iter();
        self.context.begin_path();
        if let Some(start) = vert.next() {
            self.use_fill(style.color());
            self.context.move_to(f64::from(start.0), f64::from(start.1));
            for next in vert {
                self.context.line_to(f64::from(next.0), f64::from(next.1));
            }
            self.context.close_path();
        }
        self.context.fill();
        Ok(())
    }
    /// `CanvasBackend::draw_text`'s drawing, with the text state set only where
    /// it changes; the font before a rotation's `save` (whose `restore` would
    /// undo it), the rest after it (and `restore` brings back what was set).
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.stroke_lines();
        self.use_font(Self::font_of(style));
        let quarter_turns = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 1.0,
            FontTransform::Rotate180 => 2.0,
            FontTransform::Rotate270 => 3.0,
        };
        let (mut x, mut y) = (f64::from(pos.0), f64::from(pos.1));
        let rotated = quarter_turns != 0.0;
        if rotated {
            self.context.save();
            self.context.translate(x, y).map_err(canvas_error)?;
            self.context
                .rotate(quarter_turns * std::f64::consts::FRAC_PI_2)
                .map_err(canvas_error)?;
            (x, y) = (0.0, 0.0);
        }
        // Inside a save/restore the state kept is neither used nor changed.
        let kept = if rotated {
            std::mem::take(&mut self.state)
        } else {
            ContextState::default()
        };
        let baseline = match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        if self.state.baseline != Some(baseline) {
            self.context.set_text_baseline(baseline);
            self.state.baseline = Some(baseline);
        }
        let align = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        if self.state.align != Some(align) {
            self.context.set_text_align(align);
            self.state.align = Some(align);
        }
        self.use_fill(color);
        let drawn = self.context.fill_text(text, x, y).map_err(canvas_error);
        if rotated {
            self.context.restore();
            self.state = kept;
        }
        drawn
    }

    /// The text's box (see [`PageCanvas::measure`]); turned a quarter, its
    /// sides swap.
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32)> {
        let (width, height) = self.measure(Self::font_of(style), text)?;
        Ok(match style.transform() {
            FontTransform::Rotate90 | FontTransform::Rotate270 => (height, width),
            _ => (width, height),
        })
    }
}
