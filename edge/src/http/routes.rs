//! Every route of the Worker's API in one table: method, path, who may call it, handler.
//! The router (`super::handle`) checks the caller the table names before the handler
//! runs; the README's API table is checked against this one by a test.

use futures_util::future::LocalBoxFuture;

use super::{console, files, public, rating, threads, visitor, Call};
use crate::reply::Reply;

/// Who may call a route. The router checks agents, admins, the console's origin and the
/// bench switch before the handler runs. A `Visitor` route's handler checks the token when
/// it has refused what needs no caller (`Call::visitor`), and the router refuses the answer
/// of one that never did. A `SitePage` route names its site in the body: the handler checks
/// the origin once it has read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// No credential and no origin: the health check, the push key.
    Anyone,
    /// A page of the site the request names: its `Origin` is one of the site's.
    SitePage,
    /// A visitor's session token, from a page of their site.
    Visitor,
    /// The console's own origin, before an agent is signed in.
    ConsolePage,
    /// A signed-in agent (session cookie, checked with the Team on each request).
    Agent,
    /// A signed-in admin (checked here, and again by the Team for its own commands).
    Admin,
    /// Anyone, while `BENCH_ECHO` is "on" (local benchmark runs only).
    Bench,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
    Delete,
}

impl Verb {
    pub fn name(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Delete => "DELETE",
        }
    }
}

pub type Handler = for<'a> fn(Call<'a>) -> LocalBoxFuture<'a, Reply>;

pub struct Route {
    pub verb: Verb,
    /// Segments in braces (`{id}`) match any one segment, read by the handler by name.
    pub path: &'static str,
    pub who: Who,
    pub handler: Handler,
}

macro_rules! route {
    ($verb:ident $path:literal, $who:ident, $handler:path) => {
        Route {
            verb: Verb::$verb,
            path: $path,
            who: Who::$who,
            handler: |call| Box::pin($handler(call)),
        }
    };
}

pub static ROUTES: &[Route] = &[
    // The widget's thread.
    route!(Post "/api/sessions", SitePage, threads::new_session),
    route!(Post "/api/conversations", Visitor, threads::open),
    route!(Post "/api/conversations/{id}/messages", Visitor, threads::send),
    route!(Get "/api/conversations/{id}/messages", Visitor, threads::history),
    route!(Post "/api/conversations/{id}/read", Visitor, threads::mark_read),
    route!(Get "/api/conversations/{id}/socket", Visitor, threads::socket),
    route!(Get "/api/conversations/{id}/rating", Visitor, rating::get),
    route!(Post "/api/conversations/{id}/rating", Visitor, rating::rate),
    route!(Post "/api/files", Visitor, files::upload),
    route!(Get "/api/files/{scope}/{id}", Anyone, files::download),
    route!(Get "/api/sites/{site}", SitePage, public::site),
    route!(Post "/api/sites/{site}/proactive", SitePage, public::teaser_shown),
    // The visitor's account.
    route!(Get "/api/visitor/conversations", Visitor, visitor::conversations),
    route!(Post "/api/visitor/codes", Visitor, visitor::new_code),
    route!(Post "/api/visitor/codes/redeem", SitePage, visitor::redeem_code),
    route!(Post "/api/visitor/email", Visitor, visitor::email_link),
    route!(Post "/api/visitor/sign-in", SitePage, visitor::sign_in),
    route!(Post "/api/visitor/identify", SitePage, visitor::identify),
    route!(Get "/api/visitor/devices", Visitor, visitor::devices),
    route!(Post "/api/visitor/sign-out", Visitor, visitor::sign_out),
    route!(Get "/api/push/key", Anyone, public::push_key),
    route!(Post "/api/visitor/push", Visitor, visitor::subscribe),
    route!(Post "/api/visitor/push/remove", Visitor, visitor::unsubscribe),
    // The agents' console.
    route!(Post "/api/console/login", ConsolePage, console::login),
    route!(Post "/api/console/logout", ConsolePage, console::logout),
    route!(Post "/api/console/invites/accept", ConsolePage, console::accept_invite),
    route!(Get "/api/console/me", Agent, console::me),
    route!(Get "/api/console/agents", Agent, console::team::agents),
    route!(Post "/api/console/agents", Admin, console::team::invite),
    route!(Delete "/api/console/agents/{agent}", Admin, console::team::remove),
    route!(Post "/api/console/files", Agent, files::upload_for_agent),
    route!(Get "/api/console/canned", Agent, console::team::canned),
    route!(Post "/api/console/canned", Agent, console::team::save_canned),
    route!(Delete "/api/console/canned/{shortcut}", Agent, console::team::delete_canned),
    route!(Get "/api/console/sites", Admin, console::sites::list),
    route!(Post "/api/console/sites", Admin, console::sites::create),
    route!(Put "/api/console/sites/{site}", Admin, console::sites::update),
    route!(Post "/api/console/sites/{site}/standing", Admin, console::sites::standing),
    route!(Get "/api/console/sites/{site}/conversations", Agent, console::inbox::list),
    route!(Get "/api/console/sites/{site}/conversations/{id}", Agent, console::inbox::detail),
    route!(Post "/api/console/sites/{site}/conversations/{id}/assign", Agent, console::inbox::assign),
    route!(Post "/api/console/sites/{site}/conversations/{id}/status", Agent, console::inbox::status),
    route!(Get "/api/console/sites/{site}/hours", Agent, console::inbox::hours),
    route!(Get "/api/console/sites/{site}/reports", Agent, console::inbox::report),
    route!(Put "/api/console/sites/{site}/hours", Admin, console::inbox::set_hours),
    route!(Get "/api/console/sites/{site}/reach", Agent, console::inbox::reach),
    route!(Put "/api/console/sites/{site}/reach", Admin, console::inbox::set_reach),
    route!(Get "/api/console/sites/{site}/words", Agent, console::inbox::words),
    route!(Put "/api/console/sites/{site}/words", Admin, console::inbox::set_words),
    route!(Get "/api/console/sites/{site}/socket", Agent, console::inbox::socket),
    route!(Get "/api/console/conversations/{id}/messages", Agent, console::thread::history),
    route!(Post "/api/console/conversations/{id}/messages", Agent, console::thread::send),
    route!(Post "/api/console/conversations/{id}/notes", Agent, console::thread::note),
    route!(Get "/api/console/conversations/{id}/socket", Agent, console::thread::socket),
    // Health and the benchmark's floors.
    route!(Get "/api/health", Anyone, public::health),
    route!(Get "/api/bench/echo", Bench, crate::bench::echo),
    route!(Get "/api/bench/echo-object", Bench, crate::bench::echo_object),
];

