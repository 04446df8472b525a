//! The one scenario type and its link format — the product's public API.
//!
//! A [`Scenario`] is everything needed to reproduce a run bit for bit. Its only
//! serialised form is a URL query string, the same in the page's address, on the
//! command line and in test fixtures:
//!
//! ```text
//! v=1&vol=0.3&k=105&rule=band&band=0.1&seed=7
//! ```
//!
//! - `v=1` is the format version (required when printing; a missing `v` is read as 1).
//! - Every key in [`FIELDS`] is optional; a missing key takes its documented default.
//! - Parsing checks every field: an unknown key, a repeated key, a malformed number
//!   or a value out of range gives a [`ScenarioError`] naming the field and what is
//!   allowed. [`Scenario::parse_lenient`] instead keeps going, replaces each bad
//!   field with its default and returns all the errors (what the page does).
//! - Printing ([`Scenario::to_query`]) is canonical: `v=1` first, then only the
//!   fields that differ from their defaults, in the order of [`FIELDS`], with the
//!   shortest decimal that reads back to the same `f64`. So
//!   `parse(print(x)) == x` and `print(parse(q))` is the same for equivalent `q`.
//!
//! **Tested by** `tests/scenario.rs`: the round trip as a property test over random
//! scenarios, defaults, every error message, hostile input.

use core::fmt;

use crate::black_scholes::OptionKind;
use crate::book::{Book, OptionLeg, PricingModel};
use crate::costs::CostModel;
use crate::hedge::{HedgeSetup, Settlement};
use crate::paths::{JumpDiffusion, Jumps, TimeGrid};
use crate::rules::{BandTarget, RebalanceRule};

/// The link-format version this code reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// Most `paths × steps` in one run: 100,000 paths of 252 daily steps. Keeps a
/// browser tab responsive and a run's memory small.
pub const MAX_PATH_STEPS: u64 = 25_200_000;

/// Long or short the options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The hedger bought the options (pays the premium).
    Long,
    /// The hedger wrote the options (receives the premium).
    Short,
}

/// Which rebalancing rule the scenario uses (its parameters are separate fields
/// so that switching rules in the page keeps them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// Never hedge.
    None,
    /// Hedge once at the start.
    Static,
    /// Every `every` steps.
    Every,
    /// Delta band of half-width `band`.
    Band,
    /// Whalley–Wilmott band with risk aversion `aversion`.
    WhalleyWilmott,
}

/// A complete, reproducible scenario. See the README's link-format table for
/// every field's key, unit, default and allowed range (the same as [`FIELDS`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// `s`: spot price at t = 0.
    pub spot: f64,
    /// `k`: strike.
    pub strike: f64,
    /// `t`: years to expiry (the hedging horizon).
    pub expiry: f64,
    /// `r`: risk-free rate.
    pub rate: f64,
    /// `q`: dividend yield.
    pub dividend: f64,
    /// `mu`: real-world expected return of the share.
    pub drift: f64,
    /// `vol`: realised volatility of the simulated paths.
    pub vol: f64,
    /// `hvol`: volatility the hedger prices and hedges with; `None` = same as `vol`.
    pub hedge_vol: Option<f64>,
    /// `type`: call or put.
    pub kind: OptionKind,
    /// `side`: long or short.
    pub side: Side,
    /// `qty`: number of options (positive; the side gives the sign).
    pub quantity: f64,
    /// `steps`: time steps over the life.
    pub steps: u64,
    /// `rule`: rebalancing rule.
    pub rule: RuleKind,
    /// `every`: steps between rebalances for `rule=every`.
    pub every: u64,
    /// `band`: half-width in delta per option for `rule=band`.
    pub band: f64,
    /// `to`: where `rule=band` trades to.
    pub band_target: BandTarget,
    /// `aversion`: Whalley–Wilmott risk aversion γ.
    pub aversion: f64,
    /// `fee`: fixed fee per trade.
    pub fee: f64,
    /// `cost`: proportional cost, fraction of traded notional.
    pub cost: f64,
    /// `impact`: market-impact coefficient (fraction of price per 1,000 shares).
    pub impact: f64,
    /// `settle`: physical or cash settlement at expiry.
    pub settlement: Settlement,
    /// `jumps`: expected jumps per year.
    pub jumps: f64,
    /// `jmean`: mean log-jump.
    pub jump_mean: f64,
    /// `jsd`: SD of the log-jump.
    pub jump_sd: f64,
    /// `paths`: Monte Carlo paths.
    pub paths: u64,
    /// `seed`: seed of the random streams.
    pub seed: u64,
}

