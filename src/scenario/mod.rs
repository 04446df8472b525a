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
//! The keys themselves — type, default, range, unit, description and page
//! control of each — are one table, [`FIELDS`], declared with the struct in
//! `fields.rs`; `spec.rs` says what the table's columns mean, `words.rs` gives the
//! words of the choice keys, `people.rs` formats values for the page.
//!
//! **Tested by** `tests/scenario.rs`: the round trip as a property test over random
//! scenarios built from the table, defaults, every error message, hostile input,
//! the lenient reading's fallbacks; `tests/fields.rs`: the table itself, the
//! README's table and the page follow it; the rules between fields by the tests
//! of what they guard: `tests/insurance_link.rs` (an unaffordable floor),
//! `tests/heston_hedge.rs` (`price=heston`'s needs), `tests/legs.rs` (books and
//! hedge options), `tests/backtest.rs` (windows and their work).

use core::fmt;

mod fields;
pub mod legs;
pub mod people;
pub mod prices;
mod spec;
mod words;

pub use fields::{Scenario, FIELDS};
pub use legs::{LegError, LegList, LegSpec};
pub use prices::Prices;
use spec::shown;
pub(crate) use spec::shown_number;
pub use spec::{Allowed, Choice, Control, FieldSpec, FieldValue, Group, LinkWord, Value};

/// The link-format version this code reads and writes.
pub const FORMAT_VERSION: u64 = 1;

use crate::hedging::greeks::GreekTargets;
pub use crate::hedging::greeks::MAX_HEDGE_OPTIONS;
use crate::insurance::InsuranceKind;

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

/// Which model moves the simulated price.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathModelKind {
    /// Geometric Brownian motion at the realised vol `vol` (Merton jumps with
    /// `jumps` > 0).
    Gbm,
    /// Heston's stochastic variance (`v0`, `kappa`, `theta`, `xi`, `rho`);
    /// with `jumps` > 0, Bates.
    Heston,
    /// Paths resampled from the daily returns of the series `hist` between
    /// `from` and `until`, in blocks of mean length `block` days.
    Bootstrap,
}

/// Which bundled price history the scenario uses, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SeriesKind {
    /// None: simulated paths (or the reader's `px`).
    None,
    /// The S&P 500 index, 1950–2018.
    Sp500,
    /// The Dow Jones Industrial Average, 1885–2023.
    Djia,
}

