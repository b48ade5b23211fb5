//! `npm run bench:phone`: what a visitor and an agent feel on a slow phone. Headless
//! Chromium emulates a phone on a slow network (1.6 Mbps down, 750 kbps up, 150 ms round
//! trip) with a 4x slower CPU, on a host page of another origin, and the medians of
//! several runs are printed: click on the launcher to a usable composer (cold and warm
//! cache), the same on a thread of 200 messages, the main-thread time the page spends in
//! script before the click, and the console's first screen. Asserts nothing.

use std::time::Duration;

use confab_protocol::ConversationId;
use confab_tests::browser::{Browser, Chromedriver, Device};
use confab_tests::console::{Console, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD};
use confab_tests::host::{HostSite, Page};
use confab_tests::runtime::Runtime;
use serde_json::json;

const RUNS: usize = 5;

/// Resolves, once the widget's launcher is drawn, with the page's age in ms.
const LAUNCHER_DRAWN: &str = r#"
const done = arguments[arguments.length - 1];
(function poll() {
  const host = document.querySelector('confab-widget');
  const launcher = host && host.shadowRoot && host.shadowRoot.querySelector('.launcher');
  if (launcher) return done(performance.now());
  setTimeout(poll, 5);
})();
"#;

/// Clicks the launcher and resolves with the ms until the composer takes text and, if
/// `arguments[0]` is a text, until a message showing it is on screen.
const OPEN_TO_USABLE: &str = r#"
const wanted = arguments[0];
const done = arguments[arguments.length - 1];
const root = document.querySelector('confab-widget').shadowRoot;
const launcher = root.querySelector('.launcher');
if (launcher.getAttribute('aria-expanded') === 'true') launcher.click();
setTimeout(function () {
  const started = performance.now();
  launcher.click();
  (function poll() {
    const composer = root.querySelector('.composer textarea');
    const shown = !wanted || Array.from(root.querySelectorAll('.message .body'))
      .some(function (b) { return b.textContent === wanted; });
    if (composer && !composer.disabled && shown) return done(performance.now() - started);
    setTimeout(poll, 5);
  })();
}, 50);
"#;

/// The floor: one small request to the deployment from the page, in ms.
const ONE_REQUEST: &str = r#"
const done = arguments[arguments.length - 1];
const started = performance.now();
fetch(arguments[0], { cache: 'no-store' }).then(function (r) { return r.text(); })
  .then(function () { done(performance.now() - started); });
"#;

/// Resolves with the page's age in ms once the console's inbox shows.
const CONSOLE_SHOWN: &str = r#"
const done = arguments[arguments.length - 1];
(function poll() {
  if (document.querySelector('#logout')) return done(performance.now());
  setTimeout(poll, 5);
})();
"#;

async fn slow_phone(browser: &Browser) {
    browser.cdp("Network.enable", json!({})).await;
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": 150,
                "downloadThroughput": 1_600_000 / 8,
                "uploadThroughput": 750_000 / 8,
            }),
        )
        .await;
    browser
        .cdp("Emulation.setCPUThrottlingRate", json!({"rate": 4}))
        .await;
}

async fn run_async(browser: &Browser, js: &str, args: Vec<serde_json::Value>) -> f64 {
    browser
        .client
        .execute_async(js, args)
        .await
        .expect("the measuring script runs")
        .as_f64()
        .expect("a number of ms")
}

/// Starts Chromium's count of the page's script time afresh.
async fn count_script(browser: &Browser) {
    browser.cdp("Performance.disable", json!({})).await;
    browser.cdp("Performance.enable", json!({})).await;
}

/// Milliseconds of script the page ran since `count_script`, by Chromium's own count.
async fn script_ms(browser: &Browser) -> f64 {
    let metrics = browser.cdp("Performance.getMetrics", json!({})).await;
    metrics["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["name"] == "ScriptDuration")
        .and_then(|m| m["value"].as_f64())
        .unwrap_or(0.0)
        * 1000.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).expect("numbers"));
    values[values.len() / 2]
}

#[derive(Default)]
struct Figures {
    floor: Vec<f64>,
    launcher: Vec<f64>,
    script_before_click: Vec<f64>,
    at_once: Vec<f64>,
    cold: Vec<f64>,
    warm: Vec<f64>,
    long_thread: Vec<f64>,
    console: Vec<f64>,
}

