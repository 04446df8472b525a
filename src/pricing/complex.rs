//! Complex numbers, with just the operations the Heston characteristic function
//! needs ([`crate::pricing::heston`], [`crate::pricing::heston_delta`]), all
//! through `libm` so that every platform gives the same bits. The ones that
//! lose accuracy when written naively are written with care: Smith's (1962)
//! division, `e^z − 1` and `ln(1 + z)/z` near 0, and the principal square root
//! without cancellation on either side of the imaginary axis.
//!
//! **Tested by** `tests/complex.rs`: each operation against the identities it
//! must keep (`√z·√z = z` with `Re √z ≥ 0`, `e^{ln(1+z)} = 1 + z`,
//! `(a/b)·b = a`, `|z|² = hypot²`, …) on points of every quadrant, the axes
//! and near 0, and the small-`z` forms against their series.

/// A complex number `re + i·im`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Complex {
    /// The real part.
    pub re: f64,
    /// The imaginary part.
    pub im: f64,
}

// Methods rather than operators (`Add`, `Mul`, …): the characteristic
// function's long chains read left to right in the order they are evaluated.
#[allow(clippy::should_implement_trait)]
impl Complex {
    /// `re + i·im`.
    pub fn new(re: f64, im: f64) -> Complex {
        Complex { re, im }
    }

    /// The real number `re`.
    pub fn real(re: f64) -> Complex {
        Complex { re, im: 0.0 }
    }

    /// `self + other`.
    pub fn add(self, other: Complex) -> Complex {
        Complex::new(self.re + other.re, self.im + other.im)
    }

    /// `self − other`.
    pub fn sub(self, other: Complex) -> Complex {
        Complex::new(self.re - other.re, self.im - other.im)
    }

    /// `self · other`.
    pub fn mul(self, other: Complex) -> Complex {
        Complex::new(
            self.re * other.re - self.im * other.im,
            self.re * other.im + self.im * other.re,
        )
    }

    /// `self · factor` for a real factor.
    pub fn scale(self, factor: f64) -> Complex {
        Complex::new(self.re * factor, self.im * factor)
    }

    /// `|self|² = re² + im²`.
    pub fn norm_sqr(self) -> f64 {
        self.re * self.re + self.im * self.im
    }

    /// `self / other` by Smith's (1962) method: no overflow of `|other|²`.
    pub fn div(self, other: Complex) -> Complex {
        if other.re.abs() >= other.im.abs() {
            let ratio = other.im / other.re;
            let denominator = other.re + other.im * ratio;
            Complex::new(
                (self.re + self.im * ratio) / denominator,
                (self.im - self.re * ratio) / denominator,
            )
        } else {
            let ratio = other.re / other.im;
            let denominator = other.re * ratio + other.im;
            Complex::new(
                (self.re * ratio + self.im) / denominator,
                (self.im * ratio - self.re) / denominator,
            )
        }
    }

    /// `e^self`.
    pub fn exp(self) -> Complex {
        let magnitude = libm::exp(self.re);
        let (sin, cos) = libm::sincos(self.im);
        Complex::new(magnitude * cos, magnitude * sin)
    }

    /// `e^z − 1` without cancellation near 0: the real part is
    /// `expm1(x)·cos y − 2 sin²(y/2)`.
    pub fn expm1(self) -> Complex {
        let (sin, cos) = libm::sincos(self.im);
        let half_sin = libm::sin(0.5 * self.im);
        Complex::new(
            libm::expm1(self.re) * cos - 2.0 * half_sin * half_sin,
            libm::exp(self.re) * sin,
        )
    }

    /// The principal square root (`Re ≥ 0`), computed from the side of the
    /// imaginary axis `self` is on so that nothing cancels.
    pub fn sqrt(self) -> Complex {
        if self.re == 0.0 && self.im == 0.0 {
            return Complex::real(0.0);
        }
        let modulus = libm::hypot(self.re, self.im);
        if self.re >= 0.0 {
            let t = libm::sqrt(0.5 * (modulus + self.re));
            Complex::new(t, self.im / (2.0 * t))
        } else {
            let t = libm::sqrt(0.5 * (modulus - self.re));
            Complex::new(self.im.abs() / (2.0 * t), libm::copysign(t, self.im))
        }
    }

    /// `ln(1 + z)/z` (principal branch), 1 at z = 0. `ln|1 + z|` is
    /// `½·log1p(2x + x² + y²)`, so small `z` loses nothing, except where
    /// `|1 + z| < ½`: there `2x + x² + y²` is near −1 and would cancel, so it
    /// is `ln hypot(1 + x, y)`.
    pub fn log1p_over(self) -> Complex {
        if self.re == 0.0 && self.im == 0.0 {
            return Complex::real(1.0);
        }
        let (x, y) = (self.re, self.im);
        let one_plus = Complex::new(1.0 + x, y);
        let log_modulus = if one_plus.norm_sqr() < 0.25 {
            libm::log(libm::hypot(one_plus.re, one_plus.im))
        } else {
            0.5 * libm::log1p(2.0 * x + x * x + y * y)
        };
        let log = Complex::new(log_modulus, libm::atan2(y, one_plus.re));
        log.div(self)
    }
}