impl SeriesKind {
    /// The bundled series, `None` for none.
    pub fn bundled(self) -> Option<crate::history::bundled::Bundled> {
        use crate::history::bundled::Bundled;
        match self {
            SeriesKind::None => None,
            SeriesKind::Sp500 => Some(Bundled::Sp500),
            SeriesKind::Djia => Some(Bundled::Djia),
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

/// The spec of a key, if it is one.
pub fn field_spec(key: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|spec| spec.key == key)
}

/// The error for a key that is not in [`FIELDS`], listing the keys there are.
fn unknown_key(key: &str) -> ScenarioError {
    ScenarioError {
        field: shown(key),
        message: format!(
            "unknown key; the keys are v, {}",
            FIELDS.iter().map(|s| s.key).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Percent-decode a query component (`+` is a space) with `form_urlencoded`:
/// invalid escapes are kept as they are, invalid UTF-8 is replaced.
fn percent_decode(text: &str) -> String {
    // A component holds no `&` or `=` of its own here, so it decodes as one
    // key with an empty value.
    form_urlencoded::parse(text.as_bytes())
        .next()
        .map(|(decoded, _)| decoded.into_owned())
        .unwrap_or_default()
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
                errors.push(unknown_key(&key));
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
            if let Err(e) = spec
                .parse(&value)
                .and_then(|v| spec.store(&mut scenario, v))
            {
                errors.push(e);
            }
        }
        errors.extend(scenario.check_book(&seen));
        errors.extend(scenario.check_hedge_options());
        errors.extend(scenario.check_history());
        errors.extend(scenario.check_insurance());
        errors.extend(scenario.check_pricing());
        // Cross-field limit: the total work of one run (recorded prices have
        // their own, checked with them).
        if !scenario.uses_history()
            && scenario.model != PathModelKind::Bootstrap
            && scenario.paths.saturating_mul(scenario.steps) > MAX_PATH_STEPS
        {
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
            // The default paths fit with the most steps a link allows
            // (tests/scenario.rs checks), so the scenario runs.
            scenario.paths = Scenario::default().paths;
        }
        (scenario, errors)
    }

    /// The canonical link query string (without a leading `?`).
    pub fn to_query(&self) -> String {
        let mut out = format!("v={FORMAT_VERSION}");
        for spec in FIELDS {
            let value = spec.get(self);
            if value != spec.default_value() && value != Value::Unset {
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
        field_spec(key).map_or(Value::Unset, |spec| spec.get(self))
    }

    /// Set the field with link key `key` from its text (percent-decoded), checked
    /// exactly as the parser checks it, the rules between fields included (the
    /// result is the scenario its canonical link reads as). An unknown key or a
    /// bad value is an error naming the field; the scenario is then unchanged.
    pub fn set(&mut self, key: &str, text: &str) -> Result<(), ScenarioError> {
        let spec = field_spec(key).ok_or_else(|| unknown_key(key))?;
        let value = spec.parse(text)?;
        let mut candidate = self.clone();
        spec.store(&mut candidate, value)?;
        *self = Scenario::parse(&candidate.to_query())?;
        Ok(())
    }

    /// The history keys, after every key is read: the windows or bootstrap
    /// they ask for must exist in the series and fit the work cap. On an error
    /// the keys go back to their defaults (simulated paths), so the scenario
    /// stays runnable, and the error names the key at fault.
    fn check_history(&mut self) -> Vec<ScenarioError> {
        let result = crate::history::source::paths_of(self).and_then(|paths| {
            use crate::history::source::HistoryPaths;
            use crate::paths::PathSource;
            let (field, work, per_path) = match &paths {
                None => return Ok(()),
                Some(HistoryPaths::Replay(replay)) => (
                    "roll",
                    (0..replay.windows() as u64)
                        .map(|i| replay.grid(i).steps as u64)
                        .sum::<u64>(),
                    None,
                ),
                Some(HistoryPaths::Bootstrap(boot, _)) => {
                    let steps = boot.grid().steps as u64;
                    ("paths", self.paths.saturating_mul(steps), Some(steps))
                }
            };
            if work <= MAX_PATH_STEPS {
                return Ok(());
            }
            Err(crate::history::window::FieldError {
                field,
                message: match per_path {
                    Some(steps) => format!(
                        "paths × daily steps = {} × {steps} exceeds {MAX_PATH_STEPS}; use at most {} paths",
                        self.paths,
                        (MAX_PATH_STEPS / steps).max(1)
                    ),
                    None => format!(
                        "the windows hold {work} steps in all, more than {MAX_PATH_STEPS}: roll less often, shorten t or from … until"
                    ),
                },
            })
        });
        match result {
            Ok(()) => Vec::new(),
            Err(e) => {
                let defaults = Scenario::default();
                self.series = defaults.series;
                self.prices = defaults.prices;
                self.from = defaults.from;
                self.until = defaults.until;
                self.roll = defaults.roll;
                if self.model == PathModelKind::Bootstrap {
                    self.model = defaults.model;
                }
                vec![ScenarioError {
                    field: e.field.to_string(),
                    message: e.message,
                }]
            }
        }
    }

    /// The insurance's rules, after every key is read: the bought put must be
    /// affordable (a floor above what `V_0` buys at the horizon is not) on
    /// every path's clock. On an error `insure` goes back to its default.
    fn check_insurance(&mut self) -> Vec<ScenarioError> {
        if self.insure == InsuranceKind::Unprotected {
            return Vec::new();
        }
        let plan = crate::plan::Plan::new(self);
        let windows = plan.path_model.replay().map_or(1, |r| r.windows() as u64);
        for index in 0..windows {
            let (grid, vol) = match plan.path_model.replay() {
                Some(replay) => (replay.grid(index), replay.hedging_vol(index)),
                None => (plan.grid.clone(), plan.model.vol),
            };
            for kind in [InsuranceKind::BoughtPut, InsuranceKind::SyntheticPut] {
                let Some(setup) = plan.insurance_setup(kind, plan.rule, grid.clone(), vol) else {
                    continue;
                };
                if let Err(e) = crate::insurance::Insurer::new(setup) {
                    self.insure = InsuranceKind::Unprotected;
                    return vec![ScenarioError {
                        field: "floor".into(),
                        message: format!(
                            "{e}; lower the floor (at most about e^(r·t) less trading costs of the starting value)"
                        ),
                    }];
                }
            }
        }
        Vec::new()
    }

    /// `price=heston` (or `heston-mv`) needs Heston paths (the hedger prices with their model),
    /// a book expiring at the horizon, shares alone as the hedge and no
    /// insurance; otherwise it goes back to `bs`, and the error names `price`.
    fn check_pricing(&mut self) -> Vec<ScenarioError> {
        use crate::hedging::heston_pricer::HedgePricing;
        if self.pricing == HedgePricing::BlackScholes {
            return Vec::new();
        }
        let message = if self.model != PathModelKind::Heston {
            Some(format!(
                "price={} prices with the paths' Heston model; set model=heston (model={}) or use price=bs",
                self.pricing.word(),
                self.model.word()
            ))
        } else if self.greeks != GreekTargets::Delta {
            Some(format!(
                "price={} hedges with shares alone; use greeks=delta (greeks={}) or price=bs",
                self.pricing.word(),
                self.greeks.word()
            ))
        } else if self
            .book_legs()
            .iter()
            .any(|leg| leg.expiry.is_some_and(|e| e > self.expiry))
        {
            Some(format!("price={} needs every leg to expire at t (no @ later than t); use price=bs for a calendar", self.pricing.word()))
        } else if self.insure != InsuranceKind::Unprotected {
            Some(format!(
                "price={} hedges an option book; use price=bs with insure",
                self.pricing.word()
            ))
        } else {
            None
        };
        match message {
            None => Vec::new(),
            Some(message) => {
                self.pricing = HedgePricing::BlackScholes;
                vec![ScenarioError {
                    field: "price".into(),
                    message,
                }]
            }
        }
    }

    /// The single-option keys, which `legs` replaces.
    pub const SINGLE_OPTION_KEYS: [&'static str; 4] = ["type", "side", "qty", "k"];

    /// Keys that have no effect in this scenario because another key replaces
    /// them (the single-option keys while `legs` holds a book; `vol` under
    /// Heston, whose variance moves): the page greys their controls out and
    /// leaves them out of the link.
    pub fn superseded_keys(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        if !self.legs.is_empty() {
            keys.extend(Scenario::SINGLE_OPTION_KEYS);
        }
        if self.model == PathModelKind::Heston {
            keys.push("vol");
        } else {
            keys.push("price");
        }
        if self.pricing != crate::hedging::heston_pricer::HedgePricing::BlackScholes {
            keys.push("hvol"); // the hedger prices with the paths' own model
        }
        let replay = self.uses_history() && self.model != PathModelKind::Bootstrap;
        if replay || self.model == PathModelKind::Bootstrap {
            // Recorded prices or returns move the price, one step a day.
            keys.extend(["vol", "jumps", "jmean", "jsd", "steps"]);
        }
        if replay {
            // A replay's paths are its windows.
            keys.extend(["mu", "paths", "seed"]);
            if self.prices.series().is_some_and(|p| p.dates.is_some()) {
                keys.push("t"); // dated prices have their own span
            }
        }
        if !self.uses_history() {
            keys.extend(["from", "until", "roll"]);
        } else if self.roll == 0 && self.model != PathModelKind::Bootstrap {
            keys.push("until");
        }
        if self.model != PathModelKind::Bootstrap {
            keys.push("block");
        }
        if self.insure == InsuranceKind::Unprotected {
            keys.extend(["floor", "mult", "cap"]);
        } else {
            // A portfolio of qty shares, not an option book.
            keys.extend(["type", "side", "k", "legs", "greeks", "with", "settle"]);
            if self.insure != InsuranceKind::Cppi {
                keys.extend(["mult", "cap"]);
            }
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// The rules between the book's keys, after every key is read (`given`: the
    /// keys the link gave). A bad `legs` is dropped (the single option stays);
    /// a one-leg book expiring at the horizon becomes the single-option keys, so
    /// that it prints as old links do.
    fn check_book(&mut self, given: &[&str]) -> Vec<ScenarioError> {
        let mut errors = Vec::new();
        if self.legs.is_empty() {
            return errors;
        }
        let both: Vec<&str> = Scenario::SINGLE_OPTION_KEYS
            .into_iter()
            .filter(|key| given.contains(key))
            .collect();
        if !both.is_empty() {
            errors.push(ScenarioError {
                field: "legs".into(),
                message: format!(
                    "cannot be given with {} (type, side, qty and k describe a one-option book); give the book in legs only, or leave legs out",
                    both.join(", ")
                ),
            });
        } else if let Some((index, leg)) = self
            .legs
            .legs()
            .iter()
            .enumerate()
            .find(|(_, leg)| leg.expiry.is_some_and(|e| e < self.expiry))
        {
            errors.push(ScenarioError {
                field: "legs".into(),
                message: format!(
                    "leg {} ({leg}) expires at {} years, before the horizon t = {}; a leg expires at t (no @) or later",
                    index + 1,
                    leg.expiry.unwrap_or(self.expiry),
                    self.expiry
                ),
            });
        }
        if !errors.is_empty() {
            self.legs = LegList::default();
            return errors;
        }
        self.normalise_one_leg();
        errors
    }

    /// A one-leg `legs` expiring at the horizon is the single-option keys.
    fn normalise_one_leg(&mut self) {
        if let [leg] = self.legs.legs() {
            if leg.expiry.is_none() {
                let quantity = leg.quantity.unwrap_or(0.0);
                self.kind = leg.kind;
                self.strike = leg.strike;
                self.side = if quantity.is_sign_negative() {
                    Side::Short
                } else {
                    Side::Long
                };
                self.quantity = quantity.abs();
                self.legs = LegList::default();
            }
        }
    }

    /// The rules of the hedge options (`with`), after every key is read: at
    /// most [`MAX_HEDGE_OPTIONS`], none expiring before the horizon, and at least
    /// one per Greek that `greeks` neutralises besides delta. A bad `with` is
    /// dropped, and `greeks` with it when it needs hedge options.
    fn check_hedge_options(&mut self) -> Vec<ScenarioError> {
        let options = self.hedge_options.legs();
        let needed = self.greeks.option_greeks();
        let message = if options.len() > MAX_HEDGE_OPTIONS {
            Some(format!(
                "{} hedge options; at most {MAX_HEDGE_OPTIONS}",
                options.len()
            ))
        } else if let Some((index, option)) = options
            .iter()
            .enumerate()
            .find(|(_, o)| o.expiry.is_some_and(|e| e < self.expiry))
        {
            Some(format!(
                "hedge option {} ({option}) expires before the horizon t = {}; a hedge option expires at t (no @) or later",
                index + 1,
                self.expiry
            ))
        } else if options.len() < needed {
            Some(format!(
                "greeks={} needs at least {needed} hedge option{}, {} given; list them as <c|p><strike>[@<expiry>] joined by _, e.g. c105@0.5",
                self.greeks.word(),
                if needed == 1 { "" } else { "s" },
                options.len()
            ))
        } else {
            None
        };
        match message {
            None => Vec::new(),
            Some(message) => {
                // Without hedge options the Greeks go back to delta alone
                // (the default: the only targets that need none).
                self.hedge_options = LegList::default();
                self.greeks = Scenario::default().greeks;
                vec![ScenarioError {
                    field: "with".into(),
                    message,
                }]
            }
        }
    }

    /// Check a scenario built in code (not parsed) against the same rules as the
    /// link format: parse its own canonical form. Parsed scenarios always pass.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        // Every field that differs from its default is in the canonical form,
        // so the parser sees each one (and the rules between them).
        Scenario::parse(&self.to_query()).map(|_| ())
    }

    /// The hedging vol: `hvol`, or when it is not set `vol` (GBM) or the
    /// initial vol `√v0` (Heston).
    pub fn hedging_vol(&self) -> f64 {
        if let Some(vol) = self.hedge_vol {
            return vol;
        }
        match crate::history::source::paths_of(self) {
            Ok(Some(paths)) => paths.hedging_vol(0),
            _ if self.model == PathModelKind::Heston => libm::sqrt(self.v0),
            _ => self.vol,
        }
    }

    /// Whether the paths come from recorded prices (`hist` or `px`) rather
    /// than a simulation.
    pub fn uses_history(&self) -> bool {
        self.series != SeriesKind::None || !self.prices.is_empty()
    }

    /// The book as legs: `legs`, or the one option of `type`, `side`, `qty`
    /// and `k` (expiring at the horizon).
    pub fn book_legs(&self) -> Vec<LegSpec> {
        if self.legs.is_empty() {
            vec![LegSpec {
                quantity: Some(self.signed_quantity()),
                kind: self.kind,
                strike: self.strike,
                expiry: None,
            }]
        } else {
            self.legs.legs().to_vec()
        }
    }

    /// Signed number of options: `+qty` long, `−qty` short.
    pub fn signed_quantity(&self) -> f64 {
        match self.side {
            Side::Long => self.quantity,
            Side::Short => -self.quantity,
        }
    }
}
