//! The grammar of the `legs` and `with` keys: option legs written in a link.
//!
//! ```text
//! legs = leg ("_" leg)*          leg  = quantity kind strike ["@" expiry]
//! with = option ("_" option)*    option = kind strike ["@" expiry]
//! quantity = signed decimal, not 0      kind = "c" | "p" (either case)
//! strike = decimal > 0                  expiry = years from now, decimal > 0
//! ```
//!
//! `legs=-100c100_-100p100` is a short straddle, `legs=100c95_-200c100_100c105`
//! a butterfly, `legs=-100c100_100c100@0.5` a calendar spread. A leg without `@`
//! expires at the horizon `t`. `with` lists hedge options the same way, without
//! quantities (the hedger chooses them): `with=c105@0.5_p95@0.5`.
//!
//! Printing is canonical: each number as the shortest decimal that reads back to
//! the same `f64`, quantities with their sign only when negative, kinds in lower
//! case, `@` only where the link gave one.
//!
//! **Tested by** `tests/legs.rs`: round trips, every error's position, the
//! single-option keys as the one-leg book, the cross-field rules.

use core::fmt;

use super::spec::{shown, shown_number};
use crate::pricing::black_scholes::OptionKind;

/// Most legs in a book (and hedge options in `with`): each is priced on every
/// date of every path, so the work cap of a run stays meaningful.
pub const MAX_LEGS: usize = 8;

/// One leg as the link writes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LegSpec {
    /// Signed number of options (long > 0, short < 0); `None` in `with`, where
    /// the hedger chooses it.
    pub quantity: Option<f64>,
    /// Call or put.
    pub kind: OptionKind,
    /// Strike.
    pub strike: f64,
    /// Expiry in years from t = 0; `None` expires at the horizon `t`.
    pub expiry: Option<f64>,
}

/// A list of legs: the value of `legs` (with quantities) or `with` (without).
/// Empty means the key is not used.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LegList(pub Vec<LegSpec>);

/// What went wrong where in a leg list: `position` is the 1-based character
/// where the problem starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegError {
    /// 1-based character position in the value.
    pub position: usize,
    /// What is wrong and what is allowed there.
    pub message: String,
}

impl fmt::Display for LegError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position, self.message)
    }
}

/// Largest |quantity| of a leg.
const MAX_QUANTITY: f64 = 1e9;
/// Largest strike.
const MAX_STRIKE: f64 = 1e6;
/// Latest expiry, in years.
const MAX_EXPIRY: f64 = 30.0;

impl LegList {
    /// Parse `text` (already percent-decoded); `quantities` says whether each leg
    /// starts with a signed quantity (`legs`) or not (`with`). The empty text is
    /// the empty list.
    pub fn parse(text: &str, quantities: bool) -> Result<LegList, LegError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(LegList::default());
        }
        let mut legs = Vec::new();
        let mut start = 0usize; // char offset of the current leg
        for (index, leg) in text.split('_').enumerate() {
            if index == MAX_LEGS {
                return Err(LegError {
                    position: start + 1,
                    message: format!("too many legs; at most {MAX_LEGS}"),
                });
            }
            legs.push(parse_leg(leg, start, quantities)?);
            start += leg.chars().count() + 1;
        }
        Ok(LegList(legs))
    }

    /// Whether the list is empty (the key unused).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The legs.
    pub fn legs(&self) -> &[LegSpec] {
        &self.0
    }
}

impl fmt::Display for LegList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, leg) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("_")?;
            }
            write!(f, "{leg}")?;
        }
        Ok(())
    }
}

impl fmt::Display for LegSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(q) = self.quantity {
            write!(f, "{q}")?;
        }
        let kind = match self.kind {
            OptionKind::Call => 'c',
            OptionKind::Put => 'p',
        };
        write!(f, "{kind}{}", self.strike)?;
        if let Some(expiry) = self.expiry {
            write!(f, "@{expiry}")?;
        }
        Ok(())
    }
}

