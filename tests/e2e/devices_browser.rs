//! One visitor on several devices, as people do it: separate Chromium profiles are
//! separate devices, and the phone has a phone's screen and browser.

use confab_tests::account::{link_in, mail_for, user_hash, DEV_IDENTITY_SECRET};
use confab_tests::browser::{Browser, Device};
use confab_tests::eventually;

use confab_tests::host::Page;

use crate::Ctx;

/// The visitor id in this browser's saved token.
async fn visitor_of(browser: &Browser) -> String {
    let token = browser.saved("demo").await["token"]
        .as_str()
        .expect("a saved token")
        .to_owned();
    confab_tests::account::visitor_in_token(&token)
}

pub async fn a_thread_moves_to_a_phone_by_code_and_by_email(ctx: &Ctx) {
    let desktop = Browser::open(&ctx.driver, Device::Desktop).await;
    desktop.goto(&ctx.page(Page::Plain)).await;
    desktop.open_and_send("Started on the desktop").await;

    // "Continue on another device": a code, a link and its QR code.
    desktop.click_in_widget(".menu").await;
    desktop.click_in_widget(".show-code").await;
    let link = desktop
        .in_widget(".resume-link")
        .await
        .attr("href")
        .await
        .unwrap()
        .expect("the link has an address");
    let code = desktop.in_widget(".code").await.text().await.unwrap();
    assert!(link.ends_with(&format!("#confab={code}")), "{link} {code}");
    let qr = desktop
        .in_widget(".qr")
        .await
        .attr("src")
        .await
        .unwrap()
        .unwrap();
    assert!(qr.starts_with("data:image/svg+xml,"), "{qr}");
    assert!(qr.contains("svg"), "{qr}");
    desktop.click_in_widget(".menu").await;

    // The phone opens the link: the widget opens on the thread, and the code leaves the
    // address bar.
    let phone = Browser::open(&ctx.driver, Device::Phone).await;
    phone.goto(&link).await;
    phone.committed_message("Started on the desktop").await;
    let address = phone.script("return location.href").await;
    assert!(!address.as_str().unwrap().contains("confab="), "{address}");
    phone.write("Continued on the phone").await;
    phone.committed_message("Continued on the phone").await;
    desktop.committed_message("Continued on the phone").await;

    // The desktop lists both devices and signs the phone out: the phone's widget forgets
    // the thread at once.
    desktop.click_in_widget(".menu").await;
    let devices = eventually(20, "two devices listed", || async {
        let texts = desktop.texts_in_widget(".devices li").await;
        (texts.len() == 2).then_some(texts)
    })
    .await;
    assert!(
        devices.iter().any(|d| d.contains("Safari on iPhone")),
        "{devices:?}"
    );
    assert!(
        devices.iter().any(|d| d.contains("this device")),
        "{devices:?}"
    );
    desktop
        .click_in_widget(".devices li:not(:has(em)) .sign-out")
        .await;
    eventually(20, "the phone forgets the thread", || async {
        let saved = phone.saved("demo").await;
        let messages = phone.texts_in_widget(".message[data-seq] .body").await;
        (saved["token"].is_null() && messages.is_empty()).then_some(())
    })
    .await;
    phone.close().await;

    // The visitor asks for replies by email; the mailed link opens the thread in a
    // browser that never saw it.
    desktop
        .in_widget(".email-link input")
        .await
        .send_keys("grace@example.com")
        .await
        .unwrap();
    desktop.click_in_widget(".email-link button").await;
    desktop.wait_for_text_in_widget(".note", "inbox").await;
    let mail = mail_for(&visitor_of(&desktop).await).await;
    let fresh = Browser::open(&ctx.driver, Device::Desktop).await;
    fresh.goto(&link_in(&mail)).await;
    fresh.committed_message("Continued on the phone").await;
    fresh.close().await;
    desktop.close().await;
}

pub async fn the_host_identifies_its_users_on_every_device(ctx: &Ctx) {
    let identify = |user: &str, hash: &str| {
        format!("Confab('identify', {{ userId: '{user}', userHash: '{hash}', name: 'Lin' }})")
    };
    let hash = user_hash(DEV_IDENTITY_SECRET, "browser-user-7");

    // Anonymous first; logging in on the host keeps the thread.
    let laptop = Browser::open(&ctx.driver, Device::Desktop).await;
    laptop.goto(&ctx.page(Page::Plain)).await;
    laptop.open_and_send("Written before logging in").await;
    laptop.script(&identify("browser-user-7", &hash)).await;
    eventually(20, "the laptop is identified", || async {
        (laptop.saved("demo").await["user"] == "browser-user-7").then_some(())
    })
    .await;
    laptop.committed_message("Written before logging in").await;

    // The same user on a phone: the same thread.
    let phone = Browser::open(&ctx.driver, Device::Phone).await;
    phone.goto(&ctx.page(Page::Plain)).await;
    phone.widget().await;
    phone.script(&identify("browser-user-7", &hash)).await;
    phone.click_in_widget(".launcher").await;
    phone.committed_message("Written before logging in").await;

    // `Confab('reset')` on logout: the phone forgets the visitor.
    phone.script("Confab('reset')").await;
    eventually(20, "the phone forgets", || async {
        let saved = phone.saved("demo").await;
        let messages = phone.texts_in_widget(".message[data-seq] .body").await;
        (saved["token"].is_null() && messages.is_empty()).then_some(())
    })
    .await;
    phone.close().await;

    // A forged hash sees nothing at all.
    let forger = Browser::open(&ctx.driver, Device::Desktop).await;
    forger.record_received().await;
    forger.goto(&ctx.page(Page::Strict)).await;
    forger.widget().await;
    let forged = user_hash(b"a guess at the identity secret", "browser-user-7");
    forger.script(&identify("browser-user-7", &forged)).await;
    forger.click_in_widget(".launcher").await;
    eventually(20, "the edge's refusal", || async {
        let received = forger.received().await;
        received
            .iter()
            .any(|r| r.contains("could not be verified"))
            .then_some(())
    })
    .await;
    forger.in_widget(".composer textarea").await;
    assert!(forger
        .texts_in_widget(".message[data-seq] .body")
        .await
        .is_empty());
    assert!(forger.saved("demo").await["token"].is_null());
    forger.close().await;
    laptop.close().await;
}
