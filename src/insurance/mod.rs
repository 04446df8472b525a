//! Portfolio insurance: a long portfolio of `qty` shares at spot `S_0`, worth
//! `V_0 = qty·S_0`, protected so that its value at the horizon `T` stays above a
//! floor `F = floor·V_0` (money at `T`), four ways compared on the same paths.
//!
//! | kind | holds | trades |
//! |---|---|---|
//! | `none` | the `qty` shares | never |
//! | `put` | `n` shares and `n` bought puts of strike `K` | once, at `t_0` |
//! | `synthetic` | `n·(1 + Δ_put)` shares, the rest in cash | by the [`RebalanceRule`] |
//! | `cppi` | `E/S` shares, `E = min(m·C, cap·V)`, the rest in cash | by the [`RebalanceRule`] |
//!
//! Every kind starts from the `qty` shares and no cash, and trades from there at
//! `t_0`; cash earns `r`, shares pay the dividend yield `q` into cash (as in the
//! hedge loop, [`crate::hedging::hedger`]):
//!
//! ```text
//! over (t_i, t_{i+1}], Δt_i = t_{i+1} − t_i (a step's own length: grids of real dates have unequal steps):
//!     cash += cash·(e^{rΔt_i} − 1) + h_i·S_{i+1}·(e^{qΔt_i} − 1)
//! each trade of x shares at S:   cash −= x·S + cost(x, S)          (the hedge loop's CostModel)
//! horizon value:                 V_T = h·S_T + cash_T (+ n·max(K − S_T, 0) for bought puts)
//! ```
//!
//! Nothing is sold at the horizon: the reader keeps the portfolio, so `V_T`
//! marks the shares at `S_T` and the puts at their payoff, with no closing cost.
//!
//! **Bought put** ([`put`]): with the Black–Scholes put `P(K)` at the hedging vol
//! over the whole horizon, choose `n` and `K` with
//!
//! ```text
//! n·K = F          (at T: n·S_T + n·max(K − S_T, 0) ≥ n·K = F on every path)
//! n·S_0 + n·P(K)·(1 + c_o) + fee + cost(n − qty, S_0) = V_0
//! ```
//!
//! `c_o` the option cost (a fraction of the option value), `fee` the fixed fee
//! of the option trade, `cost(n − qty, S_0)` the share trade's cost: the put
//! strategy sells `qty − n` shares to pay for the puts. Since
//! `n·P(F/n) = P(n·S_0, F)` (Black–Scholes is homogeneous), the left side is
//! convex in `n`; it is below `V_0` as `n → 0` exactly when insurance is
//! affordable and above it at `n = qty`, so one root exists and bisection finds it.
//!
//! **Synthetic put** ([`synthetic`]; Rubinstein & Leland 1981, Rubinstein 1985):
//! the same `n` and `K`, sized at the put's model value with no trading costs
//! (`n·(S_0 + P(K)) = V_0`: the costs of replication are paid along the way,
//! and eat into the floor), replicated by holding
//! `h* = n·(1 + Δ_put) = n·(1 − e^{−qτ}N(−d1))` shares — `n·e^{−qτ}N(d1)`
//! when `q = 0` — and the rest in cash. Under Black–Scholes with the path's
//! vol equal to the hedging vol, continuous rebalancing and no costs, this
//! self-financing portfolio equals the bought-put portfolio at every date
//! (Merton 1973: dividends on the `h*` shares included, since those of the
//! bought-put portfolio's `n` shares accrue in its cash).
//!
//! **CPPI** ([`cppi`]; Black & Jones 1987, Black & Perold 1992): with the
//! floor's present value `F_t = F·e^{−r(T−t)}`, value `V_t = h·S_t + cash` and
//! cushion `C_t = V_t − F_t`, hold exposure (money in shares)
//!
//! ```text
//! E_t = min(m·C_t, cap·V_t) when C_t > 0,   0 once C_t ≤ 0 (and ever after)
//! ```
//!
//! (the cushion is checked at the dates the rule looks at; once it is gone
//! every share is sold, whatever band the rule allows, and the rest is cash)
//!
//! — `m` the multiplier, `cap` the largest fraction of the value in shares
//! (`cap = 1`: no borrowing). In continuous time, uncapped, the cushion is
//! `C_t = C_0·(S_t/S_0)^m·exp([r − m(r − q) − m(m − 1)σ²/2]·t)` (derived in
//! `tests/insurance.rs`) and never reaches 0; in discrete time with `r = q = 0`
//! one step's return `R` takes it to `C·(1 + m(R − 1))`, below 0 exactly when
//! the step's drop `1 − R` exceeds `1/m`.
//!
//! **Rules** ([`RebalanceRule`], the hedge loop's): `none` never trades (the
//! strategy keeps the `qty` shares, as the unprotected portfolio does), `static`
//! trades to the target at `t_0` only, `every k` at every `k`-th date, band
//! rules when `|h − h*|` exceeds the band times a *scale* in shares: `n` for the
//! synthetic put (the band is in shares per put replicated, as the hedge loop's
//! is per option) and `qty` for CPPI (shares per share of the original
//! portfolio). Whalley–Wilmott's band uses the gamma of the insured value:
//! `n·Γ_put` for the synthetic put, `m(m − 1)·C/S²` for uncapped CPPI
//! (`cap(cap − 1)·V/S²` where the cap binds). The bought put ignores the rule:
//! it trades once.
//!
//! **Defaults**: floor 0.9; multiplier 4, so that one day's fall would have to
//! exceed 25 % to break the floor (the S&P 500's worst day, 19 October 1987,
//! was −20.5 %; with 5 it would have broken); cap 1.
//!
//! References: Rubinstein & Leland (1981), "Replicating options with positions
//! in stock and cash", *Financial Analysts Journal* 37(4); Rubinstein (1985),
//! "Alternative paths to portfolio insurance", *FAJ* 41(4); Black & Jones
//! (1987), "Simplifying portfolio insurance", *J. Portfolio Management* 14(1);
//! Black & Perold (1992), "Theory of constant proportion portfolio insurance",
//! *J. Economic Dynamics and Control* 16.
//!
//! **Tested by** `tests/insurance.rs`: the synthetic put converges path by path
//! to the bought put and keeps its floor without jumps; CPPI converges to its
//! closed form and breaks its floor exactly on a step drop beyond `1/m`; with
//! jumps the dynamic strategies breach and the bought put never does; the put's
//! sizing against an independent solve; costs conserved. `tests/plan.rs`: each
//! kind's index is its place in `ALL` and its row in an insured comparison.

