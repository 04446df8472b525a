//! The table of link keys (`scenario::FIELDS`): complete and consistent, every
//! default allowed, every control inside its field's range, every word read back
//! to its variant, the public setter checks as the parser does, and values shown
//! for people as JavaScript's `toLocaleString('en-US')` shows them.

use hedge_explorer::history::bundled::Bundled;
use hedge_explorer::scenario::people::{fixed, money, percent, plain};
use hedge_explorer::scenario::{field_spec, Allowed, Control, Group, Value, FIELDS};
use hedge_explorer::Scenario;

#[test]
fn keys_are_unique_and_described() {
    for (i, spec) in FIELDS.iter().enumerate() {
        assert!(
            FIELDS[..i].iter().all(|other| other.key != spec.key),
            "key {} appears twice",
            spec.key
        );
        assert!(
            !spec.description.is_empty() && !spec.label.is_empty(),
            "{}",
            spec.key
        );
        assert_eq!(field_spec(spec.key).map(|s| s.key), Some(spec.key));
    }
}

#[test]
fn every_default_is_allowed_and_prints_nothing() {
    for spec in FIELDS {
        match spec.default_value() {
            Value::Unset => {}
            value => assert_eq!(spec.parse(&value.to_string()), Ok(value), "{}", spec.key),
        }
    }
    assert_eq!(Scenario::default().to_query(), "v=1");
}

#[test]
fn every_control_lies_inside_its_fields_range() {
    for spec in FIELDS {
        match (spec.control, spec.allowed) {
            (Control::Select, Allowed::Choice(_))
            | (Control::Text { .. }, Allowed::Legs { .. } | Allowed::Date)
            | (Control::Prices, Allowed::Prices) => {}
            (
                Control::Slider { min, max, .. } | Control::Number { min, max, .. },
                Allowed::Number { .. } | Allowed::Integer { .. },
            ) => {
                for end in [min, max] {
                    let text = end.to_string();
                    assert!(
                        spec.parse(&text).is_ok(),
                        "{}: control end {text} is not allowed",
                        spec.key
                    );
                }
                assert!(min < max, "{}", spec.key);
            }
            (control, allowed) => panic!("{}: {control:?} for {allowed:?}", spec.key),
        }
    }
    // Every group has a control, and the main group tells the story in a few.
    for group in Group::ALL {
        let count = FIELDS.iter().filter(|s| s.group == group).count();
        assert!(count > 0, "{group:?} is empty");
    }
    // Each group's heading on the page is its own, written as a heading.
    let mut titles: Vec<&str> = Group::ALL.iter().map(|g| g.title()).collect();
    for title in &titles {
        assert!(title.starts_with(char::is_uppercase), "{title:?}");
    }
    titles.sort_unstable();
    titles.dedup();
    assert_eq!(titles.len(), Group::ALL.len());
    // Six that tell the hedging story and the switch to insuring a portfolio.
    assert!(FIELDS.iter().filter(|s| s.group == Group::Main).count() <= 7);
}

#[test]
fn every_word_sets_its_variant_and_reads_back() {
    for spec in FIELDS {
        for word in spec.allowed.words() {
            let mut scenario = Scenario::default();
            if spec.key == "greeks" {
                // Gamma and vega need hedge options: two cover every choice.
                scenario
                    .set("with", "c105@0.5_p95@0.5")
                    .expect("hedge options");
            }
            if spec.key == "price" {
                // The hedger prices with the paths' model: Heston paths.
                scenario.set("model", "heston").expect("Heston paths");
            }
            if spec.key == "model" && word == "bootstrap" {
                // A bootstrap resamples a bundled series.
                scenario.set("hist", "sp500").expect("a series");
            }
            scenario.set(spec.key, &word.to_uppercase()).expect(word);
            assert_eq!(scenario.get(spec.key), Value::Word(word), "{}", spec.key);
            let query = scenario.to_query();
            assert_eq!(Scenario::parse(&query), Ok(scenario), "{query}");
        }
    }
}

#[test]
fn the_setter_checks_like_the_parser_and_names_the_field() {
    let mut scenario = Scenario::default();
    scenario.set("vol", "0.35").expect("allowed");
    assert_eq!(scenario.vol, 0.35);

    let unknown = scenario.set("volatility", "0.3").expect_err("unknown key");
    assert_eq!(unknown.field, "\"volatility\"");
    assert!(unknown.message.contains("unknown key"), "{unknown}");

    let bad = scenario.set("vol", "7").expect_err("out of range");
    assert_eq!(bad.field, "vol");
    assert!(bad.message.contains("from 0 to 5"), "{bad}");
    assert_eq!(
        scenario.vol, 0.35,
        "a rejected value leaves the field as it was"
    );

    let word = scenario.set("rule", "sometimes").expect_err("not a word");
    assert!(
        word.message.contains("none, static, every, band, ww"),
        "{word}"
    );
}

