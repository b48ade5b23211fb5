//! The Inbox Durable Object: one per site, the agents' index of its conversations, fed by
//! each conversation after it commits a message.

use confab_protocol::{ConversationSummary, InboxPage, SiteId};
use serde::Deserialize;
use worker::{
    console_error, durable_object, DurableObject, Env, Method, Request, RequestInit, Response,
    Result, SqlStorage, State,
};

use crate::reply::{internal, Reply};

/// How many conversations one list returns.
const LIST_LIMIT: i64 = 100;

#[durable_object]
pub struct Inbox {
    sql: SqlStorage,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    last_seq: f64,
    last_author: String,
    preview: String,
    updated_at: f64,
}

impl DurableObject for Inbox {
    fn new(state: State, _env: Env) -> Self {
        let sql = state.storage().sql();
        sql.exec(
            "CREATE TABLE IF NOT EXISTS conversations (
                id          TEXT PRIMARY KEY,
                last_seq    INTEGER NOT NULL,
                last_author TEXT NOT NULL,
                preview     TEXT NOT NULL,
                updated_at  INTEGER NOT NULL
            )",
            None,
        )
        .expect("inbox schema");
        Inbox { sql }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        if req.method() == Method::Post {
            let summary: ConversationSummary = req.json().await?;
            // Only ever forward: a late, older update does not overwrite a newer one.
            self.sql.exec(
                "INSERT INTO conversations (id, last_seq, last_author, preview, updated_at)
                 VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq,
                   last_author = excluded.last_author, preview = excluded.preview,
                   updated_at = excluded.updated_at
                 WHERE excluded.last_seq > conversations.last_seq",
                vec![
                    summary.conversation_id.as_str().into(),
                    (summary.last_seq as i64).into(),
                    summary.last_author.as_str().into(),
                    summary.preview.into(),
                    (summary.updated_at as i64).into(),
                ],
            )?;
            return Response::empty();
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT id, last_seq, last_author, preview, updated_at FROM conversations
                 ORDER BY updated_at DESC LIMIT ?",
                vec![LIST_LIMIT.into()],
            )?
            .to_array()?;
        let conversations = rows
            .into_iter()
            .filter_map(|r| {
                Some(ConversationSummary {
                    conversation_id: confab_protocol::ConversationId::parse(&r.id)?,
                    last_seq: r.last_seq as u64,
                    last_author: confab_protocol::Author::parse(&r.last_author)?,
                    preview: r.preview,
                    updated_at: r.updated_at as u64,
                })
            })
            .collect();
        Response::from_json(&InboxPage { conversations })
    }
}

fn stub(env: &Env, site: &SiteId) -> Result<worker::Stub> {
    env.durable_object("INBOX")?.get_by_name(site.as_str())
}

/// Records a conversation's newest message in its site's inbox.
pub async fn record(env: Env, site: SiteId, summary: ConversationSummary) {
    let send = async {
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_body(Some(serde_json::to_string(&summary)?.into()));
        let request = Request::new_with_init("https://inbox/record", &init)?;
        stub(&env, &site)?.fetch_with_request(request).await?;
        Ok::<_, worker::Error>(())
    };
    if let Err(e) = send.await {
        console_error!("inbox update failed: {e}");
    }
}

/// The site's conversations, newest first.
pub async fn list(env: &Env, site: &SiteId) -> Reply {
    stub(env, site)
        .map_err(internal)?
        .fetch_with_str("https://inbox/list")
        .await
        .map_err(internal)
}
