//! The `px=` link value: the reader's own prices, exact to their decimals, in a
//! URL-safe text a link can carry.
//!
//! The value is the series in the bit-packed format ([`crate::history::packed`]:
//! decimals, the first price in units of 10^−d, then the day-to-day differences
//! in an adaptive Rice code; dates as one bit per usual trading day) in base64url
//! without padding (RFC 4648 §5: `A–Z a–z 0–9 - _`, nothing a URL must escape).
//! The last 2,000 daily closes of the bundled series, with their dates, make
//! 4,663 characters (S&P 500, 2011–2018, near 2,000 points) and 6,015 (DJIA,
//! 2016–2023, near 30,000 points); the byte format of the bundled files would
//! take 7,872 and 9,684. [`MAX_LINK_PRICES`] = 2,000 prices thus keep a link
//! under the 8,000 characters that browsers and servers reliably accept; a
//! longer series stays local to the page. [`decode_link`] also
//! reads the byte format (version 0).
//!
//! **Tested by** `tests/history.rs`: round trips over a set of CSVs (0 and 6
//! decimals, huge and tiny prices, with and without dates) exact to the text,
//! the length limit, malformed values never panic.

use core::fmt;

use crate::history::codec;
use crate::history::packed::encode_packed;
use crate::history::series::PriceSeries;

/// The most prices a link carries.
pub const MAX_LINK_PRICES: usize = 2_000;

/// Why a series cannot go into a link, or a link value is not a series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError(pub String);

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "px: {}", self.0)
    }
}

impl std::error::Error for LinkError {}

/// The base64url alphabet (RFC 4648 §5).
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The most prices a `px` value may hold in the page's own memory: a series
/// longer than [`MAX_LINK_PRICES`] is *local only* (run from the page, not
/// written into its address), up to about the longest bundled series.
pub const MAX_LOCAL_PRICES: usize = 50_000;

/// The `px=` value of a series, or an error when it is too long for a link.
pub fn encode_link(series: &PriceSeries) -> Result<String, LinkError> {
    if series.len() > MAX_LINK_PRICES {
        return Err(too_long(series.len()));
    }
    Ok(base64url(&encode_packed(series)))
}

/// The `px` value of a series the page keeps to itself (at most
/// [`MAX_LOCAL_PRICES`]): the same encoding as [`encode_link`], without the
/// link's length limit.
pub fn encode_local(series: &PriceSeries) -> Result<String, LinkError> {
    if series.len() > MAX_LOCAL_PRICES {
        return Err(LinkError(format!(
            "the series has {} prices; at most {MAX_LOCAL_PRICES} can be replayed",
            series.len()
        )));
    }
    Ok(base64url(&encode_packed(series)))
}

/// The series a `px=` value holds (a link's, or a longer local one's).
pub fn decode_link(text: &str) -> Result<PriceSeries, LinkError> {
    // A series of MAX_LOCAL_PRICES prices never needs more than 22 bytes a
    // price (a date's and a price's 10-byte varints, and change); refuse
    // longer text before decoding it.
    if text.len() > 4 * 22 * MAX_LOCAL_PRICES / 3 + 64 {
        return Err(LinkError(format!(
            "{} characters is longer than any series of {MAX_LOCAL_PRICES} prices",
            text.len()
        )));
    }
    let bytes = from_base64url(text)?;
    let series = codec::decode(&bytes).map_err(|e| LinkError(e.to_string()))?;
    if series.len() > MAX_LOCAL_PRICES {
        return Err(LinkError(format!(
            "the series has {} prices; at most {MAX_LOCAL_PRICES} can be replayed",
            series.len()
        )));
    }
    if series.len() < 2 {
        return Err(LinkError(format!(
            "{} price(s); a path needs at least 2",
            series.len()
        )));
    }
    Ok(series)
}

fn too_long(count: usize) -> LinkError {
    LinkError(format!(
        "the series has {count} prices; a link carries at most {MAX_LINK_PRICES}, so this \
         series is local only (it stays in this page; load the file again to see it elsewhere)"
    ))
}

/// Bytes in base64url without padding.
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let word = chunk
            .iter()
            .enumerate()
            .fold(0u32, |w, (i, &b)| w | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(word >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

/// The bytes of base64url text without padding.
fn from_base64url(text: &str) -> Result<Vec<u8>, LinkError> {
    let mut sixes = Vec::with_capacity(text.len());
    for (i, c) in text.bytes().enumerate() {
        let Some(six) = ALPHABET.iter().position(|&a| a == c) else {
            return Err(LinkError(format!(
                "character {} (`{}`) is not base64url: A–Z a–z 0–9 - _",
                i + 1,
                char::from(c).escape_default()
            )));
        };
        sixes.push(six as u32);
    }
    if sixes.len() % 4 == 1 {
        return Err(LinkError(
            "the value's length is not a whole number of bytes (cut short?)".to_string(),
        ));
    }
    let mut out = Vec::with_capacity(sixes.len() * 3 / 4);
    for chunk in sixes.chunks(4) {
        let word = chunk
            .iter()
            .enumerate()
            .fold(0u32, |w, (i, &s)| w | s << (18 - 6 * i));
        for i in 0..chunk.len() - 1 {
            out.push((word >> (16 - 8 * i)) as u8);
        }
    }
    Ok(out)
}
