//! Fuzzing every decoder of client input and the pure rules behind them: well-formed
//! bodies and frames, mutated byte by byte, keys doubled, numbers pushed past their range,
//! and plain noise. Nothing may panic; every refusal is a client error (4xx), never a
//! server one; whatever is accepted re-reads to the same value.
//!
//! `cargo test -p confab-protocol --test fuzz` runs `FUZZ_CASES` inputs (at least 100,000
//! in CI); set `CONFAB_FUZZ_CASES` to run more.

use confab_protocol::console::{
    AcceptInviteRequest, AssignRequest, HoursRequest, InboxClientFrame, InviteRequest,
    LoginRequest, SaveCannedRequest, StatusRequest,
};
use confab_protocol::frames::ClientFrame;
use confab_protocol::reach::ReachRequest;
use confab_protocol::visitor::{
    EmailLinkRequest, IdentifyRequest, NewCodeRequest, PushRemoveRequest, PushSubscriptionRequest,
    RedeemCodeRequest, SignInRequest, SignOutRequest,
};
use confab_protocol::{
    api::decode_request, ApiError, HistoryQuery, MessageBody, NewSessionRequest, ReadRequest,
    SendMessageRequest,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;

const FUZZ_CASES: u32 = 120_000;

/// Well-formed inputs, one or more per decoder, that mutations start from.
const SAMPLES: &[&str] = &[
    r#"{"v":1,"site":"demo"}"#,
    r#"{"v":1,"client_id":"c-1","body":"hello there","context":{"page":"https://shop.example/cart","lang":"fr","time_zone":"Europe/Paris","attributes":{"plan":"pro","cart_value":120,"vip":true}}}"#,
    r#"{"v":1,"seq":12}"#,
    r#"{"v":1,"page":"https://shop.example/help"}"#,
    r#"{"v":1,"site":"demo","code":"ABCD-EFGH"}"#,
    r#"{"v":1,"email":"ana@example.com","page":"https://shop.example/"}"#,
    r#"{"v":1,"site":"demo","link":"abcdefghijklmnop"}"#,
    r#"{"v":1,"site":"demo","user_id":"u-42","user_hash":"00ff"}"#,
    r#"{"v":1,"session":"s-1","everywhere":false}"#,
    r#"{"v":1,"endpoint":"https://push.example/x","keys":{"p256dh":"BAAA","auth":"AAAA"}}"#,
    r#"{"v":1,"email":"agent@example.com","password":"a long enough password"}"#,
    r#"{"v":1,"email":"new@example.com","name":"New Agent","role":"agent"}"#,
    r#"{"v":1,"token":"t","password":"a long enough password"}"#,
    r#"{"v":1,"shortcut":"hi","body":"Hello!"}"#,
    r#"{"v":1,"assignee":null}"#,
    r#"{"v":1,"status":"snoozed","snoozed_until":1700000000}"#,
    r#"{"v":1,"hours":{"time_zone":"Europe/Paris","days":[[540,1020]]}}"#,
    r#"{"v":1,"push_after_seconds":60,"email_after_seconds":600,"email_gap_seconds":3600}"#,
    r#"{"type":"hello","v":1,"last_seq":4}"#,
    r#"{"type":"send","client_id":"c-2","body":"hi"}"#,
    r#"{"type":"read","seq":3}"#,
    r#"{"type":"typing"}"#,
    r#"{"type":"note","client_id":"n-1","body":"for agents"}"#,
    r#"{"type":"presence","away":true}"#,
    "after=5&limit=10&wait=20",
    "before=9007199254740991&_=1",
];

/// Pieces mutations splice in: what breaks parsers and what crosses rules.
const PIECES: &[&str] = &[
    "9007199254740992",
    "18446744073709551616",
    "-1",
    "1e308",
    "0.5",
    r#""v":1,"#,
    r#""client_id":"x","#,
    "\\u0000",
    "\\ud800",
    "\u{202e}",
    "\u{200b}",
    "null",
    "[]",
    "{}",
    "\"",
    ",",
    "&after=",
    "=",
];

#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the byte at (position modulo length).
    Byte(usize, u8),
    /// Insert a piece at a position.
    Splice(usize, usize),
    /// Cut a range out.
    Cut(usize, usize),
    /// Repeat the first `"key":value,` pair, doubling a key.
    DoubleFirstKey,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Byte(at, b)),
        (any::<usize>(), 0..PIECES.len()).prop_map(|(at, p)| Mutation::Splice(at, p)),
        (any::<usize>(), 0usize..8).prop_map(|(at, n)| Mutation::Cut(at, n)),
        Just(Mutation::DoubleFirstKey),
    ]
}

fn apply(mut input: Vec<u8>, mutation: &Mutation) -> Vec<u8> {
    let at = |n: usize| {
        if input.is_empty() {
            0
        } else {
            n % (input.len() + 1)
        }
    };
    match *mutation {
        Mutation::Byte(n, b) if !input.is_empty() => {
            let i = n % input.len();
            input[i] = b;
        }
        Mutation::Byte(..) => {}
        Mutation::Splice(n, p) => {
            let i = at(n);
            input.splice(i..i, PIECES[p].bytes());
        }
        Mutation::Cut(n, len) => {
            let i = at(n);
            let end = (i + len).min(input.len());
            input.drain(i..end);
        }
        Mutation::DoubleFirstKey => {
            let text = String::from_utf8_lossy(&input).into_owned();
            if let (Some(start), Some(comma)) = (text.find("{\""), text.find(',')) {
                if start < comma {
                    let pair = text[start + 1..=comma].to_owned();
                    input.splice(start + 1..start + 1, pair.into_bytes());
                }
            }
        }
    }
    input
}

