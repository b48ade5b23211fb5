//! axe-core (the npm package) run inside the page under test: the WCAG 2.1 A and AA rules
//! over part of the page, shadow roots included.

use std::sync::OnceLock;

use serde_json::Value;

use crate::browser::Browser;
use crate::repo_root;

/// The rules a screen must pass: WCAG 2.0 and 2.1, levels A and AA.
const TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']";

fn source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = repo_root().join("node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run scripts/setup.sh)", path.display()))
    })
}

/// What axe found in the elements `selector` matches (`document` for the whole page).
pub struct Audit {
    /// "rule: target (summary)", one line per element that fails a rule.
    pub violations: Vec<String>,
    /// How many rules applied and passed: proof that there was something to check.
    pub passed_rules: u64,
}

pub async fn audit(browser: &Browser, selector: &str) -> Audit {
    let loaded = browser.script("return !!window.axe").await;
    if loaded != true {
        // Run through WebDriver, so no policy of the page stands in the way.
        browser
            .client
            .execute(&format!("{}\nreturn 1", source()), vec![])
            .await
            .expect("load axe-core");
    }
    let context = if selector == "document" {
        "document".to_owned()
    } else {
        format!("document.querySelector({selector:?})")
    };
    assert_eq!(
        browser.script(&format!("return !!{context}")).await,
        true,
        "{selector} is on the page"
    );
    let script = format!(
        "var done = arguments[arguments.length - 1];
         axe.run({context}, {{ runOnly: {{ type: 'tag', values: {TAGS} }}, resultTypes: ['violations'] }})
           .then(function (r) {{ done({{ passed: r.passes.length, violations: r.violations.map(function (v) {{
             return v.nodes.map(function (n) {{
               return v.id + ': ' + JSON.stringify(n.target) + ' (' + (n.failureSummary || '').split('\\n').join(' ') + ')';
             }});
           }}) }}); }}, function (e) {{ done({{ passed: 0, violations: [['axe failed: ' + e]] }}); }});"
    );
    let found = browser
        .client
        .execute_async(&script, vec![])
        .await
        .expect("run axe-core");
    let violations = found["violations"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|rule| rule.as_array().cloned().unwrap_or_default())
        .filter_map(|line| match line {
            Value::String(line) => Some(line),
            _ => None,
        })
        .collect();
    Audit {
        violations,
        passed_rules: found["passed"].as_u64().unwrap_or(0),
    }
}

/// Fails the test with axe's findings when `screen` has any; prints what was checked.
pub async fn assert_clean(browser: &Browser, selector: &str, screen: &str) {
    let audit = audit(browser, selector).await;
    assert!(
        audit.violations.is_empty(),
        "{screen}: {} WCAG violations:\n{}",
        audit.violations.len(),
        audit.violations.join("\n")
    );
    assert!(
        audit.passed_rules > 0,
        "{screen}: axe found nothing to check"
    );
    println!(
        "axe: {screen}: 0 violations, {} rules passed",
        audit.passed_rules
    );
}
