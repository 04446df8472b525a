//! Real price history as paths: dates, windows and their clock, realised vol,
//! rolls, the reader's CSV, the `px=` link, the stationary bootstrap.

// Independent references may use the platform's math: only the engine must be
// bit-identical across targets.
#![allow(clippy::disallowed_methods)]

use hedge_explorer::history::bootstrap::{
    sample_variance, shift_to_log_drift, DailyReturns, StationaryBootstrap,
};
use hedge_explorer::history::bundled::Bundled;
use hedge_explorer::history::codec;
use hedge_explorer::history::date::Date;
use hedge_explorer::history::link::{
    decode_link, encode_link, encode_local, MAX_LINK_PRICES, MAX_LOCAL_PRICES,
};
use hedge_explorer::history::packed::encode_packed;
use hedge_explorer::history::series::PriceSeries;
use hedge_explorer::history::user_csv::{even_times, parse_prices};
use hedge_explorer::history::window::{
    realised_vol, roll, window, FieldError, Window, VOL_LOOKBACK,
};
use hedge_explorer::paths::{PathBuffer, PathSource, TimeGrid};
use proptest::prelude::*;

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn sp500() -> PriceSeries {
    Bundled::Sp500.series().unwrap()
}

// ---------------------------------------------------------------- dates

#[test]
fn day_numbers_match_known_dates() {
    assert_eq!(date("1970-01-01"), Date(0));
    assert_eq!(date("1969-12-31"), Date(-1));
    // 30 years of 365 days plus the 7 leap days 1972 … 1996.
    assert_eq!(date("2000-01-01"), Date(30 * 365 + 7));
    assert_eq!(date("2000-03-01"), Date(30 * 365 + 7 + 31 + 29));
    assert_eq!(date("1885-02-16").to_string(), "1885-02-16");
}

#[test]
fn weekdays_of_known_dates() {
    // 0 = Monday: Black Monday, the Covid Monday, a Saturday, a Friday.
    assert_eq!(date("1987-10-19").weekday(), 0);
    assert_eq!(date("2020-03-16").weekday(), 0);
    assert_eq!(date("2000-01-01").weekday(), 5);
    assert_eq!(date("1987-10-16").weekday(), 4);
}

