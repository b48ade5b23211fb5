//! Web Push from the edge: each notification is encrypted for the one browser that
//! subscribed (RFC 8291) and signed for the push service with the deployment's VAPID
//! key (RFC 8292), both in `confab-push`. The key is the secret
//! `CONFAB_VAPID_PRIVATE_KEY`; without it, push is off and the widget does not offer it.

use confab_protocol::visitor::{PushKeyResponse, PushPayload};
use confab_protocol::{ApiError, ErrorCode};
use confab_push::{PushError, Subscription, Vapid};
use worker::{js_sys, Date, Env, Fetch, Headers, Method, Request, RequestInit};

use crate::reply::{self, Reply};

/// How long a push service keeps a notification for a device that is offline.
const TTL_SECONDS: u32 = 24 * 3600;

/// The deployment's VAPID key, when push is set up.
pub fn vapid(env: &Env) -> Option<Vapid> {
    let key = env.secret("CONFAB_VAPID_PRIVATE_KEY").ok()?.to_string();
    Vapid::from_private_key(&key).ok()
}

/// The deployment's VAPID key, or the error that says push is off.
pub fn configured(env: &Env) -> Result<Vapid, ApiError> {
    vapid(env).ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            "push notifications are not set up on this deployment",
        )
    })
}

/// `GET /api/push/key`: the key browsers subscribe with.
pub fn public_key(env: &Env) -> Reply {
    let public_key = configured(env)?.public_key();
    reply::json(200, &PushKeyResponse { public_key })
}

/// What became of one push.
pub enum Outcome {
    Delivered,
    /// The subscription is gone (404 or 410): forget it.
    Gone,
    /// Anything else: kept, and tried again with the next step.
    Failed,
}

/// Sends `payload` to one subscription. `topic` (at most 32 URL-safe characters, here a
/// conversation id) lets the push service replace an undelivered push of the same topic.
pub async fn send(
    env: &Env,
    vapid: &Vapid,
    subscription: &Subscription,
    payload: &PushPayload,
    topic: &str,
) -> Outcome {
    let body = serde_json::to_vec(payload).unwrap_or_default();
    let sender_secret = crate::auth::random_bytes::<32>();
    let salt = crate::auth::random_bytes::<16>();
    let subject = format!("mailto:{}", crate::mail::sender(env));
    let now = Date::now().as_millis() / 1000;
    // A subscription that cannot be encrypted for or addressed is gone for good; a
    // payload too large or an unlucky random key only fails this once.
    let encrypted = match confab_push::encrypt(&body, subscription, sender_secret, salt) {
        Ok(encrypted) => encrypted,
        Err(PushError::BadSubscription | PushError::BadEndpoint) => return Outcome::Gone,
        Err(_) => return Outcome::Failed,
    };
    let Ok(authorization) = vapid.authorization(&subscription.endpoint, &subject, now) else {
        return Outcome::Gone;
    };
    let headers = Headers::new();
    let set = [
        ("Authorization", authorization.as_str()),
        ("Content-Encoding", "aes128gcm"),
        ("Content-Type", "application/octet-stream"),
        ("TTL", &TTL_SECONDS.to_string()),
        ("Urgency", "normal"),
        ("Topic", topic),
    ];
    for (name, value) in set {
        let _ = headers.set(name, value);
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(js_sys::Uint8Array::from(encrypted.as_slice()).into()));
    let Ok(request) = Request::new_with_init(&subscription.endpoint, &init) else {
        return Outcome::Gone;
    };
    match Fetch::Request(request).send().await {
        Ok(response) => match response.status_code() {
            200..=299 => Outcome::Delivered,
            404 | 410 => Outcome::Gone,
            _ => Outcome::Failed,
        },
        Err(_) => Outcome::Failed,
    }
}
