//! The table of link keys: every field of [`Scenario`] with its type and default,
//! its key, description, unit and range, and how the page shows it. The struct,
//! its `Default`, [`FIELDS`] (and through it parsing, canonical printing, the
//! README's table and the page's controls) all come from this one list.
//!
//! Adding a key: add one entry below, in the place its key should take in
//! canonical links, with a default that keeps old links' meaning (the field is
//! then absent from every old link); then use the field where it matters. The
//! tests in `tests/fields.rs` say what else is missing (the README row).
//!
//! **Tested by** `tests/fields.rs` and `tests/scenario.rs`.

use super::legs::LegList;
use super::people::{fixed, money, percent, plain};
use super::prices::Prices;
use super::spec::{
    any_number, integer, number, positive, scenario_fields, slider, stepped, Allowed, Control,
    FieldSpec, Group, LinkWord, Value,
};
use super::{PathModelKind, RuleKind, SeriesKind, Side};
use crate::hedging::greeks::GreekTargets;
use crate::hedging::hedger::Settlement;
use crate::hedging::heston_pricer::HedgePricing;
use crate::hedging::rules::BandTarget;
use crate::history::date::Date;
use crate::insurance::{InsuranceKind, DEFAULT_CAP, DEFAULT_FLOOR, DEFAULT_MULTIPLIER};
use crate::pricing::black_scholes::OptionKind;

/// What a choice field's current word is labelled on the page.
fn label_of<T: LinkWord>(value: T) -> String {
    T::CHOICES
        .iter()
        .find(|c| c.word == value.word())
        .map_or_else(|| value.word().to_string(), |c| c.label.to_string())
}

/// A book of legs as people read it: how many legs and options (or that the
/// single option is used).
fn book_shown(legs: &LegList) -> String {
    match legs.legs().len() {
        0 => "one option (above)".to_string(),
        n => {
            let options: f64 = legs
                .legs()
                .iter()
                .map(|leg| leg.quantity.unwrap_or(0.0).abs())
                .sum();
            format!("{n} legs, {} options", plain(options, 0))
        }
    }
}

/// The first date of a replay's first window (`last`: of its last window),
/// when the scenario replays a dated series: what an unset `from` (`until`)
/// comes to.
fn window_start(s: &super::Scenario, last: bool) -> Option<Date> {
    let Ok(Some(crate::history::source::HistoryPaths::Replay(replay))) =
        crate::history::source::paths_of(s)
    else {
        return None;
    };
    let index = if last {
        replay.windows().saturating_sub(1)
    } else {
        0
    };
    replay.dates(index as u64)?.first().copied()
}