#[test]
fn every_day_from_1800_to_2100_round_trips_and_follows_the_previous() {
    // An independent calendar: count days month by month with the leap rule.
    let leap = |y: i32| y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let mut expected = date("1800-01-01");
    for year in 1800..=2100 {
        for month in 1..=12u32 {
            let days = match month {
                2 if leap(year) => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            for day in 1..=days {
                let d = Date::from_ymd(year, month, day).unwrap();
                assert_eq!(d, expected);
                assert_eq!(d.ymd(), (year, month, day));
                assert_eq!(Date::parse(&d.to_string()), Some(d));
                expected = Date(expected.0 + 1);
            }
            assert_eq!(Date::from_ymd(year, month, days + 1), None);
        }
    }
}

#[test]
fn impossible_or_misspelt_dates_are_refused() {
    for text in [
        "2019-02-29",
        "1900-02-29",
        "2000-02-30",
        "2021-13-01",
        "2021-00-10",
        "2021-04-31",
        "2021-1-01",
        "20210101",
        "2021/01/01",
        "01/02/2021",
        "",
        "2021-01-0a",
        "+021-01-01",
        "2021-01x01",
        "2021x01-01",
    ] {
        assert_eq!(Date::parse(text), None, "{text}");
    }
    assert!(Date::parse("2000-02-29").is_some());
}

// ---------------------------------------------------------------- windows

#[test]
fn steps_last_their_calendar_days_over_365() {
    let sp = sp500();
    // Thursday 1987-10-15 → Friday → Monday 19th → Tuesday.
    let w = window(&sp, date("1987-10-15"), 5.0 / 365.0).unwrap();
    assert_eq!(w.first_date, date("1987-10-15"));
    assert_eq!(w.last_date, date("1987-10-20"));
    assert_eq!(
        w.step_years(&sp),
        vec![1.0 / 365.0, 3.0 / 365.0, 1.0 / 365.0]
    );
    assert_eq!(
        w.times(&sp),
        vec![0.0, 1.0 / 365.0, 4.0 / 365.0, 5.0 / 365.0]
    );
    assert_eq!(w.horizon(), 5.0 / 365.0);
    // A holiday: the market closed on Wednesday 2018-12-05 (a day of mourning).
    let w = window(&sp, date("2018-12-04"), 2.0 / 365.0).unwrap();
    assert_eq!(w.last_date, date("2018-12-06"));
    assert_eq!(w.step_years(&sp), vec![2.0 / 365.0]);
}

#[test]
fn the_1987_crash_window_scales_the_real_closes_to_the_spot() {
    let sp = sp500();
    // From a Saturday: the window starts on the next trading day, Monday the 19th.
    let w = window(&sp, date("1987-10-17"), 1.0).unwrap();
    assert_eq!(w.first_date, date("1987-10-19"));
    // 365 days later is Tuesday 1988-10-18, a trading day.
    assert_eq!(w.last_date, date("1988-10-18"));
    assert_eq!(w.horizon(), 1.0);
    let friday = window(&sp, date("1987-10-16"), 3.0 / 365.0).unwrap();
    assert_eq!(friday.points(), 2);
    assert_eq!(sp.price_text(friday.start), "282.70");
    assert_eq!(sp.price_text(friday.end), "224.84");
    let path = friday.path(&sp, 100.0);
    assert_eq!(path.spot[0], 100.0);
    assert_eq!(path.spot[1], 100.0 * (224.84 / 282.70));
    assert!((path.spot[1] - 79.533).abs() < 1e-3);
    assert_eq!(path.log_spot[1], path.spot[1].ln());
}

#[test]
fn a_window_ending_on_a_weekend_stops_on_the_friday_before() {
    let sp = sp500();
    // Monday + 5 days is Saturday 1987-10-24.
    let w = window(&sp, date("1987-10-19"), 5.0 / 365.0).unwrap();
    assert_eq!(w.last_date, date("1987-10-23"));
    assert_eq!(w.steps(), 4);
    assert_eq!(w.horizon(), 4.0 / 365.0);
}

/// A dated series of closes on consecutive weekdays from Monday 2001-01-01.
fn weekday_series(units: &[u64]) -> PriceSeries {
    let mut day = date("2001-01-01");
    let mut dates = Vec::new();
    for _ in units {
        dates.push(day);
        day = Date(day.0 + if day.weekday() == 4 { 3 } else { 1 });
    }
    PriceSeries {
        decimals: 2,
        units: units.to_vec(),
        dates: Some(dates),
    }
}

#[test]
fn realised_vol_is_the_root_mean_square_return_per_calendar_year() {
    // Returns of ±ln(1.01) alternately, then 10 quiet days: over the 63 days
    // before the window σ² = 63·ln(1.01)² / (days/365), with 63 weekdays
    // spanning 12 weeks and 3 days = 87 days.
    let mut units = vec![10_000u64];
    for i in 0..63 {
        let last = *units.last().unwrap();
        units.push(if i % 2 == 0 { last * 101 / 100 } else { 10_000 });
    }
    units.extend([10_000; 10]);
    let series = weekday_series(&units);
    let dates = series.dates.as_ref().unwrap();
    let w = window(&series, dates[63], 5.0 / 365.0).unwrap();
    assert_eq!(dates[63].days_since(dates[0]), 87);
    let expected = (63.0 * 1.01f64.ln().powi(2) * 365.0 / 87.0).sqrt();
    let vol = w.realised_vol_before(&series).unwrap();
    assert!((vol / expected - 1.0).abs() < 1e-12, "{vol} vs {expected}");
    // Too little to measure: no vol rather than a panic or a NaN.
    assert_eq!(realised_vol(&[100], &[date("2001-01-01")]), None);
    assert_eq!(realised_vol(&[100, 101], &[date("2001-01-01")]), None);
    assert_eq!(realised_vol(&[100, 101], &[date("2001-01-01"); 2]), None);
}

#[test]
fn realised_vol_before_the_1987_crash_matches_a_direct_computation() {
    let sp = sp500();
    let w = window(&sp, date("1987-10-19"), 0.25).unwrap();
    let dates = sp.dates.as_ref().unwrap();
    let closes: Vec<f64> = (w.start - VOL_LOOKBACK..=w.start)
        .map(|i| sp.price_text(i).parse().unwrap())
        .collect();
    let squares: f64 = closes.windows(2).map(|p| (p[1] / p[0]).ln().powi(2)).sum();
    let days = dates[w.start].days_since(dates[w.start - VOL_LOOKBACK]);
    let expected = (squares * 365.0 / f64::from(days)).sqrt();
    let vol = w.realised_vol_before(&sp).unwrap();
    assert!((vol / expected - 1.0).abs() < 1e-12);
    // The quarter before includes the crash day itself and Friday's −5 %.
    assert!(vol > 0.4 && vol < 0.6, "{vol}");
}

fn field_of(result: Result<impl std::fmt::Debug, FieldError>) -> (&'static str, String) {
    let e = result.unwrap_err();
    (e.field, e.message)
}

#[test]
fn windows_outside_the_data_name_the_field_and_what_is_allowed() {
    let sp = sp500();
    let (field, message) = field_of(window(&sp, date("1949-12-30"), 1.0));
    assert_eq!(field, "from");
    assert!(
        message.contains("1950-01-03") && message.contains("2018-12-07"),
        "{message}"
    );
    let (field, _) = field_of(window(&sp, date("2019-01-02"), 0.1));
    assert_eq!(field, "from");
    let (field, message) = field_of(window(&sp, date("2018-06-01"), 1.0));
    assert_eq!(field, "t");
    assert!(
        message.contains("2018-12-07") && message.contains("0.5178"),
        "{message}"
    );
    assert_eq!(field_of(window(&sp, date("2000-01-03"), 0.0)).0, "t");
    assert_eq!(field_of(window(&sp, date("2000-01-03"), f64::NAN)).0, "t");
    // From a Friday, one day does not reach Monday.
    let (field, message) = field_of(window(&sp, date("1987-10-16"), 1.0 / 365.0));
    assert_eq!(field, "t");
    assert!(message.contains("1987-10-19"), "{message}");
    // Too early for 63 days of vol: from must be on or after the 64th day.
    let w = window(&sp, date("1950-01-03"), 0.5).unwrap();
    let (field, message) = field_of(w.realised_vol_before(&sp));
    assert_eq!(field, "from");
    let earliest = sp.dates.as_ref().unwrap()[VOL_LOOKBACK];
    assert!(message.contains(&earliest.to_string()), "{message}");
    let undated = parse_prices("close\n1\n2\n3\n").unwrap();
    assert_eq!(
        field_of(window(&undated, date("2000-01-03"), 0.1)).0,
        "from"
    );
}

#[test]
fn window_edges_and_their_messages() {
    let sp = sp500();
    // The allowed starts for t = 1: up to 365 days before the last close.
    let outside = window(&sp, date("1949-12-30"), 1.0).unwrap_err();
    assert_eq!(
        outside.to_string(),
        "from: 1949-12-30 is outside the series, which runs 1950-01-03 … 2018-12-07; \
         allowed: for t = 1 years, from 1950-01-03 to 2017-12-07"
    );
    // A t longer than the series (even one no calendar holds) leaves only the
    // first date, whose own window then says how long t may be.
    for t in [100.0, 1e300] {
        let (field, message) = field_of(window(&sp, date("1949-12-30"), t));
        assert_eq!(field, "from");
        assert!(
            message.ends_with("from 1950-01-03 to 1950-01-03"),
            "{t}: {message}"
        );
    }
    // Without a valid t, the whole series (t's own error comes once from is in).
    for t in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let (field, message) = field_of(window(&sp, date("1949-12-30"), t));
        assert_eq!(field, "from");
        assert!(
            message.ends_with("allowed: 1950-01-03 … 2018-12-07"),
            "{t}: {message}"
        );
        let (field, message) = field_of(window(&sp, date("2000-01-03"), t));
        assert_eq!(field, "t");
        assert!(message.ends_with("t must be positive"), "{t}: {message}");
    }
    // The last day is in the series, but no window starts there; nor from a
    // day after the one before it (a Saturday before a series' last Monday).
    let weekdays = weekday_series(&[100; 6]);
    for (series, from, last) in [
        (&sp, "2018-12-07", "2018-12-07"),
        (&weekdays, "2001-01-06", "2001-01-08"),
    ] {
        let (field, message) = field_of(window(series, date(from), 0.1));
        assert_eq!(field, "from");
        assert!(
            message.starts_with(&format!(
                "a window from {from} would start on the series' last day, {last}"
            )),
            "{message}"
        );
    }
    // The day before it starts a window of one step.
    let w = window(&sp, date("2018-12-06"), 1.0 / 365.0).unwrap();
    assert_eq!((w.steps(), w.points()), (1, 2));
    // Monday 1987-10-19 to Friday the 23rd: five closes, four steps.
    let w = window(&sp, date("1987-10-19"), 4.0 / 365.0).unwrap();
    assert_eq!((w.steps(), w.points()), (4, 5));
    // One dated price has no calendar to start a window in.
    let one = PriceSeries {
        decimals: 2,
        units: vec![10_000],
        dates: Some(vec![date("2001-01-01")]),
    };
    let (field, message) = field_of(window(&one, date("2001-01-01"), 0.1));
    assert_eq!(field, "from");
    assert!(message.contains("fewer than two"), "{message}");
}

