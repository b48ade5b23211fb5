//! Keeping an inbox list current from live changes, newest first.

use confab_protocol::console::{InboxRow, View};
use confab_protocol::{AgentId, Author};

/// Puts `row` in its place in `rows` (newest first), replacing the old copy, or takes it
/// out when it no longer `belongs` in the list.
pub fn upsert(rows: &mut Vec<InboxRow>, row: InboxRow, belongs: bool) {
    rows.retain(|r| r.conversation_id != row.conversation_id);
    if belongs {
        let at = rows
            .iter()
            .position(|r| r.updated_at < row.updated_at)
            .unwrap_or(rows.len());
        rows.insert(at, row);
    }
}

/// Whether a changed row belongs in a list showing `view` for `me`. While a search is
/// on, only rows already listed are kept (the search itself runs on the server).
pub fn belongs(
    view: View,
    me: &AgentId,
    row: &InboxRow,
    searching: bool,
    listed: &[InboxRow],
) -> bool {
    view.shows(row, me)
        && (!searching
            || listed
                .iter()
                .any(|r| r.conversation_id == row.conversation_id))
}

/// How many conversations each view holds, from the list of every unresolved one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub mine: usize,
    pub unassigned: usize,
    pub all: usize,
}

pub fn counts(unresolved: &[InboxRow], me: &AgentId) -> Counts {
    let count = |view: View| unresolved.iter().filter(|r| view.shows(r, me)).count();
    Counts {
        mine: count(View::Mine),
        unassigned: count(View::Unassigned),
        all: count(View::All),
    }
}

/// Whether the change to `row` is a new message from the visitor, given the `last_seq`
/// known before it (worth a notification).
pub fn visitor_wrote(known_last_seq: Option<u64>, row: &InboxRow) -> bool {
    row.last_author == Author::Visitor && row.last_seq > known_last_seq.unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use confab_protocol::console::{Status, VisitorContext};
    use confab_protocol::{ConversationId, SiteId, VisitorId};

    fn row(n: u8, updated_at: u64, assignee: Option<AgentId>) -> InboxRow {
        InboxRow {
            conversation_id: ConversationId::from_bytes([n; 16]),
            site: SiteId::parse("demo").unwrap(),
            visitor_id: VisitorId::from_bytes([n; 16]),
            last_seq: 1,
            last_author: Author::Visitor,
            preview: format!("row {n}"),
            updated_at,
            started_at: 0,
            unread: 1,
            status: Status::Open,
            snoozed_until: None,
            assignee,
            context: VisitorContext::default(),
            rating: None,
            proactive: None,
        }
    }

    fn order(rows: &[InboxRow]) -> Vec<u64> {
        rows.iter().map(|r| r.updated_at).collect()
    }

    #[test]
    fn upsert_keeps_newest_first_without_duplicates() {
        let mut rows = vec![row(1, 30, None), row(2, 20, None), row(3, 10, None)];
        upsert(&mut rows, row(3, 40, None), true);
        assert_eq!(order(&rows), [40, 30, 20]);
        upsert(&mut rows, row(4, 25, None), true);
        assert_eq!(order(&rows), [40, 30, 25, 20]);
        upsert(&mut rows, row(1, 50, None), false);
        assert_eq!(order(&rows), [40, 25, 20]);
    }

    #[test]
    fn rows_follow_the_view_and_the_search() {
        let me = AgentId::from_bytes([9; 16]);
        let mine = row(1, 1, Some(me.clone()));
        assert!(belongs(View::Mine, &me, &mine, false, &[]));
        assert!(!belongs(View::Unassigned, &me, &mine, false, &[]));
        assert!(!belongs(View::Mine, &me, &mine, true, &[]));
        assert!(belongs(
            View::Mine,
            &me,
            &mine,
            true,
            std::slice::from_ref(&mine)
        ));
    }

    #[test]
    fn counts_and_new_visitor_messages() {
        let me = AgentId::from_bytes([9; 16]);
        let rows = [
            row(1, 1, Some(me.clone())),
            row(2, 2, None),
            row(3, 3, None),
        ];
        assert_eq!(
            counts(&rows, &me),
            Counts {
                mine: 1,
                unassigned: 2,
                all: 3
            }
        );
        let mut r = row(1, 1, None);
        r.last_seq = 4;
        assert!(visitor_wrote(None, &r));
        assert!(visitor_wrote(Some(3), &r));
        assert!(!visitor_wrote(Some(4), &r));
        r.last_author = Author::Agent;
        assert!(!visitor_wrote(Some(3), &r));
    }
}
