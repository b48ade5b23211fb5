//! What the inbox shows of a thread (its last message, how many of the visitor's messages
//! agents have not read, when the team first replied), kept by the conversation as its
//! messages commit and its agents read. A sync to the inbox then reads nothing back from
//! storage; the summary is loaded once when the conversation's object wakes.

use crate::message::Author;

/// How much of the inbox preview a message fills.
pub const PREVIEW_CHARS: usize = 140;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub last_seq: u64,
    pub last_author: Option<Author>,
    pub preview: String,
    /// When the last message was sent.
    pub updated_at: u64,
    /// When the first message was sent.
    pub started_at: Option<u64>,
    /// The `seq` of the visitor's last message, 0 if none.
    pub visitor_last_seq: u64,
    /// When an agent first replied.
    pub first_reply_at: Option<u64>,
    /// How far agents have read.
    agents_read: u64,
    /// The visitor's messages after that, oldest first.
    unread: Vec<u64>,
}

/// The newest message of a thread, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Last<'a> {
    pub seq: u64,
    pub author: Author,
    pub body: &'a str,
    pub sent_at: u64,
}

impl Summary {
    /// A summary as loaded from storage: the newest message a person wrote, the newest
    /// `seq`, the thread's first times, the visitor's last message, how far agents have
    /// read and the `seq`s of the visitor's messages after that.
    pub fn loaded(
        last: Option<Last>,
        last_seq: u64,
        started_at: Option<u64>,
        first_reply_at: Option<u64>,
        visitor_last_seq: u64,
        agents_read: u64,
        mut unread: Vec<u64>,
    ) -> Self {
        unread.retain(|seq| *seq > agents_read);
        unread.sort_unstable();
        unread.dedup();
        let mut summary = Summary {
            started_at,
            first_reply_at,
            agents_read,
            visitor_last_seq,
            unread,
            ..Summary::default()
        };
        if let Some(last) = last {
            summary.set_last(&last);
        }
        summary.last_seq = summary.last_seq.max(last_seq);
        summary
    }

    /// A message was committed. Messages come in `seq` order; an older one changes nothing.
    pub fn message(&mut self, last: Last) {
        if last.seq <= self.last_seq {
            return;
        }
        self.started_at.get_or_insert(last.sent_at);
        match last.author {
            Author::Visitor => {
                self.visitor_last_seq = last.seq;
                if last.seq > self.agents_read {
                    self.unread.push(last.seq);
                }
            }
            Author::Agent => {
                self.first_reply_at.get_or_insert(last.sent_at);
            }
            // The team's automatic messages (an away reply, a rating's question) leave the
            // inbox showing what a person last wrote, and when.
            Author::System => {
                self.last_seq = last.seq;
                return;
            }
        }
        self.set_last(&last);
    }

    /// Agents have read up to `seq`. A marker never moves back.
    pub fn agents_read(&mut self, seq: u64) {
        if seq <= self.agents_read {
            return;
        }
        self.agents_read = seq;
        self.unread.retain(|unread| *unread > seq);
    }

    /// The visitor's messages agents have not read.
    pub fn unread(&self) -> u64 {
        self.unread.len() as u64
    }

    fn set_last(&mut self, last: &Last) {
        self.last_seq = last.seq;
        self.last_author = Some(last.author);
        self.preview = last.body.chars().take(PREVIEW_CHARS).collect();
        self.updated_at = last.sent_at;
    }
}

/// How far the inbox has the thread: the version of the last update it took, and the last
/// message whose text it has for search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Synced {
    pub version: u64,
    pub seq: u64,
}

impl Synced {
    /// Whether the inbox is missing a change (`version` counts every change made) or a
    /// message's text (`last_seq` is the thread's newest message).
    pub fn owes(self, version: u64, last_seq: u64) -> bool {
        version > self.version || last_seq > self.seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn message(seq: u64, author: Author) -> Last<'static> {
        Last {
            seq,
            author,
            body: "hello",
            sent_at: seq * 1000,
        }
    }

    #[test]
    fn visitor_messages_are_unread_until_agents_read_them() {
        let mut summary = Summary::default();
        summary.message(message(1, Author::Visitor));
        summary.message(message(2, Author::Visitor));
        summary.message(message(3, Author::Agent));
        summary.message(message(4, Author::Visitor));
        assert_eq!(summary.unread(), 3);
        summary.agents_read(2);
        assert_eq!(summary.unread(), 1);
        summary.agents_read(1);
        assert_eq!(summary.unread(), 1, "a marker never moves back");
        summary.agents_read(4);
        assert_eq!(summary.unread(), 0);
    }

    #[test]
    fn the_last_message_and_the_first_times_are_kept() {
        let mut summary = Summary::default();
        summary.message(message(1, Author::Visitor));
        summary.message(message(2, Author::Agent));
        summary.message(message(3, Author::Agent));
        assert_eq!(summary.last_seq, 3);
        assert_eq!(summary.last_author, Some(Author::Agent));
        assert_eq!(summary.started_at, Some(1000));
        assert_eq!(summary.first_reply_at, Some(2000));
        assert_eq!(summary.visitor_last_seq, 1);
        assert_eq!(summary.updated_at, 3000);
        summary.message(message(2, Author::Visitor));
        assert_eq!(summary.last_seq, 3, "an older message changes nothing");
    }

    #[test]
    fn the_preview_is_cut_by_characters() {
        let mut summary = Summary::default();
        let body = "é".repeat(PREVIEW_CHARS + 10);
        summary.message(Last {
            seq: 1,
            author: Author::Visitor,
            body: &body,
            sent_at: 1,
        });
        assert_eq!(summary.preview.chars().count(), PREVIEW_CHARS);
    }

    #[test]
    fn a_sync_is_owed_for_a_change_or_a_text_the_inbox_lacks() {
        let synced = Synced { version: 3, seq: 2 };
        assert!(!synced.owes(3, 2));
        assert!(synced.owes(4, 2));
        assert!(synced.owes(3, 3));
    }

    proptest! {
        /// Kept step by step, the summary is what loading the whole thread gives.
        #[test]
        fn kept_equals_loaded(
            steps in proptest::collection::vec((0u8..4, 0u64..4), 1..40),
        ) {
            let mut kept = Summary::default();
            let mut stored: Vec<(u64, Author)> = Vec::new();
            let mut read = 0;
            for (kind, back) in steps {
                match kind {
                    0..=2 => {
                        let author = [Author::Visitor, Author::Agent, Author::System][kind as usize];
                        let seq = stored.len() as u64 + 1;
                        stored.push((seq, author));
                        kept.message(message(seq, author));
                    }
                    _ => {
                        let seq = (stored.len() as u64).saturating_sub(back);
                        read = read.max(seq);
                        kept.agents_read(seq);
                    }
                }
            }
            let visitor: Vec<u64> = stored
                .iter()
                .filter(|(_, a)| *a == Author::Visitor)
                .map(|(s, _)| *s)
                .collect();
            let last = stored
                .iter()
                .rev()
                .find(|(_, a)| *a != Author::System)
                .map(|(seq, author)| message(*seq, *author));
            let loaded = Summary::loaded(
                last,
                stored.len() as u64,
                stored.first().map(|(s, _)| s * 1000),
                stored.iter().find(|(_, a)| *a == Author::Agent).map(|(s, _)| s * 1000),
                visitor.last().copied().unwrap_or(0),
                read,
                visitor,
            );
            prop_assert_eq!(kept, loaded);
        }
    }
}