/// What the table says of a request's path.
pub enum Lookup<'r> {
    Route(&'r Route, Params),
    /// The path exists, with these methods.
    OtherMethod(Vec<Verb>),
    Unknown,
}

/// The path's `{name}` segments, as the request gave them.
#[derive(Default, Debug)]
pub struct Params(Vec<(&'static str, String)>);

impl Params {
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

pub fn find(routes: &'static [Route], verb: Option<Verb>, path: &str) -> Lookup<'static> {
    let path = path.trim_end_matches('/');
    let mut allowed = Vec::new();
    for route in routes {
        let Some(params) = matches(route.path, path) else {
            continue;
        };
        if Some(route.verb) == verb {
            return Lookup::Route(route, params);
        }
        allowed.push(route.verb);
    }
    if allowed.is_empty() {
        Lookup::Unknown
    } else {
        Lookup::OtherMethod(allowed)
    }
}

fn matches(pattern: &'static str, path: &str) -> Option<Params> {
    let mut wanted = pattern.split('/');
    let mut given = path.split('/');
    let mut params = Params::default();
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(g)) if w.starts_with('{') => {
                if g.is_empty() {
                    return None;
                }
                params
                    .0
                    .push((w.trim_matches(|c| c == '{' || c == '}'), g.to_owned()));
            }
            (Some(w), Some(g)) if w == g => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(verb: Verb, path: &str) -> Option<(&'static str, String)> {
        match find(ROUTES, Some(verb), path) {
            Lookup::Route(route, params) => Some((route.path, params.get("id").to_owned())),
            _ => None,
        }
    }

    /// How the README's API table names a caller.
    fn label(who: Who) -> &'static str {
        match who {
            Who::Anyone => "anyone",
            Who::SitePage => "site page",
            Who::Visitor => "visitor",
            Who::ConsolePage => "console page",
            Who::Agent => "agent",
            Who::Admin => "admin",
            Who::Bench => "bench",
        }
    }

    #[test]
    fn paths_match_whole_segments_and_name_their_parameters() {
        assert_eq!(
            found(Verb::Get, "/api/conversations/abc/messages"),
            Some(("/api/conversations/{id}/messages", "abc".into()))
        );
        assert_eq!(
            found(Verb::Post, "/api/conversations/"),
            Some(("/api/conversations", String::new()))
        );
        assert!(found(Verb::Get, "/api/conversations/abc/messages/more").is_none());
        assert!(found(Verb::Get, "/api/conversations//messages").is_none());
        assert!(found(Verb::Get, "/api/conversationsx").is_none());
        assert!(matches!(
            find(ROUTES, Some(Verb::Delete), "/api/conversations"),
            Lookup::OtherMethod(_)
        ));
        assert!(matches!(
            find(ROUTES, None, "/api/sessions"),
            Lookup::OtherMethod(_)
        ));
        assert!(matches!(
            find(ROUTES, Some(Verb::Get), "/api/nothing-here"),
            Lookup::Unknown
        ));
    }

    #[test]
    fn no_two_routes_answer_the_same_request() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                let same_shape = a.verb == b.verb
                    && a.path.split('/').count() == b.path.split('/').count()
                    && a.path
                        .split('/')
                        .zip(b.path.split('/'))
                        .all(|(x, y)| x == y || x.starts_with('{') || y.starts_with('{'));
                assert!(!same_shape, "{} {} and {}", a.verb.name(), a.path, b.path);
            }
        }
    }

    #[test]
    fn changing_what_agents_share_needs_an_admin() {
        for route in ROUTES {
            let shared = route.verb == Verb::Put
                || route.path.starts_with("/api/console/agents") && route.verb != Verb::Get;
            if shared {
                assert_eq!(
                    route.who,
                    Who::Admin,
                    "{} {}",
                    route.verb.name(),
                    route.path
                );
            }
        }
    }

    /// The README's API table lists every route, with who may call it, and nothing else.
    #[test]
    fn the_readme_lists_every_route_with_who_may_call_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
        let mut listed: Vec<String> = readme
            .lines()
            .filter_map(|line| {
                let mut cells = line.strip_prefix("| `")?.split(" | ");
                let (route, who) = (cells.next()?.trim_end_matches('`'), cells.next()?);
                let (verb, path) = route.split_once(' ')?;
                let path = path.split('?').next()?;
                path.starts_with("/api/")
                    .then(|| format!("{verb} {path} {}", who.trim_matches('`')))
            })
            .collect();
        listed.sort();
        listed.dedup();
        let mut table: Vec<String> = ROUTES
            .iter()
            .map(|r| format!("{} {} {}", r.verb.name(), r.path, label(r.who)))
            .collect();
        table.sort();
        assert_eq!(listed, table, "README's API table against http/routes.rs");
    }
}
