//! The hedging loop on one price path, with its ledger and P&L attribution.
//!
//! **Cash account** (the hedger's, in money at each date):
//!
//! ```text
//! t_0:            cash = −V_0                      (premium received for a short book, paid for a long one)
//! each date t_i:  trade x_i = h_i − h_{i−1} shares; cash −= x_i·S_i + cost(x_i, S_i)
//! over (t_i, t_{i+1}]:  cash += cash·(e^{rΔt} − 1)             (interest)
//!                       cash += h_i·S_{i+1}·(e^{qΔt} − 1)      (dividends on the shares held)
//! expiry t_N:     the hedge is closed (x_N = −h_{N−1}) and the book's payoff settled.
//! ```
//!
//! With **cash settlement** (the default) the payoff is paid in cash and the whole
//! hedge is sold or bought back in the market at `S_N`, paying costs. With
//! **physical settlement** the book's in-the-money options deliver or take shares
//! against the strike, so the market trade is only the remainder
//! `h_{N−1} + Σ n·payoff-delta`: a delta-hedged short call that ends in the money
//! delivers its hedge and trades (almost) nothing, while a *naked* one must buy the
//! shares it delivers. The cash flows are the same either way; only the closing
//! costs differ.
//!
//! **Final P&L** (future value at T) is the final cash. By summation by parts it
//! satisfies, on every path, the identity
//!
//! ```text
//! P&L_T = V_0-premium-received + Σ_i h_i (S_{i+1} − S_i) + Σ interest + Σ dividends − Σ costs + Σ n·payoff(S_T)
//! ```
//!
//! and is reported in present value, `P&L = P&L_T · e^{−rT}`.
//!
//! **Attribution** (ledger only): over each step, with the book's Greeks at the
//! start of the step (constant hedging vol),
//! `ΔV ≈ Δ δS + ½Γ δS² + Θ δt`. The step's P&L splits into *gamma* `½Γ δS²`,
//! *theta* `Θ δt`, *hedge* `(h + Δ) δS` (the delta left unhedged), *financing*
//! (interest and dividends), *costs* (negative), and a *residual* — the higher-order
//! discretisation error — so that the parts add up to the step's P&L exactly.
//!
//! **Tested by** `tests/hedge.rs`: the P&L identity on every path of Monte Carlo runs
//! with jumps and costs; the hedge target against −Σ n·Δ with dividends; the
//! ledger's value, Greeks and attribution against differences of the closed
//! form; convergence of the P&L to zero with denser hedging; the
//! textbook (Hull ch. 19) figures. `tests/greeks_hedge.rs`: hedging with
//! options (the loop's option trades, cash and ledger) against an independent
//! replay. `tests/heston_hedge.rs`: the loop under Heston pricing.
//! `tests/simd.rs`: the lane kernel gives the bits of hedging each path alone
//! (books of one and several legs, hedged with shares or with options too);
//! `tests/montecarlo.rs`: chunking invariance.

use crate::engine::lanes::{each, Bits, Mask, Real};
use crate::hedging::costs::CostModel;
use crate::hedging::greeks::{GreekTargets, MAX_HEDGE_OPTIONS};
use crate::hedging::heston_pricer::{HestonBookPricer, HestonHedge};
use crate::hedging::ledger::OptionsInLedger;
pub use crate::hedging::ledger::{LedgerRow, NoLedger, Recorder};
use crate::hedging::option_hedge::{
    per_date, DateGreeks, InstrumentAtDate, OptionHedge, OptionHoldings,
};
use crate::hedging::rules::{band_decision, Context, RebalanceRule};
use crate::instruments::book::{Book, OptionLeg, PricingModel};
use crate::paths::{PathBuffer, TimeGrid};
use crate::pricing::black_scholes::Greeks;
use crate::pricing::normal::{self, CdfTable};
use std::sync::Arc;

/// How the book settles at expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Settlement {
    /// In-the-money options deliver shares against the strike: only the rest of
    /// the hedge is traded at expiry.
    Physical,
    /// The payoff is paid in cash and the whole hedge is closed in the market.
    Cash,
}

/// Everything the hedger does, apart from the path itself.
#[derive(Clone, Debug, PartialEq)]
pub struct HedgeSetup {
    /// The option book being hedged.
    pub book: Book,
    /// The hedger's pricing model (hedging vol, rate, dividend yield).
    pub model: PricingModel,
    /// The rebalancing rule.
    pub rule: RebalanceRule,
    /// Trading costs.
    pub costs: CostModel,
    /// Settlement at expiry.
    pub settlement: Settlement,
    /// Time grid (must match the paths').
    pub grid: TimeGrid,
    /// Which Greeks the hedge neutralises ([`GreekTargets::Delta`]: shares only).
    pub greeks: GreekTargets,
    /// The options the hedger may trade besides shares (quantity 1 each: the
    /// hedger chooses how many); used only when `greeks` is not delta alone.
    pub hedge_options: Vec<OptionLeg>,
    /// Cost of a hedge-option trade: this fraction of the value traded (plus
    /// the fixed fee of [`CostModel`]).
    pub option_cost: f64,
    /// `Some`: the hedger prices and hedges with this Heston (Bates) model at
    /// each path's variance (`price=heston`, see
    /// [`crate::hedging::heston_pricer`]) instead of Black–Scholes at
    /// `model.vol`; the paths must carry their variance.
    pub heston: Option<HestonHedge>,
}

