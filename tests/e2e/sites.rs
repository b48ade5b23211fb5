//! Sites from the console: an admin creates one, copies its tag onto a page of another
//! origin where it works at once in the site's look (never the default look first), changes
//! its colour (a visitor's next page shows it; an unreadable one is refused and changes
//! nothing), removes it (its widget shows nothing, its API says why), restores it and
//! deletes its data, with its id typed again.

use confab_tests::browser::{Browser, Device};
use confab_tests::console::{DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD};
use confab_tests::eventually;
use confab_tests::host::Page;
use serde_json::{json, Value};

use crate::Ctx;

const IN_WIDGET: &str = "document.querySelector('confab-widget').shadowRoot";

/// Records, as the loader puts the widget on the page (before the browser paints it), the
/// launcher's colour and corner: what the visitor sees first.
const FIRST_SIGHT: &str =
    "window.__first = null; new MutationObserver(function (changes, observer) { \
    var host = document.querySelector('confab-widget'); if (!host) return; observer.disconnect(); \
    var b = host.shadowRoot.querySelector('.launcher'), r = b.getBoundingClientRect(); \
    window.__first = [getComputedStyle(b).backgroundColor, Math.round(r.left)]; \
    }).observe(document, { childList: true, subtree: true });";

/// A visitor's page on the host site's origin with exactly `tag`.
fn page_with(ctx: &Ctx, tag: &str) -> String {
    let encoded: String = tag
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{}&tag={encoded}", ctx.page(Page::Plain))
}

async fn launcher_colour(browser: &Browser) -> Value {
    browser
        .script(&format!(
            "return getComputedStyle({IN_WIDGET}.querySelector('.launcher')).backgroundColor"
        ))
        .await
}

/// Sets the field `part` of `site`'s block to `value` and says so with `event`, as a
/// colour picker or a select does.
async fn set_field(admin: &Browser, site: &str, part: &str, value: &str, event: &str) {
    admin
        .script(&format!(
            "var f = document.getElementById('site-{site}-{part}'); f.value = '{value}'; \
             f.dispatchEvent(new Event('{event}', {{ bubbles: true }})); return true"
        ))
        .await;
}

async fn pick_colour(admin: &Browser, site: &str, colour: &str) {
    set_field(admin, site, "accent", colour, "input").await;
}

async fn save(admin: &Browser, site: &str) {
    admin
        .click(&format!(
            "details[data-site={site}] form.site-settings button[type=submit]"
        ))
        .await;
}

