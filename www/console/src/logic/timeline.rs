//! One timeline from two sources: the thread's messages (ordered by `seq`) and what the
//! team sees between them (internal notes, reach records), each placed after the message
//! that was last when it happened.

/// One line of the timeline.
#[derive(Debug, PartialEq, Eq)]
pub enum Item<'a, M, N> {
    Message(&'a M),
    Aside(&'a N),
}

/// Messages (committed first, by `seq`, then pending ones with no `seq`) with the asides
/// interleaved by their `after_seq`. `first_loaded` is the oldest `seq` held; when older
/// pages are still to load, asides that belong among them are left out until they are.
pub fn interleave<'a, M, N>(
    messages: &'a [M],
    seq_of: impl Fn(&M) -> Option<u64>,
    asides: &'a [N],
    after_of: impl Fn(&N) -> u64,
    first_loaded: Option<u64>,
) -> Vec<Item<'a, M, N>> {
    let earlier_missing = first_loaded.is_some_and(|first| first > 1);
    let mut asides: Vec<&N> = asides
        .iter()
        .filter(|n| !earlier_missing || after_of(n) + 1 >= first_loaded.unwrap_or(0))
        .collect();
    // Stable: asides from the same point keep the order they came in.
    asides.sort_by_key(|n| after_of(n));
    let mut asides = asides.into_iter().peekable();
    let mut out = Vec::with_capacity(messages.len() + asides.len());
    for message in messages {
        match seq_of(message) {
            Some(seq) => {
                while let Some(aside) = asides.next_if(|n| after_of(n) < seq) {
                    out.push(Item::Aside(aside));
                }
            }
            // Pending messages come after everything committed, asides included.
            None => out.extend(asides.by_ref().map(Item::Aside)),
        }
        out.push(Item::Message(message));
    }
    out.extend(asides.map(Item::Aside));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(items: &[Item<'_, Option<u64>, (u64, &str)>]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                Item::Message(Some(seq)) => format!("m{seq}"),
                Item::Message(None) => "pending".to_owned(),
                Item::Aside((_, name)) => (*name).to_owned(),
            })
            .collect()
    }

    #[test]
    fn notes_sit_after_the_message_they_followed() {
        let messages = [Some(1), Some(2), Some(3), None];
        let notes = [
            (2, "n-after-2"),
            (0, "n-first"),
            (3, "n-last"),
            (2, "n-after-2b"),
        ];
        let items = interleave(&messages, |m| *m, &notes, |n| n.0, Some(1));
        assert_eq!(
            names(&items),
            [
                "n-first",
                "m1",
                "m2",
                "n-after-2",
                "n-after-2b",
                "m3",
                "n-last",
                "pending"
            ]
        );
    }

    #[test]
    fn notes_older_than_the_loaded_page_wait_for_it() {
        let messages = [Some(5), Some(6)];
        let notes = [(1, "old"), (4, "just-before"), (5, "after-5")];
        let items = interleave(&messages, |m| *m, &notes, |n| n.0, Some(5));
        assert_eq!(names(&items), ["just-before", "m5", "after-5", "m6"]);
    }

    #[test]
    fn notes_without_messages_are_all_shown() {
        let messages: [Option<u64>; 0] = [];
        let notes = [(0, "a"), (0, "b")];
        let items = interleave(&messages, |m| *m, &notes, |n| n.0, None);
        assert_eq!(names(&items), ["a", "b"]);
    }
}
