//! The page's drawing backend: plotters' `CanvasBackend`, with text measured
//! by the canvas itself (`measureText`) instead of by plotters' web font code,
//! which appends a `<span>` to the document for every label it measures and
//! reads its size back — a layout of the whole page each time, most of the
//! time a chart took to draw (55 ms for the four one-path charts, measured).
//! Everything else is `CanvasBackend`'s.
//!
//! **Tested by** `tests/web.rs` (every chart draws on a canvas; a histogram
//! click maps back to its bin) and the end-to-end tests in `e2e/` (charts
//! drawn, clicks on the histogram and the timeline).

use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A canvas to draw charts on (see the module docs).
pub(super) struct PageCanvas {
    inner: CanvasBackend,
    /// The canvas' 2D context, for `measureText` (the same one `inner` draws with).
    context: CanvasRenderingContext2d,
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
        Some(PageCanvas { inner, context })
    }
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
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result {
        self.inner.draw_text(text, style, pos)
    }

    /// The text's box as the canvas lays it out: `measureText`'s advance
    /// width, and the font's ascent plus descent for its height (what a line of
    /// it takes), rounded as the page's layout rounds; turned a quarter, its
    /// sides swap.
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32)> {
        self.context.set_font(&format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str(),
        ));
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
