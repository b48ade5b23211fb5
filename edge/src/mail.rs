//! Mail to visitors, through Cloudflare's `send_email` binding (`EMAIL` in wrangler.toml).
//!
//! In `wrangler dev` the same binding writes each message to a file and logs its path,
//! which is how the tests read what was sent.

use confab_protocol::{email_reply, ApiError, ConversationId, VisitorId};
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
    reply_to: Option<&str>,
) -> Result<(), ApiError> {
    let subject = format!("Your conversation with {team}");
    let answer = match reply_to {
        Some(_) => format!("You can also answer this email to write to {team}.\n\n"),
        None => String::new(),
    };
    let text = format!(
        "Hello,\n\nOpen your conversation with {team} on any device with this link:\n\n\
         {link}\n\nIt stays valid for 24 hours. Replies to your conversation will also \
         reach this address.\n\n{answer}If you did not ask for this, you can ignore this message.\n"
    );
    send(env, to, reply_to, &subject, &text).await
}

/// A thread's reply address for `visitor`, in an email sent at `now_ms`: answers to it
/// come back through Email Routing to `crate::inbound`, on the sender's domain.
pub fn reply_address(
    env: &Env,
    conversation: &ConversationId,
    visitor: &VisitorId,
    now_ms: u64,
) -> Result<String, ApiError> {
    let secret = crate::auth::secret(env)?;
    let local =
        email_reply::local_part(&secret, conversation, visitor, email_reply::day_of(now_ms));
    let sender = sender(env);
    let domain = sender.rsplit_once('@').map_or("example.com", |(_, d)| d);
    Ok(format!("{local}@{domain}"))
}

/// An email of replies the visitor has not read.
pub struct Replies<'a> {
    pub to: &'a str,
    /// The thread's own address, which takes the visitor's answer (`reply_address`).
    pub reply_to: &'a str,
    pub team: &'a str,
    pub texts: &'a [String],
    /// A sign-in link straight back into the thread.
    pub link: Option<&'a str>,
}

pub async fn send_replies(env: &Env, mail: &Replies<'_>) -> Result<(), ApiError> {
    let team = mail.team;
    let subject = match mail.texts.len() {
        1 => format!("{team} replied to you"),
        n => format!("{team} replied to you ({n} messages)"),
    };
    let quoted: Vec<String> = mail
        .texts
        .iter()
        .map(|t| t.lines().map(|l| format!("> {l}\n")).collect())
        .collect();
    let back = match mail.link {
        Some(link) => format!("Or read the whole conversation here:\n\n{link}\n\n"),
        None => String::new(),
    };
    let text = format!(
        "Hello,\n\n{team} replied to your conversation:\n\n{}\n\
         Answer this email to reply: your answer goes into the conversation, with any \
         photos or PDFs you attach.\n\n{back}\
         You get this email because you asked for replies by email.\n",
        quoted.join("\n")
    );
    send(env, mail.to, Some(mail.reply_to), &subject, &text).await
}

async fn send(
    env: &Env,
    to: &str,
    reply_to: Option<&str>,
    subject: &str,
    text: &str,
) -> Result<(), ApiError> {
    let mut message = SendEmailBuilder::builder(&sender(env), to, subject).text(text);
    if let Some(reply_to) = reply_to {
        message = message.reply_to(reply_to);
    }
    env.send_email("EMAIL")
        .map_err(internal)?
        .send_with_builder(&message.build())
        .await
        .map_err(|e| internal(worker::Error::from(wasm_bindgen::JsValue::from(e))))?;
    Ok(())
}
