//! Visitors in their own language, the right way round: a Dutch and an Arabic page on the
//! host site's origin get the widget in that language (its words from the language's texts
//! file, sent with the site's settings), and Arabic is laid out right to left: the launcher
//! and panel on the left of the screen, the visitor's bubbles on the left, the composer's
//! button on its left. A screenshot of each is checked for where the panel is drawn and
//! kept under `target/screenshots`.

use confab_tests::browser::{Browser, Device};
use confab_tests::host::Page;
use confab_tests::widget_texts as texts;
use serde_json::{json, Value};

use crate::Ctx;

const IN_WIDGET: &str = "document.querySelector('confab-widget').shadowRoot";

pub async fn dutch_and_arabic_visitors_read_their_language_the_right_way_round(ctx: &Ctx) {
    for (lang, rtl) in [("nl", false), ("ar", true)] {
        let words = texts(lang);
        let browser = Browser::open(&ctx.driver, Device::Desktop).await;
        browser
            .goto_widget(&format!("{}&lang={lang}", ctx.page(Page::Plain)))
            .await;
        // The loader already puts the launcher on the language's side, before the widget.
        let side = |css: &'static str| {
            let browser = &browser;
            async move {
                browser
                    .script(&format!(
                        "var r = {IN_WIDGET}.querySelector('{css}').getBoundingClientRect(); \
                         return [r.left, r.right, document.documentElement.clientWidth]"
                    ))
                    .await
            }
        };
        let launcher = side(".launcher").await;
        let on_the_left = |r: &Value| r[1].as_f64().unwrap() < r[2].as_f64().unwrap() / 2.0;
        assert_eq!(
            on_the_left(&launcher),
            rtl,
            "{lang}: launcher at {launcher}"
        );

        browser.click_in_widget(".launcher").await;
        let composer = browser.in_widget(".composer textarea").await;
        assert_eq!(
            composer.attr("placeholder").await.expect("an attribute"),
            words["placeholder"].as_str().map(str::to_owned),
            "{lang}: the composer speaks the page's language"
        );
        assert_eq!(
            browser.texts_in_widget(".composer .send").await,
            vec![words["send"].as_str().unwrap().to_owned()]
        );
        let direction = browser
            .script(&format!(
                "return getComputedStyle({IN_WIDGET}.querySelector('.panel')).direction"
            ))
            .await;
        assert_eq!(direction, if rtl { "rtl" } else { "ltr" }, "{lang}");
        // Screen readers are told the widget's language, whatever the page's.
        let said = browser
            .script(&format!(
                "return {IN_WIDGET}.querySelector('.confab').getAttribute('lang')"
            ))
            .await;
        assert_eq!(said, lang);
        // The header's line is in the language too, when there is one.
        let availability = browser
            .texts_in_widget(".panel-header .availability")
            .await
            .concat();
        for english in ["Online", "Usually", "Back"] {
            assert!(!availability.contains(english), "{lang}: {availability:?}");
        }

        let message = format!("{lang}: hallo, مرحبا");
        browser.write(&message).await;
        browser.committed_message(&message).await;
        let panel = side(".panel").await;
        assert_eq!(on_the_left(&panel), rtl, "{lang}: panel at {panel}");
        let bubble = side(".message[data-seq] .body").await;
        let middle = |r: &Value| (r[0].as_f64().unwrap() + r[1].as_f64().unwrap()) / 2.0;
        assert_eq!(
            middle(&bubble) < middle(&panel),
            rtl,
            "{lang}: the visitor's bubble is on the end side ({bubble} in {panel})"
        );
        let textarea = side(".composer textarea").await;
        let send = side(".composer .send").await;
        assert_eq!(
            middle(&send) < middle(&textarea),
            rtl,
            "{lang}: the send button follows the text ({send}, {textarea})"
        );

        // The screenshot shows the panel's header (the accent colour) on the expected half.
        let png = browser.client.screenshot().await.expect("a screenshot");
        let dir = confab_tests::repo_root().join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshots dir");
        std::fs::write(dir.join(format!("widget-{lang}.png")), &png).expect("saved");
        let (width, columns) = accent_columns(&png);
        assert!(
            !columns.is_empty(),
            "{lang}: the header is in the screenshot"
        );
        let left = columns.iter().all(|&x| x < width / 2);
        let right = columns.iter().all(|&x| x >= width / 2);
        assert!(
            if rtl { left } else { right },
            "{lang}: header drawn at x {columns:?}"
        );
        browser.close().await;
    }
}

/// The screenshot's width and the columns holding the header's accent colour (#3b5bdb).
fn accent_columns(png: &[u8]) -> (usize, Vec<usize>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).expect("a frame");
    let channels = frame.color_type.samples();
    let width = frame.width as usize;
    let mut columns = std::collections::BTreeSet::new();
    for (i, pixel) in pixels[..frame.buffer_size()].chunks(channels).enumerate() {
        let close = |a: u8, b: u8| a.abs_diff(b) <= 6;
        if close(pixel[0], 0x3b) && close(pixel[1], 0x5b) && close(pixel[2], 0xdb) {
            columns.insert(i % width);
        }
    }
    (width, columns.into_iter().collect())
}

