//! What a link key is: its [`FieldSpec`] (unit, range, default, page control,
//! formatting for people), the typed [`Value`] it holds, and the words of the
//! keys that take one.
//!
//! The table itself is in [`super::fields`]; this file says what each column of
//! that table means and turns text into values. The table's data derive
//! [`serde::Serialize`]: the page reads it (through `web/mod.rs`) to build its
//! controls, so their labels, ranges, menus and help texts are written only here.
//!
//! **Tested by** `tests/scenario.rs` (parsing, ranges, messages) and
//! `tests/fields.rs` (the table is complete and consistent, the page and the
//! README follow it).

use core::fmt;

use serde::Serialize;

use super::legs::LegList;
use super::prices::Prices;
use super::{Scenario, ScenarioError};
use crate::history::date::Date;

/// What values a field takes. Serialized as `{"number": {min, max,
/// min_exclusive}}`, `{"integer": {min, max}}`, `{"choice": [{word, label}, …]}`
/// or `{"legs": {quantities}}`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
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
    Choice(&'static [Choice]),
    /// Option legs in the grammar of [`super::legs`]: with a signed quantity
    /// each (`legs`) or without (`with`).
    Legs {
        /// Whether each leg starts with its quantity.
        quantities: bool,
    },
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A price series in the `px` link format ([`crate::history::link`]).
    Prices,
}

/// One word a choice field accepts, and how the page shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// The word in the link (lower case; read case-insensitively).
    pub word: &'static str,
    /// What the page's menu says for it.
    pub label: &'static str,
}

impl Allowed {
    /// The words of a choice field (empty for numbers).
    pub fn words(&self) -> impl Iterator<Item = &'static str> {
        let choices: &'static [Choice] = match *self {
            Allowed::Choice(choices) => choices,
            _ => &[],
        };
        choices.iter().map(|c| c.word)
    }
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
            Allowed::Choice(_) => {
                write!(f, "one of {}", self.words().collect::<Vec<_>>().join(", "))
            }
            Allowed::Legs { quantities: true } => f.write_str(
                "legs joined by _, each <signed quantity><c|p><strike>[@<expiry in years>], e.g. -100c100_-100p100",
            ),
            Allowed::Legs { quantities: false } => f.write_str(
                "options joined by _, each <c|p><strike>[@<expiry in years>], e.g. c105@0.5_p95@0.5",
            ),
            Allowed::Date => f.write_str("a date YYYY-MM-DD, e.g. 1987-10-16"),
            Allowed::Prices => write!(
                f,
                "up to {} prices in the px format (base64url), as the page or the CLI writes it from a CSV",
                crate::history::link::MAX_LINK_PRICES
            ),
        }
    }
}

/// `[min, max]`, both included.
pub(super) const fn number(min: f64, max: f64) -> Allowed {
    Allowed::Number {
        min,
        max,
        min_exclusive: false,
    }
}

/// `(0, max]`.
pub(super) const fn positive(max: f64) -> Allowed {
    Allowed::Number {
        min: 0.0,
        max,
        min_exclusive: true,
    }
}

/// `[min, max]` for a whole number.
pub(super) const fn integer(min: u64, max: u64) -> Allowed {
    Allowed::Integer { min, max }
}

/// Where the page puts a field's control (serialized as its lower-case name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Always visible: the handful of controls that tell the story.
    Main,
    /// The underlying and the rates.
    Market,
    /// The options held.
    Position,
    /// How and how often the hedge is traded.
    Hedging,
    /// What trading costs beyond the proportional cost.
    Costs,
    /// Merton jumps in the simulated paths.
    Jumps,
    /// Heston's stochastic variance.
    Volatility,
    /// Portfolio insurance: the floor and CPPI's multiplier and cap.
    Insurance,
    /// Recorded prices: back-tests and bootstraps.
    History,
    /// Monte Carlo size and seed.
    Simulation,
}

impl Group {
    /// Every group, in the page's order.
    pub const ALL: [Group; 10] = [
        Group::Main,
        Group::Market,
        Group::Position,
        Group::Hedging,
        Group::Costs,
        Group::Jumps,
        Group::Volatility,
        Group::Insurance,
        Group::History,
        Group::Simulation,
    ];