impl Default for Scenario {
    /// The defaults of format version 1 (frozen: changing one changes what old
    /// links mean).
    fn default() -> Self {
        Scenario {
            spot: 100.0,
            strike: 100.0,
            expiry: 0.25,
            rate: 0.02,
            dividend: 0.0,
            drift: 0.05,
            vol: 0.2,
            hedge_vol: None,
            kind: OptionKind::Call,
            side: Side::Short,
            quantity: 100.0,
            steps: 63,
            rule: RuleKind::Every,
            every: 1,
            band: 0.05,
            band_target: BandTarget::Target,
            aversion: 1.0,
            fee: 0.0,
            cost: 0.001,
            impact: 0.0,
            settlement: Settlement::Cash,
            jumps: 0.0,
            jump_mean: -0.1,
            jump_sd: 0.1,
            paths: 2_000,
            seed: 1,
        }
    }
}

/// What values a field takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Allowed {
    /// A finite decimal number in `[min, max]` (or `(min, max]` when
    /// `min_exclusive`).
    Number {
        /// Lower bound.
        min: f64,
        /// Upper bound (inclusive).
        max: f64,
        /// Whether `min` itself is excluded.
        min_exclusive: bool,
    },
    /// A whole number in `[min, max]`.
    Integer {
        /// Lower bound.
        min: u64,
        /// Upper bound.
        max: u64,
    },
    /// One of the listed words.
    Choice(&'static [&'static str]),
}

impl fmt::Display for Allowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Allowed::Number {
                min,
                max,
                min_exclusive: false,
            } => write!(f, "a number from {min} to {max}"),
            Allowed::Number {
                min,
                max,
                min_exclusive: true,
            } => write!(f, "a number above {min} and at most {max}"),
            Allowed::Integer { min, max } => write!(f, "a whole number from {min} to {max}"),
            Allowed::Choice(words) => write!(f, "one of {}", words.join(", ")),
        }
    }
}

/// The description of one link key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldSpec {
    /// The key in the link.
    pub key: &'static str,
    /// What it is, in a few words.
    pub label: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// Allowed values.
    pub allowed: Allowed,
}

const fn number(min: f64, max: f64) -> Allowed {
    Allowed::Number {
        min,
        max,
        min_exclusive: false,
    }
}

const fn positive(max: f64) -> Allowed {
    Allowed::Number {
        min: 0.0,
        max,
        min_exclusive: true,
    }
}

const fn field(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    allowed: Allowed,
) -> FieldSpec {
    FieldSpec {
        key,
        label,
        unit,
        allowed,
    }
}

