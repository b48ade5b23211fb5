//! JSON responses, and turning failures into the documented error shape.

use confab_protocol::{ApiError, ErrorBody, ErrorCode};
use serde::Serialize;
use worker::{console_error, Response, Result};

/// What a handler returns: a response, or an error a client can act on.
pub type Reply = std::result::Result<Response, ApiError>;

pub fn json<T: Serialize>(status: u16, value: &T) -> Reply {
    Ok(Response::from_json(value)
        .map_err(internal)?
        .with_status(status))
}

/// An error answer: never kept by a browser's cache (a `410` or `404` is cacheable by
/// default, and a site restored must not stay gone on the visitor's next page).
pub fn error(error: &ApiError) -> Result<Response> {
    let response =
        Response::from_json(&ErrorBody::from(error.clone()))?.with_status(error.status());
    response.headers().set("Cache-Control", "no-store")?;
    Ok(response)
}

/// The value of `?name=` in the request's URL.
pub fn query_param(req: &worker::Request, name: &str) -> Option<String> {
    let url = req.url().ok()?;
    let value = url.query_pairs().find(|(k, _)| k == name)?.1;
    Some(value.into_owned())
}

/// A runtime failure: logged for the operator, reported without detail to the client.
pub fn internal(e: worker::Error) -> ApiError {
    console_error!("internal error: {e}");
    ApiError::new(ErrorCode::Internal, "internal error, try again")
}
