//! Machine-readable output: how every result is written as JSON and CSV, in one
//! place, so that the CLI and the page's JS API produce *the same bytes* for the
//! same scenario.
//!
//! The result types derive [`serde::Serialize`]: a type's field names are its JSON
//! members and its CSV columns, in declaration order. Where a result's JSON is shaped
//! differently from the type in memory (the summary nests `pnl`, `trades` and
//! `costs`; a comparison's rows carry their own performance), a private view
//! struct below gives the shape. `serde_json` writes the JSON and the `csv` crate
//! the CSV; no JSON or CSV is spelled out by hand.
//!
//! ## Numbers
//!
//! - **JSON**: Rust's shortest round-trip `{:?}` of `f64` (reads back to the same
//!   bits), `null` when not finite. serde_json's own formatting is also
//!   shortest round trip but picks another notation at some magnitudes (it
//!   writes `0.00005` and `1e+16` where `{:?}` writes `5e-5` and `1e16`), so
//!   [`JsonFormatter`] prints `f64` with `{:?}` to keep the bytes the page and
//!   the CLI have always printed. It also writes every escaped control character
//!   as `\u00XX` (serde_json would write `\n`, `\t`, …).
//! - **CSV**: `Display` (`{}`) of `f64`: never an exponent (`0.0000001`,
//!   `10000000000000000`), integers without `.0`, `NaN`, `inf`. The csv crate
//!   would write `ryu`'s `1e-7`, `1e16` and `1.0`, so the rows go through a small
//!   adapter (`CsvCells`) that hands the csv crate each float already
//!   formatted with `Display`. Fields are quoted by the csv crate only when they
//!   hold a comma, a quote or a line break (no rule label does).
//!
//! ## Schemas
//!
//! The `summary` JSON ([`summary_json`]), in this order:
//! `scenario` (canonical link), `premium`, `paths`,
//! `pnl` {`mean`, `sd`, `p5`, `p50`, `p95`, `var95`, `es95`, `min`, `max`},
//! `performance`, `trades` {`mean`}, `costs` {`mean`},
//! `greeks` {`value`, `delta`, `gamma`, `vega`, `theta`, `rho`} (of the position),
//! `derman_kamal_sd`, `leland_vol` (or `null`),
//! `histogram` {`start`, `width`, `counts`},
//! and for an insured portfolio (`insure`) `insurance` {`floor` (money at the
//! horizon), `breach` (share of paths ending below it), `shortfall` (mean
//! amount below it on those paths, `null` when none), `upside` (mean terminal
//! value ÷ the unprotected portfolio's, `null` when that is 0)}. An insured portfolio's `pnl` is its
//! terminal value less its starting value, in money at the horizon; its
//! `premium` the protection's cost (the puts' value; 0 for CPPI).
//!
//! The `compare` JSON ([`comparison_json`]): `scenario`, `premium`, `strategies`
//! [{`rule`, `pnl` {as above}, `performance`, `trades` {`mean`}, `costs`
//! {`mean`}}, …] for `none`, `static` and the scenario's rule; as CSV
//! ([`comparison_csv`]): `rule,mean,sd,p5,p50,p95,var95,es95,performance,mean_trades,mean_costs`.
//!
//! The `frontier` JSON ([`frontier_json`]): `scenario`, `parameter`, `current`
//! (index of the scenario's own point, or `null`), `points` [{`value`,
//! `mean_costs`, `sd_pnl`, `mean_pnl`, `mean_trades`}, …]; as CSV
//! ([`frontier_csv`]): the same columns with `value` named after the swept key
//! (`band`, `every` or `aversion`), then `current` (1 on the scenario's own row).
//!
//! The `path` JSON ([`path_json`]): `scenario`, `index`, (for a window of dated
//! prices `from`, `until`,) `pnl`, `trades`, `costs`.
//!
//! A path's ledger ([`ledger_csv`], [`ledger_json`]), one row per date:
//! `step,time,spot,variance,target,held,trade,cost,cash,book_value,marked,pnl,position_delta,position_gamma,position_vega,gamma_pnl,theta_pnl,hedge_pnl,financing_pnl,cost_pnl,residual_pnl`;
//! for recorded prices with dates also `date` (`YYYY-MM-DD`, after `time`);
//! with hedge options also `options_pnl` (before `residual_pnl`), `options_value` (after
//! `marked`) and `option1_held`, `option1_trade`, `option1_cost`, … for each hedge option, last
//! (money not discounted).
//!
//! **Tested by** `tests/report.rs`: the JSON parses and its numbers read back to
//! the same bits; members, columns and their order against the lists above; JSON
//! numbers equal `{:?}` and CSV cells `Display` at the magnitudes where serde_json
//! and the csv crate would write otherwise; `tests/threads.rs`: the same bytes on
//! any number of threads.

