//! The one error shape of every API: `{"error":{"code":"…","message":"…"}}`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Machine-readable error codes. Clients branch on these, people read the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    MalformedJson,
    UnsupportedVersion,
    InvalidField,
    PayloadTooLarge,
    /// A file whose contents are not a kind a thread takes (`attachments::kind_of`).
    UnsupportedMediaType,
    Unauthorized,
    Forbidden,
    /// The page's origin is not one the site lists (its settings' `origins`).
    OriginNotAllowed,
    NotFound,
    /// The site's admins removed it: its widget stays off until they restore it.
    SiteRemoved,
    Conflict,
    MethodNotAllowed,
    RateLimited,
    ServerMisconfigured,
    Internal,
}

impl ErrorCode {
    /// HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest
            | ErrorCode::MalformedJson
            | ErrorCode::UnsupportedVersion
            | ErrorCode::InvalidField => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden | ErrorCode::OriginNotAllowed => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::SiteRemoved => 410,
            ErrorCode::Conflict => 409,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimited => 429,
            ErrorCode::ServerMisconfigured | ErrorCode::Internal => 500,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(field: &str, why: &str) -> Self {
        ApiError::new(ErrorCode::InvalidField, format!("{field}: {why}"))
    }

    /// The same answer whether a conversation is missing or belongs to someone else,
    /// so that a stranger learns nothing about which ids exist.
    pub fn conversation_not_found() -> Self {
        ApiError::new(ErrorCode::NotFound, "no such conversation")
    }

    /// A body or frame over `MAX_REQUEST_BYTES`.
    pub fn too_large(what: &str) -> Self {
        ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("{what} is over {} bytes", crate::limits::MAX_REQUEST_BYTES),
        )
    }

    pub fn unauthorized() -> Self {
        ApiError::new(ErrorCode::Unauthorized, "missing or invalid session token")
    }

    /// An agent's request without a valid console session.
    pub fn signed_out() -> Self {
        ApiError::new(ErrorCode::Unauthorized, "sign in to the console first")
    }

    pub fn forbidden(why: &str) -> Self {
        ApiError::new(ErrorCode::Forbidden, why)
    }

    pub fn status(&self) -> u16 {
        self.code.status()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// The JSON envelope around an [`ApiError`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ApiError,
}

impl From<ApiError> for ErrorBody {
    fn from(error: ApiError) -> Self {
        ErrorBody { error }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_the_documented_shape() {
        let body = ErrorBody::from(ApiError::new(ErrorCode::PayloadTooLarge, "too big"));
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "payload_too_large", "message": "too big"}})
        );
    }

    #[test]
    fn statuses_match_codes() {
        assert_eq!(ErrorCode::MalformedJson.status(), 400);
        assert_eq!(ErrorCode::Unauthorized.status(), 401);
        assert_eq!(ApiError::conversation_not_found().status(), 404);
        assert_eq!(ErrorCode::PayloadTooLarge.status(), 413);
        assert_eq!(ErrorCode::RateLimited.status(), 429);
    }
}