/// Every key of the link format, in canonical order (after `v`).
pub const FIELDS: &[FieldSpec] = &[
    field("s", "spot price at the start", "money", positive(1e6)),
    field("k", "strike", "money", positive(1e6)),
    field("t", "time to expiry", "years", positive(30.0)),
    field(
        "r",
        "risk-free rate",
        "per year, continuous",
        number(-0.5, 1.0),
    ),
    field(
        "q",
        "dividend yield",
        "per year, continuous",
        number(-0.5, 1.0),
    ),
    field(
        "mu",
        "real-world drift (expected return)",
        "per year, continuous",
        number(-2.0, 2.0),
    ),
    field(
        "vol",
        "realised volatility of the simulated paths",
        "per year, 0.2 = 20%",
        number(0.0, 5.0),
    ),
    field(
        "hvol",
        "volatility used to price and hedge (default: vol)",
        "per year, 0.2 = 20%",
        number(0.0, 5.0),
    ),
    field("type", "option type", "", Allowed::Choice(&["call", "put"])),
    field(
        "side",
        "long (bought) or short (written)",
        "",
        Allowed::Choice(&["long", "short"]),
    ),
    field("qty", "number of options", "options", positive(1e9)),
    field(
        "steps",
        "time steps over the life",
        "steps",
        Allowed::Integer {
            min: 1,
            max: 10_000,
        },
    ),
    field(
        "rule",
        "rebalancing rule",
        "",
        Allowed::Choice(&["none", "static", "every", "band", "ww"]),
    ),
    field(
        "every",
        "steps between rebalances (rule=every)",
        "steps",
        Allowed::Integer {
            min: 1,
            max: 10_000,
        },
    ),
    field(
        "band",
        "band half-width (rule=band)",
        "delta per option",
        number(0.0, 1.0),
    ),
    field(
        "to",
        "where a band rebalance trades to (rule=band)",
        "",
        Allowed::Choice(&["target", "edge"]),
    ),
    field(
        "aversion",
        "Whalley–Wilmott risk aversion γ (rule=ww)",
        "per money",
        positive(1e6),
    ),
    field("fee", "fixed fee per trade", "money", number(0.0, 1e6)),
    field(
        "cost",
        "proportional cost, fraction of traded notional",
        "fraction, 0.001 = 10 bps",
        number(0.0, 0.1),
    ),
    field(
        "impact",
        "market impact, fraction of price per 1,000 shares traded",
        "fraction",
        number(0.0, 1.0),
    ),
    field(
        "settle",
        "settlement at expiry",
        "",
        Allowed::Choice(&["cash", "physical"]),
    ),
    field(
        "jumps",
        "expected jumps per year",
        "per year",
        number(0.0, 250.0),
    ),
    field(
        "jmean",
        "mean of the log jump",
        "log return",
        number(-2.0, 2.0),
    ),
    field(
        "jsd",
        "standard deviation of the log jump",
        "log return",
        number(0.0, 2.0),
    ),
    field(
        "paths",
        "Monte Carlo paths (paths × steps at most 25,200,000)",
        "paths",
        Allowed::Integer {
            min: 1,
            max: 100_000,
        },
    ),
    field(
        "seed",
        "seed of the random numbers",
        "",
        Allowed::Integer {
            min: 0,
            max: 9_007_199_254_740_991,
        },
    ),
];

/// The spec of a key, if it is one.
pub fn field_spec(key: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|spec| spec.key == key)
}

/// A field's value, typed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// A decimal number.
    Number(f64),
    /// A whole number.
    Integer(u64),
    /// One of the allowed words.
    Word(&'static str),
    /// `hvol` when it follows `vol`.
    Unset,
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            // `{}` of an f64 is the shortest decimal that reads back to the same bits.
            Value::Number(x) => write!(f, "{x}"),
            Value::Integer(n) => write!(f, "{n}"),
            Value::Word(w) => f.write_str(w),
            Value::Unset => Ok(()),
        }
    }
}

/// A problem with one field of a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The key concerned (or the offending text when the key itself is unknown).
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// Show user text in a message: quoted, escaped, at most 40 characters.
fn shown(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    format!("{short:?}")
}

