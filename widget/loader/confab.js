// Confab's loader: the one file a site owner's <script> tag fetches.
// It draws the launcher at once, inside a shadow root so the host page's styles cannot
// reach it, and loads the widget (wasm) only when the browser is idle or the visitor
// reaches for the launcher. It must stay tiny: a test holds it under 2 KB gzipped.
(function () {
  var script = document.currentScript;
  var SVG = "http://www.w3.org/2000/svg";
  var C = window.Confab;
  // Loaded twice: the first copy serves. (A page's own `Confab` object is not ours.)
  if (!script || (typeof C == "function" && C.loaded)) return;
  // A page with a `Confab` of its own keeps it; the widget still runs, without the API.
  if (C && typeof C != "function") C = { q: [] };
  // Confab('identify', …) and Confab('reset') are queued until the widget runs them.
  var q = (C && C.q) || [];
  // The widget, once loaded, sets `run`; calls before that wait in `q`.
  C = function () {
    if (!here(arguments)) C.run ? C.run.apply(null, arguments) : q.push(arguments);
  };
  // Confab('on', event, fn): the page's listeners, which the widget calls through `e`.
  var listeners = {};
  C.e = function (event, detail) {
    (listeners[event] || []).forEach(function (f) {
      f(detail);
    });
  };
  // Confab('show'), ('hide'), ('open'), ('close'), ('toggle'), ('on', …): done here, so
  // they work before the widget has loaded too. Says whether it was one of them.
  function here(call) {
    var command = call[0];
    if (command == "on") (listeners[call[1]] = listeners[call[1]] || []).push(call[2]);
    // Hidden, the panel closes too (on a phone it holds the page behind it inert).
    else if (command == "show" || command == "hide") {
      if (command == "hide") here(["close"]);
      host.toggleAttribute("data-hidden", command == "hide");
    }
    else if (/^(open|close|toggle)$/.test(command)) {
      var button = root.querySelector(".launcher");
      var open = button.getAttribute("aria-expanded") == "true";
      if (command != (open ? "open" : "close")) button.click();
    } else return false;
    return true;
  }
  if (typeof window.Confab == "function" || !window.Confab) window.Confab = C;
  C.q = q;
  C.loaded = 1;

  var base = new URL(".", script.src).href;
  var site = script.getAttribute("data-site") || "";
  // The visitor's language: the script tag's, else the page's, else the browser's.
  var lang = script.getAttribute("data-lang") || document.documentElement.lang || navigator.language;

  var host = document.createElement("confab-widget");
  // A right-to-left language puts Confab on the left (`dir` is set for those alone); the
  // browser knows which they are.
  // (Where it cannot tell, without `getTextInfo`, the widget moves it once it has its words;
  // the loader has no bytes left for older browsers' `textInfo` getter.)
  try {
    if (new Intl.Locale(lang).getTextInfo().direction == "rtl") host.dir = "rtl";
  } catch (e) {}
  var root = host.attachShadow({ mode: "open" });
  // A constructed stylesheet, not a <style> element: a strict Content-Security-Policy
  // (no 'unsafe-inline') allows it. `!important` on the host element outranks the page's
  // own rules for it; `all: initial` keeps the page's inherited styles out.
  var css =
    ":host{all:initial!important;display:block!important;position:fixed!important;inset:auto 20px 20px auto!important;margin:0!important;padding:0!important;border:0!important;background:none!important;overflow:visible!important;z-index:2147483000!important;transform:none!important;direction:ltr;font:15px/1.4 system-ui,sans-serif!important;color-scheme:light dark!important}" +
    ":host([dir]){inset:auto auto 20px 20px!important}" +
    ":host([data-hidden]){display:none!important}" +
    ".launcher{width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;background:var(--site-accent,#3b5bdb);color:#fff;display:grid;place-items:center;box-shadow:0 4px 14px rgba(0,0,0,.25)}" +
    ".launcher svg{width:28px;height:28px;fill:currentColor}" +
    ".launcher:focus-visible{outline:3px solid #fab005;outline-offset:3px}";
  // (Every browser since 2023 has them: Safari 16.4, Firefox 101, Chrome 73.)
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [sheet];
  // Built from elements, not markup: pages that require Trusted Types refuse innerHTML.
  var placeholder = document.createElement("button");
  placeholder.className = "launcher";
  placeholder.type = "button";
  placeholder.setAttribute("data-confab-loader", "");
  // ARIA attributes through their properties (ARIA reflection): fewer bytes.
  placeholder.ariaExpanded = false;
  // In English only if the site's answer (with the words in the visitor's language) never
  // came, and the launcher shows anyway.
  placeholder.ariaLabel = "Open messages";
  var svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.ariaHidden = true;
  var path = document.createElementNS(SVG, "path");
  path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
  svg.appendChild(path);
  placeholder.appendChild(svg);
  root.appendChild(placeholder);

  var wantOpen = false;
  var loading = null;
  var info, refused;
  // The site's look, header (team name, availability in the visitor's language and time
  // zone) and the widget's texts in that language, asked for at once: the launcher is
  // drawn with the site's look once they are here, never in the default look first. The
  // widget cannot speak without them: failing, its load fails (and is tried again).
  function ask() {
    // `w`, the widget's build: a cached answer of an earlier deployment never meets a
    // widget that needs other texts.
    var query = new URLSearchParams({
      lang: lang,
      tz: Intl.DateTimeFormat().resolvedOptions().timeZone || "",
      w: CONFAB_WASM.slice(-15, -5),
    });
    return (info = fetch(base + "api/sites/" + site + "?" + query)
      .then(function (r) {
        // This page's origin is not one the site allows, the site does not exist or its
        // admins removed it: nothing of Confab stays on the page, and the site owner
        // reads why.
        if (r.status == 403 || r.status == 404 || r.status == 410) {
          refused = 1;
          host.remove();
          return r.json().then(function (e) {
            throw e.error.message;
          });
        }
        return r.json();
      })
      .then(function (info) {
        placeholder.ariaLabel = info.texts.open;
        sheet.replaceSync(css + info.css);
        return info;
      }));
  }
  ask();
  function load() {
    if (loading) return;
    // Once, however many times the load is tried.
    if (!root.querySelector("link")) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = base + CONFAB_CSS;
      root.appendChild(link);
    }
    loading = Promise.all([import(base + CONFAB_JS), info.catch(ask)])
      .then(function (loaded) {
        var widget = loaded[0];
        return widget.default({ module_or_path: base + CONFAB_WASM }).then(function () {
          widget.mount(root, {
            site: site,
            api: base,
            open: wantOpen,
            // The site's answer: texts, team, availability, look, proactive rules.
            info: loaded[1],
            sound: script.hasAttribute("data-sound"),
            push: script.getAttribute("data-push-worker") || "",
            host: C,
          });
          // The widget ran what was queued, and its launcher is in place: the page's
          // `ready` listeners may call anything.
          q.length = 0;
          C.e("ready");
        });
      })
      .catch(function (e) {
        // Closed again, as it is: the next click opens it and tries the load once more.
        loading = null;
        wantOpen = false;
        placeholder.ariaExpanded = false;
        placeholder.ariaBusy = null;
        console.error("confab:", e);
      });
  }
  // Until the widget takes over, the placeholder keeps the state a click asked for.
  placeholder.addEventListener("click", function () {
    wantOpen = !wantOpen;
    placeholder.ariaExpanded = placeholder.ariaBusy = wantOpen;
    load();
  });
  placeholder.addEventListener("pointerenter", load);
  placeholder.addEventListener("focus", load);

  // The site's look (the edge writes it as CSS: colour, side, label, theme), then the
  // launcher on the page; without an answer (a network down), the default look: the
  // visitor can still reach the team.
  function start() {
    info.then(show, function (e) {
      refused || show();
      console.error("confab:", e);
    });
  }
  function show() {
    // Beside <body>, not in it: a `transform` on the page's body would pin a fixed element
    // to the body instead of the screen, and apps that redraw their body would remove it.
    document.documentElement.appendChild(host);
    // Launcher calls made before this script ran; the rest wait for the widget.
    C.q = q = q.filter(function (call) {
      return !here(call);
    });
    // The top layer, where it exists: above every z-index the page may use.
    if (host.showPopover) {
      host.popover = "manual";
      host.showPopover();
    }
    // A resume or sign-in link (#confab=…, #confab-link=…) opens the thread at once.
    if (/^#confab/.test(location.hash)) {
      wantOpen = true;
      load();
    }
    (window.requestIdleCallback || setTimeout)(load, { timeout: 3000 });
    // The part of the screen the on-screen keyboard leaves, for the phone's full-screen panel.
    var view = window.visualViewport;
    function fit() {
      host.style.setProperty("--vv-top", view.offsetTop + "px");
      host.style.setProperty("--vv-height", view.height + "px");
    }
    if (view) {
      view.addEventListener("resize", fit);
      view.addEventListener("scroll", fit);
      fit();
    }
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
