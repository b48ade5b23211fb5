//! A stand-in for a browser vendor's push service (FCM, Mozilla autopush, Apple), which a test
//! cannot reach offline: a real local HTTP server that checks each push the way those do
//! (RFC 8030 headers, VAPID per RFC 8292), decrypts it as the browser would (RFC 8291), and
//! records what arrived. The receiving side is written here independently of `confab_push`,
//! so a mistake there cannot cancel itself out.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::HeaderMap;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use serde_json::Value;
use sha2::Sha256;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

/// Largest body a push service must take (RFC 8030 §7.2); real ones refuse more with 413.
const MAX_BODY: usize = 4096;

/// Push services refuse a VAPID token that expires further ahead than this (RFC 8292 §2).
const MAX_EXP_AHEAD_SECS: u64 = 24 * 60 * 60;

pub struct PushService {
    origin: String,
    state: Arc<Mutex<State>>,
    server: JoinHandle<()>,
}

/// One push the service accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub endpoint: String,
    /// The decrypted payload, parsed as JSON.
    pub payload: Value,
    pub ttl: Option<u64>,
    pub topic: Option<String>,
    pub urgency: Option<String>,
}

#[derive(Default)]
struct State {
    browsers: HashMap<String, Browser>,
    received: Vec<Received>,
}

/// What a subscribed browser keeps to itself.
#[derive(Clone)]
struct Browser {
    secret: SecretKey,
    auth: [u8; 16],
    /// A status forced by [`PushService::answer`].
    answer: Option<u16>,
}

/// A refusal: status and reason, sent as the response body so a failing test shows why.
type Refusal = (u16, String);

impl PushService {
    /// Starts the service on the current tokio runtime, on a free port of 127.0.0.1.
    pub async fn start() -> PushService {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the push service");
        let origin = format!("http://{}", listener.local_addr().expect("local address"));
        let state = Arc::new(Mutex::new(State::default()));
        let server = tokio::spawn(serve(listener, origin.clone(), state.clone()));
        PushService {
            origin,
            state,
            server,
        }
    }

    /// A new browser subscription at this service: the receiver's P-256 key pair and 16-byte
    /// auth secret (kept here to decrypt), endpoint "http://127.0.0.1:PORT/push/<random id>".
    pub fn subscribe(&self) -> confab_push::Subscription {
        let secret = loop {
            // All but a ~2^-32 fraction of 32-byte strings are valid scalars.
            if let Ok(key) = SecretKey::from_slice(&random::<32>()) {
                break key;
            }
        };
        let auth = random::<16>();
        let id = URL_SAFE_NO_PAD.encode(random::<16>());
        let subscription = confab_push::Subscription {
            endpoint: format!("{}/push/{id}", self.origin),
            p256dh: URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false)),
            auth: URL_SAFE_NO_PAD.encode(auth),
        };
        let browser = Browser {
            secret,
            auth,
            answer: None,
        };
        self.state.lock().unwrap().browsers.insert(id, browser);
        subscription
    }

    /// Makes pushes to this subscription's endpoint answer `status` (e.g. 410 Gone, as for a
    /// browser that unsubscribed) from now on, without checking or recording them.
    pub fn answer(&self, endpoint: &str, status: u16) {
        let id = endpoint
            .strip_prefix(&format!("{}/push/", self.origin))
            .unwrap_or_else(|| panic!("{endpoint} is not an endpoint of this push service"));
        let mut state = self.state.lock().unwrap();
        let browser = state
            .browsers
            .get_mut(id)
            .unwrap_or_else(|| panic!("{endpoint} was never subscribed"));
        browser.answer = Some(status);
    }

    /// Every push received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// "http://127.0.0.1:PORT": what a VAPID token's `aud` must be.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

impl Drop for PushService {
    fn drop(&mut self) {
        // Cancelling the accept loop drops its JoinSet, which cancels every connection.
        self.server.abort();
    }
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    getrandom::getrandom(&mut bytes).expect("OS randomness");
    bytes
}

