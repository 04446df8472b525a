//! The reader's own prices from CSV text: a `close` column (header in any case)
//! with an optional `date` column, or one number per line with no header.
//!
//! Every error names its line, 1-based as a text editor counts, and says what is
//! allowed: text in a number, a missing column, fewer than 2 prices, a price that
//! is not positive, dates that repeat or go backwards, a date not written
//! `YYYY-MM-DD`. Prices are read exactly (decimal digits, no float parsing): the
//! series keeps the largest number of decimals any line wrote, so that every
//! price prints back to its digits (a file whose lines all write the same number
//! of decimals prints back to its own text). Without dates the prices are spaced
//! evenly over the scenario's `t`.
//!
//! **Tested by** `tests/history.rs`: the accepted layouts, each error and its line
//! number, exact prices; a property test that no input panics.

use core::cmp::Ordering;
use core::fmt;

use crate::history::date::Date;
use crate::history::series::{PriceSeries, MAX_DECIMALS, MAX_UNITS};

/// Why the text is not a price series: the line (1-based) and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvError {
    /// The line at fault, 1-based as an editor counts.
    pub line: u64,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CsvError {}

fn error(line: u64, message: impl Into<String>) -> CsvError {
    CsvError {
        line,
        message: message.into(),
    }
}

/// A price as written: its digits as an integer and how many were decimals.
#[derive(Clone, Copy)]
struct Decimal {
    digits: u64,
    decimals: u32,
}

/// The columns holding the prices and the dates, and how many there are.
struct Layout {
    close: usize,
    date: Option<usize>,
    columns: usize,
}

/// The price series the CSV text holds.
pub fn parse_prices(text: &str) -> Result<PriceSeries, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text); // a spreadsheet's BOM
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut layout: Option<Layout> = None;
    let mut prices: Vec<(u64, Decimal)> = Vec::new();
    let mut dates: Vec<Date> = Vec::new();
    // Lines are counted here from each record's byte offset: the reader counts
    // no blank lines (and its offsets point before them); an editor counts them.
    let mut lines = LineCounter::default();
    let mut last_line = 0;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e
                .position()
                .map_or(last_line + 1, |p| lines.line_at(text, p.byte()));
            error(line, format!("not readable as CSV ({e})"))
        })?;
        let line = record
            .position()
            .map_or_else(|| last_line + 1, |p| lines.line_at(text, p.byte()));
        last_line = line;
        if record.iter().all(str::is_empty) {
            continue; // a blank line
        }
        if layout.is_none() {
            let found = header_layout(&record, line)?;
            let is_header = found.is_some();
            layout = Some(found.unwrap_or(Layout {
                close: 0,
                date: None,
                columns: 1,
            }));
            if is_header {
                continue;
            }
        }
        let Some(layout) = layout.as_ref() else {
            continue; // (set just above)
        };
        if record.len() > layout.columns {
            // Most often a decimal comma (`1,5`), which would silently read as 1.
            return Err(error(
                line,
                format!(
                    "{} values where the {} {}; write decimals with a point (1.5, not 1,5)",
                    record.len(),
                    if layout.columns == 1 {
                        "file has"
                    } else {
                        "header has"
                    },
                    if layout.columns == 1 {
                        "one column".to_string()
                    } else {
                        format!("{} columns", layout.columns)
                    }
                ),
            ));
        }
        let Some(close) = record.get(layout.close) else {
            return Err(error(
                line,
                format!(
                    "no value in the `close` column (column {}); every line needs a price",
                    layout.close + 1
                ),
            ));
        };
        prices.push((line, parse_decimal(close, line)?));
        if let Some(column) = layout.date {
            let text = record.get(column).unwrap_or("");
            let Some(date) = Date::parse(text) else {
                return Err(error(
                    line,
                    format!("date `{text}` is not a date written YYYY-MM-DD (like 2020-03-16)"),
                ));
            };
            if let Some(&previous) = dates.last() {
                // The line of the previous price (this one is already pushed).
                let previous_line = prices[prices.len() - 2].0;
                match date.cmp(&previous) {
                    Ordering::Greater => {}
                    Ordering::Equal => {
                        return Err(error(
                            line,
                            format!(
                                "date {date} repeats line {previous_line}'s; one price per date"
                            ),
                        ));
                    }
                    Ordering::Less => {
                        return Err(error(
                            line,
                            format!(
                                "date {date} comes before line {previous_line}'s {previous}; \
                                 dates must increase down the file"
                            ),
                        ));
                    }
                }
            }
            dates.push(date);
        }
    }
    if prices.len() < 2 {
        return Err(error(
            last_line.max(1),
            format!(
                "{} price{} in the file; a path needs at least 2",
                prices.len(),
                if prices.len() == 1 { "" } else { "s" }
            ),
        ));
    }
    let decimals = prices.iter().map(|(_, p)| p.decimals).max().unwrap_or(0);
    let mut units = Vec::with_capacity(prices.len());
    for (line, price) in prices {
        let scale = 10u64.pow(decimals - price.decimals);
        match price.digits.checked_mul(scale) {
            Some(u) if u <= MAX_UNITS => units.push(u),
            _ => {
                return Err(error(
                    line,
                    format!(
                        "too many digits: with the {decimals} decimals another line writes, this \
                         price needs more than 15 significant digits (at most 2^53 in the last \
                         decimal's units)"
                    ),
                ))
            }
        }
    }
    let has_dates = !dates.is_empty();
    Ok(PriceSeries {
        decimals,
        units,
        dates: has_dates.then_some(dates),
    })
}

