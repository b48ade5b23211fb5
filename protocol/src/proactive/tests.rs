use super::*;

fn rule(id: &str, when: Vec<Condition>) -> Rule {
    Rule {
        id: id.into(),
        name: format!("Rule {id}"),
        paused: false,
        when,
        message: BTreeMap::from([
            ("en".into(), "Need a hand?".into()),
            ("fr".into(), "Besoin d'aide ?".into()),
        ]),
        from: String::new(),
    }
}

fn page(url: &str) -> Page {
    Page {
        url: url.into(),
        ..Page::default()
    }
}

#[test]
fn patterns_match_paths_or_whole_addresses() {
    let url = "https://shop.example/pricing/pro?plan=team#top";
    assert!(url_matches("/pricing*", url));
    assert!(url_matches("/pricing/pro?plan=team", url));
    assert!(!url_matches("/pricing", url));
    assert!(url_matches("*plan=team", url));
    assert!(url_matches("https://shop.example/*", url));
    assert!(!url_matches("https://other.example/*", url));
    assert!(url_matches("/*/pro*", url));
    assert!(url_matches("/", "https://shop.example"));
    assert!(!url_matches("/cart", "https://shop.example/cart-old"));
    assert!(url_matches("*a*b*", "xxaxxbxx"));
    assert!(!url_matches("*a*b", "xxaxxbxx"));
}

#[test]
fn attributes_compare_as_numbers_when_both_are() {
    let cart = |op, value: &str| Condition::Attribute {
        name: "cart_value".into(),
        op,
        value: value.into(),
    };
    let mut at = page("https://shop.example/");
    let set = |at: &mut Page, key: &str, value: &str| {
        at.attributes.retain(|(k, _)| k != key);
        at.attributes.push((key.into(), value.into()));
    };
    assert!(!cart(Op::Gt, "100").holds(&at), "nothing set yet");
    set(&mut at, "cart_value", "120.5");
    assert!(cart(Op::Gt, "100").holds(&at));
    assert!(cart(Op::Ge, "120.5").holds(&at));
    assert!(!cart(Op::Lt, "100").holds(&at));
    assert!(cart(Op::Eq, "120.50").holds(&at));
    set(&mut at, "cart_value", "99");
    assert!(!cart(Op::Gt, "100").holds(&at));
    set(&mut at, "plan", "Pro team");
    let plan = |op, value: &str| Condition::Attribute {
        name: "plan".into(),
        op,
        value: value.into(),
    };
    assert!(plan(Op::Contains, "PRO").holds(&at));
    assert!(plan(Op::Ne, "free").holds(&at));
    assert!(!plan(Op::Gt, "1").holds(&at), "text is not ordered");
    assert!(!plan(Op::Contains, "enterprise").holds(&at));
    set(&mut at, "cart_value", "-3");
    assert!(cart(Op::Lt, "0").holds(&at));
}

#[test]
fn numbers_read_as_pages_write_them() {
    assert_eq!(number("120.50"), Some(120.5));
    assert_eq!(number(" -3 "), Some(-3.0));
    assert_eq!(number("+7"), Some(7.0));
    assert_eq!(number(".5"), Some(0.5));
    assert_eq!(number("0.1"), "0.1".parse().ok());
    for text in [
        "",
        "-",
        ".",
        "1e3",
        "12a",
        "1.2.3",
        "NaN",
        "1 000",
        "1234567890123456",
    ] {
        assert_eq!(number(text), None, "{text:?}");
    }
}

#[test]
fn every_condition_of_a_rule_must_hold() {
    let teasers = teasers(
        &[rule(
            "pricing",
            vec![
                Condition::Page {
                    pattern: "/pricing*".into(),
                },
                Condition::TimeOnPage { seconds: 30 },
                Condition::Scroll { percent: 50 },
            ],
        )],
        "en",
        "Acme",
    );
    let mut at = page("https://shop.example/pricing");
    at.seconds = 29;
    at.scroll = 80;
    let caps = Caps::default();
    assert!(due(&teasers, &at, &caps, Quiet::default(), 0).is_none());
    at.seconds = 30;
    assert_eq!(
        due(&teasers, &at, &caps, Quiet::default(), 0).unwrap().rule,
        "pricing"
    );
    at.scroll = 40;
    assert!(due(&teasers, &at, &caps, Quiet::default(), 0).is_none());
    at.scroll = 50;
    at.url = "https://shop.example/cart".into();
    assert!(due(&teasers, &at, &caps, Quiet::default(), 0).is_none());
}