async fn serve(listener: TcpListener, origin: String, state: Arc<Mutex<State>>) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        while connections.try_join_next().is_some() {}
        let (origin, state) = (origin.clone(), state.clone());
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                handle(request, origin.clone(), state.clone())
            });
            // A client that hangs up mid-request is its own business.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    request: Request<Incoming>,
    origin: String,
    state: Arc<Mutex<State>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let Some(id) = parts.uri.path().strip_prefix("/push/") else {
        return Ok(reply(404, "no such endpoint"));
    };
    let endpoint = format!("{origin}/push/{id}");
    let browser = state.lock().unwrap().browsers.get(id).cloned();
    let Some(browser) = browser else {
        return Ok(reply(404, "no such subscription"));
    };
    if parts.method != Method::POST {
        return Ok(reply(405, "push with POST"));
    }
    if let Some(status) = browser.answer {
        return Ok(reply(status, "answer forced by the test"));
    }
    let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
        return Ok(reply(400, "unreadable body"));
    };
    match accept(&parts.headers, &body, &browser, &origin, now_secs()) {
        Ok(mut received) => {
            received.endpoint = endpoint;
            let mut state = state.lock().unwrap();
            state.received.push(received);
            let mut response = reply(201, "");
            let location = format!("{origin}/message/{}", state.received.len());
            response
                .headers_mut()
                .insert("Location", location.parse().unwrap());
            Ok(response)
        }
        Err((status, reason)) => Ok(reply(status, &reason)),
    }
}

fn reply(status: u16, reason: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reason.to_string())));
    *response.status_mut() = hyper::StatusCode::from_u16(status).expect("a valid status");
    response
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// Everything a push service and then the browser check, in that order: what arrived
/// (endpoint left for the caller), or why it is refused.
fn accept(
    headers: &HeaderMap,
    body: &[u8],
    browser: &Browser,
    origin: &str,
    now: u64,
) -> Result<Received, Refusal> {
    let header = |name: &str| -> Result<Option<String>, Refusal> {
        match headers.get(name) {
            None => Ok(None),
            Some(value) => value
                .to_str()
                .map(|v| Some(v.trim().to_string()))
                .map_err(|_| (400, format!("{name} is not text"))),
        }
    };
    let refuse = |status: u16, reason: &str| Err((status, reason.to_string()));

    if !header("Content-Encoding")?.is_some_and(|v| v.eq_ignore_ascii_case("aes128gcm")) {
        return refuse(400, "Content-Encoding must be aes128gcm");
    }
    let Some(ttl) = header("TTL")? else {
        return refuse(400, "TTL header is required");
    };
    let Ok(ttl) = ttl.parse::<u64>() else {
        return refuse(400, "TTL must be a number of seconds");
    };
    // RFC 8030 §5.4: at most 32 characters of the base64url alphabet.
    let topic = header("Topic")?;
    if let Some(topic) = &topic {
        let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if topic.is_empty() || topic.len() > 32 || !topic.chars().all(base64url) {
            return refuse(400, "Topic must be 1 to 32 base64url characters");
        }
    }
    // RFC 8030 §5.3.
    let urgency = header("Urgency")?;
    if let Some(urgency) = &urgency {
        if !["very-low", "low", "normal", "high"].contains(&urgency.as_str()) {
            return refuse(400, "Urgency must be very-low, low, normal or high");
        }
    }
    check_vapid(header("Authorization")?, origin, now)?;
    if body.len() > MAX_BODY {
        return refuse(413, "body over 4096 bytes");
    }
    let plaintext = decrypt(body, &browser.secret, &browser.auth).map_err(|e| (400, e))?;
    let payload = serde_json::from_slice(&plaintext)
        .map_err(|e| (400, format!("payload is not JSON: {e}")))?;
    Ok(Received {
        endpoint: String::new(),
        payload,
        ttl: Some(ttl),
        topic,
        urgency,
    })
}

