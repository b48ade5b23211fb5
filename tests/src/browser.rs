//! Headless Chromium through chromedriver. Each [`Browser`] has a fresh profile: a separate
//! device, with its own localStorage.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use fantoccini::elements::{Element, ShadowRoot};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tempfile::TempDir;

use crate::eventually;
use crate::process::{free_port, tail, Group};

pub struct Chromedriver {
    group: Group,
    port: u16,
    log: PathBuf,
    _dir: TempDir,
}

impl Chromedriver {
    pub async fn start() -> Chromedriver {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let log = dir.path().join("chromedriver.log");
        let mut command = Command::new("chromedriver");
        command.arg(format!("--port={port}"));
        let mut driver = Chromedriver {
            group: Group::spawn("chromedriver", command, &log),
            port,
            log,
            _dir: dir,
        };
        driver.wait_until_ready().await;
        driver
    }

    async fn wait_until_ready(&mut self) {
        let url = format!("{}/status", self.url());
        for _ in 0..300 {
            if self.group.has_exited() {
                panic!("chromedriver exited:\n{}", tail(&self.log, 20));
            }
            if reqwest::get(&url)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start:\n{}", tail(&self.log, 20));
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Device {
    Desktop,
    Phone,
}

pub struct Browser {
    pub client: Client,
    driver: String,
    _profile: TempDir,
}

/// Keeps every WebSocket frame and HTTP response body the page receives in
/// `window.__received`, from before any script of the page runs.
const RECORDER: &str = r#"
(function () {
  var log = (window.__received = []);
  var RealSocket = window.WebSocket;
  function Recorded(url, protocols) {
    var ws = protocols === undefined ? new RealSocket(url) : new RealSocket(url, protocols);
    ws.addEventListener("message", function (e) { log.push(String(e.data)); });
    return ws;
  }
  Recorded.prototype = RealSocket.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (k) { Recorded[k] = RealSocket[k]; });
  window.WebSocket = Recorded;
  var realFetch = window.fetch;
  window.fetch = function () {
    return realFetch.apply(this, arguments).then(function (response) {
      response.clone().text().then(function (text) { log.push(text); });
      return response;
    });
  };
})();
"#;

/// Keeps the title, body and tag of each `Notification` the page creates in
/// `window.__notified`, then lets the browser show it.
const NOTIFICATION_RECORDER: &str = r#"
(function () {
  var Real = window.Notification;
  if (!Real) return;
  var shown = (window.__notified = []);
  function Recorded(title, options) {
    options = options || {};
    shown.push({ title: title, body: options.body, tag: options.tag });
    return new Real(title, options);
  }
  Object.defineProperty(Recorded, "permission", { get: function () { return Real.permission; } });
  Recorded.requestPermission = Real.requestPermission.bind(Real);
  Recorded.prototype = Real.prototype;
  window.Notification = Recorded;
})();
"#;

impl Browser {
    pub async fn open(driver_url: &str, device: Device) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--lang=en-US".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut chrome = json!({ "binary": chromium_binary() });
        match device {
            Device::Desktop => args.push("--window-size=1280,900".to_owned()),
            Device::Phone => {
                chrome["mobileEmulation"] = json!({
                    "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 3.0, "touch": true, "mobile": true },
                    "userAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
                });
            }
        }
        chrome["args"] = json!(args);
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), chrome);
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(driver_url)
            .await
            .expect("start a Chromium session");
        Browser {
            client,
            driver: driver_url.to_owned(),
            _profile: profile,
        }
    }

    /// Runs a DevTools protocol command in this browser's current tab.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        let session = self
            .client
            .session_id()
            .await
            .expect("session id")
            .expect("a session");
        let url = format!("{}/session/{session}/goog/cdp/execute", self.driver);
        let answer = reqwest::Client::new()
            .post(url)
            .json(&json!({ "cmd": cmd, "params": params }))
            .send()
            .await
            .expect("chromedriver answers");
        assert!(answer.status().is_success(), "{cmd} is carried out");
        let mut body: serde_json::Value = answer.json().await.expect("a JSON answer");
        body["value"].take()
    }

    /// From the next page load on, records everything the page receives (see
    /// [`Browser::received`]).
    pub async fn record_received(&self) {
        self.run_on_every_page(RECORDER).await;
    }

    /// From the next page load on, records each system notification the page shows (see
    /// [`Browser::notifications`]); the notifications are still shown.
    pub async fn record_notifications(&self) {
        self.run_on_every_page(NOTIFICATION_RECORDER).await;
    }

    /// The notifications the page showed since it loaded: title, body and tag of each.
    pub async fn notifications(&self) -> Vec<serde_json::Value> {
        let value = self.script("return window.__notified || null").await;
        serde_json::from_value(value).expect("the recorder was installed")
    }

    /// Answers "Allow" for `origin` when a page asks for `permission` (such as "notifications").
    pub async fn allow(&self, origin: &str, permission: &str) {
        self.cdp(
            "Browser.grantPermissions",
            json!({ "origin": origin, "permissions": [permission] }),
        )
        .await;
    }

    /// The titles of the browser's open tabs, background ones too, read without bringing
    /// any of them to the front.
    pub async fn tab_titles(&self) -> Vec<String> {
        let targets = self.cdp("Target.getTargets", json!({})).await;
        targets["targetInfos"]
            .as_array()
            .expect("a list of targets")
            .iter()
            .filter(|t| t["type"] == "page")
            .filter_map(|t| t["title"].as_str().map(str::to_owned))
            .collect()
    }

    async fn run_on_every_page(&self, source: &str) {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": source }),
        )
        .await;
    }

    /// Every WebSocket frame and HTTP response body the page received since it loaded.
    pub async fn received(&self) -> Vec<String> {
        let value = self.script("return window.__received || null").await;
        serde_json::from_value(value).expect("the recorder was installed")
    }

    /// The first element of the page matching `css`, waiting for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        let what = format!("`{css}` on the page");
        eventually(30, &what, || async {
            self.client.find(Locator::Css(css)).await.ok()
        })
        .await
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    /// Types `text` into the field matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.find(css).await.send_keys(text).await.expect("type");
    }

    /// The texts of every element of the page matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
        {
            texts.push(element.text().await.unwrap_or_default());
        }
        texts
    }

    /// Waits until an element matching `css` shows a text containing `part`.
    pub async fn wait_for_text(&self, css: &str, part: &str) {
        let what = format!("{part:?} in `{css}`");
        eventually(30, &what, || async {
            self.texts(css)
                .await
                .iter()
                .any(|t| t.contains(part))
                .then_some(())
        })
        .await;
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// Opens `url` and waits for the loader to put the widget on it: it does once the
    /// site's look has arrived.
    pub async fn goto_widget(&self, url: &str) {
        self.goto(url).await;
        self.widget().await;
    }

    /// The widget's shadow root, once the loader has drawn it.
    pub async fn widget(&self) -> ShadowRoot {
        let host = eventually(20, "the widget's host element", || async {
            self.client.find(Locator::Css("confab-widget")).await.ok()
        })
        .await;
        host.shadow_root()
            .await
            .expect("the widget has a shadow root")
    }

    /// The first element matching `css` inside the widget, waiting for it to appear.
    pub async fn in_widget(&self, css: &str) -> Element {
        let what = format!("`{css}` in the widget");
        eventually(30, &what, || async {
            let root = self.widget().await;
            root.find(Locator::Css(css)).await.ok()
        })
        .await
    }

    /// Clicks the element matching `css` in the widget. The widget replaces the loader's
    /// launcher when it mounts, so an element found just before that is found again.
    pub async fn click_in_widget(&self, css: &str) {
        let what = format!("a click on `{css}` in the widget");
        eventually(30, &what, || async {
            let root = self.widget().await;
            let element = root.find(Locator::Css(css)).await.ok()?;
            element.click().await.ok()
        })
        .await
    }

    /// Whether the element matching `css` in the widget is shown, asking again if the
    /// element was replaced meanwhile.
    pub async fn is_shown_in_widget(&self, css: &str) -> bool {
        let what = format!("the visibility of `{css}` in the widget");
        eventually(30, &what, || async {
            let root = self.widget().await;
            let element = root.find(Locator::Css(css)).await.ok()?;
            element.is_displayed().await.ok()
        })
        .await
    }

    /// The texts of all elements matching `css` inside the widget.
    pub async fn texts_in_widget(&self, css: &str) -> Vec<String> {
        let root = self.widget().await;
        let mut out = Vec::new();
        for element in root.find_all(Locator::Css(css)).await.unwrap_or_default() {
            out.push(element.text().await.unwrap_or_default());
        }
        out
    }

    /// The widget's saved state in this browser's localStorage.
    pub async fn saved(&self, site: &str) -> serde_json::Value {
        let js = format!("return JSON.parse(localStorage.getItem('confab:{site}'))");
        self.script(&js).await
    }

    /// Types `text` into the composer and presses Enter.
    pub async fn write(&self, text: &str) {
        let composer = self.in_widget(".composer textarea").await;
        composer.send_keys(text).await.expect("type");
        composer
            .send_keys(&fantoccini::key::Key::Enter.to_string())
            .await
            .expect("press Enter");
    }

    /// Opens the widget and sends `text`, waiting until it is committed.
    pub async fn open_and_send(&self, text: &str) {
        self.click_in_widget(".launcher").await;
        self.write(text).await;
        self.committed_message(text).await;
    }

    /// Waits until a committed message (one with a `seq`) shows `text`.
    pub async fn committed_message(&self, text: &str) {
        let what = format!("the message {text:?} to be committed");
        eventually(60, &what, || async {
            let texts = self.texts_in_widget(".message[data-seq] .body").await;
            texts.into_iter().find(|t| t == text)
        })
        .await;
    }

    /// Waits until an element matching `css` in the widget shows `part`.
    pub async fn wait_for_text_in_widget(&self, css: &str, part: &str) {
        let what = format!("{part:?} in `{css}` in the widget");
        // What was there instead says why it never came.
        let last = std::sync::Mutex::new(Vec::new());
        let waited = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            eventually(31, &what, || async {
                let texts = self.texts_in_widget(css).await;
                let found = texts.iter().any(|t| t.contains(part));
                *last.lock().unwrap() = texts;
                found.then_some(())
            }),
        )
        .await;
        if waited.is_err() {
            panic!(
                "timed out waiting for {what}; it shows {:?}",
                last.lock().unwrap()
            );
        }
    }

    /// Signs in to the console served beside the demo page `demo`, through its form.
    pub async fn sign_in_to_console(&self, demo: &str, email: &str, password: &str) {
        self.goto(&format!("{demo}console/")).await;
        self.type_into("#email", email).await;
        self.type_into("#password", password).await;
        self.click("#login").await;
        self.find("#logout").await;
    }

    /// Opens the team page of the console at `demo` and, on it, the block of `site`.
    pub async fn open_site_settings(&self, demo: &str, site: &str) {
        self.goto(&format!("{demo}console/#/team")).await;
        self.click(&format!("details.site[data-site={site}] > summary"))
            .await;
    }

    pub async fn script(&self, js: &str) -> serde_json::Value {
        self.client.execute(js, vec![]).await.expect("run script")
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

fn chromium_binary() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned())
}