#[test]
fn events_exit_and_returning_are_what_the_page_saw() {
    let rules = [
        rule(
            "failed",
            vec![Condition::Event {
                name: "checkout_failed".into(),
            }],
        ),
        rule("leaving", vec![Condition::ExitIntent]),
        rule("back", vec![Condition::Returning]),
    ];
    let teasers = teasers(&rules, "en", "Acme");
    let caps = Caps::default();
    let mut at = page("https://shop.example/");
    assert!(due(&teasers, &at, &caps, Quiet::default(), 0).is_none());
    at.returning = true;
    assert_eq!(
        due(&teasers, &at, &caps, Quiet::default(), 0).unwrap().rule,
        "back"
    );
    at.exit_intent = true;
    assert_eq!(
        due(&teasers, &at, &caps, Quiet::default(), 0).unwrap().rule,
        "leaving"
    );
    at.events.push("checkout_failed".into());
    assert_eq!(
        due(&teasers, &at, &caps, Quiet::default(), 0).unwrap().rule,
        "failed"
    );
}

#[test]
fn a_teaser_shows_once_a_day_alone_and_never_over_a_conversation() {
    let teasers = teasers(
        &[rule("any", vec![Condition::TimeOnPage { seconds: 1 }])],
        "en",
        "Acme",
    );
    let mut at = page("https://shop.example/");
    at.seconds = 5;
    let mut caps = Caps::default();
    let now = 1_000_000;
    let open = Quiet {
        conversation_open: true,
        busy: false,
    };
    assert!(due(&teasers, &at, &caps, open, now).is_none());
    let busy = Quiet {
        conversation_open: false,
        busy: true,
    };
    assert!(due(&teasers, &at, &caps, busy, now).is_none());
    assert!(due(&teasers, &at, &caps, Quiet::default(), now).is_some());
    caps.shown("any", now);
    // Kept across reloads as text.
    let kept = Caps::read(&caps.write(), now + 1);
    assert_eq!(kept, caps);
    assert!(due(&teasers, &at, &kept, Quiet::default(), now + CAP_MS - 1).is_none());
    let next_day = now + CAP_MS;
    assert!(due(&teasers, &at, &kept, Quiet::default(), next_day).is_some());
    // What is past its day is forgotten; what cannot be read is ignored.
    assert_eq!(Caps::read(&caps.write(), next_day), Caps::default());
    assert_eq!(Caps::read("garbage,x:y,:", now), Caps::default());
}

#[test]
fn the_widget_gets_live_rules_in_the_visitors_language() {
    let mut paused = rule("paused", vec![Condition::ExitIntent]);
    paused.paused = true;
    let mut anna = rule("anna", vec![Condition::ExitIntent]);
    anna.from = "Anna".into();
    let mut german = rule("german", vec![Condition::ExitIntent]);
    german.message = BTreeMap::from([("de".into(), "Hallo".into())]);
    let got = teasers(
        &[paused, anna, rule("team", vec![]), german],
        "fr-CA",
        "Acme",
    );
    let names: Vec<_> = got
        .iter()
        .map(|t| (t.rule.as_str(), t.body.as_str(), t.from.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("anna", "Besoin d'aide ?", "Anna"),
            ("team", "Besoin d'aide ?", "Acme"),
            // Not in French nor English: the one language it has.
            ("german", "Hallo", "Acme"),
        ]
    );
    assert_eq!(rule("x", vec![]).text_for("ja"), "Need a hand?");
}

