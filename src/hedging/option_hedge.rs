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
//! The Greeks, the solve ([`crate::hedging::greeks::neutralise_lanes`]) and
//! the trades are written once, generic over [`Real`]: for one path
//! (`f64`) and for the lane kernel's vectors, which hedge 16 paths at a time
//! with the same bits (dates where an instrument is degenerate go path by
//! path there).
//!
//! **Tested by** `tests/greeks_hedge.rs`: the per-date Greeks against
//! `black_scholes::greeks` (to 1e−12 relative), and the whole option hedge
//! against an independent replay on the same path. `tests/hedge.rs`: the share
//! hedge's targets, built from these per-date constants, against −Σ n·Δ, and
//! the deterministic limit on degenerate dates (at the money forward too).
//! `tests/simd.rs`: hedges with options in the lane kernel give the bits of
//! each path hedged alone (every set of Greeks, one to three hedge options,
//! band rules, costs, degenerate dates).

use crate::engine::lanes::{each, Bits, Mask, Real};
use crate::hedging::greeks::{neutralise_lanes, GreekTargets, HedgeGreeks, MAX_HEDGE_OPTIONS};
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
        engine: (&Exp, &CdfTable),
        with_value: bool,
        fallback: impl FnOnce() -> Greeks,
    ) -> Greeks {
        if self.degenerate {
            return fallback();
        }
        let [g] = self.greeks_lanes(&[spot], &[log_spot], engine, with_value);
        Greeks {
            price: g.price,
            delta: g.delta,
            gamma: g.gamma,
            vega: g.vega,
            ..Greeks::default()
        }
    }

    /// [`InstrumentAtDate::greeks`] on `V` vectors of lanes, at a date that is
    /// not degenerate: the formulas once, for one path (`V = 1`, `R = f64`)
    /// and for the lane kernel, each stage over all vectors.
    #[inline(always)]
    pub(crate) fn greeks_lanes<R: Real, const V: usize>(
        &self,
        spot: &[R; V],
        log_spot: &[R; V],
        (exp, cdf): (&Exp, &CdfTable),
        with_value: bool,
    ) -> [HedgeGreeks<R>; V] {
        let c = R::splat;
        let d1: [R; V] = each(
            #[inline(always)]
            |v| (log_spot[v] + c(self.shift)) * c(self.inverse_total_vol),
        );
        let density = normal::pdf_lanes(exp, &d1);
        let s = c(self.sign);
        let plus: [R; V] = each(
            #[inline(always)]
            |v| s * d1[v],
        );
        let in_the_money = cdf.cdf_lanes(&plus);
        // The value needs N(±d2) too: only hedge options are traded at it.
        let price: [R; V] = if with_value {
            let signed_d2: [R; V] = each(
                #[inline(always)]
                |v| s * (d1[v] - c(self.total_vol)),
            );
            let strike_side = cdf.cdf_lanes(&signed_d2);
            each(
                #[inline(always)]
                |v| {
                    s * (spot[v] * c(self.dividend_discount) * in_the_money[v]
                        - c(self.strike_discount) * strike_side[v])
                },
            )
        } else {
            [c(0.0); V]
        };
        each(
            #[inline(always)]
            |v| HedgeGreeks {
                price: price[v],
                delta: s * c(self.dividend_discount) * in_the_money[v],
                gamma: c(self.dividend_discount) * density[v] * c(self.inverse_total_vol) / spot[v],
                vega: spot[v] * c(self.dividend_discount) * density[v] * c(self.sqrt_tau),
            },
        )
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

/// The hedge options one path (`R = f64`) or a vector of lanes holds, and what
/// the current date traded.
#[derive(Clone, Copy, Debug)]
pub struct OptionHoldings<R: Real = f64> {
    /// How many hedge options the hedger has (≤ [`MAX_HEDGE_OPTIONS`]).
    pub count: usize,
    /// Options held of each.
    pub held: [R; MAX_HEDGE_OPTIONS],
    /// Options traded of each at the current date.
    pub traded: [R; MAX_HEDGE_OPTIONS],
    /// Cost of each of those trades.
    pub cost: [R; MAX_HEDGE_OPTIONS],
    /// Trades so far (fewer than 2³²: one per option and date at most).
    pub trades: R::Bits,
    /// Present value of their costs so far.
    pub costs_pv: R,
}

impl<R: Real> OptionHoldings<R> {
    /// No options held of `count` hedge options, nothing traded.
    #[inline(always)]
    pub fn none(count: usize) -> OptionHoldings<R> {
        let zero = R::splat(0.0);
        OptionHoldings {
            count,
            held: [zero; MAX_HEDGE_OPTIONS],
            traded: [zero; MAX_HEDGE_OPTIONS],
            cost: [zero; MAX_HEDGE_OPTIONS],
            trades: R::Bits::splat(0),
            costs_pv: zero,
        }
    }

    /// Lane `l`'s holdings.
    pub(crate) fn lane(&self, l: usize) -> OptionHoldings {
        OptionHoldings {
            count: self.count,
            held: self.held.map(|x| x.lane(l)),
            traded: self.traded.map(|x| x.lane(l)),
            cost: self.cost.map(|x| x.lane(l)),
            trades: self.trades.lane(l),
            costs_pv: self.costs_pv.lane(l),
        }
    }

    /// Set lane `l` to `holdings`.
    pub(crate) fn set_lane(&mut self, l: usize, holdings: &OptionHoldings) {
        for j in 0..MAX_HEDGE_OPTIONS {
            self.held[j] = self.held[j].with_lane(l, holdings.held[j]);
            self.traded[j] = self.traded[j].with_lane(l, holdings.traded[j]);
            self.cost[j] = self.cost[j].with_lane(l, holdings.cost[j]);
        }
        self.trades = self.trades.with_lane(l, holdings.trades);
        self.costs_pv = self.costs_pv.with_lane(l, holdings.costs_pv);
    }
}

impl Default for OptionHoldings {
    /// No hedge options.
    fn default() -> OptionHoldings {
        OptionHoldings::none(0)
    }
}

/// What a rebalance of the hedge options comes to at one date, for one path
/// or a vector of lanes.
#[derive(Clone, Copy, Debug)]
pub struct OptionTrades<R: Real = f64> {
    /// Cash paid for the options bought (− received for those sold).
    pub value: R,
    /// Costs paid for those trades.
    pub cost: R,
    /// The shares the new holdings leave to hedge (the share target).
    pub share_target: R,
}

/// The book's Greeks (its value left at 0) and one option of each hedge
/// instrument's value and Greeks, at one date, for one path or a vector of
/// lanes.
pub type DateGreeks<R> = (HedgeGreeks<R>, [HedgeGreeks<R>; MAX_HEDGE_OPTIONS]);

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
    /// Per date `i < steps`: whether some instrument is degenerate there.
    degenerate_dates: Vec<bool>,
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
        let per_date = legs.len() + options.len();
        let degenerate_dates = (0..grid.steps)
            .map(|i| {
                at[i * per_date..(i + 1) * per_date]
                    .iter()
                    .any(InstrumentAtDate::is_degenerate)
            })
            .collect();
        OptionHedge {
            degenerate_dates,
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
    pub fn no_holdings<R: Real>(&self) -> OptionHoldings<R> {
        OptionHoldings::none(self.options.len())
    }

    /// The book's delta, gamma and vega (its value left at 0) and one option
    /// of each hedge instrument's value and Greeks, at date `i < steps`, for
    /// one path (dates where some instrument is degenerate included).
    #[inline]
    pub fn greeks_at(&self, i: usize, spot: f64, log_spot: f64) -> DateGreeks<f64> {
        let tau = self.grid.time_left(i);
        let [greeks] = self.date_greeks(
            i,
            #[inline(always)]
            |constants, leg, with_value| {
                let g = constants.greeks(spot, log_spot, self.engine(), with_value, || {
                    leg.unit_greeks(&self.model, spot, tau)
                });
                [HedgeGreeks::from(&g)]
            },
        );
        greeks
    }

    /// [`OptionHedge::greeks_at`] on `V` vectors of lanes, at a date where no
    /// instrument is degenerate ([`OptionHedge::degenerate_at`] is false).
    #[inline(always)]
    pub fn greeks_lanes<R: Real, const V: usize>(
        &self,
        i: usize,
        spot: &[R; V],
        log_spot: &[R; V],
    ) -> [DateGreeks<R>; V] {
        self.date_greeks(
            i,
            #[inline(always)]
            |constants, _, with_value| {
                constants.greeks_lanes(spot, log_spot, self.engine(), with_value)
            },
        )
    }

    /// The book's Greeks summed over its legs and each hedge option's, with
    /// `instrument` giving one instrument's (with its value when asked).
    #[inline(always)]
    fn date_greeks<R: Real, const V: usize>(
        &self,
        i: usize,
        instrument: impl Fn(&InstrumentAtDate, &OptionLeg, bool) -> [HedgeGreeks<R>; V],
    ) -> [DateGreeks<R>; V] {
        let per_date = self.legs.len() + self.options.len();
        let at = &self.at[i * per_date..(i + 1) * per_date];
        let mut greeks = [(
            HedgeGreeks::zero(),
            [HedgeGreeks::zero(); MAX_HEDGE_OPTIONS],
        ); V];
        // The book's value is not needed to hedge it (only its Greeks).
        for (constants, leg) in at.iter().zip(&self.legs) {
            let g = instrument(constants, leg, false);
            let n = R::splat(leg.quantity);
            for ((book, _), g) in greeks.iter_mut().zip(g) {
                book.delta = book.delta + n * g.delta;
                book.gamma = book.gamma + n * g.gamma;
                book.vega = book.vega + n * g.vega;
            }
        }
        for (j, (constants, option)) in at[self.legs.len()..].iter().zip(&self.options).enumerate()
        {
            let g = instrument(constants, option, true);
            for ((_, units), g) in greeks.iter_mut().zip(g) {
                units[j] = g;
            }
        }
        greeks
    }

    /// The fast `exp` and N table the per-date Greeks use.
    #[inline(always)]
    fn engine(&self) -> (&Exp, &CdfTable) {
        (&self.exp, self.cdf)
    }

    /// Whether some instrument (a leg or a hedge option) is degenerate at date
    /// `i < steps`: too close to its expiry to divide by `σ√τ`.
    pub fn degenerate_at(&self, i: usize) -> bool {
        self.degenerate_dates[i]
    }

    /// The share target with the options now held: `−(Δ_B + Σ w Δ)`.
    #[inline(always)]
    pub fn share_target<R: Real>(
        book: &HedgeGreeks<R>,
        units: &[HedgeGreeks<R>],
        holdings: &OptionHoldings<R>,
    ) -> R {
        // A sum from −0, the identity of addition (as `Iterator::sum`).
        let options_delta = holdings.held[..holdings.count]
            .iter()
            .zip(units)
            .fold(R::splat(-0.0), |sum, (&w, g)| sum + w * g.delta);
        -(book.delta + options_delta)
    }

    /// Trade the hedge options, in the lanes of `trade`, to the holdings that
    /// neutralise the targets (kept where the system is singular), recording
    /// each trade in `holdings` (its cost discounted by `to_start` into
    /// `costs_pv`). Each trade pays the fee plus `option_cost` of the value
    /// traded. `target_now` is the share target with the holdings before the
    /// date ([`OptionHedge::share_target`]): the share target where nothing is
    /// traded. For one path or a vector of lanes (the same bits lane by lane).
    #[inline(always)]
    pub fn rebalance<R: Real>(
        &self,
        (book, units): &DateGreeks<R>,
        holdings: &mut OptionHoldings<R>,
        trade: R::Mask,
        target_now: R,
        to_start: f64,
    ) -> OptionTrades<R> {
        let count = holdings.count;
        let (solvable, neutral) = neutralise_lanes(book, &units[..count], self.targets);
        let trading = trade & solvable;
        let zero = R::splat(0.0);
        let mut trades = OptionTrades {
            value: zero,
            cost: zero,
            share_target: trading.select(neutral.shares, target_now),
        };
        for (j, unit) in units[..count].iter().enumerate() {
            let wanted = neutral.options[j];
            let traded = wanted - holdings.held[j];
            // (NaN counts as a trade, as `traded != 0.0` does.)
            let trades_here = trading & traded.ne(zero);
            let value = traded * unit.price;
            let cost = R::splat(self.fee) + R::splat(self.proportional_cost) * value.abs();
            // Adding +0 where nothing trades leaves a sum from +0 as it is.
            trades.value = trades.value + trades_here.select(value, zero);
            trades.cost = trades.cost + trades_here.select(cost, zero);
            holdings.costs_pv =
                holdings.costs_pv + trades_here.select(cost * R::splat(to_start), zero);
            holdings.trades = trades_here.count(holdings.trades);
            holdings.held[j] = trades_here.select(wanted, holdings.held[j]);
            holdings.traded[j] = trades_here.select(traded, holdings.traded[j]);
            holdings.cost[j] = trades_here.select(cost, holdings.cost[j]);
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
