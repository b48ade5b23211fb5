//! How a conversation's update lands in the inbox's index, told once over a small storage
//! trait, so the rule is tested without the runtime: texts for search are kept even from
//! a late update, a newer version replaces the row (`landing::land` decides its status),
//! the assignee stays as agents set it, and the row written is the row announced.

use confab_protocol::console::landing::{self, Held, Landing};
use confab_protocol::console::InboxRow;
use confab_protocol::{AgentId, ConversationId, SiteId};

use crate::clients::inbox::ConversationUpdate;

/// What the rule needs of the index's storage.
pub trait Index {
    type Error;
    /// What decides how the next update of `id` lands, and who it is assigned to.
    fn held(&self, id: &ConversationId) -> Result<Option<(Held, Option<AgentId>)>, Self::Error>;
    /// Adds message texts for search; a text already kept is left as it is.
    fn add_texts(&self, id: &ConversationId, texts: &[(u64, String)]) -> Result<(), Self::Error>;
    /// Stores the update with the status it lands with, keeping the assignee.
    fn write(&self, update: &ConversationUpdate, landing: Landing) -> Result<(), Self::Error>;
}

/// Applies `update` to `index`; returns the row as now stored, if it changed, and how it
/// landed.
pub fn apply<I: Index>(
    index: &I,
    site: &SiteId,
    update: &ConversationUpdate,
) -> Result<Option<(InboxRow, Landing)>, I::Error> {
    index.add_texts(&update.conversation, &update.texts)?;
    let (held, assignee) = match index.held(&update.conversation)? {
        Some((held, assignee)) => (Some(held), assignee),
        None => (None, None),
    };
    let Some(landing) = landing::land(held, update.version, update.visitor_last_seq) else {
        return Ok(None);
    };
    index.write(update, landing)?;
    Ok(Some((row(site, update, landing, assignee), landing)))
}

/// The inbox's row for an update that landed.
fn row(
    site: &SiteId,
    u: &ConversationUpdate,
    landing: Landing,
    assignee: Option<AgentId>,
) -> InboxRow {
    InboxRow {
        conversation_id: u.conversation.clone(),
        site: site.clone(),
        visitor_id: u.visitor.clone(),
        last_seq: u.last_seq,
        last_author: u.last_author,
        preview: u.preview.clone(),
        updated_at: u.updated_at,
        started_at: u.started_at,
        unread: u.unread,
        status: landing.status,
        snoozed_until: landing.snoozed_until,
        assignee,
        context: u.context.clone(),
        rating: u.rating.clone(),
        proactive: u.proactive.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use confab_protocol::console::Status;
    use confab_protocol::{Author, VisitorId};
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    /// A stored row: what decides landing, the assignee, the update it took.
    type Stored = (Held, Option<AgentId>, ConversationUpdate);

    /// The index in memory: what SQL stores, keyed the same way.
    #[derive(Default)]
    struct Memory {
        rows: RefCell<BTreeMap<String, Stored>>,
        texts: RefCell<BTreeMap<(String, u64), String>>,
    }

    impl Index for Memory {
        type Error = ();
        fn held(&self, id: &ConversationId) -> Result<Option<(Held, Option<AgentId>)>, ()> {
            Ok(self
                .rows
                .borrow()
                .get(id.as_str())
                .map(|(held, assignee, _)| (*held, assignee.clone())))
        }
        fn add_texts(&self, id: &ConversationId, texts: &[(u64, String)]) -> Result<(), ()> {
            for (seq, body) in texts {
                let key = (id.as_str().to_owned(), *seq);
                self.texts.borrow_mut().entry(key).or_insert(body.clone());
            }
            Ok(())
        }
        fn write(&self, u: &ConversationUpdate, landing: Landing) -> Result<(), ()> {
            let held = Held {
                version: u.version,
                visitor_last_seq: u.visitor_last_seq,
                status: landing.status,
                snoozed_until: landing.snoozed_until,
            };
            let mut rows = self.rows.borrow_mut();
            let assignee = rows.get(u.conversation.as_str()).and_then(|r| r.1.clone());
            rows.insert(u.conversation.to_string(), (held, assignee, u.clone()));
            Ok(())
        }
    }

    fn site() -> SiteId {
        SiteId::parse("acme").unwrap()
    }

    fn update(version: u64, visitor_last_seq: u64, texts: &[(u64, &str)]) -> ConversationUpdate {
        ConversationUpdate {
            conversation: ConversationId::from_bytes([7; 16]),
            site: site(),
            visitor: VisitorId::from_bytes([1; 16]),
            version,
            last_seq: version,
            last_author: Author::Visitor,
            preview: format!("message {version}"),
            updated_at: 1_000 + version,
            started_at: 1_000,
            unread: version,
            visitor_last_seq,
            first_reply_at: None,
            context: Default::default(),
            rating: None,
            proactive: None,
            texts: texts.iter().map(|(s, t)| (*s, t.to_string())).collect(),
        }
    }

    fn set(index: &Memory, status: Status, assignee: Option<AgentId>) {
        for (held, a, _) in index.rows.borrow_mut().values_mut() {
            held.status = status;
            *a = assignee.clone();
        }
    }

    #[test]
    fn a_new_conversation_lands_open_and_is_announced_as_stored() {
        let index = Memory::default();
        let row = apply(&index, &site(), &update(1, 1, &[(1, "hello")])).unwrap();
        let (row, landing) = row.expect("a first update changes the index");
        assert!(landing.visitor_wrote);
        assert_eq!((row.status, row.last_seq, row.unread), (Status::Open, 1, 1));
        assert_eq!(row.site, site());
        assert_eq!(index.texts.borrow().len(), 1);
    }

    #[test]
    fn a_repeated_or_late_update_changes_nothing_but_keeps_its_texts() {
        let index = Memory::default();
        apply(&index, &site(), &update(3, 3, &[(3, "third")])).unwrap();
        assert!(apply(&index, &site(), &update(3, 3, &[]))
            .unwrap()
            .is_none());
        let late = apply(&index, &site(), &update(2, 2, &[(2, "second")])).unwrap();
        assert!(late.is_none());
        assert_eq!(
            index
                .held(&update(0, 0, &[]).conversation)
                .unwrap()
                .unwrap()
                .0
                .version,
            3
        );
        // Its text was never sent again: search must still find it.
        assert_eq!(index.texts.borrow().len(), 2);
    }

    #[test]
    fn a_visitor_message_reopens_and_the_assignee_stays() {
        let index = Memory::default();
        apply(&index, &site(), &update(1, 1, &[])).unwrap();
        let agent = AgentId::from_bytes([9; 16]);
        set(&index, Status::Resolved, Some(agent.clone()));
        // An agent's reply (the visitor's last message unchanged) keeps it resolved.
        let reply = apply(&index, &site(), &update(2, 1, &[]))
            .unwrap()
            .unwrap()
            .0;
        assert_eq!(
            (reply.status, reply.assignee.clone()),
            (Status::Resolved, Some(agent.clone()))
        );
        let visitor = apply(&index, &site(), &update(3, 3, &[]))
            .unwrap()
            .unwrap()
            .0;
        assert_eq!(
            (visitor.status, visitor.assignee),
            (Status::Open, Some(agent))
        );
    }
}
