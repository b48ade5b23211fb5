//! Mail to visitors, through Cloudflare's `send_email` binding (`EMAIL` in wrangler.toml).
//!
//! In `wrangler dev` the same binding writes each message to a file and logs its path,
//! which is how the tests read what was sent.

use confab_protocol::ApiError;
use worker::email::SendEmailBuilder;
use worker::Env;

use crate::reply::internal;

/// The sender, `EMAIL_FROM` in wrangler.toml: an address on a domain the owner set up
/// for Cloudflare Email.
pub fn sender(env: &Env) -> String {
    env.var("EMAIL_FROM")
        .map(|v| v.to_string())
        .unwrap_or_else(|_| "confab@example.com".to_owned())
}

/// The sign-in link a visitor asked for, naming the team they wrote to.
pub async fn send_sign_in_link(
    env: &Env,
    to: &str,
    team: &str,
    link: &str,
) -> Result<(), ApiError> {
    let subject = format!("Your conversation with {team}");
    let text = format!(
        "Hello,\n\nOpen your conversation with {team} on any device with this link:\n\n\
         {link}\n\nIt stays valid for 24 hours. Replies to your conversation will also \
         reach this address.\n\nIf you did not ask for this, you can ignore this message.\n"
    );
    send(env, to, &subject, &text).await
}

/// Replies the visitor has not read, with a link straight back into the thread.
pub async fn send_replies(
    env: &Env,
    to: &str,
    team: &str,
    texts: &[String],
    link: Option<&str>,
) -> Result<(), ApiError> {
    let subject = match texts.len() {
        1 => format!("{team} replied to you"),
        n => format!("{team} replied to you ({n} messages)"),
    };
    let quoted: Vec<String> = texts
        .iter()
        .map(|t| t.lines().map(|l| format!("> {l}\n")).collect())
        .collect();
    let back = match link {
        Some(link) => format!("Reply or read the whole conversation here:\n\n{link}\n\n"),
        None => "Open the site you wrote from to reply.\n\n".to_owned(),
    };
    let text = format!(
        "Hello,\n\n{team} replied to your conversation:\n\n{}\n{back}\
         You get this email because you asked for replies by email.\n",
        quoted.join("\n")
    );
    send(env, to, &subject, &text).await
}

async fn send(env: &Env, to: &str, subject: &str, text: &str) -> Result<(), ApiError> {
    let message = SendEmailBuilder::builder(&sender(env), to, subject)
        .text(text)
        .build();
    env.send_email("EMAIL")
        .map_err(internal)?
        .send_with_builder(&message)
        .await
        .map_err(|e| internal(worker::Error::from(wasm_bindgen::JsValue::from(e))))?;
    Ok(())
}
