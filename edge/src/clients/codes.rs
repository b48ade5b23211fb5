//! Calling a site's ResumeCodes (the short codes that carry a visitor to another device):
//! its commands, answers and calls. The object answers them in `crate::codes`.

use confab_protocol::{ApiError, SiteId, VisitorId};
use serde::{Deserialize, Serialize};
use worker::Env;

use crate::objects;
use crate::reply::internal;

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum CodesCommand {
    Issue {
        visitor: VisitorId,
    },
    Redeem {
        code: String,
    },
    /// Ends every live code of `visitor`: it was merged into another, or signed out
    /// everywhere, and a code must not sign anyone in as it again.
    Cancel {
        visitor: VisitorId,
    },
}

/// A code as issued: shown to the visitor, never stored whole.
#[derive(Debug, Serialize, Deserialize)]
pub struct Issued {
    pub code: String,
    pub expires_at: u64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Redeemed {
    pub visitor: VisitorId,
}

fn stub(env: &Env, site: &SiteId) -> std::result::Result<worker::Stub, ApiError> {
    env.durable_object("RESUME_CODES")
        .and_then(|ns| ns.get_by_name(site.as_str()))
        .map_err(internal)
}

pub async fn issue(
    env: &Env,
    site: &SiteId,
    visitor: &VisitorId,
) -> std::result::Result<Issued, ApiError> {
    let command = CodesCommand::Issue {
        visitor: visitor.clone(),
    };
    objects::ask_for(&stub(env, site)?, &command).await
}

pub async fn cancel(
    env: &Env,
    site: &SiteId,
    visitor: &VisitorId,
) -> std::result::Result<(), ApiError> {
    let command = CodesCommand::Cancel {
        visitor: visitor.clone(),
    };
    objects::tell(&stub(env, site)?, &command).await
}

pub async fn redeem(
    env: &Env,
    site: &SiteId,
    code: &str,
) -> std::result::Result<VisitorId, ApiError> {
    let command = CodesCommand::Redeem {
        code: code.to_owned(),
    };
    let redeemed: Redeemed = objects::ask_for(&stub(env, site)?, &command).await?;
    Ok(redeemed.visitor)
}