#[test]
fn shown_values_read_as_people_write_them() {
    let mut s = Scenario::default();
    let shown = |s: &Scenario, key: &str| (field_spec(key).expect(key).shown)(s);
    assert_eq!(shown(&s, "vol"), "20%");
    assert_eq!(shown(&s, "hvol"), "= volatility");
    let heston = Scenario::parse("v=1&model=heston&v0=0.09").expect("valid");
    assert_eq!(shown(&heston, "hvol"), "= √v₀ = 30.0%");
    assert_eq!(shown(&s, "t"), "91.3 days"); // 0.25 × 365 = 91.25, to one decimal
    assert_eq!(shown(&s, "steps"), "63 (1.45 days each)");
    assert_eq!(shown(&s, "cost"), "10.0 bps");
    assert_eq!(shown(&s, "every"), "every step");
    assert_eq!(shown(&s, "side"), "short (written: premium received)");
    assert_eq!(shown(&s, "r"), "2.00% a year");
    s.set("hvol", "0.25").expect("allowed");
    s.set("every", "5").expect("allowed");
    s.set("qty", "1234567").expect("allowed");
    assert_eq!(shown(&s, "hvol"), "25.0%");
    assert_eq!(shown(&s, "every"), "every 5 steps");
    assert_eq!(shown(&s, "qty"), "1,234,567 options");
    for spec in FIELDS {
        assert!(!(spec.shown)(&s).is_empty(), "{}", spec.key);
    }
    // A book: its legs and options counted.
    assert_eq!(shown(&Scenario::default(), "legs"), "one option (above)");
    let book = Scenario::parse("v=1&legs=-100c100_-50p95_25c110@0.5").expect("a book");
    assert_eq!(shown(&book, "legs"), "3 legs, 175 options");
    // Unset history dates: what they come to. The first window needs 63
    // returns before it (the hedging vol), so it starts on the 64th close;
    // a roll's last start is the last start every 21 closes whose window of
    // t = 91 days ends by the last close.
    let series = Bundled::Sp500.series().expect("bundled");
    let dates = series.dates.as_deref().expect("dated");
    let replay = Scenario::parse("v=1&hist=sp500&roll=21").expect("valid");
    assert_eq!(shown(&replay, "from"), format!("= {}", dates[63]));
    let last = dates[dates.len() - 1];
    let last_start = (63..dates.len())
        .step_by(21)
        .take_while(|&i| dates[i].days_since(last) <= -91)
        .last()
        .expect("windows");
    assert_eq!(shown(&replay, "until"), format!("= {}", dates[last_start]));
    assert_eq!(shown(&Scenario::default(), "from"), "first allowed");
    assert_eq!(shown(&Scenario::default(), "until"), "as late as allowed");
}

#[test]
fn numbers_for_people_follow_to_locale_string() {
    // Values as `x.toLocaleString('en-US', { maximumFractionDigits: d })` prints them.
    assert_eq!(plain(1234.5, 2), "1,234.5");
    assert_eq!(plain(1234.0, 2), "1,234");
    assert_eq!(plain(999_999.996, 2), "1,000,000");
    assert_eq!(plain(-1234.567, 1), "-1,234.6");
    // Exact ties round away from zero, as JavaScript does (Rust's `{:.0}` gives 0, 2).
    assert_eq!(plain(0.5, 0), "1");
    assert_eq!(plain(2.5, 0), "3");
    assert_eq!(plain(-2.5, 0), "-3");
    assert_eq!(fixed(0.125, 2), "0.13");
    // 0.15 is 0.1499999… in binary: not a tie, so it rounds down, in JS too.
    assert_eq!(fixed(0.15, 1), "0.1");
    assert_eq!(fixed(9.999, 2), "10.00");
    assert_eq!(fixed(-0.0001, 2), "0.00");
    assert_eq!(plain(100.0, 0), "100");
    assert_eq!(plain(f64::NAN, 2), "–");
    // Money: 0 decimals from 1,000, 2 from 10, 3 below; trailing zeros kept.
    assert_eq!(money(1234.567), "1,235");
    assert_eq!(money(12.3), "12.30");
    assert_eq!(money(1.5), "1.500");
    assert_eq!(money(-25.0), "-25.00");
    assert_eq!(money(f64::INFINITY), "–");
    // Percentages with fixed decimals, as `(x * 100).toFixed(d) + '%'`.
    assert_eq!(percent(0.2, 1), "20.0%");
    assert_eq!(percent(-0.015, 2), "-1.50%");
    assert_eq!(percent(f64::NAN, 1), "–");
}
