//! Who may read and write a thread: the rule, apart from the storage that holds its owner.

use crate::clients::conversation::Owner;

/// What a visitor's call may do with a thread.
#[derive(Debug, PartialEq, Eq)]
pub enum Access {
    /// The thread is the caller's.
    Theirs,
    /// The thread does not exist yet and the caller's first message opens it: it becomes
    /// theirs.
    Opens,
    /// Someone else's thread, or none and nothing to open it: answered as not found, so the
    /// answer tells nothing of other visitors' threads.
    Refused,
}

/// `owner` holds the thread (`None` before its first message); `opening` says whether the
/// call may open it (the visitor's first message, whose thread id the Worker derived from
/// that visitor).
pub fn visitor_access(owner: Option<&Owner>, caller: &Owner, opening: bool) -> Access {
    match owner {
        Some(owner) if owner == caller => Access::Theirs,
        None if opening => Access::Opens,
        _ => Access::Refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use confab_protocol::{SiteId, VisitorId};

    fn owner(site: &str, visitor: u8) -> Owner {
        Owner {
            site: SiteId::parse(site).unwrap(),
            visitor: VisitorId::from_bytes([visitor; 16]),
        }
    }

    #[test]
    fn the_owner_reads_and_writes() {
        let me = owner("acme", 1);
        assert_eq!(visitor_access(Some(&me), &me, false), Access::Theirs);
        assert_eq!(visitor_access(Some(&me), &me, true), Access::Theirs);
    }

    #[test]
    fn a_first_message_opens_a_thread_that_does_not_exist() {
        assert_eq!(visitor_access(None, &owner("acme", 1), true), Access::Opens);
        assert_eq!(
            visitor_access(None, &owner("acme", 1), false),
            Access::Refused
        );
    }

    #[test]
    fn another_visitor_or_another_site_is_refused() {
        let me = owner("acme", 1);
        for other in [owner("acme", 2), owner("beta", 1)] {
            assert_eq!(visitor_access(Some(&me), &other, false), Access::Refused);
            assert_eq!(visitor_access(Some(&me), &other, true), Access::Refused);
        }
    }
}
