//! The team's routes: agents, invitations, removal, canned replies.

use confab_protocol::api::decode_request;
use confab_protocol::console::{Agent, InviteRequest, InviteResponse, SaveCannedRequest};
use confab_protocol::{AgentId, ApiError, ErrorCode};
use worker::Response;

use crate::clients::inbox::{self, InboxCommand};
use crate::clients::team::{stub, Invited, TeamCommand};
use crate::http::request::body;
use crate::http::Call;
use crate::objects::{ask, ask_for};
use crate::reply::{self, internal, Reply};

pub async fn agents(call: Call<'_>) -> Reply {
    ask(&stub(call.env)?, &TeamCommand::Agents).await
}

pub async fn invite(mut call: Call<'_>) -> Reply {
    let request: InviteRequest = decode_request(&body(&mut call.req).await?)?;
    let command = TeamCommand::Invite {
        by: call.agent()?.id.clone(),
        email: request.email,
        name: request.name,
        role: request.role,
    };
    let invited: Invited = ask_for(&stub(call.env)?, &command).await?;
    let origin = call
        .req
        .url()
        .map_err(internal)?
        .origin()
        .ascii_serialization();
    let invite_url = format!("{origin}/console/#invite={}", invited.token);
    reply::json(
        201,
        &InviteResponse {
            agent: invited.agent,
            invite_url,
        },
    )
}

pub async fn remove(call: Call<'_>) -> Reply {
    let removed = AgentId::parse(call.param("agent"))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such agent"))?;
    let team = stub(call.env)?;
    let command = TeamCommand::Remove {
        by: call.agent()?.id.clone(),
        agent: removed.clone(),
    };
    let _: Agent = ask_for(&team, &command).await?;
    // Sessions are gone; now close what is open, in every site's inbox and every
    // conversation the agent had open. Until that is done the agent is kept as
    // leaving, and the same DELETE again finishes it.
    for site in crate::sites::all(call.env).await?.keys() {
        let cut_off = InboxCommand::CutOff {
            agent: removed.clone(),
        };
        inbox::ask(call.env, site, cut_off).await?;
    }
    let gone = TeamCommand::Gone { agent: removed };
    crate::objects::tell(&team, &gone).await?;
    Response::empty()
        .map(|r| r.with_status(204))
        .map_err(internal)
}

pub async fn canned(call: Call<'_>) -> Reply {
    ask(&stub(call.env)?, &TeamCommand::Canned).await
}

pub async fn save_canned(mut call: Call<'_>) -> Reply {
    let request: SaveCannedRequest = decode_request(&body(&mut call.req).await?)?;
    let command = TeamCommand::SaveCanned {
        shortcut: request.shortcut,
        body: request.body,
    };
    ask(&stub(call.env)?, &command).await
}

pub async fn delete_canned(call: Call<'_>) -> Reply {
    let command = TeamCommand::DeleteCanned {
        shortcut: call.param("shortcut").to_owned(),
    };
    ask(&stub(call.env)?, &command).await
}