pub mod cppi;
pub mod insurer;
pub mod put;
pub mod summary;
pub mod synthetic;

pub use insurer::{InsuranceOutcome, InsuranceRecorder, InsuranceRow, Insurer};
pub use put::{size_put, PutBudget, PutPosition};
pub use summary::{is_breach, summarize, InsuranceSummary};

use crate::hedging::costs::CostModel;
use crate::hedging::rules::RebalanceRule;
use crate::paths::TimeGrid;

/// The default floor, as a fraction of the initial value `V_0`.
pub const DEFAULT_FLOOR: f64 = 0.9;
/// The default CPPI multiplier `m` (the floor survives one-step drops of up to
/// `1/m` = 25 %).
pub const DEFAULT_MULTIPLIER: f64 = 4.0;
/// The default CPPI cap on exposure, as a fraction of the value (1: no borrowing).
pub const DEFAULT_CAP: f64 = 1.0;
/// A horizon value counts as below the floor only when it is below it by more
/// than this fraction of the floor. The bought put ends exactly on its floor
/// whenever it is exercised (`n·K = F`), which rounding may put an ulp or two
/// below; a billionth of the floor is far below any amount that matters.
pub const BREACH_TOLERANCE: f64 = 1e-9;

/// How the portfolio is protected (serialized as its [`key`](Self::key)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum InsuranceKind {
    /// No protection: hold the `qty` shares.
    #[serde(rename = "none")]
    Unprotected,
    /// Buy puts once and hold them.
    #[serde(rename = "put")]
    BoughtPut,
    /// Replicate the bought-put portfolio with shares and cash.
    #[serde(rename = "synthetic")]
    SyntheticPut,
    /// Constant proportion portfolio insurance.
    #[serde(rename = "cppi")]
    Cppi,
}

impl InsuranceKind {
    /// Every kind, in the order of the table above.
    pub const ALL: [InsuranceKind; 4] = [
        InsuranceKind::Unprotected,
        InsuranceKind::BoughtPut,
        InsuranceKind::SyntheticPut,
        InsuranceKind::Cppi,
    ];

    /// The kind's place in [`InsuranceKind::ALL`] (its declaration order),
    /// hence its row in an insured plan's comparison.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The kind's key in a link (`none`, `put`, `synthetic`, `cppi`).
    pub fn key(self) -> &'static str {
        match self {
            InsuranceKind::Unprotected => "none",
            InsuranceKind::BoughtPut => "put",
            InsuranceKind::SyntheticPut => "synthetic",
            InsuranceKind::Cppi => "cppi",
        }
    }

    /// The kind whose [`key`](Self::key) is `key`, if any.
    pub fn from_key(key: &str) -> Option<InsuranceKind> {
        InsuranceKind::ALL
            .into_iter()
            .find(|kind| kind.key() == key)
    }
}