#[test]
fn rolls_at_their_edges() {
    let sp = sp500();
    // Until the first window's own start: that one window.
    let windows = roll(&sp, date("1987-10-19"), date("1987-10-19"), 0.25, 5).unwrap();
    assert_eq!(windows.len(), 1);
    assert_eq!(windows[0].first_date, date("1987-10-19"));
    // A step that lands exactly one past the last close ends the roll.
    let series = weekday_series(&[100; 20]);
    let dates = series.dates.as_ref().unwrap();
    let windows = roll(&series, dates[0], dates[3], 2.0 / 365.0, 20).unwrap();
    assert_eq!(windows.len(), 1);
    let windows = roll(&series, dates[0], dates[3], 2.0 / 365.0, 3).unwrap();
    assert_eq!(windows.len(), 2);
}

#[test]
fn realised_vol_of_the_smallest_inputs() {
    let days = [date("2001-01-01"), date("2001-01-02")];
    // Two closes a day apart: one return over 1/365 of a year.
    let vol = realised_vol(&[100, 101], &days).unwrap();
    let expected = (1.01f64.ln().powi(2) * 365.0).sqrt();
    assert!((vol / expected - 1.0).abs() < 1e-12, "{vol} vs {expected}");
    assert_eq!(realised_vol(&[], &[]), None);
    assert_eq!(realised_vol(&[100, 0], &days), None);
    assert_eq!(realised_vol(&[0, 100], &days), None);
}

#[test]
fn a_window_alone_equals_the_same_window_in_a_roll() {
    let sp = sp500();
    let windows = roll(&sp, date("1987-01-01"), date("1987-12-31"), 0.25, 21).unwrap();
    assert_eq!(windows[0].first_date, date("1987-01-02"));
    assert_eq!(windows.len(), 253usize.div_ceil(21)); // 253 trading days in 1987
    for pair in windows.windows(2) {
        assert_eq!(pair[1].start - pair[0].start, 21);
    }
    assert!(windows.last().unwrap().first_date <= date("1987-12-31"));
    for w in &windows {
        let alone = window(&sp, w.first_date, 0.25).unwrap();
        assert_eq!(alone, *w);
        assert_eq!(alone.path(&sp, 100.0), w.path(&sp, 100.0));
        assert_eq!(alone.times(&sp), w.times(&sp));
        assert_eq!(
            alone.realised_vol_before(&sp).unwrap().to_bits(),
            w.realised_vol_before(&sp).unwrap().to_bits()
        );
    }
}

#[test]
fn rolls_outside_the_data_name_until_or_roll() {
    let sp = sp500();
    let (field, message) = field_of(roll(&sp, date("2017-01-01"), date("2018-06-01"), 1.0, 5));
    assert_eq!(field, "until");
    assert!(message.contains("2017-12-07"), "{message}"); // the latest start
    let (field, _) = field_of(roll(&sp, date("2017-01-01"), date("2016-06-01"), 0.5, 5));
    assert_eq!(field, "until");
    let (field, _) = field_of(roll(&sp, date("2017-01-01"), date("2017-06-01"), 0.5, 0));
    assert_eq!(field, "roll");
    // A valid roll up to the latest start.
    let windows = roll(&sp, date("2017-01-01"), date("2017-12-07"), 1.0, 1).unwrap();
    assert_eq!(windows.last().unwrap().last_date, date("2018-12-07"));
}

// ---------------------------------------------------------------- the reader's CSV

#[test]
fn the_accepted_layouts_read_the_same_prices() {
    let expected = [100.5, 101.25, 99.0];
    for text in [
        "date,close\n2020-01-02,100.5\n2020-01-03,101.25\n2020-01-06,99\n",
        "Date,Open,High,Low,Close,Volume\n2020-01-02,1,1,1,100.5,7\n\
         2020-01-03,1,1,1,101.25,7\n2020-01-06,1,1,1,99,7\n",
        "CLOSE,DATE\n100.5,2020-01-02\n101.25,2020-01-03\n99,2020-01-06\n",
        "\u{feff}date,close\r\n2020-01-02,100.5\r\n2020-01-03,101.25\r\n\r\n2020-01-06,99",
        " date , close \n 2020-01-02 , 100.5 \n2020-01-03,101.25\n2020-01-06,99\n",
    ] {
        let series = parse_prices(text).unwrap();
        assert_eq!(series.prices(), expected, "{text:?}");
        assert_eq!(series.decimals, 2);
        let dates = series.dates.unwrap();
        assert_eq!(dates[2], date("2020-01-06"));
    }
    for text in [
        "close\n100.5\n101.25\n99\n",
        "100.5\n101.25\n99",
        "Close\n100.5\n101.25\n99.00\n",
    ] {
        let series = parse_prices(text).unwrap();
        assert_eq!(series.prices(), expected, "{text:?}");
        assert_eq!(series.dates, None);
    }
}

#[test]
fn prices_are_the_floats_their_text_parses_to_and_print_back() {
    for text in [
        "0.1",
        "0.3",
        "1234567.891",
        "0.000001",
        "999999999999999",
        "2633.08",
        "7",
    ] {
        let series = parse_prices(&format!("close\n{text}\n{text}\n")).unwrap();
        assert_eq!(series.price(0), text.parse::<f64>().unwrap(), "{text}");
        assert_eq!(series.price_text(1), text);
    }
    // Mixed decimals: the file's largest count; the values are unchanged.
    let series = parse_prices("close\n1.5\n2.25\n3\n").unwrap();
    assert_eq!(series.decimals, 2);
    assert_eq!(series.prices(), [1.5, 2.25, 3.0]);
    assert_eq!(series.price_text(0), "1.50");
}

