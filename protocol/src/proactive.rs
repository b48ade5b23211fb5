//! Proactive messages: the team speaks first to the visitor who needs it. A site's admins
//! write rules (conditions on the page, on what the host page `set`s or on a host event,
//! a message per language, who it is from); the widget evaluates them in the page and
//! shows the first that holds as a teaser by the launcher. Answered, it opens the thread.
//!
//! Rules are checked here when stored, and decided here in the page: the widget only
//! gathers what the page is (`Page`) and keeps the caps (`Caps`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ApiError;

/// The most rules one site keeps, and conditions one rule has.
pub const MAX_RULES: usize = 20;
pub const MAX_CONDITIONS: usize = 8;
/// A teaser is read at a glance: its text is short.
pub const MAX_TEASER_CHARS: usize = 500;
/// Longer than this on one page is not a condition worth waiting for.
pub const MAX_SECONDS: u32 = 3_600;
/// One rule's teaser shows at most once a day to one visitor (a browser).
pub const CAP_MS: u64 = 86_400_000;
const MAX_NAME_CHARS: usize = 80;
const MAX_ID_LEN: usize = 32;
const MAX_KEY_CHARS: usize = 40;
const MAX_VALUE_CHARS: usize = 200;
const MAX_PATTERN_CHARS: usize = 512;

/// A rule as admins write it and as the site's settings keep it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Names the rule in counts and in the conversations it starts; never changes.
    pub id: String,
    /// What agents and reports call it ("Cart over 100").
    pub name: String,
    /// A paused rule is kept, counted, and shown to nobody.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paused: bool,
    /// Every one must hold.
    pub when: Vec<Condition>,
    /// The teaser's text per language (`en`, `fr`…): the visitor's, else English, else
    /// the first written.
    pub message: BTreeMap<String, String>,
    /// Who it is from, as the visitor sees it: an agent's name, or empty for the team.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from: String,
}

/// What must be true of the page for a rule to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The page's address matches `pattern`: `*` stands for anything; a pattern starting
    /// with `/` is matched against the path and query, any other against the whole address.
    Page { pattern: String },
    /// The visitor has been on this page this long.
    TimeOnPage { seconds: u32 },
    /// The visitor scrolled this far down the page, in percent.
    Scroll { percent: u32 },
    /// The pointer left the page by its top edge, as toward the tab's close button
    /// (desktop only: phones have no pointer to leave with).
    ExitIntent,
    /// The visitor wrote to the team before from this browser.
    Returning,
    /// An attribute the host page `set` (`Confab('set', {cart_value: 120})`) compares to
    /// `value`: numerically when both are numbers, else as text.
    Attribute { name: String, op: Op, value: String },
    /// The host page told of `name` (`Confab('event', 'checkout_failed')`) on this page.
    Event { name: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    /// The text contains `value`, in any case.
    Contains,
}

impl Op {
    /// As JSON names it (the widget reads rules without serde).
    pub fn parse(name: &str) -> Option<Op> {
        Some(match name {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            "contains" => Op::Contains,
            _ => return None,
        })
    }
}

/// What the widget knows of the page at one moment.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub url: String,
    pub seconds: u32,
    /// How far down the visitor scrolled, at most, in percent.
    pub scroll: u32,
    pub exit_intent: bool,
    pub returning: bool,
    /// What the host page `set`, as text (a list: pages set a handful).
    pub attributes: Vec<(String, String)>,
    pub events: Vec<String>,
}

impl Condition {
    pub fn holds(&self, page: &Page) -> bool {
        match self {
            Condition::Page { pattern } => url_matches(pattern, &page.url),
            Condition::TimeOnPage { seconds } => page.seconds >= *seconds,
            Condition::Scroll { percent } => page.scroll >= *percent,
            Condition::ExitIntent => page.exit_intent,
            Condition::Returning => page.returning,
            Condition::Attribute { name, op, value } => page
                .attributes
                .iter()
                .any(|(key, have)| key == name && compare(have, *op, value)),
            Condition::Event { name } => page.events.iter().any(|e| e == name),
        }
    }
}

