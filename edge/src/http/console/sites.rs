//! The deployment's sites (admins): the list, a new site, a site's settings and its
//! standing (removed, restored, its data deleted). The Team keeps them and checks every
//! rule again; each change drops this isolate's copy of the sites (other isolates see it
//! within `sites::FRESH_MS`). A removal or deletion said again is done again, so that what
//! follows it (closing widgets, erasing data) can be retried.

use confab_protocol::api::decode_request;
use confab_protocol::console::sites::{
    self, CreateSiteRequest, Site, SiteSettingsRequest, SiteState, StandingRequest,
};
use confab_protocol::{ApiError, SiteId};

use crate::clients::team::{stub, TeamCommand};
use crate::http::request::{body, site_id};
use crate::http::Call;
use crate::objects::{ask, ask_for};
use crate::reply::{self, Reply};

pub async fn list(call: Call<'_>) -> Reply {
    ask(&stub(call.env)?, &TeamCommand::Sites).await
}

pub async fn create(mut call: Call<'_>) -> Reply {
    let request: CreateSiteRequest = decode_request(&body(&mut call.req).await?)?;
    let command = TeamCommand::CreateSite {
        by: call.agent()?.id.clone(),
        site: sites::new_id(&request.site)?,
        settings: request.settings,
    };
    changed(&call, &command).await
}

pub async fn update(mut call: Call<'_>) -> Reply {
    let request: SiteSettingsRequest = decode_request(&body(&mut call.req).await?)?;
    let command = TeamCommand::UpdateSite {
        by: call.agent()?.id.clone(),
        site: site(&call)?,
        settings: request.settings,
    };
    changed(&call, &command).await
}

pub async fn standing(mut call: Call<'_>) -> Reply {
    let request: StandingRequest = decode_request(&body(&mut call.req).await?)?;
    let site = site(&call)?;
    let command = TeamCommand::SiteStanding {
        by: call.agent()?.id.clone(),
        site: site.clone(),
        change: request.change,
        confirm: request.confirm,
    };
    let answer: Result<Site, _> = ask_for(&stub(call.env)?, &command).await;
    crate::sites::forget();
    let answer = answer?;
    // Only once the Team has changed it: a refused deletion erases nothing.
    match answer.state {
        SiteState::Removed => {
            let removed = crate::clients::inbox::InboxCommand::SiteRemoved;
            crate::clients::inbox::ask_for::<serde_json::Value>(call.env, &site, removed).await?;
        }
        SiteState::Deleted => crate::clients::inbox::erase(call.env, &site).await?,
        SiteState::Live => {}
    }
    reply::json(200, &answer)
}

fn site(call: &Call<'_>) -> Result<SiteId, ApiError> {
    site_id(call.param("site"))
}

async fn changed(call: &Call<'_>, command: &TeamCommand) -> Reply {
    let answer = ask(&stub(call.env)?, command).await;
    crate::sites::forget();
    answer
}
