//! A site's inbox: the conversation list and views, assignment, status, business hours,
//! how absent visitors are reached, what the site says to them, reports, and the live
//! socket.

use confab_protocol::api::decode_request;
use confab_protocol::console::reports::{self, Report};
use confab_protocol::console::words::WordsRequest;
use confab_protocol::console::{
    AgentList, AssignRequest, HoursRequest, Status, StatusRequest, View,
};
use confab_protocol::reach::ReachRequest;
use confab_protocol::{ApiError, SiteId};

use super::known_site;
use crate::clients::inbox::{self, InboxCommand};
use crate::clients::team::{self, TeamCommand};
use crate::http::request::{body, conversation_id};
use crate::http::Call;
use crate::objects::ask_for;
use crate::reply::{self, internal, Reply};

async fn site(call: &Call<'_>) -> Result<SiteId, ApiError> {
    known_site(call.env, call.param("site")).await
}

async fn ask(call: &Call<'_>, command: InboxCommand) -> Reply {
    inbox::ask(call.env, &site(call).await?, command).await
}

/// `GET …/conversations?view=mine|unassigned|all|resolved&q=text`.
pub async fn list(call: Call<'_>) -> Reply {
    let view = match reply::query_param(&call.req, "view") {
        None => View::All,
        Some(v) => View::parse(&v)
            .ok_or_else(|| ApiError::invalid("view", "is mine, unassigned, all or resolved"))?,
    };
    let command = InboxCommand::List {
        agent: call.agent()?.id.clone(),
        view,
        search: reply::query_param(&call.req, "q"),
    };
    ask(&call, command).await
}

pub async fn detail(call: Call<'_>) -> Reply {
    let conversation = conversation_id(call.param("id"))?;
    ask(&call, InboxCommand::Detail { conversation }).await
}

pub async fn assign(mut call: Call<'_>) -> Reply {
    let conversation = conversation_id(call.param("id"))?;
    let request: AssignRequest = decode_request(&body(&mut call.req).await?)?;
    if let Some(assignee) = &request.assignee {
        let team: AgentList = ask_for(&team::stub(call.env)?, &TeamCommand::Agents).await?;
        if !team.agents.iter().any(|a| &a.id == assignee) {
            return Err(ApiError::invalid("assignee", "is not on the team"));
        }
    }
    let command = InboxCommand::Assign {
        conversation,
        assignee: request.assignee,
    };
    ask(&call, command).await
}

pub async fn status(mut call: Call<'_>) -> Reply {
    let conversation = conversation_id(call.param("id"))?;
    let request: StatusRequest = decode_request(&body(&mut call.req).await?)?;
    let command = InboxCommand::SetStatus {
        conversation: conversation.clone(),
        status: request.status,
        snoozed_until: request.snoozed_until,
    };
    let answer = ask(&call, command).await?;
    // Resolved: the visitor is asked how it went (the thread asks once per resolution).
    if request.status == Status::Resolved && answer.status_code() < 400 {
        let asked = crate::clients::conversation::ask_rating(call.env, &conversation).await;
        if let Err(error) = asked {
            worker::console_error!("no rating asked: {}", error.message);
        }
    }
    Ok(answer)
}

/// `GET …/reports?days=7|30|90[&format=csv]`: the figures of the last days, or their
/// days as a spreadsheet.
pub async fn report(call: Call<'_>) -> Reply {
    let days = reply::query_param(&call.req, "days")
        .map(|d| {
            d.parse::<u32>()
                .map_err(|_| ApiError::invalid("days", "is 7, 30 or 90"))
        })
        .transpose()?
        .unwrap_or(30);
    let site = site(&call).await?;
    let command = InboxCommand::Report { days };
    let mut report: Report = inbox::ask_for(call.env, &site, command).await?;
    // The rules by their names now; the inbox counts them by id.
    let sites = crate::sites::all(call.env).await?;
    if let Some(found) = sites.get(&site) {
        for counts in &mut report.proactive {
            let rule = found
                .settings
                .proactive
                .iter()
                .find(|r| r.id == counts.rule);
            counts.name = rule.map_or_else(|| counts.rule.clone(), |r| r.name.clone());
        }
    }
    if reply::query_param(&call.req, "format").as_deref() != Some("csv") {
        return reply::json(200, &report);
    }
    let headers = worker::Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(internal);
    set("Content-Type", "text/csv; charset=utf-8")?;
    set(
        "Content-Disposition",
        &format!("attachment; filename=\"confab-{site}-{days}-days.csv\""),
    )?;
    Ok(worker::Response::ok(reports::csv(&report))
        .map_err(internal)?
        .with_headers(headers))
}

pub async fn hours(call: Call<'_>) -> Reply {
    ask(&call, InboxCommand::Hours).await
}

pub async fn set_hours(mut call: Call<'_>) -> Reply {
    let request: HoursRequest = decode_request(&body(&mut call.req).await?)?;
    let hours = request.hours;
    ask(&call, InboxCommand::SetHours { hours }).await
}

pub async fn reach(call: Call<'_>) -> Reply {
    ask(&call, InboxCommand::Reach).await
}

pub async fn set_reach(mut call: Call<'_>) -> Reply {
    let request: ReachRequest = decode_request(&body(&mut call.req).await?)?;
    let settings = request.into_settings()?;
    ask(&call, InboxCommand::SetReach { settings }).await
}

pub async fn words(call: Call<'_>) -> Reply {
    ask(&call, InboxCommand::Words).await
}

pub async fn set_words(mut call: Call<'_>) -> Reply {
    let request: WordsRequest = decode_request(&body(&mut call.req).await?)?;
    let words = request.words;
    ask(&call, InboxCommand::SetWords { words }).await
}

/// `GET …/socket`: live rows and the team's presence.
pub async fn socket(call: Call<'_>) -> Reply {
    inbox::connect(call.env, &site(&call).await?, &call.req, &call.agent()?.id).await
}