use serde::ser::{self, Impossible, SerializeStruct, SerializeTuple, Serializer};
use serde::Serialize;

use crate::hedging::greeks::GreekTargets;
use crate::hedging::hedger::{LedgerRow, PathOutcome};
use crate::history::date::Date;
use crate::insurance::InsuranceRow;
use crate::plan::Plan;
use crate::pricing::black_scholes::Greeks;
use crate::results::analysis::{performance, Comparison, Frontier, ScenarioSummary};
use crate::results::stats::{Histogram, Summary};

/// Writing into memory cannot fail, and every schema here is one serde_json and the
/// csv crate accept (string keys; CSV rows of flat structs): an error would be a
/// bug in this module.
const WRITES_TO_MEMORY: &str = "report: serializing a result into memory cannot fail";

/// The serde_json formatter of every report: `f64` as Rust's `{:?}` and control
/// characters as `\u00XX`, the bytes the JSON has always had (see the module doc).
/// Non-finite numbers never reach it: serde_json writes them as `null`.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonFormatter;

impl serde_json::ser::Formatter for JsonFormatter {
    fn write_f64<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        value: f64,
    ) -> std::io::Result<()> {
        write!(writer, "{value:?}")
    }

    fn write_f32<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        value: f32,
    ) -> std::io::Result<()> {
        write!(writer, "{value:?}")
    }

    fn write_char_escape<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        char_escape: serde_json::ser::CharEscape,
    ) -> std::io::Result<()> {
        use serde_json::ser::CharEscape;
        let byte = match char_escape {
            CharEscape::Quote => return writer.write_all(b"\\\""),
            CharEscape::ReverseSolidus => return writer.write_all(b"\\\\"),
            // serde_json never escapes '/'; were it to, the plain character is valid.
            CharEscape::Solidus => return writer.write_all(b"/"),
            CharEscape::Backspace => 0x08,
            CharEscape::Tab => 0x09,
            CharEscape::LineFeed => 0x0a,
            CharEscape::FormFeed => 0x0c,
            CharEscape::CarriageReturn => 0x0d,
            CharEscape::AsciiControl(byte) => byte,
        };
        write!(writer, "\\u{byte:04x}")
    }
}

/// Any serializable value as one line of JSON, numbers as [`JsonFormatter`] writes
/// them.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, JsonFormatter);
    value.serialize(&mut serializer).expect(WRITES_TO_MEMORY);
    String::from_utf8(bytes).expect(WRITES_TO_MEMORY)
}

/// A mean, written `{"mean": …}` (trades and costs per path).
#[derive(Serialize)]
struct Mean {
    mean: f64,
}

/// The `summary` JSON's shape.
#[derive(Serialize)]
struct SummaryJson<'a> {
    scenario: &'a str,
    premium: f64,
    paths: u64,
    pnl: &'a Summary,
    performance: f64,
    trades: Mean,
    costs: Mean,
    #[serde(skip_serializing_if = "Option::is_none")]
    option_trades: Option<Mean>,
    #[serde(skip_serializing_if = "Option::is_none")]
    option_costs: Option<Mean>,
    greeks: &'a Greeks,
    derman_kamal_sd: Option<f64>,
    leland_vol: Option<f64>,
    histogram: &'a Histogram,
    #[serde(skip_serializing_if = "Option::is_none")]
    insurance: Option<InsuranceJson>,
}

/// The `summary` JSON's `insurance` member.
#[derive(Serialize)]
struct InsuranceJson {
    floor: f64,
    breach: f64,
    shortfall: Option<f64>,
    upside: Option<f64>,
}