/// Where a path stands at one date, as the loop reads it.
#[derive(Clone, Copy, Debug)]
struct PathPoint {
    spot: f64,
    log_spot: f64,
    /// The path's variance (stochastic-volatility paths; 0 otherwise).
    variance: f64,
}

/// What one path's hedge came to.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize)]
pub struct PathOutcome {
    /// Final P&L in present value (× e^{−rT}).
    pub pnl: f64,
    /// Number of trades on rebalancing dates (the initial hedge counts; the closing
    /// trade at expiry does not).
    pub trades: u32,
    /// Present value of every cost paid, the closing trade's included.
    pub costs: f64,
    /// Trades of hedge options (one per option and date it changes hands).
    pub option_trades: u32,
    /// Present value of the costs of those trades (part of `costs`).
    pub option_costs: f64,
}

/// Constants of one grid date, shared by every path of a run (computed once per
/// hedger, so the loop does no transcendental work for them). Kept together so
/// that a date costs one lookup.
#[derive(Clone, Copy, Debug)]
struct DateConstants {
    /// `e^{r·Δt} − 1` over the step ending at this date: interest on cash.
    interest_growth: f64,
    /// `e^{q·Δt} − 1` over that step: dividends on shares held.
    dividend_growth: f64,
    /// e^{−r t_i}: discounts a cost paid at `t_i` to t = 0.
    to_start: f64,
    /// e^{−r τ_i}: used by the Whalley–Wilmott band.
    to_expiry: f64,
    /// Whether `σ√τ_i` is too small to divide by: those dates use the closed-form
    /// limits of [`black_scholes`](crate::pricing::black_scholes).
    degenerate: bool,
    /// Whether the rule may trade at this date (so the loop needs no modulo).
    looks: bool,
}

/// Constants of one option leg at one grid date: with them the leg's share of
/// the hedge target is `N((ln S + shift)·signed_inverse_vol)·hedge_per_probability`
/// — an add, two multiplies and N.
#[derive(Clone, Copy, Debug, Default)]
struct LegAtDate {
    /// `(r − q + σ²/2)τ_i − ln K`, so that `σ√τ·d1 = ln S + shift`.
    shift: f64,
    /// `±1/(σ√τ_i)`, + for calls and − for puts: the argument of N is `d1` for a
    /// call and `−d1` for a put (a sign flip commutes with rounding).
    signed_inverse_vol: f64,
    /// `−sign·n·e^{−qτ_i}`: shares of hedge per unit of `N(±d1)` (the leg's delta
    /// is `sign·n·e^{−qτ}·N(sign·d1)` and the hedge is minus the delta).
    hedge_per_probability: f64,
}

impl LegAtDate {
    /// The argument of N, `(ln S + shift)·signed_inverse_vol` (`±d1`), lane-wise.
    #[inline(always)]
    fn argument<R: Real>(&self, log_spot: R) -> R {
        (log_spot + R::splat(self.shift)) * R::splat(self.signed_inverse_vol)
    }

    /// The leg's share of the hedge target from `N(±d1)`, lane-wise.
    #[inline(always)]
    fn target<R: Real>(&self, probability: R) -> R {
        probability * R::splat(self.hedge_per_probability)
    }
}

/// A hedger ready to run on paths: the setup plus precomputed constants.
#[derive(Clone, Debug)]
pub struct Hedger {
    setup: HedgeSetup,
    /// One entry per grid date `0 … steps`.
    dates: Vec<DateConstants>,
    /// Per grid date, one entry per leg: `legs_at[i·legs + l]`.
    legs_at: Vec<LegAtDate>,
    cdf: &'static CdfTable,
    /// The option hedge, when the hedge trades options too (`greeks` beyond
    /// delta, with hedge options given); boxed, as most hedgers have none.
    options: Option<Box<OptionHedge>>,
    /// The Heston pricer, when the hedger prices with the paths' model.
    heston: Option<Arc<HestonBookPricer>>,
    gross_quantity: f64,
    discount_horizon: f64,
}