/// Percent-decode a query component (`+` is a space). Invalid escapes are kept as
/// they are; invalid UTF-8 is replaced.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| core::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_value(spec: &FieldSpec, raw: &str) -> Result<Value, ScenarioError> {
    let error = |message: String| ScenarioError {
        field: spec.key.to_string(),
        message,
    };
    let text = raw.trim();
    match spec.allowed {
        Allowed::Number {
            min,
            max,
            min_exclusive,
        } => {
            let looks_numeric = !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
            let value = match text.parse::<f64>() {
                Ok(v) if looks_numeric && v.is_finite() => v,
                _ => {
                    return Err(error(format!(
                        "{} is not a number; expected {} (unit: {})",
                        shown(raw),
                        spec.allowed,
                        spec.unit
                    )))
                }
            };
            let below = if min_exclusive {
                value <= min
            } else {
                value < min
            };
            if below || value > max {
                return Err(error(format!(
                    "{value} is out of range; expected {} (unit: {})",
                    spec.allowed, spec.unit
                )));
            }
            // Normalise −0 to 0 so printing is canonical.
            Ok(Value::Number(if value == 0.0 { 0.0 } else { value }))
        }
        Allowed::Integer { min, max } => {
            let value = if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
                text.parse::<u64>().ok()
            } else {
                None
            };
            match value {
                Some(v) if (min..=max).contains(&v) => Ok(Value::Integer(v)),
                Some(v) => Err(error(format!(
                    "{v} is out of range; expected {}",
                    spec.allowed
                ))),
                None => Err(error(format!(
                    "{} is not a whole number; expected {}",
                    shown(raw),
                    spec.allowed
                ))),
            }
        }
        Allowed::Choice(words) => words
            .iter()
            .find(|w| w.eq_ignore_ascii_case(text))
            .map(|w| Value::Word(w))
            .ok_or_else(|| {
                error(format!(
                    "{} is not allowed; expected {}",
                    shown(raw),
                    spec.allowed
                ))
            }),
    }
}

impl Scenario {
    /// Parse a link query string strictly: the first problem is an error.
    /// A leading `?` is ignored.
    pub fn parse(query: &str) -> Result<Scenario, ScenarioError> {
        let (scenario, mut errors) = Scenario::parse_lenient(query);
        if errors.is_empty() {
            Ok(scenario)
        } else {
            Err(errors.remove(0))
        }
    }

