//! The ResumeCodes Durable Object: one per site, the live resume codes of its visitors.
//!
//! A code's first half finds it here; its second half is kept only as a digest. The rule
//! for redeeming (expiry, single use, lock after wrong tries) is `protocol::resume`;
//! this object stores what that rule changed in the same step that applied it.

use confab_protocol::resume::{IssuedCode, Refusal, ResumeCode};
use confab_protocol::{ApiError, ErrorCode, VisitorId};
use serde::Deserialize;
use worker::{
    durable_object, Date, DurableObject, Env, Request, Response, Result, SqlStorage, State,
};

use crate::clients::codes::{CodesCommand, Issued, Redeemed};
use crate::objects;
use crate::reply::{self, internal, Reply};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS codes (
    locator       TEXT PRIMARY KEY,
    visitor       TEXT NOT NULL,
    secret_digest TEXT NOT NULL,
    expires_at    INTEGER NOT NULL,
    wrong_tries   INTEGER NOT NULL,
    used          INTEGER NOT NULL
);";

/// Dead codes are kept this long after expiry, so a late try hears "expired", not "unknown".
const KEEP_EXPIRED_SECONDS: u64 = 3600;

#[derive(Deserialize)]
struct CodeRow {
    visitor: String,
    secret_digest: String,
    expires_at: f64,
    wrong_tries: f64,
    used: f64,
}

#[durable_object]
pub struct ResumeCodes {
    sql: SqlStorage,
}

impl DurableObject for ResumeCodes {
    fn new(state: State, _env: Env) -> Self {
        let sql = state.storage().sql();
        sql.exec(SCHEMA, None).expect("resume codes schema");
        ResumeCodes { sql }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        objects::serve(req, async |command| self.run(command)).await
    }
}

impl ResumeCodes {
    fn run(&self, command: CodesCommand) -> Reply {
        let now = Date::now().as_millis() / 1000;
        match command {
            CodesCommand::Cancel { visitor } => {
                self.sql
                    .exec(
                        "UPDATE codes SET used = 1 WHERE visitor = ?",
                        vec![visitor.as_str().into()],
                    )
                    .map_err(internal)?;
                reply::json(200, &serde_json::json!({}))
            }
            CodesCommand::Issue { visitor } => {
                self.sql
                    .exec(
                        "DELETE FROM codes WHERE expires_at < ?",
                        vec![(now.saturating_sub(KEEP_EXPIRED_SECONDS) as i64).into()],
                    )
                    .map_err(internal)?;
                let code = self.fresh_code()?;
                let issued = IssuedCode::new(&code, now);
                self.sql
                    .exec(
                        "INSERT INTO codes (locator, visitor, secret_digest, expires_at,
                            wrong_tries, used) VALUES (?, ?, ?, ?, 0, 0)",
                        vec![
                            code.locator.as_str().into(),
                            visitor.as_str().into(),
                            issued.secret_digest.into(),
                            (issued.expires_at as i64).into(),
                        ],
                    )
                    .map_err(internal)?;
                reply::json(
                    201,
                    &Issued {
                        code: code.display(),
                        expires_at: issued.expires_at,
                    },
                )
            }
            CodesCommand::Redeem { code } => {
                let code = ResumeCode::parse(&code).ok_or_else(|| refused(Refusal::Unknown))?;
                let Some((visitor, mut issued)) = self.find(&code.locator)? else {
                    return Err(refused(Refusal::Unknown));
                };
                let outcome = issued.redeem(&code, now);
                self.sql
                    .exec(
                        "UPDATE codes SET wrong_tries = ?, used = ? WHERE locator = ?",
                        vec![
                            i64::from(issued.wrong_tries).into(),
                            i64::from(issued.used).into(),
                            code.locator.as_str().into(),
                        ],
                    )
                    .map_err(internal)?;
                outcome.map_err(refused)?;
                reply::json(200, &Redeemed { visitor })
            }
        }
    }

    /// A random code whose first half no kept code has.
    fn fresh_code(&self) -> std::result::Result<ResumeCode, ApiError> {
        for _ in 0..8 {
            let code = ResumeCode::from_random(crate::auth::random_bytes());
            if self.find(&code.locator)?.is_none() {
                return Ok(code);
            }
        }
        Err(ApiError::new(
            ErrorCode::RateLimited,
            "too many codes are live for this site: try again in a few minutes",
        ))
    }

    fn find(
        &self,
        locator: &str,
    ) -> std::result::Result<Option<(VisitorId, IssuedCode)>, ApiError> {
        let rows: Vec<CodeRow> = self
            .sql
            .exec(
                "SELECT visitor, secret_digest, expires_at, wrong_tries, used FROM codes
                 WHERE locator = ?",
                vec![locator.into()],
            )
            .and_then(|cursor| cursor.to_array())
            .map_err(internal)?;
        Ok(rows.into_iter().next().and_then(|row| {
            let visitor = VisitorId::parse(&row.visitor)?;
            let issued = IssuedCode {
                secret_digest: row.secret_digest,
                expires_at: row.expires_at as u64,
                wrong_tries: row.wrong_tries as u32,
                used: row.used != 0.0,
            };
            Some((visitor, issued))
        }))
    }
}

/// The same status and words whatever the reason (see `Refusal::message`).
fn refused(refusal: Refusal) -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, refusal.message())
}