impl Hedger {
    /// Prepare `setup` for running on paths.
    pub fn new(setup: HedgeSetup) -> Self {
        let grid = &setup.grid;
        let PricingModel { rate, dividend, .. } = setup.model;
        let legs = &setup.book.legs;
        // Each leg's Black–Scholes constants at every date 0 … steps (a leg
        // marked at the horizon lives longer), from the option hedge's one form.
        let at = per_date(legs.iter(), &setup.model, grid, grid.steps + 1);
        let at_date = |i: usize| &at[i * legs.len()..(i + 1) * legs.len()];
        let dates = (0..=grid.steps)
            .map(|i| {
                // Growth over the step that ends at date i (none before date 0).
                let step = if i == 0 { 0.0 } else { grid.step_length(i - 1) };
                DateConstants {
                    interest_growth: libm::expm1(rate * step),
                    dividend_growth: libm::expm1(dividend * step),
                    to_start: libm::exp(-rate * grid.time(i)),
                    to_expiry: libm::exp(-rate * grid.time_left(i)),
                    degenerate: at_date(i).iter().any(InstrumentAtDate::is_degenerate),
                    looks: setup.rule.looks_at(i),
                }
            })
            .collect();
        let legs_at = (0..=grid.steps)
            .flat_map(|i| {
                at_date(i).iter().zip(legs).map(|(constants, leg)| {
                    let (shift, signed_inverse_vol, hedge_per_probability) =
                        constants.share_target_constants(leg.quantity);
                    LegAtDate {
                        shift,
                        signed_inverse_vol,
                        hedge_per_probability,
                    }
                })
            })
            .collect();
        Hedger {
            discount_horizon: libm::exp(-rate * grid.horizon),
            legs_at,
            cdf: normal::cdf_table(),
            options: (setup.greeks != GreekTargets::Delta && !setup.hedge_options.is_empty()).then(
                || {
                    Box::new(OptionHedge::new(
                        setup.greeks,
                        &setup.book.legs,
                        &setup.hedge_options,
                        setup.model,
                        grid.clone(),
                        (setup.option_cost, setup.costs.fee),
                    ))
                },
            ),
            gross_quantity: setup.book.gross_quantity(),
            heston: setup.heston.map(|model| {
                Arc::new(HestonBookPricer::new(
                    &setup.book,
                    &setup.model,
                    grid,
                    model,
                ))
            }),
            dates,
            setup,
        }
    }

    /// The hedge target at date `i < steps` from the hedger's pricing model:
    /// [`Hedger::book_target`] under Black–Scholes, the Heston delta at the
    /// path's variance under Heston.
    #[inline(always)]
    fn target_at(&self, i: usize, date: &DateConstants, at: PathPoint) -> f64 {
        match &self.heston {
            None => self.book_target(i, date, at.spot, at.log_spot),
            Some(pricer) => pricer.target(i, at.spot, at.log_spot, at.variance),
        }
    }

    /// The hedge target (minus the book's delta) at date `i < steps`, before
    /// expiry, from `ln S`: `Σ −n·e^{−qτ}·N(d1)` over calls and `Σ n·e^{−qτ}·N(−d1)`
    /// over puts, `d1 = (ln S − ln K + (r − q + σ²/2)τ)/(σ√τ)` (see [`LegAtDate`]).
    /// Dates where `σ√τ` is too small use the closed-form limits.
    #[inline(always)]
    fn book_target(&self, i: usize, date: &DateConstants, spot: f64, log_spot: f64) -> f64 {
        if date.degenerate {
            return -self
                .setup
                .book
                .delta(&self.setup.model, spot, self.setup.grid.time_left(i));
        }
        let leg_target = |leg: &LegAtDate| leg.target(self.cdf.cdf(leg.argument(log_spot)));
        let legs = self.setup.book.legs.len();
        match &self.legs_at[i * legs..(i + 1) * legs] {
            // One leg (the common case) without the loop: `−0 + y = y` for every y,
            // so this is the general sum below to the bit.
            [leg] => leg_target(leg),
            legs => legs.iter().fold(-0.0, |sum, leg| sum + leg_target(leg)),
        }
    }

    /// The same hedger on another clock and hedging vol: a window of recorded
    /// prices, whose dates and vol are its own.
    pub fn on_window(&self, grid: TimeGrid, vol: f64) -> Hedger {
        let mut setup = self.setup.clone();
        setup.grid = grid;
        setup.model.vol = vol;
        Hedger::new(setup)
    }

    /// The setup this hedger runs.
    pub fn setup(&self) -> &HedgeSetup {
        &self.setup
    }

    /// Value and Greeks of the book at `spot` and t = 0, with the hedging vol.
    pub fn initial_greeks(&self, spot: f64) -> Greeks {
        let tau = self.setup.grid.time_left(0); // the loop's own τ_0, to the bit
        match &self.heston {
            Some(pricer) => pricer.opening(spot, tau),
            None => self.setup.book.greeks(&self.setup.model, spot, tau),
        }
    }

    /// The book's value and Greeks at date `i` of a recorded path, from the
    /// hedger's pricing model.
    fn greeks_at(&self, i: usize, at: PathPoint) -> Greeks {
        match &self.heston {
            Some(pricer) => pricer.greeks_at(i, at.spot, at.log_spot, at.variance),
            None => {
                let tau = self.setup.grid.time_left(i);
                self.setup.book.greeks(&self.setup.model, at.spot, tau)
            }
        }
    }

