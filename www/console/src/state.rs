//! What the whole console shares once an agent is signed in: who they are, the team's
//! names, the canned replies, the page and the site being worked.

use confab_protocol::console::{Agent, CannedReply, Me, Role};
use confab_protocol::{AgentId, SiteId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Failure};
use crate::browser;
use crate::logic::route::Route;
use crate::texts::t;

#[derive(Clone, Copy)]
pub struct Console {
    /// `None` until `/me` answers; `Some(None)` when signed out.
    pub me: RwSignal<Option<Option<Me>>>,
    pub route: RwSignal<Route>,
    pub agents: RwSignal<Vec<Agent>>,
    pub canned: RwSignal<Vec<CannedReply>>,
    pub site: RwSignal<Option<SiteId>>,
    /// The console's tab is shown (read receipts wait for it).
    pub visible: RwSignal<bool>,
}

impl Console {
    pub fn new() -> Self {
        let console = Console {
            me: RwSignal::new(None),
            route: RwSignal::new(Route::parse(&browser::hash())),
            agents: RwSignal::new(Vec::new()),
            canned: RwSignal::new(Vec::new()),
            site: RwSignal::new(None),
            visible: RwSignal::new(!browser::page_hidden()),
        };
        browser::listen(&browser::document(), "visibilitychange", move |_| {
            console.visible.set(!browser::page_hidden());
        });
        browser::listen(&browser::window(), "hashchange", move |_| {
            console.route.set(Route::parse(&browser::hash()));
        });
        console
    }

    pub fn go(self, route: Route) {
        browser::set_hash(&route.href());
        self.route.set(route);
    }

    /// Asks who is signed in (the cookie says), then loads the team.
    pub fn check_session(self) {
        spawn_local(async move {
            match api::me().await {
                Ok(me) => self.signed_in(me),
                Err(_) => self.me.set(Some(None)),
            }
        });
    }

    pub fn signed_in(self, me: Me) {
        let first_site = me.sites.first().map(|s| s.site.clone());
        if self.site.get_untracked().is_none() {
            self.site.set(first_site);
        }
        self.me.set(Some(Some(me)));
        self.refresh_team();
    }

    pub fn signed_out(self) {
        self.me.set(Some(None));
        self.agents.set(Vec::new());
        self.canned.set(Vec::new());
    }

    /// Handles what every failed call has in common: a lost session signs out. Returns
    /// the message to show.
    pub fn failed(self, failure: &Failure) -> String {
        if failure.signed_out() {
            self.signed_out();
        }
        failure.message.clone()
    }

    pub fn refresh_team(self) {
        spawn_local(async move {
            match api::agents().await {
                Ok(list) => self.agents.set(list.agents),
                Err(failure) => {
                    self.failed(&failure);
                }
            }
        });
    }

    /// The canned replies, fetched while none are known (once per session, for a team
    /// that has some).
    pub fn want_canned(self) {
        if self.canned.with_untracked(Vec::is_empty) {
            self.refresh_canned();
        }
    }

    pub fn refresh_canned(self) {
        spawn_local(async move {
            if let Ok(list) = api::canned().await {
                self.canned.set(list.replies);
            }
        });
    }

    /// The signed-in agent's id (untracked: it does not change while signed in).
    pub fn me_id(self) -> Option<AgentId> {
        self.me.with_untracked(|me| {
            me.as_ref()
                .and_then(|m| m.as_ref())
                .map(|m| m.agent.id.clone())
        })
    }

    /// The sites the signed-in agent answers for.
    pub fn sites(self) -> Vec<confab_protocol::console::SiteEntry> {
        self.me.with(|me| {
            me.as_ref()
                .and_then(|m| m.as_ref())
                .map(|m| m.sites.clone())
                .unwrap_or_default()
        })
    }

    pub fn is_admin(self) -> bool {
        self.me.with(|me| {
            me.as_ref()
                .and_then(|m| m.as_ref())
                .is_some_and(|m| m.agent.role == Role::Admin)
        })
    }

    /// The agent's name, as the team list has it.
    pub fn agent_name(self, id: &AgentId) -> String {
        self.agents.with(|agents| {
            agents
                .iter()
                .find(|a| &a.id == id)
                .map(|a| a.name.clone())
                .unwrap_or_else(|| t().an_agent.to_owned())
        })
    }
}