fn compare(have: &str, op: Op, want: &str) -> bool {
    let numbers = number(have).zip(number(want));
    match (op, numbers) {
        (Op::Contains, _) => contains_ignoring_case(have, want),
        (Op::Eq, Some((a, b))) => a == b,
        (Op::Ne, Some((a, b))) => a != b,
        (Op::Eq, None) => have == want,
        (Op::Ne, None) => have != want,
        (Op::Gt, Some((a, b))) => a > b,
        (Op::Ge, Some((a, b))) => a >= b,
        (Op::Lt, Some((a, b))) => a < b,
        (Op::Le, Some((a, b))) => a <= b,
        // Ordering text is not what a site owner means by "more than".
        (_, None) => false,
    }
}

/// A decimal number as pages write cart values and counts (`-12`, `120.50`), read without
/// the standard float parser, whose tables would weigh more than the widget's whole rules
/// chunk. Its digits are divided by a power of ten once, so `120.5` and `120.50` are equal.
pub fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || whole.len() + fraction.len() > 15
    {
        return None;
    }
    let mantissa = whole
        .bytes()
        .chain(fraction.bytes())
        .fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    let scale = (0..fraction.len()).fold(1u64, |s, _| s * 10);
    let value = mantissa as f64 / scale as f64;
    Some(if negative { -value } else { value })
}

/// Whether `text` contains `part`, ignoring the case of Latin letters.
fn contains_ignoring_case(text: &str, part: &str) -> bool {
    let (text, part) = (text.as_bytes(), part.as_bytes());
    part.is_empty()
        || text
            .windows(part.len())
            .any(|w| w.eq_ignore_ascii_case(part))
}

/// Whether `url` matches `pattern` (see [`Condition::Page`]).
pub fn url_matches(pattern: &str, url: &str) -> bool {
    // In bytes throughout: slicing a `str` would bring a panic's character formatting
    // into the widget (`tests/e2e/size.rs`).
    let url = url.as_bytes();
    let url = url
        .iter()
        .position(|&b| b == b'#')
        .and_then(|at| url.get(..at))
        .unwrap_or(url);
    let target = if pattern.starts_with('/') {
        let after_scheme = url
            .windows(3)
            .position(|w| w == b"://")
            .and_then(|at| url.get(at + 3..))
            .unwrap_or(url);
        after_scheme
            .iter()
            .position(|&b| b == b'/')
            .and_then(|at| after_scheme.get(at..))
            .unwrap_or(b"/")
    } else {
        url
    };
    glob(pattern.as_bytes(), target)
}

/// `*` matches any run of bytes; the last `*` seen is where a mismatch retries.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut retry: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            retry = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star, from)) = retry {
            p = star + 1;
            t = from + 1;
            retry = Some((star, from + 1));
        } else {
            return false;
        }
    }
    pattern.iter().skip(p).all(|&c| c == b'*')
}

/// A rule as the widget gets it: only live rules, with the text in the visitor's language
/// and the sender's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Teaser {
    pub rule: String,
    pub when: Vec<Condition>,
    pub body: String,
    pub from: String,
}

impl Rule {
    /// The text for a visitor speaking `lang`.
    pub fn text_for(&self, lang: &str) -> &str {
        let wanted = crate::language::primary(lang);
        self.message
            .get(&wanted)
            .or_else(|| self.message.get(crate::language::DEFAULT))
            .or_else(|| self.message.values().next())
            .map_or("", String::as_str)
    }

    pub fn holds(&self, page: &Page) -> bool {
        self.when.iter().all(|c| c.holds(page))
    }
}

/// The teasers of the live `rules`, for a visitor speaking `lang`, from `team` unless a
/// rule names someone.
pub fn teasers(rules: &[Rule], lang: &str, team: &str) -> Vec<Teaser> {
    rules
        .iter()
        .filter(|r| !r.paused)
        .map(|r| Teaser {
            rule: r.id.clone(),
            when: r.when.clone(),
            body: r.text_for(lang).to_owned(),
            from: if r.from.is_empty() { team } else { &r.from }.to_owned(),
        })
        .collect()
}