    /// The trade of a Whalley–Wilmott rule at date `i` (it needs the book's gamma).
    #[inline(never)]
    fn whalley_wilmott_trade(
        &self,
        i: usize,
        constants: &DateConstants,
        at: PathPoint,
        target: f64,
        held: f64,
    ) -> f64 {
        let setup = &self.setup;
        let spot = at.spot;
        // Only Whalley–Wilmott rules come here, and they all read the gamma.
        let gamma = match &self.heston {
            Some(pricer) => pricer.table_gamma(i, spot, at.log_spot, at.variance),
            None => {
                setup
                    .book
                    .greeks(&setup.model, spot, setup.grid.time_left(i))
                    .gamma
            }
        };
        self.decided_trade(i, constants, spot, (target, held), gamma)
    }

    /// The shares the rule trades at date `i` from `held` towards `target`,
    /// through [`RebalanceRule::decide`] (for Whalley–Wilmott, whose band
    /// needs the book's `gamma`).
    fn decided_trade(
        &self,
        i: usize,
        constants: &DateConstants,
        spot: f64,
        (target, held): (f64, f64),
        gamma: f64,
    ) -> f64 {
        let setup = &self.setup;
        let context = Context {
            step: i,
            spot,
            target,
            gamma,
            gross_quantity: self.gross_quantity,
            discount: constants.to_expiry,
            proportional_cost: setup.costs.proportional,
        };
        setup.rule.decide(held, &context) - held
    }

    /// One date of the loop for one path: carry the account over
    /// `(t_{i−1}, t_i]`, then rebalance (`i < steps`) or settle (`i = steps`).
    /// Returns `(carry, trade, cost, target)`; `target` is NaN where the rule did not
    /// look.
    #[inline(always)]
    fn date(
        &self,
        i: usize,
        steps: usize,
        at: PathPoint,
        account: &mut Account<f64>,
        holdings: &mut OptionHoldings,
    ) -> (f64, f64, f64, f64) {
        let setup = &self.setup;
        let book = &setup.book;
        let constants = &self.dates[i];
        let PathPoint { spot, log_spot, .. } = at;
        let step = self.step(constants);
        let mut carry = 0.0;
        if i > 0 {
            carry = step.carry(spot, account);
        }
        let mut trade = 0.0;
        let cost;
        let mut target = f64::NAN;
        if i < steps {
            if constants.looks {
                if let Some(hedge) = &self.options {
                    (trade, target) = self
                        .rebalance_options(hedge, i, constants, spot, log_spot, account, holdings);
                } else {
                    target = self.target_at(i, constants, at);
                    trade = match setup.rule {
                        RebalanceRule::WhalleyWilmott { .. } => {
                            self.whalley_wilmott_trade(i, constants, at, target, account.held)
                        }
                        _ => step.rule_trade(target, account.held),
                    };
                }
            }
            cost = step.rebalance(spot, trade, account);
        } else {
            // Expiry: the book settles; with physical delivery the options deliver
            // shares, and only the rest of the hedge is traded.
            let mut delivered = match setup.settlement {
                Settlement::Physical => book.payoff_delta(spot),
                Settlement::Cash => 0.0,
            };
            trade = -account.held;
            account.cash += book.horizon_value(&setup.model, spot);
            if let Some(hedge) = &self.options {
                // The hedge options settle (or are marked) with the book.
                let (paid, options_delivered) = hedge.settle(spot, holdings);
                account.cash += paid;
                if setup.settlement == Settlement::Physical {
                    delivered += options_delivered;
                }
            }
            // Selling what is held and not delivered (a trade's cost has no side).
            cost = setup.costs.cost(account.held + delivered, spot);
            target = -book.payoff_delta(spot);
            account.book(constants.to_start, trade * spot, trade, cost);
        }
        (carry, trade, cost, target)
    }

