//! How a conversation's update lands in its site's inbox. The conversation sends its state
//! after every change, and retries until it lands, so an update can arrive twice or after
//! a newer one; the inbox also holds what agents decided (resolved, snoozed).

use super::Status;

/// What the inbox holds of a conversation that decides how its next update lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    /// The version of the last update taken.
    pub version: u64,
    /// The `seq` of the visitor's last message, as of that update.
    pub visitor_last_seq: u64,
    pub status: Status,
    pub snoozed_until: Option<u64>,
}

/// The status a taken update leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Landing {
    pub status: Status,
    pub snoozed_until: Option<u64>,
    /// The update brings a visitor message the inbox did not have.
    pub visitor_wrote: bool,
}

/// `None` when the update is not newer than what is held (repeated or late): it changes
/// nothing. Otherwise the row takes it, and a visitor message newer than the last one held
/// reopens a resolved or snoozed conversation; an agent's message or a read leaves the
/// status as agents set it. A conversation new to the inbox is open.
pub fn land(held: Option<Held>, version: u64, visitor_last_seq: u64) -> Option<Landing> {
    let Some(held) = held else {
        return Some(Landing {
            status: Status::Open,
            snoozed_until: None,
            visitor_wrote: visitor_last_seq > 0,
        });
    };
    if version <= held.version {
        return None;
    }
    Some(if visitor_last_seq > held.visitor_last_seq {
        Landing {
            status: Status::Open,
            snoozed_until: None,
            visitor_wrote: true,
        }
    } else {
        Landing {
            status: held.status,
            snoozed_until: held.snoozed_until,
            visitor_wrote: false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn held(version: u64, visitor_last_seq: u64, status: Status) -> Held {
        let snoozed_until = (status == Status::Snoozed).then_some(99);
        Held {
            version,
            visitor_last_seq,
            status,
            snoozed_until,
        }
    }

    #[test]
    fn a_new_conversation_is_open() {
        assert_eq!(land(None, 1, 1).map(|l| l.status), Some(Status::Open));
    }

    #[test]
    fn a_visitor_message_reopens_a_resolved_or_snoozed_conversation() {
        for status in [Status::Resolved, Status::Snoozed] {
            let landing = land(Some(held(3, 2, status)), 4, 3).expect("newer");
            assert_eq!(landing.status, Status::Open);
            assert_eq!(landing.snoozed_until, None);
            assert!(landing.visitor_wrote);
        }
    }

    #[test]
    fn an_agents_message_or_a_read_leaves_the_status_alone() {
        let landing = land(Some(held(3, 2, Status::Snoozed)), 4, 2).expect("newer");
        assert_eq!(landing.status, Status::Snoozed);
        assert_eq!(landing.snoozed_until, Some(99));
        assert!(!landing.visitor_wrote);
    }

    #[test]
    fn a_repeated_or_late_update_changes_nothing() {
        assert_eq!(land(Some(held(4, 2, Status::Resolved)), 4, 3), None);
        assert_eq!(land(Some(held(4, 2, Status::Resolved)), 3, 3), None);
    }

    proptest! {
        /// Updates delivered in any order, some twice: the inbox ends on the newest one,
        /// and it reopened only if a visitor message was newer than what it held.
        #[test]
        fn the_newest_update_wins_whatever_the_order(
            versions in proptest::collection::vec(1u64..50, 1..20),
        ) {
            let mut stored: Option<Held> = None;
            for &version in &versions {
                // A version's visitor_last_seq grows with it, as in a conversation.
                let visitor_last_seq = version / 2;
                if let Some(landing) = land(stored, version, visitor_last_seq) {
                    stored = Some(Held {
                        version,
                        visitor_last_seq,
                        status: landing.status,
                        snoozed_until: landing.snoozed_until,
                    });
                }
            }
            let newest = *versions.iter().max().unwrap();
            prop_assert_eq!(stored.map(|s| s.version), Some(newest));
            prop_assert_eq!(stored.map(|s| s.visitor_last_seq), Some(newest / 2));
        }
    }
}