/// An admin gives the site a Dutch welcome of its own: Dutch visitors read it on the host
/// site's page, others keep their language's default; a language the widget does not
/// speak, an overlong text or an agent who is no admin changes nothing.
pub async fn a_sites_own_welcome_reaches_its_visitors_in_their_language(ctx: &Ctx) {
    let admin = ctx.admin();
    let path = "/api/console/sites/demo/words";
    let put = |body: Value| {
        let admin = &admin;
        async move { admin.call(reqwest::Method::PUT, path, Some(&body)).await }
    };
    let welcome = "Welkom bij Acme! Vraag gerust, we antwoorden hier.";
    let saved =
        put(json!({"v": 1, "words": {"nl": {"welcome": format!("  {welcome} "), "away": " "}}}))
            .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(
        saved.body["words"],
        json!({"nl": {"welcome": welcome}}),
        "trimmed, blanks dropped"
    );
    assert_eq!(
        saved.body["defaults"]["ar"]["welcome"],
        texts("ar")["greeting"]
    );

    let refused = [
        json!({"v": 1, "words": {"xx": {"welcome": "Hi"}}}),
        json!({"v": 1, "words": {"en": {"welcome": "a".repeat(501)}}}),
        json!({"v": 1, "words": {"en": {"greeting": "Hi"}}}),
    ];
    for body in refused {
        let answer = put(body.clone()).await;
        assert_eq!(
            (answer.status, answer.error_code()),
            (400, "invalid_field"),
            "{body}"
        );
    }
    let agent = admin
        .new_agent(
            "words.agent@example.com",
            "Words Agent",
            "my password is long",
        )
        .await;
    let answer = agent
        .call(
            reqwest::Method::PUT,
            path,
            Some(&json!({"v": 1, "words": {}})),
        )
        .await;
    assert_eq!(answer.status, 403);
    assert_eq!(
        admin.get(path).await.body["words"],
        json!({"nl": {"welcome": welcome}})
    );

    for (lang, expected) in [
        ("nl", welcome.to_owned()),
        ("en", texts("en")["greeting"].as_str().unwrap().to_owned()),
    ] {
        let browser = Browser::open(&ctx.driver, Device::Desktop).await;
        browser
            .goto_widget(&format!("{}&lang={lang}", ctx.page(Page::Plain)))
            .await;
        browser.click_in_widget(".launcher").await;
        browser
            .wait_for_text_in_widget(".greeting .body", &expected)
            .await;
        browser.close().await;
    }
    assert_eq!(put(json!({"v": 1, "words": {}})).await.status, 200);
}

/// Outside business hours the widget opens with the away message instead of the welcome:
/// the language's default, or the site's own. On the `studio` site, whose hours and words
/// no other test sets.
pub async fn outside_business_hours_visitors_are_told_the_team_is_away(ctx: &Ctx) {
    let admin = ctx.admin();
    let api = confab_tests::api::Api::new(&ctx.base);
    let greeting = |lang: &'static str| {
        let api = &api;
        async move {
            let answer = api
                .get(&format!("/api/sites/studio?lang={lang}&tz=UTC"), None)
                .await;
            assert_eq!(answer.status, 200, "{}", answer.body);
            answer.body["texts"]["greeting"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        }
    };
    let put = |path: &'static str, body: Value| {
        let admin = &admin;
        async move {
            let answer = admin.call(reqwest::Method::PUT, path, Some(&body)).await;
            assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        }
    };
    let (hours, words) = (
        "/api/console/sites/studio/hours",
        "/api/console/sites/studio/words",
    );
    assert_eq!(greeting("nl").await, texts("nl")["greeting"]);

    // Open only for an hour in two days' time, in UTC: closed now.
    let day = confab_tests::weekday_in_utc(2);
    let mut days = vec![Value::Null; 7];
    days[day] = json!({"open": 540, "close": 600});
    put(
        hours,
        json!({"v": 1, "hours": {"time_zone": "UTC", "days": days}}),
    )
    .await;
    assert_eq!(greeting("nl").await, texts("nl")["away"]);
    assert_eq!(greeting("he").await, texts("he")["away"]);

    let own = "We zijn er morgen weer, vanaf 9 uur.";
    put(
        words,
        json!({"v": 1, "words": {"nl": {"welcome": "Hallo!", "away": own}}}),
    )
    .await;
    assert_eq!(greeting("nl").await, own);
    assert_eq!(greeting("en").await, texts("en")["away"]);

    // Open again: the site's welcome.
    put(hours, json!({"v": 1, "hours": null})).await;
    assert_eq!(greeting("nl").await, "Hallo!");
    put(words, json!({"v": 1, "words": {}})).await;
    assert_eq!(greeting("nl").await, texts("nl")["greeting"]);
}
