//! Answering an email: an agent's reply left unread is emailed with the thread's own
//! reply address; the visitor's answer to it lands in the thread once, without the
//! quoted history, with its photo, marked as come by email; forged, foreign, expired,
//! replayed and refused mail stores nothing. On the `outlet` site, whose reach settings
//! no other test sets.

use base64::{engine::general_purpose::STANDARD, Engine};
use confab_protocol::email_reply::{day_of, local_part, ReplyAddress};
use confab_protocol::{ConversationId, HistoryPage, VisitorId};
use confab_tests::account::{mail_with, Device, DESKTOP};
use confab_tests::browser::{Browser, Device as BrowserDevice};
use confab_tests::console::{Console, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD};
use confab_tests::eventually;
use confab_tests::host::Page;
use confab_tests::inbound_mail::{deliver, dev_secret, reply_tos_of_mail_to};
use serde_json::json;

use crate::files_api::{fetch, PNG};
use crate::Ctx;

/// A visitor of `outlet` who left an address and then the page, and the agent's reply
/// emailed to them: their device, the thread, and the email's reply address.
async fn visitor_emailed_a_reply(
    ctx: &Ctx,
    admin: &Console,
    email: &str,
    reply: &str,
) -> (Device, ConversationId, String) {
    // Without a push subscription, the ladder goes straight to email.
    crate::reach::set_quick_steps_on(admin, "outlet", 1).await;
    let mut visitor = Device::new(&ctx.base, DESKTOP);
    let id = visitor
        .open_thread_on("outlet", "stove-1", "My stove's door is broken")
        .await;
    let id = ConversationId::parse(&id).unwrap();
    let answer = visitor
        .post(
            "/api/visitor/email",
            &json!({"v": 1, "email": email, "page": ctx.page(Page::Plain)}),
        )
        .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    let answer = admin.reply(&id, "ask-photo", reply).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    mail_with(&format!("> {reply}")).await;
    // Both emails, the sign-in link and the reply, answer into the thread.
    let reply_tos = eventually(30, "both emails' Reply-To", || async {
        let found = reply_tos_of_mail_to(&ctx.base, email).await;
        (found.len() == 2).then_some(found)
    })
    .await;
    let thread = |address: &str| ReplyAddress::parse(address).map(|a| a.conversation);
    assert_eq!(thread(&reply_tos[0]), Some(id.clone()));
    assert_eq!(thread(&reply_tos[1]), Some(id.clone()));
    let reply_to = reply_tos[0].clone();
    (visitor, id, reply_to)
}

/// An answer as Gmail writes it: text and HTML, the history quoted under the words, and
/// a photo attached.
fn gmail_answer(from: &str, to: &str, message_id: &str, words: &str, photo: &[u8]) -> String {
    let photo = STANDARD.encode(photo);
    format!(
        "From: Ann <{from}>\nTo: {to}\nSubject: Re: Acme Outlet replied to you\n\
         Message-ID: <{message_id}>\nDate: Mon, 7 Dec 2026 10:05:00 +0000\nMIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"m\"\n\n--m\n\
         Content-Type: multipart/alternative; boundary=\"a\"\n\n--a\n\
         Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\n\
         {words}\n\nOn Mon, Dec 7, 2026 at 10:00 AM Acme Outlet <{to}> wrote:\n\n> Could you send a photo?\n\
         --a\nContent-Type: text/html; charset=\"UTF-8\"\n\n<div>{words}</div><div class=\"gmail_quote\">\
         On Mon, Dec 7, 2026 at 10:00 AM Acme Outlet wrote:<blockquote>Could you send a photo?</blockquote></div>\n\
         --a--\n\n--m\nContent-Type: image/png; name=\"door.png\"\n\
         Content-Disposition: attachment; filename=\"door.png\"\nContent-Transfer-Encoding: base64\n\n\
         {photo}\n--m--\n"
    )
}

async fn thread(admin: &Console, id: &ConversationId) -> HistoryPage {
    admin
        .get(&format!("/api/console/conversations/{id}/messages"))
        .await
        .json()
}