#[test]
fn the_readers_series_scales_to_the_spot_whole() {
    let series = parse_prices("date,close\n2020-01-03,50\n2020-01-06,55\n2020-01-07,45\n").unwrap();
    let whole = Window::whole(&series).unwrap();
    assert_eq!((whole.start, whole.end), (0, 2));
    assert_eq!(whole.times(&series), [0.0, 3.0 / 365.0, 4.0 / 365.0]);
    assert_eq!(
        whole.path(&series, 100.0).spot,
        [100.0, 100.0 * (5500.0 / 5000.0), 100.0 * (4500.0 / 5000.0)]
    );
    let undated = parse_prices("50\n55\n45\n").unwrap();
    assert_eq!(Window::whole(&undated), None);
    assert_eq!(undated.scaled_path(0, 2, 100.0).spot[2], 90.0);
}

/// The line an error names and a word its message must contain.
fn csv_error(text: &str) -> (u64, String) {
    let e = parse_prices(text).unwrap_err();
    assert!(e.to_string().starts_with(&format!("line {}: ", e.line)));
    (e.line, e.message)
}

#[test]
fn every_csv_error_names_its_line_and_what_is_allowed() {
    let cases: [(&str, u64, &str); 20] = [
        ("close\n1\nabc\n", 3, "plain decimals"),
        ("close\n1\n-\n", 3, "not a number"),
        ("close\n1\n$2.50\n", 3, "plain decimals"),
        ("close\n1\n1.5e3\n", 3, "exponents"),
        ("1\n2\n1,5\n", 3, "1.5, not 1,5"),
        ("close\n1\n\n\nx\n", 5, "not a number"),
        ("close\r\n1\r\nx\r\n", 3, "not a number"),
        ("date,price\n2020-01-02,1\n", 1, "`close`"),
        ("2020-01-02,1\n2020-01-03,2\n", 1, "`close`"),
        ("date,close\n2020-01-02\n", 2, "close"),
        ("close\n100\n", 2, "at least 2"),
        ("", 1, "at least 2"),
        ("close\n1\n0\n", 3, "positive"),
        ("close\n1\n-5\n", 3, "positive"),
        (
            "date,close\n2020-01-03,1\n2020-01-02,2\n",
            3,
            "before line 2's 2020-01-03",
        ),
        (
            "date,close\n2020-01-03,1\n\n2020-01-03,2\n",
            4,
            "repeats line 2's",
        ),
        ("date,close\n2020-01-03,1\n01/04/2020,2\n", 3, "YYYY-MM-DD"),
        ("date,close\n2020-02-30,1\n2020-03-01,2\n", 2, "YYYY-MM-DD"),
        ("close\n1\n1.1234567890123456\n", 3, "at most 15"),
        // 2⁵³ + 1 units: past the exact integers of a float.
        ("close\n1\n9007199254740993\n", 3, "at most 15"),
    ];
    for (text, line, word) in cases {
        let (got_line, message) = csv_error(text);
        assert_eq!(got_line, line, "{text:?}: {message}");
        assert!(message.contains(word), "{text:?}: {message}");
    }
    // At the limits: 15 decimals, and 2⁵³ units (every integer up to it is a
    // float exactly).
    for text in [
        "close\n1\n1.123456789012345\n",
        "close\n1\n9007199254740992\n",
    ] {
        let series = parse_prices(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(series.len(), 2, "{text:?}");
    }
    // Too many digits only once the other lines' decimals are known.
    let (line, message) = csv_error("close\n1.000001\n99999999999\n2\n");
    assert_eq!(line, 3, "{message}");
}

#[test]
fn prices_without_dates_are_spaced_evenly_over_t() {
    assert_eq!(even_times(5, 1.0), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    assert_eq!(even_times(2, 0.5), vec![0.0, 0.5]);
}

// ---------------------------------------------------------------- the px= link

/// A long dated CSV of `n` rows: a random walk in cents on weekdays.
fn long_csv(n: usize) -> String {
    let mut text = String::from("date,close\n");
    let mut day = date("2001-01-01");
    let mut cents: i64 = 250_000;
    let mut state = 12345u64;
    for _ in 0..n {
        text.push_str(&format!("{day},{}.{:02}\n", cents / 100, cents % 100));
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        cents = (cents + (state >> 33) as i64 % 4001 - 2000).max(1);
        day = Date(day.0 + if day.weekday() == 4 { 3 } else { 1 });
    }
    text
}

#[test]
fn links_round_trip_exactly_to_the_csv_text() {
    let excerpt = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sp500-excerpt.csv"
    ))
    .unwrap();
    let set = [
        "close\n100\n101\n99\n7\n".to_string(),
        "close\n0.000001\n0.000002\n0.000150\n1.234567\n987654.321000\n".to_string(),
        "close\n9007199254740992\n1\n4503599627370496\n".to_string(),
        "close\n99999999999.99\n0.01\n12345678901.23\n".to_string(),
        "date,close\n1885-02-16,30.92\n2023-11-21,35088.29\n".to_string(),
        "date,close\n1969-12-31,0.000001\n1970-01-01,1000000.000000\n".to_string(),
        excerpt,
        long_csv(MAX_LINK_PRICES),
    ];
    for text in &set {
        let series = parse_prices(text).unwrap();
        let link = encode_link(&series).unwrap();
        assert!(link
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let back = decode_link(&link).unwrap();
        assert_eq!(back, series);
        assert_eq!(back.to_csv(), *text);
        assert_eq!(back.prices(), series.prices());
    }
}

#[test]
fn the_link_format_is_the_documented_bits_in_base64url() {
    // 100 then 101, 0 decimals, no dates. Header 0x02 (version 1, no dates);
    // then γ(1) = 1, γ(3) = 011, γ(100) = 000000 1100100; the Rice state
    // A = 100/64 + 2 = 3, N = 1 gives k = 2, and the difference +1 zigzags to 2:
    // quotient 0 (a 0) and the low bits 10. 1011 0000 0011 0010 0010 (+ 0000)
    // = B0 32 20 → base64url of 02 B0 32 20 = "ArAyIA".
    let series = parse_prices("close\n100\n101\n").unwrap();
    assert_eq!(encode_packed(&series), [0x02, 0xB0, 0x32, 0x20]);
    assert_eq!(encode_link(&series).unwrap(), "ArAyIA");
    // The byte format (version 0): 00 00 02 64 02 → "AAACZAI", also a link.
    assert_eq!(codec::encode(&series), [0, 0, 2, 0x64, 2]);
    assert_eq!(decode_link("AAACZAI").unwrap(), series);
}

#[test]
fn two_thousand_real_closes_fit_a_link_and_more_are_local_only() {
    for (bundled, longest) in [(Bundled::Sp500, 5_000), (Bundled::Djia, 6_500)] {
        let series = bundled.series().unwrap();
        let dates = series.dates.as_ref().unwrap();
        // The last 2,000 trading days: the highest index levels, the largest
        // moves in cents.
        let n = series.len();
        let last = PriceSeries {
            decimals: 2,
            units: series.units[n - MAX_LINK_PRICES..].to_vec(),
            dates: Some(dates[n - MAX_LINK_PRICES..].to_vec()),
        };
        let link = encode_link(&last).unwrap();
        let bytes_v0 = codec::encode(&last).len();
        eprintln!(
            "2,000 {} closes with dates: {} characters (the byte format: {})",
            bundled.name(),
            link.len(),
            bytes_v0.div_ceil(3) * 4
        );
        assert!(link.len() < longest, "{}", link.len());
        assert_eq!(decode_link(&link).unwrap(), last);
        // The whole series round-trips through the packed format as well.
        assert_eq!(codec::decode(&encode_packed(&series)).unwrap(), series);
    }
    let one_more = parse_prices(&long_csv(MAX_LINK_PRICES + 1)).unwrap();
    let message = encode_link(&one_more).unwrap_err().to_string();
    assert!(
        message.contains("local only") && message.contains("2001"),
        "{message}"
    );
    // Local only: the page keeps it (the same encoding, decoded back exactly),
    // but it is not shareable.
    let local = hedge_explorer::history::link::encode_local(&one_more).unwrap();
    assert_eq!(decode_link(&local).unwrap(), one_more);
    let prices = hedge_explorer::scenario::Prices::local(one_more).unwrap();
    assert!(!prices.is_shareable());
    // 2,000 prices, and none at all, are.
    let most = parse_prices(&long_csv(MAX_LINK_PRICES)).unwrap();
    assert!(hedge_explorer::scenario::Prices::local(most)
        .unwrap()
        .is_shareable());
    assert!(hedge_explorer::scenario::Prices::default().is_shareable());
}

#[test]
fn malformed_links_are_errors() {
    for text in [
        "", "A", "!!!!", "AAAC", "AAACZA", "AAACZAIA", "_____", "AAAB", "AA==",
    ] {
        assert!(decode_link(text).is_err(), "{text}");
    }
    // A length of 4k + 1 characters is no whole number of bytes.
    for text in ["A", "AAAAA", "AAACZAIAA"] {
        let message = decode_link(text).unwrap_err().to_string();
        assert!(
            message.contains("not a whole number of bytes"),
            "{text}: {message}"
        );
    }
}

// ---------------------------------------------------------------- the bootstrap

/// Mean and standard error of a sample of independent values.
fn mean_and_error(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

#[test]
fn bootstrapped_returns_keep_the_sources_daily_mean_and_variance() {
    let source = DailyReturns::between(&sp500(), date("1950-01-03"), date("2018-12-07")).unwrap();
    assert_eq!(source.log_returns.len(), 17_345);
    let per_year = source.per_year();
    assert!((251.0..253.0).contains(&per_year), "{per_year}");
    let n = source.log_returns.len() as f64;
    let mean = source.log_returns.iter().sum::<f64>() / n;
    let square = source.log_returns.iter().map(|r| r * r).sum::<f64>() / n;
    let grid = TimeGrid::even(1.0, 252);
    let boot = StationaryBootstrap::new(source.log_returns.clone(), 10.0, 100.0, grid.clone(), 42)
        .unwrap();
    let paths = 4_000;
    let (mut means, mut squares) = (Vec::new(), Vec::new());
    let mut out = PathBuffer::new(grid.steps);
    for p in 0..paths {
        boot.fill(p, &mut out);
        assert_eq!(out.spot[0], 100.0);
        let r: Vec<f64> = out.log_spot.windows(2).map(|w| w[1] - w[0]).collect();
        means.push(r.iter().sum::<f64>() / r.len() as f64);
        squares.push(r.iter().map(|x| x * x).sum::<f64>() / r.len() as f64);
    }
    // Paths are independent, so their means give honest standard errors.
    let (m, m_error) = mean_and_error(&means);
    let (q, q_error) = mean_and_error(&squares);
    eprintln!(
        "daily mean {m:.3e} vs {mean:.3e}: {:.2} SE; mean square {q:.3e} vs {square:.3e}: {:.2} SE",
        (m - mean) / m_error,
        (q - square) / q_error
    );
    assert!(
        (m - mean).abs() < 4.0 * m_error,
        "{m} vs {mean} ± {m_error}"
    );
    assert!(
        (q - square).abs() < 4.0 * q_error,
        "{q} vs {square} ± {q_error}"
    );
}

#[test]
fn bootstrap_blocks_have_the_mean_length_asked_for() {
    let source = DailyReturns::between(&sp500(), date("1950-01-03"), date("2018-12-07")).unwrap();
    let days = source.log_returns.len();
    let grid = TimeGrid::even(1.0, 252);
    for block in [1.0, 5.0, 20.0] {
        let boot =
            StationaryBootstrap::new(source.log_returns.clone(), block, 100.0, grid.clone(), 7)
                .unwrap();
        let picks: Vec<usize> = boot.source_days(3).take(400_000).collect();
        let mut runs = Vec::new();
        let mut run = 1.0;
        for pair in picks.windows(2) {
            if pair[1] == (pair[0] + 1) % days {
                run += 1.0;
            } else {
                runs.push(run);
                run = 1.0;
            }
        }
        // A run goes on with chance 1 − 1/b, or 1/(b·n) when a new block lands
        // on the next day: geometric with mean 1/((1/b)(1 − 1/n)), ≈ b.
        let expected = 1.0 / ((1.0 / block) * (1.0 - 1.0 / days as f64));
        let (mean, error) = mean_and_error(&runs);
        eprintln!(
            "block {block}: mean run {mean:.4} vs {expected:.4}: {:.2} SE",
            (mean - expected) / error
        );
        assert!(
            (mean - expected).abs() < 4.0 * error,
            "block {block}: {mean} ± {error}"
        );
        assert!(picks.iter().all(|&d| d < days));
    }
}

#[test]
fn shifting_moves_the_log_drift_and_nothing_else() {
    let source = DailyReturns::between(&sp500(), date("1950-01-03"), date("2018-12-07")).unwrap();
    let dt = 1.0 / 252.0;
    let shifted = shift_to_log_drift(&source.log_returns, 0.0, dt);
    let n = shifted.len() as f64;
    let mean = shifted.iter().sum::<f64>() / n;
    assert!(mean.abs() < 1e-17, "{mean}");
    let diffs: Vec<f64> = shifted
        .iter()
        .zip(&source.log_returns)
        .map(|(a, b)| a - b)
        .collect();
    assert!(diffs.iter().all(|d| (d - diffs[0]).abs() < 1e-15));
    // Paths of one year then have an expected log return of g·T = 0.05.
    let shifted = shift_to_log_drift(&source.log_returns, 0.05, dt);
    let grid = TimeGrid::even(1.0, 252);
    let boot = StationaryBootstrap::new(shifted, 10.0, 1.0, grid.clone(), 1).unwrap();
    let mut out = PathBuffer::new(grid.steps);
    let ends: Vec<f64> = (0..4_000)
        .map(|p| {
            boot.fill(p, &mut out);
            out.log_spot[grid.steps]
        })
        .collect();
    let (m, error) = mean_and_error(&ends);
    eprintln!(
        "mean log return {m:.5} vs 0.05: {:.2} SE",
        (m - 0.05) / error
    );
    assert!((m - 0.05).abs() < 4.0 * error, "{m} ± {error}");
}

#[test]
fn bootstrapped_paths_depend_only_on_seed_and_index() {
    let source = DailyReturns::between(&sp500(), date("2000-01-03"), date("2010-12-31")).unwrap();
    let grid = TimeGrid::even(0.5, 126);
    let boot =
        StationaryBootstrap::new(source.log_returns.clone(), 10.0, 50.0, grid.clone(), 99).unwrap();
    let again = boot.clone();
    let (mut a, mut b) = (PathBuffer::new(126), PathBuffer::new(126));
    boot.fill(5, &mut a);
    again.fill(5, &mut b);
    assert_eq!(a, b);
    boot.fill(6, &mut b);
    assert_ne!(a, b);
    assert_eq!(boot.grid(), grid);
    for (s, l) in a.spot.iter().zip(&a.log_spot) {
        assert!((s.ln() - l).abs() < 1e-12);
    }
}

#[test]
fn the_sample_variance_divides_by_n_minus_1() {
    assert_eq!(sample_variance(&[]), 0.0);
    assert_eq!(sample_variance(&[0.5]), 0.0);
    // Two returns: ((1 − 2)² + (3 − 2)²) / 1; four: 25 / 3 (mean 2.5).
    assert_eq!(sample_variance(&[1.0, 3.0]), 2.0);
    assert_eq!(sample_variance(&[-1.0, 2.0, 3.0, 6.0]), 25.0 / 3.0);
}

#[test]
fn a_bootstraps_variance_per_year_is_its_returns_over_its_step() {
    // Returns 0.01, −0.01, 0.03: mean 0.01, sample variance (0 + 0.0004 +
    // 0.0004) / 2 = 0.0004 a step; 252 steps a year: 0.1008.
    let grid = TimeGrid::even(1.0, 252);
    let boot = StationaryBootstrap::new(vec![0.01, -0.01, 0.03], 5.0, 100.0, grid, 1).unwrap();
    assert!(
        (boot.variance_per_year() - 0.1008).abs() < 1e-15,
        "{}",
        boot.variance_per_year()
    );
}

#[test]
fn bootstrap_inputs_outside_the_data_name_their_field() {
    let sp = sp500();
    let grid = TimeGrid::even(1.0, 252);
    let r = DailyReturns::between(&sp, date("2000-01-03"), date("2001-01-03")).unwrap();
    assert_eq!(
        field_of(StationaryBootstrap::new(
            r.log_returns.clone(),
            0.5,
            1.0,
            grid.clone(),
            1
        ))
        .0,
        "block"
    );
    assert_eq!(
        field_of(StationaryBootstrap::new(vec![], 5.0, 1.0, grid.clone(), 1)).0,
        "from"
    );
    assert_eq!(
        field_of(DailyReturns::between(
            &sp,
            date("2000-01-03"),
            date("1999-01-03")
        ))
        .0,
        "until"
    );
    assert_eq!(
        field_of(DailyReturns::between(
            &sp,
            date("2000-01-03"),
            date("2020-01-03")
        ))
        .0,
        "until"
    );
    assert_eq!(
        field_of(DailyReturns::between(
            &sp,
            date("1940-01-03"),
            date("2000-01-03")
        ))
        .0,
        "from"
    );
    // The last day is in the series but leaves no returns after it: until is
    // at fault. Two returns are the least: Tuesday 4 December 2018 to Friday
    // (the market closed on Wednesday, for President Bush's funeral), not
    // to Thursday.
    let (field, message) = field_of(DailyReturns::between(
        &sp,
        date("2018-12-07"),
        date("2018-12-07"),
    ));
    assert_eq!(field, "until", "{message}");
    let two = DailyReturns::between(&sp, date("2018-12-04"), date("2018-12-07")).unwrap();
    assert_eq!(two.log_returns.len(), 2);
    assert_eq!(two.years, 3.0 / 365.0);
    let (field, message) = field_of(DailyReturns::between(
        &sp,
        date("2018-12-04"),
        date("2018-12-06"),
    ));
    assert_eq!(field, "until");
    assert!(
        message.contains("from two trading days after 2018-12-04"),
        "{message}"
    );
}

// ---------------------------------------------------------------- no input panics

/// The S&P 500 series, decoded once for the property tests.
fn sp500_once() -> &'static PriceSeries {
    static SERIES: std::sync::OnceLock<PriceSeries> = std::sync::OnceLock::new();
    SERIES.get_or_init(sp500)
}

/// base64url without padding (RFC 4648 §5), written out here to make `px`
/// values the page would never write.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bits: Vec<bool> = bytes
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
        .collect();
    bits.chunks(6)
        .map(|six| {
            let value = (0..6).fold(0, |v, i| v << 1 | usize::from(six.get(i) == Some(&true)));
            char::from(ALPHABET[value])
        })
        .collect()
}

