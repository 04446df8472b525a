//! The number of jumps in one step: a Poisson(`λΔt`) count drawn from one
//! uniform by inverse transform, the smallest `k` with `F(k) ≥ u`.
//!
//! The search walks the probabilities `p_k = e^{−λΔt} (λΔt)^k / k!` by the
//! recurrence `p_{k+1} = p_k · λΔt/(k + 1)`. From `k = 0` it needs `e^{−λΔt}`,
//! which underflows past `λΔt ≈ 708` (a link allows up to 250 jumps a year over
//! 30 years in one step: `λΔt = 7,500`). So for rates above [`DIRECT_LIMIT`]
//! the walk starts at the mode `m = ⌊λΔt⌋` instead, from
//! `ln p_m = −λΔt + m ln λΔt − ln Γ(m + 1)` and `F(m)` summed once per sampler,
//! going up or down from there. Rates up to the limit keep the walk from 0 and
//! its bits.
//!
//! **Tested by** `tests/paths.rs`: the counts' mean, variance and CDF against
//! Poisson's (the CDF summed in the test by its own log-factorials) at rates
//! 3, at the limit, 1,500 and 7,500, read off paths whose every jump is the
//! same size; the paths' moments with jumps against Merton's closed form;
//! `tests/link_numbers.rs`: a link at λΔt = 7,500 keeps its numbers bit for
//! bit.

/// The largest rate walked from `k = 0`: `e^{−600}` is a normal float with room
/// to spare, and the walk ends (its terms below rounding) about 200 counts past
/// the mode.
pub const DIRECT_LIMIT: f64 = 600.0;

/// The largest rate sampled: a link's is at most 7,500, and beyond this the
/// walks (about 9√rate terms each) would take ever longer. Larger rates are
/// taken as this one.
pub const MAX_RATE: f64 = 1e6;

/// A Poisson count's inverse CDF, prepared for one rate.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PoissonCount {
    rate: f64,
    /// Where the walk starts: 0, or the mode above [`DIRECT_LIMIT`].
    start: u32,
    /// `p_start`.
    start_probability: f64,
    /// `F(start)`.
    start_cdf: f64,
}

impl PoissonCount {
    /// The count of a Poisson(`rate`) variable, `0 ≤ rate ≤` [`MAX_RATE`].
    pub(crate) fn new(rate: f64) -> PoissonCount {
        let rate = rate.clamp(0.0, MAX_RATE);
        // (A NaN rate, never given by a valid scenario, walks from 0 and
        // draws no jump: every comparison with it is false.)
        if rate > DIRECT_LIMIT {
            PoissonCount::from_mode(rate)
        } else {
            PoissonCount::from_zero(rate)
        }
    }

    /// The walk from `k = 0`: `p_0 = F(0) = e^{−rate}`.
    fn from_zero(rate: f64) -> PoissonCount {
        let no_jump = libm::exp(-rate);
        PoissonCount {
            rate,
            start: 0,
            start_probability: no_jump,
            start_cdf: no_jump,
        }
    }

    /// The walk from the mode `m = ⌊rate⌋`: `ln p_m = −rate + m ln rate −
    /// ln Γ(m + 1)`, and `F(m)` summed down to where the terms stop counting.
    fn from_mode(rate: f64) -> PoissonCount {
        let mode = libm::floor(rate);
        let probability = libm::exp(-rate + mode * libm::log(rate) - libm::lgamma(mode + 1.0));
        // Down from the mode until the terms no longer count, at k = 0 at the
        // latest (where the next term is 0).
        let (mut term, mut cdf, mut k) = (probability, probability, mode);
        loop {
            term *= k / rate;
            k -= 1.0;
            let next = cdf + term;
            if next == cdf {
                break;
            }
            cdf = next;
        }
        PoissonCount {
            rate,
            start: mode as u32,
            start_probability: probability,
            start_cdf: cdf,
        }
    }

    /// The smallest `k` with `F(k) ≥ u`, for `u` uniform on (0, 1).
    #[inline]
    pub(crate) fn count(&self, u: f64) -> u32 {
        let mut k = self.start;
        let mut probability = self.start_probability;
        let mut cumulative = self.start_cdf;
        if u <= cumulative {
            // Down from the mode while F(k − 1) = F(k) − p_k still reaches u.
            while k > 0 && u <= cumulative - probability {
                cumulative -= probability;
                probability *= f64::from(k) / self.rate;
                k -= 1;
            }
            return k;
        }
        while u > cumulative {
            k += 1;
            probability *= self.rate / f64::from(k);
            let next = cumulative + probability;
            if next == cumulative {
                break; // the tail is below rounding: no more mass to add
            }
            cumulative = next;
        }
        k
    }
}
