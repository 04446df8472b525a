//! Hedging with options on one path: what the hedge loop does at a date where
//! it trades options as well as shares ([`crate::hedging::greeks`] says what
//! the holdings are).
//!
//! Every date of a run asks for the Greeks of every leg and hedge option at that
//! date's spot, on every path, so the parts of Black–Scholes that depend on the
//! date only are computed once per hedger ([`InstrumentAtDate`]): with
//! `x = ln S`, `d1 = (x + shift)/(σ√τ)` and `n(d1)`, `N(±d1)`, `N(±d2)` from
//! the engine's fast `exp` and N table,
//!
//! ```text
//! Δ = ±e^{−qτ}N(±d1)      Γ = e^{−qτ} n(d1)/(S σ√τ)      ν = S e^{−qτ} n(d1) √τ
//! V = ±(S e^{−qτ} N(±d1) − K e^{−rτ} N(±d2))              (+ call, − put)
//! ```
//!
//! — the formulas of [`crate::pricing::black_scholes`], with the date's
//! constants taken out (dates where `σ√τ` is too small to divide by use that
//! module itself). No allocation happens per date.
//!
//! **Tested by** `tests/greeks_hedge.rs`: the per-date Greeks against
//! `black_scholes::greeks` (to 1e−12 relative), and the whole option hedge
//! against an independent replay on the same path. `tests/hedge.rs`: the share
//! hedge's targets, built from these per-date constants, against −Σ n·Δ, and
//! the deterministic limit on degenerate dates (at the money forward too).

use crate::hedging::greeks::{neutralise, GreekTargets, MAX_HEDGE_OPTIONS};
use crate::instruments::book::{OptionLeg, PricingModel};
use crate::paths::TimeGrid;
use crate::pricing::black_scholes::{self, Greeks, OptionKind};
use crate::pricing::fastmath::Exp;
use crate::pricing::normal::{self, CdfTable};

/// One leg or hedge option at one date: the constants of its Black–Scholes
/// Greeks that do not depend on the spot.
#[derive(Clone, Copy, Debug, Default)]
pub struct InstrumentAtDate {
    /// `(r − q + σ²/2)τ − ln K`: `σ√τ·d1 = ln S + shift`.
    shift: f64,
    /// `1/(σ√τ)`.
    inverse_total_vol: f64,
    /// `σ√τ`.
    total_vol: f64,
    /// `√τ`.
    sqrt_tau: f64,
    /// `e^{−qτ}`.
    dividend_discount: f64,
    /// `K e^{−rτ}`.
    strike_discount: f64,
    /// +1 for a call, −1 for a put.
    sign: f64,
    /// Whether `σ√τ` is too small to divide by: use `black_scholes` itself.
    degenerate: bool,
}

impl InstrumentAtDate {
    /// The constants of `leg` (its quantity left out) at time `tau` to the
    /// horizon under `model`.
    pub fn new(leg: &OptionLeg, model: &PricingModel, tau: f64) -> InstrumentAtDate {
        InstrumentAtDate::with_log_strike(leg, model, tau, libm::log(leg.strike))
    }

    /// [`InstrumentAtDate::new`] with `ln K` given, so that a leg's log is
    /// taken once for all its dates.
    pub(crate) fn with_log_strike(
        leg: &OptionLeg,
        model: &PricingModel,
        tau: f64,
        log_strike: f64,
    ) -> InstrumentAtDate {
        let tau = leg.time_left(tau);
        let sqrt_tau = libm::sqrt(tau);
        let total_vol = model.vol * sqrt_tau;
        InstrumentAtDate {
            shift: (model.rate - model.dividend + 0.5 * model.vol * model.vol) * tau - log_strike,
            inverse_total_vol: 1.0 / total_vol,
            total_vol,
            sqrt_tau,
            dividend_discount: libm::exp(-model.dividend * tau),
            strike_discount: leg.strike * libm::exp(-model.rate * tau),
            sign: match leg.kind {
                OptionKind::Call => 1.0,
                OptionKind::Put => -1.0,
            },
            // NaN counts as degenerate too.
            degenerate: total_vol.is_nan() || total_vol < black_scholes::MIN_TOTAL_VOL,
        }
    }

    /// Whether `σ√τ` is too small (or NaN) to divide by: the date is valued
    /// by the deterministic limit instead.
    pub(crate) fn is_degenerate(&self) -> bool {
        self.degenerate
    }

    /// The constants of the share hedge's target for `quantity` options of
    /// this leg: `(shift, ±1/(σ√τ), −(±n·e^{−qτ}))`, so that the leg's part of
    /// the target is `N((ln S + shift)·±1/(σ√τ))·(−(±n·e^{−qτ}))` (the hedge
    /// loop's per-date form of minus the leg's delta).
    pub(crate) fn share_target_constants(&self, quantity: f64) -> (f64, f64, f64) {
        (
            self.shift,
            self.sign * self.inverse_total_vol,
            -(self.sign * quantity * self.dividend_discount),
        )
    }

