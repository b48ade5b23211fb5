//! A thread seen by agents: its history, their replies and internal notes, its socket.

use confab_protocol::{ConversationId, HistoryQuery};

use crate::clients::conversation::{self, Caller, Command};
use crate::http::request::{conversation_id, read_message, read_note};
use crate::http::Call;
use crate::reply::{internal, Reply};

fn id(call: &Call<'_>) -> Result<ConversationId, confab_protocol::ApiError> {
    conversation_id(call.param("id"))
}

pub async fn history(call: Call<'_>) -> Reply {
    let id = id(&call)?;
    let url = call.req.url().map_err(internal)?;
    let query = HistoryQuery::parse(url.query().unwrap_or(""))?;
    let command = Command::AgentReads {
        conversation: id.clone(),
        after: query.after,
        before: query.before,
        limit: query.limit,
    };
    conversation::ask(call.env, &id, &command).await
}

pub async fn send(mut call: Call<'_>) -> Reply {
    let id = id(&call)?;
    let sent = read_message(&mut call.req).await?;
    let agent = call.agent()?.id.clone();
    let scope = crate::files::agent_scope(&agent);
    let files = crate::files::find(call.env, &scope, &sent.files).await?;
    let command = Command::AgentSends {
        agent,
        conversation: id.clone(),
        client_id: sent.client_id,
        body: sent.body,
        files,
    };
    conversation::ask(call.env, &id, &command).await
}

pub async fn note(mut call: Call<'_>) -> Reply {
    let id = id(&call)?;
    let (client_id, body) = read_note(&mut call.req).await?;
    let command = Command::AgentNotes {
        agent: call.agent()?.id.clone(),
        client_id,
        body,
    };
    conversation::ask(call.env, &id, &command).await
}

pub async fn socket(call: Call<'_>) -> Reply {
    let id = id(&call)?;
    let caller = Caller::Agent {
        agent: call.agent()?.id.clone(),
    };
    conversation::connect(call.env, &id, &call.req, &caller, None).await
}
