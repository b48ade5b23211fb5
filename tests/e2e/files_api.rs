//! Files in a thread over the API: checked by their bytes and size, sent only by their
//! uploader, committed once with their message, and served only through signed links, as
//! a download unless they are pictures.

use confab_protocol::HistoryPage;
use confab_tests::api::{Answer, Api};
use confab_tests::console::Console;
use reqwest::Method;
use serde_json::json;

use crate::Ctx;

/// A phone's photo, 16×8 and turned upright by its EXIF orientation (6), tagged with
/// its camera ("SecretPhone"), place (GPS, "SecretCity" in XMP) and a comment.
pub const TAGGED_JPG: &[u8] = include_bytes!("../../edge/src/photos/tagged.jpg");

/// A real 1×1 PNG (its checksums right: photos are taken apart to strip them).
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\xdac\xf8\xff\xff\xff\x7f\0\x09\xfb\x03\xfd\xf5\xd8\xf1\x9a\0\0\0\0IEND\xaeB`\x82";
pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn upload(api: &Api, token: Option<&str>, name: &str, bytes: &[u8]) -> Answer {
    let path = format!("/api/files?name={name}");
    api.request(Method::POST, &path, token, Some(bytes.to_vec()))
        .await
}

/// The team uploads `invoice.pdf` and replies with it in thread `id`.
pub async fn team_sends_pdf(admin: &Console, id: &str, client_id: &str) {
    let path = "/api/console/files?name=invoice.pdf";
    let pdf = admin.call_raw(Method::POST, path, Some(PDF.to_vec())).await;
    assert_eq!(pdf.status, 201, "{}", pdf.body);
    let files = [&pdf.body["file"]["id"]];
    let reply = json!({"v": 1, "client_id": client_id, "body": "Your invoice", "files": files});
    let replied = admin
        .post(&format!("/api/console/conversations/{id}/messages"), &reply)
        .await;
    assert_eq!(replied.status, 201, "{}", replied.body);
}

pub async fn fetch(base: &str, link: &str) -> reqwest::Response {
    reqwest::get(format!("{base}/{link}"))
        .await
        .expect("the runtime answers")
}

pub async fn files_are_checked_sent_once_and_served_only_by_link(ctx: &Ctx) {
    let api = Api::new(&ctx.base);
    let (token, id) = api.new_thread("f-open", "The stove is broken").await;

    // Refused by what the bytes are, by size, and without a session; nothing is stored.
    let forged = upload(
        &api,
        Some(&token),
        "photo.png",
        b"<!doctype html><script>alert(1)</script>",
    )
    .await;
    assert_eq!(
        (forged.status, forged.error_code()),
        (415, "unsupported_media_type"),
        "{}",
        forged.body
    );
    let huge = vec![0x89u8; 10 * 1024 * 1024 + 1];
    let oversize = upload(&api, Some(&token), "big.png", &huge).await;
    assert_eq!(
        (oversize.status, oversize.error_code()),
        (413, "payload_too_large"),
        "{}",
        oversize.body
    );
    let anonymous = upload(&api, None, "stove.png", PNG).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);

    // Stored, then sent with a message that has no text.
    let stored = upload(&api, Some(&token), "../stove photo.PNG", PNG).await;
    assert_eq!(stored.status, 201, "{}", stored.body);
    let file = &stored.body["file"];
    assert_eq!(
        (file["name"].as_str(), file["kind"].as_str()),
        (Some("stove photo.png"), Some("image/png"))
    );
    assert_eq!(file["size"], PNG.len());
    let file_id = file["id"].as_str().unwrap().to_owned();
    let send = json!({"v": 1, "client_id": "f-photo", "body": "", "files": [file_id]});
    let path = format!("/api/conversations/{id}/messages");
    let sent = api.post(&path, Some(&token), &send).await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    let message = &sent.body["message"];
    let link = message["files"][0]["link"]
        .as_str()
        .expect("a link")
        .to_owned();
    // The same message again is the same message; the same file in another is refused.
    let again = api.post(&path, Some(&token), &send).await;
    assert_eq!(
        (again.status, &again.body["message"]["seq"]),
        (201, &message["seq"])
    );
    let reuse = json!({"v": 1, "client_id": "f-twice", "body": "", "files": [file_id]});
    let reused = api.post(&path, Some(&token), &reuse).await;
    assert_eq!(
        (reused.status, reused.error_code()),
        (409, "conflict"),
        "{}",
        reused.body
    );

    // Another visitor can neither send this upload nor write to this thread.
    let (other, other_id) = api.new_thread("f-other", "Hello").await;
    let theirs = json!({"v": 1, "client_id": "f-steal", "body": "", "files": [file_id]});
    let stolen = api
        .post(
            &format!("/api/conversations/{other_id}/messages"),
            Some(&other),
            &theirs,
        )
        .await;
    assert_eq!(stolen.status, 404, "{}", stolen.body);
    let own = upload(&api, Some(&other), "mine.png", PNG).await;
    let own_id = own.body["file"]["id"].as_str().unwrap().to_owned();
    let into = json!({"v": 1, "client_id": "f-into", "body": "", "files": [own_id]});
    let intruding = api.post(&path, Some(&other), &into).await;
    assert_eq!(intruding.status, 404, "{}", intruding.body);
    // A message naming a file that was never stored (an upload cut off) is refused whole.
    let missing = json!({"v": 1, "client_id": "f-cut", "body": "see photo", "files": ["0123456789abcdef0123456789abcdef"]});
    let cut = api.post(&path, Some(&token), &missing).await;
    assert_eq!(cut.status, 404, "{}", cut.body);

    let history: HistoryPage = api.get(&path, Some(&token)).await.json();
    let bodies: Vec<(&str, usize)> = history
        .messages
        .iter()
        .map(|m| (m.body.as_str(), m.files.len()))
        .collect();
    assert_eq!(
        bodies,
        vec![("The stove is broken", 0), ("", 1)],
        "one message with the photo, no half message"
    );

    // The link serves the very bytes, as a picture that cannot be anything else.
    let photo = fetch(&ctx.base, &link).await;
    assert_eq!(photo.status(), 200);
    let header = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(header(&photo, "content-type"), "image/png");
    assert_eq!(header(&photo, "x-content-type-options"), "nosniff");
    assert!(header(&photo, "content-disposition").starts_with("inline"));
    assert_eq!(photo.bytes().await.unwrap().as_ref(), PNG);
    // A link changed in any way is refused.
    let forged_link = link.replace("sig=", "sig=0");
    assert_eq!(fetch(&ctx.base, &forged_link).await.status(), 403);
    let other_file = link.replace(&file_id, &own_id);
    assert_eq!(fetch(&ctx.base, &other_file).await.status(), 403);

    // The team sees it, and answers with a PDF, which is only ever a download.
    let admin = ctx.admin();
    team_sends_pdf(&admin, id.as_str(), "f-invoice").await;
    let seen: HistoryPage = admin
        .get(&format!("/api/console/conversations/{id}/messages"))
        .await
        .json();
    assert_eq!(seen.messages[1].files[0].name, "stove photo.png");
    let invoice = &seen.messages[2].files[0];
    assert_eq!(
        (invoice.name.as_str(), invoice.kind.as_str()),
        ("invoice.pdf", "application/pdf")
    );
    let download = fetch(&ctx.base, &invoice.link).await;
    assert_eq!(download.status(), 200);
    assert_eq!(
        header(&download, "content-disposition"),
        "attachment; filename=\"invoice.pdf\"; filename*=UTF-8''invoice.pdf"
    );
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);

    // A phone's photo is stored without its metadata, but upright.
    let phone = upload(&api, Some(&token), "door.jpg", TAGGED_JPG).await;
    assert_eq!(phone.status, 201, "{}", phone.body);
    let phone_size = phone.body["file"]["size"].as_u64().unwrap() as usize;
    assert!(phone_size < TAGGED_JPG.len(), "{}", phone.body);
    let phone_id = phone.body["file"]["id"].as_str().unwrap().to_owned();
    let send = json!({"v": 1, "client_id": "f-door", "body": "The door", "files": [phone_id]});
    let sent = api
        .post(
            &format!("/api/conversations/{id}/messages"),
            Some(&token),
            &send,
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    let served = fetch(
        &ctx.base,
        sent.body["message"]["files"][0]["link"].as_str().unwrap(),
    )
    .await;
    let served = served.bytes().await.unwrap();
    assert_eq!(served.len(), phone_size);
    let has = |needle: &[u8]| served.windows(needle.len()).any(|w| w == needle);
    for secret in [&b"SecretPhone"[..], b"SecretCity", b"SecretComment"] {
        assert!(!has(secret), "{}", String::from_utf8_lossy(secret));
    }
    assert!(has(
        b"Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06"
    ));
}