    /// A date where the rule looks, when the hedge trades options too, for one
    /// path: the book's and each hedge option's Greeks at the hedging vol
    /// ([`OptionHedge::greeks_at`]), then [`Hedger::option_rebalance`].
    /// Returns `(shares to trade, share target)`.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn rebalance_options(
        &self,
        hedge: &OptionHedge,
        i: usize,
        constants: &DateConstants,
        spot: f64,
        log_spot: f64,
        account: &mut Account<f64>,
        holdings: &mut OptionHoldings,
    ) -> (f64, f64) {
        let setup = &self.setup;
        let step = self.step(constants);
        let greeks = [hedge.greeks_at(i, spot, log_spot)];
        let wanted = |target: f64, held: f64, gamma: f64| match setup.rule {
            RebalanceRule::WhalleyWilmott { .. } => {
                self.decided_trade(i, constants, spot, (target, held), gamma)
            }
            _ => step.rule_trade(target, held),
        };
        let [result] = self.option_rebalance(
            hedge,
            step,
            &greeks,
            core::array::from_mut(account),
            core::array::from_mut(holdings),
            wanted,
        );
        result
    }

    /// A date where the rule looks, when the hedge trades options too, on `V`
    /// vectors of one path (`R = f64`) or of lanes, given the date's Greeks:
    /// if the rule trades (`wanted`, the shares it trades from a target, the
    /// shares held and the book's gamma, is not 0 at the share target with the
    /// options now held; always for `every` and `static`), the options are
    /// traded to the holdings that neutralise `greeks`
    /// ([`OptionHedge::rebalance`]: cash and costs booked here), and the rule
    /// then sets the shares against the new target. Returns, per vector,
    /// `(shares to trade, share target)`.
    #[inline(always)]
    fn option_rebalance<R: Real, const V: usize>(
        &self,
        hedge: &OptionHedge,
        step: Step,
        greeks: &[DateGreeks<R>; V],
        accounts: &mut [Account<R>; V],
        holdings: &mut [OptionHoldings<R>; V],
        wanted: impl Fn(R, R, R) -> R,
    ) -> [(R, R); V] {
        let zero = R::splat(0.0);
        let mut out = [(zero, zero); V];
        for (((out, greeks), account), holdings) in
            out.iter_mut().zip(greeks).zip(accounts).zip(holdings)
        {
            let (book, units) = greeks;
            let target_now = OptionHedge::share_target(book, units, holdings);
            let trades = match step.rule {
                RebalanceRule::Static | RebalanceRule::Every { .. } => zero.le(zero),
                _ => wanted(target_now, account.held, book.gamma).ne(zero),
            };
            if !(0..R::WIDTH).any(|l| trades.lane(l)) {
                *out = (zero, target_now);
                continue;
            }
            let options = hedge.rebalance(greeks, holdings, trades, target_now, step.to_start);
            account.cash =
                trades.select(account.cash - (options.value + options.cost), account.cash);
            account.costs_pv = trades.select(
                account.costs_pv + options.cost * R::splat(step.to_start),
                account.costs_pv,
            );
            let target = options.share_target;
            let shares = trades.select(wanted(target, account.held, book.gamma), zero);
            *out = (shares, target);
        }
        out
    }

    /// What a date step needs of the hedger at date `constants`, copied out of it
    /// (so that the lane kernel keeps it in registers across its pairs).
    #[inline(always)]
    fn step(&self, constants: &DateConstants) -> Step {
        Step {
            interest_growth: constants.interest_growth,
            dividend_growth: constants.dividend_growth,
            costs: self.setup.costs,
            rule: self.setup.rule,
            gross_quantity: self.gross_quantity,
            to_start: constants.to_start,
        }
    }

    /// The number of dates of a path buffer this hedger can use (`steps`).
    fn usable_steps(&self, path: &PathBuffer) -> usize {
        self.setup
            .grid
            .steps
            .min(path.spot.len().min(path.log_spot.len()).saturating_sub(1))
    }

    /// The account a path starts with: the premium received (or paid).
    fn opening(&self, path: &PathBuffer) -> (Account<f64>, Greeks) {
        let start = self.initial_greeks(path.spot[0]);
        (Account::opened(-start.price), start)
    }

    /// Run the hedge along `path` (`steps + 1` points), sending ledger rows to
    /// `recorder`, and return the outcome.
    pub fn run<R: Recorder>(&self, path: &PathBuffer, recorder: &mut R) -> PathOutcome {
        let setup = &self.setup;
        let grid = &setup.grid;
        let steps = self.usable_steps(path);
        let spots = &path.spot[..=steps];
        let log_spots = &path.log_spot[..=steps];
        let book = &setup.book;
        let model = &setup.model;
        let (mut account, start) = self.opening(path);
        let mut holdings = self.no_options();
        let point = |i: usize| PathPoint {
            spot: spots[i],
            log_spot: log_spots[i],
            variance: path.variance.get(i).copied().unwrap_or(0.0),
        };
        if !R::DETAILED {
            // The Monte Carlo case: the same dates with the first and the last
            // taken out of the loop, so that inside it the compiler knows
            // 0 < i < steps and drops the date tests from the hot path.
            let h = &mut holdings;
            self.date(0, steps, point(0), &mut account, h);
            for i in 1..steps {
                self.date(i, steps, point(i), &mut account, h);
            }
            if steps > 0 {
                self.date(steps, steps, point(steps), &mut account, h);
            }
            return self.outcome(&account, &holdings);
        }
        // Ledger only: the book's Greeks and the cumulative P&L at the previous row,
        // and each hedge option's value there.
        let mut previous = start;
        let mut previous_pnl = 0.0;
        let mut previous_option_values = [0.0; MAX_HEDGE_OPTIONS];

        for i in 0..=steps {
            let spot = spots[i];
            let held_over_step = account.held;
            let options_over_step = holdings.held;
            holdings.traded = [0.0; MAX_HEDGE_OPTIONS];
            holdings.cost = [0.0; MAX_HEDGE_OPTIONS];
            let (carry, trade, cost, mut target) =
                self.date(i, steps, point(i), &mut account, &mut holdings);
            if R::DETAILED {
                let greeks = if i == 0 {
                    start
                } else if i < steps {
                    self.greeks_at(i, point(i))
                } else {
                    Greeks::default() // settled: the book's value is now in cash
                };
                if target.is_nan() {
                    target = self.target_at(i, &self.dates[i], point(i));
                }
                let marked = if i == steps {
                    book.marked_value(model, spot)
                } else {
                    0.0
                };
                let options = self.options.as_ref().map(|hedge| {
                    let ledger = OptionsInLedger::at(
                        hedge,
                        i,
                        spot,
                        &holdings,
                        &options_over_step,
                        &previous_option_values,
                    );
                    previous_option_values = ledger.values;
                    ledger
                });
                let options_value = options.map_or(0.0, |o| o.held_value);
                let pnl = account.cash + account.held * spot + greeks.price + options_value;
                // (Settled, both are 0: the book's Greeks and the shares held.)
                let mut position = Greeks {
                    delta: greeks.delta + account.held,
                    ..greeks
                };
                if let Some(o) = options {
                    position.delta += o.greeks.delta;
                    position.gamma += o.greeks.gamma;
                    position.vega += o.greeks.vega;
                }
                let move_ = if i == 0 { 0.0 } else { spot - spots[i - 1] };
                let dt = if i == 0 { 0.0 } else { grid.step_length(i - 1) };
                let gamma_pnl = 0.5 * previous.gamma * move_ * move_;
                let theta_pnl = previous.theta * dt;
                let hedge_pnl = (held_over_step + previous.delta) * move_;
                let cost_pnl = -cost;
                let step_pnl = pnl - previous_pnl;
                let mut row = LedgerRow {
                    step: i,
                    time: grid.time(i),
                    spot,
                    target,
                    held: account.held,
                    trade,
                    cost,
                    cash: account.cash,
                    book_value: greeks.price,
                    marked,
                    pnl,
                    position_delta: position.delta,
                    position_gamma: position.gamma,
                    position_vega: position.vega,
                    gamma_pnl,
                    theta_pnl,
                    hedge_pnl,
                    financing_pnl: carry,
                    cost_pnl,
                    residual_pnl: step_pnl - gamma_pnl - theta_pnl - hedge_pnl - carry - cost_pnl,
                    ..LedgerRow::default()
                };
                if let Some(OptionsInLedger {
                    pnl: options_pnl, ..
                }) = options
                {
                    // Option costs are costs too; the options' own step P&L is a part.
                    row.cost_pnl -= holdings.cost.iter().sum::<f64>();
                    row.residual_pnl = step_pnl
                        - gamma_pnl
                        - theta_pnl
                        - hedge_pnl
                        - carry
                        - row.cost_pnl
                        - options_pnl;
                    if i < steps {
                        row.set_options(&holdings, options_value, options_pnl);
                    } else {
                        // Settled at the horizon (paid or marked into cash), as
                        // the shares are closed: nothing is held afterwards.
                        let mut settled = holdings;
                        settled.traded = holdings.held.map(|w| -w);
                        settled.held = [0.0; MAX_HEDGE_OPTIONS];
                        row.set_options(&settled, options_value, options_pnl);
                    }
                }
                recorder.record(row);
                previous = greeks;
                previous_pnl = pnl;
            }
        }
        self.outcome(&account, &holdings)
    }

    /// A path's (or a vector's) hedge options before its first date: none held.
    fn no_options<R: Real>(&self) -> OptionHoldings<R> {
        self.options
            .as_ref()
            .map_or_else(|| OptionHoldings::none(0), |hedge| hedge.no_holdings())
    }

    /// Whether [`Hedger::date_lanes`] covers this hedger: any book hedged with
    /// shares, or with shares and options, under `none`, `static`, `every` or
    /// `band` and Black–Scholes pricing (Whalley–Wilmott needs each path's
    /// gamma; Heston pricing each path's variance).
    pub fn lanes_supported(&self) -> bool {
        self.heston.is_none() && !matches!(self.setup.rule, RebalanceRule::WhalleyWilmott { .. })
    }

    /// Open the accounts of `V × R::WIDTH` paths starting at `spot`.
    pub fn open_lanes<R: Real, const V: usize>(&self, spot: f64) -> LaneAccounts<R, V> {
        let start = self.initial_greeks(spot);
        LaneAccounts {
            vectors: [Account::opened(R::splat(-start.price)); V],
            holdings: [self.no_options(); V],
        }
    }

    /// Date `i` for `V × R::WIDTH` paths at once (the lane kernel), in vectors of
    /// two lanes (or four natively). Dates before expiry run, lane by lane, the
    /// formulas of [`Hedger::run`]'s `date` (the same generic code, so the same
    /// bits), each over all vectors before the next; expiry (and dates too close
    /// to it to divide by σ√τ) run `date` itself on each lane. Only for
    /// [`Hedger::lanes_supported`].
    #[inline(always)]
    pub fn date_lanes<R: Real, const V: usize>(
        &self,
        i: usize,
        steps: usize,
        spot: &[R; V],
        log_spot: &[R; V],
        lanes: &mut LaneAccounts<R, V>,
    ) {
        let constants = &self.dates[i];
        if i >= steps
            || constants.degenerate
            || self
                .options
                .as_ref()
                .is_some_and(|hedge| hedge.degenerate_at(i))
        {
            self.date_lane_by_lane(i, steps, spot, log_spot, lanes);
            return;
        }
        let step = self.step(constants);
        // Carry over (t_{i−1}, t_i]. Before the first date the step has no
        // length: its growth factors are ±0 and the carry adds a zero, which
        // leaves any cash but −0 as it is (and a −0 cash becomes the +0 the
        // scalar loop gives it at date 1), so date 0 needs no branch.
        for (account, &spot) in lanes.vectors.iter_mut().zip(spot) {
            step.carry(spot, account);
        }
        let mut shares = [R::splat(0.0); V];
        if constants.looks {
            match &self.options {
                None => {
                    let target = self.book_target_lanes(i, log_spot);
                    for ((shares, target), account) in
                        shares.iter_mut().zip(target).zip(&lanes.vectors)
                    {
                        *shares = step.rule_trade(target, account.held);
                    }
                }
                Some(hedge) => {
                    let greeks = hedge.greeks_lanes(i, spot, log_spot);
                    let trades = self.option_rebalance(
                        hedge,
                        step,
                        &greeks,
                        &mut lanes.vectors,
                        &mut lanes.holdings,
                        #[inline(always)]
                        |target, held, _| step.rule_trade(target, held),
                    );
                    shares = each(
                        #[inline(always)]
                        |v| trades[v].0,
                    );
                }
            }
        }
        for ((account, &spot), shares) in lanes.vectors.iter_mut().zip(spot).zip(shares) {
            step.rebalance(spot, shares, account);
        }
    }

    /// [`Hedger::book_target`] on `V` vectors of lanes (dates that are not
    /// degenerate): each leg over all vectors, summed in the scalar loop's order.
    #[inline(always)]
    fn book_target_lanes<R: Real, const V: usize>(&self, i: usize, log_spot: &[R; V]) -> [R; V] {
        let legs = self.setup.book.legs.len();
        match &self.legs_at[i * legs..(i + 1) * legs] {
            // As in `book_target`: one leg without the sum (the same bits).
            [leg] => self.leg_target_lanes(leg, log_spot),
            legs => {
                // A loop rather than `fold`, which LLVM may leave as a call.
                let mut sum = [R::splat(-0.0); V];
                for leg in legs {
                    let target = self.leg_target_lanes(leg, log_spot);
                    sum = each(
                        #[inline(always)]
                        |v| sum[v] + target[v],
                    );
                }
                sum
            }
        }
    }

    /// One leg's part of the hedge target on `V` vectors of lanes. A method
    /// marked `inline(always)`, not a closure: inlined into the four-lane
    /// kernel's AVX2 function, so compiled for AVX2 too.
    #[inline(always)]
    fn leg_target_lanes<R: Real, const V: usize>(
        &self,
        leg: &LegAtDate,
        log_spot: &[R; V],
    ) -> [R; V] {
        let argument: [R; V] = each(
            #[inline(always)]
            |v| leg.argument(log_spot[v]),
        );
        let probability = self.cdf.cdf_lanes(&argument);
        each(
            #[inline(always)]
            |v| leg.target(probability[v]),
        )
    }

    /// Date `i` run by `date` on each lane in turn (expiry, degenerate dates).
    fn date_lane_by_lane<R: Real, const V: usize>(
        &self,
        i: usize,
        steps: usize,
        spot: &[R; V],
        log_spot: &[R; V],
        lanes: &mut LaneAccounts<R, V>,
    ) {
        for v in 0..V {
            for l in 0..R::WIDTH {
                let mut account = lanes.account(v, l);
                let mut holdings = lanes.holdings[v].lane(l);
                let at = PathPoint {
                    spot: spot[v].lane(l),
                    log_spot: log_spot[v].lane(l),
                    variance: 0.0, // the lanes run Black–Scholes hedgers only
                };
                self.date(i, steps, at, &mut account, &mut holdings);
                lanes.set_account(v, l, &account);
                lanes.holdings[v].set_lane(l, &holdings);
            }
        }
    }

    /// The outcomes of the `V × R::WIDTH` lanes, in path order.
    pub fn close_lanes<R: Real, const V: usize>(
        &self,
        lanes: &LaneAccounts<R, V>,
    ) -> impl Iterator<Item = PathOutcome> + '_ {
        let lanes = *lanes;
        (0..V * R::WIDTH).map(move |p| {
            let (v, l) = (p / R::WIDTH, p % R::WIDTH);
            self.outcome(&lanes.account(v, l), &lanes.holdings[v].lane(l))
        })
    }

    fn outcome(&self, account: &Account<f64>, holdings: &OptionHoldings) -> PathOutcome {
        PathOutcome {
            pnl: account.cash * self.discount_horizon,
            // Counts of dates: they fit (a path has fewer than 2³² dates).
            trades: account.trades as u32,
            costs: account.costs_pv,
            option_trades: holdings.trades as u32,
            option_costs: holdings.costs_pv,
        }
    }
}

