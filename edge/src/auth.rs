//! The server secret and the visitor's session token.

use confab_protocol::token::MIN_SECRET_LEN;
use confab_protocol::{ApiError, ErrorCode, SessionClaims};
use worker::{Env, Request};

/// The HMAC key for session tokens: `wrangler secret put CONFAB_SECRET` in production,
/// `.dev.vars` for local runs. A deployment without a strong one refuses to serve.
pub fn secret(env: &Env) -> Result<Vec<u8>, ApiError> {
    let secret = env
        .secret("CONFAB_SECRET")
        .map(|s| s.to_string())
        .unwrap_or_default();
    if secret.len() < MIN_SECRET_LEN {
        return Err(ApiError::new(
            ErrorCode::ServerMisconfigured,
            format!(
                "CONFAB_SECRET is missing or shorter than {MIN_SECRET_LEN} characters: \
                 set it with `npx wrangler secret put CONFAB_SECRET`"
            ),
        ));
    }
    Ok(secret.into_bytes())
}

/// The token of a request: `Authorization: Bearer …`, or for WebSocket upgrades, which
/// browsers cannot give headers, `?token=…`.
fn bearer(req: &Request) -> Option<String> {
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

/// Agents, until the console brings accounts: one shared token from the `AGENT_TOKEN`
/// secret. Without that secret, agent routes are closed.
pub fn agent(req: &Request, env: &Env) -> Result<String, ApiError> {
    let expected = env
        .secret("AGENT_TOKEN")
        .map(|s| s.to_string())
        .unwrap_or_default();
    let given = bearer(req).unwrap_or_default();
    let matches = expected.len() >= MIN_SECRET_LEN
        && given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !matches {
        return Err(ApiError::new(
            ErrorCode::Unauthorized,
            "missing or invalid agent token",
        ));
    }
    Ok("agent".to_owned())
}

/// 128 random bits from the runtime's CSPRNG.
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the runtime provides randomness");
    bytes
}
