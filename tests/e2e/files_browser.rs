//! Files in the widget, on a site owner's page of another origin under a strict
//! Content-Security-Policy: picked with the paperclip or dropped on the panel, refused with
//! a reason when they are not pictures or PDFs, shown as thumbnails, and the team's PDF as
//! a chip that downloads it.

use confab_protocol::HistoryPage;
use confab_tests::browser::{Browser, Device};
use confab_tests::console::{DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD};
use confab_tests::eventually;
use confab_tests::host::Page;
use serde_json::{json, Value};

use crate::embedding::{no_violations, open_watching_the_policy, IN_WIDGET};
use crate::files_api::{team_sends_pdf, PDF, PNG, TAGGED_JPG};
use crate::Ctx;

/// Drops two pictures and a page that says it is one on the panel, as a file manager would.
fn drop_script(png: &[u8]) -> String {
    let bytes: Vec<String> = png.iter().map(u8::to_string).collect();
    format!(
        "var png = new Uint8Array([{}]); var t = new DataTransfer(); \
         t.items.add(new File([png], 'dropped one.png', {{type: 'image/png'}})); \
         t.items.add(new File([png], 'dropped two.png', {{type: 'image/png'}})); \
         t.items.add(new File(['<script>alert(1)</script>'], 'evil.png', {{type: 'image/png'}})); \
         var panel = {IN_WIDGET}.querySelector('.panel'); \
         panel.dispatchEvent(new DragEvent('dragover', {{dataTransfer: t, bubbles: true, composed: true, cancelable: true}})); \
         var drop = new DragEvent('drop', {{dataTransfer: t, bubbles: true, composed: true, cancelable: true}}); \
         panel.dispatchEvent(drop); return drop.defaultPrevented",
        bytes.join(",")
    )
}

/// Pastes into the composer a screenshot, with `text` beside it if given (as copying
/// from a document gives a picture of the text too); says whether the widget took it.
fn paste_script(png: &[u8], text: Option<&str>) -> String {
    let bytes: Vec<String> = png.iter().map(u8::to_string).collect();
    let text = text.map_or(String::new(), |t| {
        format!("t.setData('text/plain', {t:?});")
    });
    format!(
        "var t = new DataTransfer(); {text}          t.items.add(new File([new Uint8Array([{}])], 'screenshot.png', {{type: 'image/png'}}));          var paste = new ClipboardEvent('paste', {{clipboardData: t, bubbles: true, composed: true, cancelable: true}});          {IN_WIDGET}.querySelector('.composer textarea').dispatchEvent(paste); return paste.defaultPrevented",
        bytes.join(",")
    )
}

/// The committed messages' files as the widget shows them: `[kind, text or alt, loaded]`.
async fn shown_files(browser: &Browser) -> Value {
    let js = format!(
        "return Array.from({IN_WIDGET}.querySelectorAll('.message[data-seq] .files li')).map(function (li) {{ \
           var img = li.querySelector('img'); \
           return img ? ['picture', img.alt, img.complete && img.naturalWidth] : ['file', li.textContent, li.querySelector('a') && li.querySelector('a').getAttribute('href')]; }})"
    );
    browser.script(&js).await
}

