//! A client's view of one thread: committed messages in `seq` order, then the ones still
//! on their way. Used by the widget (and the console) so that a message is shown once,
//! however many times it arrives: from its own acknowledgement, from history, or live.

use crate::ids::ClientId;
use crate::message::{Author, Message};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// Written here, not yet acknowledged.
    Sending,
    /// Committed by the server: it has a `seq`.
    Sent,
    /// No connection: kept in the outbox and sent again, with the same `client_id`,
    /// as soon as there is one.
    Retrying,
    /// Refused by the server (too long, say): sending the same again will not help.
    Failed,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Sending => "sending",
            Delivery::Sent => "sent",
            Delivery::Retrying => "retrying",
            Delivery::Failed => "failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub client_id: ClientId,
    pub author: Author,
    pub body: String,
    pub seq: Option<u64>,
    pub sent_at: Option<u64>,
    pub delivery: Delivery,
    /// Its files; those of a pending message have no link yet.
    pub files: Vec<crate::attachments::Attachment>,
    /// The visitor wrote it as an answer to an email (`Message::by_email`).
    pub by_email: bool,
    /// Written by the team's side itself (`Message::auto`).
    pub auto: Option<crate::message::Auto>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Thread {
    entries: Vec<Entry>,
}

impl Thread {
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The highest committed `seq` this thread holds.
    pub fn last_seq(&self) -> u64 {
        self.entries.iter().filter_map(|e| e.seq).max().unwrap_or(0)
    }

    /// A message written here, shown at once as sending.
    pub fn add_pending(
        &mut self,
        client_id: ClientId,
        author: Author,
        body: String,
        files: Vec<crate::attachments::Attachment>,
    ) {
        if self.position(author, &client_id).is_some() {
            return;
        }
        self.entries.push(Entry {
            client_id,
            author,
            body,
            seq: None,
            sent_at: None,
            delivery: Delivery::Sending,
            files,
            by_email: false,
            auto: None,
        });
    }

    /// A proactive teaser the visitor answered, shown first until the thread it opens
    /// brings it committed (under the same client id, which replaces this entry).
    pub fn add_teaser(&mut self, client_id: ClientId, body: String) {
        if self.position(Author::System, &client_id).is_some() {
            return;
        }
        let entry = Entry {
            client_id,
            author: Author::System,
            body,
            seq: None,
            sent_at: None,
            delivery: Delivery::Sent,
            files: Vec::new(),
            by_email: false,
            auto: Some(crate::Auto::Proactive),
        };
        self.entries.insert(0, entry);
    }

    /// A committed message, from an acknowledgement, history or a live push. Known ones
    /// are updated in place, new ones take their place by `seq`.
    pub fn commit(&mut self, message: Message) {
        if self.entries.iter().any(|e| e.seq == Some(message.seq)) {
            return;
        }
        if let Some(i) = self.position(message.author, &message.client_id) {
            self.entries.remove(i);
        }
        let entry = Entry {
            client_id: message.client_id,
            author: message.author,
            body: message.body,
            seq: Some(message.seq),
            sent_at: Some(message.sent_at),
            delivery: Delivery::Sent,
            files: message.files,
            by_email: message.by_email,
            auto: message.auto,
        };
        // Before the first entry that is pending or has a larger seq (an answered teaser,
        // first of all, waits there for its own commit).
        let at = self
            .entries
            .iter()
            .position(|e| e.seq.map_or(e.auto.is_none(), |s| s > message.seq))
            .unwrap_or(self.entries.len());
        self.entries.insert(at, entry);
    }

    pub fn set_delivery(&mut self, author: Author, client_id: &ClientId, delivery: Delivery) {
        if let Some(i) = self.position(author, client_id) {
            if self.entries[i].seq.is_none() {
                self.entries[i].delivery = delivery;
            }
        }
    }

    /// The lowest committed `seq` held: older pages come before it.
    pub fn first_seq(&self) -> Option<u64> {
        self.entries.iter().filter_map(|e| e.seq).min()
    }

    /// Messages from the other side committed after `seen`.
    pub fn unread_after(&self, reader: Author, seen: u64) -> usize {
        self.entries
            .iter()
            .filter(|e| e.author != reader && e.seq.is_some_and(|s| s > seen))
            .count()
    }