pub async fn a_reply_by_email_lands_in_the_thread_once_with_its_photo(ctx: &Ctx) {
    let admin = ctx.admin();
    let email = format!("ann.{}@example.org", std::process::id());
    let (visitor, id, reply_to) =
        visitor_emailed_a_reply(ctx, &admin, &email, "Could you send a photo of the door?").await;
    assert!(reply_to.starts_with("reply+"), "{reply_to}");
    assert!(reply_to.ends_with("@example.com"), "{reply_to}");

    // The visitor's agent watches live.
    let mut agents = admin.conversation_socket(&id).await.expect("agent socket");
    agents.hello(2, 0).await;
    let raw = gmail_answer(
        &email,
        &reply_to,
        "answer-1@mail.example",
        "Here it is.",
        PNG,
    );
    let taken = deliver(&ctx.base, &email, &reply_to, &raw).await;
    assert_eq!(taken.status, 200, "{}", taken.text);
    let live = agents
        .until(|f| f["type"] == "message" && f["message"]["by_email"] == true)
        .await;
    let live = &live.last().unwrap()["message"];
    assert_eq!(live["body"], "Here it is.");
    assert_eq!(live["author"], "visitor");

    let seen = thread(&admin, &id).await;
    assert_eq!(seen.messages.len(), 3, "{:?}", seen.messages);
    let answer = &seen.messages[2];
    assert!(answer.by_email);
    assert_eq!(answer.body, "Here it is.");
    assert_eq!(answer.files.len(), 1);
    assert_eq!(
        (answer.files[0].name.as_str(), answer.files[0].kind.as_str()),
        ("door.png", "image/png")
    );
    let photo = fetch(&ctx.base, &answer.files[0].link).await;
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.bytes().await.unwrap().as_ref(), PNG);
    // The visitor's own history has it too, and answering read the reply it quoted.
    let own: HistoryPage = visitor
        .get(&format!("/api/conversations/{id}/messages"))
        .await
        .json();
    assert_eq!(own.messages[2].body, "Here it is.");
    let list = visitor.get("/api/visitor/conversations").await;
    assert_eq!(list.body["conversations"][0]["unread"], 0, "{}", list.body);

    // The console says how it came, beside its photo.
    let agent = Browser::open(&ctx.driver, BrowserDevice::Desktop).await;
    agent
        .sign_in_to_console(&ctx.demo, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
        .await;
    agent
        .goto(&format!("{}console/#/c/outlet/{id}", ctx.demo))
        .await;
    agent
        .wait_for_text("[data-seq=\"3\"] .meta .by-email", "by email")
        .await;
    agent.find("[data-seq=\"3\"] .files img").await;
    agent.close().await;

    // The same mail delivered again is refused, and stored once.
    let again = deliver(&ctx.base, &email, &reply_to, &raw).await;
    assert_eq!(again.status, 400, "{}", again.text);
    assert!(again.text.contains("already"), "{}", again.text);

    // An Outlook answer in HTML only, quoted-printable in Windows-1252, keeps its words
    // and loses the header block of the history under them.
    let outlook = format!(
        "From: \"Smith, Ann\" <{email}>\nTo: <{reply_to}>\nSubject: RE: Acme Outlet\n\
         Message-ID: <answer-2@outlook.example>\nMIME-Version: 1.0\n\
         Content-Type: text/html; charset=\"Windows-1252\"\nContent-Transfer-Encoding: quoted-printable\n\n\
         <html><body><div>Merci, =E7a marche tr=E8s bien.</div><hr>\n\
         <div><b>From:</b> Acme Outlet<br><b>Sent:</b> Monday, December 7, 2026<br>\
         Could you send a photo?</div></body></html>\n"
    );
    let taken = deliver(&ctx.base, &email, &reply_to, &outlook).await;
    assert_eq!(taken.status, 200, "{}", taken.text);
    let seen = thread(&admin, &id).await;
    let bodies: Vec<&str> = seen.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(
        bodies,
        [
            "My stove's door is broken",
            "Could you send a photo of the door?",
            "Here it is.",
            "Merci, ça marche très bien."
        ]
    );
}

