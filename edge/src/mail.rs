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
fn sender(env: &Env) -> String {
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
    let message = SendEmailBuilder::builder(&sender(env), to, &subject)
        .text(&text)
        .build();
    env.send_email("EMAIL")
        .map_err(internal)?
        .send_with_builder(&message)
        .await
        .map_err(|e| internal(worker::Error::from(wasm_bindgen::JsValue::from(e))))?;
    Ok(())
}