/// What the widget sends with the first message of a thread that answers a teaser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answered {
    pub rule: String,
    /// The language the teaser was in (the widget's texts').
    #[serde(default)]
    pub lang: String,
}

/// Which rule started a conversation, as agents see it: its name when it did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Started {
    pub rule: String,
    pub name: String,
}

/// The rule's counts, as the console shows them beside it and reports show them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub rule: String,
    /// The rule's name now (its id, for a rule deleted since).
    #[serde(default)]
    pub name: String,
    pub shown: u32,
    pub answered: u32,
}

/// Each rule's counts, from its teasers `shown` and conversations `answered`, by rule.
pub fn counts(
    shown: impl IntoIterator<Item = (String, u32)>,
    answered: impl IntoIterator<Item = (String, u32)>,
) -> Vec<Counts> {
    let mut by_rule: BTreeMap<String, Counts> = BTreeMap::new();
    let tagged = shown
        .into_iter()
        .map(|(rule, n)| (rule, n, 0))
        .chain(answered.into_iter().map(|(rule, n)| (rule, 0, n)));
    for (rule, shown, answered) in tagged {
        let counts = by_rule.entry(rule.clone()).or_insert_with(|| Counts {
            rule,
            ..Counts::default()
        });
        counts.shown += shown;
        counts.answered += answered;
    }
    by_rule.into_values().collect()
}

/// `POST /api/sites/{site}/proactive`: the widget showed a rule's teaser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShownRequest {
    pub v: u32,
    pub rule: String,
}

/// When each rule's teaser last showed in this browser: the caps, kept by the widget as
/// `rule:millis` pairs. It holds no identifier and is never sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Caps(Vec<(String, u64)>);

impl Caps {
    /// Reads what `text` kept, forgetting what is past its day at `now`.
    pub fn read(text: &str, now: u64) -> Caps {
        Caps(
            text.split(',')
                .filter_map(|pair| {
                    let (rule, at) = pair.split_once(':')?;
                    Some((rule.to_owned(), at.parse().ok()?))
                })
                .filter(|(rule, at)| !rule.is_empty() && now < at + CAP_MS)
                .collect(),
        )
    }

    pub fn write(&self) -> String {
        let mut text = String::new();
        for (rule, at) in &self.0 {
            if !text.is_empty() {
                text.push(',');
            }
            text.push_str(rule);
            text.push(':');
            text.push_str(&at.to_string());
        }
        text
    }

    pub fn shown(&mut self, rule: &str, now: u64) {
        self.0.retain(|(r, _)| r != rule);
        self.0.push((rule.to_owned(), now));
    }

    pub fn allows(&self, rule: &str, now: u64) -> bool {
        self.0.iter().all(|(r, at)| r != rule || now >= at + CAP_MS)
    }
}

/// Why no teaser may show now, whatever the rules say.
#[derive(Clone, Copy, Debug, Default)]
pub struct Quiet {
    /// The visitor has a conversation the team has not resolved.
    pub conversation_open: bool,
    /// The panel is open, or a teaser already shows: never more than one on screen.
    pub busy: bool,
}

/// The teaser to show now, if any: the first whose rule holds and whose cap allows it.
pub fn due<'a>(
    teasers: &'a [Teaser],
    page: &Page,
    caps: &Caps,
    quiet: Quiet,
    now: u64,
) -> Option<&'a Teaser> {
    if quiet.conversation_open || quiet.busy {
        return None;
    }
    teasers
        .iter()
        .find(|t| caps.allows(&t.rule, now) && t.when.iter().all(|c| c.holds(page)))
}