/// The page's own `px` limits: 50,000 prices kept locally, and a value's text
/// refused by its length before it is decoded.
#[test]
fn local_prices_at_their_limits() {
    let rising = |count: u64| PriceSeries {
        decimals: 0,
        units: (1..=count).collect(),
        dates: None,
    };
    let most = rising(MAX_LOCAL_PRICES as u64);
    let value = encode_local(&most).expect("50,000 prices");
    assert_eq!(decode_link(&value), Ok(most));
    let message = encode_local(&rising(MAX_LOCAL_PRICES as u64 + 1))
        .unwrap_err()
        .to_string();
    assert!(message.contains("50001 prices; at most 50000"), "{message}");
    // The same refusal on reading a value the page would not write.
    let over = base64url(&codec::encode(&rising(MAX_LOCAL_PRICES as u64 + 1)));
    let message = decode_link(&over).unwrap_err().to_string();
    assert!(message.contains("50001 prices; at most 50000"), "{message}");
    // Text: at most 22 bytes a price of 50,000 (a date's and a price's 10-byte
    // varints, and change) in base64url, and 64 characters of header.
    let longest = 4 * 22 * MAX_LOCAL_PRICES / 3 + 64;
    let message = decode_link(&"A".repeat(longest + 1))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&format!("{} characters is longer", longest + 1)),
        "{message}"
    );
    let message = decode_link(&"A".repeat(longest)).unwrap_err().to_string();
    assert!(!message.contains("is longer"), "{message}");
}

