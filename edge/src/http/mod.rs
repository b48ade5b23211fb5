//! The Worker's HTTP wing: `/api/*`. The table in `routes` names every route and who may
//! call it; `handle` checks that caller without storage where it can (a visitor's signed
//! token, the page's origin) or with the Team (an agent's session), then runs the route's
//! handler, which asks the object that owns what it is about through `crate::clients`.
//! The request helpers every handler shares are in `request`.

pub mod console;
mod files;
mod public;
mod rating;
pub mod request;
pub mod routes;
mod threads;
pub mod visitor;

use confab_protocol::console::{Agent, Role};
use std::cell::Cell;
use std::rc::Rc;

use confab_protocol::console::sites::SiteSettings;
use confab_protocol::{ApiError, ErrorCode, SessionClaims, SiteId};
use worker::{Env, Method, Request, Response};

use crate::auth;
use crate::reply::{internal, Reply};
use crate::sites::Sites;
use routes::{Lookup, Params, Verb, Who, ROUTES};

/// One request on its way through a route: what the router checked comes with it.
pub struct Call<'a> {
    pub req: Request,
    pub env: &'a Env,
    params: Params,
    agent: Option<Agent>,
    /// The deployment's sites, for routes a page calls (`Who::SitePage`, `Who::Visitor`).
    sites: Option<Rc<Sites>>,
    /// Set once the visitor's token was checked (see `Call::visitor`).
    visitor_checked: Rc<Cell<bool>>,
}

impl Call<'_> {
    /// The path's `{name}` segment.
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name)
    }

    /// The visitor of a `Who::Visitor` route: their token verified (no storage) and the
    /// page's origin checked against their site. A handler asks for it when it has checked
    /// what needs no caller (a malformed body is refused as such, whoever sends it); the
    /// router refuses the answer of one that never asked.
    pub fn visitor(&self) -> Result<SessionClaims, ApiError> {
        let claims = auth::page_visitor(&self.req, self.env, self.sites()?)?;
        self.visitor_checked.set(true);
        Ok(claims)
    }

    /// The deployment's sites, as the router read them for a page's route.
    pub fn sites(&self) -> Result<&Sites, ApiError> {
        self.sites
            .as_deref()
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "internal error, try again"))
    }

    /// A site a page may use (`sites::live`), and its settings once the request's origin
    /// is one the site allows.
    pub fn site_page(&self, site: &SiteId) -> Result<&SiteSettings, ApiError> {
        let sites = self.sites()?;
        let settings = crate::sites::live(sites, site)?;
        crate::origin::check(sites, &self.req, site)?;
        Ok(settings)
    }

    /// The agent the router signed in (`Who::Agent` and `Who::Admin` routes).
    pub fn agent(&self) -> Result<&Agent, ApiError> {
        self.agent.as_ref().ok_or_else(ApiError::signed_out)
    }
}

pub async fn handle(req: Request, env: &Env) -> Reply {
    let verb = match req.method() {
        Method::Options => {
            return Response::empty()
                .map(|r| r.with_status(204))
                .map_err(internal)
        }
        Method::Get => Some(Verb::Get),
        Method::Post => Some(Verb::Post),
        Method::Put => Some(Verb::Put),
        Method::Delete => Some(Verb::Delete),
        _ => None,
    };
    let (route, params) = match routes::find(ROUTES, verb, &req.path()) {
        Lookup::Route(route, params) => (route, params),
        Lookup::OtherMethod(allowed) => {
            let allowed: Vec<_> = allowed.iter().map(|v| v.name()).collect();
            return Err(ApiError::new(
                ErrorCode::MethodNotAllowed,
                format!(
                    "this method is not allowed here: use {}",
                    allowed.join(" or ")
                ),
            ));
        }
        Lookup::Unknown => return Err(ApiError::new(ErrorCode::NotFound, "no such API route")),
    };
    let agent = check(route.who, &req, env).await?;
    let sites = match route.who {
        Who::SitePage | Who::Visitor => Some(crate::sites::all(env).await?),
        _ => None,
    };
    let visitor_checked = Rc::new(Cell::new(false));
    let call = Call {
        req,
        env,
        params,
        agent,
        sites,
        visitor_checked: visitor_checked.clone(),
    };
    let answer = (route.handler)(call).await;
    if route.who == Who::Visitor && !visitor_checked.get() && answer.is_ok() {
        worker::console_error!("{} answered without checking its visitor", route.path);
        return Err(ApiError::new(
            ErrorCode::Internal,
            "internal error, try again",
        ));
    }
    answer
}

/// Refuses a caller the route's `who` does not admit; the signed-in agent, if it is one.
async fn check(who: Who, req: &Request, env: &Env) -> Result<Option<Agent>, ApiError> {
    match who {
        // The site is named in the body: its handler checks the origin once it is read.
        // A visitor's handler checks their token (`Call::visitor`).
        Who::Anyone | Who::SitePage | Who::Visitor => Ok(None),
        Who::Bench => crate::bench::enabled(env).map(|_| None),
        Who::ConsolePage => console::session::refuse_other_origins(req).map(|_| None),
        Who::Agent | Who::Admin => {
            let agent = console::session::agent(req, env).await?;
            if who == Who::Admin && agent.role != Role::Admin {
                return Err(ApiError::forbidden("only an admin can change this"));
            }
            Ok(Some(agent))
        }
    }
}