/// The hedger's constants a date step uses (see [`Hedger::step`]).
#[derive(Clone, Copy, Debug)]
struct Step {
    interest_growth: f64,
    dividend_growth: f64,
    costs: CostModel,
    rule: RebalanceRule,
    gross_quantity: f64,
    /// e^{−r t_i} of the date.
    to_start: f64,
}

impl Step {
    /// Carry `account` over one step to a date at `spot`: interest on cash and
    /// dividends on the shares held, added to the cash; returns the carry.
    /// Lane-wise, for one path or a pair of lanes. The dividend term is left out,
    /// not added as zero, when there are no dividends.
    #[inline(always)]
    fn carry<R: Real>(self, spot: R, account: &mut Account<R>) -> R {
        let mut carry = account.cash * R::splat(self.interest_growth);
        if self.dividend_growth != 0.0 {
            carry = carry + account.held * spot * R::splat(self.dividend_growth);
        }
        account.cash = account.cash + carry;
        carry
    }

    /// The shares a rule other than Whalley–Wilmott trades, from the target and the
    /// shares held, at a date where it looks; lane-wise.
    #[inline(always)]
    fn rule_trade<R: Real>(self, target: R, held: R) -> R {
        match self.rule {
            // These always trade to the target (what `decide` returns for them).
            RebalanceRule::Static | RebalanceRule::Every { .. } => target - held,
            RebalanceRule::Band { half_width, to } => {
                let width = R::splat(half_width * self.gross_quantity);
                band_decision(held, target, width, to) - held
            }
            // `None` never looks; Whalley–Wilmott is `whalley_wilmott_trade`.
            RebalanceRule::None | RebalanceRule::WhalleyWilmott { .. } => R::splat(0.0),
        }
    }