pub async fn an_admin_creates_a_site_that_works_at_once_with_its_copied_tag(ctx: &Ctx) {
    // Named to sort after the demo sites: an agent's console opens on the first site.
    let site = "trail-shop";
    let admin = Browser::open(&ctx.driver, Device::Desktop).await;
    admin
        .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
        .await;
    admin.goto(&format!("{}console/#/team", ctx.demo)).await;
    admin.type_into("#new-site-id", site).await;
    admin.type_into("#new-site-name", "Corner shop").await;
    admin.type_into("#new-site-team", "Corner team").await;
    admin.click("#new-site-create").await;
    let block = format!("details[data-site={site}]");
    admin.click(&format!("{block} > summary")).await;

    // The tag to paste, from the Copy button.
    admin
        .cdp(
            "Browser.grantPermissions",
            json!({ "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"] }),
        )
        .await;
    admin.click(&format!("{block} .script-tag button")).await;
    admin
        .wait_for_text(&format!("{block} .script-tag .saved"), "Copied")
        .await;
    let tag = admin.script("return navigator.clipboard.readText()").await;
    let tag = tag.as_str().expect("the clipboard holds text").to_owned();
    let expected = format!(
        r#"<script async src="{}confab.js" data-site="{site}"></script>"#,
        ctx.demo
    );
    assert_eq!(tag, expected, "the copied tag");

    // Only the host site's pages, a teal accent, the launcher on the left with a label.
    admin
        .type_into(&format!("#site-{site}-origins"), &ctx.host)
        .await;
    pick_colour(&admin, site, "#0b7285").await;
    set_field(&admin, site, "side", "left", "change").await;
    admin
        .type_into(&format!("#site-{site}-label"), "Chat with us")
        .await;
    // The preview follows the form before anything is saved.
    let preview = admin
        .script(&format!(
            "return getComputedStyle(document.querySelector('{block} .preview-launcher')).backgroundColor"
        ))
        .await;
    assert_eq!(preview, json!("rgb(11, 114, 133)"), "the preview's colour");
    save(&admin, site).await;
    admin
        .wait_for_text(&format!("{block} form.site-settings .saved"), "Saved")
        .await;

    // A visitor on the host site's page with the copied tag: the site's look from the
    // first sight, and a thread that reaches the site's inbox.
    let visitor = Browser::open(&ctx.driver, Device::Desktop).await;
    visitor
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": FIRST_SIGHT }),
        )
        .await;
    let page = page_with(ctx, &tag);
    visitor.goto_widget(&page).await;
    let first = visitor.script("return window.__first").await;
    assert_eq!(
        first,
        json!(["rgb(11, 114, 133)", 20]),
        "the launcher as first drawn: the site's colour, in the bottom left corner"
    );
    let label = visitor
        .script(&format!(
            "return getComputedStyle({IN_WIDGET}.querySelector('.launcher'), '::after').content"
        ))
        .await;
    assert_eq!(label, json!("\"Chat with us\""), "the launcher's label");
    let text = "Do you sell maps of the coast?";
    visitor.open_and_send(text).await;
    let name = visitor
        .script(&format!(
            "return {IN_WIDGET}.querySelector('.launcher').getAttribute('aria-label')"
        ))
        .await;
    assert!(
        name.as_str().is_some_and(|n| n.starts_with("Chat with us")),
        "the launcher's name says its label: {name}"
    );
    eventually(30, "the thread in the new site's inbox", || async {
        let inbox = ctx
            .admin()
            .get(&format!("/api/console/sites/{site}/conversations"))
            .await;
        inbox.body.to_string().contains(text).then_some(())
    })
    .await;

    // A colour white text cannot be read on is refused, with its contrast; nothing changes.
    pick_colour(&admin, site, "#ffd43b").await;
    save(&admin, site).await;
    admin
        .wait_for_text(&format!("{block} p.error[role=alert]"), "contrast")
        .await;
    let stored = ctx.admin().site(site).await;
    assert_eq!(stored["settings"]["look"]["accent"], "#0b7285", "{stored}");
    visitor.client.refresh().await.expect("reload");
    visitor.widget().await;
    assert_eq!(launcher_colour(&visitor).await, json!("rgb(11, 114, 133)"));

    // A readable one reaches the visitor's next page, with the dark theme the site chose
    // (this browser's own setting is light).
    pick_colour(&admin, site, "#862e9c").await;
    set_field(&admin, site, "theme", "dark", "change").await;
    save(&admin, site).await;
    eventually(20, "the new colour saved", || async {
        let stored = ctx.admin().site(site).await;
        (stored["settings"]["look"]["accent"] == "#862e9c").then_some(())
    })
    .await;
    visitor.client.refresh().await.expect("reload");
    visitor.widget().await;
    assert_eq!(launcher_colour(&visitor).await, json!("rgb(134, 46, 156)"));
    visitor.click_in_widget(".launcher").await;
    visitor.in_widget(".panel").await;
    let panel = visitor
        .script(&format!(
            "return getComputedStyle({IN_WIDGET}.querySelector('.panel')).backgroundColor"
        ))
        .await;
    assert_eq!(
        panel,
        json!("rgb(31, 34, 39)"),
        "the panel in the dark theme"
    );
    // Kept to look at: the site's look on the page, and its settings in the console.
    let dir = confab_tests::repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots dir");
    for (browser, name) in [
        (&visitor, "site-look-widget"),
        (&admin, "site-look-console"),
    ] {
        let png = browser.client.screenshot().await.expect("a screenshot");
        std::fs::write(dir.join(format!("{name}.png")), &png).expect("saved");
    }
    admin.close().await;
    visitor.close().await;
}