fn input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => (0..SAMPLES.len(), proptest::collection::vec(mutation(), 0..6)).prop_map(
            |(s, mutations)| {
                mutations
                    .iter()
                    .fold(SAMPLES[s].as_bytes().to_vec(), apply)
            }
        ),
        1 => proptest::collection::vec(any::<u8>(), 0..64),
    ]
}

fn client_error(error: &ApiError) -> Result<(), TestCaseError> {
    prop_assert!(
        (400..500).contains(&error.status()),
        "a refusal is a client error: {error:?}"
    );
    prop_assert!(!error.message.is_empty());
    Ok(())
}

/// A body decoder: refuses with a client error, or accepts a value that, written out
/// and read again, is the same.
fn body<T>(bytes: &[u8]) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    match decode_request::<T>(bytes) {
        Ok(value) => {
            let again: T = decode_request(&serde_json::to_vec(&value).unwrap())
                .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(again, value);
            Ok(())
        }
        Err(error) => client_error(&error),
    }
}

fn every_decoder(bytes: &[u8]) -> Result<(), TestCaseError> {
    body::<NewSessionRequest>(bytes)?;
    body::<SendMessageRequest>(bytes)?;
    body::<ReadRequest>(bytes)?;
    body::<NewCodeRequest>(bytes)?;
    body::<RedeemCodeRequest>(bytes)?;
    body::<EmailLinkRequest>(bytes)?;
    body::<SignInRequest>(bytes)?;
    body::<IdentifyRequest>(bytes)?;
    body::<SignOutRequest>(bytes)?;
    body::<PushSubscriptionRequest>(bytes)?;
    body::<PushRemoveRequest>(bytes)?;
    body::<LoginRequest>(bytes)?;
    body::<InviteRequest>(bytes)?;
    body::<AcceptInviteRequest>(bytes)?;
    body::<SaveCannedRequest>(bytes)?;
    body::<AssignRequest>(bytes)?;
    body::<StatusRequest>(bytes)?;
    body::<HoursRequest>(bytes)?;
    if let Ok(request) = decode_request::<HoursRequest>(bytes) {
        if let Some(Err(error)) = request.hours.map(|h| h.validate()) {
            client_error(&error)?;
        }
    }
    match decode_request::<ReachRequest>(bytes).and_then(ReachRequest::into_settings) {
        Ok(settings) => {
            let written = serde_json::to_vec(&ReachRequest::new(settings.clone())).unwrap();
            let again =
                decode_request::<ReachRequest>(&written).and_then(ReachRequest::into_settings);
            prop_assert_eq!(again, Ok(settings.clone()));
            if let Err(error) = settings.validate() {
                client_error(&error)?;
            }
        }
        Err(error) => client_error(&error)?,
    }

    let text = String::from_utf8_lossy(bytes);
    match ClientFrame::decode(&text) {
        Ok(frame) => {
            let again = ClientFrame::decode(&serde_json::to_string(&frame).unwrap());
            prop_assert!(again.is_ok(), "{frame:?} reads back");
        }
        Err(error) => client_error(&error)?,
    }
    if let Err(error) = InboxClientFrame::decode(&text) {
        client_error(&error)?;
    }
    if let Err(error) = HistoryQuery::parse(&text) {
        client_error(&error)?;
    }
    match MessageBody::parse(&text) {
        Ok(message) => prop_assert!(!message.into_string().trim().is_empty()),
        Err(error) => client_error(&error)?,
    }
    for rule in [
        confab_protocol::visitor::email_address,
        confab_protocol::visitor::link_page,
        confab_protocol::console::email,
        confab_protocol::console::display_name,
        confab_protocol::console::shortcut,
    ] {
        if let Err(error) = rule(&text) {
            client_error(&error)?;
        }
    }
    let _ = confab_protocol::origins::check_pattern(&text);
    let _ = confab_protocol::resume::ResumeCode::parse(&text);
    let _ = confab_protocol::SessionClaims::verify(&text, b"fuzz secret");
    Ok(())
}

#[test]
fn no_input_panics_or_is_answered_as_a_server_error() {
    let cases = std::env::var("CONFAB_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(FUZZ_CASES);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let counted = std::cell::Cell::new(0u64);
    let accepted = std::cell::Cell::new(0u64);
    runner
        .run(&input(), |bytes| {
            counted.set(counted.get() + 1);
            if decode_request::<SendMessageRequest>(&bytes).is_ok()
                || ClientFrame::decode(&String::from_utf8_lossy(&bytes)).is_ok()
            {
                accepted.set(accepted.get() + 1);
            }
            every_decoder(&bytes)
        })
        .unwrap();
    println!(
        "fuzz: {} inputs through every decoder, {} accepted as a message or frame",
        counted.get(),
        accepted.get()
    );
    assert!(counted.get() >= u64::from(cases));
    // The inputs reach past the syntax check: some mutated bodies are still valid.
    assert!(accepted.get() > u64::from(cases) / 100);
}