/// Written as the `summary` JSON (see the module doc).
impl Serialize for ScenarioSummary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SummaryJson {
            scenario: &self.scenario,
            premium: self.premium,
            paths: self.paths,
            pnl: &self.run.pnl,
            performance: self.performance,
            trades: Mean {
                mean: self.run.mean_trades,
            },
            costs: Mean {
                mean: self.run.mean_costs,
            },
            option_trades: self.hedges_options.then_some(Mean {
                mean: self.run.mean_option_trades,
            }),
            option_costs: self.hedges_options.then_some(Mean {
                mean: self.run.mean_option_costs,
            }),
            greeks: &self.greeks,
            derman_kamal_sd: self.derman_kamal_sd,
            leland_vol: self.leland_vol,
            histogram: &self.run.histogram,
            insurance: self.insurance.as_ref().map(|i| InsuranceJson {
                floor: i.floor,
                breach: i.breach,
                shortfall: i.shortfall,
                upside: i.upside,
            }),
        }
        .serialize(serializer)
    }
}

/// The `summary` JSON (one line, no trailing newline).
pub fn summary_json(summary: &ScenarioSummary) -> String {
    to_json(summary)
}

/// One strategy of the `compare` JSON.
#[derive(Serialize)]
struct StrategyJson<'a> {
    rule: &'a str,
    pnl: &'a Summary,
    performance: f64,
    trades: Mean,
    costs: Mean,
    #[serde(skip_serializing_if = "Option::is_none")]
    option_trades: Option<Mean>,
    #[serde(skip_serializing_if = "Option::is_none")]
    option_costs: Option<Mean>,
}

/// The `compare` JSON's shape.
#[derive(Serialize)]
struct ComparisonJson<'a> {
    scenario: &'a str,
    premium: f64,
    strategies: Vec<StrategyJson<'a>>,
}

/// Written as the `compare` JSON (see the module doc).
impl Serialize for Comparison {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let strategies = self
            .rows
            .iter()
            .map(|(rule, run)| StrategyJson {
                rule,
                pnl: &run.pnl,
                performance: performance(run.pnl.sd, self.premium),
                trades: Mean {
                    mean: run.mean_trades,
                },
                costs: Mean {
                    mean: run.mean_costs,
                },
                option_trades: self.hedges_options.then_some(Mean {
                    mean: run.mean_option_trades,
                }),
                option_costs: self.hedges_options.then_some(Mean {
                    mean: run.mean_option_costs,
                }),
            })
            .collect();
        ComparisonJson {
            scenario: &self.scenario,
            premium: self.premium,
            strategies,
        }
        .serialize(serializer)
    }
}

/// The `compare` JSON: `{"scenario", "premium", "strategies": [{"rule", "pnl",
/// "performance", "trades", "costs"}, …]}`.
pub fn comparison_json(comparison: &Comparison) -> String {
    to_json(comparison)
}

/// One row of the `compare` CSV: a flat table, so the P&L statistics are columns.
#[derive(Serialize)]
struct ComparisonCsvRow<'a> {
    rule: &'a str,
    mean: f64,
    sd: f64,
    p5: f64,
    p50: f64,
    p95: f64,
    var95: f64,
    es95: f64,
    performance: f64,
    mean_trades: f64,
    mean_costs: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    mean_option_trades: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mean_option_costs: Option<f64>,
}

/// The `compare` table as CSV.
pub fn comparison_csv(comparison: &Comparison) -> String {
    csv_table(
        comparison.rows.iter().map(|(rule, run)| {
            let s = &run.pnl;
            ComparisonCsvRow {
                rule,
                mean: s.mean,
                sd: s.sd,
                p5: s.p5,
                p50: s.p50,
                p95: s.p95,
                var95: s.var95,
                es95: s.es95,
                performance: performance(s.sd, comparison.premium),
                mean_trades: run.mean_trades,
                mean_costs: run.mean_costs,
                mean_option_trades: comparison.hedges_options.then_some(run.mean_option_trades),
                mean_option_costs: comparison.hedges_options.then_some(run.mean_option_costs),
            }
        }),
        &[],
    )
}