/// A series of `units` with `decimals` and no dates.
fn undated(decimals: u32, units: &[u64]) -> PriceSeries {
    PriceSeries {
        decimals,
        units: units.to_vec(),
        dates: None,
    }
}

/// Asserts that decoding `bytes` fails with a message containing `says` (and
/// that the error prints as its message).
fn refused(bytes: &[u8], says: &str) {
    let error = codec::decode(bytes).expect_err(says);
    assert_eq!(error.to_string(), error.0);
    assert!(error.0.contains(says), "{bytes:?}: {error}");
}

/// The byte format's limits, from bytes written out by hand (header, decimals,
/// count, then each price as a LEB128 varint: the first whole, the rest as
/// zigzag differences).
#[test]
fn the_byte_format_at_its_limits() {
    // Decimals: 15 at most.
    assert_eq!(codec::decode(&[0, 15, 0]), Ok(undated(15, &[])));
    assert!(undated(15, &[]).is_empty() && !undated(0, &[1]).is_empty());
    refused(&[0, 16, 0], "16 decimals; at most 15");
    // A count of exactly the bytes left (each price one byte): 5, 6, 7.
    assert_eq!(
        codec::decode(&[0, 2, 3, 5, 2, 2]),
        Ok(undated(2, &[5, 6, 7]))
    );
    refused(&[0, 2, 3, 5, 2], "the count is larger than the data");
    // Prices: 1 … 2^53 units, the first given whole, the next as a difference.
    assert_eq!(codec::decode(&[0, 0, 1, 1]), Ok(undated(0, &[1])));
    refused(&[0, 0, 1, 0], "price 1 is not in 1 … 2^53 units");
    refused(&[0, 0, 2, 1, 1], "price 2 is not in"); // 1 − 1
    let two_53 = [0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10];
    assert_eq!(codec::decode(&two_53), Ok(undated(0, &[1 << 53])));
    let mut above = two_53;
    above[3] = 0x81;
    refused(&above, "price 1 is not in");
    refused(&[0, 0, 2, 5, 2, 9], "bytes left over");
    // A dated series of no prices has no first date to read.
    let empty_dated = PriceSeries {
        dates: Some(vec![]),
        ..undated(2, &[])
    };
    assert_eq!(codec::decode(&[1, 2, 0]), Ok(empty_dated));
    // A varint holds 64 bits: nine bytes of 7 and a tenth of 1.
    let mut most = vec![0];
    most.extend([0xFF; 9]);
    most.push(0x01);
    refused(&most, &format!("{} decimals; at most 15", u64::MAX));
    most[10] = 0x02;
    refused(&most, "a number longer than 64 bits");
}

