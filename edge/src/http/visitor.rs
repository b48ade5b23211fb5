//! `/api/visitor/*`: the visitor's own account, from the widget.
//!
//! Three ways onto a device (a resume code, an emailed link, the host site's verified
//! identity) end the same way: the device's anonymous visitor, if it had one, is merged
//! into the visitor it signs in as, and the device gets a new session token.

use confab_protocol::identity::{self, VerifiedUser};
use confab_protocol::user_agent::describe_user_agent;
use confab_protocol::visitor::{
    email_address, link_page, ConversationList, DeviceList, EmailLinkRequest, IdentifyRequest,
    NewCodeRequest, NewCodeResponse, PushRemoveRequest, PushSubscriptionRequest, RedeemCodeRequest,
    SignInRequest, SignOutRequest,
};
use confab_protocol::{
    api::decode_request, ApiError, ConversationId, ErrorCode, NewSessionResponse, SessionClaims,
    SessionId, SiteId, VisitorId,
};
use confab_push::Subscription;
use futures_util::future::try_join_all;
use worker::{Date, Env, Request};

use super::request::body;
use super::Call;
use crate::clients::codes;
use crate::clients::conversation::{self, Owner};
use crate::clients::visitor::{ask, check, new_link_secret, relay, sign_in_link, VisitorCommand};
use crate::reply::{self, Reply};
use crate::{auth, mail};

/// A new device session for `visitor`: recorded in their object, then signed.
pub async fn start_session(
    env: &Env,
    req: &Request,
    site: &SiteId,
    visitor: &VisitorId,
    user: Option<VerifiedUser>,
) -> Result<NewSessionResponse, ApiError> {
    let secret = auth::secret(env)?;
    let session = SessionId::from_bytes(auth::random_bytes());
    let user_agent = req.headers().get("User-Agent").ok().flatten();
    let command = VisitorCommand::Start {
        site: site.clone(),
        visitor: visitor.clone(),
        session: session.clone(),
        browser: describe_user_agent(user_agent.as_deref().unwrap_or("")),
        user,
    };
    let _: serde_json::Value = ask(env, site, visitor, &command).await?;
    let now_secs = Date::now().as_millis() / 1000;
    Ok(NewSessionResponse {
        token: SessionClaims::new(site.clone(), visitor.clone(), session, now_secs).sign(&secret),
        visitor_id: visitor.clone(),
    })
}

/// Signs this device in as `target`. The anonymous visitor its token names, if any and
/// still signed in, is merged into `target` first, so their threads come along.
async fn sign_in_as(
    env: &Env,
    req: &Request,
    site: &SiteId,
    target: &VisitorId,
    user: Option<VerifiedUser>,
) -> Reply {
    if let Ok(claims) = auth::visitor(req, &auth::secret(env)?) {
        if &claims.site == site && &claims.visitor != target {
            let merge = VisitorCommand::MergeInto {
                session: claims.session.clone(),
                target: target.clone(),
            };
            match ask::<serde_json::Value>(env, site, &claims.visitor, &merge).await {
                Ok(_) => {}
                // A device already signed out has nothing to bring along.
                Err(error) if error.code == ErrorCode::Unauthorized => {}
                Err(error) => return Err(error),
            }
        }
    }
    let session = start_session(env, req, site, target, user).await?;
    reply::json(200, &session)
}

/// The caller's claims, refused if the device was signed out.
async fn signed_in(call: &Call<'_>) -> Result<SessionClaims, ApiError> {
    let claims = call.visitor()?;
    check(call.env, &claims).await?;
    Ok(claims)
}

pub async fn new_code(mut call: Call<'_>) -> Reply {
    let env = call.env;
    let request: NewCodeRequest = decode_request(&body(&mut call.req).await?)?;
    let page = link_page(&request.page)?;
    let claims = signed_in(&call).await?;
    crate::origin::check_page(call.sites()?, &call.req, &claims.site, &page)?;
    // Whether the link fits a QR code is known before a code is issued: codes all have
    // the same length, so a placeholder measures it.
    let placeholder = confab_protocol::resume::ResumeCode::from_random([0; 8]).display();
    qr_svg(&format!("{page}#confab={placeholder}"))?;
    let issued = codes::issue(env, &claims.site, &claims.visitor).await?;
    let link = format!("{page}#confab={}", issued.code);
    reply::json(
        201,
        &NewCodeResponse {
            qr_svg: qr_svg(&link)?,
            code: issued.code,
            link,
            expires_at: issued.expires_at,
        },
    )
}