    /// An acknowledgement of a pending message: it is committed as `seq`.
    pub fn acknowledge(&mut self, author: Author, client_id: &ClientId, seq: u64, sent_at: u64) {
        if let Some(i) = self.position(author, client_id) {
            if self.entries[i].seq.is_none() {
                let entry = self.entries[i].clone();
                self.commit(Message {
                    seq,
                    client_id: entry.client_id,
                    author,
                    body: entry.body,
                    sent_at,
                    agent: None,
                    files: entry.files,
                    by_email: false,
                    auto: None,
                });
            }
        }
    }

    /// Entries not yet committed, oldest first.
    pub fn pending(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.seq.is_none())
    }

    fn position(&self, author: Author, client_id: &ClientId) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.author == author && &e.client_id == client_id)
    }
}

/// What a screen reader has been told of a thread. Each new message from the other side
/// is said once, the newest when several come together; the thread as first shown (or
/// switched to) is there to read, not to be read out. The message list is redrawn whole,
/// so it cannot be the live region itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct Announcer {
    heard: Option<u64>,
}

impl Announcer {
    /// What to say now that `thread` changed, read by `reader`.
    pub fn next<'t>(&mut self, thread: &'t Thread, reader: Author) -> Option<&'t Entry> {
        if thread.is_empty() {
            self.heard = None;
            return None;
        }
        let Some(heard) = self.heard else {
            self.heard = Some(thread.last_seq());
            return None;
        };
        let entry = thread
            .entries
            .iter()
            .rev()
            .find(|e| e.author != reader && e.seq.is_some_and(|s| s > heard))?;
        self.heard = entry.seq;
        Some(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cid(s: &str) -> ClientId {
        ClientId::parse(s).unwrap()
    }

    fn message(seq: u64, client_id: &str, author: Author) -> Message {
        Message {
            seq,
            client_id: cid(client_id),
            author,
            body: format!("body {seq}"),
            sent_at: 1000 + seq,
            agent: None,
            files: Vec::new(),
            by_email: false,
            auto: None,
        }
    }

    #[test]
    fn an_answered_teaser_stays_first_until_its_commit_replaces_it() {
        let mut t = Thread::default();
        t.add_teaser(cid("proactive-cart"), "Free shipping today".into());
        t.add_teaser(cid("proactive-cart"), "again".into());
        t.add_pending(cid("v1"), Author::Visitor, "hi".into(), Vec::new());
        // The visitor's message is committed first (the answer to its send)…
        t.commit(message(2, "v1", Author::Visitor));
        let order = |t: &Thread| -> Vec<String> {
            t.entries()
                .iter()
                .map(|e| e.client_id.as_str().to_owned())
                .collect()
        };
        assert_eq!(order(&t), ["proactive-cart", "v1"]);
        assert_eq!(t.entries()[0].delivery, Delivery::Sent);
        assert_eq!(
            t.unread_after(Author::Visitor, 0),
            0,
            "not the team's reply yet"
        );
        // …then the teaser, as the edge posted it.
        let mut teaser = message(1, "proactive-cart", Author::System);
        teaser.auto = Some(crate::Auto::Proactive);
        t.commit(teaser);
        assert_eq!(order(&t), ["proactive-cart", "v1"]);
        assert_eq!(t.entries().len(), 2);
        assert_eq!(t.entries()[0].seq, Some(1));
    }

    #[test]
    fn a_pending_message_becomes_sent_in_place() {
        let mut thread = Thread::default();
        thread.add_pending(cid("a"), Author::Visitor, "hello".into(), Vec::new());
        assert_eq!(thread.entries()[0].delivery, Delivery::Sending);
        thread.commit(message(1, "a", Author::Visitor));
        assert_eq!(thread.entries().len(), 1);
        assert_eq!(thread.entries()[0].seq, Some(1));
        assert_eq!(thread.entries()[0].delivery, Delivery::Sent);
    }

    #[test]
    fn the_same_message_arriving_twice_is_shown_once() {
        let mut thread = Thread::default();
        thread.commit(message(1, "a", Author::Visitor));
        thread.commit(message(1, "a", Author::Visitor));
        assert_eq!(thread.entries().len(), 1);
    }

    #[test]
    fn each_new_reply_is_announced_once() {
        let mut thread = Thread::default();
        let mut announcer = Announcer::default();
        let said =
            |a: &mut Announcer, t: &Thread| a.next(t, Author::Visitor).map(|e| e.body.clone());
        assert_eq!(said(&mut announcer, &thread), None, "nothing yet");
        thread.commit(message(1, "a", Author::Agent));
        assert_eq!(
            said(&mut announcer, &thread),
            None,
            "shown when opened, not read out"
        );
        thread.commit(message(2, "b", Author::Visitor));
        assert_eq!(said(&mut announcer, &thread), None, "the visitor's own");
        thread.commit(message(3, "c", Author::Agent));
        assert_eq!(said(&mut announcer, &thread).as_deref(), Some("body 3"));
        assert_eq!(said(&mut announcer, &thread), None, "once");
        thread.commit(message(4, "d", Author::Agent));
        thread.commit(message(5, "e", Author::Agent));
        assert_eq!(
            said(&mut announcer, &thread).as_deref(),
            Some("body 5"),
            "the newest"
        );
        // Another thread: its history is not read out.
        let mut other = Thread::default();
        assert_eq!(said(&mut announcer, &other), None);
        other.commit(message(9, "z", Author::Agent));
        assert_eq!(said(&mut announcer, &other), None);
        let mut agent = Announcer::default();
        assert_eq!(agent.next(&thread, Author::Agent), None);
        thread.commit(message(6, "f", Author::Visitor));
        assert_eq!(
            agent.next(&thread, Author::Agent).map(|e| e.seq),
            Some(Some(6)),
            "agents hear the visitor"
        );
    }

    #[test]
    fn committed_messages_sort_by_seq_before_pending_ones() {
        let mut thread = Thread::default();
        thread.add_pending(cid("p"), Author::Visitor, "pending".into(), Vec::new());
        thread.commit(message(3, "c", Author::Agent));
        thread.commit(message(1, "a", Author::Visitor));
        thread.commit(message(2, "b", Author::Agent));
        let order: Vec<_> = thread.entries().iter().map(|e| e.seq).collect();
        assert_eq!(order, vec![Some(1), Some(2), Some(3), None]);
        assert_eq!(thread.last_seq(), 3);
    }

    #[test]
    fn same_client_id_from_another_author_is_another_message() {
        let mut thread = Thread::default();
        thread.add_pending(cid("x"), Author::Visitor, "mine".into(), Vec::new());
        thread.commit(message(1, "x", Author::Agent));
        assert_eq!(thread.entries().len(), 2);
        assert_eq!(thread.pending().count(), 1);
    }

    #[test]
    fn failure_and_retry_keep_the_client_id() {
        let mut thread = Thread::default();
        thread.add_pending(cid("a"), Author::Visitor, "hi".into(), Vec::new());
        thread.set_delivery(Author::Visitor, &cid("a"), Delivery::Failed);
        assert_eq!(thread.entries()[0].delivery, Delivery::Failed);
        thread.set_delivery(Author::Visitor, &cid("a"), Delivery::Sending);
        thread.commit(message(1, "a", Author::Visitor));
        assert_eq!(thread.entries().len(), 1);
        // A committed message never goes back to failed.
        thread.set_delivery(Author::Visitor, &cid("a"), Delivery::Failed);
        assert_eq!(thread.entries()[0].delivery, Delivery::Sent);
    }

    #[test]
    fn acks_commit_pending_messages_and_unread_counts_the_other_side() {
        let mut thread = Thread::default();
        thread.add_pending(cid("a"), Author::Visitor, "question".into(), Vec::new());
        thread.acknowledge(Author::Visitor, &cid("a"), 1, 5);
        assert_eq!(thread.entries()[0].seq, Some(1));
        assert_eq!(thread.entries()[0].body, "question");
        thread.commit(message(2, "r1", Author::Agent));
        thread.commit(message(3, "r2", Author::Agent));
        assert_eq!(thread.unread_after(Author::Visitor, 0), 2);
        assert_eq!(thread.unread_after(Author::Visitor, 2), 1);
        assert_eq!(thread.unread_after(Author::Agent, 0), 1);
        assert_eq!(thread.first_seq(), Some(1));
    }

    proptest! {
        #[test]
        fn any_arrival_order_gives_each_seq_once_in_order(order in proptest::collection::vec(1u64..20, 0..60)) {
            let mut thread = Thread::default();
            for seq in &order {
                thread.commit(message(*seq, &format!("m{seq}"), Author::Visitor));
            }
            let seqs: Vec<u64> = thread.entries().iter().filter_map(|e| e.seq).collect();
            let mut expected: Vec<u64> = order.clone();
            expected.sort();
            expected.dedup();
            prop_assert_eq!(seqs, expected);
        }
    }
}
