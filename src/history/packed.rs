//! The bit-packed series format (version 1): the `px=` link's bytes, about 40 %
//! shorter than the byte format of [`crate::history::codec`] (version 0, the
//! bundled files, which travel gzipped anyway).
//!
//! After the same header byte (bit 0 = has dates, bits 1–7 = version 1), one bit
//! stream, most significant bit of each byte first, zero-padded to a byte:
//!
//! ```text
//! γ(d + 1)                       decimals
//! γ(n + 1)                       count
//! if dates: γ(zigzag(first day) + 1)
//!           n − 1 × γ(zigzag(gap − usual) + 1)   usual = 3 after a Friday,
//!                                               2 after a Saturday, else 1
//! γ(first price × 10^d)
//! n − 1 × R(zigzag(difference))  adaptive Rice code (below)
//! ```
//!
//! `γ(v)` is Elias's gamma code of `v ≥ 1`: as many 0 bits as `v` has bits after
//! its leading 1, then `v` in binary — 1 bit for 1, 3 for 2 and 3. Dates cost one
//! bit on a usual trading day (weekends included), three around a holiday.
//!
//! `R(z)` is a Rice code whose parameter `k` follows the recent size of the
//! differences, as in JPEG-LS (Weinberger, Seroussi & Sapiro 2000): with a
//! running sum `A` of recent values over their count `N`, `k` is the least with
//! `N·2^k ≥ A`; the code is `⌊z/2^k⌋` in unary (that many 1s, then a 0) and the
//! low `k` bits of `z`. A quotient of 24 or more (a crash day, or the first
//! differences while `k` adapts) is written as 24 ones and then `γ(z + 1)`.
//! `A` starts at `first price/64 + 2` (a daily move near 1 %), `N` at 1, and both
//! halve when `N` reaches 64, so `k` tracks a price level that drifts over years.
//! A difference then costs about `log2(typical move) + 2` bits instead of whole
//! bytes.
//!
//! **Tested by** `tests/history.rs`: round trips through links (every CSV of the
//! test set, random series), link lengths of 2,000 real closes, malformed
//! values never panic.

use crate::history::codec::{unzigzag, zigzag, DecodeError};
use crate::history::date::Date;
use crate::history::series::{PriceSeries, MAX_DECIMALS, MAX_UNITS};

/// The format version of this encoding.
pub const PACKED_VERSION: u8 = 1;

/// A quotient this large or larger is escaped to a gamma code.
const RICE_ESCAPE: u64 = 24;

/// The series in the bit-packed format (header byte included).
pub fn encode_packed(series: &PriceSeries) -> Vec<u8> {
    let mut bits = BitWriter::default();
    bits.bytes
        .push((PACKED_VERSION << 1) | u8::from(series.dates.is_some()));
    bits.gamma(u64::from(series.decimals) + 1);
    bits.gamma(series.len() as u64 + 1);
    if let Some(dates) = &series.dates {
        if let Some(first) = dates.first() {
            bits.gamma(zigzag(i64::from(first.0)) + 1);
        }
        for pair in dates.windows(2) {
            let gap = i64::from(pair[1].days_since(pair[0]));
            bits.gamma(zigzag(gap - usual_gap(pair[0])) + 1);
        }
    }
    if let Some(&first) = series.units.first() {
        bits.gamma(first);
        let mut rice = Rice::new(first);
        for pair in series.units.windows(2) {
            let z = zigzag(pair[1] as i64 - pair[0] as i64);
            let k = rice.k();
            let quotient = z >> k;
            if quotient < RICE_ESCAPE {
                bits.ones(quotient);
                bits.push(false);
                bits.low_bits(z, k);
            } else {
                bits.ones(RICE_ESCAPE);
                bits.gamma(z + 1);
            }
            rice.update(z);
        }
    }
    bits.finish()
}

/// The series in bit-packed bytes (header byte included; its version is
/// [`PACKED_VERSION`]).
pub fn decode_packed(bytes: &[u8]) -> Result<PriceSeries, DecodeError> {
    let fail = |what: &str| Err(DecodeError(what.to_string()));
    let Some(&header) = bytes.first() else {
        return fail("empty: no header byte");
    };
    let mut bits = BitReader {
        bytes: &bytes[1..],
        at: 0,
    };
    let decimals = bits.gamma()? - 1;
    if decimals > u64::from(MAX_DECIMALS) {
        return Err(DecodeError(format!(
            "{decimals} decimals; at most {MAX_DECIMALS}"
        )));
    }
    let count = bits.gamma()? - 1;
    // Every price takes at least one bit.
    if count > bits.left() {
        return fail("the count is larger than the data");
    }
    let count = count as usize;
    let dates = if header & 1 == 1 {
        let mut dates = Vec::with_capacity(count);
        if count > 0 {
            let mut day = i128::from(unzigzag(bits.gamma()? - 1));
            for i in 0..count {
                if i > 0 {
                    let previous = Date(day as i32);
                    let gap =
                        i128::from(unzigzag(bits.gamma()? - 1)) + i128::from(usual_gap(previous));
                    if gap < 1 {
                        return fail("a date not after the one before");
                    }
                    day += gap;
                }
                if !(-719_528..=2_932_896).contains(&day) {
                    return fail("a date outside the years 0 … 9999");
                }
                dates.push(Date(day as i32));
            }
        }
        Some(dates)
    } else {
        None
    };
    let mut units = Vec::with_capacity(count);
    if count > 0 {
        let first = bits.gamma()?;
        let mut price = i128::from(first);
        let mut rice = Rice::new(first);
        for i in 0..count {
            if i > 0 {
                let k = rice.k();
                let quotient = bits.unary(RICE_ESCAPE)?;
                let z = if quotient < RICE_ESCAPE {
                    (quotient << k) | bits.read(k)?
                } else {
                    bits.gamma()? - 1
                };
                rice.update(z);
                price += i128::from(unzigzag(z));
            }
            if price < 1 || price > i128::from(MAX_UNITS) {
                return Err(DecodeError(format!(
                    "price {} is not in 1 … 2^53 units",
                    i + 1
                )));
            }
            units.push(price as u64);
        }
    }
    if bits.left() >= 8 || bits.rest_is_nonzero() {
        return fail("bits left over after the last price");
    }
    Ok(PriceSeries {
        decimals: decimals as u32,
        units,
        dates,
    })
}

