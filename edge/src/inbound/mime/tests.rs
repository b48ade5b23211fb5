//! Answers shaped as the common mail programs send them.

use base64::{engine::general_purpose::STANDARD, Engine};

use super::*;

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn crlf(text: &str) -> Vec<u8> {
    text.replace('\n', "\r\n").into_bytes()
}

#[test]
fn gmail_multipart_with_a_photo_keeps_the_words_and_the_photo() {
    let photo = STANDARD.encode(PNG);
    let raw = crlf(&format!(
        "From: Ann Smith <Ann@Example.org>
To: reply+abc@acme.example
Subject: Re: Acme replied to you
Message-ID: <CAF=abc123@mail.gmail.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=\"mixed\"

--mixed
Content-Type: multipart/alternative; boundary=\"alt\"

--alt
Content-Type: text/plain; charset=\"UTF-8\"
Content-Transfer-Encoding: quoted-printable

Here is the stove, the door won=E2=80=99t close.

On Mon, Dec 7, 2026 at 10:00 AM Acme <reply+abc@acme.example> wrote:

> Could you send a photo?
--alt
Content-Type: text/html; charset=\"UTF-8\"
Content-Transfer-Encoding: quoted-printable

<div dir=3D\"ltr\">Here is the stove, the door won=E2=80=99t close.</div><br><d=
iv class=3D\"gmail_quote\">On Mon, Dec 7, 2026 at 10:00 AM Acme wrote:<br><blo=
ckquote>Could you send a photo?</blockquote></div>
--alt--

--mixed
Content-Type: image/png; name=\"stove.png\"
Content-Disposition: attachment; filename=\"stove.png\"
Content-Transfer-Encoding: base64

{photo}
--mixed--
"
    ));
    let answer = read(&raw).unwrap();
    assert_eq!(answer.message_id, "CAF=abc123@mail.gmail.com");
    assert_eq!(
        answer.text,
        "Here is the stove, the door won\u{2019}t close."
    );
    assert_eq!(
        answer.files,
        vec![File {
            name: "stove.png".into(),
            bytes: PNG.to_vec()
        }]
    );
}

#[test]
fn outlook_html_only_in_windows_1252_loses_its_header_block() {
    let raw = crlf(
        "From: \"Smith, Ann\" <ann@example.org>
To: <reply+abc@acme.example>
Subject: RE: Acme replied to you
Message-ID: <DB9PR01MB@eurprd01.prod.outlook.com>
Content-Type: text/html; charset=\"Windows-1252\"
Content-Transfer-Encoding: quoted-printable
MIME-Version: 1.0

<html><body><div>Merci, =E7a marche tr=E8s bien.</div>
<div><br></div>
<div>Ann</div>
<hr style=3D\"display:inline-block;width:98%\">
<div id=3D\"divRplyFwdMsg\"><b>From:</b> Acme &lt;reply+abc@acme.example&gt;<br>
<b>Sent:</b> Monday, December 7, 2026 10:00<br>
<b>Subject:</b> Acme replied to you</div>
<div>Your parcel left today</div></body></html>
",
    );
    let answer = read(&raw).unwrap();
    assert_eq!(answer.text, "Merci, ça marche très bien.\n\nAnn");
    assert!(answer.files.is_empty());
}

#[test]
fn apple_mail_in_latin_1_from_a_phone() {
    let raw = crlf(
        "From: ann@example.org
To: reply+abc@acme.example
Subject: Re: Acme replied to you
Message-Id: <5F2A@icloud.com>
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable
Mime-Version: 1.0 (1.0)

Gr=FC=DFe, bis morgen!

Sent from my iPhone

> On 7 Dec 2026, at 10:00, Acme <reply+abc@acme.example> wrote:
>=20
> See you tomorrow?
",
    );
    assert_eq!(read(&raw).unwrap().text, "Grüße, bis morgen!");
}

#[test]
fn japanese_in_iso_2022_jp_and_an_encoded_subject_name() {
    // "ありがとうございます" in ISO-2022-JP, base64.
    let raw = crlf(
        "From: =?ISO-2022-JP?B?GyRCOjRGIxsoQg==?= <sato@example.jp>
To: reply+abc@acme.example
Message-ID: <jp-1@example.jp>
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: base64

GyRCJCIkaiQsJEgkJiQ0JDYkJCReJDkbKEI=
",
    );
    let answer = read(&raw).unwrap();
    assert_eq!(answer.text, "ありがとうございます");
}

#[test]
fn a_file_the_rules_refuse_refuses_the_whole_answer() {
    let page = STANDARD.encode(b"<html><script>alert(1)</script></html>");
    let raw = crlf(&format!(
        "From: ann@example.org
Message-ID: <forged@example.org>
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain

See attached.
--b
Content-Type: image/png
Content-Disposition: attachment; filename=photo.png
Content-Transfer-Encoding: base64

{page}
--b--
"
    ));
    match read(&raw) {
        Err(Unreadable::File(why)) => assert!(why.starts_with("photo.png: "), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn six_photos_are_one_too_many() {
    let photo = STANDARD.encode(PNG);
    let mut raw = "From: ann@example.org\nMessage-ID: <six@example.org>\n\
                   Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nPhotos\n"
        .to_owned();
    for n in 0..6 {
        raw.push_str(&format!(
            "--b\nContent-Type: image/png\nContent-Disposition: attachment; filename={n}.png\n\
             Content-Transfer-Encoding: base64\n\n{photo}\n"
        ));
    }
    raw.push_str("--b--\n");
    match read(&crlf(&raw)) {
        Err(Unreadable::File(why)) => assert!(why.contains("5 files at most"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn automatic_empty_and_anonymous_answers_are_not_taken() {
    let away = crlf(
        "From: ann@example.org\nMessage-ID: <away@example.org>\nAuto-Submitted: auto-replied\n\
         Content-Type: text/plain\n\nI am away until Monday.\n",
    );
    assert_eq!(read(&away), Err(Unreadable::Automatic));
    let quoted_only = crlf(
        "From: ann@example.org\nMessage-ID: <q@example.org>\nContent-Type: text/plain\n\n\
         On Mon, Dec 7, 2026 at 10:00 AM Acme wrote:\n> Hello\n",
    );
    assert_eq!(read(&quoted_only), Err(Unreadable::Empty));
    let anonymous = crlf("From: ann@example.org\nContent-Type: text/plain\n\nHi\n");
    assert_eq!(read(&anonymous), Err(Unreadable::NoMessageId));
    assert_eq!(read(b""), Err(Unreadable::NotMime));
}

#[test]
fn a_signature_logo_the_thread_cannot_take_is_left_out() {
    let logo = STANDARD.encode(b"\x01\0\0\0 an EMF logo");
    let photo = STANDARD.encode(PNG);
    let raw = crlf(&format!(
        "From: ann@example.org
Message-ID: <logo@example.org>
Content-Type: multipart/related; boundary=r

--r
Content-Type: text/html; charset=utf-8

<p>Thanks!</p><p>Ann<br><img src=\"cid:logo\"></p>
--r
Content-Type: image/x-emf; name=image001.emf
Content-ID: <logo>
Content-Transfer-Encoding: base64

{logo}
--r
Content-Type: image/png; name=screen.png
Content-Disposition: inline; filename=screen.png
Content-ID: <screen>
Content-Transfer-Encoding: base64

{photo}
--r--
"
    ));
    let answer = read(&raw).unwrap();
    assert_eq!(answer.text, "Thanks!\nAnn");
    let names: Vec<&str> = answer.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["screen.png"]);
}