/// RFC 8292: `Authorization: vapid t=<JWT>, k=<key>`. Absent → 401; present but invalid → 403.
fn check_vapid(authorization: Option<String>, origin: &str, now: u64) -> Result<(), Refusal> {
    let refuse = |reason: &str| Err((403, reason.to_string()));
    let Some(authorization) = authorization else {
        return Err((401, "Authorization header is required".into()));
    };
    let Some(params) = authorization.strip_prefix("vapid ") else {
        return Err((401, "Authorization must use the vapid scheme".into()));
    };
    let (mut token, mut key) = (None, None);
    for param in params.split(',').map(str::trim) {
        if let Some(t) = param.strip_prefix("t=") {
            token = Some(t);
        } else if let Some(k) = param.strip_prefix("k=") {
            key = Some(k);
        }
    }
    let (Some(token), Some(key)) = (token, key) else {
        return refuse("vapid needs both t= and k=");
    };
    let Some((signed, signature)) = token.rsplit_once('.') else {
        return refuse("t is not a JWT");
    };
    let json = |part: &str| -> Option<Value> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
    };
    let Some((Some(header), Some(claims))) = signed
        .split_once('.')
        .map(|(header, claims)| (json(header), json(claims)))
    else {
        return refuse("t is not a JWT of base64url JSON header and claims");
    };
    if header["alg"] != "ES256" {
        return refuse("JWT alg must be ES256");
    }
    let Some(key) = URL_SAFE_NO_PAD
        .decode(key)
        .ok()
        .and_then(|k| VerifyingKey::from_sec1_bytes(&k).ok())
    else {
        return refuse("k is not a P-256 public key");
    };
    let Some(signature) = URL_SAFE_NO_PAD
        .decode(signature)
        .ok()
        .and_then(|s| Signature::from_slice(&s).ok())
    else {
        return refuse("JWT signature is not a raw 64-byte ES256 signature");
    };
    if key.verify(signed.as_bytes(), &signature).is_err() {
        return refuse("JWT signature does not verify under k");
    }
    if claims["aud"] != origin {
        return refuse("JWT aud is not this push service's origin");
    }
    match claims["exp"].as_u64() {
        Some(exp) if exp > now && exp <= now + MAX_EXP_AHEAD_SECS => {}
        _ => return refuse("JWT exp must be in the future and at most 24 h ahead"),
    }
    let sub = claims["sub"].as_str().unwrap_or_default();
    if !sub.starts_with("mailto:") && !sub.starts_with("https:") {
        return refuse("JWT sub must be a mailto: or https: contact");
    }
    Ok(())
}

