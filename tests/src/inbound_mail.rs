//! Mail into the runtime, as Email Routing hands it to the Worker (`wrangler dev`'s
//! `/cdn-cgi/handler/email`), and what the runtime says it sent.

use serde_json::Value;

/// What the Worker made of a mail: 200 taken (or dropped), 400 rejected with its reason.
pub struct Delivery {
    pub status: u16,
    pub text: String,
}

/// Delivers `raw` (a whole RFC 5322 message) from `from` to `to`.
pub async fn deliver(base: &str, from: &str, to: &str, raw: &str) -> Delivery {
    let response = reqwest::Client::new()
        .post(format!("{base}/cdn-cgi/handler/email"))
        .query(&[("from", from), ("to", to)])
        .body(raw.replace('\n', "\r\n"))
        .send()
        .await
        .expect("the runtime answers");
    Delivery {
        status: response.status().as_u16(),
        text: response.text().await.unwrap_or_default(),
    }
}

/// The `Reply-To` of each mail sent to `to` through the `send_email` binding (none for a
/// mail without one), as the runtime's local explorer recorded them.
pub async fn reply_tos_of_mail_to(base: &str, to: &str) -> Vec<String> {
    reply_tos(base, to).await.unwrap_or_default()
}

async fn reply_tos(base: &str, to: &str) -> Option<Vec<String>> {
    let listing: Value = reqwest::get(format!(
        "{base}/cdn-cgi/local/explorer/api/local/email/sending"
    ))
    .await
    .ok()?
    .json()
    .await
    .ok()?;
    let mut found = Vec::new();
    collect_sent(&listing, to, &mut found);
    Some(found)
}

fn collect_sent(value: &Value, to: &str, found: &mut Vec<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect_sent(v, to, found)),
        Value::Object(fields) => {
            let sent_to = fields
                .get("to")
                .and_then(Value::as_array)
                .is_some_and(|all| {
                    all.iter()
                        .any(|a| a.as_str().is_some_and(|a| a.contains(to)))
                });
            match fields.get("replyTo").and_then(Value::as_str) {
                Some(reply_to) if sent_to => found.push(reply_to.to_owned()),
                _ => fields.values().for_each(|v| collect_sent(v, to, found)),
            }
        }
        _ => {}
    }
}

/// A secret of local runs, as `.dev.vars` sets it.
pub fn dev_secret(name: &str) -> String {
    let vars = std::fs::read_to_string(crate::repo_root().join(".dev.vars")).expect(".dev.vars");
    vars.lines()
        .find_map(|line| line.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} in .dev.vars"))
        .trim_matches('"')
        .to_owned()
}
