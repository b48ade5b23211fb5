// The browser APIs behind attention.rs, called from the widget's wasm. Written in JS
// because each typed binding would cost the download more than these lines do. The
// build joins this file to the widget's JS glue (esbuild --inject), which calls these
// exports by name.

let audio;
let settings = {};

export function confabConfigure(config) {
  settings = config;
}

// A reply reached the page while the visitor was not reading it.
export function confabReplyArrived(body, thread) {
  if (settings.sound) chime();
  if (document.hidden) notify(settings.info.team || document.title, body, thread);
}

// Two soft notes, a fifth apart.
function chime() {
  try {
    audio = audio || new AudioContext();
    audio.resume();
    const start = audio.currentTime;
    [660, 990].forEach((frequency, i) => {
      const at = start + 0.12 * i;
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.3);
      tone.connect(gain).connect(audio.destination);
      tone.start(at);
      tone.stop(at + 0.3);
    });
  } catch (e) {}
}

export function confabCanNotify() {
  return "Notification" in window;
}

// A system notification, when the visitor allowed them. One per thread (its tag is the
// one pushes carry): the next reply, or a push, replaces it. Clicking it brings the page back.
function notify(title, body, thread) {
  if (!confabCanNotify() || Notification.permission !== "granted") return;
  const shown = new Notification(title, { body, tag: "confab-" + thread });
  shown.onclick = () => {
    window.focus();
    shown.close();
  };
}

// "(2) " in front of the page's title while the tab is hidden and replies wait; the page's
// own title comes back when the tab is shown (unless the page changed it meanwhile).
let unread = 0;
let pageTitle = "";
let marked = null;
function showTitle() {
  if (marked !== null && document.title === marked) document.title = pageTitle;
  marked = null;
  if (document.hidden && unread > 0) {
    pageTitle = document.title;
    marked = "(" + unread + ") " + pageTitle;
    document.title = marked;
  }
}
document.addEventListener("visibilitychange", showTitle);

export function confabMarkTitle(count) {
  unread = count;
  showTitle();
}

// "Notify me of replies": asks the visitor and says in `note` whether notifications are on,
// with the visitor's texts `on` and `blocked`. Then, when the site serves Confab's service
// worker (`data-push-worker`), subscribes this device to push with the deployment's key and
// gives the subscription to the edge with the device's `token`. The answer does not wait
// for the push service, which may be slow or absent (a browser without one never answers).
export function confabTurnOn(token, v, note, on, blocked) {
  // Asked only while undecided: a choice already made is the answer at once.
  const decided = confabCanNotify() ? Notification.permission : "denied";
  const asked = decided === "default" ? Notification.requestPermission() : Promise.resolve(decided);
  asked.then((answer) => {
    note.textContent = answer === "granted" ? on : blocked;
    if (answer === "granted" && settings.push && token) subscribe(token, v);
  });
}

function subscribe(token, v) {
  const workers = navigator.serviceWorker;
  fetch(settings.api + "api/push/key")
    .then((r) => r.json())
    .then((key) =>
      workers
        .register(settings.push)
        .then(() => workers.ready)
        .then((registration) =>
          registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: key.public_key,
          }),
        ),
    )
    .then((subscription) => {
      const { endpoint, keys } = subscription.toJSON();
      return post("api/visitor/push", token, { v, endpoint, keys });
    })
    .then((r) => {
      if (!r.ok) throw new Error("subscription refused: " + r.status);
    })
    .catch((e) => console.warn("confab: push is not set up", e));
}

// The visitor read up to `seq` while no socket was open (still connecting, or a network
// that lets only plain HTTP through): said over HTTP, so the team sees it and no push or
// email follows for what was read.
export function confabRead(token, thread, v, seq) {
  post("api/conversations/" + thread + "/read", token, { v, seq }).catch(() => {});
}

function post(path, token, body) {
  return fetch(settings.api + path, {
    method: "POST",
    keepalive: true,
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
    body: JSON.stringify(body),
  });
}

// Every innerHTML the widget sets (scripts/trusted-html.mjs points the glue's setter here):
// the ☰ screens' markup, made by the widget from its own texts and escaped values, never
// from received HTML. Through a policy of the widget's own,
// so pages that require Trusted Types for script accept them.
let policy;
export function confabSetHtml(element, html) {
  const plain = { createHTML: (s) => s };
  policy = policy || (window.trustedTypes ? trustedTypes.createPolicy("confab", plain) : plain);
  element.innerHTML = policy.createHTML(html);
}