    /// The group's heading on the page.
    pub fn title(self) -> &'static str {
        match self {
            Group::Main => "Main controls",
            Group::Market => "Market",
            Group::Position => "Position",
            Group::Hedging => "Hedging",
            Group::Costs => "Costs",
            Group::Jumps => "Jumps",
            Group::Volatility => "Stochastic volatility (Heston)",
            Group::Insurance => "Portfolio insurance",
            Group::History => "Price history",
            Group::Simulation => "Simulation",
        }
    }
}

/// The page's control for a field. Its range is what the control offers; a link
/// may hold any value in [`FieldSpec::allowed`] (the page widens a slider to show
/// it). Serialized with its kind as a member: `{"kind": "slider", min, max,
/// step}`, `{"kind": "number", min, max, step, placeholder}`, `{"kind": "select"}`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Control {
    /// A slider.
    Slider {
        /// Left end.
        min: f64,
        /// Right end.
        max: f64,
        /// Step.
        step: f64,
    },
    /// A number box.
    Number {
        /// Smallest value offered.
        min: f64,
        /// Largest value offered.
        max: f64,
        /// Step of the arrows; `None` accepts any value.
        step: Option<f64>,
        /// Text shown while the box is empty (`""` for none; only fields that
        /// may be unset are ever empty).
        placeholder: &'static str,
    },
    /// A menu of the field's [`Allowed::Choice`] words, shown by their labels.
    Select,
    /// A line of text in the field's grammar ([`Allowed::Legs`], [`Allowed::Date`]).
    Text {
        /// Text shown while the box is empty.
        placeholder: &'static str,
    },
    /// The reader's prices: a file picker and drop zone for a CSV, read in the
    /// page into the key's value.
    Prices,
}

/// A number box accepting any value in `[min, max]`.
pub(super) const fn any_number(min: f64, max: f64) -> Control {
    Control::Number {
        min,
        max,
        step: None,
        placeholder: "",
    }
}

/// A number box with arrows that move by `step`.
pub(super) const fn stepped(min: f64, max: f64, step: f64) -> Control {
    Control::Number {
        min,
        max,
        step: Some(step),
        placeholder: "",
    }
}

/// A slider.
pub(super) const fn slider(min: f64, max: f64, step: f64) -> Control {
    Control::Slider { min, max, step }
}

/// Everything about one link key: one row of [`super::FIELDS`]. Serialized
/// without its functions (what it shows of a scenario is the page's to ask).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct FieldSpec {
    /// The key in the link.
    pub key: &'static str,
    /// What it is, in a few words (the README's table and error messages).
    pub description: &'static str,
    /// The page's label for its control.
    pub label: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// Allowed values.
    pub allowed: Allowed,
    /// Where the page puts its control.
    pub group: Group,
    /// The page's control.
    pub control: Control,
    /// A sentence of help under the page's control (`""` for none).
    pub help: &'static str,
    /// The field's value in a scenario, as people read it (`"20%"`, `"91.3 days"`).
    #[serde(skip)]
    pub shown: fn(&Scenario) -> String,
    /// Reads the field.
    #[serde(skip)]
    pub(super) read: fn(&Scenario) -> Value,
    /// Writes the field; `false` when the value has the wrong type.
    #[serde(skip)]
    pub(super) write: fn(&mut Scenario, Value) -> bool,
}

impl FieldSpec {
    /// The field's value in `scenario`.
    pub fn get(&self, scenario: &Scenario) -> Value {
        (self.read)(scenario)
    }

    /// The field's default ([`Value::Unset`] for `hvol`, which follows `vol`).
    pub fn default_value(&self) -> Value {
        self.get(&Scenario::default())
    }

    /// Parse and check `raw` (already percent-decoded) as this field's value.
    pub fn parse(&self, raw: &str) -> Result<Value, ScenarioError> {
        parse_value(self, raw)
    }

    /// Store an already-checked value; an error names the field when the value
    /// has the wrong type for it.
    pub(super) fn store(&self, scenario: &mut Scenario, value: Value) -> Result<(), ScenarioError> {
        let shown = format!("{value:?}");
        if (self.write)(scenario, value) {
            Ok(())
        } else {
            Err(ScenarioError {
                field: self.key.to_string(),
                message: format!(
                    "{shown} is the wrong kind of value; expected {}",
                    self.allowed
                ),
            })
        }
    }
}

