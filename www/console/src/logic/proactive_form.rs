//! A proactive rule as its form in the console says it: fields read by name
//! (`name`, `from`, one row of `kind-N`, `subject-N`, `op-N`, `value-N` per condition,
//! `message-LANG` per language), and how a rule reads back in the list. The edge checks
//! everything again (`confab_protocol::proactive::checked`).

use std::collections::BTreeMap;

use confab_protocol::proactive::{Condition, Counts, Op, Rule};

/// The kinds of condition, as the form's select names them.
pub const KINDS: [&str; 7] = [
    "page",
    "time_on_page",
    "scroll",
    "exit_intent",
    "returning",
    "attribute",
    "event",
];

pub const OPS: [(&str, Op); 7] = [
    (">", Op::Gt),
    ("≥", Op::Ge),
    ("<", Op::Lt),
    ("≤", Op::Le),
    ("=", Op::Eq),
    ("≠", Op::Ne),
    ("contains", Op::Contains),
];

/// Which of a row's inputs a kind uses: the subject (a pattern or a name), the operator,
/// the value (a number of seconds or percent, or what an attribute is compared with).
pub fn inputs(kind: &str) -> (bool, bool, bool) {
    match kind {
        "page" | "event" => (true, false, false),
        "time_on_page" | "scroll" => (false, false, true),
        "attribute" => (true, true, true),
        _ => (false, false, false),
    }
}

/// The form's kind, subject, operator and value of `condition`.
pub fn row_of(condition: &Condition) -> (&'static str, String, Op, String) {
    match condition {
        Condition::Page { pattern } => ("page", pattern.clone(), Op::Gt, String::new()),
        Condition::TimeOnPage { seconds } => {
            ("time_on_page", String::new(), Op::Gt, seconds.to_string())
        }
        Condition::Scroll { percent } => ("scroll", String::new(), Op::Gt, percent.to_string()),
        Condition::ExitIntent => ("exit_intent", String::new(), Op::Gt, String::new()),
        Condition::Returning => ("returning", String::new(), Op::Gt, String::new()),
        Condition::Attribute { name, op, value } => ("attribute", name.clone(), *op, value.clone()),
        Condition::Event { name } => ("event", name.clone(), Op::Gt, String::new()),
    }
}

/// The form's name of `op`.
pub fn op_name(op: Op) -> &'static str {
    OPS.iter().find(|(_, o)| *o == op).map_or(">", |(n, _)| n)
}

/// The condition row `i` says; a number that is not one is 0, which the edge refuses by
/// its field.
fn condition(get: &impl Fn(&str) -> String, i: usize) -> Option<Condition> {
    let field = |part: &str| get(&format!("{part}-{i}")).trim().to_owned();
    let number = || field("value").parse().unwrap_or(0);
    Some(match field("kind").as_str() {
        "page" => Condition::Page {
            pattern: field("subject"),
        },
        "time_on_page" => Condition::TimeOnPage { seconds: number() },
        "scroll" => Condition::Scroll { percent: number() },
        "exit_intent" => Condition::ExitIntent,
        "returning" => Condition::Returning,
        "attribute" => Condition::Attribute {
            name: field("subject"),
            op: OPS
                .iter()
                .find(|(n, _)| *n == field("op"))
                .map_or(Op::Eq, |(_, op)| *op),
            value: field("value"),
        },
        "event" => Condition::Event {
            name: field("subject"),
        },
        _ => return None,
    })
}

/// The rule the form says: `id` and `paused` as they were, conditions from `rows` (the
/// rows' numbers), a message per language of `languages` that has one.
pub fn rule(
    get: impl Fn(&str) -> String,
    id: &str,
    paused: bool,
    rows: &[usize],
    languages: &[String],
) -> Rule {
    Rule {
        id: id.to_owned(),
        name: get("name").trim().to_owned(),
        paused,
        when: rows.iter().filter_map(|i| condition(&get, *i)).collect(),
        message: languages
            .iter()
            .map(|lang| {
                (
                    lang.clone(),
                    get(&format!("message-{lang}")).trim().to_owned(),
                )
            })
            .filter(|(_, text)| !text.is_empty())
            .collect::<BTreeMap<_, _>>(),
        from: get("from").trim().to_owned(),
    }
}

