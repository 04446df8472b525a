//! Summary statistics of a sample of P&Ls.
//!
//! - mean and sample standard deviation (n − 1 in the denominator);
//! - quantiles by linear interpolation between order statistics (Hyndman & Fan
//!   type 7, the default of R and numpy): `p5`, `p50`, `p95`;
//! - value at risk `VaR95 = −p5`, the 95 % quantile of the loss;
//! - expected shortfall `ES95`: the mean loss over the worst `⌈5 % · n⌉` outcomes;
//! - a histogram on equal-width bins spanning the sample.
//!
//! Sums run in index order, so a sample gives the same bits however it was produced.
//!
//! **Tested by** `tests/stats.rs`: hand-computed small samples, numpy's quantile
//! convention, and the normal-sample VaR/ES against the closed forms.

/// Summary of a sample of P&Ls. Serialized as the `pnl` member of the reports
/// (see [`crate::results::report`]).
#[derive(Clone, Debug, PartialEq, Default, serde::Serialize)]
pub struct Summary {
    /// Sample size (not written: the reports give the number of paths).
    #[serde(skip)]
    pub count: usize,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub sd: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 95 % value at risk, a loss (positive when the 5th percentile is a loss).
    pub var95: f64,
    /// 95 % expected shortfall, a loss.
    pub es95: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// Mean of a slice (0 for an empty slice).
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// Sample standard deviation (0 for fewer than two values).
pub fn sample_sd(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let m = mean(values);
    let ss: f64 = values
        .iter()
        .map(|v| {
            let deviation = v - m;
            deviation * deviation
        })
        .sum();
    libm::sqrt(ss / (values.len() - 1) as f64)
}

/// Quantile `p ∈ [0, 1]` of an ascending-sorted slice, type 7.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
            let lo = libm::floor(h) as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Summarise a sample.
pub fn summarize(values: &[f64]) -> Summary {
    if values.is_empty() {
        return Summary::default();
    }
    let mut sorted = values.to_vec();
    // Unstable is fine: values equal under `total_cmp` have the same bits.
    sorted.sort_unstable_by(f64::total_cmp);
    let n = sorted.len();
    let p5 = quantile_sorted(&sorted, 0.05);
    let tail = ((0.05 * n as f64).ceil() as usize).clamp(1, n);
    let es95 = -mean(&sorted[..tail]);
    Summary {
        count: n,
        mean: mean(values),
        sd: sample_sd(values),
        p5,
        p50: quantile_sorted(&sorted, 0.5),
        p95: quantile_sorted(&sorted, 0.95),
        var95: -p5,
        es95,
        min: sorted[0],
        max: sorted[n - 1],
    }
}

/// Equal-width histogram.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Histogram {
    /// Left edge of the first bin.
    pub start: f64,
    /// Width of every bin (> 0).
    pub width: f64,
    /// Count per bin.
    pub counts: Vec<u32>,
}

impl Histogram {
    /// Bin `bins` equal-width bins over `[min, max]` of the sample (a degenerate
    /// sample gets one bin of width 1 centred on its value).
    pub fn of(values: &[f64], bins: usize) -> Histogram {
        let bins = bins.max(1);
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &v in values.iter().filter(|v| v.is_finite()) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if !lo.is_finite() {
            return Histogram {
                start: 0.0,
                width: 1.0,
                counts: vec![0; bins],
            };
        }
        if hi <= lo {
            // The finite values only, as the other bins count them.
            let mut counts = vec![0; 1];
            counts[0] = values.iter().filter(|v| v.is_finite()).count() as u32;
            return Histogram {
                start: lo - 0.5,
                width: 1.0,
                counts,
            };
        }
        let width = (hi - lo) / bins as f64;
        let mut counts = vec![0u32; bins];
        for &v in values.iter().filter(|v| v.is_finite()) {
            counts[self::bin_index(v, lo, width, bins)] += 1;
        }
        Histogram {
            start: lo,
            width,
            counts,
        }
    }

    /// Index of the bin holding `value` (clamped to the ends).
    pub fn bin_of(&self, value: f64) -> usize {
        bin_index(value, self.start, self.width, self.counts.len())
    }

    /// Left edge of bin `i`.
    pub fn edge(&self, i: usize) -> f64 {
        self.start + self.width * i as f64
    }
}

fn bin_index(value: f64, start: f64, width: f64, bins: usize) -> usize {
    let raw = libm::floor((value - start) / width);
    if raw <= 0.0 {
        0
    } else {
        (raw as usize).min(bins - 1)
    }
}