/// The line (1-based) of byte offsets met in increasing order.
#[derive(Default)]
struct LineCounter {
    byte: usize,
    line: u64,
}

impl LineCounter {
    /// The line of the record the reader says starts at `byte`: the first byte
    /// past any blank lines there.
    fn line_at(&mut self, text: &str, byte: u64) -> u64 {
        let bytes = text.as_bytes();
        let mut byte = (byte as usize).min(bytes.len());
        while let Some(b'\n' | b'\r') = bytes.get(byte) {
            byte += 1;
        }
        if byte >= self.byte {
            let newlines = bytes[self.byte..byte].iter().filter(|&&b| b == b'\n');
            self.line += newlines.count() as u64;
            self.byte = byte;
        }
        self.line + 1
    }
}

/// The layout a header names, `None` when the first line is not a header (one
/// number per line), or an error when it is a header without a `close` column.
fn header_layout(record: &csv::StringRecord, line: u64) -> Result<Option<Layout>, CsvError> {
    let find = |name: &str| record.iter().position(|f| f.eq_ignore_ascii_case(name));
    let looks_numeric = record.len() == 1 && parse_decimal(&record[0], line).is_ok();
    if looks_numeric {
        return Ok(None);
    }
    match find("close") {
        Some(close) => Ok(Some(Layout {
            close,
            date: find("date"),
            columns: record.len(),
        })),
        None => {
            let names: Vec<&str> = record.iter().collect();
            Err(error(
                line,
                format!(
                    "no `close` column in the header ({}): name the prices column `close` \
                     (and the dates column `date`), or write one number per line with no header",
                    names.join(", ")
                ),
            ))
        }
    }
}

/// A positive price written as plain decimal digits (`123`, `123.45`, `.5`),
/// read exactly.
fn parse_decimal(text: &str, line: u64) -> Result<Decimal, CsvError> {
    let allowed = "write prices as plain decimals like 123.45 (no currency signs, \
                   thousands separators or exponents)";
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if text.starts_with('-') && text.len() > 1 {
        return Err(error(
            line,
            format!("price {text} is negative; prices must be positive"),
        ));
    }
    if whole.len() + fraction.len() == 0 || !is_digits(whole) || !is_digits(fraction) {
        return Err(error(line, format!("`{text}` is not a number: {allowed}")));
    }
    if fraction.len() > MAX_DECIMALS as usize {
        return Err(error(
            line,
            format!(
                "{text} has {} decimals; at most {MAX_DECIMALS}",
                fraction.len()
            ),
        ));
    }
    let mut digits: u64 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        digits = match digits
            .checked_mul(10)
            .and_then(|d| d.checked_add(u64::from(b - b'0')))
        {
            Some(d) if d <= MAX_UNITS => d,
            _ => {
                return Err(error(
                    line,
                    format!("{text} has more than 15 significant digits; at most 15"),
                ))
            }
        };
    }
    if digits == 0 {
        return Err(error(
            line,
            format!("price {text} is not positive; prices must be above 0"),
        ));
    }
    Ok(Decimal {
        digits,
        decimals: fraction.len() as u32,
    })
}

/// The times of `points` prices spaced evenly over `horizon` years (for a series
/// without dates): `t_i = horizon · i/(points − 1)`.
pub fn even_times(points: usize, horizon: f64) -> Vec<f64> {
    let steps = points.saturating_sub(1).max(1) as f64;
    (0..points).map(|i| horizon * i as f64 / steps).collect()
}
