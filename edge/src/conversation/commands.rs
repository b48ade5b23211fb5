//! What the conversation does for each [`Command`]: the Worker's calls on behalf of a
//! visitor or an agent, each one atomic step (no await between its SQL statements).

use confab_protocol::console::NoteResponse;
use confab_protocol::frames::ServerFrame;
use confab_protocol::visitor::ConversationSummary;
use confab_protocol::{
    AgentId, ApiError, Author, ClientId, ConversationId, HistoryPage, Message, SendMessageResponse,
};
use worker::Result;

use super::{sockets, Conversation};
use crate::clients::conversation::{Caller, Command, Owner};
use crate::files::Stored;
use crate::reply::{self, internal, Reply};

impl Conversation {
    pub(super) fn run(&self, command: Command) -> Reply {
        match command {
            // Deleting awaits storage: `fetch` runs it before any command gets here.
            Command::Erase => Err(confab_protocol::ApiError::new(
                confab_protocol::ErrorCode::Internal,
                "internal error, try again",
            )),
            Command::VisitorSends {
                site,
                visitor,
                conversation,
                open,
                client_id,
                body,
                files,
                context,
                opening,
            } => {
                let owner = Owner { site, visitor };
                let context = context.bounded();
                self.check_visitor(&owner, &conversation, open.then_some(&context))?;
                if let Some(opening) = opening.filter(|_| open) {
                    self.open_with(&opening)?;
                }
                let caller = Caller::Visitor(owner);
                let message = self.commit(&caller, &client_id, &body, &files, None)?;
                self.visitor_is_at(context, true)?;
                reply::json(
                    201,
                    &SendMessageResponse {
                        conversation_id: conversation,
                        message,
                    },
                )
            }
            Command::AgentNotes {
                agent,
                client_id,
                body,
            } => {
                self.check_exists()?;
                let note = self.add_note(&agent, &client_id, &body)?;
                reply::json(201, &NoteResponse { note })
            }
            Command::AgentReads {
                conversation,
                after,
                before,
                limit,
            } => {
                self.check_exists()?;
                self.page(conversation, after, before, limit)
            }
            Command::CutOff { agent } => {
                sockets::close_agent(&self.state, &agent);
                reply::json(200, &serde_json::json!({}))
            }
            Command::SiteRemoved => {
                sockets::close_visitors(&self.state);
                reply::json(200, &serde_json::json!({}))
            }
            Command::CloseSessions { sessions } => {
                sockets::close_sessions(&self.state, &sessions);
                reply::json(200, &serde_json::json!({}))
            }
            Command::Reown { from, to } => {
                let current = self.log.identity().map_err(internal)?.map(|i| i.owner);
                match current {
                    Some(owner) if owner.visitor == to => {}
                    Some(owner) if owner == from => {
                        self.log.set_visitor(&to).map_err(internal)?;
                        self.sync.changed(&self.state);
                    }
                    // Listed as it opened, but its first message was refused: nothing to move.
                    None => {}
                    Some(_) => return Err(ApiError::conversation_not_found()),
                }
                reply::json(200, &serde_json::json!({}))
            }
            Command::MailFor { client_id } => self.mail_for(&client_id),
            Command::AskRating => self.ask_rating(),
            Command::VisitorRating {
                owner,
                conversation,
            } => self.rating_state(&owner, &conversation),
            Command::VisitorRates {
                owner,
                conversation,
                score,
                comment,
            } => self.visitor_rates(owner, &conversation, score, comment),
            Command::VisitorMails {
                owner,
                client_id,
                body,
                files,
            } => self.visitor_mails(&owner, &client_id, &body, &files),
            Command::VisitorSummary { owner } => {
                let id = match self.log.identity().map_err(internal)? {
                    Some(identity) if identity.owner == owner => identity.id,
                    _ => return Err(ApiError::conversation_not_found()),
                };
                let summary = ConversationSummary {
                    id,
                    last: self.log.page(None, None, 1).map_err(internal)?.pop(),
                    unread: self.log.unread_for_visitor().map_err(internal)?,
                };
                reply::json(200, &summary)
            }
            Command::AgentSends {
                agent,
                conversation,
                client_id,
                body,
                files,
            } => {
                self.check_exists()?;
                let caller = Caller::Agent { agent };
                let message = self.commit(&caller, &client_id, &body, &files, None)?;
                reply::json(
                    201,
                    &SendMessageResponse {
                        conversation_id: conversation,
                        message,
                    },
                )
            }
            Command::VisitorMarksRead {
                site,
                visitor,
                conversation,
                seq,
            } => {
                self.check_visitor(&Owner { site, visitor }, &conversation, None)?;
                self.mark_read(Author::Visitor, seq)?;
                let visitor_read = self.log.read_marker(Author::Visitor).map_err(internal)?;
                reply::json(200, &serde_json::json!({ "visitor_read": visitor_read }))
            }
            Command::VisitorReads {
                site,
                visitor,
                conversation,
                after,
                before,
                limit,
                ..
            } => {
                self.check_visitor(&Owner { site, visitor }, &conversation, None)?;
                self.page(conversation, after, before, limit)
            }
        }
    }