    /// Value (when `with_value`; else 0), delta, gamma and vega of one option
    /// at `spot` (`log_spot = ln S`); theta and rho are left at 0 (the hedge
    /// does not use them). `fallback` gives the Greeks from `black_scholes` on
    /// degenerate dates.
    #[inline(always)]
    pub fn greeks(
        &self,
        spot: f64,
        log_spot: f64,
        (exp, cdf): (&Exp, &CdfTable),
        with_value: bool,
        fallback: impl FnOnce() -> Greeks,
    ) -> Greeks {
        if self.degenerate {
            return fallback();
        }
        let d1 = (log_spot + self.shift) * self.inverse_total_vol;
        let density = normal::pdf_with(exp, d1);
        let s = self.sign;
        let in_the_money = cdf.cdf(s * d1);
        // The value needs N(±d2) too: only hedge options are traded at it.
        let price = if with_value {
            let strike_side = cdf.cdf(s * (d1 - self.total_vol));
            s * (spot * self.dividend_discount * in_the_money - self.strike_discount * strike_side)
        } else {
            0.0
        };
        Greeks {
            price,
            delta: s * self.dividend_discount * in_the_money,
            gamma: self.dividend_discount * density * self.inverse_total_vol / spot,
            vega: spot * self.dividend_discount * density * self.sqrt_tau,
            ..Greeks::default()
        }
    }
}

/// The constants of every instrument of `instruments` at dates `0 … dates − 1`
/// of `grid`, date by date (`[i·n + j]` for instrument `j`), each strike's log
/// taken once.
pub(crate) fn per_date<'a>(
    instruments: impl Iterator<Item = &'a OptionLeg>,
    model: &PricingModel,
    grid: &TimeGrid,
    dates: usize,
) -> Vec<InstrumentAtDate> {
    let instruments: Vec<(&OptionLeg, f64)> = instruments
        .map(|leg| (leg, libm::log(leg.strike)))
        .collect();
    (0..dates)
        .flat_map(|i| {
            let tau = grid.time_left(i);
            instruments.iter().map(move |&(leg, log_strike)| {
                InstrumentAtDate::with_log_strike(leg, model, tau, log_strike)
            })
        })
        .collect()
}

/// The hedge options one path holds, and what the current date traded.
#[derive(Clone, Copy, Debug, Default)]
pub struct OptionHoldings {
    /// How many hedge options the hedger has (≤ [`MAX_HEDGE_OPTIONS`]).
    pub count: usize,
    /// Options held of each.
    pub held: [f64; MAX_HEDGE_OPTIONS],
    /// Options traded of each at the current date.
    pub traded: [f64; MAX_HEDGE_OPTIONS],
    /// Cost of each of those trades.
    pub cost: [f64; MAX_HEDGE_OPTIONS],
    /// Trades so far.
    pub trades: u32,
    /// Present value of their costs so far.
    pub costs_pv: f64,
}

/// What a rebalance of the hedge options comes to at one date.
#[derive(Clone, Copy, Debug, Default)]
pub struct OptionTrades {
    /// Cash paid for the options bought (− received for those sold).
    pub value: f64,
    /// Costs paid for those trades.
    pub cost: f64,
    /// The shares the new holdings leave to hedge (the share target).
    pub share_target: f64,
}

/// A hedger's option hedge: the Greeks it neutralises, its hedge options, their
/// trading costs, and every instrument's constants at every date.
#[derive(Clone, Debug)]
pub struct OptionHedge {
    targets: GreekTargets,
    options: Vec<OptionLeg>,
    legs: Vec<OptionLeg>,
    model: PricingModel,
    grid: TimeGrid,
    /// Fraction of the value traded paid on each option trade.
    proportional_cost: f64,
    /// Fixed fee per trade.
    fee: f64,
    /// Per date `i < steps`: the book's legs, then the hedge options.
    at: Vec<InstrumentAtDate>,
    exp: Exp,
    cdf: &'static CdfTable,
}

impl OptionHedge {
    /// The option hedge of a book of `legs` with hedge `options` (at most
    /// [`MAX_HEDGE_OPTIONS`] are used) neutralising `targets`.
    pub fn new(
        targets: GreekTargets,
        legs: &[OptionLeg],
        options: &[OptionLeg],
        model: PricingModel,
        grid: TimeGrid,
        (proportional_cost, fee): (f64, f64),
    ) -> OptionHedge {
        let options = &options[..options.len().min(MAX_HEDGE_OPTIONS)];
        let at = per_date(legs.iter().chain(options), &model, &grid, grid.steps);
        OptionHedge {
            targets,
            options: options.to_vec(),
            legs: legs.to_vec(),
            model,
            grid,
            proportional_cost,
            fee,
            at,
            exp: Exp::new(),
            cdf: normal::cdf_table(),
        }
    }