scenario_fields! {
    spot: f64 = 100.0; key "s", "spot price at the start" {
        label: "Spot",
        unit: "money",
        allowed: positive(1e6),
        group: Group::Market,
        control: any_number(0.01, 1e6),
        help: "",
        shown: |s| money(s.spot),
    }
    strike: f64 = 100.0; key "k", "strike" {
        label: "Strike",
        unit: "money",
        allowed: positive(1e6),
        group: Group::Main,
        control: slider(50.0, 150.0, 0.5),
        help: "Where the option pays off. Near the money, delta changes fastest (high gamma), so the hedge needs the most trading.",
        shown: |s| money(s.strike),
    }
    expiry: f64 = 0.25; key "t", "time to expiry (the hedging horizon)" {
        label: "Time to expiry",
        unit: "years",
        allowed: positive(30.0),
        group: Group::Market,
        control: any_number(0.001, 30.0),
        help: "",
        shown: |s| format!("{} days", plain(s.expiry * 365.0, 1)),
    }
    rate: f64 = 0.02; key "r", "risk-free rate" {
        label: "Interest rate",
        unit: "per year, continuous",
        allowed: number(-0.5, 1.0),
        group: Group::Market,
        control: stepped(-0.5, 1.0, 0.005),
        help: "",
        shown: |s| format!("{} a year", percent(s.rate, 2)),
    }
    dividend: f64 = 0.0; key "q", "dividend yield" {
        label: "Dividend yield",
        unit: "per year, continuous",
        allowed: number(-0.5, 1.0),
        group: Group::Market,
        control: stepped(-0.5, 1.0, 0.005),
        help: "",
        shown: |s| format!("{} a year", percent(s.dividend, 2)),
    }
    drift: f64 = 0.05; key "mu", "real-world drift (expected return)" {
        label: "Drift (expected return)",
        unit: "per year, continuous",
        allowed: number(-2.0, 2.0),
        group: Group::Market,
        control: stepped(-2.0, 2.0, 0.01),
        help: "",
        shown: |s| format!("{} a year", percent(s.drift, 2)),
    }
    vol: f64 = 0.2; key "vol", "realised volatility of the simulated paths" {
        label: "Volatility",
        unit: "per year, 0.2 = 20%",
        allowed: number(0.0, 5.0),
        group: Group::Main,
        control: slider(0.01, 1.0, 0.01),
        help: "How much the share really moves (realised vol, per year). The hedger prices with the same vol unless you set a different one under advanced.",
        shown: |s| format!("{}%", plain(s.vol * 100.0, 1)),
    }
    hedge_vol: Option<f64> = None; key "hvol", "volatility used to price and hedge (unset: follows `vol`)" {
        label: "Hedging vol",
        unit: "per year",
        allowed: number(0.0, 5.0),
        group: Group::Market,
        control: Control::Number { min: 0.0, max: 5.0, step: Some(0.01), placeholder: "same as volatility" },
        help: "The implied vol used to price and hedge. Realised above implied: a long, hedged option earns ½ΓS²(σ²ᵣ − σ²ᵢ) per unit time — gamma scalping.",
        shown: |s| match (s.hedge_vol, s.model) {
            (Some(v), _) => percent(v, 1),
            // Under Heston the hedger's default is the initial vol √v0.
            (None, PathModelKind::Heston) => format!("= √v₀ = {}", percent(libm::sqrt(s.v0), 1)),
            (None, _) if s.uses_history() => format!("= realised = {}", percent(s.hedging_vol(), 1)),
            (None, _) => "= volatility".to_string(),
        },
    }
    kind: OptionKind = OptionKind::Call; key "type", "option type" {
        label: "Option type",
        unit: "",
        allowed: super::spec::Allowed::Choice(OptionKind::CHOICES),
        group: Group::Position,
        control: Control::Select,
        help: "",
        shown: |s| label_of(s.kind),
    }
    side: Side = Side::Short; key "side", "long (bought, premium paid) or short (written, premium received)" {
        label: "Side",
        unit: "",
        allowed: super::spec::Allowed::Choice(Side::CHOICES),
        group: Group::Position,
        control: Control::Select,
        help: "",
        shown: |s| label_of(s.side),
    }
    quantity: f64 = 100.0; key "qty", "number of options (one option is on one share)" {
        label: "Quantity",
        unit: "options",
        allowed: positive(1e9),
        group: Group::Position,
        control: any_number(1.0, 1e9),
        help: "",
        shown: |s| format!("{} options", plain(s.quantity, 0)),
    }
    legs: LegList = LegList::default(); key "legs", "a book of several options (grammar below); replaces `type`, `side`, `qty` and `k`" {
        label: "Book (several options)",
        unit: "legs",
        allowed: Allowed::Legs { quantities: true },
        group: Group::Main,
        control: Control::Text { placeholder: "e.g. -100c100_-100p100 (short straddle)" },
        help: "Legs joined by _, each a signed quantity (negative: short), c or p, the strike and optionally @ its expiry in years from now, no earlier than the time to expiry: -100c100_100c100@0.5 is a calendar spread. Leave empty for the one option above.",
        shown: |s| book_shown(&s.legs),
    }
    steps: u64 = 63; key "steps", "time steps over the life" {
        label: "Time steps",
        unit: "steps",
        allowed: integer(1, 10_000),
        group: Group::Hedging,
        control: stepped(1.0, 10_000.0, 1.0),
        help: "",
        shown: |s| format!(
            "{} ({} days each)",
            plain(s.steps as f64, 0),
            plain(s.expiry * 365.0 / s.steps as f64, 2)
        ),
    }
    rule: RuleKind = RuleKind::Every; key "rule", "rebalancing rule (below)" {
        label: "Rebalancing rule",
        unit: "",
        allowed: super::spec::Allowed::Choice(RuleKind::CHOICES),
        group: Group::Main,
        control: Control::Select,
        help: "Delta-neutral means holding −Δ shares per option, so small moves of the share leave the book's value unchanged. The rule decides when to get back there.",
        shown: |s| label_of(s.rule),
    }
    every: u64 = 1; key "every", "steps between rebalances (`rule=every`)" {
        label: "Rebalance every",
        unit: "steps",
        allowed: integer(1, 10_000),
        group: Group::Hedging,
        control: stepped(1.0, 10_000.0, 1.0),
        help: "",
        shown: |s| if s.every == 1 {
            "every step".to_string()
        } else {
            format!("every {} steps", plain(s.every as f64, 0))
        },
    }
    band: f64 = 0.05; key "band", "band half-width (`rule=band`)" {
        label: "Rebalancing band",
        unit: "delta per option",
        allowed: number(0.0, 1.0),
        group: Group::Main,
        control: slider(0.0, 0.5, 0.005),
        help: "Trade only when the hedge is more than this much delta per option away from neutral. Wider band: fewer trades, more risk. Moving it switches the rule to band.",
        shown: |s| format!("{} Δ per option", fixed(s.band, 3)),
    }
    band_target: BandTarget = BandTarget::Target; key "to", "where a band rebalance trades to (`rule=band`)" {
        label: "Band trades to",
        unit: "",
        allowed: super::spec::Allowed::Choice(BandTarget::CHOICES),
        group: Group::Hedging,
        control: Control::Select,
        help: "",
        shown: |s| label_of(s.band_target),
    }
    aversion: f64 = 1.0; key "aversion", "Whalley–Wilmott risk aversion γ (`rule=ww`)" {
        label: "Risk aversion γ",
        unit: "per money",
        allowed: positive(1e6),
        group: Group::Hedging,
        control: any_number(0.0001, 1e6),
        help: "",
        shown: |s| plain(s.aversion, 4),
    }
    greeks: GreekTargets = GreekTargets::Delta; key "greeks", "which Greeks the hedge neutralises (gamma and vega need hedge options in `with`)" {
        label: "Neutralise",
        unit: "",
        allowed: Allowed::Choice(GreekTargets::CHOICES),
        group: Group::Hedging,
        control: Control::Select,
        help: "Shares neutralise delta only. To neutralise gamma or vega as well, the hedger also trades the options listed below, which cost more to trade.",
        shown: |s| label_of(s.greeks),
    }
    hedge_options: LegList = LegList::default(); key "with", "hedge options for `greeks` other than delta (grammar below, no quantities)" {
        label: "Hedge options",
        unit: "options",
        allowed: Allowed::Legs { quantities: false },
        group: Group::Hedging,
        control: Control::Text { placeholder: "e.g. c105@0.5_p95@0.5" },
        help: "The options the hedger may trade besides shares, joined by _: c or p, the strike and optionally @ the expiry in years from now. At least one per Greek besides delta.",
        shown: |s| match s.hedge_options.legs().len() {
            0 => "none".to_string(),
            1 => "1 option".to_string(),
            n => format!("{n} options"),
        },
    }
    fee: f64 = 0.0; key "fee", "fixed fee per trade" {
        label: "Fee per trade",
        unit: "money",
        allowed: number(0.0, 1e6),
        group: Group::Costs,
        control: any_number(0.0, 1e6),
        help: "",
        shown: |s| money(s.fee),
    }
    cost: f64 = 0.001; key "cost", "proportional cost: fraction of traded notional per trade" {
        label: "Cost per trade",
        unit: "fraction, 0.001 = 10 bps",
        allowed: number(0.0, 0.1),
        group: Group::Main,
        control: slider(0.0, 0.01, 0.0001),
        help: "Half the bid–ask spread plus commission, as a fraction of the traded value. Every rebalance pays it, so frequent hedging adds up.",
        shown: |s| format!("{} bps", fixed(s.cost * 1e4, 1)),
    }
    impact: f64 = 0.0; key "impact", "market impact: extra fraction of price per 1,000 shares traded" {
        label: "Market impact",
        unit: "fraction",
        allowed: number(0.0, 1.0),
        group: Group::Costs,
        control: any_number(0.0, 1.0),
        help: "Extra slippage, as a fraction of price, per 1,000 shares traded: big trades cost more than proportionally.",
        shown: |s| format!("{} bps per 1,000 shares", plain(s.impact * 1e4, 2)),
    }
    option_cost: f64 = 0.01; key "ocost", "cost of trading a hedge option: fraction of the option value traded" {
        label: "Option trading cost",
        unit: "fraction, 0.01 = 1%",
        allowed: number(0.0, 0.5),
        group: Group::Costs,
        control: stepped(0.0, 0.5, 0.001),
        help: "Options trade at wider spreads than shares: each hedge-option trade pays this fraction of the value traded, plus the fee per trade.",
        shown: |s| percent(s.option_cost, 1),
    }
    settlement: Settlement = Settlement::Cash; key "settle", "settlement at expiry" {
        label: "Settlement",
        unit: "",
        allowed: super::spec::Allowed::Choice(Settlement::CHOICES),
        group: Group::Hedging,
        control: Control::Select,
        help: "",
        shown: |s| label_of(s.settlement),
    }
    insure: InsuranceKind = InsuranceKind::Unprotected; key "insure", "insure a long portfolio of `qty` shares instead of hedging options: `put`, `synthetic` or `cppi` (formulas below)" {
        label: "Insure a portfolio",
        unit: "",
        allowed: Allowed::Choice(InsuranceKind::CHOICES),
        group: Group::Main,
        control: Control::Select,
        help: "Protect qty shares so they are worth at least the floor at the horizon: buy puts once, replicate them by trading shares and cash, or run CPPI. The comparison shows all three and the unprotected portfolio on the same paths.",
        shown: |s| label_of(s.insure),
    }
    floor: f64 = DEFAULT_FLOOR; key "floor", "the insured value at the horizon, as a fraction of the starting value (`insure`)" {
        label: "Floor",
        unit: "fraction of the starting value",
        allowed: number(0.0, 2.0),
        group: Group::Insurance,
        control: slider(0.5, 1.0, 0.01),
        help: "What the portfolio should be worth at least at the horizon. Closer to 1 costs more upside.",
        shown: |s| percent(s.floor, 0),
    }
    multiplier: f64 = DEFAULT_MULTIPLIER; key "mult", "CPPI multiplier: exposure = mult × (value − discounted floor)" {
        label: "CPPI multiplier",
        unit: "",
        allowed: number(0.0, 50.0),
        group: Group::Insurance,
        control: slider(1.0, 10.0, 0.5),
        help: "A multiplier m breaks the floor when one step falls more than 1/m: with 5, a fall of over 20% — Black Monday's.",
        shown: |s| format!("{} (breaks on a {} step)", plain(s.multiplier, 1), if s.multiplier > 0.0 { percent(1.0 / s.multiplier, 0) } else { "never".to_string() }),
    }
    cap: f64 = DEFAULT_CAP; key "cap", "CPPI's largest exposure as a fraction of value (1: no borrowing)" {
        label: "CPPI cap",
        unit: "fraction of value",
        allowed: number(0.0, 10.0),
        group: Group::Insurance,
        control: slider(0.0, 2.0, 0.05),
        help: "",
        shown: |s| percent(s.cap, 0),
    }
    jumps: f64 = 0.0; key "jumps", "expected jumps per year (Merton)" {
        label: "Jumps per year",
        unit: "per year",
        allowed: number(0.0, 250.0),
        group: Group::Jumps,
        control: any_number(0.0, 250.0),
        help: "Sudden gaps no hedge can follow: the hedge is rebalanced only after the jump.",
        shown: |s| format!("{} a year", plain(s.jumps, 2)),
    }
    jump_mean: f64 = -0.1; key "jmean", "mean of the log jump" {
        label: "Mean jump",
        unit: "log return",
        allowed: number(-2.0, 2.0),
        group: Group::Jumps,
        control: stepped(-2.0, 2.0, 0.01),
        help: "",
        shown: |s| percent(s.jump_mean, 1),
    }
    jump_sd: f64 = 0.1; key "jsd", "standard deviation of the log jump" {
        label: "Jump SD",
        unit: "log return",
        allowed: number(0.0, 2.0),
        group: Group::Jumps,
        control: stepped(0.0, 2.0, 0.01),
        help: "",
        shown: |s| percent(s.jump_sd, 1),
    }
    model: PathModelKind = PathModelKind::Gbm; key "model", "what moves the simulated price: GBM at `vol`, Heston's stochastic variance, or a bootstrap of `hist`" {
        label: "Price model",
        unit: "",
        allowed: Allowed::Choice(PathModelKind::CHOICES),
        group: Group::Volatility,
        control: Control::Select,
        help: "Under Heston the volatility itself moves, correlated with the price: a Black–Scholes delta hedge then carries vega risk no rebalancing removes. Jumps above make it Bates.",
        shown: |s| label_of(s.model),
    }
    v0: f64 = 0.04; key "v0", "Heston: initial variance (0.04 = 20% vol)" {
        label: "Initial variance v₀",
        unit: "variance per year",
        allowed: number(0.0, 4.0),
        group: Group::Volatility,
        control: stepped(0.0, 4.0, 0.005),
        help: "",
        shown: |s| format!("{} vol", percent(libm::sqrt(s.v0), 1)),
    }
    kappa: f64 = 2.0; key "kappa", "Heston: speed of mean reversion κ of the variance" {
        label: "Mean reversion κ",
        unit: "per year",
        allowed: number(0.0, 50.0),
        group: Group::Volatility,
        control: stepped(0.0, 50.0, 0.1),
        help: "",
        shown: |s| format!("{} a year", plain(s.kappa, 2)),
    }
    theta: f64 = 0.04; key "theta", "Heston: long-run variance θ" {
        label: "Long-run variance θ",
        unit: "variance per year",
        allowed: number(0.0, 4.0),
        group: Group::Volatility,
        control: stepped(0.0, 4.0, 0.005),
        help: "",
        shown: |s| format!("{} vol", percent(libm::sqrt(s.theta), 1)),
    }
    xi: f64 = 0.5; key "xi", "Heston: volatility of variance ξ" {
        label: "Vol of variance ξ",
        unit: "per year",
        allowed: number(0.0, 5.0),
        group: Group::Volatility,
        control: stepped(0.0, 5.0, 0.05),
        help: "How much the variance itself moves. With 2κθ < ξ² (Feller's condition fails) the variance touches 0; the QE scheme keeps it non-negative.",
        shown: |s| plain(s.xi, 2),
    }
    rho: f64 = -0.7; key "rho", "Heston: correlation ρ of price and variance shocks" {
        label: "Correlation ρ",
        unit: "",
        allowed: number(-1.0, 1.0),
        group: Group::Volatility,
        control: slider(-1.0, 1.0, 0.05),
        help: "Negative for equities (the leverage effect): falls raise the volatility, and the smile slopes down.",
        shown: |s| plain(s.rho, 2),
    }
    pricing: HedgePricing = HedgePricing::BlackScholes; key "price", "the hedger's model under `model=heston`: Black–Scholes at `hvol`, or Heston's own value and delta at each path's variance" {
        label: "Hedger prices with",
        unit: "",
        allowed: Allowed::Choice(HedgePricing::CHOICES),
        group: Group::Volatility,
        control: Control::Select,
        help: "The hedger who knows the model hedges with Heston's delta at the path's variance, or with the minimum-variance delta, which also allows for the variance moving with the price. The comparison sets both beside Black–Scholes on the same paths; what is left is the vega risk that shares cannot remove.",
        shown: |s| label_of(s.pricing),
    }
    series: SeriesKind = SeriesKind::None; key "hist", "a bundled price history (`sp500`, `djia`) replayed as the path, or resampled with `model=bootstrap`" {
        label: "Price history",
        unit: "",
        allowed: Allowed::Choice(SeriesKind::CHOICES),
        group: Group::History,
        control: Control::Select,
        help: "Replay real closes instead of simulating them: the path starts at the first trading day on or after From and lasts t years, scaled to start at the spot.",
        shown: |s| label_of(s.series),
    }
    from: Option<Date> = None; key "from", "first date of the history window (unset: the first the series allows)" {
        label: "From",
        unit: "date",
        allowed: Allowed::Date,
        group: Group::History,
        control: Control::Text { placeholder: "YYYY-MM-DD" },
        help: "The window starts at this day's close: to live through Monday 1987-10-19, start on Friday the 16th.",
        shown: |s| s.from.map_or_else(|| window_start(s, false).map_or_else(|| "first allowed".to_string(), |d| format!("= {d}")), |d| d.to_string()),
    }
    until: Option<Date> = None; key "until", "last start date of a roll, or end of a bootstrap's source (unset: as late as the series allows)" {
        label: "Until",
        unit: "date",
        allowed: Allowed::Date,
        group: Group::History,
        control: Control::Text { placeholder: "YYYY-MM-DD" },
        help: "",
        shown: |s| s.until.map_or_else(|| window_start(s, true).map_or_else(|| "as late as allowed".to_string(), |d| format!("= {d}")), |d| d.to_string()),
    }
    roll: u64 = 0; key "roll", "start a window every this many trading days from `from` to `until` (0: one window)" {
        label: "Roll every",
        unit: "trading days",
        allowed: integer(0, 10_000),
        group: Group::History,
        control: stepped(0.0, 10_000.0, 1.0),
        help: "Every start date as a Monte Carlo: each window is one path of the histogram, the comparison and the frontier.",
        shown: |s| if s.roll == 0 { "one window".to_string() } else { format!("{} trading days", s.roll) },
    }
    block: f64 = 10.0; key "block", "mean block length of the bootstrap (`model=bootstrap`)" {
        label: "Mean block",
        unit: "trading days",
        allowed: number(1.0, 1_000.0),
        group: Group::History,
        control: stepped(1.0, 1_000.0, 1.0),
        help: "Longer blocks keep more of the history's volatility clustering.",
        shown: |s| format!("{} days", plain(s.block, 1)),
    }
    prices: Prices = Prices::default(); key "px", "the reader's own prices replayed as the path (the page and the CLI write it from a CSV)" {
        label: "Your prices",
        unit: "",
        allowed: Allowed::Prices,
        group: Group::History,
        control: Control::Prices,
        help: "A CSV with a close column (and optionally a date column), or one price per line. It stays on your machine: the link carries up to 2,000 prices itself.",
        shown: |s| s.prices.series().map_or_else(
            || "none".to_string(),
            |p| if s.prices.is_shareable() {
                format!("{} prices", p.len())
            } else {
                format!("{} prices, local only", p.len())
            },
        ),
    }
    paths: u64 = 2_000; key "paths", "Monte Carlo paths" {
        label: "Paths",
        unit: "paths",
        allowed: integer(1, 100_000),
        group: Group::Simulation,
        control: stepped(1.0, 100_000.0, 1.0),
        help: "",
        shown: |s| plain(s.paths as f64, 0),
    }
    seed: u64 = 1; key "seed", "seed of the random numbers" {
        label: "Seed",
        unit: "",
        allowed: integer(0, 9_007_199_254_740_991),
        group: Group::Simulation,
        control: stepped(0.0, 9_007_199_254_740_991.0, 1.0),
        help: "",
        shown: |s| s.seed.to_string(),
    }
}