/// The bit-packed format (version 1) written out from its documentation in
/// `history/packed.rs`, as a string of '0' and '1', independently of the
/// encoder: Elias gamma codes, dates as gaps from the usual weekday gap, and
/// the differences in an adaptive Rice code.
fn packed_by_hand(series: &PriceSeries) -> Vec<u8> {
    fn gamma(value: u64) -> String {
        let binary = format!("{value:b}");
        "0".repeat(binary.len() - 1) + &binary
    }
    fn zigzag(value: i64) -> u64 {
        if value >= 0 {
            2 * value as u64
        } else {
            2 * value.unsigned_abs() - 1
        }
    }
    let mut bits = gamma(u64::from(series.decimals) + 1) + &gamma(series.len() as u64 + 1);
    if let Some(dates) = &series.dates {
        if let Some(first) = dates.first() {
            bits += &gamma(zigzag(i64::from(first.0)) + 1);
        }
        for pair in dates.windows(2) {
            // Day 0 (1 January 1970) was a Thursday: Monday is 0, Friday 4.
            let usual = match (pair[0].0 + 3).rem_euclid(7) {
                4 => 3,
                5 => 2,
                _ => 1,
            };
            bits += &gamma(zigzag(i64::from(pair[1].0 - pair[0].0) - usual) + 1);
        }
    }
    if let Some(&first) = series.units.first() {
        bits += &gamma(first);
        let (mut sum, mut count) = (first / 64 + 2, 1u64);
        for pair in series.units.windows(2) {
            let z = zigzag(pair[1] as i64 - pair[0] as i64);
            let k = (0..64).find(|&k| count << k >= sum).unwrap();
            if z >> k < 24 {
                bits += &"1".repeat((z >> k) as usize);
                bits += "0";
                if k > 0 {
                    bits += &format!("{:0width$b}", z & ((1 << k) - 1), width = k);
                }
            } else {
                bits += &"1".repeat(24);
                bits += &gamma(z + 1);
            }
            sum += z;
            count += 1;
            if count == 64 {
                sum /= 2;
                count /= 2;
            }
        }
    }
    packed_bytes(series.dates.is_some(), &bits)
}

/// A header byte (version 1, dated or not) and `bits` ('0' and '1'; spaces
/// ignored), zero-padded to a whole byte.
fn packed_bytes(dated: bool, bits: &str) -> Vec<u8> {
    let bits: Vec<u8> = bits.bytes().filter(|b| *b != b' ').collect();
    let mut bytes = vec![2 | u8::from(dated)];
    for chunk in bits.chunks(8) {
        let text = String::from_utf8(chunk.to_vec()).unwrap();
        bytes.push(u8::from_str_radix(&format!("{text:0<8}"), 2).unwrap());
    }
    bytes
}

#[test]
fn the_packed_format_is_its_documented_bits_for_real_closes() {
    // The Dow's early years traded on Saturdays; both series cross every
    // holiday and a Rice state from a few dollars to tens of thousands.
    for bundled in [Bundled::Sp500, Bundled::Djia] {
        let series = bundled.series().unwrap();
        assert_eq!(encode_packed(&series), packed_by_hand(&series));
    }
    // A first price of 128 makes A = 128/64 + 2 = 4 = N·2^2 exactly, so
    // k = 2 (the least k with N·2^k ≥ A, not > A): +1 is 0 then 10.
    let exact = parse_prices("close\n128\n129\n").unwrap();
    assert_eq!(
        encode_packed(&exact),
        packed_bytes(false, "1 011 00000001 0000000 0 10")
    );
}