/// The rules as stored: trimmed, and refused naming the first field that is wrong.
pub fn checked(mut rules: Vec<Rule>) -> Result<Vec<Rule>, ApiError> {
    if rules.len() > MAX_RULES {
        return Err(ApiError::invalid(
            "settings.proactive",
            &format!("has more than {MAX_RULES} rules"),
        ));
    }
    let mut ids = std::collections::BTreeSet::new();
    for (i, rule) in rules.iter_mut().enumerate() {
        let at = |field: &str| format!("settings.proactive.{i}.{field}");
        let id_ok = !rule.id.is_empty()
            && rule.id.len() <= MAX_ID_LEN
            && rule
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(ApiError::invalid(
                &at("id"),
                &format!("must be 1 to {MAX_ID_LEN} characters of a-z, 0-9 or -"),
            ));
        }
        if !ids.insert(rule.id.clone()) {
            return Err(ApiError::invalid(&at("id"), "is another rule's"));
        }
        rule.name = words(&at("name"), &rule.name, MAX_NAME_CHARS, true)?;
        rule.from = words(&at("from"), &rule.from, MAX_NAME_CHARS, false)?;
        if rule.when.is_empty() || rule.when.len() > MAX_CONDITIONS {
            return Err(ApiError::invalid(
                &at("when"),
                &format!("must have 1 to {MAX_CONDITIONS} conditions"),
            ));
        }
        for (j, condition) in rule.when.iter_mut().enumerate() {
            check_condition(&at(&format!("when.{j}")), condition)?;
        }
        let mut message = BTreeMap::new();
        for (lang, text) in std::mem::take(&mut rule.message) {
            let field = at(&format!("message.{lang}"));
            let lang_ok =
                (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
            if !lang_ok {
                return Err(ApiError::invalid(
                    &field,
                    "is not a language code such as en",
                ));
            }
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let text = crate::MessageBody::parse(text)
                .map_err(|e| ApiError::invalid(&field, e.message.trim_start_matches("body: ")))?;
            if text.as_str().chars().count() > MAX_TEASER_CHARS {
                return Err(ApiError::invalid(
                    &field,
                    &format!("is longer than {MAX_TEASER_CHARS} characters"),
                ));
            }
            message.insert(lang, text.as_str().to_owned());
        }
        if message.is_empty() {
            return Err(ApiError::invalid(
                &at("message"),
                "needs a text in one language at least",
            ));
        }
        rule.message = message;
    }
    Ok(rules)
}

fn check_condition(field: &str, condition: &mut Condition) -> Result<(), ApiError> {
    match condition {
        Condition::Page { pattern } => {
            *pattern = pattern.trim().to_owned();
            let bad = pattern.is_empty()
                || pattern.chars().count() > MAX_PATTERN_CHARS
                || pattern.chars().any(|c| c.is_whitespace() || c.is_control());
            if bad {
                return Err(ApiError::invalid(
                    &format!("{field}.pattern"),
                    "must be an address or a path such as /pricing*, without spaces",
                ));
            }
        }
        Condition::TimeOnPage { seconds } if *seconds == 0 || *seconds > MAX_SECONDS => {
            return Err(ApiError::invalid(
                &format!("{field}.seconds"),
                &format!("must be 1 to {MAX_SECONDS}"),
            ))
        }
        Condition::Scroll { percent } if *percent == 0 || *percent > 100 => {
            return Err(ApiError::invalid(
                &format!("{field}.percent"),
                "must be 1 to 100",
            ))
        }
        Condition::Attribute { name, op, value } => {
            *name = words(&format!("{field}.name"), name, MAX_KEY_CHARS, true)?;
            *value = words(&format!("{field}.value"), value, MAX_VALUE_CHARS, false)?;
            let ordered = matches!(op, Op::Gt | Op::Ge | Op::Lt | Op::Le);
            if ordered && number(value).is_none() {
                return Err(ApiError::invalid(
                    &format!("{field}.value"),
                    "must be a number to compare with",
                ));
            }
        }
        Condition::Event { name } => {
            *name = words(&format!("{field}.name"), name, MAX_KEY_CHARS, true)?;
        }
        _ => {}
    }
    Ok(())
}

fn words(field: &str, text: &str, max: usize, required: bool) -> Result<String, ApiError> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(ApiError::invalid(field, "is required"));
    }
    if text.chars().count() > max {
        return Err(ApiError::invalid(
            field,
            &format!("is longer than {max} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests;
