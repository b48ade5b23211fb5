// Confab's loader: the one file a site owner's <script> tag fetches.
// It draws the launcher at once, inside a shadow root so the host page's styles cannot
// reach it, and loads the widget (wasm) only when the browser is idle or the visitor
// reaches for the launcher. It must stay tiny: a test holds it under 2 KB gzipped.
(function () {
  var script = document.currentScript;
  var C = window.Confab;
  if (!script || (C && C.loaded)) return;
  // Confab('identify', …) and Confab('reset') are queued until the widget runs them.
  var q = (C && C.q) || [];
  C = window.Confab = function () {
    q.push(arguments);
  };
  C.q = q;
  C.loaded = 1;

  var base = new URL(".", script.src).href;
  var site = script.getAttribute("data-site") || "";
  var lang = script.getAttribute("data-lang") || navigator.language || "en";
  var labels = { fr: "Ouvrir la messagerie", de: "Nachrichten öffnen", es: "Abrir mensajes" };

  var host = document.createElement("confab-widget");
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    "<style>" +
    ":host{all:initial;position:fixed;z-index:2147483000;right:20px;bottom:20px;font:15px/1.4 system-ui,sans-serif;color-scheme:light dark}" +
    ".launcher{width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;background:#3b5bdb;color:#fff;display:grid;place-items:center;box-shadow:0 4px 14px rgba(0,0,0,.25)}" +
    ".launcher svg{width:28px;height:28px;fill:currentColor}" +
    ".launcher:focus-visible{outline:3px solid #fab005;outline-offset:3px}" +
    "</style>" +
    '<button class="launcher" type="button" data-confab-loader aria-expanded="false">' +
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>' +
    "</button>";
  var placeholder = root.querySelector("button");
  placeholder.setAttribute("aria-label", labels[lang.slice(0, 2)] || "Open messages");

  var wantOpen = false;
  var loading = null;
  function load() {
    if (loading) return;
    // The site's header (team name, availability in the visitor's language and time
    // zone), fetched while the widget downloads.
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {}
    var q = "?lang=" + encodeURIComponent(lang) + "&tz=" + encodeURIComponent(zone);
    var info = fetch(base + "api/sites/" + site + q)
      .then(function (r) {
        return r.ok ? r.json() : {};
      })
      .catch(function () {
        return {};
      });
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = base + "widget/confab.css";
    root.appendChild(css);
    loading = Promise.all([import(base + "widget/confab_widget.js"), info])
      .then(function (loaded) {
        var widget = loaded[0];
        return widget.default({ module_or_path: base + "widget/confab_widget_bg.wasm" }).then(function () {
          widget.mount(root, {
            site: site,
            api: base,
            open: wantOpen,
            lang: lang,
            team: loaded[1].team || "",
            availability: loaded[1].availability || "",
            sound: script.hasAttribute("data-sound"),
            push: script.getAttribute("data-push-worker") || "",
          });
        });
      })
      .catch(function (e) {
        loading = null;
        console.error("confab: the widget could not load", e);
      });
  }
  placeholder.addEventListener("click", function () {
    wantOpen = true;
    placeholder.setAttribute("aria-busy", "true");
    load();
  });
  placeholder.addEventListener("pointerenter", load);
  placeholder.addEventListener("focus", load);

  function start() {
    document.body.appendChild(host);
    // A resume or sign-in link (#confab=…, #confab-link=…) opens the thread at once.
    if (/^#confab/.test(location.hash)) {
      wantOpen = true;
      load();
    }
    (window.requestIdleCallback || setTimeout)(load, { timeout: 3000 });
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