#[test]
fn stored_rules_are_checked_naming_the_field() {
    let good = rule(
        "cart",
        vec![Condition::Attribute {
            name: " cart_value ".into(),
            op: Op::Gt,
            value: "100".into(),
        }],
    );
    let kept = checked(vec![good.clone()]).unwrap();
    assert_eq!(
        kept[0].when[0],
        Condition::Attribute {
            name: "cart_value".into(),
            op: Op::Gt,
            value: "100".into()
        }
    );
    let refused = |change: &dyn Fn(&mut Rule), field: &str| {
        let mut wrong = good.clone();
        change(&mut wrong);
        let error = checked(vec![wrong]).unwrap_err();
        assert!(
            error.message.starts_with(field),
            "{field}: {}",
            error.message
        );
    };
    refused(&|r| r.id = "Cart Rule".into(), "settings.proactive.0.id");
    refused(&|r| r.name = " ".into(), "settings.proactive.0.name");
    refused(&|r| r.when.clear(), "settings.proactive.0.when");
    refused(
        &|r| r.when = vec![Condition::TimeOnPage { seconds: 0 }],
        "settings.proactive.0.when.0.seconds",
    );
    refused(
        &|r| r.when = vec![Condition::Scroll { percent: 101 }],
        "settings.proactive.0.when.0.percent",
    );
    refused(
        &|r| {
            r.when = vec![Condition::Attribute {
                name: "plan".into(),
                op: Op::Gt,
                value: "pro".into(),
            }]
        },
        "settings.proactive.0.when.0.value",
    );
    refused(
        &|r| {
            r.when = vec![Condition::Page {
                pattern: "/a b".into(),
            }]
        },
        "settings.proactive.0.when.0.pattern",
    );
    refused(&|r| r.message.clear(), "settings.proactive.0.message");
    refused(
        &|r| {
            r.message = BTreeMap::from([("en".into(), "x".repeat(MAX_TEASER_CHARS + 1))]);
        },
        "settings.proactive.0.message.en",
    );
    refused(
        &|r| {
            r.message.insert("EN-us".into(), "Hi".into());
        },
        "settings.proactive.0.message.EN-us",
    );
    refused(
        &|r| {
            r.message.insert("de".into(), "bad\u{7}".into());
        },
        "settings.proactive.0.message.de",
    );
    let twice = checked(vec![good.clone(), good.clone()]).unwrap_err();
    assert!(
        twice.message.starts_with("settings.proactive.1.id"),
        "{}",
        twice.message
    );
    assert!(checked(vec![good; MAX_RULES + 1]).is_err());
}

#[test]
fn rules_read_as_admins_write_them() {
    let json = r#"{"id":"cart","name":"Cart over 100","when":[
        {"kind":"attribute","name":"cart_value","op":"gt","value":"100"},
        {"kind":"time_on_page","seconds":10},{"kind":"exit_intent"}],
        "message":{"en":"Free shipping today"},"from":"Anna"}"#;
    let rule: Rule = serde_json::from_str(json).unwrap();
    assert_eq!(rule.when.len(), 3);
    assert!(serde_json::from_str::<Rule>(&json.replace("exit_intent", "telepathy")).is_err());
    // The widget reads the operators by the same names.
    for op in [Op::Eq, Op::Ne, Op::Gt, Op::Ge, Op::Lt, Op::Le, Op::Contains] {
        let name = serde_json::to_value(op).unwrap();
        assert_eq!(Op::parse(name.as_str().unwrap()), Some(op));
    }
    assert_eq!(Op::parse("GT"), None);
    assert!(serde_json::from_str::<Rule>(&json.replace("\"from\"", "\"sender\"")).is_err());
}

#[test]
fn counts_join_shown_and_answered_by_rule() {
    let got = counts(
        [("cart".to_string(), 10), ("exit".to_string(), 4)],
        [("cart".to_string(), 3), ("gone".to_string(), 1)],
    );
    let as_tuples: Vec<_> = got
        .iter()
        .map(|c| (c.rule.as_str(), c.shown, c.answered))
        .collect();
    assert_eq!(as_tuples, [("cart", 10, 3), ("exit", 4, 0), ("gone", 0, 1)]);
}