/// HMAC-SHA-256, from which RFC 8291 writes out its HKDF steps.
fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// The browser's side of RFC 8291 / RFC 8188: the plaintext of an aes128gcm body.
fn decrypt(body: &[u8], secret: &SecretKey, auth: &[u8; 16]) -> Result<Vec<u8>, String> {
    let header = body
        .get(..21)
        .ok_or("body shorter than the aes128gcm header")?;
    let salt = &header[..16];
    let rs = u32::from_be_bytes(header[16..20].try_into().unwrap()) as usize;
    let idlen = header[20] as usize;
    if rs < 18 {
        return Err(format!("record size {rs} is below the minimum of 18"));
    }
    // RFC 8291 §4: the keyid is the sender's uncompressed public key.
    if idlen != 65 {
        return Err(format!("keyid is {idlen} bytes, not 65"));
    }
    let keyid = body.get(21..86).ok_or("body ends inside the keyid")?;
    let sender = PublicKey::from_sec1_bytes(keyid).map_err(|_| "keyid is not a P-256 point")?;
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), sender.as_affine());
    let ua_public = secret.public_key().to_encoded_point(false);

    // RFC 8291 §3.4, step by step: PRK_key, IKM, then RFC 8188's PRK, CEK and NONCE.
    let prk_key = hmac(auth, &[shared.raw_secret_bytes()]);
    let ikm = hmac(
        &prk_key,
        &[b"WebPush: info\0", ua_public.as_bytes(), keyid, &[1]],
    );
    let prk = hmac(salt, &[&ikm]);
    let cek = &hmac(&prk, &[b"Content-Encoding: aes128gcm\0", &[1]])[..16];
    let nonce = &hmac(&prk, &[b"Content-Encoding: nonce\0", &[1]])[..12];
    let cipher = Aes128Gcm::new_from_slice(cek).expect("a 16-byte key");

    let records: Vec<&[u8]> = body[86..].chunks(rs).collect();
    if records.is_empty() {
        return Err("no records".into());
    }
    let mut plaintext = Vec::new();
    for (seq, record) in records.iter().enumerate() {
        // Each record's nonce is NONCE XOR its sequence number (RFC 8188 §2.3).
        let mut record_nonce: [u8; 12] = nonce.try_into().unwrap();
        for (n, s) in record_nonce[4..].iter_mut().zip((seq as u64).to_be_bytes()) {
            *n ^= s;
        }
        let opened = cipher
            .decrypt(Nonce::from_slice(&record_nonce), *record)
            .map_err(|_| format!("record {seq} does not decrypt"))?;
        // Padding is zeros after a delimiter: 0x02 ends the last record, 0x01 the others.
        let end = opened
            .iter()
            .rposition(|&b| b != 0)
            .ok_or(format!("record {seq} has no delimiter"))?;
        let last = seq + 1 == records.len();
        if opened[end] != if last { 2 } else { 1 } {
            return Err(format!("record {seq} has the wrong delimiter"));
        }
        plaintext.extend_from_slice(&opened[..end]);
    }
    Ok(plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;
    use confab_push::{Subscription, Vapid};
    use serde_json::json;

    const SUBJECT: &str = "mailto:ops@confab.example";

    fn new_vapid() -> Vapid {
        loop {
            if let Ok(vapid) = Vapid::from_private_key(&URL_SAFE_NO_PAD.encode(random::<32>())) {
                return vapid;
            }
        }
    }

    fn encrypt(payload: &Value, to: &Subscription) -> Vec<u8> {
        loop {
            match confab_push::encrypt(payload.to_string().as_bytes(), to, random(), random()) {
                Err(confab_push::PushError::BadKey) => continue,
                body => return body.expect("encrypt"),
            }
        }
    }

    /// POSTs a push as the edge does; `authorization: None` leaves the header out.
    async fn post(
        to: &Subscription,
        authorization: Option<String>,
        body: Vec<u8>,
    ) -> (u16, String) {
        let mut request = reqwest::Client::new()
            .post(&to.endpoint)
            .header("Content-Encoding", "aes128gcm")
            .header("TTL", "60")
            .body(body);
        if let Some(authorization) = authorization {
            request = request.header("Authorization", authorization);
        }
        let response = request.send().await.expect("push service answers");
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    #[tokio::test]
    async fn a_push_is_checked_decrypted_and_recorded() {
        let service = PushService::start().await;
        let browser = service.subscribe();
        assert_eq!(browser.check(), Ok(()));
        let vapid = new_vapid();
        let payload = json!({"title": "New message", "body": "Hi there", "url": "/c/42"});
        let authorization = vapid
            .authorization(&browser.endpoint, SUBJECT, now_secs())
            .unwrap();

        let response = reqwest::Client::new()
            .post(&browser.endpoint)
            .header("Content-Encoding", "aes128gcm")
            .header("TTL", "3600")
            .header("Topic", "conversation-42")
            .header("Urgency", "high")
            .header("Authorization", authorization)
            .body(encrypt(&payload, &browser))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 201);

        let expected = Received {
            endpoint: browser.endpoint.clone(),
            payload,
            ttl: Some(3600),
            topic: Some("conversation-42".into()),
            urgency: Some("high".into()),
        };
        assert_eq!(service.received(), vec![expected]);
    }

    #[tokio::test]
    async fn bad_pushes_are_refused_and_not_recorded() {
        let service = PushService::start().await;
        let browser = service.subscribe();
        let vapid = new_vapid();
        let now = now_secs();
        let body = || encrypt(&json!({"n": 1}), &browser);
        let good = vapid
            .authorization(&browser.endpoint, SUBJECT, now)
            .unwrap();

        // Signed by one key, presented with another's.
        let (token, _) = good.split_once(", k=").unwrap();
        let forged = format!("{token}, k={}", new_vapid().public_key());
        // A valid token whose claims were swapped for other ones after signing.
        let other = vapid
            .authorization(&browser.endpoint, "mailto:x@y", now)
            .unwrap();
        let parts: Vec<&str> = good.split('.').collect();
        let other_claims = other.split('.').nth(1).unwrap();
        let tampered = format!("{}.{other_claims}.{}", parts[0], parts[2]);
        let wrong_aud = vapid
            .authorization("https://push.example.net/push/x", SUBJECT, now)
            .unwrap();
        let expired = vapid
            .authorization(&browser.endpoint, SUBJECT, now - 13 * 3600)
            .unwrap();
        let too_far = vapid
            .authorization(&browser.endpoint, SUBJECT, now + 13 * 3600)
            .unwrap();
        let no_contact = vapid
            .authorization(&browser.endpoint, "ops@confab.example", now)
            .unwrap();

        let cases = [
            ("forged signature", Some(forged), 403, "does not verify"),
            (
                "claims changed after signing",
                Some(tampered),
                403,
                "does not verify",
            ),
            ("wrong aud", Some(wrong_aud), 403, "aud"),
            ("expired", Some(expired), 403, "exp"),
            ("exp over 24 h ahead", Some(too_far), 403, "exp"),
            ("sub not mailto:/https:", Some(no_contact), 403, "sub"),
            ("no Authorization", None, 401, "required"),
            (
                "not the vapid scheme",
                Some("Bearer abc".into()),
                401,
                "vapid scheme",
            ),
        ];
        for (what, authorization, status, why) in cases {
            let (got, reason) = post(&browser, authorization, body()).await;
            assert_eq!(got, status, "{what}: {reason}");
            assert!(reason.contains(why), "{what}: {reason}");
        }

        // The browser's keys must match: a push encrypted for another browser fails.
        let stranger = service.subscribe();
        let (got, reason) = post(&browser, Some(good.clone()), encrypt(&json!(1), &stranger)).await;
        assert_eq!((got, reason.as_str()), (400, "record 0 does not decrypt"));

        let mut flipped = body();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(post(&browser, Some(good.clone()), flipped).await.0, 400);

        let missing_ttl = reqwest::Client::new()
            .post(&browser.endpoint)
            .header("Content-Encoding", "aes128gcm")
            .header("Authorization", good.clone())
            .body(body())
            .send()
            .await
            .unwrap();
        assert_eq!(missing_ttl.status().as_u16(), 400);
        let wrong_coding = reqwest::Client::new()
            .post(&browser.endpoint)
            .header("Content-Encoding", "aesgcm")
            .header("TTL", "60")
            .header("Authorization", good)
            .body(body())
            .send()
            .await
            .unwrap();
        assert_eq!(wrong_coding.status().as_u16(), 400);

        assert_eq!(service.received(), vec![]);
    }

    #[tokio::test]
    async fn unknown_and_answered_endpoints() {
        let service = PushService::start().await;
        let browser = service.subscribe();
        let vapid = new_vapid();
        let authorization = vapid.authorization(&browser.endpoint, SUBJECT, now_secs());
        let authorization = Some(authorization.unwrap());

        let unknown = Subscription {
            endpoint: format!("{}/push/nobody", service.origin()),
            ..browser.clone()
        };
        let body = encrypt(&json!({}), &browser);
        assert_eq!(
            post(&unknown, authorization.clone(), body.clone()).await.0,
            404
        );

        service.answer(&browser.endpoint, 410);
        assert_eq!(post(&browser, authorization, body).await.0, 410);
        assert_eq!(service.received(), vec![]);
    }

    #[test]
    fn decrypts_rfc_8291_appendix_a() {
        let b64 = |text: &str| URL_SAFE_NO_PAD.decode(text).unwrap();
        let secret = SecretKey::from_slice(&b64("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"));
        let auth = b64("BTBZMqHH6r4Tts7J_aSIgg").try_into().unwrap();
        let body = b64(concat!(
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml",
            "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT",
            "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
        ));
        let plaintext = decrypt(&body, &secret.unwrap(), &auth).unwrap();
        assert_eq!(plaintext, b"When I grow up, I want to be a watermelon");
    }

    #[tokio::test]
    async fn dropping_the_service_stops_the_server() {
        let service = PushService::start().await;
        let address = service.origin().trim_start_matches("http://").to_string();
        drop(service);
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(&address).await.is_err() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the push service still listens on {address}");
    }
}
