//! The site owner's pages: a small web server on its own port, so its pages are another
//! origin than the Confab deployment, as every real site is. Each page embeds the widget
//! with the README's script tag and is served with the headers a test chooses: a strict
//! Content-Security-Policy, Trusted Types, hostile CSS, a single-page app.

use std::convert::Infallible;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use crate::repo_root;

/// Every host page has this title (the widget prefixes unread counts to it).
pub const TITLE: &str = "Trailhead Shop";

/// The kinds of page a site owner has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// A plain page, no policy.
    Plain,
    /// The README's directives for Confab and nothing more: no 'unsafe-inline', no
    /// 'unsafe-eval', no nonce.
    Strict,
    /// The same, and `require-trusted-types-for 'script'`.
    TrustedTypes,
    /// Global CSS that hides and resets buttons, huge fonts, a transformed body, a
    /// right-to-left page, an overlay at the highest z-index, its own `Confab` and `define`.
    Hostile,
    /// A single-page app that changes route with `history.pushState`.
    App,
}

impl Page {
    fn path(self) -> &'static str {
        match self {
            Page::Plain => "plain",
            Page::Strict => "strict",
            Page::TrustedTypes => "trusted-types",
            Page::Hostile => "hostile",
            Page::App => "app",
        }
    }

    fn from_path(path: &str) -> Option<Page> {
        [
            Page::Plain,
            Page::Strict,
            Page::TrustedTypes,
            Page::Hostile,
            Page::App,
        ]
        .into_iter()
        .find(|p| p.path() == path)
    }
}

pub struct HostSite {
    origin: String,
    server: JoinHandle<()>,
}

impl HostSite {
    /// Starts the server on the current tokio runtime, on a free port of 127.0.0.1.
    pub async fn start() -> HostSite {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the host site");
        let origin = format!("http://{}", listener.local_addr().expect("local address"));
        HostSite {
            origin,
            server: tokio::spawn(serve(listener)),
        }
    }

    /// "http://127.0.0.1:PORT": the host pages' origin.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The address of `page` embedding site `site` of the deployment at `deployment`
    /// (its base URL, such as "http://127.0.0.1:8787").
    pub fn page(&self, page: Page, deployment: &str, site: &str) -> String {
        page_url(&self.origin, page, deployment, site)
    }
}

/// The same as [`HostSite::page`], from the host site's origin alone.
pub fn page_url(origin: &str, page: Page, deployment: &str, site: &str) -> String {
    let deployment = deployment.trim_end_matches('/');
    format!("{origin}/{}?at={deployment}&site={site}", page.path())
}

impl Drop for HostSite {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn serve(listener: TcpListener) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        while connections.try_join_next().is_some() {}
        connections.spawn(async move {
            let service = hyper::service::service_fn(handle);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = request.uri().path().trim_start_matches('/');
    let query = request.uri().query().unwrap_or("");
    let param = |key: &str| {
        query
            .split('&')
            .find_map(|p| p.strip_prefix(key)?.strip_prefix('='))
            .unwrap_or("")
            .to_owned()
    };
    // The site's own copy of Confab's service worker (README: Web Push), and the app's script.
    if path == "confab-sw.js" {
        let file = std::fs::read(repo_root().join("dist/site/confab-sw.js")).unwrap_or_default();
        return Ok(reply(200, "text/javascript", file, &[]));
    }
    if path == "app.js" {
        return Ok(reply(200, "text/javascript", APP_JS.into(), &[]));
    }
    // Every route of the app is the app's page.
    let page = if path.starts_with("app/") {
        Some(Page::App)
    } else {
        Page::from_path(path)
    };
    let Some(page) = page else {
        return Ok(reply(404, "text/plain", b"no such page".to_vec(), &[]));
    };
    let (deployment, site, before) = (param("at"), param("site"), param("before"));
    // The script tag exactly as the console gives it to copy, instead of the page's own.
    let tag = percent_encoding::percent_decode_str(&param("tag"))
        .decode_utf8_lossy()
        .into_owned();
    let tag =
        (tag.starts_with("<script async src=\"") && tag.ends_with("></script>")).then_some(tag);
    // The page's own language (`<html lang>`), English unless the test asks for another.
    let lang = Some(param("lang"))
        .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphabetic() || c == '-'))
        .unwrap_or_else(|| "en".into());
    let csp = policy(page, &deployment);
    let headers: Vec<(&str, &str)> = csp
        .as_deref()
        .map(|p| vec![("Content-Security-Policy", p)])
        .unwrap_or_default();
    Ok(reply(
        200,
        "text/html; charset=utf-8",
        html(page, &deployment, &site, &before, &lang, tag.as_deref()).into_bytes(),
        &headers,
    ))
}