/// A field's value, typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A decimal number.
    Number(f64),
    /// A whole number.
    Integer(u64),
    /// One of the allowed words.
    Word(&'static str),
    /// Option legs ([`Allowed::Legs`]); empty when the key is not used.
    Legs(LegList),
    /// A calendar date.
    Date(Date),
    /// The reader's prices ([`Allowed::Prices`]); empty when the key is not used.
    Prices(Prices),
    /// `hvol` when it follows `vol`.
    Unset,
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // `{}` of an f64 is the shortest decimal that reads back to the same bits.
            Value::Number(x) => write!(f, "{x}"),
            Value::Integer(n) => write!(f, "{n}"),
            Value::Word(w) => f.write_str(w),
            Value::Legs(legs) => write!(f, "{legs}"),
            Value::Date(date) => write!(f, "{date}"),
            Value::Prices(prices) => write!(f, "{prices}"),
            Value::Unset => Ok(()),
        }
    }
}

/// A Rust type a field can have: how it becomes a [`Value`] and back.
pub trait FieldValue: Sized {
    /// The value of `self`.
    fn to_value(&self) -> Value;
    /// `None` when `value` has another type.
    fn from_value(value: Value) -> Option<Self>;
}

impl FieldValue for f64 {
    fn to_value(&self) -> Value {
        Value::Number(*self)
    }
    fn from_value(value: Value) -> Option<f64> {
        match value {
            Value::Number(x) => Some(x),
            _ => None,
        }
    }
}

impl FieldValue for u64 {
    fn to_value(&self) -> Value {
        Value::Integer(*self)
    }
    fn from_value(value: Value) -> Option<u64> {
        match value {
            Value::Integer(n) => Some(n),
            _ => None,
        }
    }
}

/// An optional number: unset follows another field (`hvol` follows `vol`).
impl FieldValue for Option<f64> {
    fn to_value(&self) -> Value {
        self.map_or(Value::Unset, Value::Number)
    }
    fn from_value(value: Value) -> Option<Option<f64>> {
        match value {
            Value::Number(x) => Some(Some(x)),
            Value::Unset => Some(None),
            _ => None,
        }
    }
}

/// A list of option legs (`legs`, `with`).
impl FieldValue for LegList {
    fn to_value(&self) -> Value {
        Value::Legs(self.clone())
    }
    fn from_value(value: Value) -> Option<LegList> {
        match value {
            Value::Legs(legs) => Some(legs),
            _ => None,
        }
    }
}

/// An optional date: unset takes its meaning from the series (`from`, `until`).
impl FieldValue for Option<Date> {
    fn to_value(&self) -> Value {
        self.map_or(Value::Unset, Value::Date)
    }
    fn from_value(value: Value) -> Option<Option<Date>> {
        match value {
            Value::Date(d) => Some(Some(d)),
            Value::Unset => Some(None),
            _ => None,
        }
    }
}

/// The reader's prices (`px`).
impl FieldValue for Prices {
    fn to_value(&self) -> Value {
        Value::Prices(self.clone())
    }
    fn from_value(value: Value) -> Option<Prices> {
        match value {
            Value::Prices(p) => Some(p),
            _ => None,
        }
    }
}

/// An enum whose variants are the words of a choice field.
pub trait LinkWord: Copy + 'static {
    /// The words, in the order the link format lists them, with the page's labels.
    const CHOICES: &'static [Choice];
    /// The word of this variant.
    fn word(self) -> &'static str;
    /// The variant of a word (exactly as listed in [`Self::CHOICES`]).
    fn from_word(word: &str) -> Option<Self>;
}