/// The link as a QR code: dark modules on white, with the quiet zone scanners need.
fn qr_svg(link: &str) -> Result<String, ApiError> {
    let code = qrcode::QrCode::new(link.as_bytes())
        .map_err(|_| ApiError::invalid("page", "is too long for a QR code"))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(180, 180)
        .build())
}

pub async fn redeem_code(mut call: Call<'_>) -> Reply {
    let env = call.env;
    let request: RedeemCodeRequest = decode_request(&body(&mut call.req).await?)?;
    call.site_page(&request.site)?;
    crate::clients::limiter::take_code_try(env, &call.req).await?;
    let visitor = codes::redeem(env, &request.site, &request.code).await?;
    sign_in_as(env, &call.req, &request.site, &visitor, None).await
}

pub async fn email_link(mut call: Call<'_>) -> Reply {
    let env = call.env;
    let request: EmailLinkRequest = decode_request(&body(&mut call.req).await?)?;
    let email = email_address(&request.email)?;
    let page = link_page(&request.page)?;
    let claims = signed_in(&call).await?;
    crate::origin::check_page(call.sites()?, &call.req, &claims.site, &page)?;
    let (secret, secret_digest) = new_link_secret();
    let new_link = VisitorCommand::NewLink {
        session: claims.session.clone(),
        secret_digest,
    };
    let _: serde_json::Value = ask(env, &claims.site, &claims.visitor, &new_link).await?;
    let team = crate::sites::live(call.sites()?, &claims.site)?
        .team
        .clone();
    let link = sign_in_link(&page, &claims.visitor, &secret);
    // An answer to it goes into the visitor's latest thread, if they have one.
    let threads = VisitorCommand::Conversations {
        session: claims.session.clone(),
    };
    let threads: Vec<ConversationId> = ask(env, &claims.site, &claims.visitor, &threads).await?;
    let now = Date::now().as_millis();
    let reply_to = match threads.first() {
        Some(thread) => Some(mail::reply_address(env, thread, &claims.visitor, now)?),
        None => None,
    };
    // The address replaces the one kept only once mail to it went out: a failed send
    // leaves replies going where they went.
    mail::send_sign_in_link(env, &email, &team, &link, reply_to.as_deref()).await?;
    let keep = VisitorCommand::Email {
        session: claims.session,
        email: email.clone(),
    };
    let _: serde_json::Value = ask(env, &claims.site, &claims.visitor, &keep).await?;
    reply::json(202, &serde_json::json!({ "sent_to": email }))
}

pub async fn sign_in(mut call: Call<'_>) -> Reply {
    let env = call.env;
    let request: SignInRequest = decode_request(&body(&mut call.req).await?)?;
    call.site_page(&request.site)?;
    let refused = || ApiError::new(ErrorCode::Unauthorized, "this sign-in link is not valid");
    let (visitor, secret) = request.link.trim().split_once('.').ok_or_else(refused)?;
    let visitor = VisitorId::parse(visitor).ok_or_else(refused)?;
    if secret.len() > 64 {
        return Err(refused());
    }
    let command = VisitorCommand::Link {
        secret_digest: auth::token_hash(secret),
    };
    let _: serde_json::Value = ask(env, &request.site, &visitor, &command).await?;
    sign_in_as(env, &call.req, &request.site, &visitor, None).await
}