    /// `by` has read up to `seq`: stored and shown on every socket; then the inbox's
    /// unread count follows (agents) or the reach ladder stops (the visitor).
    pub(super) fn mark_read(&self, by: Author, seq: u64) -> Result<(), ApiError> {
        let Some(seq) = self.log.mark_read(by, seq).map_err(internal)? else {
            return Ok(());
        };
        sockets::push(&self.state, &ServerFrame::Read { by, seq }, None);
        if by == Author::Agent {
            self.sync.changed(&self.state);
        } else {
            self.reach.visitor_read(&self.log, seq).map_err(internal)?;
        }
        Ok(())
    }

    pub(super) fn page(
        &self,
        conversation: ConversationId,
        after: Option<u64>,
        before: Option<u64>,
        limit: u32,
    ) -> Reply {
        let messages = self.log.page(after, before, limit).map_err(internal)?;
        let last_seq = self.log.last_seq().map_err(internal)?;
        reply::json(
            200,
            &HistoryPage {
                conversation_id: conversation,
                messages,
                last_seq,
            },
        )
    }

    /// Stores an internal note and pushes it to agents' sockets only.
    pub(super) fn add_note(
        &self,
        agent: &AgentId,
        client_id: &ClientId,
        body: &str,
    ) -> Result<confab_protocol::console::Note, ApiError> {
        // The body first: a refused note takes nothing from the agent's allowance.
        let body = confab_protocol::MessageBody::parse(body)?;
        self.within_rate(&crate::auth::agent_key(agent))?;
        let after_seq = self.log.last_seq().map_err(internal)?;
        let (note, new) = self
            .notes
            .add(agent, client_id, body.as_str(), after_seq)
            .map_err(internal)?;
        if new {
            let frame = ServerFrame::Note { note: note.clone() };
            sockets::to_agents(&self.state, &frame);
        }
        Ok(note)
    }

    /// Commits a message and, if it is new, pushes it to every connected socket but the
    /// one it came `from` (which is sent its ack, and has the message already).
    pub(super) fn commit(
        &self,
        caller: &Caller,
        client_id: &ClientId,
        body: &str,
        files: &[Stored],
        from: Option<&worker::WebSocket>,
    ) -> Result<Message, ApiError> {
        self.commit_as(
            &caller.sender_key(),
            caller.author(),
            client_id,
            body,
            files,
            from,
        )
    }

    /// [`Self::commit`], as `sender` (a caller's key, or the visitor's answers by email).
    pub(super) fn commit_as(
        &self,
        sender: &str,
        author: Author,
        client_id: &ClientId,
        body: &str,
        files: &[Stored],
        from: Option<&worker::WebSocket>,
    ) -> Result<Message, ApiError> {
        if !files.is_empty() {
            // A resend is answered with what was committed; a new message needs room.
            if let Some(sent) = self.log.find(sender, client_id).map_err(internal)? {
                return Ok(sent);
            }
            self.log.check_files(files)?;
        }
        self.within_rate(sender)?;
        let (message, new) = self
            .log
            .append(sender, client_id, author, body, files)
            .map_err(internal)?;
        if new {
            for waiter in self.waiters.borrow_mut().drain(..) {
                let _ = waiter.send(());
            }
            sockets::broadcast(&self.state, &message, from);
            self.sync.changed(&self.state);
            if message.author == confab_protocol::Author::Agent {
                self.reach.agent_wrote(&self.log).map_err(internal)?;
            }
        }
        Ok(message)
    }
}
