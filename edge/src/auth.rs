//! The server secret and the visitor's session token.

use confab_protocol::token::MIN_SECRET_LEN;
use confab_protocol::{ApiError, ErrorCode, SessionClaims};
use worker::{Env, Request};

/// The HMAC key for session tokens: `wrangler secret put CONFAB_SECRET` in production,
/// `.dev.vars` for local runs. A deployment without a strong one refuses to serve.
pub fn secret(env: &Env) -> Result<Vec<u8>, ApiError> {
    named_secret(env, "CONFAB_SECRET")
}

/// The secret `name`, refused when missing or shorter than 32 characters.
pub fn named_secret(env: &Env, name: &str) -> Result<Vec<u8>, ApiError> {
    let secret = env.secret(name).map(|s| s.to_string()).unwrap_or_default();
    if secret.len() < MIN_SECRET_LEN {
        return Err(ApiError::new(
            ErrorCode::ServerMisconfigured,
            format!(
                "{name} is missing or shorter than {MIN_SECRET_LEN} characters: \
                 set it with `npx wrangler secret put {name}`"
            ),
        ));
    }
    Ok(secret.into_bytes())
}

/// The token of a request: `Authorization: Bearer …`, or for WebSocket upgrades, which
/// browsers cannot give headers, `?token=…`.
pub fn bearer(req: &Request) -> Option<String> {
    if let Some(header) = req.headers().get("Authorization").ok().flatten() {
        return header.strip_prefix("Bearer ").map(|t| t.trim().to_owned());
    }
    crate::reply::query_param(req, "token")
}

/// The verified claims of the visitor's session token.
pub fn visitor(req: &Request, secret: &[u8]) -> Result<SessionClaims, ApiError> {
    let token = bearer(req).ok_or_else(ApiError::unauthorized)?;
    SessionClaims::verify(&token, secret).map_err(|_| ApiError::unauthorized())
}

/// The claims of a visitor's request from a page: the token verified, their site still
/// live, then the page's origin checked against the site's allowed origins.
pub fn page_visitor(
    req: &Request,
    env: &Env,
    sites: &crate::sites::Sites,
) -> Result<SessionClaims, ApiError> {
    let claims = visitor(req, &secret(env)?)?;
    crate::sites::live(sites, &claims.site)?;
    crate::origin::check(sites, req, &claims.site)?;
    Ok(claims)
}

/// How an agent is named wherever the edge keys by caller: socket tags and message senders.
pub fn agent_key(agent: &confab_protocol::AgentId) -> String {
    format!("agent:{agent}")
}

/// Random bytes from the runtime's CSPRNG (16 for ids, 32 for link secrets).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).expect("the runtime provides randomness");
    bytes
}

/// What is stored for a secret token (sessions, invitations, sign-in links): its SHA-256,
/// in hex, so a copy of the database signs nobody in.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    confab_protocol::ids::hex(&Sha256::digest(token.as_bytes()))
}