/// The packed format's limits, from bits written out by hand.
#[test]
fn the_packed_format_at_its_limits() {
    // Decimals: γ(16) = 000010000 is 15, γ(17) is 16; then a count of 0, γ(1).
    let fifteen = packed_bytes(false, "000010000 1");
    assert_eq!(codec::decode(&fifteen), Ok(undated(15, &[])));
    refused(
        &packed_bytes(false, "000010001 1"),
        "16 decimals; at most 15",
    );
    // No prices, dated or not: nothing follows the count (no first date, no
    // first price). γ(3) = 011 is 2 decimals.
    assert_eq!(
        codec::decode(&packed_bytes(false, "011 1")),
        Ok(undated(2, &[]))
    );
    let empty_dated = PriceSeries {
        dates: Some(vec![]),
        ..undated(2, &[])
    };
    assert_eq!(codec::decode(&packed_bytes(true, "011 1")), Ok(empty_dated));
    // A count of 0 with no bits left at all: γ(8) = 0001000 and γ(1) fill the
    // byte exactly.
    let seven = packed_bytes(false, "0001000 1");
    assert_eq!(seven.len(), 2);
    assert_eq!(codec::decode(&seven), Ok(undated(7, &[])));
    // A count of 2^40 with a few bits after it is refused before anything
    // is allocated for it.
    let huge = format!("1 {} 1 {} 1", "0".repeat(40), "0".repeat(39) + "1");
    refused(
        &packed_bytes(false, &huge),
        "the count is larger than the data",
    );
    // Prices: 1 … 2^53 units. γ(2^53) is 53 zeros, a 1 and 53 zeros.
    let two_53 = format!("1 010 {0} 1 {0}", "0".repeat(53));
    assert_eq!(
        codec::decode(&packed_bytes(false, &two_53)),
        Ok(undated(0, &[1 << 53]))
    );
    let above = format!("1 010 {} 1 {}1", "0".repeat(53), "0".repeat(52));
    refused(
        &packed_bytes(false, &above),
        "price 1 is not in 1 … 2^53 units",
    );
    // 1, then −1 (zigzag 1; A = 2, N = 1, so k = 1: quotient 0, low bit 1).
    refused(&packed_bytes(false, "1 011 1 0 1"), "price 2 is not in");
    // One price of 1 in five bits; the three bits of padding must be 0, and
    // no byte may follow.
    let one = packed_bytes(false, "1 010 1");
    assert_eq!(codec::decode(&one), Ok(undated(0, &[1])));
    refused(&packed_bytes(false, "1 010 1 001"), "bits left over");
    refused(&[one.as_slice(), &[0]].concat(), "bits left over");
    // A gamma code holds 64 bits: 63 zeros and 64 bits (here u64::MAX as the
    // decimals + 1); one zero more is refused.
    let most = format!("{} {}", "0".repeat(63), "1".repeat(64));
    refused(
        &packed_bytes(false, &most),
        &format!("{} decimals; at most 15", u64::MAX - 1),
    );
    refused(
        &packed_bytes(false, &format!("{} 1", "0".repeat(64))),
        "a number longer than 64 bits",
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn no_text_panics_the_csv_reader(text in "[0-9a-zA-Z,.\\-\n\r \"\t]{0,80}") {
        let _ = parse_prices(&text);
    }

    #[test]
    fn no_text_panics_the_link_decoder(text in "[A-Za-z0-9_\\-=!]{0,60}") {
        let _ = decode_link(&text);
    }

    #[test]
    fn no_packed_bytes_panic_the_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut bytes = bytes;
        if let Some(header) = bytes.first_mut() {
            *header = 2 | (*header & 1); // version 1, with or without dates
        }
        let _ = codec::decode(&bytes);
    }

    #[test]
    fn no_bytes_panic_the_series_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = codec::decode(&bytes);
    }

    #[test]
    fn series_round_trip_through_bytes(
        decimals in 0u32..=8,
        units in proptest::collection::vec(1u64..=(1 << 53), 1..40),
        gaps in proptest::option::of(proptest::collection::vec(1i32..400, 40)),
        first in -700_000i32..2_000_000,
    ) {
        let dates = gaps.map(|gaps| {
            let mut day = first;
            gaps[..units.len()].iter().map(|g| { day += g; Date(day) }).collect()
        });
        let series = PriceSeries { decimals, units, dates };
        prop_assert_eq!(&codec::decode(&codec::encode(&series)).unwrap(), &series);
        prop_assert_eq!(codec::decode(&encode_packed(&series)).unwrap(), series);
    }

    #[test]
    fn the_packed_format_is_its_documented_bits(
        decimals in 0u32..=15,
        first in 1u64..=(1 << 53),
        moves in proptest::collection::vec(-3_000i64..3_000, 0..200),
        scale in 0u32..40,
        gaps in proptest::option::of(proptest::collection::vec(1i32..6, 201)),
        start in -700_000i32..2_000_000,
    ) {
        // Moves of up to 3,000 × 2^scale units: the Rice code's low bits, its
        // escape, and (past 63 prices) its halving.
        let mut units = vec![first];
        for step in moves {
            let next = *units.last().unwrap() as i64 + (step << scale);
            units.push(next.clamp(1, 1 << 53) as u64);
        }
        let dates = gaps.map(|gaps| {
            let mut day = start;
            gaps[..units.len()].iter().map(|g| { day += g; Date(day) }).collect()
        });
        let series = PriceSeries { decimals, units, dates };
        let bytes = encode_packed(&series);
        prop_assert_eq!(&bytes, &packed_by_hand(&series));
        prop_assert_eq!(codec::decode(&bytes).unwrap(), series);
    }

    #[test]
    fn every_window_of_a_roll_is_the_window_alone(
        offset in 0i32..25_300,
        years in 0.01f64..3.0,
        every in 1usize..60,
    ) {
        let sp = sp500_once();
        let from = Date(date("1950-01-03").0 + offset);
        if let Ok(windows) = roll(sp, from, Date(from.0 + 150), years, every) {
            prop_assert!(!windows.is_empty());
            for w in windows {
                prop_assert_eq!(window(sp, w.first_date, years).unwrap(), w);
            }
        }
    }

    #[test]
    fn no_window_request_panics(from in 0i32..25_000, years in -1.0f64..80.0, every in 0usize..300) {
        let sp = sp500_once();
        let _ = window(sp, Date(from - 8_000), years).map(|w| w.realised_vol_before(sp));
        let _ = roll(sp, Date(from - 8_000), Date(from - 7_000), years, every);
    }
}
