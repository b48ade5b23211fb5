//! Files: a visitor's or an agent's upload, stored before the message that carries it
//! (`crate::files`), and the signed links that serve them.

use confab_protocol::attachments::MAX_FILE_BYTES;
use confab_protocol::{ApiError, FileId, FileUploaded};

use super::request::body_within;
use super::Call;
use crate::auth;
use crate::clients::visitor::check;
use crate::files::{self, Stored};
use crate::reply::{self, query_param, Reply};

fn now_ms() -> u64 {
    worker::Date::now().as_millis()
}

/// `POST /api/files?name=…`: the file is the body, its kind decided by its bytes.
pub async fn upload(mut call: Call<'_>) -> Reply {
    // The caller first: nobody else has ten megabytes read for them.
    let claims = call.visitor()?;
    check(call.env, &claims).await?;
    let scope = files::visitor_scope(&claims.site, &claims.visitor);
    stored(&mut call, scope).await
}

/// `POST /api/console/files?name=…`: an agent's.
pub async fn upload_for_agent(mut call: Call<'_>) -> Reply {
    let scope = files::agent_scope(&call.agent()?.id);
    stored(&mut call, scope).await
}

async fn stored(call: &mut Call<'_>, scope: String) -> Reply {
    let name = query_param(&call.req, "name").unwrap_or_default();
    let bytes = body_within(&mut call.req, MAX_FILE_BYTES as usize, "file").await?;
    let file: Stored = files::store(call.env, scope, &name, bytes).await?;
    let secret = auth::secret(call.env)?;
    let file = file.shown(&secret, now_ms());
    reply::json(201, &FileUploaded { file })
}

/// `GET /api/files/{scope}/{id}?until=…&sig=…`: a file, for whoever holds a link to it.
pub async fn download(call: Call<'_>) -> Reply {
    let scope = call.param("scope");
    let id = FileId::parse(call.param("id")).ok_or_else(no_such_file)?;
    let secret = auth::secret(call.env)?;
    let until = query_param(&call.req, "until");
    let sig = query_param(&call.req, "sig");
    let (until, sig) = (until.as_deref(), sig.as_deref());
    confab_protocol::file_link::check(&secret, scope, &id, until, sig, now_ms())?;
    files::serve(call.env, scope, &id).await
}

fn no_such_file() -> ApiError {
    ApiError::new(confab_protocol::ErrorCode::NotFound, "no such file")
}
