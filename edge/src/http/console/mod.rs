//! `/api/console/*`: the agents' API. Every route but signing in needs the session
//! cookie, checked with the Team object on each request; admin-only commands are checked
//! again inside the Team object.

mod session;

use confab_protocol::console::{
    AcceptInviteRequest, Agent, AgentList, AssignRequest, HoursRequest, InviteRequest,
    InviteResponse, LoginRequest, Me, Role, SaveCannedRequest, SiteEntry, StatusRequest, View,
};
use confab_protocol::reach::ReachRequest;
use confab_protocol::{
    api::decode_request, AgentId, ApiError, ConversationId, ErrorCode, HistoryQuery, SiteId,
};
use worker::{Env, Method, Request, Response};

use crate::clients::conversation::{self, Caller, Command};
use crate::clients::inbox::{self, InboxCommand};
use crate::clients::team::{self, Invited, SignedIn, TeamCommand};
use crate::http::request::{body, conversation_id, read_message};
use crate::objects::ask_for;
use crate::reply::{self, internal, Reply};

pub async fn handle(req: &mut Request, env: &Env, route: &[&str]) -> Reply {
    let method = req.method();
    match (method, route) {
        (Method::Post, ["login"]) => login(req, env).await,
        (Method::Post, ["logout"]) => logout(req, env).await,
        (Method::Post, ["invites", "accept"]) => accept_invite(req, env).await,
        _ => {
            let agent = session::agent(req, env).await?;
            signed_in(req, env, agent, route).await
        }
    }
}

async fn signed_in(req: &mut Request, env: &Env, agent: Agent, route: &[&str]) -> Reply {
    let team = team::stub(env)?;
    match (req.method(), route) {
        (Method::Get, ["me"]) => reply::json(200, &me(env, agent)),
        (Method::Get, ["agents"]) => crate::objects::ask(&team, &TeamCommand::Agents).await,
        (Method::Post, ["agents"]) => {
            let request: InviteRequest = decode_request(&body(req).await?)?;
            let command = TeamCommand::Invite {
                by: agent.id,
                email: request.email,
                name: request.name,
                role: request.role,
            };
            let invited: Invited = ask_for(&team, &command).await?;
            let origin = req.url().map_err(internal)?.origin().ascii_serialization();
            let invite_url = format!("{origin}/console/#invite={}", invited.token);
            reply::json(
                201,
                &InviteResponse {
                    agent: invited.agent,
                    invite_url,
                },
            )
        }
        (Method::Delete, ["agents", id]) => {
            let removed = AgentId::parse(id)
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such agent"))?;
            let command = TeamCommand::Remove {
                by: agent.id,
                agent: removed.clone(),
            };
            let _: Agent = ask_for(&team, &command).await?;
            // Sessions are gone; now close what is open, in every site's inbox and every
            // conversation the agent had open. Until that is done the agent is kept as
            // leaving, and the same DELETE again finishes it.
            for site in crate::sites::all(env).keys() {
                inbox::ask(
                    env,
                    site,
                    InboxCommand::CutOff {
                        agent: removed.clone(),
                    },
                )
                .await?;
            }
            let gone = TeamCommand::Gone { agent: removed };
            crate::objects::tell(&team, &gone).await?;
            Response::empty()
                .map(|r| r.with_status(204))
                .map_err(internal)
        }
        (Method::Get, ["canned"]) => crate::objects::ask(&team, &TeamCommand::Canned).await,
        (Method::Post, ["canned"]) => {
            let request: SaveCannedRequest = decode_request(&body(req).await?)?;
            let command = TeamCommand::SaveCanned {
                shortcut: request.shortcut,
                body: request.body,
            };
            crate::objects::ask(&team, &command).await
        }
        (Method::Delete, ["canned", shortcut]) => {
            let command = TeamCommand::DeleteCanned {
                shortcut: (*shortcut).to_owned(),
            };
            crate::objects::ask(&team, &command).await
        }
        (method, ["sites", site, rest @ ..]) => {
            let site = known_site(env, site)?;
            site_route(req, env, &agent, &site, method, rest).await
        }
        (method, ["conversations", id, rest @ ..]) => {
            let id = conversation_id(id)?;
            conversation_route(req, env, agent, id, method, rest).await
        }
        _ => Err(ApiError::new(ErrorCode::NotFound, "no such console route")),
    }
}