/// An id for a new rule named `name`: its name in a-z, 0-9 and -, unlike `taken` ones.
pub fn new_id(name: &str, taken: &[&str]) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(24).collect();
    let slug = if slug.is_empty() {
        "rule".to_owned()
    } else {
        slug
    };
    (1..)
        .map(|n| match n {
            1 => slug.clone(),
            n => format!("{slug}-{n}"),
        })
        .find(|id| !taken.contains(&id.as_str()))
        .expect("some number is free")
}

/// "Shown 40 · answered 6 (15%)": a rule's counts, with `shown` and `answered` as the
/// agent's language says them.
pub fn counts_line(counts: Option<&Counts>, shown: &str, answered: &str) -> String {
    let (s, a) = counts.map_or((0, 0), |c| (c.shown, c.answered));
    let rate = if s == 0 {
        String::new()
    } else {
        format!(" ({}%)", (a as f64 / s as f64 * 100.0).round())
    };
    format!("{shown} {s} · {answered} {a}{rate}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(fields: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |name| {
            fields
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(String::new(), |(_, v)| v.to_string())
        }
    }

    #[test]
    fn a_form_makes_a_rule() {
        let fields = [
            ("name", " Cart over 100 "),
            ("from", "Anna"),
            ("kind-0", "attribute"),
            ("subject-0", "cart_value"),
            ("op-0", ">"),
            ("value-0", "100"),
            ("kind-3", "time_on_page"),
            ("value-3", "20"),
            ("kind-4", "exit_intent"),
            ("message-en", "Free shipping today"),
            ("message-fr", " "),
        ];
        let languages = ["en".to_owned(), "fr".to_owned()];
        let rule = rule(form(&fields), "cart", true, &[0, 3, 4], &languages);
        assert_eq!(rule.name, "Cart over 100");
        assert!(rule.paused);
        assert_eq!(
            rule.when,
            [
                Condition::Attribute {
                    name: "cart_value".into(),
                    op: Op::Gt,
                    value: "100".into()
                },
                Condition::TimeOnPage { seconds: 20 },
                Condition::ExitIntent,
            ]
        );
        assert_eq!(rule.message.len(), 1, "an empty language is left out");
        // Read back, each row gives its fields again.
        let back: Vec<_> = rule.when.iter().map(row_of).collect();
        assert_eq!(
            back[0],
            ("attribute", "cart_value".into(), Op::Gt, "100".into())
        );
        assert_eq!(op_name(back[0].2), ">");
        assert_eq!(back[1].0, "time_on_page");
        assert_eq!(inputs("attribute"), (true, true, true));
        assert_eq!(inputs("exit_intent"), (false, false, false));
    }

    #[test]
    fn new_ids_follow_the_name_and_never_repeat() {
        assert_eq!(new_id("Cart over 100 €!", &[]), "cart-over-100");
        assert_eq!(
            new_id("Cart over 100", &["cart-over-100"]),
            "cart-over-100-2"
        );
        assert_eq!(new_id("  ", &[]), "rule");
        assert!(new_id(&"x".repeat(80), &[]).len() <= 24);
    }

    #[test]
    fn counts_read_as_a_rate() {
        let counts = Counts {
            rule: "cart".into(),
            name: "Cart".into(),
            shown: 40,
            answered: 6,
        };
        assert_eq!(
            counts_line(Some(&counts), "Shown", "answered"),
            "Shown 40 · answered 6 (15%)"
        );
        assert_eq!(
            counts_line(None, "Shown", "answered"),
            "Shown 0 · answered 0"
        );
    }
}