/// The `frontier` JSON: `{"scenario", "parameter", "current", "points": [{"value",
/// "mean_costs", "sd_pnl", "mean_pnl", "mean_trades"}, …]}`.
pub fn frontier_json(frontier: &Frontier) -> String {
    to_json(frontier)
}

/// The `current` column of the frontier CSV, after a point's own columns.
#[derive(Serialize)]
struct CurrentFlag {
    current: u8,
}

/// The frontier as CSV: a point's columns, the first named after the swept key.
pub fn frontier_csv(frontier: &Frontier) -> String {
    csv_table(
        frontier.points.iter().enumerate().map(|(i, point)| {
            let current = u8::from(frontier.current == Some(i));
            (point, CurrentFlag { current })
        }),
        &[("value", frontier.parameter)],
    )
}

/// The `path` JSON's shape (and the page's path on show): which path, then
/// its outcome's members, the option trades' only when the hedge trades
/// options.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PathReport<'a> {
    /// The canonical link (left out where the reader has it already).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<&'a str>,
    /// The path's index.
    pub index: u64,
    /// A window of recorded prices: its first date (absent for simulated
    /// paths and prices without dates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// The window's last date, when the option expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// Its PV P&L.
    pub pnl: f64,
    /// Its share trades.
    pub trades: u32,
    /// The PV of its costs.
    pub costs: f64,
    /// Its option trades (hedges with options only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option_trades: Option<u32>,
    /// The PV of their costs (hedges with options only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option_costs: Option<f64>,
}

impl<'a> PathReport<'a> {
    /// Path `index` of `plan` with its `outcome`, without the link.
    pub fn new(plan: &Plan, index: u64, outcome: &PathOutcome) -> PathReport<'a> {
        let options = plan.greeks != GreekTargets::Delta;
        let dates = plan.path_model.replay().and_then(|r| r.dates(index));
        PathReport {
            scenario: None,
            index,
            from: dates.and_then(|d| d.first().copied()),
            until: dates.and_then(|d| d.last().copied()),
            pnl: outcome.pnl,
            trades: outcome.trades,
            costs: outcome.costs,
            option_trades: options.then_some(outcome.option_trades),
            option_costs: options.then_some(outcome.option_costs),
        }
    }
}

/// The `path` JSON: `{"scenario", "index", "pnl", "trades", "costs"}` (and
/// `"option_trades", "option_costs"` when the plan hedges with options) for
/// path `index` of `plan`.
pub fn path_json(plan: &Plan, index: u64, outcome: &PathOutcome) -> String {
    to_json(&PathReport {
        scenario: Some(&plan.query),
        ..PathReport::new(plan, index, outcome)
    })
}

/// One path's ledger as CSV (money values not discounted): a header of
/// [`LedgerRow`]'s field names, then a line per row. No rows, no lines.
pub fn ledger_csv(rows: &[LedgerRow]) -> String {
    csv_table(rows, &[])
}

/// An insured portfolio's ledger as CSV (money not discounted):
/// `step,time[,date],spot,shares,puts,trade,cost,cash,value,floor`, the floor
/// at its present value at each date.
pub fn insurance_ledger_csv(rows: &[InsuranceRow]) -> String {
    csv_table(rows, &[])
}

/// One path's ledger as JSON: an array of objects with the members of
/// [`ledger_csv`]'s columns, in the same order.
pub fn ledger_json(rows: &[LedgerRow]) -> String {
    to_json(rows)
}

/// Rows of flat structs (or tuples of them) as CSV with a header line, floats
/// written with `Display`, fields named `from` written as `to` per `renames`.
fn csv_table<R: Serialize>(
    rows: impl IntoIterator<Item = R>,
    renames: &[(&'static str, &'static str)],
) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in rows {
        let cells = CsvCells {
            value: &row,
            renames,
        };
        writer.serialize(cells).expect(WRITES_TO_MEMORY);
    }
    let bytes = writer.into_inner().expect(WRITES_TO_MEMORY);
    String::from_utf8(bytes).expect(WRITES_TO_MEMORY)
}

/// A value as CSV cells: serialized through [`CellSerializer`], which writes its
/// floats with `Display` and renames its fields per `renames` (see the module doc
/// for why).
struct CsvCells<'v, 'r, T: ?Sized> {
    value: &'v T,
    renames: &'r [(&'static str, &'static str)],
}