pub async fn identify(mut call: Call<'_>) -> Reply {
    let env = call.env;
    let request: IdentifyRequest = decode_request(&body(&mut call.req).await?)?;
    call.site_page(&request.site)?;
    // Shared with the host site's server, which vouches for its users with it.
    let secret = auth::named_secret(env, "CONFAB_IDENTITY_SECRET")?;
    let user = match (&request.jwt, &request.user_id, &request.user_hash) {
        (Some(jwt), _, _) => identity::verify_jwt(&secret, jwt, Date::now().as_millis() / 1000)?,
        (None, Some(user_id), Some(hash)) => {
            identity::verify_user_hash(&secret, user_id, hash)?;
            VerifiedUser {
                user_id: user_id.clone(),
                email: request.email.clone(),
                name: request.name.clone(),
            }
            .bounded()
        }
        _ => {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                "identify needs `user_id` with `user_hash`, or `jwt`",
            ))
        }
    };
    let target = user.visitor(&auth::secret(env)?, &request.site);
    // The host calls identify on every page: a device already signed in as this user
    // keeps its session.
    if let Ok(claims) = auth::visitor(&call.req, &auth::secret(env)?) {
        if claims.visitor == target
            && claims.site == request.site
            && check(env, &claims).await.is_ok()
        {
            let token = auth::bearer(&call.req).unwrap_or_default();
            return reply::json(
                200,
                &NewSessionResponse {
                    token,
                    visitor_id: target,
                },
            );
        }
    }
    sign_in_as(env, &call.req, &request.site, &target, Some(user)).await
}

pub async fn conversations(call: Call<'_>) -> Reply {
    let env = call.env;
    let claims = call.visitor()?;
    let command = VisitorCommand::Conversations {
        session: claims.session.clone(),
    };
    let ids: Vec<ConversationId> = ask(env, &claims.site, &claims.visitor, &command).await?;
    let owner = Owner {
        site: claims.site,
        visitor: claims.visitor,
    };
    let summaries =
        try_join_all(ids.iter().map(|id| conversation::summary(env, id, &owner))).await?;
    let mut conversations: Vec<_> = summaries.into_iter().flatten().collect();
    conversations.sort_by_key(|c| std::cmp::Reverse(c.last.as_ref().map_or(0, |m| m.sent_at)));
    reply::json(200, &ConversationList { conversations })
}

pub async fn devices(call: Call<'_>) -> Reply {
    let env = call.env;
    let claims = call.visitor()?;
    let command = VisitorCommand::Devices {
        session: claims.session.clone(),
    };
    let list: DeviceList = ask(env, &claims.site, &claims.visitor, &command).await?;
    reply::json(200, &list)
}

pub async fn sign_out(mut call: Call<'_>) -> Reply {
    let env = call.env;
    let request: SignOutRequest = decode_request(&body(&mut call.req).await?)?;
    let claims = call.visitor()?;
    let command = VisitorCommand::SignOut {
        session: claims.session.clone(),
        target: request.session,
        everywhere: request.everywhere,
    };
    relay(env, &claims.site, &claims.visitor, &command).await
}

/// `POST /api/visitor/push`: this device takes push notifications.
pub async fn subscribe(mut call: Call<'_>) -> Reply {
    let env = call.env;
    let request: PushSubscriptionRequest = decode_request(&body(&mut call.req).await?)?;
    crate::push::configured(env)?;
    let subscription = Subscription {
        endpoint: request.endpoint,
        p256dh: request.keys.p256dh,
        auth: request.keys.auth,
    };
    subscription
        .check()
        .map_err(|e| ApiError::invalid("subscription", &e.to_string()))?;
    let claims = signed_in(&call).await?;
    let command = VisitorCommand::Subscribe {
        session: claims.session,
        subscription,
    };
    relay(env, &claims.site, &claims.visitor, &command).await
}

/// `POST /api/visitor/push/remove`: this device stops taking them.
pub async fn unsubscribe(mut call: Call<'_>) -> Reply {
    let env = call.env;
    let request: PushRemoveRequest = decode_request(&body(&mut call.req).await?)?;
    let claims = signed_in(&call).await?;
    let command = VisitorCommand::Unsubscribe {
        session: claims.session,
        endpoint: request.endpoint,
    };
    relay(env, &claims.site, &claims.visitor, &command).await
}
