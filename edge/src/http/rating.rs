//! A visitor's rating of a resolved thread (`confab_protocol::rating`): what it is, and
//! giving or changing it. The conversation decides whether they may.

use confab_protocol::api::decode_request;
use confab_protocol::rating::RateRequest;

use super::request::{body, conversation_id};
use super::Call;
use crate::clients::conversation::{self, Command, Owner};
use crate::clients::visitor::check;
use crate::reply::Reply;

/// `GET /api/conversations/{id}/rating`.
pub async fn get(call: Call<'_>) -> Reply {
    let id = conversation_id(call.param("id"))?;
    let claims = call.visitor()?;
    check(call.env, &claims).await?;
    let command = Command::VisitorRating {
        owner: Owner {
            site: claims.site,
            visitor: claims.visitor,
        },
        conversation: id.clone(),
    };
    conversation::ask(call.env, &id, &command).await
}

/// `POST /api/conversations/{id}/rating`: `{v, score: good|okay|bad, comment?}`.
pub async fn rate(mut call: Call<'_>) -> Reply {
    let id = conversation_id(call.param("id"))?;
    let claims = call.visitor()?;
    check(call.env, &claims).await?;
    let request: RateRequest = decode_request(&body(&mut call.req).await?)?;
    let command = Command::VisitorRates {
        owner: Owner {
            site: claims.site,
            visitor: claims.visitor,
        },
        conversation: id.clone(),
        score: request.score,
        comment: request.comment,
    };
    conversation::ask(call.env, &id, &command).await
}