async fn site_route(
    req: &mut Request,
    env: &Env,
    agent: &Agent,
    site: &SiteId,
    method: Method,
    route: &[&str],
) -> Reply {
    match (method, route) {
        (Method::Get, ["conversations"]) => {
            let view = match reply::query_param(req, "view") {
                None => View::All,
                Some(v) => View::parse(&v).ok_or_else(|| {
                    ApiError::invalid("view", "is mine, unassigned, all or resolved")
                })?,
            };
            let command = InboxCommand::List {
                agent: agent.id.clone(),
                view,
                search: reply::query_param(req, "q"),
            };
            inbox::ask(env, site, command).await
        }
        (Method::Get, ["conversations", id]) => {
            let conversation = conversation_id(id)?;
            inbox::ask(env, site, InboxCommand::Detail { conversation }).await
        }
        (Method::Post, ["conversations", id, "assign"]) => {
            let conversation = conversation_id(id)?;
            let request: AssignRequest = decode_request(&body(req).await?)?;
            if let Some(assignee) = &request.assignee {
                let team: AgentList = ask_for(&team::stub(env)?, &TeamCommand::Agents).await?;
                if !team.agents.iter().any(|a| &a.id == assignee) {
                    return Err(ApiError::invalid("assignee", "is not on the team"));
                }
            }
            let command = InboxCommand::Assign {
                conversation,
                assignee: request.assignee,
            };
            inbox::ask(env, site, command).await
        }
        (Method::Post, ["conversations", id, "status"]) => {
            let conversation = conversation_id(id)?;
            let request: StatusRequest = decode_request(&body(req).await?)?;
            let command = InboxCommand::SetStatus {
                conversation,
                status: request.status,
                snoozed_until: request.snoozed_until,
            };
            inbox::ask(env, site, command).await
        }
        (Method::Get, ["hours"]) => inbox::ask(env, site, InboxCommand::Hours).await,
        (Method::Put, ["hours"]) => {
            if agent.role != Role::Admin {
                return Err(ApiError::forbidden("only an admin can set business hours"));
            }
            let request: HoursRequest = decode_request(&body(req).await?)?;
            inbox::ask(
                env,
                site,
                InboxCommand::SetHours {
                    hours: request.hours,
                },
            )
            .await
        }
        (Method::Get, ["reach"]) => inbox::ask(env, site, InboxCommand::Reach).await,
        (Method::Put, ["reach"]) => {
            if agent.role != Role::Admin {
                return Err(ApiError::forbidden(
                    "only an admin can set how visitors are reached",
                ));
            }
            let request: ReachRequest = decode_request(&body(req).await?)?;
            let settings = request.into_settings()?;
            inbox::ask(env, site, InboxCommand::SetReach { settings }).await
        }
        (Method::Get, ["socket"]) => inbox::connect(env, site, req, &agent.id).await,
        _ => Err(ApiError::new(ErrorCode::NotFound, "no such console route")),
    }
}

async fn conversation_route(
    req: &mut Request,
    env: &Env,
    agent: Agent,
    id: ConversationId,
    method: Method,
    route: &[&str],
) -> Reply {
    match (method, route) {
        (Method::Get, ["messages"]) => {
            let url = req.url().map_err(internal)?;
            let query = HistoryQuery::parse(url.query().unwrap_or(""))?;
            let command = Command::AgentReads {
                conversation: id.clone(),
                after: query.after,
                before: query.before,
                limit: query.limit,
            };
            conversation::ask(env, &id, &command).await
        }
        (Method::Post, ["messages"]) => {
            let (client_id, body) = read_message(req).await?;
            let command = Command::AgentSends {
                agent: agent.id,
                conversation: id.clone(),
                client_id,
                body,
            };
            conversation::ask(env, &id, &command).await
        }
        (Method::Post, ["notes"]) => {
            let (client_id, body) = read_message(req).await?;
            let command = Command::AgentNotes {
                agent: agent.id,
                client_id,
                body,
            };
            conversation::ask(env, &id, &command).await
        }
        (Method::Get, ["socket"]) => {
            conversation::connect(env, &id, req, &Caller::Agent { agent: agent.id }, None).await
        }
        _ => Err(ApiError::new(ErrorCode::NotFound, "no such console route")),
    }
}

fn known_site(env: &Env, site: &str) -> Result<SiteId, ApiError> {
    SiteId::parse(site)
        .filter(|s| crate::sites::all(env).contains_key(s))
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                "no such site: sites are listed in SITES in wrangler.toml",
            )
        })
}

fn me(env: &Env, agent: Agent) -> Me {
    let sites = crate::sites::all(env)
        .into_iter()
        .map(|(site, info)| SiteEntry {
            team: info.team.unwrap_or_else(|| site.to_string()),
            site,
        })
        .collect();
    Me { agent, sites }
}

async fn login(req: &mut Request, env: &Env) -> Reply {
    session::refuse_other_origins(req)?;
    let request: LoginRequest = decode_request(&body(req).await?)?;
    let from = crate::clients::limiter::client_address(req);
    let command = TeamCommand::Login {
        email: request.email,
        password: request.password,
        from,
    };
    let signed_in: SignedIn = ask_for(&team::stub(env)?, &command).await?;
    signed_in_reply(env, signed_in)
}

async fn accept_invite(req: &mut Request, env: &Env) -> Reply {
    session::refuse_other_origins(req)?;
    let request: AcceptInviteRequest = decode_request(&body(req).await?)?;
    let command = TeamCommand::AcceptInvite {
        token: request.token,
        password: request.password,
    };
    let signed_in: SignedIn = ask_for(&team::stub(env)?, &command).await?;
    signed_in_reply(env, signed_in)
}

fn signed_in_reply(env: &Env, signed_in: SignedIn) -> Reply {
    let mut response = reply::json(200, &me(env, signed_in.agent))?;
    session::set_cookie(&mut response, &signed_in.token)?;
    Ok(response)
}

async fn logout(req: &mut Request, env: &Env) -> Reply {
    session::refuse_other_origins(req)?;
    if let Some(token) = session::token(req) {
        let _ = crate::objects::ask(&team::stub(env)?, &TeamCommand::Logout { token }).await?;
    }
    let mut response = Response::empty().map_err(internal)?.with_status(204);
    session::clear_cookie(&mut response)?;
    Ok(response)
}