impl<T: Serialize + ?Sized> Serialize for CsvCells<'_, '_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(CellSerializer {
            inner: serializer,
            renames: self.renames,
        })
    }
}

/// Passes a flat record on to the csv crate's serializer `inner`, with every float
/// formatted by `Display` and the fields renamed. Structs and tuples of them are
/// what a CSV row holds; other containers are refused, as the csv crate would.
struct CellSerializer<'a, S> {
    inner: S,
    renames: &'a [(&'static str, &'static str)],
}

impl<'r, S> CellSerializer<'r, S> {
    /// A value inside this one, serialized with the same rules.
    fn wrap<'v, T: ?Sized>(&self, value: &'v T) -> CsvCells<'v, 'r, T> {
        CsvCells {
            value,
            renames: self.renames,
        }
    }

    /// The column name of field `field`.
    fn name(&self, field: &'static str) -> &'static str {
        self.renames
            .iter()
            .find(|(from, _)| *from == field)
            .map_or(field, |(_, to)| to)
    }
}

/// The error for a value that is not a CSV cell or a row of them.
fn not_a_cell<E: ser::Error>(what: &str) -> E {
    E::custom(format!("a CSV row cannot hold {what}"))
}

impl<'a, S: Serializer> Serializer for CellSerializer<'a, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = CellSerializer<'a, S::SerializeTuple>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = CellSerializer<'a, S::SerializeStruct>;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        self.inner.collect_str(&v)
    }
    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        self.inner.collect_str(&v)
    }
    fn serialize_bool(self, v: bool) -> Result<S::Ok, S::Error> {
        self.inner.serialize_bool(v)
    }
    fn serialize_i8(self, v: i8) -> Result<S::Ok, S::Error> {
        self.inner.serialize_i8(v)
    }
    fn serialize_i16(self, v: i16) -> Result<S::Ok, S::Error> {
        self.inner.serialize_i16(v)
    }
    fn serialize_i32(self, v: i32) -> Result<S::Ok, S::Error> {
        self.inner.serialize_i32(v)
    }
    fn serialize_i64(self, v: i64) -> Result<S::Ok, S::Error> {
        self.inner.serialize_i64(v)
    }
    fn serialize_u8(self, v: u8) -> Result<S::Ok, S::Error> {
        self.inner.serialize_u8(v)
    }
    fn serialize_u16(self, v: u16) -> Result<S::Ok, S::Error> {
        self.inner.serialize_u16(v)
    }
    fn serialize_u32(self, v: u32) -> Result<S::Ok, S::Error> {
        self.inner.serialize_u32(v)
    }
    fn serialize_u64(self, v: u64) -> Result<S::Ok, S::Error> {
        self.inner.serialize_u64(v)
    }
    fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
        self.inner.serialize_char(v)
    }
    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        self.inner.serialize_str(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<S::Ok, S::Error> {
        self.inner.serialize_bytes(v)
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_none()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        let cells = self.wrap(value);
        self.inner.serialize_some(&cells)
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit()
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_struct(name)
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_variant(name, index, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let cells = self.wrap(value);
        self.inner.serialize_newtype_struct(name, &cells)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_a_cell("an enum with data"))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Err(not_a_cell("a sequence"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        Ok(CellSerializer {
            inner: self.inner.serialize_tuple(len)?,
            renames: self.renames,
        })
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        Err(not_a_cell("a tuple struct"))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(not_a_cell("an enum with data"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Err(not_a_cell("a map"))
    }
    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(CellSerializer {
            inner: self.inner.serialize_struct(name, len)?,
            renames: self.renames,
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Err(not_a_cell("an enum with data"))
    }
}

impl<S: SerializeTuple> SerializeTuple for CellSerializer<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        let cells = self.wrap(value);
        self.inner.serialize_element(&cells)
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
    }
}

// `skip_field` (a `None` left out) keeps serde's default, writing nothing,
// which is what the csv crate's own does.
impl<S: SerializeStruct> SerializeStruct for CellSerializer<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        let cells = self.wrap(value);
        self.inner.serialize_field(self.name(key), &cells)
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
    }
}
