//! An answer to one of our emails, read from its raw MIME with `mail-parser`: its
//! Message-ID, the visitor's own words and the files attached. Decoding
//! (multipart, quoted-printable, base64, charsets, HTML-only mail) is the crate's; what
//! is kept of it is decided here, apart from any Worker type.

use confab_protocol::attachments;
use confab_protocol::email_reply::reply_text;
use mail_parser::{MessageParser, MimeHeaders, PartType};

/// What an answer carries, checked against the thread's rules.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    pub message_id: String,
    /// What the visitor wrote, without the quoted history and their signature.
    pub text: String,
    pub files: Vec<File>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why an answer is not taken, told to its sender in the bounce.
#[derive(Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// An out-of-office or other automatic answer (RFC 3834): dropped, not bounced,
    /// and never shown as the visitor's words.
    Automatic,
    NotMime,
    NoMessageId,
    Empty,
    /// A file of it is refused by the thread's rules: the message says why.
    File(String),
}

/// Reads `raw`; its files must each pass the rules of a message's files.
pub fn read(raw: &[u8]) -> Result<Answer, Unreadable> {
    let message = MessageParser::default()
        .parse(raw)
        .ok_or(Unreadable::NotMime)?;
    if is_automatic(&message) {
        return Err(Unreadable::Automatic);
    }
    let message_id = message
        .message_id()
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .ok_or(Unreadable::NoMessageId)?
        .to_owned();
    // A body may come in pieces (text, a picture, more text): all of them, in order.
    let text: Vec<String> = message
        .text_bodies()
        .filter_map(|part| match &part.body {
            PartType::Text(text) => Some(text.to_string()),
            PartType::Html(html) => Some(super::html::to_text(html)),
            _ => None,
        })
        .collect();
    let text = reply_text(&text.join("\n"));
    let mut files = Vec::new();
    for part in message.attachments() {
        let bytes = match &part.body {
            PartType::Binary(b) | PartType::InlineBinary(b) => b.to_vec(),
            PartType::Text(t) | PartType::Html(t) => t.as_bytes().to_vec(),
            PartType::Message(m) => m.raw_message().to_vec(),
            PartType::Multipart(_) => continue,
        };
        let name = part.attachment_name().unwrap_or("attachment").to_owned();
        // Checked here as well as where it is stored: a reply is refused whole, before
        // any of its files is kept.
        let fits = attachments::check_room(bytes.len() as u64, files.len(), 0)
            .and_then(|()| attachments::kind_of(&bytes));
        // A picture in the HTML (a signature's logo, Outlook's EMF) that the thread
        // cannot take is left out, rather than the visitor's whole reply refused.
        let inline = part
            .content_disposition()
            .map_or(part.content_id().is_some(), |d| d.is_inline());
        match fits {
            Ok(_) => files.push(File { name, bytes }),
            Err(_) if inline => {}
            Err(e) => return Err(Unreadable::File(format!("{name}: {}", e.message))),
        }
    }
    if text.is_empty() && files.is_empty() {
        return Err(Unreadable::Empty);
    }
    Ok(Answer {
        message_id,
        text,
        files,
    })
}

/// `Auto-Submitted: auto-replied` and the older marks vacation programs still set.
fn is_automatic(message: &mail_parser::Message) -> bool {
    let header = |name: &str| {
        message
            .header_raw(name.to_owned())
            .map(|v| v.trim().to_ascii_lowercase())
    };
    header("Auto-Submitted").is_some_and(|v| v != "no")
        || header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
        || header("Precedence")
            .is_some_and(|v| ["auto_reply", "bulk", "junk", "list"].contains(&v.as_str()))
}

#[cfg(test)]
mod tests;