/// Everything an insured portfolio does, apart from the path itself.
#[derive(Clone, Debug, PartialEq)]
pub struct InsuranceSetup {
    /// How the portfolio is protected.
    pub kind: InsuranceKind,
    /// Shares in the portfolio at the start, `qty > 0`.
    pub quantity: f64,
    /// Spot `S_0 > 0` at the start (the paths' first point).
    pub spot: f64,
    /// The floor as a fraction of `V_0 = qty·S_0` (≥ 0): `F = floor·V_0` at the horizon.
    pub floor: f64,
    /// CPPI multiplier `m ≥ 0`.
    pub multiplier: f64,
    /// CPPI cap on exposure as a fraction of the value, `≥ 0`.
    pub cap: f64,
    /// Interest rate `r` on cash.
    pub rate: f64,
    /// Dividend yield `q` of the shares.
    pub dividend: f64,
    /// The hedging vol: prices the bought put and the synthetic put's delta.
    pub hedging_vol: f64,
    /// Costs of share trades (its `fee` is also the option trade's fixed fee).
    pub costs: CostModel,
    /// Cost of an option trade as a fraction of the option value traded.
    pub option_cost: f64,
    /// When the dynamic strategies (synthetic put, CPPI) trade.
    pub rule: RebalanceRule,
    /// The time grid (the paths'); its horizon is the insurance's.
    pub grid: TimeGrid,
}

impl InsuranceSetup {
    /// The initial value `V_0 = qty·S_0`.
    pub fn initial_value(&self) -> f64 {
        self.quantity * self.spot
    }

    /// The floor in money at the horizon, `F = floor·V_0`.
    pub fn floor_value(&self) -> f64 {
        self.floor * self.initial_value()
    }

    /// Check that every input is finite and in range.
    pub fn validate(&self) -> Result<(), InsuranceError> {
        let checks = [
            (self.quantity > 0.0, "quantity must be > 0"),
            (self.spot > 0.0, "spot must be > 0"),
            (self.floor >= 0.0, "floor must be ≥ 0"),
            (self.multiplier >= 0.0, "multiplier must be ≥ 0"),
            (self.cap >= 0.0, "cap must be ≥ 0"),
            (self.hedging_vol >= 0.0, "hedging vol must be ≥ 0"),
            (self.option_cost >= 0.0, "option cost must be ≥ 0"),
            (self.costs.fee >= 0.0, "fee must be ≥ 0"),
            (self.costs.proportional >= 0.0, "cost must be ≥ 0"),
            (self.costs.impact >= 0.0, "impact must be ≥ 0"),
            (
                self.grid.horizon > 0.0 && self.grid.steps >= 1,
                "the grid needs a horizon > 0 and at least one step",
            ),
            (
                [
                    self.quantity,
                    self.spot,
                    self.floor,
                    self.multiplier,
                    self.cap,
                ]
                .into_iter()
                .chain([self.rate, self.dividend, self.hedging_vol])
                .chain([self.option_cost, self.grid.horizon])
                .all(f64::is_finite),
                "inputs must be finite",
            ),
        ];
        match checks.into_iter().find(|(ok, _)| !ok) {
            Some((_, why)) => Err(InsuranceError::Invalid(why)),
            None => Ok(()),
        }
    }
}

/// Why a setup cannot be run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InsuranceError {
    /// An input is out of range (the reason).
    Invalid(&'static str),
    /// The floor costs more than the portfolio is worth: even with all of `V_0`
    /// in puts (and their costs paid) `n·K` cannot reach `F`. The largest
    /// affordable floor fraction ignoring costs is `e^{rT}`.
    FloorUnaffordable {
        /// The floor asked for, in money at the horizon.
        floor: f64,
        /// What securing it costs at `t_0` at the least (the floor's present
        /// value with the option cost, plus the fees and the sale of every share).
        least_cost: f64,
        /// The portfolio's value `V_0`.
        initial_value: f64,
    },
}

impl core::fmt::Display for InsuranceError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            InsuranceError::Invalid(why) => write!(f, "{why}"),
            InsuranceError::FloorUnaffordable {
                floor,
                least_cost,
                initial_value,
            } => write!(
                f,
                "a floor of {floor:.2} at the horizon costs at least {least_cost:.2} today, \
                 more than the portfolio's {initial_value:.2}"
            ),
        }
    }
}

impl std::error::Error for InsuranceError {}