/// Implements [`LinkWord`] and [`FieldValue`] for an enum: each variant with its
/// link word and the label the page's menu shows.
macro_rules! link_words {
    ($ty:ty { $($variant:ident = $word:literal: $label:literal),+ $(,)? }) => {
        impl $crate::scenario::LinkWord for $ty {
            const CHOICES: &'static [$crate::scenario::Choice] = &[
                $($crate::scenario::Choice { word: $word, label: $label }),+
            ];
            fn word(self) -> &'static str {
                match self {
                    $(<$ty>::$variant => $word),+
                }
            }
            fn from_word(word: &str) -> Option<Self> {
                match word {
                    $($word => Some(<$ty>::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::scenario::FieldValue for $ty {
            fn to_value(&self) -> $crate::scenario::Value {
                $crate::scenario::Value::Word($crate::scenario::LinkWord::word(*self))
            }
            fn from_value(value: $crate::scenario::Value) -> Option<Self> {
                match value {
                    $crate::scenario::Value::Word(w) => $crate::scenario::LinkWord::from_word(w),
                    _ => None,
                }
            }
        }
    };
}
pub(super) use link_words;

/// Declares the [`Scenario`] struct, its [`Default`] and the table [`super::FIELDS`]
/// from one list: each entry is a struct field with its type and default, its
/// link key and description, then the rest of its [`FieldSpec`]. So a new key is
/// one entry here (plus the code that uses it).
macro_rules! scenario_fields {
    ($(
        $field:ident: $ty:ty = $default:expr; key $key:literal, $description:literal {
            $($column:ident: $value:expr),+ $(,)?
        }
    )+) => {
        /// A complete, reproducible scenario: one field per link key. The keys,
        /// units, defaults and ranges are in [`FIELDS`] (and the README's table,
        /// which a test keeps equal to it).
        #[derive(Clone, Debug, PartialEq)]
        pub struct Scenario {
            $(
                #[doc = concat!("`", $key, "`: ", $description, ".")]
                pub $field: $ty,
            )+
        }

        impl Default for Scenario {
            /// The defaults of format version 1 (frozen: changing one changes what
            /// old links mean).
            fn default() -> Self {
                Scenario { $($field: $default,)+ }
            }
        }

        /// Every key of the link format, in canonical order (after `v`).
        pub const FIELDS: &[FieldSpec] = &[$(
            FieldSpec {
                key: $key,
                description: $description,
                read: |s: &Scenario| $crate::scenario::FieldValue::to_value(&s.$field),
                write: |s: &mut Scenario, v: Value| {
                    match <$ty as $crate::scenario::FieldValue>::from_value(v) {
                        Some(x) => {
                            s.$field = x;
                            true
                        }
                        None => false,
                    }
                },
                $($column: $value,)+
            },
        )+];
    };
}
pub(super) use scenario_fields;

/// Show user text in a message: quoted, escaped, at most 40 characters.
pub(super) fn shown(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    format!("{short:?}")
}

/// A number as an error message gives it: as `Display` writes it (`-0.2`)
/// unless that runs long — `1e308` has 309 digits — then in exponent form, so
/// that a message stays short whatever was typed.
pub(crate) fn shown_number(value: f64) -> String {
    let plain = value.to_string();
    if plain.len() <= 24 {
        plain
    } else {
        format!("{value:e}")
    }
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
            // Rust's float grammar is a decimal (sign, digits, point, exponent)
            // or inf, infinity and NaN: the finite ones are the numbers a link
            // may hold (no hex, no `_`, no `,`).
            let value = match text.parse::<f64>() {
                Ok(v) if v.is_finite() => v,
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
                    "{} is out of range; expected {} (unit: {})",
                    shown_number(value),
                    spec.allowed,
                    spec.unit
                )));
            }
            // Normalise −0 to 0 so printing is canonical.
            Ok(Value::Number(if value == 0.0 { 0.0 } else { value }))
        }
        Allowed::Integer { min, max } => {
            // Digits only: `u64`'s parser would also take a leading `+`.
            let value = if text.chars().all(|c| c.is_ascii_digit()) {
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
        Allowed::Choice(choices) => choices
            .iter()
            .find(|c| c.word.eq_ignore_ascii_case(text))
            .map(|c| Value::Word(c.word))
            .ok_or_else(|| {
                error(format!(
                    "{} is not allowed; expected {}",
                    shown(raw),
                    spec.allowed
                ))
            }),
        Allowed::Legs { quantities } => LegList::parse(text, quantities)
            .map(Value::Legs)
            .map_err(|e| error(e.to_string())),
        Allowed::Date => Date::parse(text).map(Value::Date).ok_or_else(|| {
            error(format!(
                "{} is not a date; expected {}",
                shown(raw),
                spec.allowed
            ))
        }),
        Allowed::Prices => Prices::parse(text).map(Value::Prices).map_err(error),
    }
}