#[tokio::main]
async fn main() {
    let state = tempfile::tempdir().expect("state dir");
    let runtime = Runtime::start(state.path()).await;
    let base = runtime.base_url();
    let driver = Chromedriver::start().await;
    let host = HostSite::start().await;
    let page = host.page(Page::Plain, &base, "demo");
    let admin = Console::admin(&base).await;
    let mut figures = Figures::default();

    for run in 1..=RUNS {
        eprintln!("widget, run {run} of {RUNS}");
        // A fresh profile each run: nothing cached.
        let browser = Browser::open(&driver.url(), Device::Phone).await;
        slow_phone(&browser).await;
        browser.goto(&page).await;
        figures
            .launcher
            .push(run_async(&browser, LAUNCHER_DRAWN, vec![]).await);
        figures
            .at_once
            .push(run_async(&browser, OPEN_TO_USABLE, vec![json!(null)]).await);
        let health = json!(format!("{base}/api/health"));
        figures
            .floor
            .push(run_async(&browser, ONE_REQUEST, vec![health]).await);
        // Cold again, the visitor reading the page a while before the click: the loader
        // fetches the widget when the page is idle.
        browser.cdp("Network.clearBrowserCache", json!({})).await;
        count_script(&browser).await;
        browser.goto(&page).await;
        run_async(&browser, LAUNCHER_DRAWN, vec![]).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        figures.script_before_click.push(script_ms(&browser).await);
        figures
            .cold
            .push(run_async(&browser, OPEN_TO_USABLE, vec![json!(null)]).await);
        browser.goto(&page).await;
        run_async(&browser, LAUNCHER_DRAWN, vec![]).await;
        figures
            .warm
            .push(run_async(&browser, OPEN_TO_USABLE, vec![json!(null)]).await);
        browser.close().await;
    }

    // A thread of 200 messages: the visitor's first, then 199 replies.
    eprintln!("a thread of 200 messages");
    let browser = Browser::open(&driver.url(), Device::Phone).await;
    browser.goto(&page).await;
    browser.open_and_send("a question").await;
    let saved = browser.saved("demo").await;
    let id = ConversationId::parse(saved["conversation_id"].as_str().expect("a thread"))
        .expect("a thread id");
    for n in 1..200 {
        // Past an agent's burst, replies wait for the allowance.
        while admin
            .reply(&id, &format!("bench-{n}"), &format!("reply {n}"))
            .await
            .status
            == 429
        {
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
    slow_phone(&browser).await;
    for _ in 0..RUNS {
        browser.goto(&page).await;
        run_async(&browser, LAUNCHER_DRAWN, vec![]).await;
        figures
            .long_thread
            .push(run_async(&browser, OPEN_TO_USABLE, vec![json!("reply 199")]).await);
    }
    browser.close().await;

    for run in 1..=RUNS {
        eprintln!("console, run {run} of {RUNS}");
        let browser = Browser::open(&driver.url(), Device::Phone).await;
        browser
            .sign_in_to_console(&runtime.demo_url(), DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
            .await;
        slow_phone(&browser).await;
        browser.cdp("Network.clearBrowserCache", json!({})).await;
        browser
            .goto(&format!("{}console/", runtime.demo_url()))
            .await;
        figures
            .console
            .push(run_async(&browser, CONSOLE_SHOWN, vec![]).await);
        browser.close().await;
    }

    println!(
        "Slow phone: 1.6 Mbps down, 150 ms round trip, CPU 4x slower; medians of {RUNS} runs, ms"
    );
    println!();
    let floor = median(figures.floor.clone());
    println!("Floor: one small request from the page to the deployment, {floor:.0} ms");
    println!();
    println!("| what | median ms | × floor |");
    println!("|---|---:|---:|");
    let rows = [
        (
            "host page loaded to launcher drawn, cold cache",
            &figures.launcher,
        ),
        (
            "page's script time in its first 3 s, no click",
            &figures.script_before_click,
        ),
        (
            "click to usable composer, cold, clicked as the launcher shows",
            &figures.at_once,
        ),
        (
            "click to usable composer, cold, clicked after 3 s on the page",
            &figures.cold,
        ),
        ("click to usable composer, warm cache", &figures.warm),
        (
            "click to a 200-message thread shown, warm cache",
            &figures.long_thread,
        ),
        (
            "console: navigation to first screen, cold cache",
            &figures.console,
        ),
    ];
    for (what, values) in rows {
        let ms = median(values.clone());
        println!("| {what} | {ms:.0} | {:.1} |", ms / floor);
    }
    drop(host);
    drop(driver);
    runtime.stop();
}
