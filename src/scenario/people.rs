//! Numbers as people read them, for the page's control outputs (`"20%"`,
//! `"1,234.5"`): the same rules as JavaScript's `toLocaleString('en-US')` and
//! `toFixed`, so the page shows what [`super::FieldSpec::shown`] says. Both round
//! the exact binary value half away from zero (91.25 → 91.3), where Rust's `{:.1}`
//! rounds exact ties to even (91.2): hence the rounding here.
//!
//! **Tested by** `tests/fields.rs` (grouping, rounding of exact ties, signs,
//! non-finite values).

/// `x` with thousands separators and at most `digits` decimals (trailing zeros
/// dropped): `plain(1234.5, 2)` is `"1,234.5"`. A non-finite `x` is `"–"`.
pub fn plain(x: f64, digits: usize) -> String {
    written(x, digits, Style::Grouped { keep_zeros: false })
}

/// An amount of money: no decimals from 1,000, two from 10, three below.
pub fn money(x: f64) -> String {
    let size = x.abs();
    let digits = if size >= 1000.0 {
        0
    } else if size >= 10.0 {
        2
    } else {
        3
    };
    written(x, digits, Style::Grouped { keep_zeros: true })
}

/// `x` with exactly `digits` decimals and no separators, as `x.toFixed(digits)`.
pub fn fixed(x: f64, digits: usize) -> String {
    written(x, digits, Style::Fixed)
}

/// A fraction as a percentage with exactly `digits` decimals: `percent(0.2, 1)`
/// is `"20.0%"`.
pub fn percent(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{}%", fixed(x * 100.0, digits))
    } else {
        "–".to_string()
    }
}

/// How [`written`] lays out the digits.
#[derive(Clone, Copy)]
enum Style {
    /// Thousands separators; trailing zeros of the decimals kept or dropped.
    Grouped { keep_zeros: bool },
    /// No separators, every decimal kept.
    Fixed,
}

/// Most decimals of an `f64`'s exact expansion (the smallest subnormal, 2⁻¹⁰⁷⁴).
const EXACT_DECIMALS: usize = 1074;

fn written(x: f64, digits: usize, style: Style) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let (whole, fraction) = rounded(x.abs(), digits);
    let fraction = match style {
        Style::Grouped { keep_zeros: false } => fraction.trim_end_matches('0').to_string(),
        _ => fraction,
    };
    let mut out = String::new();
    let zero = whole.bytes().chain(fraction.bytes()).all(|b| b == b'0');
    // A negative number keeps its sign unless it is written as zero.
    if x.is_sign_negative() && !zero {
        out.push('-');
    }
    match style {
        Style::Grouped { .. } => {
            for (i, digit) in whole.chars().enumerate() {
                if i > 0 && (whole.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(digit);
            }
        }
        Style::Fixed => out.push_str(&whole),
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(&fraction);
    }
    out
}

/// The digits of `size ≥ 0` rounded to `digits` decimals, half away from zero:
/// from the exact decimal expansion, so ties are seen as ties.
fn rounded(size: f64, digits: usize) -> (String, String) {
    let exact = format!("{size:.EXACT_DECIMALS$}");
    let (whole, decimals) = exact.split_once('.').unwrap_or((&exact, ""));
    let mut kept: Vec<u8> = whole.bytes().chain(decimals.bytes().take(digits)).collect();
    if decimals.as_bytes().get(digits).is_some_and(|&d| d >= b'5') {
        // Carry the rounding up through the kept digits.
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, b'1');
                break;
            }
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    let split = kept.len() - digits;
    let text = String::from_utf8(kept).unwrap_or_default();
    (text[..split].to_string(), text[split..].to_string())
}