/// The README's directives for a site that embeds Confab from `deployment`.
pub fn strict_policy(deployment: &str) -> String {
    let ws = deployment.replacen("http", "ws", 1);
    format!(
        "default-src 'none'; script-src {deployment} 'wasm-unsafe-eval'; \
         style-src {deployment}; connect-src {deployment} {ws}; img-src {deployment} data:"
    )
}

fn policy(page: Page, deployment: &str) -> Option<String> {
    match page {
        Page::Strict => Some(strict_policy(deployment)),
        Page::TrustedTypes => Some(format!(
            "{}; require-trusted-types-for 'script'",
            strict_policy(deployment)
        )),
        _ => None,
    }
}

/// `before`: commands (`open,toggle`) the page queues through the README's stub before
/// the loader runs, on pages that allow inline script. `lang`: the page's language.
fn html(
    page: Page,
    deployment: &str,
    site: &str,
    before: &str,
    lang: &str,
    tag: Option<&str>,
) -> String {
    let head = match page {
        Page::Hostile => HOSTILE_HEAD,
        Page::App => "<script src=\"/app.js\"></script>",
        _ => "",
    };
    let body = match page {
        Page::Hostile => "<div class=\"overlay\"></div>",
        Page::App => {
            "<nav><a href=\"/app/pricing\" data-route>Pricing</a> \
             <a href=\"/app/checkout\" data-route>Checkout</a></nav>"
        }
        _ => "",
    };
    let queued: String = before
        .split(',')
        .filter(|c| c.chars().all(|c| c.is_ascii_lowercase()) && !c.is_empty())
        .map(|command| format!("Confab('{command}');"))
        .collect();
    let stub = if queued.is_empty() {
        String::new()
    } else {
        // Every event the widget tells, in `window.__events`, listened for before it loads.
        format!(
            "<script>window.Confab = window.Confab || function () {{ \
             (Confab.q = Confab.q || []).push(arguments) }}; window.__events = []; \
             ['ready', 'open', 'close', 'unread', 'message'].forEach(function (e) {{ \
             Confab('on', e, function (d) {{ __events.push([e, d === undefined ? null : d]) }}) }});\
             {queued}</script>"
        )
    };
    let tag = tag.map(str::to_owned).unwrap_or_else(|| {
        format!(
            "<script async src=\"{deployment}/confab.js\" data-site=\"{site}\" \
             data-push-worker=\"/confab-sw.js\"></script>"
        )
    });
    // Tall enough to scroll, as shop pages are.
    let filler = "<p>Tents, stoves and boots for every trail.</p>".repeat(60);
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{TITLE}</title>{head}{stub}</head><body>{body}<h1 id=\"route\">Shop</h1>\
         <a id=\"help\" href=\"#help\">Help</a>{filler}{tag}</body></html>"
    )
}

/// What careless or hostile site CSS and scripts do to a widget that lives on the page.
const HOSTILE_HEAD: &str = r#"<style>
html { direction: rtl; font-size: 40px; }
body { transform: translateX(0) scale(1); font: 3rem/3 serif; }
* { box-sizing: content-box !important; line-height: 3 !important; letter-spacing: 4px !important; }
button, svg, section, textarea { all: unset !important; display: none !important; }
div { display: none; }
.overlay { display: block; position: fixed; inset: 0; z-index: 2147483647; background: rgba(0, 0, 0, 0.02); }
</style>
<script>
window.Confab = { mine: true };
window.define = function () { throw new Error("the page's own AMD loader was called"); };
window.define.amd = {};
</script>"#;

/// The single-page app: links change the route with `history.pushState`, never reloading.
const APP_JS: &str = r#"
document.addEventListener("click", function (e) {
  var link = e.target.closest && e.target.closest("a[data-route]");
  if (!link) return;
  e.preventDefault();
  history.pushState({}, "", link.href + location.search);
  document.getElementById("route").textContent = link.textContent;
});
"#;

fn reply(
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    headers: &[(&str, &str)],
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = hyper::StatusCode::from_u16(status).expect("a valid status");
    let map = response.headers_mut();
    map.insert(
        "Content-Type",
        content_type.parse().expect("a header value"),
    );
    map.insert("Cache-Control", "no-store".parse().expect("a header value"));
    for (name, value) in headers {
        let name = hyper::header::HeaderName::from_bytes(name.as_bytes()).expect("a header name");
        map.insert(name, value.parse().expect("a header value"));
    }
    response
}