/// The gap to the next trading day in a week of Monday–Friday trading.
fn usual_gap(date: Date) -> i64 {
    match date.weekday() {
        4 => 3, // Friday → Monday
        5 => 2, // Saturday (trading until the 1950s) → Monday
        _ => 1,
    }
}

/// The adaptive Rice parameter's state (JPEG-LS's `A` and `N`).
struct Rice {
    sum: u64,
    count: u64,
}

impl Rice {
    fn new(first: u64) -> Rice {
        Rice {
            sum: first / 64 + 2,
            count: 1,
        }
    }

    /// The least `k` with `N·2^k ≥ A`, that is with `2^k ≥ ⌈A/N⌉`. A price's
    /// difference zigzags below 2^54 (the decoder refuses a larger one before
    /// asking for `k` again), so `A < 2^61` and the power of two fits.
    fn k(&self) -> u32 {
        self.sum
            .div_ceil(self.count)
            .next_power_of_two()
            .trailing_zeros()
    }

    fn update(&mut self, z: u64) {
        self.sum = self.sum.saturating_add(z);
        self.count += 1;
        if self.count == 64 {
            self.sum /= 2;
            self.count /= 2;
        }
    }
}

/// Bits appended most significant first.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    /// Bits used in the last byte (0 = start a new byte).
    used: u32,
}

impl BitWriter {
    fn push(&mut self, bit: bool) {
        if self.used == 0 {
            self.bytes.push(0);
        }
        if bit {
            if let Some(last) = self.bytes.last_mut() {
                *last |= 0x80 >> self.used;
            }
        }
        self.used = (self.used + 1) % 8;
    }

    fn ones(&mut self, count: u64) {
        for _ in 0..count {
            self.push(true);
        }
    }

    /// The low `k` bits of `value`, most significant first.
    fn low_bits(&mut self, value: u64, k: u32) {
        for i in (0..k).rev() {
            self.push(value >> i & 1 == 1);
        }
    }

    /// Elias gamma of `value ≥ 1`.
    fn gamma(&mut self, value: u64) {
        let bits = 64 - value.leading_zeros();
        for _ in 1..bits {
            self.push(false);
        }
        self.low_bits(value, bits);
    }

    fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// A cursor over bits, most significant first.
struct BitReader<'a> {
    bytes: &'a [u8],
    at: u64,
}

impl BitReader<'_> {
    fn left(&self) -> u64 {
        self.bytes.len() as u64 * 8 - self.at
    }

    fn bit(&mut self) -> Result<bool, DecodeError> {
        let Some(byte) = self.bytes.get((self.at / 8) as usize) else {
            return Err(DecodeError("the data ends inside a number".to_string()));
        };
        let bit = byte & (0x80 >> (self.at % 8)) != 0;
        self.at += 1;
        Ok(bit)
    }

    fn read(&mut self, k: u32) -> Result<u64, DecodeError> {
        let mut value = 0;
        for _ in 0..k {
            value = value << 1 | u64::from(self.bit()?);
        }
        Ok(value)
    }

    /// A run of 1s ended by a 0, or `limit` 1s.
    fn unary(&mut self, limit: u64) -> Result<u64, DecodeError> {
        let mut count = 0;
        while count < limit && self.bit()? {
            count += 1;
        }
        Ok(count)
    }

    /// An Elias gamma code (a value ≥ 1 of at most 64 bits).
    fn gamma(&mut self) -> Result<u64, DecodeError> {
        let mut zeros = 0;
        while !self.bit()? {
            zeros += 1;
            if zeros > 63 {
                return Err(DecodeError("a number longer than 64 bits".to_string()));
            }
        }
        Ok(1 << zeros | self.read(zeros)?)
    }

    /// Whether a 1 bit follows before the end (the padding must be 0s).
    fn rest_is_nonzero(&mut self) -> bool {
        while let Ok(bit) = self.bit() {
            if bit {
                return true;
            }
        }
        false
    }
}