    /// Trade `shares` at `spot` on a date before expiry: pay the cost, count the
    /// trade where shares change hands, book it. Returns the cost. Lane-wise.
    #[inline(always)]
    fn rebalance<R: Real>(self, spot: R, shares: R, account: &mut Account<R>) -> R {
        let value = shares * spot;
        let cost = self.costs.cost_of(shares, value.abs());
        account.trades = shares.ne(R::splat(0.0)).count(account.trades);
        account.book(self.to_start, value, shares, cost);
        cost
    }
}

/// The accounts of `V × R::WIDTH` paths hedged together (see
/// [`Hedger::date_lanes`]): vector `v`, lane `l` is path `v·WIDTH + l` of the
/// group.
#[derive(Clone, Copy, Debug)]
pub struct LaneAccounts<R: Real, const V: usize> {
    vectors: [Account<R>; V],
    /// The hedge options held (none when the hedge trades shares only).
    holdings: [OptionHoldings<R>; V],
}

impl<R: Real, const V: usize> LaneAccounts<R, V> {
    /// The account of vector `v`, lane `l`.
    fn account(&self, v: usize, l: usize) -> Account<f64> {
        let lanes = &self.vectors[v];
        Account {
            cash: lanes.cash.lane(l),
            held: lanes.held.lane(l),
            trades: lanes.trades.lane(l),
            costs_pv: lanes.costs_pv.lane(l),
        }
    }

