//! The page's drawing backend: plotters' `CanvasBackend`, with text measured
//! by the canvas itself (`measureText`) instead of by plotters' web font code,
//! which appends a `<span>` to the document for every label it measures and
//! reads its size back — a layout of the whole page each time, most of the
//! time a chart took to draw (55 ms for the four one-path charts, measured).
//! Text is also drawn here, so that the font, alignment, baseline and colour are
//! set on the context only when they change: Chromium parses the CSS font and
//! colour strings on every assignment, each crossing from wasm is a string
//! decoded, and plotters assigns them all for every label.
//! Everything else is `CanvasBackend`'s.
//!
//! **Tested by** `tests/web.rs` (every chart draws on a canvas; a histogram
//! click maps back to its bin) and the end-to-end tests in `e2e/` (charts
//! drawn, clicks on the histogram and the timeline).

use std::cell::RefCell;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A canvas to draw charts on (see the module docs).
pub(super) struct PageCanvas {
    inner: CanvasBackend,
    /// The canvas' 2D context, for `measureText` and text (the same one `inner`
    /// draws with).
    context: CanvasRenderingContext2d,
    /// The font this backend last set on the context ("" before the first).
    /// A backend lives for one drawing of one canvas, and nothing else sets the
    /// font meanwhile (`CanvasBackend` only does in the `draw_text` replaced here).
    font: RefCell<String>,
    /// What text drawing last set besides the font.
    text: TextState,
}

/// The context's text state as this backend last set it; `None` where unknown
/// (not set yet, or for the fill, set since by a filled shape, which
/// `CanvasBackend` draws with its own fill style).
#[derive(Default)]
struct TextState {
    baseline: Option<&'static str>,
    align: Option<&'static str>,
    fill: Option<((u8, u8, u8), f64)>,
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
        let inner = CanvasBackend::with_canvas_object(canvas.clone())?;
        Some(PageCanvas {
            inner,
            context,
            font: RefCell::new(String::new()),
            text: TextState::default(),
        })
    }

    /// Set `style`'s font on the context, unless it is set already.
    fn use_font<S: BackendTextStyle>(&self, style: &S) {
        let font = format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str(),
        );
        let mut last = self.font.borrow_mut();
        if *last != font {
            self.context.set_font(&font);
            *last = font;
        }
    }
}

/// A canvas call's failure as a drawing error (plotters-canvas keeps its own
/// error type's constructor private).
fn text_error(
    e: wasm_bindgen::JsValue,
) -> DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType> {
    DrawingErrorKind::FontError(format!("{e:?}").into())
}

type Result<T = ()> =
    std::result::Result<T, DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

impl DrawingBackend for PageCanvas {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result {
        self.text.fill = None;
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result {
        self.text.fill = None;
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result {
        self.text.fill = None;
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result {
        self.text.fill = None;
        self.inner.fill_polygon(vert, style)
    }
    /// `CanvasBackend::draw_text`'s drawing, with the text state set only where
    /// it changes; the font before a rotation's `save` (whose `restore` would
    /// undo it), the rest after it (and `restore` brings back what was cached).
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
        self.use_font(style);
        let quarter_turns = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 1.0,
            FontTransform::Rotate180 => 2.0,
            FontTransform::Rotate270 => 3.0,
        };
        let (mut x, mut y) = (f64::from(pos.0), f64::from(pos.1));
        let context = &self.context;
        let rotated = quarter_turns != 0.0;
        if rotated {
            context.save();
            context.translate(x, y).map_err(text_error)?;
            context
                .rotate(quarter_turns * std::f64::consts::FRAC_PI_2)
                .map_err(text_error)?;
            (x, y) = (0.0, 0.0);
        }
        // Inside a save/restore the cache is neither used nor changed.
        let mut unknown = TextState::default();
        let state = if rotated {
            &mut unknown
        } else {
            &mut self.text
        };
        let baseline = match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        if state.baseline != Some(baseline) {
            context.set_text_baseline(baseline);
            state.baseline = Some(baseline);
        }
        let align = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        if state.align != Some(align) {
            context.set_text_align(align);
            state.align = Some(align);
        }
        let fill = (color.rgb, color.alpha);
        if state.fill != Some(fill) {
            let (r, g, b) = color.rgb;
            context.set_fill_style_str(&format!("rgba({r},{g},{b},{})", color.alpha));
            state.fill = Some(fill);
        }
        let drawn = context.fill_text(text, x, y).map_err(text_error);
        if rotated {
            context.restore();
        }
        drawn
    }

    /// The text's box as the canvas lays it out: `measureText`'s advance
    /// width, and the font's ascent plus descent for its height (what a line of
    /// it takes), rounded as the page's layout rounds; turned a quarter, its
    /// sides swap.
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32)> {
        self.use_font(style);
        let metrics = self
            .context
            .measure_text(text)
            .map_err(|e| DrawingErrorKind::FontError(format!("{e:?}").into()))?;
        let width = metrics.width().round().max(0.0) as u32;
        let height = (metrics.font_bounding_box_ascent() + metrics.font_bounding_box_descent())
            .round()
            .max(0.0) as u32;
        Ok(match style.transform() {
            FontTransform::Rotate90 | FontTransform::Rotate270 => (height, width),
            _ => (width, height),
        })
    }
}