pub async fn forged_foreign_old_and_refused_mail_stores_nothing(ctx: &Ctx) {
    let admin = ctx.admin();
    let email = format!("bob.{}@example.org", std::process::id());
    let (visitor, id, reply_to) =
        visitor_emailed_a_reply(ctx, &admin, &email, "Which size do you need?").await;
    let before = thread(&admin, &id).await.messages.len();
    let (admin, id) = (&admin, &id);
    let refused = |why: &'static str| async move {
        assert_eq!(thread(admin, id).await.messages.len(), before, "{why}");
    };
    let answer = |to: &str, id: &str| gmail_answer(&email, to, id, "Size 46", PNG);

    // A changed signature, a changed thread, an address that is none of ours.
    let (local, domain) = reply_to.split_once('@').unwrap();
    let last = local.chars().last().unwrap();
    let forged = format!(
        "{}{}@{domain}",
        &local[..local.len() - 1],
        if last == '0' { '1' } else { '0' }
    );
    for (to, why) in [
        (forged.as_str(), "takes mail"),
        (
            "reply+00000000000000000000000000000000000000000000000000000000@example.com",
            "takes mail",
        ),
        ("hello@example.com", "takes mail"),
    ] {
        let sent = deliver(&ctx.base, &email, to, &answer(to, "forged@x")).await;
        assert_eq!(sent.status, 400, "{to}: {}", sent.text);
        assert!(sent.text.contains(why), "{to}: {}", sent.text);
    }
    refused("forged addresses").await;

    // Someone else writing to the right address, as themselves or under the visitor's
    // name in the `From:` header.
    for from in ["eve@example.org", email.as_str()] {
        let eve = gmail_answer(from, &reply_to, "eve@x", "Size 46", PNG);
        let sent = deliver(&ctx.base, "eve@example.org", &reply_to, &eve).await;
        assert_eq!(sent.status, 400, "{}", sent.text);
        assert!(sent.text.contains("Only the address"), "{}", sent.text);
    }
    refused("another sender").await;

    // An address of an email sent 91 days ago (signed with the deployment's secret).
    let visitor = VisitorId::parse(&visitor.visitor_id()).unwrap();
    let secret = dev_secret("CONFAB_SECRET");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let today = day_of(now.unwrap().as_millis() as u64);
    let old = format!(
        "{}@example.com",
        local_part(secret.as_bytes(), id, &visitor, today - 91)
    );
    let sent = deliver(&ctx.base, &email, &old, &answer(&old, "old@x")).await;
    assert_eq!(sent.status, 400, "{}", sent.text);
    assert!(sent.text.contains("too old"), "{}", sent.text);
    refused("an expired address").await;

    // A page posing as a photo, and an answer with nothing of its own.
    let page = gmail_answer(
        &email,
        &reply_to,
        "page@x",
        "Size 46",
        b"<html><script>alert(1)</script>",
    );
    let sent = deliver(&ctx.base, &email, &reply_to, &page).await;
    assert_eq!(sent.status, 400, "{}", sent.text);
    assert!(sent.text.contains("door.png"), "{}", sent.text);
    let quoted_only = format!(
        "From: {email}\nTo: {reply_to}\nMessage-ID: <quoted@x>\nContent-Type: text/plain\n\n\
         On Mon, Dec 7, 2026 at 10:00 AM Acme Outlet wrote:\n> Which size do you need?\n"
    );
    let sent = deliver(&ctx.base, &email, &reply_to, &quoted_only).await;
    assert_eq!(sent.status, 400, "{}", sent.text);
    assert!(sent.text.contains("no words of its own"), "{}", sent.text);
    refused("refused contents").await;

    // An out-of-office answer is dropped without a bounce.
    let away = format!(
        "From: {email}\nTo: {reply_to}\nMessage-ID: <away@x>\nAuto-Submitted: auto-replied\n\
         Content-Type: text/plain\n\nI am away until Monday.\n"
    );
    let sent = deliver(&ctx.base, &email, &reply_to, &away).await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    refused("an automatic answer").await;

    // The real visitor's answer still lands after all that.
    let sent = deliver(&ctx.base, &email, &reply_to, &answer(&reply_to, "real@x")).await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    assert_eq!(thread(admin, id).await.messages.len(), before + 1);
}