/// A decimal in `text` (no exponent, no `inf`/`nan`): digits with at most one
/// point, after an optional sign when `signed`.
fn decimal(text: &str, signed: bool) -> Option<f64> {
    let digits = if signed {
        text.strip_prefix(['-', '+']).unwrap_or(text)
    } else {
        text
    };
    let ok = !digits.is_empty()
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1;
    if !ok {
        return None;
    }
    text.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// One leg starting at char offset `start` of the whole value.
fn parse_leg(leg: &str, start: usize, quantities: bool) -> Result<LegSpec, LegError> {
    let at = |offset: usize, message: String| LegError {
        position: start + offset + 1,
        message,
    };
    let shape = if quantities {
        "<signed quantity><c|p><strike>[@<expiry in years>], e.g. -100c105@0.5"
    } else {
        "<c|p><strike>[@<expiry in years>], e.g. c105@0.5"
    };
    if leg.is_empty() {
        return Err(at(0, format!("an empty leg; expected {shape}")));
    }
    // The kind letter splits the quantity from the strike.
    let Some(kind_offset) = leg.find(|c: char| c.is_ascii_alphabetic()) else {
        return Err(at(
            0,
            format!("{} has no c or p; expected {shape}", shown(leg)),
        ));
    };
    let (quantity_text, rest) = leg.split_at(kind_offset);
    let kind = match rest.as_bytes()[0].to_ascii_lowercase() {
        b'c' => OptionKind::Call,
        b'p' => OptionKind::Put,
        _ => {
            return Err(at(
                kind_offset,
                format!(
                    "{} is not an option kind; expected c (call) or p (put) in {shape}",
                    shown(&rest[..1])
                ),
            ))
        }
    };
    let quantity = if quantities {
        match decimal(quantity_text, true) {
            Some(q) if q != 0.0 && q.abs() <= MAX_QUANTITY => Some(q),
            Some(q) => {
                let q = shown_number(q);
                return Err(at(
                    0,
                    format!(
                        "quantity {q} is out of range; expected a non-zero number of options up to {MAX_QUANTITY} either way (negative: short)"
                    ),
                ));
            }
            None => {
                return Err(at(
                    0,
                    format!(
                        "{} is not a quantity; expected {shape}",
                        shown(quantity_text)
                    ),
                ))
            }
        }
    } else {
        if !quantity_text.is_empty() {
            return Err(at(
                0,
                format!(
                    "hedge options take no quantity (the hedger chooses it): remove {}; expected {shape}",
                    shown(quantity_text)
                ),
            ));
        }
        None
    };
    let after_kind = &rest[1..];
    let (strike_text, expiry_text) = match after_kind.split_once('@') {
        Some((strike, expiry)) => (strike, Some(expiry)),
        None => (after_kind, None),
    };
    let strike_offset = kind_offset + 1;
    let strike = match decimal(strike_text, false) {
        Some(k) if k > 0.0 && k <= MAX_STRIKE => k,
        Some(k) => {
            let k = shown_number(k);
            return Err(at(
                strike_offset,
                format!(
                "strike {k} is out of range; expected a number above 0 and at most {MAX_STRIKE}"
            ),
            ));
        }
        None => {
            return Err(at(
                strike_offset,
                format!("{} is not a strike; expected {shape}", shown(strike_text)),
            ))
        }
    };
    let expiry = match expiry_text {
        None => None,
        Some(text) => {
            let offset = strike_offset + strike_text.len() + 1;
            match decimal(text, false) {
                Some(e) if e > 0.0 && e <= MAX_EXPIRY => Some(e),
                Some(e) => {
                    let e = shown_number(e);
                    return Err(at(
                        offset,
                        format!("expiry {e} is out of range; expected years above 0 and at most {MAX_EXPIRY}"),
                    ));
                }
                None => {
                    return Err(at(
                        offset,
                        format!(
                            "{} is not an expiry; expected years after @, e.g. @0.5",
                            shown(text)
                        ),
                    ))
                }
            }
        }
    };
    Ok(LegSpec {
        quantity,
        kind,
        strike,
        expiry,
    })
}
