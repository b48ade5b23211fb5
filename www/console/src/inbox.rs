//! The inbox of the site being worked: the list in the chosen view, the counts, who is
//! online, and the conversation open beside it. Kept current by the inbox socket.

use std::collections::HashMap;

use confab_protocol::console::{InboxRow, Presence, View};
use confab_protocol::{ConversationId, SiteId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::logic::inbox_rows::{self, Counts};
use crate::state::Console;
use confab_live::LiveSocket;

#[derive(Clone, Copy)]
pub struct Inbox {
    pub console: Console,
    pub view: RwSignal<View>,
    /// The search box's text, as last submitted.
    pub query: RwSignal<String>,
    pub rows: RwSignal<Vec<InboxRow>>,
    /// Every unresolved conversation, for the counts beside the views.
    pub unresolved: RwSignal<Vec<InboxRow>>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    pub presence: RwSignal<Vec<Presence>>,
    pub away: RwSignal<bool>,
    /// The inbox socket is connected.
    pub live: RwSignal<bool>,
    /// The open conversation's row, kept current by the socket and by actions.
    pub open_row: RwSignal<Option<InboxRow>>,
    /// What is not shown, in one stored value (each stored type costs about 1 KB).
    pub(crate) held: StoredValue<Held, LocalStorage>,
}

#[derive(Default)]
pub(crate) struct Held {
    /// The last `seq` each conversation was known at: a visitor message is a new one.
    pub known: HashMap<ConversationId, u64>,
    pub socket: Option<LiveSocket>,
}

impl Inbox {
    pub fn new(console: Console) -> Self {
        Inbox {
            console,
            view: RwSignal::new(View::Unassigned),
            query: RwSignal::new(String::new()),
            rows: RwSignal::new(Vec::new()),
            unresolved: RwSignal::new(Vec::new()),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
            presence: RwSignal::new(Vec::new()),
            away: RwSignal::new(false),
            live: RwSignal::new(false),
            open_row: RwSignal::new(None),
            held: StoredValue::new_local(Held::default()),
        }
    }

    /// Fetches the list for the current view and search, and the counts.
    pub fn refresh(self) {
        let Some(site) = self.console.site.get_untracked() else {
            return;
        };
        let view = self.view.get_untracked();
        let query = self.query.get_untracked();
        self.loading.set(true);
        let site_for_list = site.clone();
        spawn_local(async move {
            let list = api::conversations(&site_for_list, view, &query).await;
            // Answers for a view or search left meanwhile are dropped.
            if self.view.get_untracked() != view || self.query.get_untracked() != query {
                return;
            }
            self.loading.set(false);
            match list {
                Ok(list) => {
                    self.remember(&list.conversations);
                    self.rows.set(list.conversations);
                    self.error.set(None);
                }
                Err(failure) => self.error.set(Some(self.console.failed(&failure))),
            }
        });
        self.refresh_counts(site);
    }

    fn refresh_counts(self, site: SiteId) {
        spawn_local(async move {
            if let Ok(list) = api::conversations(&site, View::All, "").await {
                self.remember(&list.conversations);
                self.unresolved.set(list.conversations);
            }
        });
    }

    fn remember(self, rows: &[InboxRow]) {
        self.held.update_value(|held| {
            for row in rows {
                held.known.insert(row.conversation_id.clone(), row.last_seq);
            }
        });
    }

    pub fn counts(self) -> Counts {
        let Some(me) = self.console.me_id() else {
            return Counts::default();
        };
        self.unresolved.with(|rows| inbox_rows::counts(rows, &me))
    }

    /// A row changed (live, or by an action here): every list showing it follows.
    /// Returns whether it is a new message from the visitor.
    pub fn apply(self, row: InboxRow) -> bool {
        let Some(me) = self.console.me_id() else {
            return false;
        };
        if self.console.site.get_untracked().as_ref() != Some(&row.site) {
            return false;
        }
        let known = self
            .held
            .with_value(|h| h.known.get(&row.conversation_id).copied());
        let visitor_wrote = inbox_rows::visitor_wrote(known, &row);
        self.held.update_value(|h| {
            h.known.insert(
                row.conversation_id.clone(),
                row.last_seq.max(known.unwrap_or(0)),
            );
        });
        let view = self.view.get_untracked();
        let searching = !self.query.get_untracked().trim().is_empty();
        self.rows.update(|rows| {
            let belongs = inbox_rows::belongs(view, &me, &row, searching, rows);
            inbox_rows::upsert(rows, row.clone(), belongs);
        });
        self.unresolved.update(|rows| {
            let belongs = View::All.shows(&row, &me);
            inbox_rows::upsert(rows, row.clone(), belongs);
        });
        let is_open = self.open_row.with_untracked(|open| {
            open.as_ref().map(|r| &r.conversation_id) == Some(&row.conversation_id)
        });
        if is_open {
            self.open_row.set(Some(row));
        }
        visitor_wrote
    }

    /// Online or away, told to the team through the socket.
    pub fn set_away(self, away: bool) {
        self.away.set(away);
        crate::live::inbox_socket::send_presence(self);
    }
}
