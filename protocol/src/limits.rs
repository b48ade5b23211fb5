//! Limits enforced at the edge; the widget uses the same numbers to warn early.

/// Longest message body, in characters (Unicode scalar values).
pub const MAX_MESSAGE_CHARS: usize = 4_000;

/// The visitor's context a message carries (page, language, time zone, the host page's
/// attributes): room for a page address of up to `MAX_CONTEXT_PAGE_BYTES` as the browser
/// has it (the edge keeps 512 characters of it), and attributes of up to
/// `MAX_ATTRIBUTES_JSON_BYTES` as JSON (the widget refuses more).
pub const MAX_CONTEXT_PAGE_BYTES: usize = 8 * 1024;
pub const MAX_ATTRIBUTES_JSON_BYTES: usize = 2_048;

/// Largest request body or frame the edge reads, in bytes. A message at its longest, in
/// 4-byte characters, with its context at its largest, plus JSON overhead, fits.
pub const MAX_REQUEST_BYTES: usize = 28 * 1024;

const _: () = assert!(
    MAX_MESSAGE_CHARS * 4 + MAX_CONTEXT_PAGE_BYTES + MAX_ATTRIBUTES_JSON_BYTES + 1024
        <= MAX_REQUEST_BYTES
);

/// Largest whole number a client may send (2^53 - 1): JavaScript, which every request
/// crosses between the Worker and its objects, holds no larger one exactly.
pub const MAX_EXACT_INTEGER: u64 = (1 << 53) - 1;

/// Messages per history page when the client does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// Most messages one history page returns.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Longest a long poll waits before answering with no new message.
pub const MAX_WAIT_SECONDS: u32 = 25;

/// Longest client-chosen id (client ids are UUIDs in practice).
pub const MAX_CLIENT_ID_LEN: usize = 64;

/// Longest site name (`data-site` on the script tag).
pub const MAX_SITE_LEN: usize = 40;

/// Messages one sender may send to one conversation: a burst, then a steady pace that no
/// person typing reaches but a script flooding does.
pub const MESSAGES_PER_SENDER: crate::rate::Rate = crate::rate::Rate {
    burst: 60.0,
    per_second: 5.0,
};

/// Sessions (anonymous visitors) one IP address may open.
pub const SESSIONS_PER_IP: crate::rate::Rate = crate::rate::Rate {
    burst: 300.0,
    per_second: 1.0,
};

/// New threads one visitor may open: a person with several questions is never slowed,
/// a script opening threads to get around the per-thread message limit is.
pub const THREADS_PER_VISITOR: crate::rate::Rate = crate::rate::Rate {
    burst: 10.0,
    per_second: 1.0 / 60.0,
};

/// New threads one IP address may open, over all its visitors (an office shares one).
pub const THREADS_PER_IP: crate::rate::Rate = crate::rate::Rate {
    burst: 300.0,
    per_second: 1.0 / 3.0,
};

/// Teasers shown one IP address may count (`crate::proactive`): each visitor sees one per
/// rule a day, so an office's worth, not a script inflating a rule's figures.
pub const TEASERS_PER_IP: crate::rate::Rate = crate::rate::Rate {
    burst: 100.0,
    per_second: 1.0 / 10.0,
};

/// Resume codes one IP address may try: enough for a person who mistypes a few times,
/// nowhere near enough to find a live code among hundreds of thousands.
pub const CODE_TRIES_PER_IP: crate::rate::Rate = crate::rate::Rate {
    burst: 10.0,
    per_second: 1.0 / 30.0,
};

/// Wrong passwords allowed per email address and per client address: a few tries, then
/// one a minute. A person who mistyped is barely slowed; a guesser is stopped.
pub const LOGIN_FAILURES: crate::rate::Rate = crate::rate::Rate {
    burst: 5.0,
    per_second: 1.0 / 60.0,
};

/// How long an agent stays signed in to the console without signing in again.
pub const AGENT_SESSION_SECONDS: u64 = 30 * 24 * 3600;

/// How long an invitation link stays valid.
pub const INVITE_SECONDS: u64 = 7 * 24 * 3600;

/// Longest display name, email address and canned reply shortcut, in characters.
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_SHORTCUT_CHARS: usize = 32;

/// Clamps a page size asked for by a client to what the edge serves.
pub fn page_size(requested: Option<u32>) -> u32 {
    requested
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_is_clamped() {
        assert_eq!(page_size(None), DEFAULT_PAGE_SIZE);
        assert_eq!(page_size(Some(0)), 1);
        assert_eq!(page_size(Some(7)), 7);
        assert_eq!(page_size(Some(10_000)), MAX_PAGE_SIZE);
    }
}