    fn set_account(&mut self, v: usize, l: usize, account: &Account<f64>) {
        let lanes = &mut self.vectors[v];
        lanes.cash = lanes.cash.with_lane(l, account.cash);
        lanes.held = lanes.held.with_lane(l, account.held);
        lanes.trades = lanes.trades.with_lane(l, account.trades);
        lanes.costs_pv = lanes.costs_pv.with_lane(l, account.costs_pv);
    }
}

/// The running account of one path (`R = f64`) or of a vector of lanes (`R =`
/// [`F64x2`](crate::engine::simd::F64x2) or four lanes).
#[derive(Clone, Copy, Debug)]
struct Account<R: Real> {
    cash: R,
    held: R,
    /// Trades on rebalancing dates (fewer than 2³², as dates are).
    trades: R::Bits,
    costs_pv: R,
}

impl<R: Real> Account<R> {
    /// An account holding `cash` and nothing else.
    #[inline(always)]
    fn opened(cash: R) -> Account<R> {
        Account {
            cash,
            held: R::splat(0.0),
            trades: R::Bits::splat(0),
            costs_pv: R::splat(0.0),
        }
    }

    /// Book a trade of `shares` worth `value` (`shares·S`) paying `cost` at a
    /// date whose discount factor to t = 0 is `to_start`. Unconditional: with no trade and no cost it adds
    /// exact zeros (+0 to the cost, `±0` to cash and shares), which change
    /// nothing.
    #[inline(always)]
    fn book(&mut self, to_start: f64, value: R, shares: R, cost: R) {
        self.cash = self.cash - (value + cost);
        self.costs_pv = self.costs_pv + cost * R::splat(to_start);
        self.held = self.held + shares;
    }
}