pub async fn a_visitor_sends_photos_and_gets_the_teams_pdf(ctx: &Ctx) {
    let browser = open_watching_the_policy(ctx, &ctx.page(Page::Strict)).await;
    browser
        .open_and_send("The stove is broken, photos follow")
        .await;

    // Picked with the paperclip (the input the browser's picker and the phone's camera fill).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("stove.png");
    std::fs::write(&path, PNG).expect("write the photo");
    let input = browser.in_widget(".composer input[type=file]").await;
    input
        .send_keys(path.to_str().unwrap())
        .await
        .expect("pick the file");
    let one = eventually(60, "the picked photo to show, loaded", || async {
        let shown = shown_files(&browser).await;
        (shown.as_array().map(Vec::len) == Some(1) && shown[0][2] == json!(1)).then_some(shown)
    })
    .await;
    assert_eq!(one, json!([["picture", "stove.png · 0.1 MB", 1]]));

    // Dropped: the two pictures go as one message; the page posing as a picture is refused
    // by its bytes, and says so where it was attached.
    assert_eq!(
        browser.script(&drop_script(PNG)).await,
        true,
        "the drop is the widget's, not a navigation to the file"
    );
    browser
        .wait_for_text_in_widget(".upload .why", "Only pictures and PDFs")
        .await;
    let three = eventually(60, "the dropped photos to show", || async {
        let shown = shown_files(&browser).await;
        (shown.as_array().map(Vec::len) == Some(3)).then_some(shown)
    })
    .await;
    assert_eq!(three[1][1], "dropped one.png · 0.1 MB");
    assert_eq!(three[2][1], "dropped two.png · 0.1 MB");
    // Taken away with its button; the focus goes on to the composer, not to the page.
    browser.click_in_widget(".upload .cancel").await;
    eventually(20, "the refused row to go", || async {
        let rows = browser.texts_in_widget(".upload").await;
        rows.is_empty().then_some(())
    })
    .await;
    let focused = browser
        .script(&format!("return {IN_WIDGET}.activeElement.tagName"))
        .await;
    assert_eq!(focused, "TEXTAREA");

    // Pasted: a screenshot is sent; text copied with a picture of itself stays text.
    let pasted = browser
        .script(&paste_script(PNG, Some("a line of text")))
        .await;
    assert_eq!(pasted, false, "the text is left to the browser");
    assert_eq!(browser.script(&paste_script(PNG, None)).await, true);
    eventually(60, "the pasted screenshot to show", || async {
        let shown = shown_files(&browser).await;
        (shown.as_array().map(Vec::len) == Some(4)).then_some(())
    })
    .await;

    // The team has them, as sent: one message with one photo, one with two, one pasted.
    let saved = browser.saved("demo").await;
    let id = saved["conversation_id"].as_str().unwrap().to_owned();
    let admin = ctx.admin();
    let history: HistoryPage = admin
        .get(&format!("/api/console/conversations/{id}/messages"))
        .await
        .json();
    let files: Vec<usize> = history.messages.iter().map(|m| m.files.len()).collect();
    assert_eq!(files, vec![0, 1, 2, 1], "no half message, nothing twice");

    // The team answers with a PDF: a named chip with its size, whose link downloads it.
    team_sends_pdf(&admin, &id, "fb-invoice").await;
    let chip = eventually(60, "the team's PDF to show", || async {
        let shown = shown_files(&browser).await;
        shown.get(4).cloned()
    })
    .await;
    assert_eq!(
        (&chip[0], &chip[1]),
        (&json!("file"), &json!("invoice.pdf · 0.1 MB"))
    );
    let href = chip[2].as_str().expect("a link").to_owned();
    let download = reqwest::get(&href).await.expect("the runtime answers");
    assert!(download
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|d| d.starts_with("attachment")));
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);

    // Found again after a reload, from the thread's history.
    browser.client.refresh().await.expect("reload");
    browser.click_in_widget(".launcher").await;
    eventually(60, "the files to show again", || async {
        let shown = shown_files(&browser).await;
        (shown.as_array().map(Vec::len) == Some(5) && shown[0][2] == json!(1)).then_some(())
    })
    .await;
    no_violations(&browser, "files").await;
    browser.close().await;
}

pub async fn an_agent_sees_the_photo_live_and_answers_with_a_pdf(ctx: &Ctx) {
    let agent = Browser::open(&ctx.driver, Device::Desktop).await;
    agent
        .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
        .await;
    agent.click("[data-view=\"all\"]").await;
    let visitor = Browser::open(&ctx.driver, Device::Desktop).await;
    visitor.goto_widget(&ctx.page(Page::Plain)).await;
    visitor.open_and_send("A photo of the label").await;
    let saved = visitor.saved("demo").await;
    let id = saved["conversation_id"].as_str().unwrap().to_owned();
    agent.click(&format!("[data-conversation=\"{id}\"]")).await;
    agent
        .wait_for_text("[data-seq=\"1\"] .body", "A photo of the label")
        .await;

    // The visitor's photo shows in the open conversation as it is sent, loaded.
    let dir = tempfile::tempdir().expect("temp dir");
    let (photo, pdf) = (dir.path().join("label.jpg"), dir.path().join("invoice.pdf"));
    std::fs::write(&photo, TAGGED_JPG).expect("write the photo");
    std::fs::write(&pdf, PDF).expect("write the PDF");
    let input = visitor.in_widget(".composer input[type=file]").await;
    input
        .send_keys(photo.to_str().unwrap())
        .await
        .expect("pick");
    let thumbnail = eventually(60, "the thumbnail in the console", || async {
        let js = "var i = document.querySelector('[data-seq=\"2\"] .files img'); \
                  return i && i.complete && i.naturalWidth ? [i.alt, i.naturalWidth, i.naturalHeight] : null";
        let shown = agent.script(js).await;
        (!shown.is_null()).then_some(shown)
    })
    .await;
    // Stripped of where and with what it was taken, it still stands upright (8×16).
    assert_eq!(thumbnail, json!(["label.jpg · 0.1 MB", 8, 16]));

    // The agent attaches a PDF, and sends it with a text once it is uploaded.
    let attach = agent.find(".composer input[type=file]").await;
    attach.send_keys(pdf.to_str().unwrap()).await.expect("pick");
    agent
        .wait_for_text(".uploads .ready", "Ready to send")
        .await;
    agent.type_into("#composer", "Your invoice").await;
    agent.click("#send").await;
    visitor
        .wait_for_text_in_widget(".from-team .files .file", "invoice.pdf · 0.1 MB")
        .await;
    let history: HistoryPage = ctx
        .admin()
        .get(&format!("/api/console/conversations/{id}/messages"))
        .await
        .json();
    let reply = history.messages.last().expect("the reply");
    assert_eq!(
        (
            reply.body.as_str(),
            reply.files.len(),
            reply.files[0].name.as_str()
        ),
        ("Your invoice", 1, "invoice.pdf")
    );
    assert!(
        agent.texts(".uploads li").await.is_empty(),
        "sent, the files left the composer"
    );
    agent.close().await;
    visitor.close().await;
}
