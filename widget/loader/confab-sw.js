// Confab's service worker: shows the push notifications Confab sends when an agent's reply
// waits unread, and opens the conversation when one is clicked. Serve this file from your
// own site (a service worker must come from the page's origin), e.g. at /confab-sw.js,
// and name it on the script tag: data-push-worker="/confab-sw.js".
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (e) {}
  event.waitUntil(
    self.registration.showNotification(message.title || "New reply", {
      body: message.body || "",
      tag: message.tag,
      data: { url: message.url || "/" },
    }),
  );
});

// A tab already on the conversation's page is focused; otherwise the page opens, with
// the widget open on the thread.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data.url, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((tabs) => {
      const tab = tabs.find((t) => t.url.split("#")[0] === url.split("#")[0]);
      return tab ? tab.focus() : self.clients.openWindow(url);
    }),
  );
});
