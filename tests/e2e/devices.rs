//! One visitor on several devices, over the API: resume codes, emailed links, the host's
//! verified identity, and signing devices out.

use confab_tests::account::{link_in, mail_for, Device, DESKTOP, PHONE};
use confab_tests::socket::Socket;
use reqwest::Method;
use serde_json::json;

use crate::Ctx;

fn socket_url(ctx: &Ctx, id: &str, token: &str) -> String {
    format!(
        "{}/api/conversations/{id}/socket?token={token}",
        confab_tests::ws_url(&ctx.base)
    )
}

fn code_in(link: &str) -> &str {
    link.split_once("#confab=").expect("a code in the link").1
}

pub async fn a_resume_code_carries_the_thread_to_a_phone(ctx: &Ctx) {
    let mut desktop = Device::new(&ctx.base, DESKTOP);
    let id = desktop
        .open_thread("resume-1", "Started on my laptop")
        .await;
    let mut desktop_socket =
        Socket::connect(&socket_url(ctx, &id, desktop.token.as_ref().unwrap()))
            .await
            .expect("desktop socket");
    desktop_socket.hello(1, 0).await;

    let (code, link) = desktop.resume_code().await;
    assert!(
        link.starts_with("http://localhost:4000/help#confab="),
        "{link}"
    );
    assert_eq!(code_in(&link), code);
    assert_eq!(code.len(), 9, "ABCD-EFGH: {code}");

    // The phone types the code as a person would: lower case, no dash.
    let mut phone = Device::new(&ctx.base, PHONE);
    let typed = code.replace('-', " ").to_lowercase();
    let answer = phone
        .sign_in(
            "/api/visitor/codes/redeem",
            &json!({"v": 1, "site": "demo", "code": typed}),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(phone.visitor_id(), desktop.visitor_id());
    assert_eq!(phone.thread_ids().await, std::slice::from_ref(&id));
    let history = phone
        .get(&format!("/api/conversations/{id}/messages"))
        .await;
    assert_eq!(history.body["messages"][0]["body"], "Started on my laptop");

    // The phone writes; the desktop sees it live.
    let answer = phone
        .post(
            &format!("/api/conversations/{id}/messages"),
            &json!({"v": 1, "client_id": "resume-2", "body": "Now on my phone"}),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let frames = desktop_socket
        .until(|f| f["type"] == "message" && f["message"]["seq"] == 2)
        .await;
    assert_eq!(frames.last().unwrap()["message"]["body"], "Now on my phone");

    // Both devices are listed, each with its browser; the asking one is marked.
    let devices = desktop.get("/api/visitor/devices").await;
    let devices = devices.body["devices"].as_array().unwrap().clone();
    assert_eq!(devices.len(), 2, "{devices:?}");
    let browsers: Vec<_> = devices
        .iter()
        .map(|d| d["browser"].as_str().unwrap())
        .collect();
    assert!(browsers.contains(&"Chrome on Android"), "{browsers:?}");
    assert!(browsers.contains(&"Chrome on Linux"), "{browsers:?}");
    assert_eq!(devices.iter().filter(|d| d["current"] == true).count(), 1);

    // A used code is refused, and signs nobody in.
    let mut third = Device::new(&ctx.base, PHONE);
    let again = third
        .sign_in(
            "/api/visitor/codes/redeem",
            &json!({"v": 1, "site": "demo", "code": code}),
        )
        .await;
    assert_eq!(again.status, 401, "{}", again.body);
    assert!(again.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not valid"));
    assert!(third.token.is_none());
}

pub async fn wrong_codes_are_refused_and_guessing_locks(ctx: &Ctx) {
    let mut desktop = Device::new(&ctx.base, DESKTOP);
    desktop.open_thread("guess-1", "Mine alone").await;
    let (code, _) = desktop.resume_code().await;
    let (locator, secret) = code.split_once('-').unwrap();
    let wrong_secret = if secret == "ZZZZ" { "YYYY" } else { "ZZZZ" };
    let wrong = format!("{locator}-{wrong_secret}");
    let guesser = Device::new(&ctx.base, DESKTOP);
    let redeem = |code: String, ip: &'static str| {
        let guesser = &guesser;
        async move {
            guesser
                .call_from(
                    Method::POST,
                    "/api/visitor/codes/redeem",
                    Some(&json!({"v": 1, "site": "demo", "code": code})),
                    Some(ip),
                )
                .await
        }
    };

    // Malformed and unknown codes: refused, with a clear word.
    for bad in ["", "12345678", "ABCD-EFG", "ABCD-EFGHJ"] {
        let answer = redeem(bad.to_owned(), "10.50.0.1").await;
        assert_eq!(answer.status, 401, "{bad:?}: {}", answer.body);
    }

    // A wrong second half answers exactly as an unknown first half does: a guesser
    // learns nothing of which first halves are live. The fifth wrong try locks the code
    // for good, even against the right one, with the same answer again.
    let unknown_locator = if locator == "ZZZZ" { "YYYY" } else { "ZZZZ" };
    let unknown = redeem(format!("{unknown_locator}-{secret}"), "10.50.0.2").await;
    assert_eq!(unknown.status, 401, "{}", unknown.body);
    for _ in 0..5 {
        let answer = redeem(wrong.clone(), "10.50.0.2").await;
        assert_eq!((answer.status, &answer.body), (401, &unknown.body));
    }
    let answer = redeem(code.clone(), "10.50.0.4").await;
    assert_eq!(
        (answer.status, &answer.body),
        (401, &unknown.body),
        "locked, and it does not say so"
    );

    // One address may only try so many codes.
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(redeem("ABCD-EFGH".to_owned(), "10.50.0.9").await.status);
    }
    assert_eq!(&statuses[..10], [401; 10], "{statuses:?}");
    assert_eq!(statuses[11], 429, "{statuses:?}");

    // A code needs a signed-in visitor, and a page that is a page.
    let stranger = Device::new(&ctx.base, DESKTOP);
    let answer = stranger
        .post(
            "/api/visitor/codes",
            &json!({"v": 1, "page": "http://localhost:4000/"}),
        )
        .await;
    assert_eq!(answer.status, 401, "{}", answer.body);
    let answer = desktop
        .post(
            "/api/visitor/codes",
            &json!({"v": 1, "page": "javascript:alert(1)"}),
        )
        .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
}

pub async fn an_emailed_link_opens_the_thread_anywhere(ctx: &Ctx) {
    let mut desktop = Device::new(&ctx.base, DESKTOP);
    let id = desktop.open_thread("mail-1", "Write to me by email").await;

    let answer = desktop
        .post(
            "/api/visitor/email",
            &json!({"v": 1, "email": "not an address", "page": "http://localhost:4000/"}),
        )
        .await;
    assert_eq!(answer.status, 400, "{}", answer.body);

    let answer = desktop
        .post(
            "/api/visitor/email",
            &json!({"v": 1, "email": " ada@example.com ", "page": "http://localhost:4000/p#old"}),
        )
        .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    let mail = mail_for(&desktop.visitor_id()).await;
    assert!(mail.contains("Acme Outfitters"), "{mail}");
    let link = link_in(&mail);
    assert!(
        link.starts_with("http://localhost:4000/p#confab-link="),
        "{link}"
    );
    let secret = link.split_once("#confab-link=").unwrap().1;

    // The address is kept, for replies.
    let devices = desktop.get("/api/visitor/devices").await;
    assert_eq!(devices.body["email"], "ada@example.com");

    let mut elsewhere = Device::new(&ctx.base, PHONE);
    let answer = elsewhere
        .sign_in(
            "/api/visitor/sign-in",
            &json!({"v": 1, "site": "demo", "link": secret}),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(elsewhere.thread_ids().await, [id]);

    // A forged or altered link signs nobody in.
    let forged = format!("{}x", secret);
    let mut forger = Device::new(&ctx.base, PHONE);
    for link in [forged.as_str(), "nonsense", ""] {
        let answer = forger
            .sign_in(
                "/api/visitor/sign-in",
                &json!({"v": 1, "site": "demo", "link": link}),
            )
            .await;
        assert_eq!(answer.status, 401, "{link:?}: {}", answer.body);
    }
    assert!(forger.token.is_none());
}

pub async fn identified_users_share_threads_and_forgeries_get_nothing(ctx: &Ctx) {
    // Before logging in on the host site, the visitor writes anonymously.
    let mut laptop = Device::new(&ctx.base, DESKTOP);
    let before = laptop
        .open_thread("who-1", "Asked before I logged in")
        .await;
    let anonymous_token = laptop.token.clone().unwrap();

    let answer = laptop.identify("user-4711").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(laptop.thread_ids().await, std::slice::from_ref(&before));
    let after = laptop
        .post(
            "/api/conversations",
            &json!({"v": 1, "client_id": "who-2", "body": "Asked after logging in"}),
        )
        .await;
    assert_eq!(after.status, 201, "{}", after.body);
    let after = after.body["conversation_id"].as_str().unwrap().to_owned();
    // The anonymous session was merged and signed out.
    let mut old = Device::new(&ctx.base, DESKTOP);
    old.token = Some(anonymous_token);
    assert_eq!(old.get("/api/visitor/conversations").await.status, 401);

    // Identify again on the next page: the same session is kept.
    let token = laptop.token.clone();
    assert_eq!(laptop.identify("user-4711").await.status, 200);
    assert_eq!(laptop.token, token);

    // Another device, logged in as the same user: the same threads, the one started
    // anonymously included.
    let mut phone = Device::new(&ctx.base, PHONE);
    assert_eq!(phone.identify("user-4711").await.status, 200);
    let mut threads = phone.thread_ids().await;
    threads.sort();
    let mut expected = vec![before.clone(), after.clone()];
    expected.sort();
    assert_eq!(threads, expected);
    let history = phone
        .get(&format!("/api/conversations/{before}/messages"))
        .await;
    assert_eq!(
        history.body["messages"][0]["body"],
        "Asked before I logged in"
    );

    // A forged hash, a hash for another user, a hash without a user: nothing.
    let mut forger = Device::new(&ctx.base, PHONE);
    let forged = confab_protocol::identity::user_hash(b"not the identity secret", "user-4711");
    let other =
        confab_protocol::identity::user_hash(confab_tests::account::DEV_IDENTITY_SECRET, "user-1");
    for body in [
        json!({"v": 1, "site": "demo", "user_id": "user-4711", "user_hash": forged}),
        json!({"v": 1, "site": "demo", "user_id": "user-4711", "user_hash": other}),
        json!({"v": 1, "site": "demo", "user_id": "user-4711"}),
        json!({"v": 1, "site": "demo", "jwt": "e30.e30.AAAA"}),
    ] {
        let answer = forger.sign_in("/api/visitor/identify", &body).await;
        assert!(
            answer.status == 401 || answer.status == 400,
            "{body}: {}",
            answer.body
        );
    }
    assert!(forger.token.is_none());
    let answer = forger
        .call(
            Method::GET,
            &format!("/api/conversations/{before}/messages"),
            None,
        )
        .await;
    assert_eq!(answer.status, 401);

    // An anonymous visitor who fails to identify keeps only their own thread.
    let mut stranger = Device::new(&ctx.base, PHONE);
    let own = stranger.open_thread("who-3", "Mine").await;
    let body = json!({"v": 1, "site": "demo", "user_id": "user-4711", "user_hash": "00"});
    assert_eq!(
        stranger.post("/api/visitor/identify", &body).await.status,
        401
    );
    assert_eq!(stranger.thread_ids().await, [own]);
}

pub async fn a_signed_out_device_is_cut_off_at_once(ctx: &Ctx) {
    let mut desktop = Device::new(&ctx.base, DESKTOP);
    let id = desktop.open_thread("out-1", "Two devices").await;
    let (code, _) = desktop.resume_code().await;
    let mut phone = Device::new(&ctx.base, PHONE);
    let answer = phone
        .sign_in(
            "/api/visitor/codes/redeem",
            &json!({"v": 1, "site": "demo", "code": code}),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let phone_token = phone.token.clone().unwrap();
    let mut phone_socket = Socket::connect(&socket_url(ctx, &id, &phone_token))
        .await
        .expect("phone socket");
    phone_socket.hello(1, 0).await;

    // The desktop signs the phone out from its device list.
    let devices = desktop.get("/api/visitor/devices").await;
    let phone_session = devices.body["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["current"] == false)
        .expect("the phone is listed")["session"]
        .clone();
    let answer = desktop
        .post(
            "/api/visitor/sign-out",
            &json!({"v": 1, "session": phone_session}),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        phone_socket.closed().await,
        "the phone's socket is closed at once"
    );

    // The phone cannot read, write or reconnect; the desktop goes on.
    let read = phone
        .get(&format!("/api/conversations/{id}/messages"))
        .await;
    assert_eq!(read.status, 401, "{}", read.body);
    let write = phone
        .post(
            &format!("/api/conversations/{id}/messages"),
            &json!({"v": 1, "client_id": "out-2", "body": "still here?"}),
        )
        .await;
    assert_eq!(write.status, 401, "{}", write.body);
    assert_eq!(
        Socket::connect(&socket_url(ctx, &id, &phone_token))
            .await
            .err(),
        Some(401)
    );
    let history = desktop
        .get(&format!("/api/conversations/{id}/messages"))
        .await;
    assert_eq!(history.body["messages"].as_array().unwrap().len(), 1);

    // Signing out a device that is not this visitor's changes nothing.
    let answer = desktop
        .post(
            "/api/visitor/sign-out",
            &json!({"v": 1, "session": "00000000000000000000000000000000"}),
        )
        .await;
    assert_eq!(answer.status, 404, "{}", answer.body);

    // Everywhere: the desktop too.
    let mut desktop_socket =
        Socket::connect(&socket_url(ctx, &id, desktop.token.as_ref().unwrap()))
            .await
            .expect("desktop socket");
    desktop_socket.hello(1, 0).await;
    let answer = desktop
        .post(
            "/api/visitor/sign-out",
            &json!({"v": 1, "everywhere": true}),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(desktop_socket.closed().await);
    assert_eq!(desktop.get("/api/visitor/devices").await.status, 401);
}
