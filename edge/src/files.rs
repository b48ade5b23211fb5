//! Files in the R2 bucket `FILES`: stored as they are uploaded, before the message that
//! carries them exists, under the uploader's own scope (`v.{site}.{visitor}` or
//! `a.{agent}`). A message can carry only files of its sender's scope, so nobody can send
//! another person's upload; the conversation records which files its messages carry, for
//! the thread's room and its deletion.
//!
//! Files are served only through signed links (`confab_protocol::file_link`): images
//! inline (a browser shows them only as images: their type is what their bytes are, and
//! `nosniff` holds it to that), everything else as a download; neither can run script on
//! this origin.

use std::collections::HashMap;

use confab_protocol::attachments::{self, Attachment, MAX_FILES_PER_MESSAGE};
use confab_protocol::{AgentId, ApiError, ErrorCode, FileId, SiteId, VisitorId};
use serde::{Deserialize, Serialize};
use worker::{Env, Headers, HttpMetadata, Response};

use crate::reply::{internal, Reply};

const BUCKET: &str = "FILES";

/// A file as messages keep it: whose upload it was, and what it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    pub scope: String,
    pub id: FileId,
    pub name: String,
    pub kind: String,
    pub size: u64,
}

impl Stored {
    pub fn key(&self) -> String {
        key(&self.scope, &self.id)
    }

    /// As the thread's visitor and agents are given it: with a link signed for now.
    pub fn shown(&self, secret: &[u8], now_ms: u64) -> Attachment {
        Attachment {
            id: self.id.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            size: self.size,
            link: confab_protocol::file_link::link(secret, &self.scope, &self.id, now_ms),
        }
    }
}

/// Where a visitor's uploads are kept.
pub fn visitor_scope(site: &SiteId, visitor: &VisitorId) -> String {
    format!("v.{site}.{visitor}")
}

/// Where an agent's uploads are kept.
pub fn agent_scope(agent: &AgentId) -> String {
    format!("a.{agent}")
}

fn key(scope: &str, id: &FileId) -> String {
    format!("files/{scope}/{id}")
}

fn bucket(env: &Env) -> Result<worker::Bucket, ApiError> {
    env.bucket(BUCKET).map_err(internal)
}

/// Stores an upload under `scope` once its size and its bytes passed the rules.
pub async fn store(
    env: &Env,
    scope: String,
    claimed_name: &str,
    bytes: Vec<u8>,
) -> Result<Stored, ApiError> {
    attachments::check_room(bytes.len() as u64, 0, 0)?;
    let kind = attachments::kind_of(&bytes)?;
    let bytes = crate::photos::strip(kind, bytes)?;
    let stored = Stored {
        scope,
        id: FileId::from_bytes(crate::auth::random_bytes()),
        name: attachments::shown_name(claimed_name, kind),
        kind: kind.mime().to_owned(),
        size: bytes.len() as u64,
    };
    let metadata = HttpMetadata {
        content_type: Some(stored.kind.clone()),
        ..HttpMetadata::default()
    };
    let names = HashMap::from([("name".to_owned(), stored.name.clone())]);
    bucket(env)?
        .put(stored.key(), bytes)
        .http_metadata(metadata)
        .custom_metadata(names)
        .execute()
        .await
        .map_err(internal)?;
    Ok(stored)
}

/// The uploads `ids` of `scope`, for a message: each one must be there, once.
pub async fn find(env: &Env, scope: &str, ids: &[FileId]) -> Result<Vec<Stored>, ApiError> {
    if ids.len() > MAX_FILES_PER_MESSAGE {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("a message may carry {MAX_FILES_PER_MESSAGE} files at most"),
        ));
    }
    let bucket = bucket(env)?;
    let mut found = Vec::with_capacity(ids.len());
    for (n, id) in ids.iter().enumerate() {
        if ids[..n].contains(id) {
            return Err(ApiError::invalid("files", "names a file twice"));
        }
        let object = bucket.head(key(scope, id)).await.map_err(internal)?;
        let object = object.ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                "a file of this message is not stored: upload it again",
            )
        })?;
        let metadata = object.custom_metadata().map_err(internal)?;
        found.push(Stored {
            scope: scope.to_owned(),
            id: id.clone(),
            name: metadata.get("name").cloned().unwrap_or_default(),
            kind: object.http_metadata().content_type.unwrap_or_default(),
            size: object.size(),
        });
    }
    Ok(found)
}

/// Deletes the files `keys` (a deleted thread's).
pub async fn forget(env: &Env, keys: Vec<String>) -> Result<(), ApiError> {
    let bucket = bucket(env)?;
    // R2 deletes up to a thousand keys per call.
    for batch in keys.chunks(1000) {
        bucket
            .delete_multiple(batch.to_vec())
            .await
            .map_err(internal)?;
    }
    Ok(())
}

/// The file `id` of `scope`, for a link already checked.
pub async fn serve(env: &Env, scope: &str, id: &FileId) -> Reply {
    let object = bucket(env)?.get(key(scope, id)).execute().await;
    let object = object
        .map_err(internal)?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "this file was deleted"))?;
    let kind = object.http_metadata().content_type.unwrap_or_default();
    let name = object
        .custom_metadata()
        .map_err(internal)?
        .remove("name")
        .unwrap_or_default();
    let shown = attachments::Kind::from_mime(&kind).is_some_and(|k| k.is_image());
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(internal);
    set("Content-Type", &kind)?;
    set(
        "Content-Disposition",
        &disposition(if shown { "inline" } else { "attachment" }, &name),
    )?;
    set("X-Content-Type-Options", "nosniff")?;
    set("Content-Security-Policy", "default-src 'none'; sandbox")?;
    // Shown in the site's own pages (`<img>` on another origin).
    set("Cross-Origin-Resource-Policy", "cross-origin")?;
    set("Cache-Control", "private, max-age=3600")?;
    let body = object
        .body()
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "this file was deleted"))?;
    let body = body.response_body().map_err(internal)?;
    Ok(Response::from_body(body)
        .map_err(internal)?
        .with_headers(headers))
}

/// `Content-Disposition` for `name`: plain ASCII for old clients, UTF-8 for the others
/// (RFC 6266). `name` has no quotes, backslashes or control characters (`shown_name`).
fn disposition(how: &str, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("{how}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_keeps_its_name_in_both_forms() {
        assert_eq!(
            disposition("attachment", "facture été.pdf"),
            "attachment; filename=\"facture _t_.pdf\"; filename*=UTF-8''facture%20%C3%A9t%C3%A9.pdf"
        );
    }
}