pub async fn a_removed_site_stops_and_its_data_goes_only_when_deleted(ctx: &Ctx) {
    let site = "trail-pop-up";
    let admin_api = ctx.admin();
    let created = admin_api
        .post(
            "/api/console/sites",
            &json!({"v": 1, "site": site, "settings": {"name": "Pop-up", "team": "Pop-up team"}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let mut device = confab_tests::account::Device::new(&ctx.base, confab_tests::account::DESKTOP);
    let id = device
        .open_thread_on(site, "pop-1", "Are you open this weekend?")
        .await;

    // A visitor writing on one of its pages, the widget open.
    let page = confab_tests::host::page_url(&ctx.host, Page::Plain, &ctx.base, site);
    let writing = Browser::open(&ctx.driver, Device::Desktop).await;
    writing.goto_widget(&page).await;
    writing.open_and_send("Is the pop-up still on?").await;

    let admin = Browser::open(&ctx.driver, Device::Desktop).await;
    admin
        .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
        .await;
    admin.open_site_settings(&ctx.demo, site).await;
    let block = format!("details[data-site={site}]");
    admin.click(&format!("{block} .remove-site")).await;
    admin.find(&format!("{block} .restore-site")).await;
    // The open widget leaves the page at once.
    eventually(20, "the open widget to leave the page", || async {
        let gone = writing
            .script("return document.querySelector('confab-widget') === null")
            .await;
        (gone == true).then_some(())
    })
    .await;
    writing.close().await;

    // Its pages show nothing, and every call says why.
    let visitor = Browser::open(&ctx.driver, Device::Desktop).await;
    visitor.goto(&page).await;
    eventually(20, "the loader to hear from the site", || async {
        let asked = visitor
            .script("return performance.getEntriesByType('resource').some(function (e) { return /api\\/sites\\//.test(e.name) })")
            .await;
        (asked == true).then_some(())
    })
    .await;
    // The answer has been read once the loader had its chance to draw.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let shown = visitor
        .script("return document.querySelector('confab-widget') !== null")
        .await;
    assert_eq!(shown, json!(false), "a removed site's page shows no widget");
    let header = device.get(&format!("/api/sites/{site}")).await;
    assert_eq!(
        (header.status, header.error_code()),
        (410, "site_removed"),
        "{}",
        header.body
    );
    let history = device
        .get(&format!("/api/conversations/{id}/messages"))
        .await;
    assert_eq!(
        (history.status, history.error_code()),
        (410, "site_removed")
    );
    let session = confab_tests::api::Api::new(&ctx.base)
        .new_session_from(None, site)
        .await;
    assert_eq!(session.status, 410, "{}", session.body);
    // Its conversations are kept.
    eventually(30, "the removed site's conversation kept", || async {
        let kept = admin_api
            .get(&format!("/api/console/sites/{site}/conversations"))
            .await;
        kept.body.to_string().contains("this weekend").then_some(())
    })
    .await;

    // Restored, it is all back.
    admin.click(&format!("{block} .restore-site")).await;
    admin.find(&format!("{block} .remove-site")).await;
    let restored = admin_api.site(site).await;
    assert_eq!(restored["state"], "live", "{restored}");
    let header = device.get(&format!("/api/sites/{site}")).await;
    assert_eq!(header.status, 200, "{}", header.body);
    visitor.goto_widget(&page).await;
    let history = device
        .get(&format!("/api/conversations/{id}/messages"))
        .await;
    assert_eq!(history.status, 200, "{}", history.body);

    // Deleted: only once removed, and with the id typed again.
    admin.click(&format!("{block} .remove-site")).await;
    admin
        .type_into(&format!("#site-{site}-confirm"), "trail-pop-upp")
        .await;
    admin.click(&format!("{block} .delete-site")).await;
    admin
        .wait_for_text(
            &format!("{block} p.error[role=alert]"),
            "type the site's id",
        )
        .await;
    // The refused deletion erased nothing: the thread is there once the alarm that a
    // deletion starts would have run (it runs at once).
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let kept = admin_api
        .get(&format!("/api/console/sites/{site}/conversations"))
        .await;
    assert!(
        kept.body.to_string().contains("this weekend"),
        "a refused deletion erases nothing: {}",
        kept.body
    );
    set_field(&admin, site, "confirm", "", "input").await;
    admin
        .type_into(&format!("#site-{site}-confirm"), site)
        .await;
    admin.click(&format!("{block} .delete-site")).await;
    admin
        .wait_for_text("section.sites p[role=status]", "Deleted")
        .await;
    let gone = admin_api
        .get(&format!("/api/console/sites/{site}/conversations"))
        .await;
    assert_eq!(gone.status, 404, "{}", gone.body);
    let history = device
        .get(&format!("/api/conversations/{id}/messages"))
        .await;
    assert_eq!(history.status, 404, "{}", history.body);
    let again = admin_api
        .post(
            "/api/console/sites",
            &json!({"v": 1, "site": site, "settings": {"name": "Again", "team": "Again"}}),
        )
        .await;
    assert_eq!((again.status, again.error_code()), (409, "conflict"));
    admin.close().await;
    visitor.close().await;
}