    /// Dates of the hedge before the horizon (the grid's steps).
    pub fn steps(&self) -> usize {
        self.grid.steps
    }

    /// Holdings before the first date: none.
    pub fn no_holdings(&self) -> OptionHoldings {
        OptionHoldings {
            count: self.options.len(),
            ..OptionHoldings::default()
        }
    }

    /// The book's delta, gamma and vega (its value left at 0) and one option
    /// of each hedge instrument's value and Greeks, at date `i < steps`.
    #[inline]
    pub fn greeks_at(
        &self,
        i: usize,
        spot: f64,
        log_spot: f64,
    ) -> (Greeks, [Greeks; MAX_HEDGE_OPTIONS]) {
        let per_date = self.legs.len() + self.options.len();
        let at = &self.at[i * per_date..(i + 1) * per_date];
        let tau = self.grid.time_left(i);
        let of = |constants: &InstrumentAtDate, leg: &OptionLeg, with_value| {
            constants.greeks(spot, log_spot, (&self.exp, self.cdf), with_value, || {
                leg.unit_greeks(&self.model, spot, tau)
            })
        };
        // The book's value is not needed to hedge it (only its Greeks).
        let mut book = Greeks::default();
        for (constants, leg) in at.iter().zip(&self.legs) {
            let g = of(constants, leg, false);
            book.delta += leg.quantity * g.delta;
            book.gamma += leg.quantity * g.gamma;
            book.vega += leg.quantity * g.vega;
        }
        let mut units = [Greeks::default(); MAX_HEDGE_OPTIONS];
        for ((unit, constants), option) in units
            .iter_mut()
            .zip(&at[self.legs.len()..])
            .zip(&self.options)
        {
            *unit = of(constants, option, true);
        }
        (book, units)
    }

    /// The share target with the options now held: `−(Δ_B + Σ w Δ)`.
    pub fn share_target(book: &Greeks, units: &[Greeks], holdings: &OptionHoldings) -> f64 {
        -(book.delta
            + holdings.held[..holdings.count]
                .iter()
                .zip(units)
                .map(|(w, g)| w * g.delta)
                .sum::<f64>())
    }

    /// Trade the hedge options to the holdings that neutralise the targets
    /// (kept where the system is singular), recording each trade in
    /// `holdings` (its cost discounted by `to_start` into `costs_pv`). Each
    /// trade pays the fee plus `option_cost` of the value traded.
    pub fn rebalance(
        &self,
        book: &Greeks,
        units: &[Greeks; MAX_HEDGE_OPTIONS],
        holdings: &mut OptionHoldings,
        to_start: f64,
    ) -> OptionTrades {
        let units = &units[..holdings.count];
        let Some(neutral) = neutralise(book, units, self.targets) else {
            return OptionTrades {
                share_target: OptionHedge::share_target(book, units, holdings),
                ..OptionTrades::default()
            };
        };
        let mut trades = OptionTrades {
            share_target: neutral.shares,
            ..OptionTrades::default()
        };
        for (j, (&wanted, unit)) in neutral.options[..holdings.count]
            .iter()
            .zip(units)
            .enumerate()
        {
            let traded = wanted - holdings.held[j];
            if traded == 0.0 {
                continue;
            }
            let value = traded * unit.price;
            let cost = self.fee + self.proportional_cost * value.abs();
            trades.value += value;
            trades.cost += cost;
            holdings.costs_pv += cost * to_start;
            holdings.trades += 1;
            holdings.held[j] = wanted;
            holdings.traded[j] = traded;
            holdings.cost[j] = cost;
        }
        trades
    }

    /// The hedge options held at the horizon: what they pay (payoff, or the
    /// model value of those living on) and deliver when physically settled.
    pub fn settle(&self, spot: f64, holdings: &OptionHoldings) -> (f64, f64) {
        self.options.iter().zip(&holdings.held).fold(
            (0.0, 0.0),
            |(paid, delivered), (option, w)| {
                (
                    paid + w * option.unit_horizon_value(&self.model, spot),
                    delivered + w * option.unit_delivery(spot),
                )
            },
        )
    }

    /// One option of each hedge instrument at date `i`, from `black_scholes`
    /// (the ledger's figures): its value and Greeks before the horizon; at the
    /// horizon its value there (payoff, or marked to the model) and no Greeks.
    pub fn unit_values(&self, i: usize, spot: f64) -> [Greeks; MAX_HEDGE_OPTIONS] {
        let mut units = [Greeks::default(); MAX_HEDGE_OPTIONS];
        for (unit, option) in units.iter_mut().zip(&self.options) {
            *unit = if i >= self.grid.steps {
                Greeks {
                    price: option.unit_horizon_value(&self.model, spot),
                    ..Greeks::default()
                }
            } else {
                option.unit_greeks(&self.model, spot, self.grid.time_left(i))
            };
        }
        units
    }
}