    /// Parse a link query string, replacing every bad field with its default and
    /// returning all the problems found (in the order met). Never fails.
    pub fn parse_lenient(query: &str) -> (Scenario, Vec<ScenarioError>) {
        let mut scenario = Scenario::default();
        let mut errors = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        let query = query.trim();
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (raw_key, raw_value) = match pair.split_once('=') {
                Some(kv) => kv,
                None => (pair, ""),
            };
            let key = percent_decode(raw_key);
            let value = percent_decode(raw_value);
            if key == "v" {
                if value.trim() != "1" {
                    errors.push(ScenarioError {
                        field: "v".into(),
                        message: format!(
                            "link format version {} is not supported; this version reads v=1",
                            shown(&value)
                        ),
                    });
                }
                continue;
            }
            let Some(spec) = field_spec(&key) else {
                errors.push(ScenarioError {
                    field: shown(&key),
                    message: format!(
                        "unknown key; the keys are v, {}",
                        FIELDS.iter().map(|s| s.key).collect::<Vec<_>>().join(", ")
                    ),
                });
                continue;
            };
            if seen.contains(&spec.key) {
                errors.push(ScenarioError {
                    field: spec.key.into(),
                    message: "appears more than once; give each key once".into(),
                });
                continue;
            }
            seen.push(spec.key);
            if !pair.contains('=') {
                errors.push(ScenarioError {
                    field: spec.key.into(),
                    message: format!("has no value; expected {}", spec.allowed),
                });
                continue;
            }
            match parse_value(spec, &value) {
                Ok(v) => scenario.set(spec.key, v),
                Err(e) => errors.push(e),
            }
        }
        // Cross-field limit: the total work of one run.
        if scenario.paths.saturating_mul(scenario.steps) > MAX_PATH_STEPS {
            errors.push(ScenarioError {
                field: "paths".into(),
                message: format!(
                    "paths × steps = {} × {} exceeds {MAX_PATH_STEPS}; use at most {} paths with {} steps",
                    scenario.paths,
                    scenario.steps,
                    (MAX_PATH_STEPS / scenario.steps).max(1),
                    scenario.steps
                ),
            });
            scenario.paths = Scenario::default()
                .paths
                .min(MAX_PATH_STEPS / scenario.steps)
                .max(1);
        }
        (scenario, errors)
    }

    /// The canonical link query string (without a leading `?`).
    pub fn to_query(&self) -> String {
        let defaults = Scenario::default();
        let mut out = format!("v={FORMAT_VERSION}");
        for spec in FIELDS {
            let value = self.get(spec.key);
            if value != defaults.get(spec.key) && value != Value::Unset {
                out.push('&');
                out.push_str(spec.key);
                out.push('=');
                out.push_str(&value.to_string());
            }
        }
        out
    }

    /// The value of the field with link key `key` (`Value::Unset` for an unknown
    /// key or an `hvol` that follows `vol`).
    pub fn get(&self, key: &str) -> Value {
        let word = |w: &'static str| Value::Word(w);
        match key {
            "s" => Value::Number(self.spot),
            "k" => Value::Number(self.strike),
            "t" => Value::Number(self.expiry),
            "r" => Value::Number(self.rate),
            "q" => Value::Number(self.dividend),
            "mu" => Value::Number(self.drift),
            "vol" => Value::Number(self.vol),
            "hvol" => self.hedge_vol.map_or(Value::Unset, Value::Number),
            "type" => word(match self.kind {
                OptionKind::Call => "call",
                OptionKind::Put => "put",
            }),
            "side" => word(match self.side {
                Side::Long => "long",
                Side::Short => "short",
            }),
            "qty" => Value::Number(self.quantity),
            "steps" => Value::Integer(self.steps),
            "rule" => word(match self.rule {
                RuleKind::None => "none",
                RuleKind::Static => "static",
                RuleKind::Every => "every",
                RuleKind::Band => "band",
                RuleKind::WhalleyWilmott => "ww",
            }),
            "every" => Value::Integer(self.every),
            "band" => Value::Number(self.band),
            "to" => word(match self.band_target {
                BandTarget::Target => "target",
                BandTarget::Edge => "edge",
            }),
            "aversion" => Value::Number(self.aversion),
            "fee" => Value::Number(self.fee),
            "cost" => Value::Number(self.cost),
            "impact" => Value::Number(self.impact),
            "settle" => word(match self.settlement {
                Settlement::Physical => "physical",
                Settlement::Cash => "cash",
            }),
            "jumps" => Value::Number(self.jumps),
            "jmean" => Value::Number(self.jump_mean),
            "jsd" => Value::Number(self.jump_sd),
            "paths" => Value::Integer(self.paths),
            "seed" => Value::Integer(self.seed),
            _ => Value::Unset,
        }
    }

    /// Set the field with link key `key` from an already-validated value (values
    /// of the wrong type are ignored).
    fn set(&mut self, key: &str, value: Value) {
        match (key, value) {
            ("s", Value::Number(x)) => self.spot = x,
            ("k", Value::Number(x)) => self.strike = x,
            ("t", Value::Number(x)) => self.expiry = x,
            ("r", Value::Number(x)) => self.rate = x,
            ("q", Value::Number(x)) => self.dividend = x,
            ("mu", Value::Number(x)) => self.drift = x,
            ("vol", Value::Number(x)) => self.vol = x,
            ("hvol", Value::Number(x)) => self.hedge_vol = Some(x),
            ("type", Value::Word(w)) => {
                self.kind = if w == "put" {
                    OptionKind::Put
                } else {
                    OptionKind::Call
                }
            }
            ("side", Value::Word(w)) => {
                self.side = if w == "long" { Side::Long } else { Side::Short }
            }
            ("qty", Value::Number(x)) => self.quantity = x,
            ("steps", Value::Integer(n)) => self.steps = n,
            ("rule", Value::Word(w)) => {
                self.rule = match w {
                    "none" => RuleKind::None,
                    "static" => RuleKind::Static,
                    "band" => RuleKind::Band,
                    "ww" => RuleKind::WhalleyWilmott,
                    _ => RuleKind::Every,
                }
            }
            ("every", Value::Integer(n)) => self.every = n,
            ("band", Value::Number(x)) => self.band = x,
            ("to", Value::Word(w)) => {
                self.band_target = if w == "edge" {
                    BandTarget::Edge
                } else {
                    BandTarget::Target
                }
            }
            ("aversion", Value::Number(x)) => self.aversion = x,
            ("fee", Value::Number(x)) => self.fee = x,
            ("cost", Value::Number(x)) => self.cost = x,
            ("impact", Value::Number(x)) => self.impact = x,
            ("settle", Value::Word(w)) => {
                self.settlement = if w == "cash" {
                    Settlement::Cash
                } else {
                    Settlement::Physical
                }
            }
            ("jumps", Value::Number(x)) => self.jumps = x,
            ("jmean", Value::Number(x)) => self.jump_mean = x,
            ("jsd", Value::Number(x)) => self.jump_sd = x,
            ("paths", Value::Integer(n)) => self.paths = n,
            ("seed", Value::Integer(n)) => self.seed = n,
            _ => {}
        }
    }

    /// Check a scenario built in code (not parsed) against the same rules as the
    /// link format: parse its own canonical form. Parsed scenarios always pass.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        for spec in FIELDS {
            let value = self.get(spec.key);
            if value == Value::Unset {
                continue;
            }
            parse_value(spec, &value.to_string())?;
        }
        Scenario::parse(&self.to_query()).map(|_| ())
    }

    /// The hedging vol: `hvol`, or `vol` when it is not set.
    pub fn hedging_vol(&self) -> f64 {
        self.hedge_vol.unwrap_or(self.vol)
    }

    /// Signed number of options: `+qty` long, `−qty` short.
    pub fn signed_quantity(&self) -> f64 {
        match self.side {
            Side::Long => self.quantity,
            Side::Short => -self.quantity,
        }
    }

    /// The time grid.
    pub fn grid(&self) -> TimeGrid {
        TimeGrid {
            horizon: self.expiry,
            steps: self.steps as usize,
        }
    }

    /// The option book (one leg).
    pub fn book(&self) -> Book {
        Book::single(OptionLeg {
            kind: self.kind,
            strike: self.strike,
            quantity: self.signed_quantity(),
        })
    }

    /// The hedger's pricing model.
    pub fn pricing_model(&self) -> PricingModel {
        PricingModel {
            rate: self.rate,
            dividend: self.dividend,
            vol: self.hedging_vol(),
        }
    }

    /// The rebalancing rule with its parameters.
    pub fn rebalance_rule(&self) -> RebalanceRule {
        match self.rule {
            RuleKind::None => RebalanceRule::None,
            RuleKind::Static => RebalanceRule::Static,
            RuleKind::Every => RebalanceRule::Every {
                interval: self.every as usize,
            },
            RuleKind::Band => RebalanceRule::Band {
                half_width: self.band,
                to: self.band_target,
            },
            RuleKind::WhalleyWilmott => RebalanceRule::WhalleyWilmott {
                risk_aversion: self.aversion,
            },
        }
    }

    /// The cost model.
    pub fn cost_model(&self) -> CostModel {
        CostModel {
            fee: self.fee,
            proportional: self.cost,
            impact: self.impact,
        }
    }

    /// The hedge setup for `rule` (the scenario's own rule or another one, for
    /// comparisons on the same paths).
    pub fn hedge_setup(&self, rule: RebalanceRule) -> HedgeSetup {
        HedgeSetup {
            book: self.book(),
            model: self.pricing_model(),
            rule,
            costs: self.cost_model(),
            settlement: self.settlement,
            grid: self.grid(),
        }
    }

    /// The path generator.
    pub fn path_model(&self) -> JumpDiffusion {
        JumpDiffusion {
            spot: self.spot,
            drift: self.drift,
            dividend: self.dividend,
            vol: self.vol,
            jumps: if self.jumps > 0.0 {
                Jumps {
                    intensity: self.jumps,
                    mean: self.jump_mean,
                    sd: self.jump_sd,
                }
            } else {
                Jumps::NONE
            },
            grid: self.grid(),
            seed: self.seed,
        }
    }
}
